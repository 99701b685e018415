/** English messages for the anyconnect checks and reports. Merged into the catalog by en.ts. */
export const enAnyconnect = {} as const;
