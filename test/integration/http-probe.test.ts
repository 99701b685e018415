/**
 * The bounded HTTP fetch used for OCSP, CRL and AIA, against loopback peers: whatever
 * budget the deadline leaves (fractions of a millisecond included) ends as a timeout.
 */
import { fetchUrl, fetchScopesFor } from '../../src/probes/http';
import { Servers, startSilentServer } from '../helpers/servers';

const servers = new Servers();
afterAll(() => servers.closeAll());

test('a silent server with a fractional time budget is a timeout', async () => {
  const s = servers.track(await startSilentServer());
  await expect(
    fetchUrl(`http://127.0.0.1:${s.port}/x.crl`, {
      maxBytes: 1024,
      maxRedirects: 0,
      timeoutMs: 150.4,
      signal: new AbortController().signal,
      allowScopes: fetchScopesFor('127.0.0.1'),
    }),
  ).rejects.toMatchObject({ code: 'timeout' });
});
