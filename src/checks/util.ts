import type { Fact } from '../facts';
import type { MessageKey } from '../fixes/i18n';
import type { FixRef, Msg, Outcome, Params, Status } from './types';

export function outcome(
  status: Status,
  reason: string,
  key: MessageKey,
  params: Params = {},
  extra: { evidence?: Record<string, unknown>; fixes?: FixRef[]; details?: Msg[] } = {},
): Outcome {
  return { status, reason, summary: { key, params }, ...extra };
}

/** The outcome for a fact whose probe broke: `error`, never a pass. */
export function probeError(fact: Fact<unknown>, what: MessageKey): Outcome | null {
  if (fact.status === 'error') {
    return outcome('error', 'probe-error', 'common.probe-error', { what: `@${what}`, code: fact.error.code, message: fact.error.message }, {
      evidence: { error: fact.error },
    });
  }
  return null;
}

/** ISO date and minute in UTC: unambiguous for a helpdesk anywhere. */
export function fmtTime(d: Date | string | number): string {
  const date = new Date(d);
  if (Number.isNaN(date.getTime())) return String(d);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function fmtDate(d: Date | string | number): string {
  const date = new Date(d);
  if (Number.isNaN(date.getTime())) return String(d);
  return date.toISOString().slice(0, 10);
}

/** A duration in words-free units: `3 d 4 h`, `12 min`, `45 s`. */
export function fmtDuration(ms: number): string {
  const a = Math.abs(ms);
  const s = Math.round(a / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h`;
  const d = Math.floor(h / 24);
  return `${d} d`;
}
