/**
 * The SNTP probe on its own, against loopback peers: a name that does not resolve
 * must end as a finding, never take the process down.
 */
import { Resolver } from 'node:dns';
import type { SocketOptions } from 'node:dgram';
import { isIP } from 'node:net';
import { queryNtp } from '../../src/probes/ntp';
import { startDnsServer } from '../helpers/dns-server';
import { Servers, startNtpServer } from '../helpers/servers';

const servers = new Servers();
afterAll(() => servers.closeAll());

test('a time server name that does not resolve is reported as unresolved', async () => {
  // The name is looked up through a loopback DNS server that answers NXDOMAIN: no query leaves this machine.
  const dns = servers.track(await startDnsServer({ 'no-such-time-server.invalid': 'NXDOMAIN' }));
  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([dns.address]);
  // An address (the socket's own, 0.0.0.0) is no name: it is used as it is, as dns.lookup does.
  const lookup: SocketOptions['lookup'] = (host, _opts, cb) =>
    isIP(host) ? cb(null, host, isIP(host)) : resolver.resolve4(host, (err, addresses) => (err ? cb(err, '', 4) : cb(null, addresses[0]!, 4)));
  const r = await queryNtp({ host: 'no-such-time-server.invalid', port: 123 }, 3000, new AbortController().signal, undefined, lookup);
  expect(r).toEqual({ server: 'no-such-time-server.invalid', sample: null, error: { code: 'unresolved', message: 'Error: queryA ENOTFOUND no-such-time-server.invalid' } });
  expect(dns.queries).toEqual(['A no-such-time-server.invalid']);
});

test('a truthful loopback server gives a sample close to zero offset', async () => {
  const s = servers.track(await startNtpServer());
  const r = await queryNtp({ host: '127.0.0.1', port: s.port }, 3000, new AbortController().signal);
  expect(r.error).toBeNull();
  expect(Math.abs(r.sample!.offsetMs)).toBeLessThan(1000);
});

test('a time budget with a fraction of a millisecond is still a timeout, not a crash of the probe', async () => {
  const s = servers.track(await startNtpServer({ behaviour: 'silent' }));
  const r = await queryNtp({ host: '127.0.0.1', port: s.port }, 120.6, new AbortController().signal);
  expect(r.error?.code).toBe('timeout');
});
