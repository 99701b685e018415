/**
 * `--demo` end to end, as a newcomer runs it: five loopback gateways with certificates
 * made at run time, diagnosed offline; each faulty one fails for its own reason, the
 * report with all five is written, and the exit code is 0 because it ran as designed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { jsonOf, runCli } from '../helpers/cli';
import { tempDir } from '../helpers/scenario';
import { expectValidReport } from '../helpers/schema';

test('the demo explains each gateway, writes one report with all five, and exits 0', async () => {
  const out = tempDir('vpf-demo-');
  const r = await runCli(['--demo'], { env: { VPN_PREFLIGHT_REPORT_DIR: out } });
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  for (const title of [
    'Demo 1 of 5: a healthy gateway',
    'Demo 2 of 5: an expired gateway certificate',
    'Demo 3 of 5: a gateway that does not send its intermediate certificate',
    'Demo 4 of 5: a certificate for another name',
    'Demo 5 of 5: a connection decrypted by TLS inspection',
  ]) {
    expect(r.stdout).toContain(title);
  }
  expect(r.stdout).toContain('The demo ran as designed');
  const files = readdirSync(out);
  expect(files).toEqual([expect.stringMatching(/^vpn-preflight-demo-\d{8}-\d{6}\.html$/)]);
  expect(r.stdout).toContain(`A report with all 5 gateways: ${path.join(out, files[0]!)}`);
  expect(r.stdout).toContain('The demo ran as designed: the 4 faulty gateways failed for the right reasons.');
  const html = readFileSync(path.join(out, files[0]!), 'utf8');
  expect(html.match(/<h1 id="r\d">/g)).toHaveLength(5);
  expect(html).toContain('Broken link: the gateway does not send this certificate');
  expect(html).toContain('<span class="badge bad">TLS inspection: product not known</span>');
  // About 1.5 s on a quiet 2-core machine; the bound only catches a hang, not a busy machine.
  expect(r.durationMs).toBeLessThan(20_000);
});

test('--demo --json: five schema-valid reports, each faulty gateway blamed on its own check', async () => {
  const r = await runCli(['--demo', '--json']);
  expect(r.exitCode).toBe(0);
  const reports = jsonOf(r) as unknown as Array<Record<string, any>>;
  expectValidReport(reports);
  expect(reports.map((x) => [x.verdict === 'fail' ? 'fail' : 'ok', x.topCause])).toEqual([
    ['ok', null],
    ['fail', 'cert.expiry'],
    ['fail', 'cert.chain'],
    ['fail', 'cert.hostname'],
    ['fail', 'proxy.intercept'],
  ]);
  expect(reports.every((x) => x.gateway.origin === 'demo')).toBe(true);
});

test('in Japanese, the demo speaks Japanese', async () => {
  const r = await runCli(['--demo', '--no-report', '--lang', 'ja']);
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toContain('デモ 2/5: ゲートウェイの証明書が有効期限切れ');
  expect(r.stdout).toContain('デモ 5/5: TLS インスペクションで復号される接続');
  expect(r.stdout).toContain('デモは想定どおりに動作しました');
});
