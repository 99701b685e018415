/**
 * Text taken from certificates and peers is shown escaped everywhere: control
 * characters, NUL and bidirectional overrides would otherwise let a hostile
 * certificate rewrite what the helpdesk reads.
 */
const UNSAFE_CLASS =
  '[\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u115f\\u1160\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb\\ud800-\\udfff]';
const UNSAFE_ALL = new RegExp(UNSAFE_CLASS, 'gu');
const UNSAFE_ONE = new RegExp(UNSAFE_CLASS, 'u');

export function displaySafe(text: string, maxLength = 512): string {
  const escaped = escapeUnsafe(text);
  if (escaped.length <= maxLength) return escaped;
  // Never cut between the two halves of a surrogate pair: a lone half is itself unsafe.
  const cut = /[\ud800-\udbff]/.test(escaped.charAt(maxLength - 1)) ? maxLength - 1 : maxLength;
  return `${escaped.slice(0, cut)}…(${escaped.length - cut} more)`;
}

/** The escaping of displaySafe without its length limit: for data that must stay whole (evidence, the trail). */
export function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE_ALL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`);
}

/** True when displaySafe would change the text. */
export function hasUnsafeCharacters(text: string): boolean {
  return UNSAFE_ONE.test(text);
}
