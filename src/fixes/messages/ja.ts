import type { MessageKey } from './en';
import { jaAnyconnect } from './ja-anyconnect';
import { jaCore } from './ja-core';
import { jaPlatform } from './ja-platform';
import { jaReport } from './ja-report';
import { jaRevocation } from './ja-revocation';
import { jaUsage } from './ja-usage';

/** The Japanese catalog: one file per area, exactly the keys of the English one. */
export const ja: Readonly<Record<MessageKey, string>> = { ...jaCore, ...jaRevocation, ...jaPlatform, ...jaAnyconnect, ...jaReport, ...jaUsage };
