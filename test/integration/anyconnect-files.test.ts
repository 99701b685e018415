/**
 * AnyConnect's files end to end: the no-argument run finds the gateways in the
 * installed profiles (through the Linux adapter's file seam), and `--profile` /
 * `--local-policy` apply given files with the real CLI against loopback gateways.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { linuxAdapter } from '../../platform/linux';
import { parseChoice, pickGateways } from '../../src/anyconnect/discover';
import { runApp } from '../../src/app';
import { parseArgs } from '../../src/options';
import { parseTarget } from '../../src/target';
import { check, jsonOf, runCli } from '../helpers/cli';
import { standardChain, type Issued } from '../helpers/pki';
import { pemFile, tempDir } from '../helpers/scenario';
import { expectValidReport } from '../helpers/schema';
import { Servers, anyconnectReply, startNtpServer, startTlsServer } from '../helpers/servers';
import { fakeDeps, fixture, FIXTURES } from '../unit/anyconnect/fixtures';

const servers = new Servers();
const dir = tempDir('vpf-acfiles-');
let ntp: string;

beforeAll(async () => {
  ntp = `127.0.0.1:${servers.track(await startNtpServer()).port}`;
});
afterAll(() => servers.closeAll());

async function gateway(): Promise<{ port: number; root: Issued; intermediate: Issued; leaf: Issued }> {
  const { root, intermediate, leaf } = standardChain('localhost');
  const s = servers.track(await startTlsServer({ key: leaf.keyPem, chain: [leaf, intermediate], onRequest: anyconnectReply }));
  return { port: s.port, root, intermediate, leaf };
}

function profileFor(port: number, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">
  <ClientInitialization>${extra}</ClientInitialization>
  <ServerList>
    <HostEntry><HostName>東京 VPN</HostName><HostAddress>localhost:${port}</HostAddress><UserGroup>staff</UserGroup></HostEntry>
  </ServerList>
</AnyConnectProfile>
`;
}

function capture(isTTY = false) {
  let text = '';
  return { write: (s: string) => (text += s), isTTY, columns: 100, get text() { return text; } };
}

describe('no gateway given: the installed profiles name them', () => {
  test('every host entry of the installed Secure Client profiles is diagnosed, each saying where it came from', async () => {
    const a = await gateway();
    const b = await gateway();
    const deps = fakeDeps({
      files: {
        '/opt/cisco/secureclient/vpn/profile/tokyo.xml': profileFor(a.port),
        '/opt/cisco/secureclient/vpn/profile/osaka.xml': profileFor(b.port).replace('東京 VPN', '大阪 VPN'),
        '/opt/cisco/secureclient/AnyConnectLocalPolicy.xml': fixture('local-policy/linux-secureclient-5.1-default.xml'),
      },
    });
    const caFile = path.join(dir, 'two-roots.pem');
    writeFileSync(caFile, a.root.pem + b.root.pem);
    const parsed = await parseArgs(['--json', '--no-report', '--ca-file', caFile, '--ntp-server', ntp, '--timeout', '10'], { env: { LANG: 'en_US.UTF-8' }, stdoutIsTty: false, version: '0.0.0', intlLocale: 'en-US' });
    const stdout = capture();
    const stderr = capture();
    const { exitCode } = await runApp(parsed.options!, '0.0.0', { stdout, stderr, platform: 'linux', adapter: linuxAdapter(deps) });
    const reports = JSON.parse(stdout.text) as Array<Record<string, any>>;
    reports.forEach(expectValidReport);
    expect(reports.map((r) => [r.gateway.url, r.gateway.origin])).toEqual([
      [`https://localhost:${b.port}/staff`, 'AnyConnect profile /opt/cisco/secureclient/vpn/profile/osaka.xml (“大阪 VPN”)'],
      [`https://localhost:${a.port}/staff`, 'AnyConnect profile /opt/cisco/secureclient/vpn/profile/tokyo.xml (“東京 VPN”)'],
    ]);
    for (const r of reports) {
      expect(check(r, 'anyconnect.gateway')).toMatchObject({ status: 'pass', reason: 'anyconnect' });
      expect(check(r, 'anyconnect.policy')).toMatchObject({ status: 'pass', reason: 'no-effect' });
      expect(check(r, 'anyconnect.policy').evidence.files).toMatchObject({ profileSource: 'installed', localPolicy: '/opt/cisco/secureclient/AnyConnectLocalPolicy.xml' });
    }
    expect(stderr.text).toBe('');
    expect(exitCode).toBe(0);
  });

  test('no profile anywhere: a usage error that says what was looked for', async () => {
    const parsed = await parseArgs(['--no-report'], { env: {}, stdoutIsTty: false, version: '0.0.0', intlLocale: 'en-US' });
    await expect(runApp(parsed.options!, '0.0.0', { stdout: capture(), stderr: capture(), platform: 'linux', adapter: linuxAdapter(fakeDeps({})) })).rejects.toThrow(
      'No VPN address was given, and none was found in a settings file next to this program or in the AnyConnect profiles on this computer.',
    );
  });

  test('a person at a terminal picks one; Enter alone means all', async () => {
    const targets = [parseTarget('https://vpn-a.example.jp/x', 'profile a'), parseTarget('vpn-b.example.jp', 'profile b'), parseTarget('vpn-c.example.jp', 'profile c')];
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const stdout = capture(true);
    const picking = pickGateways(targets, { stdout, stderr: capture(), stdin }, 'en', true);
    stdin.write('7\n');
    stdin.write('2\n');
    const picked = await picking;
    expect(picked.map((t) => t.host)).toEqual(['vpn-b.example.jp']);
    expect(stdout.text).toContain('The AnyConnect profiles on this computer name 3 gateways:\n  1. https://vpn-a.example.jp/x  — profile a\n');
    expect(stdout.text).toContain('Please enter numbers between 1 and 3, or just press Enter.');
    expect(parseChoice('', 3)).toEqual([0, 1, 2]);
    expect(parseChoice('1, 3', 3)).toEqual([0, 2]);
    expect(parseChoice('x', 3)).toBeNull();
  });

  test('without a terminal all are checked and stderr says where they came from', async () => {
    const stderr = capture();
    const targets = [parseTarget('vpn-a.example.jp', 'AnyConnect profile /p/a.xml (“A”)'), parseTarget('vpn-b.example.jp', 'AnyConnect profile /p/a.xml (“B”)')];
    const picked = await pickGateways(targets, { stdout: capture(false), stderr }, 'ja', true);
    expect(picked).toHaveLength(2);
    expect(stderr.text).toBe(
      'ゲートウェイが指定されていないため、AnyConnect プロファイルにある 2 件のゲートウェイを確認します:\n  1. https://vpn-a.example.jp  — AnyConnect profile /p/a.xml (“A”)\n  2. https://vpn-b.example.jp  — AnyConnect profile /p/a.xml (“B”)\n',
    );
  });
});

describe('--profile p.xml --local-policy lp.xml, end to end', () => {
  const spkiSha512 = (c: Issued) => createHash('sha512').update(new X509Certificate(c.der).publicKey.export({ type: 'spki', format: 'der' })).digest();

  test('strict trust and a root this computer lacks: anyconnect.policy fails hard, with the setting, its file and the message', async () => {
    const gw = await gateway();
    const p = path.join(dir, `strict-${gw.port}.xml`);
    writeFileSync(p, profileFor(gw.port));
    const lp = path.join(FIXTURES, 'local-policy/windows-anyconnect-4.10-strict.xml');
    const r = await runCli(['--profile', p, '--local-policy', lp, '--json', '--no-report', '--ntp-server', ntp, '--timeout', '10']);
    const report = jsonOf(r);
    expectValidReport(report);
    expect(report.gateway).toMatchObject({ host: 'localhost', port: gw.port, path: '/staff', origin: `AnyConnect profile ${p} (“東京 VPN”)` });
    const c = check(report, 'anyconnect.policy');
    expect(c).toMatchObject({ status: 'fail', reason: 'strict-trust' });
    expect(c.summary).toBe(
      `StrictCertificateTrust=true in ${lp}: AnyConnect refuses this untrusted certificate outright, with no “Connect Anyway” choice. It shows “Local policy prohibits the acceptance of untrusted server certificates. A connection will not be established.” (wording unconfirmed).`,
    );
    expect(c.evidence.files).toMatchObject({ profiles: [p], profileSource: 'given', localPolicy: lp, localPolicySource: 'given' });
    expect(c.fixes.map((f: { id: string; actor: string }) => [f.id, f.actor])).toEqual([['anyconnect.policy-strict', 'admin']]);
    expect(check(report, 'cert.trust').status).toBe('fail');
    expect(report.topCause).toBe('cert.trust');
    expect(r.exitCode).toBe(2);
  });

  test('a pin computed from the gateway’s key passes; a pin of another key fails', async () => {
    const gw = await gateway();
    const caFile = pemFile(dir, `pin-root-${gw.port}.pem`, gw.root);
    const pinned = (pin: string) => profileFor(gw.port, `<CertificatePinning>true</CertificatePinning><CertificatePinList><Pin Subject="CN=localhost">${pin}</Pin></CertificatePinList>`);
    const good = path.join(dir, `pin-good-${gw.port}.xml`);
    writeFileSync(good, pinned(spkiSha512(gw.leaf).toString('base64')));
    const bad = path.join(dir, `pin-bad-${gw.port}.xml`);
    writeFileSync(bad, pinned(spkiSha512(standardChain('localhost').leaf).toString('hex')));
    const [ok, ko] = await Promise.all(
      [good, bad].map(async (p) => {
        const r = await runCli(['--profile', p, '--ca-file', caFile, '--json', '--no-report', '--ntp-server', ntp, '--timeout', '10']);
        return { r, report: jsonOf(r) };
      }),
    );
    expect(check(ok!.report, 'anyconnect.policy')).toMatchObject({ status: 'pass', reason: 'pin-matches' });
    expect(check(ok!.report, 'anyconnect.policy').summary).toBe(`The certificate pin in ${good} matches the public key of “localhost” (pin written in base64).`);
    expect(ok!.r.exitCode).toBe(0);
    expect(check(ko!.report, 'anyconnect.policy')).toMatchObject({ status: 'fail', reason: 'pin-mismatch' });
    expect(ko!.report.topCause).toBe('anyconnect.policy');
    expect(ko!.r.exitCode).toBe(2);
  });

  test('the Japanese report explains the policy effect and keeps AnyConnect’s own words in English', async () => {
    const gw = await gateway();
    const p = path.join(dir, `ja-${gw.port}.xml`);
    writeFileSync(p, profileFor(gw.port, '<StrictCertificateTrust>true</StrictCertificateTrust>'));
    const r = await runCli(['--profile', p, '--local-policy', path.join(FIXTURES, 'local-policy/linux-anyconnect-4.10-default.xml'), '--lang', 'ja', '--json', '--no-report', '--ntp-server', ntp, '--timeout', '10']);
    const c = check(jsonOf(r), 'anyconnect.policy');
    expect(c).toMatchObject({ status: 'warn', reason: 'untrusted-blocked' });
    expect(c.summary).toBe(
      'AnyConnect はこの証明書を信頼しません。“Block connections to untrusted servers” が有効（既定）のため、“Untrusted VPN Server Blocked!”（ボタン “Keep Me Safe” と “Change Setting…”）と表示されます。',
    );
    expect(c.details).toContain(`VPN プロファイル ${p} にある StrictCertificateTrust=true はクライアントに無視されます。この設定は AnyConnectLocalPolicy.xml に書く必要があります。`);
    expect(r.exitCode).toBe(2);
  });

  test('a malicious --profile is refused before anything runs: exit 3, a clear reason, nothing read', async () => {
    const secret = path.join(dir, 'secret.txt');
    writeFileSync(secret, 'TOP-SECRET-b41c');
    const evil = path.join(dir, 'xxe.xml');
    writeFileSync(evil, fixture('malicious/external-entity.template.xml').replace('@SECRET_PATH@', secret));
    const r = await runCli(['--profile', evil, '--no-report']);
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `vpn-preflight: --profile ${evil} was refused: it contains a document type declaration (<!DOCTYPE …>). AnyConnect files never have one, and it can hide entity expansion ("billion laughs") or external entities that read other files; nothing in it was read.\n`,
    );
    expect(r.stderr).not.toContain('TOP-SECRET');
    const laughs = await runCli(['--profile', path.join(FIXTURES, 'malicious/billion-laughs.xml'), '--no-report']);
    expect(laughs.exitCode).toBe(3);
    expect(laughs.durationMs).toBeLessThan(5000);
  });
});
