/**
 * OpenSSL's subject hash (the `<hash>.<n>` names of a hashed certificate directory),
 * checked against the openssl command itself: on every certificate of this machine's
 * hashed directory, and on names made to stress the canonical form (case, spaces,
 * BMPString, T61String, non-ASCII UTF-8, a multi-valued RDN, an empty subject).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import forge from 'node-forge';
import { canonicalNamesMatch, opensslSubjectHash } from '../../../src/pki/openssl-subject-hash';
import { splitCertificates } from '../../../src/pki/pem';
import { issue, makeRoot, newKey } from '../../helpers/pki';

const dir = mkdtempSync(path.join(tmpdir(), 'vpf-subject-hash-'));

function opensslHash(der: Buffer): string {
  const file = path.join(dir, `c-${Math.random().toString(16).slice(2)}.der`);
  writeFileSync(file, der);
  return execFileSync('openssl', ['x509', '-inform', 'DER', '-in', file, '-noout', '-subject_hash'], { encoding: 'utf8', timeout: 10_000 }).trim();
}

/** ASN.1 T61String (TeletexString); forge has no name for it. */
const T61STRING = 0x14;

describe('opensslSubjectHash', () => {
  test('names every certificate of this machine’s hashed directory as openssl rehash did', () => {
    const certsDir = '/etc/ssl/certs';
    const hashed = readdirSync(certsDir).filter((n) => /^[0-9a-f]{8}\.\d+$/.test(n));
    expect(hashed.length).toBeGreaterThan(10);
    for (const n of hashed) {
      const der = splitCertificates(readFileSync(path.join(certsDir, n)), n)[0]!;
      expect([n, opensslSubjectHash(der)]).toEqual([n, n.slice(0, 8)]);
    }
  });

  test.each<[string, { cn: string | null; o?: string }]>([
    ['mixed case and runs of spaces', { cn: '  Example   CORP  Root\tCA ', o: 'Example  Corp' }],
    ['Japanese UTF-8', { cn: '例 株式会社 ルート CA', o: 'Example' }],
    ['no subject at all', { cn: null }],
  ])('a name with %s hashes as openssl does', (_what, opts) => {
    const cert = issue(null, { isCa: true, ...opts });
    expect(opensslSubjectHash(cert.der)).toBe(opensslHash(cert.der));
  });

  test('a BMPString and a T61String with Latin-1 letters hash as openssl does', () => {
    const cert = issue(null, {
      cn: null,
      isCa: true,
      subjectAttrs: [
        // forge writes a BMPString's JavaScript string as UCS-2 itself.
        { name: 'organizationName', value: 'Ünïcode BMP  Org', valueTagClass: forge.asn1.Type.BMPSTRING } as unknown as forge.pki.CertificateField,
        { name: 'commonName', value: 'Caf\xe9 T61 ROOT', valueTagClass: T61STRING } as unknown as forge.pki.CertificateField,
      ],
    });
    expect(opensslSubjectHash(cert.der)).toBe(opensslHash(cert.der));
  });

  test('a multi-valued RDN (CN=a+O=b) hashes as openssl does', () => {
    const keyFile = path.join(dir, 'key.pem');
    writeFileSync(keyFile, newKey().privateKeyPem, { mode: 0o600 });
    const pem = execFileSync('openssl', ['req', '-x509', '-key', keyFile, '-days', '3', '-multivalue-rdn', '-subj', '/CN=Zeta  Root+O=ACME/C=JP', '-utf8'], { timeout: 10_000 });
    const der = splitCertificates(pem)[0]!;
    expect(opensslSubjectHash(der)).toBe(opensslHash(der));
  });

  test('is null for bytes that are not a certificate', () => {
    expect(opensslSubjectHash(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]))).toBeNull();
    expect(opensslSubjectHash(Buffer.from('not DER'))).toBeNull();
  });
});

describe('canonicalNamesMatch', () => {
  test('a root is self-issued, a certificate issued by it is not', () => {
    const root = makeRoot('Example Root');
    const leaf = issue(root, { cn: 'vpn.example.com' });
    expect(canonicalNamesMatch(root.der)).toBe(true);
    expect(canonicalNamesMatch(leaf.der)).toBe(false);
  });

  test('issuer and subject that differ only in case and spaces are the same name, as OpenSSL compares them', () => {
    const root = makeRoot('Example Root');
    const c = issue(null, { cn: 'example  ROOT', isCa: true });
    // Re-issue with the issuer spelled as the root's subject: forge writes the issuer from the issuer's attributes.
    const twin = issue(root, { cn: 'EXAMPLE root ', o: 'VPN-Preflight   TESTS', isCa: true, key: root.key });
    expect(canonicalNamesMatch(c.der)).toBe(true);
    expect(canonicalNamesMatch(twin.der)).toBe(true);
  });

  test('is null for bytes that are not a certificate', () => {
    expect(canonicalNamesMatch(Buffer.from('nope'))).toBeNull();
  });
});
