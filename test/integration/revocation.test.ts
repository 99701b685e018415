/**
 * Revocation and missing intermediates end to end: the real CLI against a TLS gateway on
 * loopback whose certificates (made per test) point at OCSP responders, CRLs and AIA
 * URLs that are also on loopback — `openssl ocsp`, `openssl s_server -status_file`, and
 * small HTTP servers that answer right, wrong, late or never. The gateway is reached
 * with --connect-to 127.0.0.1, which is what lets the tool fetch from loopback.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Report } from '../../src/report/model';
import { renderText } from '../../src/report/text';
import { check, runCli } from '../helpers/cli';
import { crlPem, makeCrl } from '../helpers/crl';
import { ocspResponse, startOcspResponder, startOpensslOcsp, type OcspAnswerSpec } from '../helpers/ocsp';
import { startOpensslServer } from '../helpers/openssl';
import { makeIntermediate, makeLeaf, makeRoot, newKey, type CertOptions, type Issued } from '../helpers/pki';
import { diagnoseJson, pemFile, tempDir } from '../helpers/scenario';
import { Servers, closedPort, startHttpServer, startNtpServer, startSilentServer, startTlsServer } from '../helpers/servers';

const servers = new Servers();
const dir = tempDir('vpf-rev-');
let ntpArg: string[];

beforeAll(async () => {
  const ntp = servers.track(await startNtpServer({ offsetMs: 0 }));
  ntpArg = ['--ntp-server', `127.0.0.1:${ntp.port}`];
});
afterAll(() => servers.closeAll());

/** root → intermediate → leaf ("localhost"), with the leaf's revocation pointers as given. */
function pki(leafOpts: CertOptions = {}, intOpts: CertOptions = {}): { root: Issued; int: Issued; leaf: Issued } {
  const root = makeRoot();
  const int = makeIntermediate(root, 'Test Intermediate CA', intOpts);
  const leaf = makeLeaf(int, 'localhost', leafOpts);
  return { root, int, leaf };
}

async function gateway(leaf: Issued, chain: Issued[]): Promise<number> {
  return servers.track(await startTlsServer({ key: leaf.keyPem, chain })).port;
}

async function diagnose(port: number, root: Issued, more: string[] = []) {
  const timeout = more.includes('--timeout') ? [] : ['--timeout', '10'];
  return diagnoseJson(`localhost:${port}`, ['--connect-to', '127.0.0.1', '--ca-file', pemFile(dir, `root-${port}.pem`, root), ...ntpArg, ...timeout, ...more]);
}

async function text(port: number, root: Issued, more: string[] = []) {
  return runCli([`localhost:${port}`, '--connect-to', '127.0.0.1', '--ca-file', pemFile(dir, `root-t-${port}.pem`, root), ...ntpArg, '--timeout', '10', '--no-report', ...more]);
}

/**
 * The same report as the text renderer shows it: the check's line with its mark and, when
 * it did not pass, its summary, details and every fix under the name of who acts.
 */
function expectTextReport(report: Record<string, any>, id: string): void {
  const text = renderText(report as unknown as Report, { color: false, width: 100 });
  const fold = (x: string): string => x.replace(/\s+/g, ' ');
  const c = check(report, id);
  const mark = ({ pass: '✔', warn: '!', fail: '✖', skip: '–', error: '?' } as Record<string, string>)[c.status];
  expect(text).toContain(`${mark} ${c.title} `);
  if (c.status === 'pass') return;
  const words = fold(text);
  expect(words).toContain(`${mark} ${c.title} [${id}] ${fold(c.summary)}`);
  for (const d of c.details) expect(words).toContain(fold(d));
  // Fixes are listed under who must act: the user's first, then IT's / the gateway admin's.
  const userPart = words.slice(words.indexOf('What you can do'), words.indexOf('What IT / the gateway admin must do'));
  const adminPart = words.slice(words.indexOf('What IT / the gateway admin must do'));
  for (const f of c.fixes) expect(f.actor === 'user' ? userPart : adminPart).toContain(`• ${f.title}`);
}

const fixesOf = (c: Record<string, any>): string[] => c.fixes.map((f: { actor: string; id: string }) => `${f.actor}:${f.id}`);

/** A responder built in the helpers, answering per serial; the map is filled once the leaf exists. */
async function helperResponder(issuer: Issued, extra: Partial<Parameters<typeof startOcspResponder>[0]> = {}) {
  const answers = new Map<string, OcspAnswerSpec>();
  const responder = servers.track(await startOcspResponder({ issuer, answers, ...extra }));
  return { answers, responder };
}

