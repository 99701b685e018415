import { enAnyconnect } from './en-anyconnect';
import { enCore } from './en-core';
import { enPlatform } from './en-platform';
import { enReport } from './en-report';
import { enRevocation } from './en-revocation';
import { enUsage } from './en-usage';

/**
 * Every sentence a user or helpdesk reads, in English: the core plus one file per
 * area, so each area grows without touching the others. The Japanese catalog (ja.ts)
 * is built the same way and must have exactly the same keys (the compiler checks it).
 */
export const en = { ...enCore, ...enRevocation, ...enPlatform, ...enAnyconnect, ...enReport, ...enUsage } as const;

export type MessageKey = keyof typeof en;
