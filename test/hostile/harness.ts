/**
 * Runs the real CLI against peers that misbehave on purpose and returns what a user and a
 * helpdesk would see: exit code, the JSON report (validated against the schema), how long
 * the run took and the process's peak memory (getrusage, written by maxrss-preload.js).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { networkInterfaces } from 'node:os';
import * as path from 'node:path';
import { CLI, jsonOf, runCli, type CliResult } from '../helpers/cli';
import { expectValidReport } from '../helpers/schema';
import { tempDir } from '../helpers/scenario';
import type { Running } from '../helpers/servers';

export const PRELOAD = path.join(__dirname, 'maxrss-preload.js');
/** What a run may take beyond --timeout: process start-up, writing the report, exit. */
export const MARGIN_MS = 1500;
/** Peak memory a run must stay under whatever a peer sends (a healthy run takes ~80–110 MiB). */
export const MEMORY_BOUND_KIB = 256 * 1024;

const scratch = tempDir('vpf-hostile-');

export interface HostileRun {
  readonly result: CliResult;
  readonly report: Record<string, any>;
  readonly maxRssKib: number;
}

let runs = 0;

/** `vpn-preflight <gateway> --json --no-report --timeout <s> …` under the memory probe. */
export async function runHostile(gateway: string, args: readonly string[], timeoutS: number): Promise<HostileRun> {
  const rssFile = path.join(scratch, `rss-${process.pid}-${++runs}`);
  rmSync(rssFile, { force: true });
  const result = await runCli(['--require', PRELOAD, CLI, gateway, '--json', '--no-report', '--timeout', String(timeoutS), ...args], {
    executable: process.execPath,
    env: { VPF_TEST_MAXRSS_FILE: rssFile },
    killAfterMs: timeoutS * 1000 + 20_000,
  });
  const report = jsonOf(result);
  expectValidReport(report);
  const maxRssKib = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : NaN;
  return { result, report, maxRssKib };
}

/** The check with this id, reduced to what the tables of the hostile suite show. */
export function checkOf(report: Record<string, any>, id: string): { id: string; status: string; reason: string; summary: string; evidence: any; details: string[]; durationMs: number } {
  const c = (report.checks as Array<Record<string, any>>).find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in the report`);
  return c as any;
}

/** Asserts the three things every hostile case owes: the finding, the time bound, the memory bound. */
export function expectCalm(run: HostileRun, timeoutS: number): void {
  expect(run.result.stderr).not.toMatch(/internal error|Error:|at .*\.js:\d+/);
  expect([0, 1, 2]).toContain(run.result.exitCode);
  expect(run.result.durationMs).toBeLessThan(timeoutS * 1000 + MARGIN_MS);
  expect(run.maxRssKib).toBeGreaterThan(0);
  expect(run.maxRssKib).toBeLessThan(MEMORY_BOUND_KIB);
}

/** A non-loopback IPv4 address of this machine, if it has one (for tests of the loopback guard). */
export function externalIPv4(): string | null {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

/** Listens on `host` (default loopback) on a free port. */
export function listenOn(server: net.Server, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port));
  });
}

/** A Running for a net.Server, destroying its open sockets on close. */
export function running(server: net.Server, port: number): Running {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
