import type { Status } from '../checks/types';
import { t, type MessageKey } from '../fixes/i18n';
import { displaySafe } from '../pki/text';
import { certBadges, certSource } from './chain-view';
import { collectFixes, originText } from './document';
import type { Report, ReportCertificate, ReportCheck } from './model';

export interface TextStyle {
  readonly color: boolean;
  /** Terminal width for wrapping. */
  readonly width: number;
}

const SYMBOL: Readonly<Record<Status, string>> = { pass: '✔', warn: '!', fail: '✖', skip: '–', error: '?' };
const COLOR: Readonly<Record<Status, string>> = { pass: '32', warn: '33', fail: '31', skip: '90', error: '35' };

export function paint(style: TextStyle, code: string, s: string): string {
  return style.color ? `\x1b[${code}m${s}\x1b[0m` : s;
}

export function statusMark(style: TextStyle, s: Status): string {
  return paint(style, COLOR[s], SYMBOL[s]);
}

/** The whole report as text: header, checklist, verdict, findings, certificates, fixes. */
/**
 * The plain-text report. On the terminal the checklist comes first and the verdict under
 * it, where the eye is when the run ends; in a file (`verdictFirst`) the verdict, the cause
 * and the first step open it, as in the Markdown and HTML reports, so that they are on the
 * first screen of whoever opens the attachment.
 */
export function renderText(
  report: Report,
  style: TextStyle,
  opts: { includeChecklist: boolean; verdictFirst?: boolean } = { includeChecklist: true },
): string {
  const L = report.language;
  const out: string[] = [];
  out.push(header(report));
  const checklist: string[] = [];
  if (opts.includeChecklist) {
    const w = Math.max(...report.checks.map((c) => displayWidth(c.title)));
    checklist.push('', ...report.checks.map((c) => checkLine(c, style, w)));
  }
  if (opts.verdictFirst) out.push('', ...verdictBlock(report, style), ...checklist);
  else out.push(...checklist, '', ...verdictBlock(report, style));
  const notable = report.checks.filter((c) => c.status !== 'pass' && !(c.status === 'skip' && c.reason === 'dependency'));
  if (notable.length) {
    out.push('', paint(style, '1', t(L, 'ui.details')));
    for (const c of notable) {
      out.push(`  ${statusMark(style, c.status)} ${c.title} [${c.id}]`);
      for (const line of [c.summary, ...c.details]) out.push(...wrap(line, style.width - 6).map((l) => `      ${l}`));
    }
  }
  if (report.certificates.length) {
    out.push('', paint(style, '1', t(L, 'ui.certificates')));
    report.certificates.forEach((c, i) => out.push(...certificateBlock(report, c, i)));
  }
  const fixes = fixBlock(report, style);
  if (fixes.length) out.push('', ...fixes);
  if (!report.complete) out.push('', paint(style, '33', t(L, 'ui.incomplete')));
  if (report.redacted) out.push('', paint(style, '90', t(L, 'report.redacted')));
  return `${out.join('\n')}\n`;
}

export function header(report: Report): string {
  const g = report.gateway;
  const where = `${g.host}:${g.port}${g.path !== '/' ? displaySafe(g.path, 200) : ''}`;
  const via = g.connectTo ? ` (${t(report.language, 'ui.via', { address: g.connectTo })})` : '';
  // A gateway the user did not name on this run (settings file, AnyConnect profile) says where it came from.
  const named = g.origin === 'command line' || g.origin === 'typed in' || g.origin === 'demo';
  const gateway = named ? where : t(report.language, 'report.gateway-value', { url: where, origin: originText(g.origin) });
  return `vpn-preflight ${report.tool.version} · ${t(report.language, 'ui.checking', { gateway })}${via}`;
}

export function checkLine(c: ReportCheck, style: TextStyle, titleWidth: number): string {
  const title = padDisplay(c.title, titleWidth);
  const room = Math.max(20, style.width - titleWidth - 6);
  const summary = truncateDisplay(c.summary, room);
  return `  ${statusMark(style, c.status)} ${title}  ${paint(style, '90', summary)}`;
}

