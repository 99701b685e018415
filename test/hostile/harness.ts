/**
 * Runs the real CLI against peers that misbehave on purpose and returns what a user and a
 * helpdesk would see: exit code, the JSON report (validated against the schema), how long
 * the run took and the process's peak memory (getrusage, written by maxrss-preload.js).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import * as path from 'node:path';
import { CLI, jsonOf, runCli, type CliResult } from '../helpers/cli';
import { expectValidReport } from '../helpers/schema';
import { tempDir } from '../helpers/scenario';

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

/**
 * `vpn-preflight <gateway> --json --no-report --timeout <s> …` under the memory probe, this
 * computer's resolver played by a loopback DNS server (runCli's default: hostsLikeDns).
 */
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

/** Asserts the three things every hostile case owes: the finding, the time bound, the memory bound. */
export function expectCalm(run: HostileRun, timeoutS: number): void {
  expect(run.result.stderr).not.toMatch(/internal error|Error:|at .*\.js:\d+/);
  expect([0, 1, 2]).toContain(run.result.exitCode);
  expect(run.result.durationMs).toBeLessThan(timeoutS * 1000 + MARGIN_MS);
  expect(run.maxRssKib).toBeGreaterThan(0);
  expect(run.maxRssKib).toBeLessThan(MEMORY_BOUND_KIB);
}

/**
 * A non-loopback IPv4 address of this machine (for tests of the loopback guard). A
 * connection to it is delivered by this machine's own stack: nothing leaves the machine.
 * Fails the test, with why, on a machine that has none.
 */
export function externalIPv4(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  throw new Error('this test needs a non-loopback IPv4 address on this machine (any network interface that is up); there is none');
}
