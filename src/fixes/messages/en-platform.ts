/** English messages for the platform checks and reports. Merged into the catalog by en.ts. */
export const enPlatform = {} as const;