export function verdictBlock(report: Report, style: TextStyle): string[] {
  const L = report.language;
  const mark = statusMark(style, report.verdict);
  const lines = [`${mark} ${paint(style, '1', report.headline.verdict)}`];
  if (report.headline.cause) lines.push(...wrapLabelled(`${t(L, 'ui.cause')}: `, report.headline.cause, style.width));
  if (report.headline.firstStep) {
    const label = report.headline.firstStepActor === 'admin' ? t(L, 'ui.it-must') : t(L, 'ui.you-can');
    lines.push(...wrapLabelled(`${label}: `, report.headline.firstStep, style.width));
  }
  if (report.contact) lines.push(`  ${t(L, 'ui.contact', { contact: displaySafe(report.contact) })}`);
  return lines;
}

function certificateBlock(report: Report, c: ReportCertificate, i: number): string[] {
  const L = report.language;
  const where = certSource(report, c);
  const role = t(L, `ui.role.${c.role}` as MessageKey);
  if (c.error) return [`  ${i + 1}. [${where}] ${c.error}`];
  // Labels padded to the widest one in this language, so the values line up.
  const labels = { issuer: t(L, 'ui.issuer'), valid: t(L, 'ui.valid'), names: t(L, 'ui.names'), key: t(L, 'ui.key'), serial: t(L, 'ui.serial'), sha256: t(L, 'ui.sha256'), revocation: t(L, 'ui.revocation') };
  const w = Math.max(...Object.values(labels).map(displayWidth));
  const row = (label: string, value: string): string => `     ${padDisplay(label, w)}  ${value}`;
  const lines = [
    `  ${i + 1}. ${c.subject}`,
    `     [${[role, where, ...(c.onPath ? [] : [t(L, 'ui.not-on-path')])].join(' · ')}]`,
    row(labels.issuer, c.issuer),
    row(labels.valid, `${c.notBefore.slice(0, 16).replace('T', ' ')} → ${c.notAfter.slice(0, 16).replace('T', ' ')} UTC`),
  ];
  if (c.subjectAltNames.length) lines.push(row(labels.names, c.subjectAltNames.join(', ')));
  lines.push(row(labels.key, `${c.keyType}${c.keyBits ? ` ${c.keyBits}` : ''} · ${c.signatureAlgorithm}`), row(labels.serial, c.serialNumber), row(labels.sha256, c.fingerprintSha256));
  const badges = certBadges(report, c);
  if (badges.length) lines.push(row(labels.revocation, badges.map((b) => b.text).join(' · ')));
  return lines;
}

/** Fixes split by who acts; only the steps for this computer's system (the report file has the others). */
function fixBlock(report: Report, style: TextStyle): string[] {
  const L = report.language;
  const userOs = report.machine.os.platform === 'unsupported' ? 'any' : report.machine.os.platform;
  const { user, admin } = collectFixes(report);
  const lines: string[] = [];
  const group = (heading: string, entries: typeof user): void => {
    if (entries.length === 0) return;
    lines.push(paint(style, '1', heading));
    for (const { fix } of entries) {
      const steps = fix.steps.find((s) => s.os === userOs) ?? fix.steps.find((s) => s.os === 'any') ?? fix.steps[0];
      lines.push(`  • ${fix.title}`);
      steps?.lines.forEach((l, i) => lines.push(...wrapLabelled(`    ${i + 1}. `, l, style.width)));
    }
  };
  group(t(L, 'ui.fixes-user'), user);
  if (user.length && admin.length) lines.push('');
  group(t(L, 'ui.fixes-admin'), admin);
  // Only this computer's steps are shown here; a fix with steps for other systems has them in the report file.
  if (user.some(({ fix }) => fix.steps.filter((s) => s.lines.length > 0).length > 1)) lines.push('', paint(style, '90', t(L, 'ui.see-report')));
  return lines;
}

/**
 * A label and its text, continuation lines aligned under the text by display width
 * (a Japanese label is twice as wide as its characters). A label too wide for the
 * terminal puts its text on the lines below, indented.
 */
export function wrapLabelled(label: string, text: string, width: number): string[] {
  const labelWidth = displayWidth(label) + 2;
  const indent = labelWidth <= Math.min(28, Math.floor(width / 2)) ? labelWidth : 6;
  const room = Math.max(20, width - indent);
  if (indent < labelWidth) return [`  ${label.trimEnd()}`, ...wrap(text, room).map((l) => `${' '.repeat(indent)}${l}`)];
  return wrap(text, room).map((l, i) => (i === 0 ? `  ${label}${l}` : `${' '.repeat(indent)}${l}`));
}

