/**
 * The SNTP probe on its own, against loopback peers: a name that does not resolve
 * must end as a finding, never take the process down.
 */
import { queryNtp } from '../../src/probes/ntp';
import { Servers, startNtpServer } from '../helpers/servers';

const servers = new Servers();
afterAll(() => servers.closeAll());

test('a time server name that does not resolve is reported as unresolved', async () => {
  // This worker's lookups go to a loopback DNS server that knows only localhost
  // (test/helpers/in-process-dns.ts): no query leaves this machine.
  const r = await queryNtp({ host: 'no-such-time-server.invalid', port: 123 }, 3000, new AbortController().signal);
  expect(r).toEqual({ server: 'no-such-time-server.invalid', sample: null, error: { code: 'unresolved', message: 'Error: queryA ENOTFOUND no-such-time-server.invalid' } });
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
