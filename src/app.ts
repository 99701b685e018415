import { existsSync, lstatSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CheckId } from './checks/types';
import { CHECKLIST } from './checks/index';
import { Deadline, TimeShares } from './deadline';
import { UsageError, errorMessage } from './errors';
import { createLogger, type Logger } from './log';
import { readRegularFile, unreadableFile } from './read-file';
import type { Options } from './options';
import { CertificateParseError, splitCertificates } from './pki/pem';
import { CertificatePool } from './pki/pool';
import type { StoreEntry } from './pki/trust-store';
import { runPreflight, type PreflightOutcome } from './preflight';
import { DEFAULT_SETTINGS } from './run-facts';
import { adapterFor, realDeps } from '../platform/index';
import type { PlatformAdapter } from '../platform/types';
import { buildReport, toJson, type Report } from './report/model';
import { LiveChecklist } from './report/live';
import { renderText, header, verdictBlock, type TextStyle } from './report/text';
import { renderMarkdown } from './report/markdown';
import { renderHtml } from './report/html';
import { Redactor } from './report/redact';
import { reportDirCandidates, reportFileName } from './report/location';
import { outputExists, writeNewReportFile, writeReportFile } from './report/write';
import { msgRef, t } from './fixes/i18n';
import { parseTarget, type HostPort, type Target } from './target';
import { gatewaysFromAnyConnect, loadAnyConnect, pickGateways, readGivenFiles } from './anyconnect/discover';
import { NO_GIVEN_FILES, type GivenFiles } from './anyconnect/facts';
import type { Fact } from './facts';
import type { AnyConnectFacts } from './run-facts';

/** Reading the installed AnyConnect files for the no-argument run takes at most this long. */
const PROFILE_READ_MS = 5000;

