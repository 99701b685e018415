/**
 * The Windows .exe — the file the helpdesk sends most — started under Wine: it answers
 * --version and --help, and diagnoses a healthy and an expired gateway on loopback
 * with the right exit codes, and with no arguments from the vpn-preflight.json beside it.
 * Wine missing is a failure, not a skip: CI installs it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { check, jsonOf } from '../helpers/cli';
import { PACKAGE_VERSION, WINE, binaryOf, runWithFiles, shipWithSettings, startScenarios, wineEnv, winePrefix, type Scenarios } from './harness';

// Wine's first start in a new prefix takes a while; every wait below stays bounded.
jest.setTimeout(240_000);

const cwd = mkdtempSync(path.join(tmpdir(), 'vpf-win-bin-'));
let scenarios: Scenarios;
let env: Record<string, string>;
const run = (args: readonly string[]) => runWithFiles(WINE, [binaryOf('win-x64'), ...args], { cwd, env, killAfterMs: 90_000 });

beforeAll(async () => {
  env = wineEnv(winePrefix());
  scenarios = await startScenarios(cwd);
});
afterAll(() => scenarios?.close());

test('the .exe answers --version with the version of package.json', async () => {
  const r = await run(['--version']);
  expect({ exitCode: r.exitCode, stdout: r.stdout.trim() }).toEqual({ exitCode: 0, stdout: PACKAGE_VERSION });
});

test('the .exe answers --help with the options', async () => {
  const r = await run(['--help']);
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toContain('Usage: vpn-preflight [gateway] [options]');
  expect(r.stdout).toContain('--ca-file');
});

test('the .exe passes a healthy gateway (exit 0)', async () => {
  const r = await run(scenarios.healthy);
  const report = jsonOf(r);
  expect(report.tool).toEqual({ name: 'vpn-preflight', version: PACKAGE_VERSION });
  // Node for Windows ran it (the Windows adapter, or the generic one until it exists), not Linux's.
  expect(report.machine.os.platform).not.toBe('linux');
  expect(check(report, 'cert.expiry').status).toBe('pass');
  expect(check(report, 'cert.trust').status).toBe('pass');
  expect(r.exitCode).toBe(0);
});

test('the .exe fails an expired leaf on cert.expiry (exit 2)', async () => {
  const r = await run(scenarios.expired);
  const report = jsonOf(r);
  expect(report.topCause).toBe('cert.expiry');
  expect(check(report, 'cert.expiry').status).toBe('fail');
  expect(r.exitCode).toBe(2);
});

test('the .exe beside a vpn-preflight.json, run with no arguments from another folder, diagnoses the gateway the file names', async () => {
  const shipped = await shipWithSettings(binaryOf('win-x64'), 'vpn-preflight.exe');
  try {
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'vpf-elsewhere-'));
    const r = await runWithFiles(WINE, [shipped.executable], { cwd: elsewhere, env, killAfterMs: 90_000 });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`Checking ${shipped.gateway}`);
    expect(r.stdout).toContain('All checks passed');
    // Wine shows the folder as drive Z:, so the paths the .exe reports are Z:\tmp\….
    const winDir = `Z:${shipped.dir.replace(/\//g, '\\')}`;
    expect(r.stdout).toContain(`vpn-preflight.json: ${winDir}\\corp-root.pem`);
    const [report, ...more] = shipped.reports();
    expect(more).toEqual([]);
    expect(report).toContain(`(taken from the settings file ${winDir}\\vpn-preflight.json)`);
    expect(report).toContain(shipped.ntpServer);
  } finally {
    await shipped.close();
  }
});
