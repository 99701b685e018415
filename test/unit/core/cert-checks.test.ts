/**
 * The certificate checks as PRODUCT.md defines them, decided from facts alone: the
 * chain a gateway sent, the trust store, the OS the report is for. No network.
 */
import { certChain } from '../../../src/checks/cert-chain';
import { certHostname } from '../../../src/checks/cert-hostname';
import { certStrength } from '../../../src/checks/cert-strength';
import { certTrust } from '../../../src/checks/cert-trust';
import { certUsage } from '../../../src/checks/cert-usage';
import { anchorsOf, chainFrom } from '../../../src/checks/runner';
import type { Check, CheckContext, Outcome } from '../../../src/checks/types';
import { ok, unsupported, type Fact } from '../../../src/facts';
import { t } from '../../../src/fixes/i18n';
import { CertificatePool } from '../../../src/pki/pool';
import type { StoreEntry } from '../../../src/pki/trust-store';
import { DEFAULT_SETTINGS, type AnyConnectFacts, type RunFacts } from '../../../src/run-facts';
import { parseTarget } from '../../../src/target';
import type { PlatformId } from '../../../platform/types';
import { issue, makeIntermediate, makeLeaf, makeRoot, newKey, type Issued } from '../../helpers/pki';

interface Situation {
  readonly sent: readonly Issued[];
  readonly store?: ReadonlyArray<Issued | StoreEntry>;
  readonly host?: string;
  readonly platform?: PlatformId;
  readonly excludeMacNativeCertStore?: boolean;
}

function storeEntry(c: Issued | StoreEntry): StoreEntry {
  return 'store' in c ? c : { der: c.der, store: { id: 'ca-file', label: '--ca-file corp-root.pem', kind: 'ca-file' }, trust: 'trusted' };
}

function evaluate(check: Check, s: Situation): Outcome & { text: string } {
  const entries = (s.store ?? []).map(storeEntry);
  const anyconnect: Fact<AnyConnectFacts> =
    s.excludeMacNativeCertStore === undefined
      ? unsupported('not read')
      : ok({ install: null, profileSource: 'none', localPolicySource: 'given', profiles: [], preferences: [], problems: [], localPolicy: { path: 'AnyConnectLocalPolicy.xml', acversion: null, restrictPreferenceCaching: null, invalid: [], strictCertificateTrust: null, excludePemFileCertStore: null, excludeWinNativeCertStore: null, excludeMacNativeCertStore: s.excludeMacNativeCertStore, excludeFirefoxNSSCertStore: null, restrictServerCertStore: null, enableCRLCheck: null, ocspRevocation: null, fipsMode: null } });
  const facts = {
    target: parseTarget(s.host ?? 'vpn.example.com'),
    connectTo: null,
    startedAt: new Date(),
    platform: s.platform ?? 'linux',
    settings: DEFAULT_SETTINGS,
    tls: ok({ chain: s.sent.map((c) => c.der), chainSource: 'wire' }),
    trustStore: ok({ entries, sources: [{ store: entries[0]?.store ?? storeEntry(makeRootOnce()).store, count: Math.max(1, entries.length), error: null }] }),
    aia: ok({ needed: false, fetches: [] }),
    anyconnect,
    ntp: unsupported('not asked'),
  } as unknown as RunFacts;
  const pool = new CertificatePool();
  const ctx: CheckContext = { facts, chain: (options) => chainFrom(facts, pool, options), anchors: () => anchorsOf(facts, pool), trueNow: () => null, result: () => undefined };
  const o = check.evaluate(ctx);
  return { ...o, text: t('en', o.summary.key, o.summary.params) };
}

let spareRoot: Issued | null = null;
function makeRootOnce(): Issued {
  spareRoot ??= makeRoot('Unrelated Store Root');
  return spareRoot;
}

const root = makeRoot();
const int = makeIntermediate(root);
const good = makeLeaf(int, 'vpn.example.com');

