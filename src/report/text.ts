import type { Status } from '../checks/types';
import { t, type Lang, type MessageKey } from '../fixes/i18n';
import { displaySafe } from '../pki/text';
import { collectFixes } from './document';
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
export function renderText(report: Report, style: TextStyle, opts: { includeChecklist: boolean } = { includeChecklist: true }): string {
  const L = report.language;
  const out: string[] = [];
  out.push(header(report));
  if (opts.includeChecklist) {
    out.push('');
    const w = Math.max(...report.checks.map((c) => displayWidth(c.title)));
    for (const c of report.checks) out.push(checkLine(c, style, w));
  }
  out.push('', ...verdictBlock(report, style));
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
    report.certificates.forEach((c, i) => out.push(...certificateBlock(c, i, L)));
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
  return `vpn-preflight ${report.tool.version} · ${t(report.language, 'ui.checking', { gateway: where })}${via}`;
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

function certificateBlock(c: ReportCertificate, i: number, L: Lang): string[] {
  const where =
    c.origin === 'presented'
      ? `${t(L, 'ui.sent-by-gateway')} #${(c.presentedIndex ?? 0) + 1}`
      : c.origin === 'aia'
        ? t(L, 'ui.from-aia', { url: c.fetchedFrom ?? '' })
        : t(L, 'ui.from-store', { store: c.stores.join(', ') });
  const role = t(L, `ui.role.${c.role}` as MessageKey);
  if (c.error) return [`  ${i + 1}. [${where}] ${c.error}`];
  const lines = [
    `  ${i + 1}. ${c.subject}`,
    `     [${role}; ${where}${c.onPath ? '' : `; ${t(L, 'ui.not-on-path')}`}]`,
    `     ${padDisplay(t(L, 'ui.issuer'), 8)} ${c.issuer}`,
    `     ${padDisplay(t(L, 'ui.valid'), 8)} ${c.notBefore.slice(0, 16).replace('T', ' ')} → ${c.notAfter.slice(0, 16).replace('T', ' ')} UTC`,
  ];
  if (c.subjectAltNames.length) lines.push(`     ${padDisplay(t(L, 'ui.names'), 8)} ${c.subjectAltNames.join(', ')}`);
  lines.push(
    `     ${padDisplay(t(L, 'ui.key'), 8)} ${c.keyType}${c.keyBits ? ` ${c.keyBits}` : ''} · ${c.signatureAlgorithm}`,
    `     ${padDisplay(t(L, 'ui.serial'), 8)} ${c.serialNumber}`,
    `     ${padDisplay(t(L, 'ui.sha256'), 8)} ${c.fingerprintSha256}`,
  );
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
  return lines;
}

function wrapLabelled(label: string, text: string, width: number): string[] {
  const pad = ' '.repeat(Math.min(displayWidth(label), 24) + 2);
  const body = wrap(text, Math.max(30, width - pad.length));
  return body.map((l, i) => (i === 0 ? `  ${label}${l}` : `${pad}${l}`));
}

/** Word wrap that also breaks long CJK runs (no spaces) at the width. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/(\s+)/)) {
      if (!word) continue;
      if (displayWidth(line + word) <= width) {
        line += word;
        continue;
      }
      if (line.trim()) out.push(line.trimEnd());
      line = word.trimStart();
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
  return out;
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
