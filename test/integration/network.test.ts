/**
 * The network half of the client side: DNS through a loopback DNS server, TLS versions
 * against real `openssl s_server` instances, the clock against NTP servers that lie,
 * and the deadline when everything is silent.
 */
import { CLI, check, runCli } from '../helpers/cli';
import { startDnsServer } from '../helpers/dns-server';
import { startOpensslServer } from '../helpers/openssl';
import { makeIntermediate, makeLeaf, makeRoot, standardChain, type Issued } from '../helpers/pki';
import { diagnoseJson, pemFile, tempDir } from '../helpers/scenario';
import { Servers, anyconnectReply, startNtpServer, startSilentServer, startTlsServer, type NtpServerOptions } from '../helpers/servers';

const servers = new Servers();
const dir = tempDir();
let truthfulNtp: string;

beforeAll(async () => {
  truthfulNtp = `127.0.0.1:${servers.track(await startNtpServer()).port}`;
});
afterAll(() => servers.closeAll());

async function healthyGateway(host = 'localhost'): Promise<{ port: number; root: Issued }> {
  const { root, intermediate, leaf } = standardChain(host);
  const s = servers.track(await startTlsServer({ key: leaf.keyPem, chain: [leaf, intermediate], onRequest: anyconnectReply }));
  return { port: s.port, root };
}

async function ntpAt(opts: NtpServerOptions): Promise<string> {
  return `127.0.0.1:${servers.track(await startNtpServer(opts)).port}`;
}

// Every run gets this computer's resolver from a loopback DNS server (systemDns; hostsLikeDns
// answers localhost with 127.0.0.1 as a hosts file does), and names no gateway the tool would
// ask this computer's configured DNS servers about: no query leaves the machine.
describe('dns.resolve through --dns-server', () => {
  test('a name only the given DNS server knows resolves there; the system resolver disagreeing is a warning', async () => {
    const { port, root } = await healthyGateway('vpn.corp.localhost');
    const dns = servers.track(await startDnsServer({ 'vpn.corp.localhost': { a: ['127.0.0.1'] } }));
    const system = servers.track(await startDnsServer({}));
    const { result, report } = await diagnoseJson(`vpn.corp.localhost:${port}`, ['--dns-server', dns.address, '--ca-file', pemFile(dir, 'r1.pem', root), '--ntp-server', truthfulNtp], { systemDns: system.address });
    const c = check(report, 'dns.resolve');
    expect(c).toMatchObject({ status: 'warn', reason: 'resolvers-disagree' });
    expect(c.summary).toContain(`${dns.address}: 127.0.0.1`);
    expect(c.summary).toContain('NXDOMAIN');
    expect(c.evidence.system).toMatchObject({ resolver: 'system', a: [], error: { code: 'NXDOMAIN' } });
    expect(c.evidence.direct[0]).toMatchObject({ resolver: dns.address, a: ['127.0.0.1'], error: null });
    expect(check(report, 'network.reach')).toMatchObject({ status: 'pass' });
    expect(check(report, 'cert.trust')).toMatchObject({ status: 'pass' });
    expect(report.gateway.addresses).toEqual(['127.0.0.1']);
    expect(dns.queries).toEqual(expect.arrayContaining(['A vpn.corp.localhost', 'AAAA vpn.corp.localhost']));
    expect(system.queries).toEqual(expect.arrayContaining(['A vpn.corp.localhost', 'AAAA vpn.corp.localhost']));
    expect(result.exitCode).toBe(1);
  });

  test('when the given DNS server and the system agree, dns.resolve passes', async () => {
    const { port, root } = await healthyGateway('vpn.corp.localhost');
    const dns = servers.track(await startDnsServer({ 'vpn.corp.localhost': { a: ['127.0.0.1'] } }));
    const { result, report } = await diagnoseJson(`vpn.corp.localhost:${port}`, ['--dns-server', dns.address, '--ca-file', pemFile(dir, 'r2.pem', root), '--ntp-server', truthfulNtp], { systemDns: dns.address });
    expect(check(report, 'dns.resolve')).toMatchObject({ status: 'pass', reason: 'resolved' });
    expect(check(report, 'dns.resolve').summary).toMatch(/^vpn\.corp\.localhost resolves to 127\.0\.0\.1 \(via 127\.0\.0\.1:\d+, \d+ ms\)\.$/);
    expect(result.exitCode).toBe(0);
  });

  test.each([
    ['NXDOMAIN', 'nxdomain', 'does not exist in DNS (NXDOMAIN'],
    ['SERVFAIL', 'servfail', 'could not answer for vpn.corp.localhost (SERVFAIL'],
  ] as const)('%s fails dns.resolve and skips the connection', async (behaviour, reason, words) => {
    const dns = servers.track(await startDnsServer({ 'vpn.corp.localhost': behaviour }));
    const { result, report } = await diagnoseJson('vpn.corp.localhost', ['--dns-server', dns.address, '--ntp-server', truthfulNtp], { systemDns: dns.address });
    expect(check(report, 'dns.resolve')).toMatchObject({ status: 'fail', reason });
    expect(check(report, 'dns.resolve').summary).toContain(words);
    expect(check(report, 'network.reach')).toMatchObject({ status: 'skip', reason: 'dependency' });
    expect(report.topCause).toBe('dns.resolve');
    expect(result.exitCode).toBe(2);
  });

  test('a silent DNS server is a timeout, reported by the deadline', async () => {
    const dns = servers.track(await startDnsServer({ 'vpn.corp.localhost': 'SILENT' }));
    const { result, report } = await diagnoseJson('vpn.corp.localhost', ['--dns-server', dns.address, '--ntp-server', truthfulNtp, '--timeout', '2'], { systemDns: dns.address });
    expect(check(report, 'dns.resolve')).toMatchObject({ status: 'fail', reason: 'timeout' });
    expect(result.exitCode).toBe(2);
    expect(result.durationMs).toBeLessThan(2000 + 1500);
  });

  test('with --connect-to, a name that does not resolve is only a warning', async () => {
    const { port, root } = await healthyGateway('vpn.corp.localhost');
    const dns = servers.track(await startDnsServer({}));
    const { report } = await diagnoseJson(`vpn.corp.localhost:${port}`, ['--connect-to', '127.0.0.1', '--dns-server', dns.address, '--ca-file', pemFile(dir, 'r3.pem', root), '--ntp-server', truthfulNtp], { systemDns: dns.address });
    expect(check(report, 'dns.resolve')).toMatchObject({ status: 'warn', reason: 'unresolved-with-connect-to' });
    expect(check(report, 'network.reach').status).toBe('pass');
    expect(report.verdict).toBe('warn');
  });
});