test('a sound chain passes all five', () => {
  for (const check of [certChain, certTrust, certHostname, certStrength, certUsage]) {
    expect({ id: check.id, status: evaluate(check, { sent: [good, int], store: [root] }).status }).toEqual({ id: check.id, status: 'pass' });
  }
});

describe('cert.strength', () => {
  const sha1Leaf = makeLeaf(int, 'vpn.example.com', { hash: 'sha1' });

  test('a SHA-1 leaf warns on Linux and Windows, where the Cisco client’s own rule is undocumented (current openconnect rejects it)', () => {
    for (const platform of ['linux', 'windows'] as const) {
      const o = evaluate(certStrength, { sent: [sha1Leaf, int], store: [root], platform });
      expect({ platform, status: o.status, reason: o.reason }).toEqual({ platform, status: 'warn', reason: 'sha1-signature' });
      expect(o.text).toBe('“vpn.example.com” uses a SHA-1 signature (sha1WithRSAEncryption). Cisco does not document whether AnyConnect on this computer accepts it; some VPN clients reject it, current openconnect among them, and so do macOS and web browsers. It should be replaced.');
    }
  });

  test('on macOS, where the native store applies Apple’s TLS rules, it fails', () => {
    const o = evaluate(certStrength, { sent: [sha1Leaf, int], store: [root], platform: 'macos' });
    expect(o).toMatchObject({ status: 'fail', reason: 'sha1-signature' });
    expect(o.text).toBe('“vpn.example.com” uses a SHA-1 signature (sha1WithRSAEncryption), which macOS rejects for TLS.');
    expect(o.evidence).toMatchObject({ appleTlsRules: true });
  });

  test('on macOS with ExcludeMacNativeCertStore the Apple rules do not apply: a warning', () => {
    const o = evaluate(certStrength, { sent: [sha1Leaf, int], store: [root], platform: 'macos', excludeMacNativeCertStore: true });
    expect(o).toMatchObject({ status: 'warn', reason: 'sha1-signature', evidence: { appleTlsRules: false } });
  });

  test('an RSA-1024 intermediate warns on Linux and fails on macOS', () => {
    const weakInt = makeIntermediate(root, 'Weak Intermediate CA', { keyBits: 1024 });
    const leaf = makeLeaf(weakInt, 'vpn.example.com');
    expect(evaluate(certStrength, { sent: [leaf, weakInt], store: [root] })).toMatchObject({ status: 'warn', reason: 'rsa-key-below-2048' });
    const mac = evaluate(certStrength, { sent: [leaf, weakInt], store: [root], platform: 'macos' });
    expect(mac).toMatchObject({ status: 'fail', reason: 'rsa-key-below-2048' });
    expect(mac.text).toContain('“Weak Intermediate CA” uses an RSA key of only 1024 bits');
  });

  test('MD5 fails on every OS, on the leaf or on an intermediate', () => {
    const md5Leaf = makeLeaf(int, 'vpn.example.com', { hash: 'md5' });
    const md5Int = makeIntermediate(root, 'MD5 Intermediate CA', { hash: 'md5' });
    for (const platform of ['linux', 'windows', 'macos'] as const) {
      expect(evaluate(certStrength, { sent: [md5Leaf, int], store: [root], platform })).toMatchObject({ status: 'fail', reason: 'md5-signature' });
      const o = evaluate(certStrength, { sent: [makeLeaf(md5Int, 'vpn.example.com'), md5Int], store: [root], platform });
      expect(o).toMatchObject({ status: 'fail', reason: 'md5-signature' });
      expect(o.text).toBe('“MD5 Intermediate CA” uses an MD5 signature (md5WithRSAEncryption), which no current client accepts.');
    }
  });

  test('a self-signed MD5 gateway certificate fails: its signature is not a trust anchor’s', () => {
    const selfSigned = issue(null, { cn: 'vpn.example.com', hash: 'md5' });
    expect(evaluate(certStrength, { sent: [selfSigned] })).toMatchObject({ status: 'fail', reason: 'md5-signature' });
  });

  test('an MD5 self-signature on the trusted root is not checked by any client: pass', () => {
    const oldRoot = makeRoot('Old MD5 Root', { hash: 'md5' });
    const oldInt = makeIntermediate(oldRoot, 'Modern Intermediate CA');
    expect(evaluate(certStrength, { sent: [makeLeaf(oldInt, 'vpn.example.com'), oldInt], store: [oldRoot] }).status).toBe('pass');
  });
});

