import type { Status } from '../checks/types';
import type { Actor, FixOs } from '../fixes/catalog';
import { t, type Lang, type MessageKey, type MsgParam } from '../fixes/i18n';
import { certBadges, chainView, certSource, timelineView, validityAt, type ChainView, type TimelineView } from './chain-view';
import { fmtUtcSeconds, shortFromText } from './format';
import { fmtTime } from '../time-text';
import type { Report, ReportAnyConnect, ReportCheck, ReportFix } from './model';

/**
 * The report as a neutral labelled tree (after PeculiarVentures/x509's text
 * converter): the domain objects become blocks once, here, and each formatter
 * (Markdown, HTML) only walks the blocks. Every string is still raw: formatters escape.
 * Strings marked `rich` may hold `code` spans (fix steps from the catalog).
 */
export type Block =
  | { readonly kind: 'heading'; readonly level: 1 | 2 | 3; readonly text: string; readonly anchor?: string; readonly status?: Status }
  | { readonly kind: 'verdict'; readonly status: Report['verdict']; readonly text: string; readonly rows: ReadonlyArray<{ readonly label: string; readonly text: string }> }
  | { readonly kind: 'para'; readonly text: string; readonly tone?: 'note' | 'warn' | 'muted' }
  | { readonly kind: 'fields'; readonly rows: ReadonlyArray<{ readonly label: string; readonly value: string; readonly mono?: boolean }> }
  | { readonly kind: 'table'; readonly head: readonly string[]; readonly rows: ReadonlyArray<{ readonly status?: Status; readonly cells: readonly string[]; readonly link?: string }> }
  /** Items are rich: a command in `backticks` is shown as code. */
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'fix'; readonly actor: Actor; readonly title: string; readonly checks: string; readonly systems: ReadonlyArray<FixSystem> }
  | { readonly kind: 'pre'; readonly text: string; readonly summary?: string }
  | { readonly kind: 'chain'; readonly view: ChainView; readonly caption: string }
  | { readonly kind: 'timeline'; readonly view: TimelineView; readonly caption: string; readonly labels: { readonly local: string; readonly truth: string } };

export interface FixSystem {
  /** Empty for steps that apply to every system. */
  readonly label: string;
  readonly mine: boolean;
  /** Rich: may hold `code` spans. */
  readonly lines: readonly string[];
}

export interface ReportDocument {
  readonly lang: Lang;
  readonly title: string;
  readonly blocks: readonly Block[];
}

export const STATUS_SYMBOL: Readonly<Record<Status, string>> = { pass: '✔', warn: '!', fail: '✖', skip: '–', error: '?' };

/** One document for one or several reports (the demo writes several into one file). */
export function buildDocument(reports: readonly Report[]): ReportDocument {
  const L = reports[0]?.language ?? 'en';
  const blocks: Block[] = [];
  if (reports.length === 1) {
    blocks.push(...reportBlocks(reports[0]!, null));
    return { lang: L, title: t(L, 'report.title-for', { gateway: where(reports[0]!) }), blocks };
  }
  blocks.push({ kind: 'heading', level: 1, text: t(L, 'report.title') });
  blocks.push({
    kind: 'table',
    head: [t(L, 'report.col.status'), t(L, 'report.gateway'), t(L, 'ui.cause')],
    rows: reports.map((r, i) => ({
      status: r.verdict,
      cells: [statusWord(L, r.verdict), where(r), r.headline.cause ?? r.headline.verdict],
      link: `r${i + 1}`,
    })),
  });
  reports.forEach((r, i) => blocks.push(...reportBlocks(r, `r${i + 1}`)));
  return { lang: L, title: t(L, 'report.title'), blocks };
}

function where(r: Report): string {
  const g = r.gateway;
  return `${g.host.includes(':') ? `[${g.host}]` : g.host}:${g.port}${g.path !== '/' ? g.path : ''}`;
}

function statusWord(L: Lang, s: Status): string {
  return `${STATUS_SYMBOL[s]} ${t(L, `ui.status.${s}` as MessageKey)}`;
}

