/** English messages for the revocation checks and reports. Merged into the catalog by en.ts. */
export const enRevocation = {} as const;