describe('OCSP responder named in the certificate (openssl ocsp)', () => {
  test('good: cert.revocation passes and names the responder (exit 0)', async () => {
    const port0 = await closedPort();
    const url = `http://127.0.0.1:${port0}/`;
    const { root, int, leaf } = pki({ aiaOcsp: [url] });
    servers.track(await startOpensslOcsp({ dir, port: port0, ca: int, entries: [{ cert: leaf }] }));
    const port = await gateway(leaf, [leaf, int]);
    const { result, report } = await diagnose(port, root);
    const c = check(report, 'cert.revocation');
    expectTextReport(report, 'cert.revocation');
    expect(c).toMatchObject({ status: 'pass', reason: 'good' });
    expect(c.summary).toBe('Not revoked: the CA’s OCSP responder confirms the gateway’s certificate (1 certificate checked in all).');
    expect(c.details[0]).toBe(`“localhost” (the gateway’s certificate): not revoked, according to the CA’s OCSP responder (${url}).`);
    expect(c.details[1]).toBe('“Test Intermediate CA” (the intermediate certificate) names no OCSP responder or revocation list; it was not checked.');
    expect(c.details).toContain(
      'AnyConnect only checks revocation when its local policy turns it on (OCSPRevocation or EnableCRLCheck in AnyConnectLocalPolicy.xml); web browsers and the operating system may check it anyway.',
    );
    expect(c.evidence).toMatchObject({ clock: 'ntp', stapled: false });
    expect(c.evidence.certificates[0]).toMatchObject({ role: 'leaf', state: 'good', decidedBy: 'ocsp', url, notChecked: null });
    expect(c.evidence.certificates[0].attempts[0]).toMatchObject({ method: 'ocsp', httpMethod: 'GET', state: 'good', judgedState: 'good', window: 'current', responder: { kind: 'issuer' } });
    expect(c.evidence.certificates[1]).toMatchObject({ role: 'intermediate', state: 'not-checked', notChecked: 'no-pointer' });
    expect(result.exitCode).toBe(0);
    expect(report.trail.some((l: string) => l.includes(`revocation: CN=localhost: ocsp ${url} → good`))).toBe(true);
  });

  test('revoked (keyCompromise): fails with the date and reason, and says the user cannot fix it (exit 2)', async () => {
    const port0 = await closedPort();
    const url = `http://127.0.0.1:${port0}/`;
    const { root, int, leaf } = pki({ aiaOcsp: [url] });
    const revokedAt = new Date('2025-02-03T04:05:00Z');
    servers.track(await startOpensslOcsp({ dir, port: port0, ca: int, entries: [{ cert: leaf, revokedAt, reason: 'keyCompromise' }] }));
    const port = await gateway(leaf, [leaf, int]);
    const { result, report } = await diagnose(port, root);
    expect(result.exitCode).toBe(2);
    expect(report.topCause).toBe('cert.revocation');
    const c = check(report, 'cert.revocation');
    expectTextReport(report, 'cert.revocation');
    expect(c).toMatchObject({ status: 'fail', reason: 'revoked' });
    expect(c.summary).toBe(
      '“localhost” (the gateway’s certificate) was revoked by its certificate authority on 2025-02-03 04:05 UTC, according to the CA’s OCSP responder. Reason given: the private key was compromised (keyCompromise). Clients that check revocation refuse it (“Peer’s Certificate has been revoked”). This cannot be fixed on your computer: the gateway admin must install a new certificate.',
    );
    expect(c.evidence.certificates[0]).toMatchObject({ state: 'revoked', decidedBy: 'ocsp', revokedAt: revokedAt.toISOString(), reason: 'keyCompromise', url });
    expect(fixesOf(c)).toEqual(['admin:admin.revoked', 'user:user.not-your-fault']);
    // Nothing the user can do: the first step is what the gateway admin must do.
    expect(report.headline).toMatchObject({ firstStepActor: 'admin', firstStep: 'Gateway admin: install a new certificate' });

    // The text report wraps lines: compare with whitespace folded.
    const t = await text(port, root);
    const words = t.stdout.replace(/\s+/g, ' ');
    expect(t.exitCode).toBe(2);
    expect(t.stdout).toContain('✖ Revocation (OCSP / CRL)');
    expect(words).toContain('was revoked by its certificate authority on 2025-02-03 04:05 UTC, according to the CA’s OCSP responder. Reason given: the private key was compromised (keyCompromise).');
    expect(words).toContain('What IT must do: Gateway admin: install a new certificate');
    expect(words).toContain('What you can do • Nothing to fix on your computer');
    expect(words).toContain('What IT / the gateway admin must do • Gateway admin: install a new certificate');

    const ja = (await text(port, root, ['--lang', 'ja'])).stdout.replace(/\s+/g, '');
    expect(ja).toContain('2025-02-0304:05UTCに認証局によって失効されています');
    expect(ja).toContain('秘密鍵の漏洩（keyCompromise）');
    // The client's own message stays as the client writes it, in English.
    expect(ja).toContain('拒否します（“Peer’sCertificatehasbeenrevoked”）');
    expect(ja).toContain('お使いのコンピューターでは解決できません。ゲートウェイ管理者が新しい証明書をインストールする必要があります。');
  });

  test('unknown: the responder does not know the certificate — a warning for the gateway admin (exit 1)', async () => {
    const port0 = await closedPort();
    const url = `http://127.0.0.1:${port0}/`;
    const { root, int, leaf } = pki({ aiaOcsp: [url] });
    const other = makeLeaf(int, 'someone-else');
    servers.track(await startOpensslOcsp({ dir, port: port0, ca: int, entries: [{ cert: other }] }));
    const port = await gateway(leaf, [leaf, int]);
    const { result, report } = await diagnose(port, root);
    const c = check(report, 'cert.revocation');
    expectTextReport(report, 'cert.revocation');
    expect(c).toMatchObject({ status: 'warn', reason: 'unknown' });
    expect(c.summary).toContain('does not know “localhost” (the gateway’s certificate): it answers “unknown”');
    expect(c.evidence.certificates[0]).toMatchObject({ state: 'unknown', decidedBy: 'ocsp', url });
    expect(fixesOf(c)).toEqual(['admin:admin.revocation-unknown', 'user:user.not-your-fault']);
    expect(result.exitCode).toBe(1);
  });

  test('a delegated responder certificate with the OCSP Signing EKU is accepted', async () => {
    const port0 = await closedPort();
    const url = `http://127.0.0.1:${port0}/`;
    const { root, int, leaf } = pki({ aiaOcsp: [url] });
    const signer = makeLeaf(int, 'Test OCSP Responder', { eku: ['OCSPSigning'], ku: ['digitalSignature'] });
    servers.track(await startOpensslOcsp({ dir, port: port0, ca: int, signer, entries: [{ cert: leaf }] }));
    const port = await gateway(leaf, [leaf, int]);
    const { report } = await diagnose(port, root);
    const c = check(report, 'cert.revocation');
    expectTextReport(report, 'cert.revocation');
    expect(c).toMatchObject({ status: 'pass', reason: 'good' });
    expect(c.evidence.certificates[0].attempts[0].responder).toMatchObject({ kind: 'delegated', subject: 'CN=Test OCSP Responder' });
  });
});

