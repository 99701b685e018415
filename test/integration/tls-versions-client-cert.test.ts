/**
 * tls.versions against gateways that require a client certificate (Node's TLS server
 * with requestCert + rejectUnauthorized, as an ASA or ocserv with certificate-only
 * login). The probe sends none, so the server ends the handshake after its
 * CertificateRequest: that handshake still proves the version was accepted.
 */
import { check } from '../helpers/cli';
import { startOpensslServer } from '../helpers/openssl';
import { makeRoot, standardChain } from '../helpers/pki';
import { diagnoseJson, pemFile, tempDir } from '../helpers/scenario';
import { Servers, startNtpServer, startTlsServer } from '../helpers/servers';
import type * as tls from 'node:tls';

const servers = new Servers();
const dir = tempDir();
afterAll(() => servers.closeAll());

async function requireClientCert(minVersion: tls.SecureVersion, maxVersion: tls.SecureVersion, server: 'node' | 'openssl' = 'node'): Promise<Record<string, any>> {
  const { root, intermediate, leaf } = standardChain('localhost');
  const userCa = makeRoot('Example Corp User CA');
  const gw = servers.track(
    server === 'node'
      ? await startTlsServer({ key: leaf.keyPem, chain: [leaf, intermediate], minVersion, maxVersion, requestCert: [userCa], requireCert: true })
      : // OpenSSL's own server, refusing a client without a certificate (-Verify), TLS 1.2 only.
        await startOpensslServer({ dir, leaf, chain: [intermediate], protocolFlags: ['-tls1_2'], extraArgs: ['-Verify', '1'] }),
  );
  const ntp = servers.track(await startNtpServer());
  const { report } = await diagnoseJson(`localhost:${gw.port}`, [
    '--connect-to', '127.0.0.1',
    '--ca-file', pemFile(dir, `root-${gw.port}.pem`, root),
    '--ntp-server', `127.0.0.1:${ntp.port}`,
  ]);
  return report;
}

describe('tls.versions when the gateway requires a client certificate', () => {
  test('TLS 1.2 only: TLS 1.2 is accepted (the handshake reached the certificate request), 1.0/1.1 rejected, and the check passes', async () => {
    const report = await requireClientCert('TLSv1.2', 'TLSv1.2');
    const v = check(report, 'tls.versions');
    expect(v.evidence.versions['TLSv1.2']).toMatchObject({ state: 'accepted' });
    expect(v.evidence.versions['TLSv1']).toMatchObject({ state: 'rejected' });
    expect(v.evidence.versions['TLSv1.1']).toMatchObject({ state: 'rejected' });
    expect(v.evidence.versions['TLSv1.3']).toMatchObject({ state: 'rejected' });
    expect(v).toMatchObject({ status: 'pass', reason: 'modern' });
    // The cipher the gateway chose is known although the handshake did not complete.
    expect(v.evidence.versions['TLSv1.2'].cipher).toMatch(/^TLS_ECDHE_RSA_WITH_/);
    expect(v.summary).toMatch(/this connection used TLS 1\.2 \(TLS_ECDHE_RSA_WITH_\w+\)/);
    // The certificate request itself is what anyconnect.client-cert reports on.
    expect(check(report, 'anyconnect.client-cert').evidence.requested).toBe(true);
    expectRefusedWithoutCertificate(report);
  });

  test('TLS 1.2 from openssl s_server -Verify: the handshake_failure after the certificate request is read as the demand for a certificate', async () => {
    const report = await requireClientCert('TLSv1.2', 'TLSv1.2', 'openssl');
    const v = check(report, 'tls.versions');
    expect(v.evidence.versions['TLSv1.2']).toMatchObject({ state: 'accepted', reason: 'the handshake reached client-certificate authentication; the gateway ended it because none was sent' });
    expect(v).toMatchObject({ status: 'pass', reason: 'modern' });
    expectRefusedWithoutCertificate(report);
  });

  test('TLS 1.2 and 1.3: both accepted, and the check passes', async () => {
    const report = await requireClientCert('TLSv1.2', 'TLSv1.3');
    const v = check(report, 'tls.versions');
    expect(v.evidence.versions['TLSv1.2']).toMatchObject({ state: 'accepted' });
    expect(v.evidence.versions['TLSv1.3']).toMatchObject({ state: 'accepted' });
    expect(v.evidence.versions['TLSv1.3'].cipher).toMatch(/^TLS_AES_|^TLS_CHACHA20_/);
    expect(v).toMatchObject({ status: 'pass', reason: 'modern' });
    expectRefusedWithoutCertificate(report);
  });
});

/**
 * What the user sees of a gateway that ends the handshake because no client certificate came
 * (TLS 1.2: a handshake_failure alert after its CertificateRequest; TLS 1.3: certificate_required):
 * the login request is not sent, for that reason, and the certificate is reported as required.
 */
function expectRefusedWithoutCertificate(report: Record<string, any>): void {
  expect(check(report, 'tls.versions').evidence.failure).toMatchObject({ kind: 'certificate-required' });
  expect(check(report, 'anyconnect.gateway')).toMatchObject({ status: 'skip', reason: 'client-cert-required' });
  const c = check(report, 'anyconnect.client-cert');
  expect(c.evidence.requestedBy).toMatchObject({ tlsHandshake: true, handshakeRefusedWithout: true });
  expect(c.status).toBe('fail');
}
