/**
 * The one entry for certificate bytes: PEM with or without text around it, DER, PKCS#7
 * bundles (what AIA URLs serve), OpenSSL's TRUSTED CERTIFICATE, and clear refusals.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CertificateParseError, splitCertificates, toPem } from '../../../src/pki/pem';
import { makeIntermediate, makeRoot } from '../../helpers/pki';
import { parsed, pool } from './util';

const root = makeRoot();
const int = makeIntermediate(root);

function refusal(data: Buffer | string): string {
  try {
    splitCertificates(data, 'corp-root.pem');
  } catch (err) {
    expect(err).toBeInstanceOf(CertificateParseError);
    return (err as Error).message;
  }
  throw new Error('accepted');
}

function openssl(args: string[], input: Buffer | string): Buffer {
  return execFileSync('openssl', args, { input, timeout: 10_000, stdio: ['pipe', 'pipe', 'pipe'] });
}

describe('what is read', () => {
  test('one PEM certificate', () => {
    expect(splitCertificates(root.pem)).toEqual([root.der]);
  });

  test('several PEM blocks, with text and CRLF line ends around them', () => {
    const text = `Subject: Test Root CA\r\n${root.pem.replace(/\n/g, '\r\n')}\r\nsome notes\r\n${int.pem}trailing words`;
    expect(splitCertificates(Buffer.from(text))).toEqual([root.der, int.der]);
  });

  test('a DER file', () => {
    expect(splitCertificates(root.der)).toEqual([root.der]);
  });

  test('a PKCS#7 certs-only bundle (.p7c), as AIA URLs often serve', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vpf-pem-'));
    writeFileSync(path.join(dir, 'chain.pem'), root.pem + int.pem);
    const p7c = openssl(['crl2pkcs7', '-nocrl', '-outform', 'DER', '-certfile', path.join(dir, 'chain.pem')], '');
    const ders = splitCertificates(p7c);
    expect(ders.map((d) => parsed(d).subject.text).sort()).toEqual(['CN=Test Intermediate CA, O=vpn-preflight tests', 'CN=Test Root CA, O=vpn-preflight tests']);
  });

  test('an OpenSSL TRUSTED CERTIFICATE yields the certificate without its trust settings', () => {
    const trusted = openssl(['x509', '-trustout', '-addtrust', 'serverAuth'], root.pem).toString();
    expect(trusted).toContain('BEGIN TRUSTED CERTIFICATE');
    expect(splitCertificates(trusted)).toEqual([root.der]);
  });

  test('bytes after a DER certificate are not part of it', () => {
    expect(splitCertificates(Buffer.concat([root.der, Buffer.from('junk')]))).toEqual([root.der]);
  });

  test('toPem writes what splitCertificates reads', () => {
    expect(splitCertificates(toPem(int.der))).toEqual([int.der]);
    expect(toPem(int.der).split('\n').every((l) => l.length <= 64)).toBe(true);
  });
});

describe('what is refused, in one line naming the file', () => {
  test.each([
    ['garbage text', 'this is not a certificate\n', /corp-root.pem is neither a PEM nor a DER certificate/],
    ['an empty file', '', /neither a PEM nor a DER/],
    ['a PEM with a broken base64 body', '-----BEGIN CERTIFICATE-----\nMIIB!!!notbase64\n-----END CERTIFICATE-----\n', /holds a PEM block that is not valid base64/],
    ['a PEM block that decodes to something else', '-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n', /holds a PEM block that is not a certificate/],
    ['a private key instead of a certificate', '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n', /has no complete "BEGIN CERTIFICATE" block/],
    ['a block without its END line', '-----BEGIN CERTIFICATE-----\nMIIB\n', /has no complete "BEGIN CERTIFICATE" block/],
  ])('%s', (_what, data, message) => {
    const m = refusal(data);
    expect(m).toMatch(message);
    expect(m).not.toContain('\n');
  });

  test('a PEM block whose DER is cut short splits, then fails to parse with a reason', () => {
    const cut = toPem(root.der.subarray(0, 200));
    const ders = splitCertificates(cut);
    const c = pool.get(ders[0]!);
    expect(c).toBeInstanceOf(CertificateParseError);
    expect((c as Error).message).toMatch(/^not a valid X.509 certificate \(/);
  });
});