function reportBlocks(r: Report, anchor: string | null): Block[] {
  const L = r.language;
  const out: Block[] = [];
  out.push({ kind: 'heading', level: 1, text: t(L, 'report.title-for', { gateway: where(r) }), ...(anchor ? { anchor } : {}) });

  // What a person reads first: verdict, the one cause, the first step.
  const rows: Array<{ label: string; text: string }> = [];
  if (r.headline.cause) rows.push({ label: t(L, 'ui.cause'), text: r.headline.cause });
  if (r.headline.firstStep) rows.push({ label: t(L, r.headline.firstStepActor === 'admin' ? 'report.first-admin' : 'report.first-user'), text: r.headline.firstStep });
  if (r.contact) rows.push({ label: t(L, 'report.help'), text: r.contact });
  out.push({ kind: 'verdict', status: r.verdict, text: r.headline.verdict, rows });
  if (r.verdict !== 'pass') out.push({ kind: 'para', text: t(L, 'report.attach'), tone: 'note' });
  if (!r.complete) out.push({ kind: 'para', text: t(L, 'report.incomplete'), tone: 'warn' });
  if (r.redacted) out.push({ kind: 'para', text: t(L, 'report.redacted'), tone: 'muted' });

  out.push({ kind: 'fields', rows: overview(r) });

  out.push({ kind: 'heading', level: 2, text: t(L, 'report.checks') });
  out.push({
    kind: 'table',
    head: [t(L, 'report.col.status'), t(L, 'report.col.check'), t(L, 'report.col.finding'), t(L, 'report.col.time')],
    rows: r.checks.map((c) => ({ status: c.status, cells: [statusWord(L, c.status), `${c.title} · ${c.id}`, c.summary, t(L, 'report.took', { ms: c.durationMs }).replace(' ', '\u00a0')] })),
  });

  out.push({ kind: 'heading', level: 2, text: t(L, 'report.findings') });
  const notable = noteworthy(r);
  if (notable.length === 0) out.push({ kind: 'para', text: t(L, 'report.no-findings') });
  for (const c of notable) {
    out.push({ kind: 'heading', level: 3, text: `${STATUS_SYMBOL[c.status]} ${c.title} · ${c.id}`, status: c.status });
    out.push({ kind: 'para', text: c.summary });
    if (c.details.length) out.push({ kind: 'list', items: c.details });
    out.push({ kind: 'pre', text: JSON.stringify(c.evidence, null, 2), summary: `${t(L, 'report.evidence')}: ${c.id} · ${c.reason}` });
  }

  const fixes = fixBlocks(r);
  if (fixes.length) out.push({ kind: 'heading', level: 2, text: t(L, 'report.fixes') }, ...fixes);

  const chain = chainView(r);
  if (chain) {
    out.push({ kind: 'heading', level: 2, text: t(L, 'report.chain') });
    out.push({ kind: 'chain', view: chain, caption: t(L, 'report.chain.caption') });
  }
  const timeline = timelineView(r);
  if (timeline) {
    out.push({ kind: 'heading', level: 2, text: t(L, 'report.timeline') });
    out.push({
      kind: 'timeline',
      view: timeline,
      caption: t(L, 'report.timeline.caption', { local: fmtTime(timeline.localTime), truth: fmtTime(timeline.trueTime) }),
      labels: { local: t(L, 'report.timeline.local'), truth: t(L, 'report.timeline.true') },
    });
  }

  if (r.anyconnect) out.push(...anyconnectBlocks(r, r.anyconnect));

  out.push({ kind: 'heading', level: 2, text: t(L, 'report.certificates') });
  if (r.certificates.length === 0) out.push({ kind: 'para', text: t(L, 'report.no-certificates') });
  r.certificates.forEach((c, i) => {
    if (c.error) {
      out.push({ kind: 'heading', level: 3, text: `${i + 1}. ${t(L, 'report.cert.unreadable', { position: (c.presentedIndex ?? 0) + 1, error: c.error })}`, status: 'fail' });
      return;
    }
    const role = t(L, `ui.role.${c.role}` as MessageKey);
    const state = validityAt(c, r.clock.localTime);
    out.push({ kind: 'heading', level: 3, text: [`${i + 1}. ${shortFromText(c.subject)}`, role, ...(c.onPath ? [] : [t(L, 'report.cert.off-path')])].join(' · '), ...(state !== 'valid' ? { status: 'fail' as const } : {}) });
    const rowsC: Array<{ label: string; value: string; mono?: boolean }> = [
      { label: t(L, 'report.cert.subject'), value: c.subject },
      { label: t(L, 'report.cert.issuer'), value: c.issuer },
      { label: t(L, 'report.cert.not-before'), value: fmtTime(c.notBefore) },
      { label: t(L, 'report.cert.not-after'), value: fmtTime(c.notAfter) },
      { label: t(L, 'report.cert.state'), value: t(L, `report.state.${state}` as MessageKey) },
    ];
    for (const b of certBadges(r, c)) rowsC.push({ label: t(L, b.kind === 'inspection' ? 'report.cert.inspection' : 'report.cert.revocation'), value: b.text });
    if (c.subjectAltNames.length) rowsC.push({ label: t(L, 'report.cert.names'), value: c.subjectAltNames.join(', ') });
    rowsC.push(
      { label: t(L, 'report.cert.key'), value: `${c.keyType}${c.keyBits ? ` ${c.keyBits}` : ''}` },
      { label: t(L, 'report.cert.signature'), value: c.signatureAlgorithm },
      { label: t(L, 'report.cert.serial'), value: c.serialNumber, mono: true },
      { label: t(L, 'report.cert.sha256'), value: c.fingerprintSha256, mono: true },
      { label: t(L, 'report.cert.source'), value: certSource(r, c) },
    );
    out.push({ kind: 'fields', rows: rowsC });
  });

  if (r.trail.length) {
    out.push({ kind: 'heading', level: 2, text: t(L, 'report.trail') });
    out.push({ kind: 'pre', text: r.trail.join('\n') });
  }
  out.push({ kind: 'para', text: t(L, 'report.footer', { tool: r.tool.name, version: r.tool.version, id: r.reportId }), tone: 'muted' });
  return out;
}

