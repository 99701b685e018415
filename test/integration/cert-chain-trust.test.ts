/**
 * cert.chain and cert.trust together on chains whose top is not on this computer.
 * cert.chain judges what the gateway sends: a gateway sends its certificate and the
 * intermediates, never needs to send the root. cert.trust judges the anchor. So a
 * leaf + intermediate chain whose root is unknown is a trust problem, and a chain problem
 * only when the intermediate's AIA shows that a further intermediate is missing.
 */
import { check } from '../helpers/cli';
import { makeIntermediate, makeLeaf, makeRoot, type Issued } from '../helpers/pki';
import { diagnoseJson, pemFile, tempDir } from '../helpers/scenario';
import { Servers, startHttpServer, startNtpServer, startTlsServer } from '../helpers/servers';

const servers = new Servers();
const dir = tempDir();
let ntpArg: string[];

beforeAll(async () => {
  const ntp = servers.track(await startNtpServer());
  ntpArg = ['--ntp-server', `127.0.0.1:${ntp.port}`];
});
afterAll(() => servers.closeAll());

async function diagnose(chain: Issued[], trusted: Issued | null): Promise<{ exitCode: number | null; report: Record<string, any> }> {
  const gw = servers.track(await startTlsServer({ key: chain[0]!.keyPem, chain }));
  const ca = trusted ? ['--ca-file', pemFile(dir, `anchor-${gw.port}.pem`, trusted)] : [];
  const { result, report } = await diagnoseJson(`localhost:${gw.port}`, ['--connect-to', '127.0.0.1', ...ca, ...ntpArg]);
  return { exitCode: result.exitCode, report };
}

/** An HTTP server that serves one certificate (DER) at /ca.cer. */
async function aiaServing(cert: Issued): Promise<string> {
  const http = servers.track(
    await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pkix-cert' });
      res.end(cert.der);
    }),
  );
  return http.url('/ca.cer');
}

describe('a chain of leaf and intermediate whose root is not on this computer', () => {
  test('no AIA on the intermediate: the chain passes (the gateway sent what it should) and trust fails, naming the root it stops below', async () => {
    const root = makeRoot('Corp Private Root CA');
    const intermediate = makeIntermediate(root, 'Corp Issuing CA');
    const leaf = makeLeaf(intermediate, 'localhost');
    const { exitCode, report } = await diagnose([leaf, intermediate], null);
    const chain = check(report, 'cert.chain');
    expect(chain).toMatchObject({ status: 'pass', reason: 'complete' });
    expect(chain.details).toEqual(expect.arrayContaining([expect.stringContaining('“Corp Issuing CA”, is issued by “Corp Private Root CA”, which the gateway does not send')]));
    const trust = check(report, 'cert.trust');
    expect(trust).toMatchObject({ status: 'fail', reason: 'unknown-issuer' });
    expect(trust.summary).toContain('stops at a certificate issued by “Corp Private Root CA”');
    expect(trust.summary).not.toContain('cannot be completed');
    expect(trust.fixes.map((f: { id: string }) => f.id)).toEqual(['trust.install-root', 'admin.public-ca']);
    expect(report.topCause).toBe('cert.trust');
    expect(exitCode).toBe(2);
  });

  test('the intermediate’s AIA serves the root: still only a trust problem, and the root is named as such', async () => {
    const root = makeRoot('Corp Private Root CA');
    const intermediate = makeIntermediate(root, 'Corp Issuing CA', { aiaCaIssuers: [await aiaServing(root)] });
    const leaf = makeLeaf(intermediate, 'localhost');
    const { report } = await diagnose([leaf, intermediate], null);
    expect(check(report, 'cert.chain')).toMatchObject({ status: 'pass', reason: 'complete' });
    expect(check(report, 'cert.trust')).toMatchObject({ status: 'fail', reason: 'unknown-root' });
    expect(check(report, 'cert.trust').summary).toContain('the root “Corp Private Root CA”');
    expect(report.topCause).toBe('cert.trust');
  });

  test('the intermediate’s AIA serves a further intermediate: the gateway omits it, a chain failure, though the root is trusted', async () => {
    const root = makeRoot('Corp Private Root CA');
    const policyCa = makeIntermediate(root, 'Corp Policy CA');
    const issuing = makeIntermediate(policyCa, 'Corp Issuing CA', { aiaCaIssuers: [await aiaServing(policyCa)] });
    const leaf = makeLeaf(issuing, 'localhost');
    const { exitCode, report } = await diagnose([leaf, issuing], root);
    const chain = check(report, 'cert.chain');
    expect(chain).toMatchObject({ status: 'fail', reason: 'missing-intermediate' });
    expect(chain.summary).toContain('does not send the intermediate certificate “Corp Policy CA”');
    expect(check(report, 'cert.trust')).toMatchObject({ status: 'pass' });
    expect(report.topCause).toBe('cert.chain');
    expect(exitCode).toBe(2);
  });
});

describe('a gateway that sends only its own certificate', () => {
  test('whose issuer is unknown: cert.chain cannot tell a missing intermediate from a missing root, and cert.trust says the chain cannot be completed', async () => {
    const root = makeRoot('Corp Private Root CA');
    const intermediate = makeIntermediate(root, 'Corp Issuing CA');
    const leaf = makeLeaf(intermediate, 'localhost');
    const { report } = await diagnose([leaf], null);
    expect(check(report, 'cert.chain')).toMatchObject({ status: 'warn', reason: 'issuer-unknown' });
    expect(check(report, 'cert.chain').summary).toContain('Either the gateway omits an intermediate, or “Corp Issuing CA” is a private root');
    expect(check(report, 'cert.trust')).toMatchObject({ status: 'fail', reason: 'unknown-issuer' });
    expect(check(report, 'cert.trust').summary).toContain('cannot be completed: the issuer “Corp Issuing CA”');
  });
});
