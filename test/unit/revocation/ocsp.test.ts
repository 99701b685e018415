/**
 * OCSP requests and responses without a network: requests compared byte for byte with
 * what `openssl ocsp` builds, responses made by `openssl ocsp` (acting as the responder
 * offline) and by the test helper when a response must be broken on purpose.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { OCSPResponseStatus } from '@peculiar/asn1-ocsp';
import { parseCertificate, type Certificate } from '../../../src/pki/certificate';
import { OCSP_GET_MAX_CHARS, buildOcspRequest, ocspHttpRequest, verifyOcspResponse } from '../../../src/pki/ocsp';
import { writeOpensslIndex } from '../../helpers/crl';
import { ocspResponse } from '../../helpers/ocsp';
import { makeIntermediate, makeLeaf, makeRoot, newKey, type Issued } from '../../helpers/pki';

const dir = mkdtempSync(path.join(tmpdir(), 'vpf-ocsp-'));
let n = 0;

function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, `${n}-${name}`);
  writeFileSync(p, content);
  return p;
}

function parsed(i: Issued): Certificate {
  return parseCertificate(i.der);
}

/** What `openssl ocsp` answers, offline, for `leaf` from a CA database of `entries`. */
function opensslAnswer(ca: Issued, leaf: Issued, entries: Parameters<typeof writeOpensslIndex>[1], opts: { signer?: Issued; extra?: string[] } = {}): Buffer {
  n++;
  const signer = opts.signer ?? ca;
  const index = writeOpensslIndex(file('index.txt', ''), entries);
  const req = file('req.der', '');
  execFileSync('openssl', ['ocsp', '-issuer', file('ca.pem', ca.pem), '-cert', file('leaf.pem', leaf.pem), '-no_nonce', '-reqout', req]);
  const resp = file('resp.der', '');
  execFileSync('openssl', [
    'ocsp', '-index', index, '-CA', file('ca2.pem', ca.pem), '-rsigner', file('signer.pem', signer.pem), '-rkey', file('signer.key', signer.keyPem),
    '-reqin', req, '-respout', resp, '-ndays', '1', ...(opts.extra ?? []),
  ]);
  return readFileSync(resp);
}

describe('building the request', () => {
  test('the request is the same bytes openssl builds (SHA-1 CertID, no nonce)', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost');
    n++;
    const out = file('openssl-req.der', '');
    execFileSync('openssl', ['ocsp', '-issuer', file('root.pem', root.pem), '-cert', file('leaf.pem', leaf.pem), '-no_nonce', '-reqout', out]);
    expect(buildOcspRequest(parsed(leaf), parsed(root)).toString('hex')).toBe(readFileSync(out).toString('hex'));
  });

  test('short requests go by GET with the base64 request URL-encoded in the path; long ones by POST', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost');
    const der = buildOcspRequest(parsed(leaf), parsed(root));
    const get = ocspHttpRequest('http://ocsp.example.test', der);
    expect(get.method).toBe('GET');
    expect(get.url).toBe(`http://ocsp.example.test/${encodeURIComponent(der.toString('base64'))}`);
    expect(ocspHttpRequest('http://ocsp.example.test/path/', der).url).toBe(`http://ocsp.example.test/path/${encodeURIComponent(der.toString('base64'))}`);
    const long = Buffer.concat([der, Buffer.alloc(OCSP_GET_MAX_CHARS)]);
    expect(ocspHttpRequest('http://ocsp.example.test', long)).toEqual({ method: 'POST', url: 'http://ocsp.example.test', body: long });
  });
});

