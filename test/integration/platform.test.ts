/**
 * The whole preflight with the Windows or macOS adapter answering from recorded outputs
 * (test/fixtures/<os>) while the gateway, NTP and DNS are real servers on loopback.
 * What is asserted is what the helpdesk reads: the check, its words naming the store as
 * the OS names it, the fixes for that OS first, the exit code.
 */
import { macosAdapter } from '../../platform/macos';
import type { PlatformAdapter } from '../../platform/types';
import { windowsAdapter } from '../../platform/windows';
import { runApp } from '../../src/app';
import { parseArgs } from '../../src/options';
import { check } from '../helpers/cli';
import { startDnsServer } from '../helpers/dns-server';
import type { Issued } from '../helpers/pki';
import { expectValidReport } from '../helpers/schema';
import { Servers, startNtpServer, startTlsServer } from '../helpers/servers';
import { fixtureWorld, type FixtureOs } from '../unit/platform/fixtures';
import { pkiWorld, type PkiWorld } from '../unit/platform/pki-world';

const servers = new Servers();
let ntp: string;
let pki: PkiWorld;

beforeAll(async () => {
  ntp = `127.0.0.1:${servers.track(await startNtpServer()).port}`;
  // The gateway answers as "localhost": the name resolves here without DNS.
  pki = pkiWorld('localhost');
});
afterAll(() => servers.closeAll());

function adapterFor(os: FixtureOs, scenario: string): PlatformAdapter {
  const w = fixtureWorld(os, scenario, { certs: pki.certs });
  return os === 'windows' ? windowsAdapter(w.deps) : macosAdapter(w.deps);
}

async function gateway(chain: Issued[], opts: { maxVersion?: 'TLSv1.2' | 'TLSv1.3' } = {}): Promise<number> {
  return servers.track(await startTlsServer({ key: chain[0]!.keyPem, chain, ...opts })).port;
}

/** Runs the real app in this process with the given adapter; returns exit code and the JSON report. */
async function preflight(adapter: PlatformAdapter, platform: NodeJS.Platform, args: string[]): Promise<{ exitCode: number; report: Record<string, any> }> {
  const parsed = await parseArgs([...args, '--json', '--no-report', '--ntp-server', ntp, '--timeout', '10'], {
    env: { NO_COLOR: '1' },
    stdoutIsTty: false,
    version: '0.0.0-test',
    intlLocale: 'en-US',
  });
  let out = '';
  const { exitCode } = await runApp(parsed.options!, '0.0.0-test', {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: () => true },
    platform,
    adapter,
  });
  const report = JSON.parse(out) as Record<string, any>;
  expectValidReport(report);
  return { exitCode, report };
}

