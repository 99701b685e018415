import type { LogFinding } from '../anyconnect/logs';
import type { Msg } from './types';
import { msgRef } from '../fixes/i18n';
import { fmtTime } from '../time-text';

/** AnyConnect's own log line, with what it means, as a detail beside what the probes found. */
export function logDetail(f: LogFinding): Msg {
  return {
    key: 'anyconnect.log.last-failure',
    params: { source: f.source, time: f.time ? fmtTime(f.time) : '?', message: f.message, meaning: msgRef(`anyconnect.log.meaning.${f.kind}`) },
  };
}
