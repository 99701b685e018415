import type { enRevocation } from './en-revocation';

/** 日本語: revocation messages. Same keys as en-revocation.ts; the compiler refuses a missing one. */
export const jaRevocation: Readonly<Record<keyof typeof enRevocation, string>> = {};