describe('OCSP answers that cannot be trusted', () => {
  test('signed with the wrong key: cert.revocation is an error with the reason, for the gateway admin (exit 2)', async () => {
    const { root, int } = pki();
    const { answers, responder } = await helperResponder(int, { signWith: newKey() });
    const leaf = makeLeaf(int, 'localhost', { aiaOcsp: [responder.url('/ocsp')] });
    answers.set(leaf.cert.serialNumber, { status: 'good' });
    const port = await gateway(leaf, [leaf, int]);
    const { result, report } = await diagnose(port, root);
    const c = check(report, 'cert.revocation');
    expectTextReport(report, 'cert.revocation');
    expect(c).toMatchObject({ status: 'error', reason: 'invalid-response' });
    expect(c.summary).toBe('The revocation answer for “localhost” (the gateway’s certificate) from the CA’s OCSP responder cannot be trusted: its signature does not verify with the CA’s key.');
    expect(c.evidence.certificates[0]).toMatchObject({ state: 'invalid', problem: 'bad-signature', decidedBy: 'ocsp' });
    expect(c.details.join('\n')).toContain('does not verify with the key of the issuer “CN=Test Intermediate CA, O=vpn-preflight tests”');
    expect(fixesOf(c)).toEqual(['admin:admin.ocsp-responder', 'user:user.not-your-fault']);
    expect(result.exitCode).toBe(2);
  });

  test('outdated (nextUpdate in the past): an error naming the dates', async () => {
    const { root, int } = pki();
    const { answers, responder } = await helperResponder(int);
    const leaf = makeLeaf(int, 'localhost', { aiaOcsp: [responder.url('/ocsp')] });
    const nextUpdate = new Date(Date.now() - 2 * 86_400_000);
    answers.set(leaf.cert.serialNumber, { status: 'good', thisUpdate: new Date(nextUpdate.getTime() - 7 * 86_400_000), nextUpdate });
    const port = await gateway(leaf, [leaf, int]);
    const { report } = await diagnose(port, root);
    const c = check(report, 'cert.revocation');
    expectTextReport(report, 'cert.revocation');
    expect(c).toMatchObject({ status: 'error', reason: 'invalid-response' });
    expect(c.summary).toContain('cannot be trusted: it is out of date (past its “next update” time).');
    expect(c.evidence.certificates[0]).toMatchObject({ state: 'invalid', problem: 'expired' });
    expect(c.evidence.certificates[0].attempts[0]).toMatchObject({ state: 'good', judgedState: 'invalid', window: 'expired' });
    expect(c.details[0]).toMatch(/^The answer was issued .* and valid until .*; it was judged at .*, by the real time from the time servers\.$/);
  });

  test('time windows are judged at the true time from NTP, not at this computer’s clock', async () => {
    const { root, int } = pki();
    const { answers, responder } = await helperResponder(int);
    const leaf = makeLeaf(int, 'localhost', { aiaOcsp: [responder.url('/ocsp')] });
    const day = 86_400_000;
    // Valid for a day from now by this computer's clock; the time servers say it is two days later.
    answers.set(leaf.cert.serialNumber, { status: 'good', thisUpdate: new Date(Date.now() - 3_600_000), nextUpdate: new Date(Date.now() + day) });
    const ahead = servers.track(await startNtpServer({ offsetMs: 2 * day }));
    const port = await gateway(leaf, [leaf, int]);
    const args = ['localhost:' + port, '--connect-to', '127.0.0.1', '--ca-file', pemFile(dir, `root-ntp-${port}.pem`, root), '--ntp-server', `127.0.0.1:${ahead.port}`, '--timeout', '10'];
    const { report } = await diagnoseJson(args[0]!, args.slice(1));
    const c = check(report, 'cert.revocation');
    expectTextReport(report, 'cert.revocation');
    expect(check(report, 'clock.offset').status).toBe('fail');
    expect(c).toMatchObject({ status: 'error', reason: 'invalid-response' });
    expect(c.evidence).toMatchObject({ clock: 'ntp' });
    expect(new Date(c.evidence.judgedAt).getTime() - Date.now()).toBeGreaterThan(1.9 * day);
    expect(c.evidence.certificates[0]).toMatchObject({ problem: 'expired' });

    // The other way round: "not yet valid" by this computer's clock, current at the true time.
    answers.set(leaf.cert.serialNumber, { status: 'good', thisUpdate: new Date(Date.now() + day), nextUpdate: new Date(Date.now() + 3 * day) });
    const later = await diagnoseJson(args[0]!, args.slice(1));
    expect(check(later.report, 'cert.revocation')).toMatchObject({ status: 'pass', reason: 'good' });
  });

  test('an answer current only by this computer’s clock does not stop the search: the CRL, current at the true time, is asked too', async () => {
    const { root, int } = pki();
    const day = 86_400_000;
    const { answers, responder } = await helperResponder(int);
    const crl = makeCrl({ issuer: int, thisUpdate: new Date(Date.now() - 3_600_000), nextUpdate: new Date(Date.now() + 30 * day) });
    const crlServer = servers.track(await startHttpServer((_q, res) => res.end(crl)));
    const leaf = makeLeaf(int, 'localhost', { aiaOcsp: [responder.url('/ocsp')], crl: [crlServer.url('/int.crl')] });
    // Good for a day by this computer's clock; the time servers say it is two days later.
    answers.set(leaf.cert.serialNumber, { status: 'good', thisUpdate: new Date(Date.now() - 3_600_000), nextUpdate: new Date(Date.now() + day) });
    const ahead = servers.track(await startNtpServer({ offsetMs: 2 * day }));
    const port = await gateway(leaf, [leaf, int]);
    const args = ['--connect-to', '127.0.0.1', '--ca-file', pemFile(dir, `root-ntp-crl-${port}.pem`, root), '--ntp-server', `127.0.0.1:${ahead.port}`, '--timeout', '10'];
    const { report } = await diagnoseJson(`localhost:${port}`, args);
    const c = check(report, 'cert.revocation');
    expect({ status: c.status, reason: c.reason, attempts: c.evidence.certificates[0].attempts.map((a: Record<string, string>) => `${a.method}:${a.judgedState}`) }).toEqual({
      status: 'warn',
      reason: 'partly-invalid',
      attempts: ['ocsp:invalid', 'crl:good'],
    });
    expect(c.evidence.certificates[0]).toMatchObject({ decidedBy: 'crl' });
    expect(crlServer.hits).toEqual(['GET /int.crl']);
  });
});

