/**
 * Runs the real CLI (dist/cli.js, built by the global setup) as a user would, and
 * returns what a user sees: exit code, stdout, stderr, and how long it took.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { hostsLikeDns } from './dns-server';

export const ROOT = path.resolve(__dirname, '../..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

export interface CliResult {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

export interface CliOptions {
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  /** Kill the process after this long (a test bound, not a synchronisation). */
  readonly killAfterMs?: number;
  readonly input?: string;
  /** Run another executable instead of `node dist/cli.js` (the single binary). */
  readonly executable?: string;
  /**
   * A loopback DNS server (ip:port) to answer in place of this computer's resolver and the
   * servers it is configured with (system-dns-preload.js): what the tool reports as this
   * computer's DNS. Default: hostsLikeDns(), so no query of a run leaves the machine.
   */
  readonly systemDns?: string;
}

export const SYSTEM_DNS_PRELOAD = path.join(__dirname, 'system-dns-preload.js');

let reportFolder: string | null = null;

/** One temp folder per test process for the HTML reports plain runs save. */
function reportDir(): string {
  reportFolder ??= require('node:fs').mkdtempSync(path.join(require('node:os').tmpdir(), 'vpf-reports-')) as string;
  return reportFolder;
}

/**
 * The environment that makes a process of the tool ask `systemDns` instead of this
 * computer's DNS, for what is not started as `node …`: the single binaries (which honour
 * NODE_OPTIONS) and wrappers such as faketime. runCli gives node the preload as an
 * argument instead, so that a test's own NODE_OPTIONS stays exactly as the test set it.
 */
export function systemDnsEnv(systemDns: string, nodeOptions?: string, preload = SYSTEM_DNS_PRELOAD): Record<string, string> {
  return { VPF_TEST_SYSTEM_DNS: systemDns, NODE_OPTIONS: [`--require ${JSON.stringify(preload)}`, nodeOptions].filter(Boolean).join(' ') };
}

export async function runCli(args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  const systemDns = opts.systemDns ?? (await hostsLikeDns());
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const cmd = opts.executable ?? process.execPath;
    const preload = cmd === process.execPath ? ['--require', SYSTEM_DNS_PRELOAD] : [];
    const argv = [...preload, ...(opts.executable ? args : [CLI, ...args])];
    const child = spawn(cmd, argv, {
      cwd: opts.cwd ?? ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        LANG: 'en_US.UTF-8',
        NO_COLOR: '1',
        // A plain run saves an HTML report for the user; in tests it goes to a temp folder.
        VPN_PREFLIGHT_REPORT_DIR: reportDir(),
        ...opts.env,
        ...(cmd === process.execPath ? { VPF_TEST_SYSTEM_DNS: systemDns } : systemDnsEnv(systemDns, opts.env?.NODE_OPTIONS)),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs ?? 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, stdout, stderr, durationMs: Math.round(performance.now() - start) });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Parses stdout as the JSON report (fails the test with the output when it is not JSON). */
export function jsonOf(r: CliResult): Record<string, any> {
  try {
    return JSON.parse(r.stdout) as Record<string, any>;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.exitCode}):\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
  }
}

/** The check with this id from a JSON report. */
export function check(report: Record<string, any>, id: string): Record<string, any> {
  const c = (report.checks as Array<Record<string, any>>).find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in the report`);
  return c;
}