describe('verifying responses', () => {
  test('openssl says good: verified, signed by the issuer, with its update times', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost');
    const v = verifyOcspResponse(opensslAnswer(root, leaf, [{ cert: leaf }]), parsed(leaf), parsed(root));
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.answer).toMatchObject({ certStatus: 'good', revokedAt: null, reason: null, signer: { kind: 'issuer', subject: 'CN=Test Root CA, O=vpn-preflight tests' } });
    expect(v.answer.nextUpdate!.getTime() - v.answer.thisUpdate.getTime()).toBe(86_400_000);
  });

  test('openssl says revoked: the time and the reason are read', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost');
    const revokedAt = new Date('2024-03-01T12:00:00Z');
    const v = verifyOcspResponse(opensslAnswer(root, leaf, [{ cert: leaf, revokedAt, reason: 'keyCompromise' }]), parsed(leaf), parsed(root));
    expect(v).toMatchObject({ ok: true, answer: { certStatus: 'revoked', revokedAt, reason: 'keyCompromise' } });
  });

  test('openssl says unknown for a certificate its database does not hold', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost');
    const other = makeLeaf(root, 'other');
    const v = verifyOcspResponse(opensslAnswer(root, leaf, [{ cert: other }]), parsed(leaf), parsed(root));
    expect(v).toMatchObject({ ok: true, answer: { certStatus: 'unknown' } });
  });

  test('an RSA-PSS signed response verifies', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost');
    const v = verifyOcspResponse(opensslAnswer(root, leaf, [{ cert: leaf }], { extra: ['-rsigopt', 'rsa_padding_mode:pss'] }), parsed(leaf), parsed(root));
    expect(v).toMatchObject({ ok: true, answer: { certStatus: 'good' } });
  });

  test('an ECDSA CA and its response verify', () => {
    n++;
    const key = file('ec.key', '');
    execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
    const caPem = execFileSync('openssl', ['req', '-x509', '-new', '-key', key, '-subj', '/CN=EC Test CA', '-days', '30', '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], { encoding: 'utf8' });
    const ca = { pem: caPem, keyPem: readFileSync(key, 'utf8'), der: Buffer.from(caPem.replace(/-----[^-]+-----|\s/g, ''), 'base64') } as Issued;
    const leafKey = newKey();
    n++;
    const quiet = { encoding: 'utf8' as const, stdio: ['pipe', 'pipe', 'ignore'] as Array<'pipe' | 'ignore'> };
    const csr = execFileSync('openssl', ['req', '-new', '-key', file('leaf.key', leafKey.privateKeyPem), '-subj', '/CN=localhost'], quiet);
    const leafPem = execFileSync('openssl', ['x509', '-req', '-CA', file('ec-ca.pem', caPem), '-CAkey', key, '-set_serial', '0x4242', '-days', '10'], { ...quiet, input: csr });
    const leaf = { pem: leafPem, der: Buffer.from(leafPem.replace(/-----[^-]+-----|\s/g, ''), 'base64'), cert: { serialNumber: '4242', validity: { notAfter: new Date(Date.now() + 86_400_000) } }, name: 'localhost' } as unknown as Issued;
    const v = verifyOcspResponse(opensslAnswer(ca, leaf, [{ cert: leaf }]), parsed(leaf), parsed(ca));
    expect(v).toMatchObject({ ok: true, answer: { certStatus: 'good', signer: { kind: 'issuer', subject: 'CN=EC Test CA' } } });
  });

  test('a delegated responder with the OCSP Signing EKU, issued by the CA, is accepted', () => {
    const root = makeRoot();
    const int = makeIntermediate(root);
    const leaf = makeLeaf(int, 'localhost');
    const responder = makeLeaf(int, 'Test OCSP Responder', { eku: ['OCSPSigning'], ku: ['digitalSignature'] });
    const v = verifyOcspResponse(opensslAnswer(int, leaf, [{ cert: leaf }], { signer: responder }), parsed(leaf), parsed(int));
    expect(v).toMatchObject({ ok: true, answer: { certStatus: 'good', signer: { kind: 'delegated', subject: 'CN=Test OCSP Responder' } } });
    if (v.ok) expect(v.answer.signer.notAfter).toEqual(parsed(responder).notAfter);
  });

  test('a responder certificate without the OCSP Signing EKU may not answer for the CA', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost');
    const responder = makeLeaf(root, 'Not A Responder', { eku: ['serverAuth'] });
    const v = verifyOcspResponse(opensslAnswer(root, leaf, [{ cert: leaf }], { signer: responder }), parsed(leaf), parsed(root));
    expect(v).toMatchObject({ ok: false, problem: 'responder-not-authorized' });
    if (!v.ok) expect(v.message).toContain('lacks the OCSP Signing extended key usage');
  });

  test('a responder certificate from another CA may not answer for this one', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost');
    const otherRoot = makeRoot('Other Root');
    const responder = makeLeaf(otherRoot, 'Foreign Responder', { eku: ['OCSPSigning'] });
    const v = verifyOcspResponse(ocspResponse({ issuer: root, serialHex: leaf.cert.serialNumber, status: 'good', signer: responder }), parsed(leaf), parsed(root));
    expect(v).toMatchObject({ ok: false, problem: 'responder-not-authorized' });
    if (!v.ok) expect(v.message).toContain('was not issued by');
  });

  test('a response signed with the wrong key does not verify', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost');
    const v = verifyOcspResponse(ocspResponse({ issuer: root, serialHex: leaf.cert.serialNumber, status: 'good', signWith: newKey() }), parsed(leaf), parsed(root));
    expect(v).toMatchObject({ ok: false, problem: 'bad-signature' });
  });

  test('a response about another certificate is refused', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost');
    const other = makeLeaf(root, 'other');
    const v = verifyOcspResponse(ocspResponse({ issuer: root, serialHex: other.cert.serialNumber, status: 'good' }), parsed(leaf), parsed(root));
    expect(v).toMatchObject({ ok: false, problem: 'no-matching-response' });
  });

  test('a response for the same serial from another CA is refused', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost');
    const otherRoot = makeRoot('Other Root');
    const v = verifyOcspResponse(ocspResponse({ issuer: otherRoot, serialHex: leaf.cert.serialNumber, status: 'good' }), parsed(leaf), parsed(root));
    expect(v).toMatchObject({ ok: false, problem: 'no-matching-response' });
  });

  test('good, revoked (with reason) and unknown from the helper responder', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost');
    const at = new Date('2025-01-02T03:04:05Z');
    const serialHex = leaf.cert.serialNumber;
    expect(verifyOcspResponse(ocspResponse({ issuer: root, serialHex, status: 'good' }), parsed(leaf), parsed(root))).toMatchObject({ ok: true, answer: { certStatus: 'good' } });
    expect(verifyOcspResponse(ocspResponse({ issuer: root, serialHex, status: 'unknown' }), parsed(leaf), parsed(root))).toMatchObject({ ok: true, answer: { certStatus: 'unknown' } });
    expect(verifyOcspResponse(ocspResponse({ issuer: root, serialHex, status: 'revoked', revokedAt: at, reason: 9 }), parsed(leaf), parsed(root))).toMatchObject({
      ok: true,
      answer: { certStatus: 'revoked', revokedAt: at, reason: 'privilegeWithdrawn' },
    });
  });

  test('an error status from the responder is reported with its name', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost');
    const v = verifyOcspResponse(ocspResponse({ issuer: root, status: 'good', responseStatus: OCSPResponseStatus.tryLater }), parsed(leaf), parsed(root));
    expect(v).toMatchObject({ ok: false, problem: 'responder-error', responderStatus: 'tryLater' });
  });

  test('garbage and a web page are not OCSP responses', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost');
    expect(verifyOcspResponse(Buffer.from('not der at all'), parsed(leaf), parsed(root))).toMatchObject({ ok: false, problem: 'malformed' });
    const html = verifyOcspResponse(Buffer.from('<html><body>Please log in</body></html>'), parsed(leaf), parsed(root));
    expect(html).toMatchObject({ ok: false, problem: 'malformed' });
    if (!html.ok) expect(html.message).toContain('a web page');
  });

  test('a nonce sent must come back unchanged when the responder echoes one', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost');
    const nonce = Buffer.from('0123456789abcdef');
    const serialHex = leaf.cert.serialNumber;
    const echo = (n?: Buffer): Buffer => ocspResponse({ issuer: root, serialHex, status: 'good', nonce: n });
    expect(verifyOcspResponse(echo(nonce), parsed(leaf), parsed(root), { nonce })).toMatchObject({ ok: true, answer: { nonce: 'matched' } });
    expect(verifyOcspResponse(echo(), parsed(leaf), parsed(root), { nonce })).toMatchObject({ ok: true, answer: { nonce: 'absent' } });
    expect(verifyOcspResponse(echo(Buffer.from('another nonce!!!')), parsed(leaf), parsed(root), { nonce })).toMatchObject({ ok: false, problem: 'nonce-mismatch' });
    expect(verifyOcspResponse(echo(nonce), parsed(leaf), parsed(root))).toMatchObject({ ok: true, answer: { nonce: 'not-sent' } });
  });

  test('a request with a nonce is answered with it by openssl and verifies', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost');
    n++;
    const nonce = Buffer.from('a1b2c3d4e5f60718', 'hex');
    const req = file('nonce-req.der', buildOcspRequest(parsed(leaf), parsed(root), { nonce }));
    const index = writeOpensslIndex(file('index.txt', ''), [{ cert: leaf }]);
    const resp = file('nonce-resp.der', '');
    const ca = file('root.pem', root.pem);
    execFileSync('openssl', ['ocsp', '-index', index, '-CA', ca, '-rsigner', ca, '-rkey', file('root.key', root.keyPem), '-reqin', req, '-respout', resp]);
    expect(verifyOcspResponse(readFileSync(resp), parsed(leaf), parsed(root), { nonce })).toMatchObject({ ok: true, answer: { certStatus: 'good', nonce: 'matched' } });
  });
});
