/**
 * DNS servers that answer badly. dns.resolve must end with the right status and reason,
 * inside the deadline, whatever the answer holds.
 */
import { startDnsServer, type DnsBehaviour } from '../helpers/dns-server';
import { Servers, closedPort, startNtpServer } from '../helpers/servers';
import { check } from '../helpers/cli';
import { expectCalm, runHostile, type HostileRun } from './harness';

const servers = new Servers();
let ntp: string;
beforeAll(async () => {
  ntp = `127.0.0.1:${servers.track(await startNtpServer()).port}`;
});
afterAll(() => servers.closeAll());

async function resolveThrough(behaviour: DnsBehaviour, gateway = 'vpn.corp.localhost'): Promise<{ run: HostileRun; server: string; queries: string[] }> {
  const dns = servers.track(await startDnsServer({ 'vpn.corp.localhost': behaviour }));
  // A .localhost name: the tool asks no DNS server of this computer's configuration for it,
  // and this computer's resolver is played by a loopback server (NXDOMAIN): no query leaves the machine.
  const run = await runHostile(gateway, ['--dns-server', dns.address, '--ntp-server', ntp], 4);
  expectCalm(run, 4);
  return { run, server: dns.address, queries: dns.queries };
}

test.concurrent('a truncated answer (and no DNS over TCP behind it): the name could not be looked up', async () => {
  const { run, server } = await resolveThrough('TRUNCATED');
  const c = check(run.report, 'dns.resolve');
  expect(c).toMatchObject({ status: 'fail', reason: 'unreachable' });
  expect(c.evidence.direct[0]).toMatchObject({ resolver: server, a: [], error: { code: 'UNREACHABLE' } });
  expect(check(run.report, 'network.reach')).toMatchObject({ status: 'skip', reason: 'dependency' });
  expect(run.result.exitCode).toBe(2);
});

test.concurrent('a malformed answer (counts that lie about the records): BADRESP, said plainly', async () => {
  const { run } = await resolveThrough('MALFORMED');
  const c = check(run.report, 'dns.resolve');
  expect(c).toMatchObject({ status: 'fail', reason: 'badresp', summary: 'The name vpn.corp.localhost could not be looked up (the DNS answer was malformed (EBADRESP)).' });
  expect(run.report.topCause).toBe('dns.resolve');
});

test.concurrent('a huge answer (200 A records) is read whole, and the run still ends in time', async () => {
  // Every address is loopback, on a port where nothing listens: the connection attempts stay on this machine.
  const { run, server } = await resolveThrough('HUGE', `vpn.corp.localhost:${await closedPort()}`);
  const c = check(run.report, 'dns.resolve');
  const direct = c.evidence.direct.find((d: { resolver: string }) => d.resolver === server);
  expect(direct.a).toHaveLength(200);
  expect(direct.a[199]).toBe('127.0.0.200');
  expect(c).toMatchObject({ status: 'warn', reason: 'private-unreachable' });
  expect(c.summary).toBe('vpn.corp.localhost resolves to 127.0.0.1, this computer’s own (loopback) address, which could not be reached from here.');
  // Only a few of them are tried: the connection never walks through all 200.
  const reach = check(run.report, 'network.reach');
  expect(reach).toMatchObject({ status: 'fail', reason: 'refused' });
  expect(reach.evidence.attempts.map((a: { address: string }) => a.address)).toEqual(['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4']);
  expect(run.result.exitCode).toBe(2);
});

test.concurrent('a CNAME loop with no address: NODATA, the name has no address record', async () => {
  const { run, queries } = await resolveThrough('CNAME-LOOP');
  expect(check(run.report, 'dns.resolve')).toMatchObject({ status: 'fail', reason: 'nodata', summary: 'The name vpn.corp.localhost could not be looked up (no A or AAAA records).' });
  // One question each for A and AAAA: the loop is not chased.
  expect(queries.sort()).toEqual(['A vpn.corp.localhost', 'AAAA vpn.corp.localhost']);
});