function overview(r: Report): Array<{ label: string; value: string; mono?: boolean }> {
  const L = r.language;
  const g = r.gateway;
  const m = r.machine;
  const rows: Array<{ label: string; value: string; mono?: boolean }> = [
    { label: t(L, 'report.gateway'), value: t(L, 'report.gateway-value', { url: g.url, origin: originText(g.origin) }) },
  ];
  if (g.addresses.length) rows.push({ label: t(L, 'report.addresses'), value: g.addresses.join(', ') });
  if (g.connectTo) rows.push({ label: t(L, 'report.connect-to'), value: g.connectTo });
  rows.push(
    { label: t(L, 'report.computer'), value: m.hostname || '—' },
    { label: t(L, 'report.user'), value: m.userName || '—' },
    { label: t(L, 'report.os'), value: [m.os.name, m.os.version, m.os.build ? `(${m.os.build})` : '', m.os.arch].filter(Boolean).join(' ') },
    { label: t(L, 'report.time'), value: m.timeZone ? t(L, 'report.time-value', { time: fmtUtcSeconds(r.timestamp), zone: m.timeZone }) : fmtUtcSeconds(r.timestamp) },
    { label: t(L, 'report.report-id'), value: r.reportId, mono: true },
    { label: t(L, 'report.tool'), value: `${r.tool.name} ${r.tool.version} · ${t(L, 'report.took', { ms: r.durationMs })}` },
  );
  return rows;
}

/** Checks worth a finding: everything but passes and skips caused by another check. */
export function noteworthy(r: Report): ReportCheck[] {
  return r.checks.filter((c) => c.status !== 'pass' && !(c.status === 'skip' && c.reason === 'dependency'));
}

/**
 * The fixes of every check that did not pass, each once, the top cause's first; split
 * by who acts. Steps for this computer's system come first (the model orders them).
 */
export function collectFixes(r: Report): { user: Array<{ fix: ReportFix; checks: ReportCheck[] }>; admin: Array<{ fix: ReportFix; checks: ReportCheck[] }> } {
  const ordered = [...r.checks.filter((c) => c.id === r.topCause), ...r.checks.filter((c) => c.id !== r.topCause)];
  const byId = new Map<string, { fix: ReportFix; checks: ReportCheck[] }>();
  for (const c of ordered) {
    if (c.status === 'pass' || c.status === 'skip') continue;
    for (const f of c.fixes) {
      const e = byId.get(f.id);
      if (e) e.checks.push(c);
      else byId.set(f.id, { fix: f, checks: [c] });
    }
  }
  const all = [...byId.values()];
  return { user: all.filter((e) => e.fix.actor === 'user'), admin: all.filter((e) => e.fix.actor === 'admin') };
}