describe('stapled OCSP (openssl s_server -status_file)', () => {
  test('a server stapling a revoked response fails cert.revocation, decided by the staple', async () => {
    const { root, int, leaf } = pki();
    const staple = path.join(dir, `staple-${leaf.cert.serialNumber}.der`);
    writeFileSync(staple, ocspResponse({ issuer: int, serialHex: leaf.cert.serialNumber, status: 'revoked', revokedAt: new Date('2025-01-15T09:30:00Z'), reason: 4 }));
    const server = servers.track(await startOpensslServer({ dir, leaf, chain: [int], statusFile: staple }));
    const { result, report } = await diagnose(server.port, root);
    const c = check(report, 'cert.revocation');
    expectTextReport(report, 'cert.revocation');
    expect(c).toMatchObject({ status: 'fail', reason: 'revoked' });
    expect(c.summary).toContain('on 2025-01-15 09:30 UTC, according to the OCSP response the gateway staples. Reason given: replaced by a newer certificate (superseded).');
    expect(c.evidence).toMatchObject({ stapled: true });
    expect(c.evidence.certificates[0]).toMatchObject({ state: 'revoked', decidedBy: 'ocsp-stapled', url: null, reason: 'superseded' });
    expect(result.exitCode).toBe(2);
  });
});

describe('stapled and fetched answers together', () => {
  test('an outdated staple beside a good responder answer: a warning that names the staple', async () => {
    const { root, int } = pki();
    const { answers, responder } = await helperResponder(int);
    const leaf = makeLeaf(int, 'localhost', { aiaOcsp: [responder.url('/ocsp')] });
    answers.set(leaf.cert.serialNumber, { status: 'good' });
    const staple = path.join(dir, `stale-${leaf.cert.serialNumber}.der`);
    const day = 86_400_000;
    writeFileSync(staple, ocspResponse({ issuer: int, serialHex: leaf.cert.serialNumber, status: 'good', thisUpdate: new Date(Date.now() - 10 * day), nextUpdate: new Date(Date.now() - 3 * day) }));
    const server = servers.track(await startOpensslServer({ dir, leaf, chain: [int], statusFile: staple }));
    const { result, report } = await diagnose(server.port, root);
    const c = check(report, 'cert.revocation');
    expectTextReport(report, 'cert.revocation');
    // One assertion with the attempts, so a failure shows what each source said.
    expect({ status: c.status, reason: c.reason, attempts: c.evidence.certificates[0].attempts.map((a: Record<string, string>) => `${a.method}:${a.judgedState}:${a.detail}`) }).toEqual({
      status: 'warn',
      reason: 'partly-invalid',
      attempts: ['ocsp-stapled:invalid:good', 'ocsp:good:good'],
    });
    expect(c.summary).toBe(
      'Not revoked, according to the CA’s OCSP responder; but the OCSP response the gateway staples gives an answer that cannot be trusted: it is out of date (past its “next update” time).',
    );
    expect(fixesOf(c)).toEqual(['admin:admin.ocsp-responder', 'user:user.not-your-fault']);
    expect(result.exitCode).toBe(1);
  });
});

