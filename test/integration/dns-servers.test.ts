/**
 * Several `--dns-server`s: the connection starts as soon as one of them answers with
 * addresses, and a server that stays silent never holds the run for its own timeout,
 * while the DNS evidence still names every server and what it did.
 */
import { check } from '../helpers/cli';
import { resolveDirect } from '../../src/probes/dns';
import { startDnsServer } from '../helpers/dns-server';
import { standardChain } from '../helpers/pki';
import { diagnoseJson, pemFile, tempDir } from '../helpers/scenario';
import { Servers, startNtpServer, startTlsServer } from '../helpers/servers';

const servers = new Servers();
const dir = tempDir();
afterAll(() => servers.closeAll());

/** How long a direct DNS query may take before it counts as a timeout (src/preflight.ts). */
const PER_QUERY_BOUND_MS = 4000;

async function gateway(host: string): Promise<{ port: number; caFile: string; ntp: string }> {
  const { root, intermediate, leaf } = standardChain(host);
  const tls = servers.track(await startTlsServer({ key: leaf.keyPem, chain: [leaf, intermediate] }));
  const ntp = servers.track(await startNtpServer());
  return { port: tls.port, caFile: pemFile(dir, `${host}-${tls.port}.pem`, root), ntp: `127.0.0.1:${ntp.port}` };
}

describe('several --dns-server', () => {
  test('a silent first server does not hold the run: the second one’s answer is used at once, and the silent one is reported', async () => {
    const { port, caFile, ntp } = await gateway('vpn.corp.test');
    const silent = servers.track(await startDnsServer({ 'vpn.corp.test': 'SILENT' }));
    const good = servers.track(await startDnsServer({ 'vpn.corp.test': { a: ['127.0.0.1'] } }));
    const { result, report } = await diagnoseJson(`vpn.corp.test:${port}`, [
      '--dns-server', silent.address,
      '--dns-server', good.address,
      '--ca-file', caFile,
      '--ntp-server', ntp,
      '--timeout', '10',
    ]);
    // Before the fix the run waited for the silent server's whole bound before connecting.
    expect(result.durationMs).toBeLessThan(PER_QUERY_BOUND_MS);
    const dns = check(report, 'dns.resolve');
    expect(dns.evidence.addresses).toEqual(['127.0.0.1']);
    expect(dns.evidence.direct.map((a: { resolver: string }) => a.resolver)).toEqual([silent.address, good.address]);
    expect(dns.evidence.direct[0]).toMatchObject({ resolver: silent.address, a: [], error: { code: 'TIMEOUT' } });
    expect(dns.evidence.direct[0].ms).toBeLessThan(PER_QUERY_BOUND_MS);
    expect(dns.evidence.direct[1]).toMatchObject({ resolver: good.address, a: ['127.0.0.1'], error: null });
    // The silent server is named for the helpdesk.
    expect(dns.summary).toContain(`${silent.address}: TIMEOUT`);
    expect(silent.queries).toEqual(expect.arrayContaining(['A vpn.corp.test']));
    expect(check(report, 'network.reach')).toMatchObject({ status: 'pass' });
    expect(check(report, 'cert.trust')).toMatchObject({ status: 'pass' });
    expect(report.gateway.addresses).toEqual(['127.0.0.1']);
  });

  test('NXDOMAIN from the first and an answer from the second: the second one’s addresses are used', async () => {
    const { port, caFile, ntp } = await gateway('vpn3.corp.test');
    const nx = servers.track(await startDnsServer({ 'vpn3.corp.test': 'NXDOMAIN' }));
    const good = servers.track(await startDnsServer({ 'vpn3.corp.test': { a: ['127.0.0.1'] } }));
    const { report } = await diagnoseJson(`vpn3.corp.test:${port}`, [
      '--dns-server', nx.address,
      '--dns-server', good.address,
      '--ca-file', caFile,
      '--ntp-server', ntp,
    ]);
    const dns = check(report, 'dns.resolve');
    expect(dns.evidence.direct[0]).toMatchObject({ resolver: nx.address, error: { code: 'NXDOMAIN' } });
    expect(dns.evidence.addresses).toEqual(['127.0.0.1']);
    expect(check(report, 'network.reach')).toMatchObject({ status: 'pass' });
  });

  test('every server silent: dns.resolve fails with a timeout within the per-query bound', async () => {
    const a = servers.track(await startDnsServer({ 'vpn4.corp.test': 'SILENT' }));
    const b = servers.track(await startDnsServer({ 'vpn4.corp.test': 'SILENT' }));
    const ntp = servers.track(await startNtpServer());
    const { result, report } = await diagnoseJson('vpn4.corp.test', ['--dns-server', a.address, '--dns-server', b.address, '--ntp-server', `127.0.0.1:${ntp.port}`, '--timeout', '10']);
    expect(check(report, 'dns.resolve')).toMatchObject({ status: 'fail', reason: 'timeout' });
    expect(check(report, 'dns.resolve').evidence.direct.map((x: { error: { code: string } }) => x.error.code)).toEqual(['TIMEOUT', 'TIMEOUT']);
    expect(result.exitCode).toBe(2);
  });
});

