import type { enPlatform } from './en-platform';

/** 日本語: platform messages. Same keys as en-platform.ts; the compiler refuses a missing one. */
export const jaPlatform: Readonly<Record<keyof typeof enPlatform, string>> = {};