describe('tls.versions against openssl s_server', () => {
  async function versions(flags: string[]): Promise<{ report: Record<string, any>; exitCode: number | null }> {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost');
    const s = servers.track(await startOpensslServer({ dir, leaf, protocolFlags: flags }));
    const { result, report } = await diagnoseJson(`localhost:${s.port}`, ['--connect-to', '127.0.0.1', '--ca-file', pemFile(dir, `v${s.port}.pem`, root), '--ntp-server', truthfulNtp]);
    return { report, exitCode: result.exitCode };
  }
  const states = (report: Record<string, any>): Record<string, string> =>
    Object.fromEntries(Object.entries(check(report, 'tls.versions').evidence.versions as Record<string, { state: string }>).map(([k, v]) => [k, v.state]));

  test('a gateway that only speaks TLS 1.0 fails: current AnyConnect needs TLS 1.2+', async () => {
    const { report, exitCode } = await versions(['-tls1']);
    expect(states(report)).toEqual({ TLSv1: 'accepted', 'TLSv1.1': 'rejected', 'TLSv1.2': 'rejected', 'TLSv1.3': 'rejected' });
    expect(check(report, 'tls.versions')).toMatchObject({ status: 'fail', reason: 'legacy-only' });
    expect(check(report, 'tls.versions').summary).toContain('only speaks TLS 1.0');
    expect(check(report, 'tls.versions').evidence.versions.TLSv1.cipher).toMatch(/^TLS_/);
    expect(report.topCause).toBe('tls.versions');
    expect(exitCode).toBe(2);
  });

  test('a gateway that only speaks TLS 1.1 fails the same way', async () => {
    const { report } = await versions(['-tls1_1']);
    expect(states(report)).toEqual({ TLSv1: 'rejected', 'TLSv1.1': 'accepted', 'TLSv1.2': 'rejected', 'TLSv1.3': 'rejected' });
    expect(check(report, 'tls.versions')).toMatchObject({ status: 'fail', reason: 'legacy-only' });
  });

  test('a gateway that only speaks TLS 1.2 passes, with its cipher', async () => {
    const { report, exitCode } = await versions(['-tls1_2']);
    expect(states(report)).toEqual({ TLSv1: 'rejected', 'TLSv1.1': 'rejected', 'TLSv1.2': 'accepted', 'TLSv1.3': 'rejected' });
    expect(check(report, 'tls.versions')).toMatchObject({ status: 'pass', reason: 'modern' });
    expect(check(report, 'tls.versions').summary).toMatch(/this connection used TLS 1\.2 \(TLS_ECDHE_RSA_WITH_/);
    // openssl s_server does not answer AnyConnect's login request: the only warning.
    expect(check(report, 'anyconnect.gateway')).toMatchObject({ status: 'warn', reason: 'not-anyconnect' });
    expect(report.topCause).toBe('anyconnect.gateway');
    expect(exitCode).toBe(1);
  });

  test('TLS 1.2 and 1.3 pass; 1.3 is what this connection used', async () => {
    const { report } = await versions(['-no_tls1', '-no_tls1_1']);
    expect(states(report)).toEqual({ TLSv1: 'rejected', 'TLSv1.1': 'rejected', 'TLSv1.2': 'accepted', 'TLSv1.3': 'accepted' });
    expect(check(report, 'tls.versions').evidence.negotiated).toBe('TLSv1.3');
    expect(check(report, 'tls.versions').status).toBe('pass');
  });

  test('legacy versions still offered beside TLS 1.2/1.3 are a warning', async () => {
    const { report, exitCode } = await versions([]);
    expect(states(report)).toMatchObject({ TLSv1: 'accepted', 'TLSv1.1': 'accepted', 'TLSv1.2': 'accepted', 'TLSv1.3': 'accepted' });
    expect(check(report, 'tls.versions')).toMatchObject({ status: 'warn', reason: 'legacy-offered' });
    expect(check(report, 'tls.versions').summary).toContain('still accepts TLS 1.0 and TLS 1.1 besides TLS 1.2 and TLS 1.3');
    expect(exitCode).toBe(1);
  });
});

describe('clock.offset against NTP servers that lie', () => {
  async function withNtp(servers_: string[], extra: string[] = []): Promise<{ report: Record<string, any>; exitCode: number | null; durationMs: number }> {
    const { port, root } = await healthyGateway();
    const ntpArgs = servers_.flatMap((s) => ['--ntp-server', s]);
    const { result, report } = await diagnoseJson(`localhost:${port}`, ['--connect-to', '127.0.0.1', '--ca-file', pemFile(dir, `c${port}.pem`, root), ...ntpArgs, ...extra]);
    return { report, exitCode: result.exitCode, durationMs: result.durationMs };
  }

  test('a clock 10 minutes behind the time servers fails clock.offset', async () => {
    const { report, exitCode } = await withNtp([await ntpAt({ offsetMs: 600_000 }), await ntpAt({ offsetMs: 600_000 })]);
    const c = check(report, 'clock.offset');
    expect(c).toMatchObject({ status: 'fail', reason: 'skew' });
    expect(c.summary).toMatch(/^This computer’s clock is 10 minutes behind/);
    expect(c.evidence.ntp.medianOffsetMs).toBeGreaterThan(590_000);
    expect(c.evidence.ntp.usable).toBe(2);
    expect(report.topCause).toBe('clock.offset');
    expect(exitCode).toBe(2);
  });

  test('a clock 90 seconds ahead is a warning', async () => {
    const { report, exitCode } = await withNtp([await ntpAt({ offsetMs: -90_000 })]);
    expect(check(report, 'clock.offset')).toMatchObject({ status: 'warn', reason: 'skew' });
    expect(check(report, 'clock.offset').summary).toMatch(/90 seconds ahead/);
    expect(exitCode).toBe(1);
  });

  test('the median decides when one server lies', async () => {
    const { report } = await withNtp([truthfulNtp, truthfulNtp, await ntpAt({ offsetMs: 3_600_000 })]);
    const c = check(report, 'clock.offset');
    expect(c.status).toBe('pass');
    expect(c.evidence.ntp.spreadMs).toBeGreaterThan(3_500_000);
  });

  test.each(['silent', 'garbage'] as const)('a %s NTP server means the clock could not be checked: a warning, never a pass', async (behaviour) => {
    const { report, exitCode, durationMs } = await withNtp([await ntpAt({ behaviour })], ['--timeout', '4']);
    expect(check(report, 'clock.offset')).toMatchObject({ status: 'warn', reason: 'ntp-unreachable' });
    expect(check(report, 'clock.offset').summary).toContain('No time server answered');
    expect(exitCode).toBe(1);
    expect(durationMs).toBeLessThan(4000 + 1500);
  });

  test('time servers a year ahead make a valid certificate look fine only by accident: the clock fails and cert.expiry warns', async () => {
    const { report } = await withNtp([await ntpAt({ offsetMs: 365 * 86_400_000 })]);
    expect(check(report, 'clock.offset')).toMatchObject({ status: 'fail', reason: 'flips-validity' });
    expect(check(report, 'cert.expiry')).toMatchObject({ status: 'warn', reason: 'clock-hides-problem' });
    expect(report.topCause).toBe('clock.offset');
  });
});

describe('the clock as the root cause (libfaketime)', () => {
  test('a computer whose clock is a year ahead blames the clock, not the certificate', async () => {
    const { port, root } = await healthyGateway();
    const r = await runCli(
      ['-f', '+365d', process.execPath, CLI, `localhost:${port}`, '--connect-to', '127.0.0.1', '--ca-file', pemFile(dir, 'fake.pem', root), '--ntp-server', truthfulNtp, '--json', '--no-report'],
      { executable: 'faketime' },
    );
    const report = JSON.parse(r.stdout) as Record<string, any>;
    expect(new Date(report.timestamp).getTime() - Date.now()).toBeGreaterThan(360 * 86_400_000);
    expect(check(report, 'clock.offset')).toMatchObject({ status: 'fail', reason: 'flips-validity' });
    expect(check(report, 'clock.offset').summary).toMatch(/clock is 36\d days ahead/);
    expect(check(report, 'cert.expiry')).toMatchObject({ status: 'fail', reason: 'clock-skew' });
    expect(check(report, 'cert.expiry').summary).toContain('only looks expired because this computer’s clock is wrong');
    expect(report.topCause).toBe('clock.offset');
    expect(report.headline.firstStep).toContain('Set this computer’s clock from the internet');
    expect(r.exitCode).toBe(2);
  });
});

describe('the deadline', () => {
  test('with the gateway, NTP and DNS all silent, the run still ends by --timeout with a report', async () => {
    const gw = servers.track(await startSilentServer());
    const dns = servers.track(await startDnsServer({ 'vpn.corp.localhost': 'SILENT' }));
    const silentNtp = await ntpAt({ behaviour: 'silent' });
    const { result, report } = await diagnoseJson(`vpn.corp.localhost:${gw.port}`, ['--connect-to', '127.0.0.1', '--dns-server', dns.address, '--ntp-server', silentNtp, '--timeout', '3'], { systemDns: dns.address });
    expect(result.durationMs).toBeLessThan(3000 + 1000);
    expect(result.exitCode).toBe(2);
    expect(report.complete).toBe(false);
    expect(check(report, 'tls.versions')).toMatchObject({ status: 'fail', reason: 'handshake-timeout' });
    expect(check(report, 'clock.offset')).toMatchObject({ status: 'warn', reason: 'ntp-unreachable' });
    expect(check(report, 'dns.resolve')).toMatchObject({ status: 'warn', reason: 'unresolved-with-connect-to' });
    expect(report.headline.verdict).toContain('cut short');
  });
});

describe('proxy.intercept against a loopback gateway whose chain an inspection product re-signed', () => {
  /** A chain as an inspection box mints it: its own root and issuing CA, a leaf for the gateway name, no CA addresses. */
  function inspectionChain(rootName: string, org: string, issuingName: string): { root: Issued; chain: Issued[] } {
    const root = makeRoot(rootName, { o: org });
    const issuing = makeIntermediate(root, issuingName, { o: org });
    const leaf = makeLeaf(issuing, 'localhost');
    return { root, chain: [leaf, issuing] };
  }

  test('a Zscaler-issued chain fails even when its root is trusted: AnyConnect rejects re-signed chains', async () => {
    const { root, chain } = inspectionChain('Zscaler Root CA', 'Zscaler Inc.', 'Zscaler Intermediate Root CA (zscaler.net)');
    const s = servers.track(await startTlsServer({ key: chain[0]!.keyPem, chain }));
    const { result, report } = await diagnoseJson(`localhost:${s.port}`, ['--connect-to', '127.0.0.1', '--ca-file', pemFile(dir, 'zs.pem', root), '--ntp-server', truthfulNtp]);
    const p = check(report, 'proxy.intercept');
    expect(p).toMatchObject({ status: 'fail', reason: 'inspection-product' });
    expect(p.summary).toContain('re-signed by Zscaler (“Zscaler Intermediate Root CA (zscaler.net)”)');
    expect(p.summary).toContain('AnyConnect cannot confirm it is connected to your secure gateway');
    expect(p.evidence.inspection).toMatchObject({ product: 'Zscaler', kind: 'network', matched: 'issuer' });
    expect(p.fixes.map((f: { id: string }) => f.id)).toEqual(['proxy.inspection-network', 'proxy.bypass']);
    expect(report.headline.firstStep).toContain('Connect from a network that does not decrypt HTTPS');
    expect(check(report, 'cert.trust').status).toBe('pass');
    expect(report.topCause).toBe('proxy.intercept');
    expect(result.exitCode).toBe(2);
  });

  test('a FortiGate chain this computer does not trust: interception is named as the cause, before the untrusted root', async () => {
    const { chain } = inspectionChain('Fortinet_CA_SSL', 'Fortinet', 'FortiGate SSL Inspection CA');
    const s = servers.track(await startTlsServer({ key: chain[0]!.keyPem, chain }));
    const { report } = await diagnoseJson(`localhost:${s.port}`, ['--connect-to', '127.0.0.1', '--ntp-server', truthfulNtp]);
    expect(check(report, 'proxy.intercept')).toMatchObject({ status: 'fail', reason: 'inspection-product' });
    expect(check(report, 'proxy.intercept').summary).toContain('Fortinet FortiGate');
    expect(check(report, 'cert.trust').status).toBe('fail');
    expect(report.topCause).toBe('proxy.intercept');
  });

  test('antivirus HTTPS scanning (Avast) is named as software on this computer, with the user’s own fix', async () => {
    const root = makeRoot('Avast Web/Mail Shield Root', { o: 'Avast Web/Mail Shield' });
    const leaf = makeLeaf(root, 'localhost');
    const s = servers.track(await startTlsServer({ key: leaf.keyPem, chain: [leaf] }));
    const { report } = await diagnoseJson(`localhost:${s.port}`, ['--connect-to', '127.0.0.1', '--ca-file', pemFile(dir, 'avast.pem', root), '--ntp-server', truthfulNtp]);
    const p = check(report, 'proxy.intercept');
    expect(p).toMatchObject({ status: 'fail', reason: 'inspection-software' });
    expect(p.fixes[0]).toMatchObject({ id: 'proxy.av-https-scanning', actor: 'user', title: 'Exclude the VPN gateway from Avast / AVG’s HTTPS scanning' });
    expect(report.headline.firstStep).toContain('Open Avast / AVG and find its web / HTTPS (SSL) scanning settings.');
  });

  test('a proxy in the environment (Linux): a warning that AnyConnect goes through it', async () => {
    const { port, root } = await healthyGateway();
    const { result, report } = await diagnoseJson(`localhost:${port}`, ['--connect-to', '127.0.0.1', '--ca-file', pemFile(dir, 'px.pem', root), '--ntp-server', truthfulNtp], {
      env: { https_proxy: 'http://proxy.corp.example:3128' },
    });
    const p = check(report, 'proxy.intercept');
    expect(p).toMatchObject({ status: 'warn', reason: 'system-proxy' });
    expect(p.summary).toContain('A proxy is set on this computer (http://proxy.corp.example:3128');
    expect(p.evidence.inspection).toBeNull();
    expect(result.exitCode).toBe(1);
  });

  test('no_proxy naming the gateway: the proxy is not used for it, and proxy.intercept passes', async () => {
    const { port, root } = await healthyGateway();
    const { report } = await diagnoseJson(`localhost:${port}`, ['--connect-to', '127.0.0.1', '--ca-file', pemFile(dir, 'np.pem', root), '--ntp-server', truthfulNtp], {
      env: { https_proxy: 'http://proxy.corp.example:3128', no_proxy: 'localhost,127.0.0.1' },
    });
    expect(check(report, 'proxy.intercept')).toMatchObject({ status: 'pass', reason: 'proxy-bypassed', evidence: { bypassedBy: 'localhost' } });
  });
});

describe('dns.resolve: each query timed', () => {
  test('the system resolver’s A and AAAA lookups are reported with their own times', async () => {
    const { port, root } = await healthyGateway('vpn.corp.localhost');
    const system = servers.track(await startDnsServer({ 'vpn.corp.localhost': { a: ['127.0.0.1'] } }));
    const { report } = await diagnoseJson(`vpn.corp.localhost:${port}`, ['--ca-file', pemFile(dir, 'q.pem', root), '--ntp-server', truthfulNtp], { systemDns: system.address });
    const d = check(report, 'dns.resolve');
    expect(d.status).toBe('pass');
    expect(d.evidence.system.queries.map((q: { type: string }) => q.type)).toEqual(['A', 'AAAA']);
    expect(d.details[0]).toMatch(/^this computer’s DNS: A 127\.0\.0\.1 \(\d+ ms\); AAAA NODATA \(\d+ ms\)\.$/);
  });
});
