import type { Fact } from '../facts';
import { msgRef, type CountNoun, type CountParam, type DurationParam, type ListParam, type MessageKey, type MsgParam, type ParamValue } from '../fixes/i18n';
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
    return outcome('error', 'probe-error', 'common.probe-error', { what: msgRef(what), code: fact.error.code, message: fact.error.message }, {
      evidence: { error: fact.error },
    });
  }
  return null;
}

export function fmtDate(d: Date | string | number): string {
  const date = new Date(d);
  if (Number.isNaN(date.getTime())) return String(d);
  return date.toISOString().slice(0, 10);
}

/**
 * A duration for a message parameter, rendered in the report's language (`10 minutes`,
 * `10 分`); the check says which way in words (ahead / behind, ago / in).
 */
export function duration(ms: number): DurationParam {
  return { durationMs: ms };
}

/** A count with its noun, rendered in the report's language (`2 certificates`, `2 枚`). */
export function count(n: number, noun: CountNoun): CountParam {
  return { count: n, noun };
}

/** A name in the report language's quotation marks (“…” or 「…」). */
export function quoted(text: string): MsgParam {
  return { key: 'common.quoted', params: { text } };
}

/** Items listed the way the report's language lists them. */
export function list(items: readonly ParamValue[]): ListParam {
  return { list: items };
}

/** Items enumerated without a conjunction, the way the report's language separates them (`A=1, B=2`, `A=1、B=2`). */
export function enumeration(items: readonly ParamValue[]): ListParam {
  return { list: items, plain: true };
}

/**
 * Text from outside the catalog (an OS or library error, a probe's own English) for a
 * message parameter: shown as it is, marked as a technical detail in a report that is
 * not in English.
 */
export function technical(text: string): MsgParam {
  return { key: 'common.technical', params: { text } };
}

/** Why a fact has no value, as a parameter: its catalog sentence when it has one, else its text marked technical. */
export function factReason(fact: Fact<unknown>): MsgParam {
  if (fact.status === 'unsupported') return fact.note ?? technical(fact.reason);
  if (fact.status === 'error') return technical(fact.error.message);
  return technical('');
}
