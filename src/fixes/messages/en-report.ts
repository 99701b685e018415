/** English messages for the report checks and reports. Merged into the catalog by en.ts. */
export const enReport = {} as const;