export interface Io {
  readonly stdout: { write(s: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  readonly stderr: { write(s: string): unknown };
  readonly platform: NodeJS.Platform;
  /** Lets a test inject an adapter with recorded outputs. */
  readonly adapter?: PlatformAdapter;
  /** Where a person at a terminal answers (picking among the profile's gateways); process.stdin when absent. */
  readonly stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** Registers a handler for Ctrl-C; returns an unregister function. */
  readonly onInterrupt?: (handler: () => void) => () => void;
  /** Asks on the terminal and resolves to the answer; absent when there is no terminal to ask. */
  readonly prompt?: (question: string) => Promise<string | null>;
  /** This person's home folder and this computer's addresses (for --redact); tests inject them. */
  readonly homeDir?: string;
  readonly localAddresses?: readonly string[];
  /** The current folder (one of the places a report may go). */
  readonly cwd?: string;
  /** Milliseconds since the program started: --timeout counts from there, start-up included (not the time a person takes to answer). */
  readonly sinceStartMs?: () => number;
}

export interface AppResult {
  readonly exitCode: number;
}

/** What one diagnosis needs besides the target. */
export interface DiagnoseInput {
  readonly connectTo: string | null;
  readonly extraAnchors: readonly StoreEntry[];
  readonly ntpServers: readonly HostPort[];
  readonly dnsServers: readonly string[];
  /** The AnyConnect files already read for the no-argument run, and those given with --profile / --local-policy. */
  readonly anyconnect?: Fact<AnyConnectFacts>;
  readonly anyconnectFiles?: GivenFiles;
  /** This gateway's share of the run's time limit. */
  readonly timeLimitMs: number;
}

/** Runs the diagnosis the options ask for and writes the outputs. */
export async function runApp(opts: Options, version: string, io: Io): Promise<AppResult> {
  if (opts.demo) {
    const { runDemo } = await import('./demo/run');
    return runDemo(opts, version, io);
  }
  const anyconnectFiles = await readGivenFiles(opts.profiles, opts.localPolicy);
  const adapter = io.adapter ?? adapterFor(io.platform, realDeps(opts.env));
  let gateways: readonly Target[] = opts.gateways;
  let anyconnect: Fact<AnyConnectFacts> | undefined;
  let found: readonly Target[] = [];
  if (gateways.length === 0) {
    // Precedence: the gateway argument, then the settings file (both already in opts),
    // then the gateways of the AnyConnect profiles, then asking a person at a terminal.
    anyconnect = await loadAnyConnect(adapter, anyconnectFiles, Math.min(opts.timeoutMs, PROFILE_READ_MS));
    found = gatewaysFromAnyConnect(anyconnect).targets;
  }
  // --timeout bounds the program's own work, not the time a person takes to answer a
  // question: what start-up used is taken once, here, before any question is asked.
  const startupMs = io.sinceStartMs?.() ?? 0;
  if (found.length > 0) {
    const stdin = io.stdin ?? (io.stdout === process.stdout ? process.stdin : undefined);
    gateways = await pickGateways(found, { stdout: io.stdout, stderr: io.stderr, stdin }, opts.lang, opts.format !== 'json' || Boolean(opts.output));
  }
  if (gateways.length === 0 && io.prompt) {
    const answer = (await io.prompt(t(opts.lang, 'ui.ask-gateway')))?.trim();
    if (answer) gateways = [parseTarget(answer, 'typed in')];
  }
  if (gateways.length === 0) throw new UsageError(msgRef('ui.no-gateway'), msgRef('ui.no-gateway-hint'));
  if (opts.output && !opts.force && pathTaken(opts.output)) {
    // Said before the run, not after it: the diagnosis is not lost to a file name.
    throw outputExists(path.resolve(opts.output));
  }
  // With --redact the log is redacted like the reports, with the same placeholders.
  const redactor = opts.redact ? redactorFor(opts, io) : null;
  let logGateway: { host: string; addresses: string[] } = { host: '', addresses: [] };
  const log = createLogger({ file: opts.logFile, verbose: opts.verbose, ...(redactor ? { filter: (line: string) => redactor.redactText(line, logGateway) } : {}) });
  try {
    const shares = timeShares(opts, startupMs, gateways.length);
    const extraAnchors = [...configAnchors(opts), ...(await loadCaFiles(opts.caFiles))];
    const reports: Report[] = [];
    // Ctrl-C ends the whole run, not only the gateway being checked: the rest are not started.
    let interrupted = false;
    const unhook = io.onInterrupt?.(() => (interrupted = true));
    try {
      for (const target of gateways) {
        if (interrupted) break;
        logGateway = { host: target.host, addresses: opts.connectTo ? [opts.connectTo] : [] };
        const input = { connectTo: opts.connectTo, extraAnchors, ntpServers: opts.ntpServers, dnsServers: opts.dnsServers, anyconnect, anyconnectFiles, timeLimitMs: shares.next() };
        reports.push(await diagnose(target, input, opts, version, io, adapter, log));
      }
    } finally {
      unhook?.();
    }
    await emit(finalReports(reports, opts, io, redactor ?? undefined), opts, io, gateways[0]!.host);
    return { exitCode: exitCodeFor(reports) };
  } finally {
    await log.close();
  }
}

export function exitCodeFor(reports: readonly Report[]): number {
  if (reports.some((r) => r.verdict === 'fail')) return 2;
  // A run cut short never says "all passed": what it did not check is not a pass.
  if (reports.some((r) => r.verdict === 'warn' || !r.complete)) return 1;
  return 0;
}

/** Something is at this path, be it a file, a folder or a symbolic link (even one pointing nowhere). */
function pathTaken(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return existsSync(file);
  }
}

export function terminalStyle(opts: Options, io: Io): TextStyle {
  return { color: opts.color, width: Math.min(120, io.stdout.columns || 100) };
}

/** The checklist ticks on a terminal only; piped output and --json get the final output alone. */
export function liveWanted(opts: Options, io: Io): boolean {
  return opts.format === 'text' && !opts.output && Boolean(io.stdout.isTTY) && !opts.verbose;
}

/**
 * The --timeout budget for `count` gateways checked one after another, from what start-up
 * left; a little is kept back for writing the report.
 */
export function timeShares(opts: Options, startupMs: number, count: number): TimeShares {
  return new TimeShares(opts.timeoutMs - 250 - startupMs, count);
}

/** Diagnoses one gateway under its own deadline (its share of the time limit); on a terminal the checklist ticks as it goes. */
export async function diagnose(
  target: Target,
  input: DiagnoseInput,
  opts: Options,
  version: string,
  io: Io,
  adapter: PlatformAdapter,
  log: Logger,
  /** After the live checklist: the whole text report, or only the verdict (the demo). */
  show: 'full' | 'brief' = 'full',
): Promise<Report> {
  const deadline = new Deadline(Math.max(200, input.timeLimitMs));
  const unhook = io.onInterrupt?.(() => deadline.abort());
  const pool = new CertificatePool();
  const style = terminalStyle(opts, io);
  const live = liveWanted(opts, io) ? new LiveChecklist(io.stdout, CHECKLIST.map((c) => c.id as CheckId), opts.lang, style) : null;
  live?.start(header({ tool: { name: 'vpn-preflight', version }, language: opts.lang, gateway: { host: target.host, port: target.port, path: target.path, connectTo: input.connectTo } } as Report));
  let run: PreflightOutcome;
  try {
    run = await runPreflight(
      {
        target,
        connectTo: input.connectTo,
        extraAnchors: input.extraAnchors,
        ntpServers: input.ntpServers,
        dnsServers: input.dnsServers,
        settings: DEFAULT_SETTINGS,
        anyconnect: input.anyconnect,
        anyconnectFiles: input.anyconnectFiles ?? NO_GIVEN_FILES,
      },
      { adapter, deadline, pool, log, now: () => new Date(), onCheck: (r) => live?.update(r) },
    );
  } finally {
    deadline.dispose();
    unhook?.();
  }
  const report = buildReport(run, { lang: opts.lang, version, contact: opts.contact, pool });
  if (live) {
    const shown = opts.redact ? finalReports([report], opts, io)[0]! : report;
    io.stdout.write(show === 'full' ? `\n${renderText(shown, style, { includeChecklist: false }).split('\n').slice(1).join('\n')}` : `\n${verdictBlock(shown, style).join('\n')}\n`);
  }
  return report;
}

/** With --redact, every report of the run through one redactor: the same value, the same placeholder. */
export function finalReports(reports: readonly Report[], opts: Options, io: Io, redactor: Redactor = redactorFor(opts, io)): Report[] {
  if (!opts.redact) return [...reports];
  return reports.map((r) => redactor.redact(r));
}

/** The redactor of a run: this person's names, home folders and this computer's addresses. */
function redactorFor(opts: Options, io: Io): Redactor {
  const env = opts.env;
  return new Redactor({
    userNames: [env.USER, env.USERNAME, env.LOGNAME].filter((x): x is string => Boolean(x)),
    hostnames: [env.COMPUTERNAME, env.HOSTNAME].filter((x): x is string => Boolean(x)),
    homeDirs: [io.homeDir ?? os.homedir(), env.HOME, env.USERPROFILE].filter((x): x is string => Boolean(x)),
    localAddresses: io.localAddresses ?? interfaceAddresses(),
    caseInsensitive: io.platform === 'win32',
  });
}

function interfaceAddresses(): string[] {
  try {
    return Object.values(os.networkInterfaces())
      .flatMap((list) => list ?? [])
      .map((i) => i.address);
  } catch {
    return [];
  }
}

/** Renders reports in one format: each report for text, one document for Markdown and HTML. */
export function render(reports: readonly Report[], format: Options['format']): string {
  switch (format) {
    case 'json':
      return `${toJson(reports.length === 1 ? reports[0]! : reports)}\n`;
    case 'markdown':
      return renderMarkdown(reports);
    case 'html':
      return renderHtml(reports);
    default:
      return reports.map((r) => renderText(r, { color: false, width: 100 }, { includeChecklist: true, verdictFirst: true })).join('\n');
  }
}

/**
 * Writes what the run produced: the chosen format to --output or stdout and, for the
 * plain terminal run, the HTML report file in a place the user finds (its path printed).
 */
export async function emit(reports: readonly Report[], opts: Options, io: Io, gatewayName: string): Promise<string | null> {
  const style = terminalStyle(opts, io);
  if (opts.output) {
    const written = await writeReportFile(opts.output, render(reports, opts.format), opts.force);
    if (opts.format !== 'json') for (const r of reports) io.stdout.write(renderText(r, style));
    io.stdout.write(`${t(opts.lang, 'ui.report-saved', { path: written })}\n`);
    return written;
  }
  if (opts.format !== 'text') {
    io.stdout.write(render(reports, opts.format));
    return null;
  }
  if (!liveWanted(opts, io)) io.stdout.write(reports.map((r) => renderText(r, style)).join('\n'));
  if (!opts.writeReport) return null;
  const file = await saveDefaultReport(reports, opts, io, gatewayName);
  if (file) io.stdout.write(`\n${t(opts.lang, 'ui.report-file', { path: file })}\n${t(opts.lang, 'ui.report-open')}\n`);
  return file;
}

/** Saves the HTML report where the user finds it and returns its path; a failure is said on stderr, never fatal. */
export async function saveDefaultReport(reports: readonly Report[], opts: Options, io: Io, name: string): Promise<string | null> {
  const home = io.homeDir ?? os.homedir();
  let xdg: string | null = null;
  if (io.platform === 'linux') {
    const configHome = opts.env.XDG_CONFIG_HOME || path.join(home, '.config');
    xdg = await readRegularFile(path.join(configHome, 'user-dirs.dirs')).then((b) => b.toString('utf8'), () => null);
  }
  const dirs = reportDirCandidates({ platform: io.platform, homeDir: home, env: opts.env, cwd: io.cwd ?? process.cwd(), tmpDir: os.tmpdir(), xdgUserDirs: xdg }, opts.reportDir);
  const at = new Date(reports[0]?.timestamp ?? Date.now());
  try {
    return await writeNewReportFile(dirs, reportFileName(name, at, 'html'), renderHtml(reports));
  } catch (err) {
    io.stderr.write(`${t(opts.lang, 'ui.report-not-written', { reason: (err as NodeJS.ErrnoException).code ?? String(err) })}\n`);
    return null;
  }
}

/** Trust anchors from the settings file (each certificate was checked when the file was read). */
function configAnchors(opts: Options): StoreEntry[] {
  return opts.configCa.flatMap((entry) => entry.ders.map((der): StoreEntry => ({ der, store: { id: 'config', label: `vpn-preflight.json: ${entry.label}`, kind: 'config' }, trust: 'trusted' })));
}

/** Reads --ca-file anchors; a missing or non-certificate file is a usage error. */
export async function loadCaFiles(files: readonly string[]): Promise<StoreEntry[]> {
  const out: StoreEntry[] = [];
  const pool = new CertificatePool();
  for (const file of files) {
    let data: Buffer;
    try {
      data = await readRegularFile(file);
    } catch (err) {
      throw unreadableFile('--ca-file', file, err);
    }
    let ders: Buffer[];
    try {
      ders = splitCertificates(data, `--ca-file ${file}`);
    } catch (err) {
      if (err instanceof CertificateParseError && err.reason !== 'invalid') throw new UsageError(msgRef(`usage.ca-file.${err.reason}`, { file }));
      throw new UsageError(msgRef('usage.ca-file.invalid', { file, detail: errorMessage(err) }));
    }
    for (const der of ders) {
      const c = pool.get(der);
      if (c instanceof Error) throw new UsageError(msgRef('usage.ca-file.invalid', { file, detail: c.message }));
      out.push({ der, store: { id: 'ca-file', label: `--ca-file ${file}`, kind: 'ca-file' }, trust: 'trusted' });
    }
  }
  return out;
}