describe('CRL distribution points', () => {
  test('a CRL over HTTP listing the leaf: revoked, decided by the CRL', async () => {
    const { root, int } = pki();
    let crl: Buffer = Buffer.alloc(0);
    const server = servers.track(await startHttpServer((_q, res) => res.end(crl)));
    const leaf = makeLeaf(int, 'localhost', { crl: [server.url('/int.crl')] });
    crl = makeCrl({ issuer: int, entries: [{ serialHex: leaf.cert.serialNumber, revokedAt: new Date('2025-03-04T05:06:00Z'), reason: 5 }] });
    const port = await gateway(leaf, [leaf, int]);
    const { result, report } = await diagnose(port, root);
    const c = check(report, 'cert.revocation');
    expectTextReport(report, 'cert.revocation');
    expect(c).toMatchObject({ status: 'fail', reason: 'revoked' });
    expect(c.summary).toContain('on 2025-03-04 05:06 UTC, according to the CA’s revocation list (CRL). Reason given: no longer in use (cessationOfOperation).');
    expect(c.evidence.certificates[0]).toMatchObject({ decidedBy: 'crl', url: server.url('/int.crl'), reason: 'cessationOfOperation' });
    expect(server.hits).toEqual(['GET /int.crl']);
    expect(result.exitCode).toBe(2);
  });

  test('a revoked intermediate, listed in the root’s CRL, fails and names the intermediate', async () => {
    const root = makeRoot();
    let rootCrl: Buffer = Buffer.alloc(0);
    const server = servers.track(await startHttpServer((_q, res) => res.end(crlPem(rootCrl))));
    const int = makeIntermediate(root, 'Revoked Intermediate CA', { crl: [server.url('/root.crl')] });
    const leaf = makeLeaf(int, 'localhost');
    rootCrl = makeCrl({ issuer: root, entries: [{ serialHex: int.cert.serialNumber, reason: 2 }] });
    const port = await gateway(leaf, [leaf, int]);
    const { report } = await diagnose(port, root);
    const c = check(report, 'cert.revocation');
    expectTextReport(report, 'cert.revocation');
    expect(c).toMatchObject({ status: 'fail', reason: 'revoked' });
    expect(c.summary).toContain('“Revoked Intermediate CA” (the intermediate certificate) was revoked');
    expect(c.summary).toContain('the CA was compromised (cACompromise)');
    expect(c.evidence.certificates.map((x: { role: string; state: string }) => `${x.role}:${x.state}`)).toEqual(['leaf:not-checked', 'intermediate:revoked']);
    expect(fixesOf(c)).toEqual(['admin:admin.revoked-intermediate', 'user:user.not-your-fault']);
  });

  test('a CRL with a bad signature: an error, for the gateway admin', async () => {
    const { root, int } = pki();
    const crl = makeCrl({ issuer: int, signWith: newKey() });
    const server = servers.track(await startHttpServer((_q, res) => res.end(crl)));
    const leaf = makeLeaf(int, 'localhost', { crl: [server.url('/int.crl')] });
    const port = await gateway(leaf, [leaf, int]);
    const { result, report } = await diagnose(port, root);
    const c = check(report, 'cert.revocation');
    expectTextReport(report, 'cert.revocation');
    expect(c).toMatchObject({ status: 'error', reason: 'invalid-response' });
    expect(c.summary).toBe('The revocation answer for “localhost” (the gateway’s certificate) from the CA’s revocation list (CRL) cannot be trusted: its signature does not verify with the CA’s key.');
    expect(c.evidence.certificates[0]).toMatchObject({ decidedBy: 'crl', problem: 'bad-signature' });
    expect(fixesOf(c)).toEqual(['admin:admin.ocsp-responder', 'user:user.not-your-fault']);
    expect(result.exitCode).toBe(2);
  });

  test('an oversized CRL is cut off at the cap and reported; revocation stays unknown (warn)', async () => {
    const { root, int } = pki();
    const server = servers.track(
      await startHttpServer((_q, res) => {
        res.writeHead(200, { 'content-type': 'application/pkix-crl' });
        const chunk = Buffer.alloc(256 * 1024, 0x30);
        let left = 64;
        const pump = (): void => {
          while (left > 0 && res.write(chunk)) left--;
          if (left > 0) res.once('drain', pump);
          else res.end();
        };
        pump();
      }),
    );
    const leaf = makeLeaf(int, 'localhost', { crl: [server.url('/huge.crl')] });
    const port = await gateway(leaf, [leaf, int]);
    const { result, report } = await diagnose(port, root);
    const c = check(report, 'cert.revocation');
    expectTextReport(report, 'cert.revocation');
    expect(c).toMatchObject({ status: 'warn', reason: 'unreachable' });
    expect(c.summary).toContain(`Tried: ${server.url('/huge.crl')} (the answer was too large).`);
    expect(c.details[0]).toContain('larger than the 5242880-byte limit; the download was stopped there');
    expect(result.exitCode).toBe(1);
  });
});