function fixBlocks(r: Report): Block[] {
  const L = r.language;
  const { user, admin } = collectFixes(r);
  if (user.length === 0 && admin.length === 0) return [];
  const mine: FixOs = r.machine.os.platform === 'unsupported' ? 'any' : r.machine.os.platform;
  const toBlock = (e: { fix: ReportFix; checks: ReportCheck[] }): Block => ({
    kind: 'fix',
    actor: e.fix.actor,
    title: e.fix.title,
    checks: t(L, 'report.fix-for', { checks: { list: e.checks.map((c) => c.title) } }),
    systems: e.fix.steps
      .filter((s) => s.lines.length > 0)
      .map((s) => ({
        label: s.os === 'any' ? '' : s.os === mine ? t(L, 'report.your-os', { os: t(L, `ui.os.${s.os}` as MessageKey) }) : t(L, `ui.os.${s.os}` as MessageKey),
        mine: s.os === mine,
        lines: s.lines,
      })),
  });
  return [
    { kind: 'heading', level: 3, text: t(L, 'report.fixes-user') },
    ...(user.length ? user.map(toBlock) : [{ kind: 'para' as const, text: t(L, 'report.no-user-fixes') }]),
    { kind: 'heading', level: 3, text: t(L, 'report.fixes-admin') },
    ...(admin.length ? admin.map(toBlock) : [{ kind: 'para' as const, text: t(L, 'report.no-admin-fixes') }]),
  ];
}

/**
 * Where the gateway came from, in the report's language: the command line, what the user
 * typed, the demo, the settings file or an AnyConnect profile (the forms parseTarget's
 * callers write); anything else as it is.
 */
export function originText(origin: string): MsgParam | string {
  if (origin === 'command line') return { key: 'origin.command-line' };
  if (origin === 'typed in') return { key: 'origin.typed-in' };
  if (origin === 'demo') return { key: 'origin.demo' };
  const config = /^vpn-preflight\.json \((.*)\)$/.exec(origin);
  if (config) return { key: 'origin.config-file', params: { file: config[1]! } };
  const profile = /^AnyConnect profile (.*) \((backup server of )?“(.*)”\)$/.exec(origin);
  if (profile) return { key: profile[2] ? 'origin.profile-backup' : 'origin.profile', params: { file: profile[1]!, label: profile[3]! } };
  return origin;
}

/** AnyConnect on this computer: what is installed, which files were read, and the settings that decide. */
function anyconnectBlocks(r: Report, ac: ReportAnyConnect): Block[] {
  const L = r.language;
  const rows: Array<{ label: string; value: string; mono?: boolean }> = [];
  if (ac.product || ac.location) {
    const product = [ac.product, ac.version].filter(Boolean).join(' ') || '?';
    rows.push({ label: t(L, 'report.ac.installed'), value: ac.location ? t(L, 'report.ac.installed-value', { product, location: ac.location }) : product });
  }
  rows.push({ label: t(L, 'report.ac.profiles'), value: ac.profiles.length ? ac.profiles.join(', ') : t(L, 'report.ac.none') });
  rows.push({ label: t(L, 'report.ac.local-policy'), value: ac.localPolicy ?? t(L, 'anyconnect.policy.no-local-policy') });
  if (ac.preferences.length) rows.push({ label: t(L, 'report.ac.preferences'), value: ac.preferences.join(', ') });
  const out: Block[] = [{ kind: 'heading', level: 2, text: t(L, 'report.ac') }, { kind: 'fields', rows }];
  if (ac.settings.length) {
    out.push({
      kind: 'table',
      head: [t(L, 'report.ac.setting'), t(L, 'report.ac.value'), t(L, 'report.ac.file')],
      // The full paths are in the rows above; the file name tells which one.
      rows: ac.settings.map((s) => ({ cells: [s.name, s.value, s.file.split(/[\\/]/).pop() ?? s.file] })),
    });
  }
  return out;
}
