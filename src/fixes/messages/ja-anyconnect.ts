import type { enAnyconnect } from './en-anyconnect';

/** 日本語: anyconnect messages. Same keys as en-anyconnect.ts; the compiler refuses a missing one. */
export const jaAnyconnect: Readonly<Record<keyof typeof enAnyconnect, string>> = {};
