/**
 * --log-file that cannot be written, with a short --timeout: the real CLI, each run under
 * a kill timer so a process that keeps running (a logger retrying an unwritable path
 * forever once spun at ~50 % CPU for minutes) fails the test instead of hanging it.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { runCli, type CliResult } from '../helpers/cli';
import { tempDir } from '../helpers/scenario';
import { Servers, startSilentServer } from '../helpers/servers';

const servers = new Servers();
afterAll(() => servers.closeAll());

/** Far beyond what a 1-second run needs, far below "minutes". */
const KILL_AFTER_MS = 15_000;

async function runWithLog(logFile: string, extra: readonly string[] = []): Promise<CliResult> {
  const silent = servers.track(await startSilentServer());
  return runCli([`localhost:${silent.port}`, '--connect-to', '127.0.0.1', '--ntp-server', '127.0.0.1:9', '--no-report', '--timeout', '1', '--log-file', logFile, ...extra], {
    killAfterMs: KILL_AFTER_MS,
  });
}

function expectUsageError(r: CliResult, line: RegExp): void {
  // exitCode null would mean the kill timer had to end it.
  expect(r.exitCode).toBe(3);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(line);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('--log-file that cannot be written, with --timeout 1', () => {
  test('a folder that does not exist (/proc/nope/x.log): one usage line, exit 3, before the run', async () => {
    const r = await runWithLog('/proc/nope/x.log');
    expectUsageError(r, /^vpn-preflight: cannot write --log-file \/proc\/nope\/x\.log: ENOENT$/m);
    expect(r.durationMs).toBeLessThan(KILL_AFTER_MS);
  });

  test('a folder given as the log file: EISDIR, exit 3', async () => {
    const r = await runWithLog(tempDir('vpf-logdir-'), ['--json']);
    expectUsageError(r, /cannot write --log-file .*: EISDIR/);
  });

  test('a file that opens but refuses every write (/dev/full): the run still ends by its timeout with its report, and says the log stopped', async () => {
    const r = await runWithLog('/dev/full', ['--json']);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ schemaVersion: 1, verdict: 'fail' });
    expect(r.stderr).toMatch(/the log file \/dev\/full stopped being written \(ENOSPC/);
    expect(r.durationMs).toBeLessThan(KILL_AFTER_MS);
  });

  test('nothing is created for a log file that was refused', async () => {
    const dir = tempDir('vpf-log-');
    const file = path.join(dir, 'missing', 'run.log');
    const r = await runWithLog(file);
    expect(r.exitCode).toBe(3);
    expect(existsSync(path.dirname(file))).toBe(false);
  });
});