describe('Windows, from recorded outputs, against a real gateway', () => {
  test('healthy: the root is found in the machine’s Trusted Root store and every check passes', async () => {
    const port = await gateway([pki.gateway, pki.corpIntermediate]);
    const { exitCode, report } = await preflight(adapterFor('windows', 'healthy'), 'win32', [`localhost:${port}`, '--lang', 'en']);
    const trust = check(report, 'cert.trust');
    expect(trust).toMatchObject({ status: 'pass', reason: 'trusted' });
    expect(trust.summary).toBe('The chain ends in “Example Corp Root CA”, which this computer trusts: it is in the Windows store “Trusted Root Certification Authorities” (Local Computer).');
    expect(trust.evidence.anchor.stores).toEqual(['Windows: Trusted Root Certification Authorities (Local Computer)']);
    expect(report.machine.os).toMatchObject({ platform: 'windows', name: 'Windows 11 Pro', version: '23H2', build: '22631.3525' });
    expect(check(report, 'clock.offset').details).toContain('Automatic time synchronisation is on (time server: time.windows.com,0x9).');
    expect(check(report, 'tls.versions').evidence.clientStack).toBe('SChannel');
    expect(check(report, 'proxy.intercept')).toMatchObject({ status: 'pass', reason: 'direct' });
    // The intermediate the gateway sent is also cached in the CA store: it is listed once, as sent.
    expect(report.certificates.map((c: { role: string; origin: string }) => `${c.role}/${c.origin}`)).toEqual(['leaf/presented', 'intermediate/presented', 'root/store']);
    expect(report.verdict).toBe('pass');
    expect(exitCode).toBe(0);
  });

  test('a gateway that leaves out its intermediate works here only because Windows has it cached: cert.chain says so, naming the store', async () => {
    const port = await gateway([pki.gateway]);
    const { report } = await preflight(adapterFor('windows', 'healthy'), 'win32', [`localhost:${port}`, '--lang', 'en']);
    expect(check(report, 'cert.trust').status).toBe('pass');
    const chain = check(report, 'cert.chain');
    expect(chain).toMatchObject({ status: 'fail', reason: 'missing-intermediate' });
    expect(chain.summary).toContain('this computer happens to have it, in the Windows store “Intermediate Certification Authorities” (Local Computer).');
    expect(report.certificates.map((c: { role: string; origin: string }) => `${c.role}/${c.origin}`)).toEqual(['leaf/presented', 'intermediate/store', 'root/store']);
  });

  test('a root in Untrusted Certificates fails cert.trust, names the store, and the fixes are the Windows ones', async () => {
    const port = await gateway([pki.gateway, pki.corpIntermediate]);
    const { exitCode, report } = await preflight(adapterFor('windows', 'distrusted-root'), 'win32', [`localhost:${port}`, '--lang', 'en']);
    const trust = check(report, 'cert.trust');
    expect(trust).toMatchObject({ status: 'fail', reason: 'distrusted' });
    expect(trust.summary).toBe('“Example Corp Root CA” is explicitly distrusted on this computer, in the Windows store “Untrusted Certificates” (Local Computer).');
    expect(trust.fixes[0]).toMatchObject({ id: 'trust.remove-distrust', actor: 'user' });
    expect(trust.fixes[0].steps[0].os).toBe('windows');
    expect(trust.fixes[0].steps[0].lines.join('\n')).toContain('certmgr.msc');
    expect(report.topCause).toBe('cert.trust');
    expect(report.headline.firstStep).toMatch(/^Ask IT about the distrusted certificate: The certificate sits in “Untrusted Certificates”/);
    expect(exitCode).toBe(2);
  });

  test('a missing root fails with the Windows import steps first', async () => {
    const port = await gateway([pki.gateway, pki.corpIntermediate]);
    const { report } = await preflight(adapterFor('windows', 'missing-root'), 'win32', [`localhost:${port}`, '--lang', 'en']);
    const trust = check(report, 'cert.trust');
    expect(trust.status).toBe('fail');
    expect(trust.summary).toContain('Example Corp Root CA');
    const install = trust.fixes.find((f: { id: string }) => f.id === 'trust.install-root');
    expect(install.steps.map((s: { os: string }) => s.os)).toEqual(['windows', 'macos', 'linux', 'ios', 'android']);
    expect(install.steps[0].lines.join('\n')).toContain('Trusted Root Certification Authorities');
    expect(trust.evidence.stores.map((s: { label: string }) => s.label)).toContain('Windows: Untrusted Certificates (Current User)');
    // Windows may still fetch a public root on first use: the report says so rather than guess.
    expect(trust.details[0]).toContain('Windows downloads the roots of Microsoft’s root program');
  });

  test('a root sitting in Intermediate Certification Authorities is named as such, with the steps to move it', async () => {
    const port = await gateway([pki.gateway, pki.corpIntermediate]);
    const { report } = await preflight(adapterFor('windows', 'root-in-ca-store'), 'win32', [`localhost:${port}`, '--lang', 'en']);
    const trust = check(report, 'cert.trust');
    expect(trust).toMatchObject({ status: 'fail', reason: 'root-not-anchor' });
    expect(trust.summary).toContain('This computer has it in the Windows store “Intermediate Certification Authorities” (Local Computer), but not as a trusted root');
    expect(trust.fixes[0].id).toBe('trust.mark-root-trusted');
    expect(trust.fixes[0].steps[0].lines.join('\n')).toContain('certlm.msc');
  });

  test('in Japanese, the store is named as a Japanese Windows names it', async () => {
    const port = await gateway([pki.gateway, pki.corpIntermediate]);
    const { report } = await preflight(adapterFor('windows', 'distrusted-root'), 'win32', [`localhost:${port}`, '--lang', 'ja']);
    expect(check(report, 'cert.trust').summary).toContain('「Example Corp Root CA」は、このコンピューターの Windows の「信頼されていない証明書」（ローカル コンピューター）で明示的に「信頼しない」に設定されています。');
  });

  test('SChannel with TLS 1.2/1.3 off for clients against a TLS 1.2-only gateway: tls.versions fails on this client', async () => {
    const port = await gateway([pki.gateway, pki.corpIntermediate], { maxVersion: 'TLSv1.2' });
    const { exitCode, report } = await preflight(adapterFor('windows', 'tls12-off'), 'win32', [`localhost:${port}`, '--lang', 'en']);
    const tls = check(report, 'tls.versions');
    expect(tls).toMatchObject({ status: 'fail', reason: 'client-disallows' });
    expect(tls.summary).toContain('The gateway only offers TLS 1.2, which this computer’s TLS settings do not allow');
    expect(tls.summary).toContain('TLS 1.2 Client: Enabled=0, DisabledByDefault=1');
    expect(tls.evidence.clientAllows).toEqual({ TLSv1: true, 'TLSv1.1': true, 'TLSv1.2': false, 'TLSv1.3': false });
    expect(tls.fixes[0]).toMatchObject({ id: 'tls.client-settings' });
    expect(tls.fixes[0].steps[0].os).toBe('windows');
    expect(exitCode).toBe(2);
  });

  test('time sync switched off while the clock is still right: a warning with the Windows steps to switch it on', async () => {
    const port = await gateway([pki.gateway, pki.corpIntermediate]);
    const { report } = await preflight(adapterFor('windows', 'time-sync-off'), 'win32', [`localhost:${port}`, '--lang', 'en']);
    const clock = check(report, 'clock.offset');
    expect(clock).toMatchObject({ status: 'warn', reason: 'sync-off' });
    expect(clock.details[0]).toContain('Automatic time synchronisation is off');
    expect(clock.fixes[0].id).toBe('clock.enable-sync');
    expect(clock.fixes[0].steps[0].lines[0]).toContain('Settings › Time & language › Date & time');
  });

  test('no DNS server configured: a visible finding even though the name resolved from the hosts file', async () => {
    const port = await gateway([pki.gateway, pki.corpIntermediate]);
    const { report } = await preflight(adapterFor('windows', 'no-dns'), 'win32', [`localhost:${port}`, '--lang', 'en']);
    const dns = check(report, 'dns.resolve');
    expect(dns).toMatchObject({ status: 'warn', reason: 'no-dns-servers' });
    expect(dns.summary).toContain('this computer has no DNS server configured');
    expect(dns.evidence.configuredServers).toMatchObject({ servers: [] });
    expect(dns.fixes[0].id).toBe('dns.no-servers');
  });

  test('a manual proxy whose exceptions include <local>: localhost bypasses it, so proxy.intercept passes and says why', async () => {
    const port = await gateway([pki.gateway, pki.corpIntermediate]);
    const { report } = await preflight(adapterFor('windows', 'manual-proxy'), 'win32', [`localhost:${port}`, '--lang', 'en']);
    const p = check(report, 'proxy.intercept');
    expect(p).toMatchObject({ status: 'pass', reason: 'proxy-bypassed' });
    expect(p.summary).toContain('A proxy is set (proxy.corp.example:8443), but localhost is on its exception list (“<local>”)');
  });

  test('a PAC script: proxy.intercept warns that the script decides', async () => {
    const port = await gateway([pki.gateway, pki.corpIntermediate]);
    const { exitCode, report } = await preflight(adapterFor('windows', 'pac-proxy'), 'win32', [`localhost:${port}`, '--lang', 'en']);
    const p = check(report, 'proxy.intercept');
    expect(p).toMatchObject({ status: 'warn', reason: 'pac-proxy' });
    expect(p.summary).toContain('http://wpad.corp.example/proxy.pac');
    expect(p.fixes[0].id).toBe('proxy.settings');
    expect(exitCode).toBe(1);
  });

  test('a private root only the current user has, on a leaf without CA addresses: a possible interception, as a warning', async () => {
    const port = await gateway([pki.gateway, pki.corpIntermediate]);
    const { report } = await preflight(adapterFor('windows', 'user-root'), 'win32', [`localhost:${port}`, '--lang', 'en']);
    expect(check(report, 'cert.trust').status).toBe('pass');
    const p = check(report, 'proxy.intercept');
    expect(p).toMatchObject({ status: 'warn', reason: 'private-root-local-store' });
    expect(p.summary).toContain('“Example Corp Root CA”, a root that is only in the Windows store “Trusted Root Certification Authorities” (Current User)');
    expect(p.fixes[0]).toMatchObject({ id: 'proxy.ask-it-root', title: 'Ask IT about the root certificate “Example Corp Root CA”' });
  });

  test('the configured DNS servers are asked directly, beside the system resolver, each query timed', async () => {
    const port = await gateway([pki.gateway, pki.corpIntermediate]);
    const dns = servers.track(await startDnsServer({ 'vpn.corp.example': { a: ['127.0.0.1'] } }));
    const base = adapterFor('windows', 'healthy');
    // The Windows adapter's facts, with the machine's DNS server pointed at the loopback one.
    const adapter: PlatformAdapter = {
      ...base,
      dnsConfig: async () => ({ status: 'ok', durationMs: 0, value: { servers: [dns.address], searchDomains: [], evidence: 'test: loopback DNS server' } }),
    };
    const { report } = await preflight(adapter, 'win32', [`vpn.corp.example:${port}`, '--connect-to', '127.0.0.1', '--lang', 'en']);
    const d = check(report, 'dns.resolve');
    expect(d.evidence.configured).toHaveLength(1);
    expect(d.evidence.configured[0]).toMatchObject({ resolver: dns.address, a: ['127.0.0.1'], error: null });
    expect(d.evidence.configured[0].queries.map((q: { type: string }) => q.type).sort()).toEqual(['A', 'AAAA']);
    expect(d.details).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${dns.address.replace(/\./g, '\\.')}: A 127\\.0\\.0\\.1 \\(\\d+ ms\\); AAAA NODATA \\(\\d+ ms\\)\\.$`))]));
    expect(dns.queries).toEqual(expect.arrayContaining(['A vpn.corp.example', 'AAAA vpn.corp.example']));
  });
});

describe('macOS, from recorded outputs, against a real gateway', () => {
  test('healthy: the root is trusted through the admin trust setting in the System keychain', async () => {
    const port = await gateway([pki.gateway, pki.corpIntermediate]);
    const { exitCode, report } = await preflight(adapterFor('macos', 'healthy'), 'darwin', [`localhost:${port}`, '--lang', 'en']);
    expect(check(report, 'cert.trust').summary).toContain('it is in the macOS System keychain');
    expect(report.machine.os).toMatchObject({ platform: 'macos', name: 'macOS', version: '14.4.1' });
    expect(exitCode).toBe(0);
  });

  test('"Never Trust" fails cert.trust with the macOS steps first', async () => {
    const port = await gateway([pki.gateway, pki.corpIntermediate]);
    const { report } = await preflight(adapterFor('macos', 'distrusted-root'), 'darwin', [`localhost:${port}`, '--lang', 'en']);
    const trust = check(report, 'cert.trust');
    expect(trust).toMatchObject({ status: 'fail', reason: 'distrusted' });
    expect(trust.summary).toContain('explicitly distrusted on this computer, in the macOS System keychain.');
    expect(trust.fixes[0].steps[0]).toMatchObject({ os: 'macos' });
    expect(trust.fixes[0].steps[0].lines[0]).toContain('Never Trust');
    expect(trust.evidence.notes).toContain('user trust settings: Example Corp Root CA (deny)');
  });

  test('a root in the login keychain without "Always Trust" is not trusted, and the report says where it is', async () => {
    const port = await gateway([pki.gateway, pki.corpIntermediate]);
    const { report } = await preflight(adapterFor('macos', 'root-not-trusted'), 'darwin', [`localhost:${port}`, '--lang', 'en']);
    const trust = check(report, 'cert.trust');
    expect(trust).toMatchObject({ status: 'fail', reason: 'root-not-anchor' });
    expect(trust.summary).toContain('This computer has it in the macOS login keychain, but not as a trusted root');
    expect(trust.fixes[0].steps[0].lines.join('\n')).toContain('Always Trust');
  });

  test('a manual proxy that does not exempt the gateway: proxy.intercept warns, naming it', async () => {
    const port = await gateway([pki.gateway, pki.corpIntermediate]);
    const { report } = await preflight(adapterFor('macos', 'manual-proxy'), 'darwin', [`localhost:${port}`, '--lang', 'en']);
    const p = check(report, 'proxy.intercept');
    expect(p).toMatchObject({ status: 'warn', reason: 'system-proxy' });
    expect(p.summary).toContain('A proxy is set on this computer (proxy.corp.example:8443, from scutil --proxy)');
    expect(p.fixes[0].steps[0]).toMatchObject({ os: 'macos' });
  });
});