/** Closing punctuation never starts a line; opening punctuation never ends one (JIS X 4051 kinsoku, shortened). */
const NO_BREAK_BEFORE = new Set([...'、。，．・：；？！）］｝」』】〕〉》〙〗ゝゞヽヾーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ…‥％)]}>,.:;!?’”%']);
const NO_BREAK_AFTER = new Set([...'（［｛「『【〔〈《〘〖([{<‘“']);
const NBSP = '\u00a0';

/**
 * Spaces a line must not break at: inside a command in backticks or a Windows path, inside
 * a date and time (`2026-04-07 09:00 UTC`) and between a number and the unit after it
 * (`400 日`, `10 minutes`, `TLS 1.2`).
 */
function protectSpaces(text: string): string {
  const keep = (m: string): string => m.replace(/ /g, NBSP);
  return text
    .replace(/`[^`\n]+`/g, keep) // a command stays on one line, so it can be copied
    .replace(/\b[A-Za-z]:\\[^\n:`]*?\.[A-Za-z]{2,4}\b/g, keep) // a Windows path with spaces in it
    .replace(/(\d{4}-\d{2}-\d{2}) (?=\d{2}:\d{2})/g, `$1${NBSP}`)
    .replace(/(\d{2}:\d{2}(?::\d{2})?) (?=UTC\b)/g, `$1${NBSP}`)
    .replace(/(\d) (?=[\u3040-\u30ff\u3400-\u9fff]|(?:seconds?|minutes?|hours?|days?|ms|certificates?)\b)/g, `$1${NBSP}`)
    .replace(/\b(TLS|RSA|EC|DSA) (?=\d)/g, `$1${NBSP}`);
}

/** The pieces a line may break between: words, single CJK characters, with kinsoku glue applied. */
function segments(para: string): Array<{ space: string; text: string }> {
  const out: Array<{ space: string; text: string }> = [];
  let space = '';
  let word = '';
  const flush = (): void => {
    if (word) out.push({ space, text: word });
    space = '';
    word = '';
  };
  for (const ch of protectSpaces(para)) {
    if (/\s/.test(ch) && ch !== NBSP) {
      if (word) flush();
      space += ch;
      continue;
    }
    const prev = word ? [...word].pop()! : '';
    const wide = charWidth(ch) === 2;
    // A break between two characters with no space: around a CJK character, unless kinsoku forbids it.
    const breakable = word !== '' && (wide || charWidth(prev) === 2) && !NO_BREAK_BEFORE.has(ch) && !NO_BREAK_AFTER.has(prev) && prev !== NBSP;
    if (breakable) flush();
    word += ch;
  }
  flush();
  // Trailing spaces of the paragraph are dropped.
  return out;
}

/**
 * Wraps text to a display width: English at spaces, Japanese at any character boundary
 * (never inside an ASCII word, never before closing or after opening punctuation), and
 * never inside a date and time or between a number and its unit. A piece longer than
 * the width is cut.
 */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const seg of segments(para)) {
      const candidate = line ? line + seg.space + seg.text : seg.space + seg.text;
      if (displayWidth(candidate) <= width) {
        line = candidate;
        continue;
      }
      if (line.trim()) out.push(line.trimEnd());
      line = seg.text;
      while (displayWidth(line) > width) {
        let cut = 0;
        let w = 0;
        for (const ch of line) {
          w += charWidth(ch);
          if (w > width) break;
          cut += ch.length;
        }
        out.push(line.slice(0, Math.max(1, cut)));
        line = line.slice(Math.max(1, cut));
      }
    }
    out.push(line.trimEnd());
  }
  return out.map((l) => l.replaceAll(NBSP, ' '));
}

/** Cuts to a display width with an ellipsis (CJK characters take two columns). */
export function truncateDisplay(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  let out = '';
  let w = 0;
  for (const ch of s) {
    if (w + charWidth(ch) > width - 1) break;
    out += ch;
    w += charWidth(ch);
  }
  return `${out}…`;
}

/** Pads to a display width (CJK characters take two columns). */
export function padDisplay(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch);
  return w;
}

function charWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || cp >= 0x20000
    ? 2
    : 1;
}