describe('a silent --dns-server beside one that answers', () => {
  test('is named in the findings, not taken for a disagreement', async () => {
    const { port, caFile, ntp } = await gateway('localhost');
    const silent = servers.track(await startDnsServer({ localhost: 'SILENT' }));
    const good = servers.track(await startDnsServer({ localhost: { a: ['127.0.0.1'] } }));
    const { report } = await diagnoseJson(`localhost:${port}`, ['--dns-server', good.address, '--dns-server', silent.address, '--ca-file', caFile, '--ntp-server', ntp, '--timeout', '10']);
    const dns = check(report, 'dns.resolve');
    expect(dns.reason).not.toBe('resolvers-disagree');
    expect(dns.details).toContain(`No answer from ${silent.address} (TIMEOUT); the other DNS servers answered.`);
  });
});

describe('a name one address family does not find', () => {
  test('an IPv4-only name: the AAAA lookup is NODATA, not NXDOMAIN, and the name resolves', async () => {
    // The server answers AAAA with no record (NOERROR, empty), as real servers do.
    const dns = servers.track(await startDnsServer({ 'v4only.corp.test': { byType: { A: { a: ['192.0.2.7'] } } } }));
    const answer = await resolveDirect('v4only.corp.test', dns.address, 2000, new AbortController().signal);
    expect(answer).toMatchObject({ a: ['192.0.2.7'], aaaa: [], error: null });
    expect(answer.queries?.find((q) => q.type === 'AAAA')?.error).toMatchObject({ code: 'NODATA' });
  });

  test('SERVFAIL for A and no record for AAAA: dns.resolve says SERVFAIL, never that the name does not exist', async () => {
    const dns = servers.track(await startDnsServer({ 'half.corp.test': { byType: { A: 'SERVFAIL' } } }));
    const ntp = servers.track(await startNtpServer());
    const { report } = await diagnoseJson('half.corp.test', ['--dns-server', dns.address, '--ntp-server', `127.0.0.1:${ntp.port}`, '--timeout', '10']);
    const c = check(report, 'dns.resolve');
    expect(c).toMatchObject({ status: 'fail', reason: 'servfail' });
    expect(c.evidence.direct[0]).toMatchObject({ resolver: dns.address, error: { code: 'SERVFAIL' } });
    expect(c.summary).not.toContain('NXDOMAIN');
  });

  test('a mistyped name on a network that drops AAAA queries: still NXDOMAIN, never a timeout', async () => {
    const dns = servers.track(await startDnsServer({ 'typo-vpn.corp.test': { byType: { A: 'NXDOMAIN', AAAA: 'SILENT' } } }));
    const answer = await resolveDirect('typo-vpn.corp.test', dns.address, 500, new AbortController().signal);
    expect(answer.error).toMatchObject({ code: 'NXDOMAIN' });
    expect(answer.queries?.find((q) => q.type === 'A')?.error).toMatchObject({ code: 'NXDOMAIN' });
  });

  test('both families not found: NXDOMAIN, the name does not exist', async () => {
    const dns = servers.track(await startDnsServer({ 'gone.corp.test': 'NXDOMAIN' }));
    const answer = await resolveDirect('gone.corp.test', dns.address, 2000, new AbortController().signal);
    expect(answer.error).toMatchObject({ code: 'NXDOMAIN' });
    expect(answer.queries?.map((q) => q.error?.code)).toEqual(['NXDOMAIN', 'NXDOMAIN']);
  });
});
