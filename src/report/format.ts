/**
 * Small formatting helpers shared by the renderers. Everything here is pure and
 * locale-free: dates are shown in UTC, ISO style, which a helpdesk anywhere reads
 * the same way.
 */

/** `2025-03-01 09:00:05 UTC`: to the second, for the time of a run. */
export function fmtUtcSeconds(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * The short name of a distinguished name as the report model shows it (RFC 4514 text,
 * most specific first): its CN, else its O, else the whole name.
 */
export function shortFromText(dn: string): string {
  for (const type of ['CN', 'O', 'OU']) {
    const m = new RegExp(`(?:^|, )${type}=((?:\\\\.|[^,\\\\])*)`).exec(dn);
    if (m) return m[1]!.replace(/\\([,+"\\<>;=# ])/g, '$1');
  }
  return dn;
}

/** Splits a fix step into plain text and `code` spans. */
export function codeSpans(line: string): Array<{ readonly text: string; readonly code: boolean }> {
  const out: Array<{ text: string; code: boolean }> = [];
  const parts = line.split('`');
  // An odd number of backticks leaves the last one literal.
  if (parts.length % 2 === 0) {
    const tail = parts.pop()!;
    parts[parts.length - 1] = `${parts[parts.length - 1]}\`${tail}`;
  }
  parts.forEach((text, i) => {
    if (text) out.push({ text, code: i % 2 === 1 });
  });
  return out;
}
