/**
 * `--demo` end to end, as a newcomer runs it: four loopback gateways with certificates
 * made at run time, diagnosed offline; each faulty one fails for its own reason, the
 * report with all four is written, and the exit code is 0 because it ran as designed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { jsonOf, runCli } from '../helpers/cli';
import { tempDir } from '../helpers/scenario';
import { expectValidReport } from '../helpers/schema';

test('the demo explains each gateway, writes one report with all four, and exits 0', async () => {
  const out = tempDir('vpf-demo-');
  const r = await runCli(['--demo'], { env: { VPN_PREFLIGHT_REPORT_DIR: out } });
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  for (const title of ['Demo 1 of 4: a healthy gateway', 'Demo 2 of 4: an expired gateway certificate', 'Demo 3 of 4: a gateway that does not send its intermediate certificate', 'Demo 4 of 4: a certificate for another name']) {
    expect(r.stdout).toContain(title);
  }
  expect(r.stdout).toContain('The demo ran as designed');
  const files = readdirSync(out);
  expect(files).toEqual([expect.stringMatching(/^vpn-preflight-demo-\d{8}-\d{6}\.html$/)]);
  expect(r.stdout).toContain(`A report with all four gateways: ${path.join(out, files[0]!)}`);
  const html = readFileSync(path.join(out, files[0]!), 'utf8');
  expect(html.match(/<h1 id="r\d">/g)).toHaveLength(4);
  expect(html).toContain('Broken link: the gateway does not send this certificate');
  expect(r.durationMs).toBeLessThan(20_000);
});

test('--demo --json: four schema-valid reports, each faulty gateway blamed on its own check', async () => {
  const r = await runCli(['--demo', '--json']);
  expect(r.exitCode).toBe(0);
  const reports = jsonOf(r) as unknown as Array<Record<string, any>>;
  expectValidReport(reports);
  expect(reports.map((x) => [x.verdict === 'fail' ? 'fail' : 'ok', x.topCause])).toEqual([
    ['ok', null],
    ['fail', 'cert.expiry'],
    ['fail', 'cert.chain'],
    ['fail', 'cert.hostname'],
  ]);
  expect(reports.every((x) => x.gateway.origin === 'demo')).toBe(true);
});

test('in Japanese, the demo speaks Japanese', async () => {
  const r = await runCli(['--demo', '--no-report', '--lang', 'ja']);
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toContain('デモ 2/4: ゲートウェイの証明書が有効期限切れ');
  expect(r.stdout).toContain('デモは想定どおりに動作しました');
});
