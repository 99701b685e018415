/**
 * AnyConnect's own PEM store (~/.cisco/certificates/ca) on Linux, through the real CLI
 * with a temporary home folder: the client verifies with its bundled OpenSSL, which ends
 * a path only at a self-signed certificate, so an intermediate in that folder helps build
 * the chain but is not a trust anchor — the same rule as the system stores.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { check } from '../helpers/cli';
import { standardChain, type Issued } from '../helpers/pki';
import { diagnoseJson, tempDir } from '../helpers/scenario';
import { Servers, startNtpServer, startTlsServer } from '../helpers/servers';

const servers = new Servers();
afterAll(() => servers.closeAll());

/** A home folder whose ~/.cisco/certificates/ca holds these certificates. */
function homeWithCiscoStore(certs: readonly Issued[]): string {
  const home = tempDir('vpf-home-');
  const store = path.join(home, '.cisco', 'certificates', 'ca');
  mkdirSync(store, { recursive: true });
  certs.forEach((c, i) => writeFileSync(path.join(store, `cert-${i}.pem`), c.pem));
  return home;
}

async function diagnose(chainSent: 'leaf' | 'leaf+intermediate', inStore: (pki: ReturnType<typeof standardChain>) => Issued[]): Promise<Record<string, any>> {
  const pki = standardChain('localhost');
  const gateway = servers.track(await startTlsServer({ key: pki.leaf.keyPem, chain: chainSent === 'leaf' ? [pki.leaf] : [pki.leaf, pki.intermediate] }));
  const ntp = servers.track(await startNtpServer());
  const { report } = await diagnoseJson(`localhost:${gateway.port}`, ['--connect-to', '127.0.0.1', '--ntp-server', `127.0.0.1:${ntp.port}`], {
    env: { HOME: homeWithCiscoStore(inStore(pki)) },
  });
  return report;
}

describe('~/.cisco/certificates/ca', () => {
  test('an intermediate there is not a trust anchor: the unknown root is still a cert.trust failure', async () => {
    const report = await diagnose('leaf+intermediate', (p) => [p.intermediate]);
    expect(check(report, 'cert.trust')).toMatchObject({ status: 'fail', reason: 'unknown-issuer' });
    expect(check(report, 'cert.trust').summary).toContain('Test Root CA');
  });

  test('an intermediate there still completes a chain the gateway sent without it; the root stays missing', async () => {
    const report = await diagnose('leaf', (p) => [p.intermediate]);
    const chain = check(report, 'cert.chain');
    expect(chain).toMatchObject({ status: 'fail', reason: 'missing-intermediate' });
    expect(chain.summary).toContain('~/.cisco/certificates/ca');
    expect(check(report, 'cert.trust')).toMatchObject({ status: 'fail', reason: 'unknown-issuer' });
  });

  test('the root there is a trust anchor, named by its folder', async () => {
    const report = await diagnose('leaf+intermediate', (p) => [p.root]);
    const trust = check(report, 'cert.trust');
    expect(trust).toMatchObject({ status: 'pass', reason: 'trusted' });
    expect(trust.evidence.anchor.stores).toEqual(['~/.cisco/certificates/ca']);
  });
});
