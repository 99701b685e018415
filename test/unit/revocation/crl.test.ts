/**
 * CRLs without a network: lists made by `openssl ca -gencrl` (independent of the code
 * under test) and by the test helper when one must be broken on purpose.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseCertificate } from '../../../src/pki/certificate';
import { CrlParseError, lookupSerial, parseCrl, verifyCrl } from '../../../src/pki/crl';
import { crlPem, makeCrl, opensslCrl } from '../../helpers/crl';
import { makeIntermediate, makeLeaf, makeRoot, newKey } from '../../helpers/pki';

const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'vpf-crl-'));

describe('reading a CRL', () => {
  test('a CRL made by openssl ca (PEM): issuer, dates, the revoked serial with its reason and time', () => {
    const root = makeRoot();
    const revoked = makeLeaf(root, 'revoked.example');
    const fine = makeLeaf(root, 'fine.example');
    const at = new Date('2024-05-06T07:08:09Z');
    const pem = opensslCrl(tmp(), root, [{ cert: revoked, revokedAt: at, reason: 'superseded' }]);
    const crl = parseCrl(Buffer.from(pem));
    expect(crl.issuer.text).toBe('CN=Test Root CA, O=vpn-preflight tests');
    expect(crl.nextUpdate!.getTime() - crl.thisUpdate.getTime()).toBe(7 * 86_400_000);
    expect(crl.entries).toHaveLength(1);
    expect(verifyCrl(crl, parseCertificate(revoked.der), parseCertificate(root.der))).toEqual({ ok: true });
    expect(lookupSerial(crl, parseCertificate(revoked.der).serialNumber)).toEqual({ serial: expect.any(String), revokedAt: at, reason: 'superseded' });
    expect(lookupSerial(crl, parseCertificate(fine.der).serialNumber)).toBeNull();
  });

  test('DER and PEM of the same list read the same', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'x');
    const der = makeCrl({ issuer: root, entries: [{ serialHex: leaf.cert.serialNumber, reason: 1 }] });
    const a = parseCrl(der);
    const b = parseCrl(Buffer.from(`some text before\n${crlPem(der)}`));
    expect(b.entries).toEqual(a.entries);
    expect(a.entries[0]!.reason).toBe('keyCompromise');
  });

  test('a list without reasons and without nextUpdate', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'x');
    const crl = parseCrl(makeCrl({ issuer: root, entries: [{ serialHex: leaf.cert.serialNumber }], nextUpdate: null }));
    expect(crl.nextUpdate).toBeNull();
    expect(lookupSerial(crl, parseCertificate(leaf.der).serialNumber)?.reason).toBeNull();
  });

  test('garbage and a web page are refused with a plain reason', () => {
    expect(() => parseCrl(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]))).toThrow(CrlParseError);
    expect(() => parseCrl(Buffer.from('<!DOCTYPE html><html>login</html>'))).toThrow(/web page/);
    expect(() => parseCrl(Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'))).toThrow(/no “X509 CRL” block/);
  });

  test('an entry released from hold (removeFromCRL) does not count as revoked', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'x');
    const crl = parseCrl(makeCrl({ issuer: root, entries: [{ serialHex: leaf.cert.serialNumber, reason: 8 }] }));
    expect(lookupSerial(crl, parseCertificate(leaf.der).serialNumber)).toBeNull();
  });
});

describe('verifying a CRL', () => {
  test('signed with another key: bad signature', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'x');
    const crl = parseCrl(makeCrl({ issuer: root, signWith: newKey() }));
    expect(verifyCrl(crl, parseCertificate(leaf.der), parseCertificate(root.der))).toMatchObject({ ok: false, problem: 'bad-signature' });
  });

  test('published by another CA: issuer mismatch', () => {
    const root = makeRoot();
    const int = makeIntermediate(root);
    const leaf = makeLeaf(int, 'x');
    const crl = parseCrl(makeCrl({ issuer: root }));
    const v = verifyCrl(crl, parseCertificate(leaf.der), parseCertificate(int.der));
    expect(v).toMatchObject({ ok: false, problem: 'issuer-mismatch' });
  });

  test('an issuer whose key usage lacks cRLSign may not sign CRLs', () => {
    const root = makeRoot('No CRL Root', { ku: ['keyCertSign'] });
    const leaf = makeLeaf(root, 'x');
    const crl = parseCrl(makeCrl({ issuer: root }));
    expect(verifyCrl(crl, parseCertificate(leaf.der), parseCertificate(root.der))).toMatchObject({ ok: false, problem: 'issuer-cannot-sign-crls' });
  });

  test('a delta CRL alone proves nothing', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'x');
    const crl = parseCrl(makeCrl({ issuer: root, delta: true }));
    expect(crl.isDelta).toBe(true);
    // Also when nextUpdate is absent (where the schema parser alone loses the extensions and entries).
    expect(parseCrl(makeCrl({ issuer: root, delta: true, nextUpdate: null })).isDelta).toBe(true);
    expect(verifyCrl(crl, parseCertificate(leaf.der), parseCertificate(root.der))).toMatchObject({ ok: false, problem: 'delta-crl' });
  });
});