test('a certificate name that looks like one of our message keys is printed as it is, never translated', () => {
  // A hostile CA can name its root anything; "@cert.revocation.good" once came out as our own "Not revoked" sentence.
  const hostileRoot = makeRoot('@cert.revocation.good');
  const hostileInt = makeIntermediate(hostileRoot);
  const o = evaluate(certTrust, { sent: [makeLeaf(hostileInt, 'vpn.example.com'), hostileInt], store: [hostileRoot] });
  expect(o.status).toBe('pass');
  expect(o.text).toBe('The chain ends in “@cert.revocation.good”, which this computer trusts (--ca-file corp-root.pem).');
  expect(t('ja', o.summary.key, o.summary.params)).toContain('@cert.revocation.good');
  expect(t('ja', o.summary.key, o.summary.params)).not.toContain(t('ja', 'revocation.method.ocsp'));
});

describe('cert.usage', () => {
  test('an EKU with only clientAuth fails', () => {
    const o = evaluate(certUsage, { sent: [makeLeaf(int, 'vpn.example.com', { eku: ['clientAuth'] }), int], store: [root] });
    expect(o).toMatchObject({ status: 'fail', reason: 'eku-without-server-auth' });
    expect(o.text).toContain('its Extended Key Usage (clientAuth) does not include Server Authentication');
  });

  test('an EKU with only anyExtendedKeyUsage fails too', () => {
    const o = evaluate(certUsage, { sent: [makeLeaf(int, 'vpn.example.com', { eku: ['2.5.29.37.0'] }), int], store: [root] });
    expect(o).toMatchObject({ status: 'fail', reason: 'eku-any-only' });
    expect(o.text).toContain('does not list Server Authentication');
  });

  test('a key usage without digitalSignature fails', () => {
    const o = evaluate(certUsage, { sent: [makeLeaf(int, 'vpn.example.com', { ku: ['keyEncipherment'] }), int], store: [root] });
    expect(o).toMatchObject({ status: 'fail', reason: 'ku-rsa-key-exchange-only' });
  });

  test('the usages are listed the way the report’s language lists them', () => {
    const o = evaluate(certUsage, { sent: [makeLeaf(int, 'vpn.example.com', { eku: ['clientAuth', 'codeSigning', 'emailProtection'] }), int], store: [root] });
    expect(o).toMatchObject({ status: 'fail', reason: 'eku-without-server-auth' });
    expect(o.text).toContain('(clientAuth, codeSigning, and emailProtection)');
    expect(t('ja', o.summary.key, o.summary.params)).toContain('clientAuth、codeSigning、emailProtection');
  });

  test('a key usage with digitalSignature only passes', () => {
    expect(evaluate(certUsage, { sent: [makeLeaf(int, 'vpn.example.com', { ku: ['digitalSignature'] }), int], store: [root] }).status).toBe('pass');
  });
});