describe('nothing answers', () => {
  test('every responder silent: the run ends by its deadline with cert.revocation = warn and what was tried', async () => {
    const silent = servers.track(await startSilentServer());
    const base = `http://127.0.0.1:${silent.port}`;
    const { root, int, leaf } = pki({ aiaOcsp: [`${base}/ocsp`], crl: [`${base}/int.crl`] });
    const port = await gateway(leaf, [leaf, int]);
    // 5 s: the responder gets 3 s, the CRL what is left until the deadline.
    const { result, report } = await diagnose(port, root, ['--timeout', '5']);
    const c = check(report, 'cert.revocation');
    expectTextReport(report, 'cert.revocation');
    expect(c).toMatchObject({ status: 'warn', reason: 'unreachable' });
    expect(c.summary).toBe(`Could not find out whether “localhost” (the gateway’s certificate) is revoked: no revocation server answered. Tried: ${base}/ocsp (no answer in time) and ${base}/int.crl (no answer in time).`);
    expect(c.evidence.certificates[0].attempts.map((a: { method: string; problem: string }) => `${a.method}:${a.problem}`)).toEqual(['ocsp:timeout', 'crl:timeout']);
    expect(c.details).toContain(
      'If AnyConnect’s local policy turns revocation checking on (OCSPRevocation or EnableCRLCheck), the connection may fail while these addresses cannot be reached. They must be reachable from where users connect, before the VPN is up.',
    );
    expect(fixesOf(c)).toEqual(['user:revocation.network', 'admin:admin.revocation-reachable']);
    expect(result.exitCode).toBe(1);
    expect(result.durationMs).toBeLessThan(5000 + 1500);
  });
});

