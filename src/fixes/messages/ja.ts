import { en, type MessageKey } from './en';

/** Placeholder until the Japanese catalog is written: every key must exist. */
export const ja: Readonly<Record<MessageKey, string>> = { ...en };
