import type { enReport } from './en-report';

/** 日本語: report messages. Same keys as en-report.ts; the compiler refuses a missing one. */
export const jaReport: Readonly<Record<keyof typeof enReport, string>> = {};
