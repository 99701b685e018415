/**
 * Signature algorithm and key findings, as cert.strength judges them: MD5 (and MD2)
 * anywhere a client checks a signature is fatal; SHA-1 and RSA below 2048 bits are
 * rejected only where Apple's/Microsoft's TLS rules apply; the signature on a trust
 * anchor itself is never checked, its key is.
 */
import { strengthFindings } from '../../../src/pki/strength';
import { issue, makeRoot } from '../../helpers/pki';
import { opensslCert, pssCert } from './openssl-certs';
import { parsed } from './util';

const root = makeRoot();

describe('signature algorithms', () => {
  test('SHA-256 with RSA 2048 is strong', () => {
    const c = parsed(issue(root, { cn: 'vpn.example.com' }));
    expect(c.signature.name).toBe('sha256WithRSAEncryption');
    expect(strengthFindings(c, false)).toEqual([]);
  });

  test('SHA-384 is strong', () => {
    expect(strengthFindings(parsed(issue(root, { cn: 'vpn.example.com', hash: 'sha384' })), false)).toEqual([]);
  });

  test('SHA-1 is a TLS-policy finding (Apple and Microsoft reject it; the Cisco client’s own rule is undocumented)', () => {
    const c = parsed(issue(root, { cn: 'vpn.example.com', hash: 'sha1' }));
    expect(strengthFindings(c, false)).toEqual([{ issue: 'sha1-signature', severity: 'tls-policy', detail: 'sha1WithRSAEncryption' }]);
  });

  test('MD5 is fatal', () => {
    const c = parsed(issue(root, { cn: 'vpn.example.com', hash: 'md5' }));
    expect(strengthFindings(c, false)).toEqual([{ issue: 'md5-signature', severity: 'fatal', detail: 'md5WithRSAEncryption' }]);
  });

  test('the signature on a trust anchor is not judged, its key is', () => {
    const md5Root = parsed(makeRoot('MD5 Root', { hash: 'md5' }));
    expect(strengthFindings(md5Root, true)).toEqual([]);
    expect(strengthFindings(md5Root, false).map((f) => f.issue)).toEqual(['md5-signature']);
    const smallRoot = parsed(makeRoot('Small Root', { keyBits: 1024, hash: 'sha1' }));
    expect(strengthFindings(smallRoot, true)).toEqual([{ issue: 'rsa-key-below-2048', severity: 'tls-policy', detail: 'RSA 1024 bits' }]);
  });

  test('ECDSA with SHA-1 is SHA-1 too', () => {
    const c = opensslCert('ec:P-256', ['-sha1']);
    expect(c.signature.name).toBe('ecdsa-with-SHA1');
    expect(strengthFindings(c, false).map((f) => [f.issue, f.severity])).toEqual([['sha1-signature', 'tls-policy']]);
  });

  test('RSASSA-PSS is judged by the hash in its parameters', () => {
    const pss256 = pssCert('sha256');
    expect(pss256.signature).toMatchObject({ name: 'RSASSA-PSS (sha256)', hash: 'sha256' });
    expect(strengthFindings(pss256, false)).toEqual([]);
    const pss1 = pssCert('sha1');
    expect(pss1.signature.hash).toBe('sha1');
    expect(strengthFindings(pss1, false).map((f) => f.issue)).toEqual(['sha1-signature']);
  });
});

describe('keys', () => {
  test('RSA 1024 is a TLS-policy finding; below 1024 is fatal', () => {
    const rsa1024 = parsed(issue(root, { cn: 'vpn.example.com', keyBits: 1024 }));
    expect(rsa1024.publicKey).toMatchObject({ type: 'RSA', bits: 1024 });
    expect(strengthFindings(rsa1024, false)).toEqual([{ issue: 'rsa-key-below-2048', severity: 'tls-policy', detail: 'RSA 1024 bits' }]);
    const rsa512 = parsed(issue(root, { cn: 'vpn.example.com', keyBits: 512 }));
    expect(strengthFindings(rsa512, false)).toEqual([{ issue: 'rsa-key-too-small', severity: 'fatal', detail: 'RSA 512 bits' }]);
  });

  test('RSA 2048 and 4096 are fine', () => {
    expect(strengthFindings(parsed(issue(root, { cn: 'vpn.example.com', keyBits: 4096 })), false)).toEqual([]);
  });

  test('EC P-256 and Ed25519 are strong', () => {
    const p256 = opensslCert('ec:P-256');
    expect(p256.publicKey).toMatchObject({ type: 'EC', bits: 256, curve: 'prime256v1' });
    expect(p256.signature.name).toBe('ecdsa-with-SHA256');
    expect(strengthFindings(p256, false)).toEqual([]);
    const ed = opensslCert('ed25519');
    expect(ed.publicKey).toMatchObject({ type: 'Ed25519', bits: 256 });
    expect(ed.signature).toMatchObject({ name: 'Ed25519', hash: null });
    expect(strengthFindings(ed, false)).toEqual([]);
  });

  test('an EC curve below 256 bits is fatal', () => {
    const p224 = opensslCert('ec:secp224r1');
    expect(strengthFindings(p224, false)).toEqual([{ issue: 'ec-key-too-small', severity: 'fatal', detail: 'EC secp224r1 224 bits' }]);
  });

  test('a DSA key is fatal: no TLS 1.2+ client signs with DSA', () => {
    const dsa = opensslCert('dsa', ['-sha256']);
    expect(dsa.publicKey.type).toBe('DSA');
    expect(strengthFindings(dsa, false).map((f) => [f.issue, f.severity])).toEqual([['dsa-key', 'fatal']]);
  });

  test('a weak signature and a weak key are both reported', () => {
    const both = parsed(issue(root, { cn: 'vpn.example.com', keyBits: 1024, hash: 'sha1' }));
    expect(strengthFindings(both, false).map((f) => f.issue)).toEqual(['sha1-signature', 'rsa-key-below-2048']);
  });
});