describe('cert.hostname', () => {
  test('a gateway given by IP whose certificate lists that IP only as a DNS name fails, and says so', () => {
    const leaf = makeLeaf(int, 'gateway', { dns: ['192.0.2.10'] });
    const o = evaluate(certHostname, { sent: [leaf, int], store: [root], host: '192.0.2.10' });
    expect(o).toMatchObject({ status: 'fail', reason: 'ip-as-dns-name' });
    expect(o.text).toBe('The certificate lists 192.0.2.10 as a DNS name, not as an IP address entry; a client connecting to 192.0.2.10 by address only accepts an IP address entry. It covers: 192.0.2.10.');
  });

  test('a CN-only certificate warns on Linux and Windows and fails on macOS', () => {
    const cnOnly = makeLeaf(int, 'vpn.example.com', { noSan: true });
    expect(evaluate(certHostname, { sent: [cnOnly, int], store: [root], platform: 'linux' })).toMatchObject({ status: 'warn', reason: 'cn-only' });
    expect(evaluate(certHostname, { sent: [cnOnly, int], store: [root], platform: 'windows' })).toMatchObject({ status: 'warn', reason: 'cn-only' });
    expect(evaluate(certHostname, { sent: [cnOnly, int], store: [root], platform: 'macos' })).toMatchObject({ status: 'fail', reason: 'cn-only' });
  });

  test('a wildcard on a public suffix fails with its own reason', () => {
    const o = evaluate(certHostname, { sent: [makeLeaf(int, 'wild', { dns: ['*.co.uk'] }), int], store: [root], host: 'example.co.uk' });
    expect(o).toMatchObject({ status: 'fail', reason: 'wildcard-public-suffix' });
    expect(o.text).toContain('“*.co.uk” sits directly on a public suffix');
  });
});

describe('cert.chain and cert.trust', () => {
  test('a pathLenConstraint the chain breaks fails the chain, and trust cannot be built', () => {
    const limited = makeIntermediate(root, 'Limited CA', { pathLen: 0 });
    const below = makeIntermediate(limited, 'Below Limited CA');
    const sent = [makeLeaf(below, 'vpn.example.com'), below, limited];
    const chain = evaluate(certChain, { sent, store: [root] });
    expect(chain).toMatchObject({ status: 'fail', reason: 'path-length' });
    expect(chain.text).toBe('“Limited CA” allows at most 0 intermediate CA certificates below it (its path length constraint), but this chain has 1. Every client rejects it.');
    expect(evaluate(certTrust, { sent, store: [root] })).toMatchObject({ status: 'fail', reason: 'broken-chain' });
  });

  test('an expired copy of the intermediate sent beside the valid one is not an unrelated certificate', () => {
    const key = newKey();
    const expired = makeIntermediate(root, 'Reissued CA', { key, notBefore: new Date(Date.now() - 800 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    const current = makeIntermediate(root, 'Reissued CA', { key });
    const o = evaluate(certChain, { sent: [makeLeaf(current, 'vpn.example.com'), current, expired], store: [root] });
    expect(o.status).toBe('pass');
    expect(o.evidence).toMatchObject({ layout: { superseded: [2], unrelated: [] } });
    expect((o.evidence as { rejected: unknown[] }).rejected).toEqual([expect.objectContaining({ reason: 'expired', origin: 'presented' })]);
  });

  test('an intermediate the server sends is not "missing" because this computer also caches it', () => {
    const cached: StoreEntry = { der: int.der, store: { id: 'windows:CA', label: 'Windows Intermediate Certification Authorities', kind: 'os-native' }, trust: 'trusted', role: 'intermediate' };
    const o = evaluate(certChain, { sent: [good, int], store: [root, cached] });
    expect(o).toMatchObject({ status: 'pass', reason: 'complete' });
  });

  test('an intermediate the server leaves out but this computer caches is missing (other computers fail)', () => {
    const cached: StoreEntry = { der: int.der, store: { id: 'windows:CA', label: 'Windows Intermediate Certification Authorities', kind: 'os-native' }, trust: 'trusted', role: 'intermediate' };
    const o = evaluate(certChain, { sent: [good], store: [root, cached] });
    expect(o).toMatchObject({ status: 'fail', reason: 'missing-intermediate' });
    expect(o.text).toContain('this computer happens to have it, in Windows Intermediate Certification Authorities.');
  });

  test('a trust anchor that is itself an intermediate is trusted; the chain is complete when the server sends it', () => {
    expect(evaluate(certTrust, { sent: [good, int], store: [int] })).toMatchObject({ status: 'pass', reason: 'trusted' });
    expect(evaluate(certChain, { sent: [good, int], store: [int] })).toMatchObject({ status: 'pass' });
  });
});
