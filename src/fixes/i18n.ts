import { en, type MessageKey } from './messages/en';
import { ja } from './messages/ja';

export type { MessageKey };
export type Lang = 'en' | 'ja';

export const CATALOGS: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = { en, ja };

export type ParamValue = string | number;

/**
 * The sentence for `key` in `lang`, with `{param}` filled in. A parameter whose value
 * starts with `@` names another message (e.g. `@role.leaf`).
 */
export function t(lang: Lang, key: MessageKey, params: Readonly<Record<string, ParamValue>> = {}): string {
  const template = CATALOGS[lang][key] ?? en[key] ?? key;
  return template.replace(/\{([a-zA-Z0-9_]+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) return `{${name}}`;
    if (typeof v === 'string' && v.startsWith('@') && isKey(v.slice(1))) return t(lang, v.slice(1) as MessageKey);
    return String(v);
  });
}

export function isKey(k: string): k is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, k);
}
