/**
 * Key Usage and Extended Key Usage of the gateway's certificate, as AnyConnect requires
 * them: an EKU, when present, lists serverAuth; a KU, when present, allows
 * digitalSignature. Extensions no client can read or understand are fatal anywhere.
 */
import forge from 'node-forge';
import { leafUsageFindings, extensionFindings } from '../../../src/pki/usage';
import { issue, makeRoot, type CertOptions } from '../../helpers/pki';
import { parsed } from './util';

const root = makeRoot();
const leafWith = (opts: CertOptions) => parsed(issue(root, { cn: 'vpn.example.com', ...opts }));
const issues = (opts: CertOptions) => leafUsageFindings(leafWith(opts)).map((f) => [f.issue, f.severity, f.detail]);

describe('Extended Key Usage', () => {
  test('serverAuth passes, alone or with others', () => {
    expect(issues({ eku: ['serverAuth'] })).toEqual([]);
    expect(issues({ eku: ['clientAuth', 'serverAuth'] })).toEqual([]);
    expect(issues({ eku: ['2.5.29.37.0', 'serverAuth'] })).toEqual([]);
  });

  test('no EKU extension at all passes', () => {
    const c = leafWith({ eku: null });
    expect(c.extKeyUsage).toBeNull();
    expect(leafUsageFindings(c)).toEqual([]);
  });

  test('an EKU without serverAuth fails, naming what it lists', () => {
    expect(issues({ eku: ['clientAuth'] })).toEqual([['eku-without-server-auth', 'fail', 'clientAuth']]);
    expect(issues({ eku: ['codeSigning', 'emailProtection'] })).toEqual([['eku-without-server-auth', 'fail', 'codeSigning, emailProtection']]);
    // IKE intermediate is accepted for IPsec only, not for the TLS gateway.
    expect(issues({ eku: ['1.3.6.1.5.5.8.2.2'] })).toEqual([['eku-without-server-auth', 'fail', 'ikeIntermediate']]);
    expect(issues({ eku: ['1.2.3.4.5'] })).toEqual([['eku-without-server-auth', 'fail', '1.2.3.4.5']]);
  });

  test('anyExtendedKeyUsage alone is still an EKU without serverAuth', () => {
    expect(issues({ eku: ['2.5.29.37.0'] })).toEqual([['eku-any-only', 'fail', 'anyExtendedKeyUsage']]);
  });
});

describe('Key Usage', () => {
  test('digitalSignature, with or without keyEncipherment, passes', () => {
    expect(issues({ ku: ['digitalSignature', 'keyEncipherment'] })).toEqual([]);
    expect(issues({ ku: ['digitalSignature'] })).toEqual([]);
    expect(issues({ ku: ['digitalSignature', 'keyAgreement'] })).toEqual([]);
  });

  test('no KU extension at all passes', () => {
    expect(issues({ ku: null })).toEqual([]);
  });

  test('keyEncipherment without digitalSignature fails: TLS 1.3 and ECDHE need the signature', () => {
    expect(issues({ ku: ['keyEncipherment'] })).toEqual([['ku-rsa-key-exchange-only', 'fail', 'keyEncipherment']]);
  });

  test('a KU with neither fails', () => {
    expect(issues({ ku: ['keyAgreement'] })).toEqual([['ku-no-tls-usage', 'fail', 'keyAgreement']]);
    expect(issues({ ku: ['nonRepudiation'] })).toEqual([['ku-no-tls-usage', 'fail', 'nonRepudiation']]);
    expect(issues({ ku: ['keyCertSign', 'cRLSign'] })).toEqual([['ku-no-tls-usage', 'fail', 'keyCertSign, cRLSign']]);
  });

  test('EKU and KU problems are both reported', () => {
    expect(issues({ eku: ['clientAuth'], ku: ['keyEncipherment'] }).map((i) => i[0])).toEqual(['eku-without-server-auth', 'ku-rsa-key-exchange-only']);
  });
});

describe('extensions no client accepts', () => {
  const nullValue = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.NULL, false, '');

  test('an unknown extension marked critical fails, on the leaf and on any issuer', () => {
    const c = leafWith({ extraExtensions: [{ id: '1.3.6.1.4.1.55555.1', critical: true, value: nullValue }] });
    expect(leafUsageFindings(c).map((f) => [f.issue, f.severity])).toEqual([['unknown-critical-extension', 'fail']]);
    expect(leafUsageFindings(c)[0]!.detail).toContain('1.3.6.1.4.1.55555.1 (critical)');
    const ca = parsed(makeRoot('Odd Root', { extraExtensions: [{ id: '1.3.6.1.4.1.55555.1', critical: true, value: nullValue }] }));
    expect(extensionFindings(ca).map((f) => f.issue)).toEqual(['unknown-critical-extension']);
  });

  test('an unknown extension that is not critical is ignored', () => {
    expect(issues({ extraExtensions: [{ id: '1.3.6.1.4.1.55555.2', critical: false, value: nullValue }] })).toEqual([]);
  });

  test('an extension that appears twice fails', () => {
    const c = leafWith({ extraExtensions: [{ name: 'extKeyUsage', serverAuth: true }] });
    expect(c.extensionProblems.map((p) => p.problem)).toEqual(['duplicate']);
    expect(leafUsageFindings(c).map((f) => f.issue)).toEqual(['unparsable-extension']);
  });

  test('a known extension whose contents cannot be decoded fails', () => {
    const c = leafWith({ eku: null, extraExtensions: [{ id: '2.5.29.37', critical: false, value: nullValue }] });
    expect(c.extensionProblems.map((p) => [p.oid, p.problem])).toEqual([['2.5.29.37', 'unparsable']]);
    expect(leafUsageFindings(c).map((f) => f.issue)).toEqual(['unparsable-extension']);
  });
});
