import { promises as fs } from 'node:fs';
import type { CheckId } from './checks/types';
import { CHECKLIST } from './checks/index';
import { Deadline } from './deadline';
import { UsageError } from './errors';
import { createLogger } from './log';
import type { Options } from './options';
import { splitCertificates } from './pki/pem';
import { CertificatePool } from './pki/pool';
import type { StoreEntry } from './pki/trust-store';
import { runPreflight, type PreflightOutcome } from './preflight';
import { DEFAULT_SETTINGS } from './run-facts';
import { adapterFor, realDeps } from '../platform/index';
import type { PlatformAdapter } from '../platform/types';
import { buildReport, toJson, type Report } from './report/model';
import { LiveChecklist } from './report/live';
import { renderText, header } from './report/text';
import { writeReportFile } from './report/write';
import { t } from './fixes/i18n';
import type { Target } from './target';

export interface Io {
  readonly stdout: { write(s: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  readonly stderr: { write(s: string): unknown };
  readonly platform: NodeJS.Platform;
  /** Lets a test inject an adapter with recorded outputs. */
  readonly adapter?: PlatformAdapter;
  /** Registers a handler for Ctrl-C; returns an unregister function. */
  readonly onInterrupt?: (handler: () => void) => () => void;
  /** Milliseconds since the program started: --timeout counts from there, start-up included. */
  readonly sinceStartMs?: () => number;
}

export interface AppResult {
  readonly exitCode: number;
}

/** Runs the diagnosis the options ask for and writes the outputs. */
export async function runApp(opts: Options, version: string, io: Io): Promise<AppResult> {
  const gateways = opts.gateways;
  if (gateways.length === 0) {
    throw new UsageError(
      'no gateway given, and none found in a config file or an AnyConnect profile',
      'Run "vpn-preflight vpn.example.com" (the address you use in AnyConnect), or "vpn-preflight --demo" to see the tool work.',
    );
  }
  const log = createLogger({ file: opts.logFile, verbose: opts.verbose });
  try {
    const extraAnchors = await loadCaFiles(opts.caFiles);
    const adapter = io.adapter ?? adapterFor(io.platform, realDeps(opts.env));
    const reports: Report[] = [];
    for (const target of gateways) {
      reports.push(await diagnose(target, opts, version, io, adapter, extraAnchors, log));
    }
    await emit(reports, opts, io);
    return { exitCode: exitCodeFor(reports) };
  } finally {
    await log.close();
  }
}

export function exitCodeFor(reports: readonly Report[]): number {
  if (reports.some((r) => r.verdict === 'fail')) return 2;
  if (reports.some((r) => r.verdict === 'warn')) return 1;
  return 0;
}

async function diagnose(
  target: Target,
  opts: Options,
  version: string,
  io: Io,
  adapter: PlatformAdapter,
  extraAnchors: readonly StoreEntry[],
  log: ReturnType<typeof createLogger>,
): Promise<Report> {
  // Leave a little of the time limit for writing the report.
  const deadline = new Deadline(Math.max(200, opts.timeoutMs - 250 - (io.sinceStartMs?.() ?? 0)));
  const unhook = io.onInterrupt?.(() => deadline.abort());
  const pool = new CertificatePool();
  const style = { color: opts.color, width: Math.min(120, io.stdout.columns || 100) };
  const live =
    opts.format === 'text' && !opts.output && io.stdout.isTTY && !opts.verbose
      ? new LiveChecklist(io.stdout, CHECKLIST.map((c) => c.id as CheckId), opts.lang, style)
      : null;
  live?.start(header({ tool: { name: 'vpn-preflight', version }, language: opts.lang, gateway: { host: target.host, port: target.port, path: target.path, connectTo: opts.connectTo } } as Report));
  let run: PreflightOutcome;
  try {
    run = await runPreflight(
      {
        target,
        connectTo: opts.connectTo,
        extraAnchors,
        ntpServers: opts.ntpServers,
        dnsServers: opts.dnsServers,
        settings: DEFAULT_SETTINGS,
      },
      { adapter, deadline, pool, log, now: () => new Date(), onCheck: (r) => live?.update(r) },
    );
  } finally {
    deadline.dispose();
    unhook?.();
  }
  const report = buildReport(run, { lang: opts.lang, version, contact: opts.contact, pool });
  if (live) io.stdout.write(`\n${renderText(report, style, { includeChecklist: false }).split('\n').slice(1).join('\n')}`);
  return report;
}

async function emit(reports: readonly Report[], opts: Options, io: Io): Promise<void> {
  const style = { color: opts.color, width: Math.min(120, io.stdout.columns || 100) };
  const render = (format: string): string => {
    if (format === 'json') return `${toJson(reports.length === 1 ? reports[0]! : reports)}\n`;
    return reports.map((r) => renderText(r, { color: false, width: 100 })).join('\n');
  };
  const liveShown = opts.format === 'text' && !opts.output && io.stdout.isTTY && !opts.verbose;
  if (opts.output) {
    const written = await writeReportFile(opts.output, render(opts.format), opts.force);
    if (opts.format !== 'json' || !opts.output) {
      for (const r of reports) io.stdout.write(renderText(r, style));
    }
    io.stdout.write(`${t(opts.lang, 'ui.report-saved', { path: written })}\n`);
    return;
  }
  if (liveShown) return;
  if (opts.format === 'json') io.stdout.write(render('json'));
  else io.stdout.write(reports.map((r) => renderText(r, style)).join('\n'));
}

/** Reads --ca-file anchors; a missing or non-certificate file is a usage error. */
export async function loadCaFiles(files: readonly string[]): Promise<StoreEntry[]> {
  const out: StoreEntry[] = [];
  const pool = new CertificatePool();
  for (const file of files) {
    let data: Buffer;
    try {
      data = await fs.readFile(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UsageError(`cannot read --ca-file ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(err))}`);
    }
    let ders: Buffer[];
    try {
      ders = splitCertificates(data, `--ca-file ${file}`);
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    for (const der of ders) {
      const c = pool.get(der);
      if (c instanceof Error) throw new UsageError(`--ca-file ${file}: ${c.message}`);
      out.push({ der, store: { id: 'ca-file', label: `--ca-file ${file}`, kind: 'ca-file' }, trust: 'trusted' });
    }
  }
  return out;
}