describe('missing intermediate fetched from AIA caIssuers', () => {
  async function omittedIntermediate(serve: (int: Issued) => Buffer | string) {
    const root = makeRoot();
    let body: Buffer | string = '';
    const aia = servers.track(await startHttpServer((_q, res) => res.end(body)));
    const int = makeIntermediate(root, 'Omitted Intermediate CA');
    body = serve(int);
    let crl: Buffer = Buffer.alloc(0);
    const crlServer = servers.track(await startHttpServer((_q, res) => res.end(crl)));
    const leaf = makeLeaf(int, 'localhost', { aiaCaIssuers: [aia.url('/int.p7c')], crl: [crlServer.url('/int.crl')] });
    crl = makeCrl({ issuer: int });
    const port = await gateway(leaf, [leaf]);
    return { ...(await diagnose(port, root)), aia };
  }

  function expectAdminMustInstall(report: Record<string, any>, url: string): void {
    const c = check(report, 'cert.chain');
    expectTextReport(report, 'cert.chain');
    expect(c).toMatchObject({ status: 'fail', reason: 'missing-intermediate' });
    expect(c.summary).toBe(
      `The gateway does not send the intermediate certificate “Omitted Intermediate CA”. It is available at ${url}; the gateway admin must install it on the gateway. This is not something you can fix on your computer.`,
    );
    expect(c.details).toEqual(['With the missing certificate the chain is trusted, so a web browser (which fetches it by itself) may work while AnyConnect fails.']);
    expect(fixesOf(c)).toEqual(['admin:admin.send-intermediate', 'user:user.not-your-fault']);
    expect(c.evidence.aia).toMatchObject({ needed: true, fetches: [{ url, certificates: 1, error: null }] });
    expect(report.certificates.find((x: { origin: string }) => x.origin === 'aia')).toMatchObject({ subject: 'CN=Omitted Intermediate CA, O=vpn-preflight tests', fetchedFrom: url, role: 'intermediate' });
    expect(report.topCause).toBe('cert.chain');
    // The fetched intermediate is also what the leaf's revocation is checked against.
    expect(check(report, 'cert.revocation')).toMatchObject({ status: 'pass', reason: 'good' });
  }

  test('served as DER', async () => {
    const { result, report, aia } = await omittedIntermediate((int) => int.der);
    expectAdminMustInstall(report, aia.url('/int.p7c'));
    expect(result.exitCode).toBe(2);
  });

  test('served as PKCS#7 “certs-only” (.p7c)', async () => {
    const { report, aia } = await omittedIntermediate((int) => {
      const pem = path.join(dir, `p7-${int.cert.serialNumber}.pem`);
      writeFileSync(pem, int.pem);
      return execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', pem, '-outform', 'DER']);
    });
    expectAdminMustInstall(report, aia.url('/int.p7c'));
  });

  test('a dead AIA URL: the chain warning names the URL and the error; revocation cannot be checked without the issuer', async () => {
    const root = makeRoot();
    const int = makeIntermediate(root, 'Omitted Intermediate CA');
    const dead = `http://127.0.0.1:${await closedPort()}/int.cer`;
    const leaf = makeLeaf(int, 'localhost', { aiaCaIssuers: [dead], crl: ['http://127.0.0.1:9/never.crl'] });
    const port = await gateway(leaf, [leaf]);
    const { result, report } = await diagnose(port, root);
    const c = check(report, 'cert.chain');
    expectTextReport(report, 'cert.chain');
    expect(c).toMatchObject({ status: 'warn', reason: 'issuer-unknown' });
    expect(c.summary).toMatch(new RegExp(`its issuer “Omitted Intermediate CA” was not found, and the download address in the certificate \\(${dead.replace(/[.]/g, '\\.')}\\) failed: connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+\\.$`));
    expect(c.evidence.aia.fetches[0]).toMatchObject({ url: dead, certificates: 0, error: { code: 'network' } });
    expect(check(report, 'cert.trust')).toMatchObject({ status: 'fail', reason: 'unknown-issuer' });
    const r = check(report, 'cert.revocation');
    expectTextReport(report, 'cert.revocation');
    expect(r).toMatchObject({ status: 'warn', reason: 'issuer-missing' });
    expect(r.summary).toBe('The revocation of “localhost” (the gateway’s certificate) could not be checked, because its issuer’s certificate was not found (see “Certificate chain sent by the gateway”).');
    expect(result.exitCode).toBe(2);
  });
});

