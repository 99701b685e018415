import { enCore } from './en-core';

/**
 * 日本語: core messages. Same keys as en-core.ts; the compiler refuses a missing one.
 * (Until translated, a key falls back to its English text here.)
 */
export const jaCore: Readonly<Record<keyof typeof enCore, string>> = {
  ...enCore,
};
