/**
 * The Linux binary as a user gets it: run from a folder of its own with an empty
 * environment (no node on PATH, no node_modules anywhere near), it answers --version
 * and --help, and diagnoses a healthy and an expired gateway with the right exit codes;
 * copied into a folder with a vpn-preflight.json, it runs with no arguments at all.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { check, jsonOf } from '../helpers/cli';
import { PACKAGE_VERSION, binaryOf, runWithFiles, shipWithSettings, startScenarios, type Scenarios } from './harness';

const cwd = mkdtempSync(path.join(tmpdir(), 'vpf-linux-bin-'));
let scenarios: Scenarios;
const run = (args: readonly string[]) => runWithFiles(binaryOf('linux-x64'), args, { cwd, env: {}, killAfterMs: 30_000 });

beforeAll(async () => {
  scenarios = await startScenarios(cwd);
});
afterAll(() => scenarios?.close());

test('--version prints the version of package.json', async () => {
  const r = await run(['--version']);
  expect({ exitCode: r.exitCode, stdout: r.stdout.trim(), stderr: r.stderr }).toEqual({ exitCode: 0, stdout: PACKAGE_VERSION, stderr: '' });
});

test('--help lists the options and the exit codes', async () => {
  const r = await run(['--help']);
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toContain('Usage: vpn-preflight [gateway] [options]');
  expect(r.stdout).toContain('--connect-to');
  expect(r.stdout).toContain('Exit codes: 0 all passed, 1 warnings, 2 failures, 3 usage error, 4 internal error.');
  expect(r.stderr).toBe('');
});

test('a healthy gateway passes (exit 0) and the report names this version', async () => {
  const r = await run(scenarios.healthy);
  const report = jsonOf(r);
  expect(r.exitCode).toBe(0);
  expect(report.verdict).toBe('pass');
  expect(report.tool).toEqual({ name: 'vpn-preflight', version: PACKAGE_VERSION });
  expect(report.machine.os.platform).toBe('linux');
  expect(check(report, 'cert.trust').status).toBe('pass');
  expect(check(report, 'cert.expiry').status).toBe('pass');
});

test('an expired leaf fails cert.expiry as the top cause (exit 2)', async () => {
  const r = await run(scenarios.expired);
  const report = jsonOf(r);
  expect(r.exitCode).toBe(2);
  expect(report.topCause).toBe('cert.expiry');
  expect(check(report, 'cert.expiry').status).toBe('fail');
});

test('copied beside a vpn-preflight.json and run with no arguments from another folder: it diagnoses the gateway the file names', async () => {
  const shipped = await shipWithSettings(binaryOf('linux-x64'), 'vpn-preflight');
  try {
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'vpf-elsewhere-'));
    const r = await runWithFiles(shipped.executable, [], { cwd: elsewhere, env: {}, killAfterMs: 30_000 });
    expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(r.stdout).toContain(`Checking ${shipped.gateway} (taken from the settings file ${path.join(shipped.dir, 'vpn-preflight.json')})`);
    expect(r.stdout).toContain('All checks passed');
    // The company root came from the file, by a path relative to the binary's folder, not to the working folder.
    expect(r.stdout).toContain(`vpn-preflight.json: ${path.join(shipped.dir, 'corp-root.pem')}`);
    const [report, ...more] = shipped.reports();
    expect(more).toEqual([]);
    expect(report).toContain(`(taken from the settings file ${path.join(shipped.dir, 'vpn-preflight.json')})`);
    expect(report).toContain(shipped.ntpServer);
  } finally {
    await shipped.close();
  }
});
