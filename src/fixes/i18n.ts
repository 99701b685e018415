import { en, type MessageKey } from './messages/en';
import { ja } from './messages/ja';

export type { MessageKey };
export type Lang = 'en' | 'ja';

export const CATALOGS: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = { en, ja };

/** A sentence of its own used as a parameter: rendered in the same language, with its own parameters. */
export interface MsgParam {
  readonly key: MessageKey;
  readonly params?: Params;
}

/** A length of time, rendered in the report's language (`10 minutes`, `10 分`). */
export interface DurationParam {
  readonly durationMs: number;
}

/** A number of things, with the noun in the right form (`1 certificate`, `2 certificates`, `2 枚`). */
export interface CountParam {
  readonly count: number;
  readonly noun: CountNoun;
}

export type CountNoun = 'certificate' | 'client-certificate' | 'intermediate-ca' | 'time-server' | 'public-key' | 'pin';

/**
 * Items joined the way the language lists them (`TLS 1.2 and TLS 1.3`, `TLS 1.2、TLS 1.3`);
 * `plain`: an enumeration without a conjunction (`A=1, B=2, C=3`, `A=1、B=2、C=3`).
 */
export interface ListParam {
  readonly list: readonly ParamValue[];
  readonly plain?: boolean;
}

/**
 * A value for `{param}`: text and numbers as they are (names, addresses, commands),
 * a nested message (`msgRef`), a duration, a count or a list. Checks stay
 * language-free: every word a person reads is chosen here, at report time.
 * A string is always shown as it is: text from a certificate or a peer is never
 * taken for one of our messages, whatever it looks like.
 */
export type ParamValue = string | number | MsgParam | DurationParam | CountParam | ListParam;
export type Params = Readonly<Record<string, ParamValue>>;

/** One of our own messages as a parameter of another, e.g. `msgRef('role.leaf')`. */
export function msgRef(key: MessageKey, params?: Params): MsgParam {
  return params ? { key, params } : { key };
}

/** The sentence for `key` in `lang`, with `{param}` filled in. */
export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  const template = CATALOGS[lang][key] ?? en[key] ?? key;
  const text = template.replace(/\{([a-zA-Z0-9_]+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) return `{${name}}`;
    return renderParam(lang, v);
  });
  return lang === 'ja' ? tidyJapanese(text) : text;
}

/**
 * A Japanese template puts a space between a parameter and Japanese text, as between
 * Latin letters and Japanese; when the parameter itself ends or starts with full-width
 * brackets (a store name, a quoted name), that space is one too many.
 */
function tidyJapanese(text: string): string {
  return text.replace(/([」）』】])[ ]+(?=[\u3040-\u30ff\u3400-\u9fff])/g, '$1').replace(/(?<=[\u3040-\u30ff\u3400-\u9fff])[ ]+([「（『【])/g, '$1');
}

export function renderParam(lang: Lang, v: ParamValue): string {
  if (typeof v === 'object') {
    if ('durationMs' in v) return duration(lang, v.durationMs);
    if ('noun' in v) return t(lang, `count.${v.noun}.${v.count === 1 ? 'one' : 'other'}`, { n: v.count });
    if ('list' in v) return list(lang, v.list.map((x) => renderParam(lang, x)), v.plain);
    return t(lang, v.key, v.params ?? {});
  }
  return String(v);
}

export function isKey(k: string): k is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, k);
}

/**
 * A duration in the largest unit that keeps it readable: under a second, seconds up
 * to two minutes, minutes up to two hours, hours up to two days, then whole days.
 * The sign is the caller's to say in words (ahead / behind, ago / in).
 */
export function duration(lang: Lang, ms: number): string {
  const a = Math.abs(ms);
  if (a < 1000) return t(lang, 'unit.under-a-second');
  const s = Math.round(a / 1000);
  if (s < 120) return unit(lang, s, 'second');
  const m = Math.round(s / 60);
  if (m < 120) return unit(lang, m, 'minute');
  const h = Math.round(m / 60);
  if (h < 48) return unit(lang, h, 'hour');
  return unit(lang, Math.floor(h / 24), 'day');
}

function unit(lang: Lang, n: number, what: 'second' | 'minute' | 'hour' | 'day'): string {
  return t(lang, n === 1 ? `unit.${what}` : `unit.${what}s`, { n });
}

const LIST_FORMATS = new Map<string, Intl.ListFormat>();

/**
 * Items joined as the language lists them (`a, b, and c`, `a、b、c`), or as a plain
 * enumeration (`a, b, c`); an empty list is a dash.
 */
export function list(lang: Lang, items: readonly string[], plain = false): string {
  if (items.length === 0) return '—';
  const id = `${lang}:${plain ? 'narrow' : 'long'}`;
  let format = LIST_FORMATS.get(id);
  if (!format) LIST_FORMATS.set(id, (format = new Intl.ListFormat(lang, { type: 'conjunction', style: plain ? 'narrow' : 'long' })));
  return format.format(items);
}