describe('issuers the AIA URL cannot provide', () => {
  test('an AIA URL serving some other certificate: the chain warning says it is not the issuer', async () => {
    const root = makeRoot();
    const int = makeIntermediate(root, 'Omitted Intermediate CA');
    const stranger = makeIntermediate(root, 'Unrelated CA');
    const aia = servers.track(await startHttpServer((_q, res) => res.end(stranger.der)));
    const leaf = makeLeaf(int, 'localhost', { aiaCaIssuers: [aia.url('/int.cer')] });
    const port = await gateway(leaf, [leaf]);
    const { report } = await diagnose(port, root);
    const c = check(report, 'cert.chain');
    expectTextReport(report, 'cert.chain');
    expect(c).toMatchObject({ status: 'warn', reason: 'issuer-unknown' });
    expect(c.summary).toBe(`The issuer “Omitted Intermediate CA” of “localhost” was not found: the certificate downloaded from ${aia.url('/int.cer')} (Unrelated CA) is not the one that signed it.`);
    expect(fixesOf(c)).toEqual(['admin:admin.send-intermediate', 'user:trust.install-root']);
  });

  test('a chain that stops at a sent intermediate whose own AIA URL is dead', async () => {
    const root = makeRoot();
    const upper = makeIntermediate(root, 'Upper Intermediate CA');
    const dead = `http://127.0.0.1:${await closedPort()}/upper.cer`;
    const lower = makeIntermediate(upper, 'Lower Intermediate CA', { aiaCaIssuers: [dead] });
    const leaf = makeLeaf(lower, 'localhost');
    const port = await gateway(leaf, [leaf, lower]);
    const { report } = await diagnose(port, root);
    const c = check(report, 'cert.chain');
    expectTextReport(report, 'cert.chain');
    expect(c).toMatchObject({ status: 'warn', reason: 'issuer-unknown' });
    expect(c.summary).toMatch(/^The chain stops at “Lower Intermediate CA”: its issuer “Upper Intermediate CA” was not found, and the download address in the certificate \(http:\/\/127\.0\.0\.1:\d+\/upper\.cer\) failed: connect ECONNREFUSED/);
  });
});

describe('no revocation information', () => {
  test('a private CA without OCSP or CRL pointers passes with a note, keeping the evidence', async () => {
    const { root, int, leaf } = pki();
    const port = await gateway(leaf, [leaf, int]);
    const { result, report } = await diagnose(port, root);
    const c = check(report, 'cert.revocation');
    expectTextReport(report, 'cert.revocation');
    expect(c).toMatchObject({ status: 'pass', reason: 'no-revocation-info' });
    expect(c.summary).toBe('No certificate in the chain names an OCSP responder or a revocation list, so there is nothing to check. This is common with a company’s own CA.');
    expect(c.evidence.certificates.map((x: { notChecked: string }) => x.notChecked)).toEqual(['no-pointer', 'no-pointer']);
    expect(result.exitCode).toBe(0);
  });
});
