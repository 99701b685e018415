/**
 * The three AnyConnect checks as pure functions of facts: certificates made per test,
 * AnyConnect files from the fixtures, trust stores with the store kinds the local
 * policy can exclude.
 */
import crypto, { createHash, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import type { ClientIdentity, TrustStoreFacts, VpnLogEntry } from '../../../platform/types';
import { anyconnectFacts } from '../../../src/anyconnect/facts';
import { anyconnectClientCert } from '../../../src/checks/anyconnect-client-cert';
import { anyconnectGateway } from '../../../src/checks/anyconnect-gateway';
import { anyconnectPolicy } from '../../../src/checks/anyconnect-policy';
import { runChecklist } from '../../../src/checks/runner';
import type { Check, CheckResult } from '../../../src/checks/types';
import { failed, ok, unsupported, type Fact } from '../../../src/facts';
import { t } from '../../../src/fixes/i18n';
import { CertificatePool } from '../../../src/pki/pool';
import type { StoreEntry, StoreRef } from '../../../src/pki/trust-store';
import { readReply } from '../../../src/probes/anyconnect';
import { DEFAULT_SETTINGS, type GatewayFacts, type CertificateRevocation, type RevocationAttempt, type RevocationFacts, type RunFacts, type TlsFacts } from '../../../src/run-facts';
import { parseTarget } from '../../../src/target';
import { makeIntermediate, makeLeaf, makeRoot, type Issued } from '../../helpers/pki';
import { ASA_AUTH_REQUEST } from '../../helpers/servers';
import { fixture } from './fixtures';

const STORES: Readonly<Record<string, StoreRef>> = {
  keychain: { id: 'keychain:System', label: 'System keychain', kind: 'os-native' },
  login: { id: 'keychain:login', label: 'login keychain', kind: 'os-native' },
  windows: { id: 'windows:LocalMachine\\Root', label: 'LocalMachine\\Root', kind: 'os-native' },
  pem: { id: 'anyconnect-pem:system', label: '/opt/.cisco/certificates/ca', kind: 'anyconnect-pem' },
  bundle: { id: 'linux-bundle', label: '/etc/ssl/certs/ca-certificates.crt', kind: 'os-bundle' },
};

function tlsOf(chain: readonly Issued[], extra: Partial<TlsFacts> = {}): Fact<TlsFacts> {
  return ok({
    completed: true,
    protocol: 'TLSv1.3',
    serverHelloVersion: 'TLSv1.3',
    cipher: { name: 'TLS_AES_128_GCM_SHA256', standardName: 'TLS_AES_128_GCM_SHA256' },
    chain: chain.map((c) => c.der),
    chainSource: 'wire',
    stapledOcsp: null,
    clientCertificate: { requested: false, acceptableCaNames: null },
    failure: null,
    handshakeMs: 20,
    address: '192.0.2.10',
    servername: 'vpn.example.jp',
    ...extra,
  });
}

function storeOf(entries: Array<[Issued, keyof typeof STORES]>): Fact<TrustStoreFacts> {
  const list: StoreEntry[] = entries.map(([c, s]) => ({ der: c.der, store: STORES[s]!, trust: 'trusted' }));
  return ok({ entries: list, sources: [...new Set(entries.map(([, s]) => s))].map((s) => ({ store: STORES[s]!, count: 1, error: null })) });
}

interface Files {
  profiles?: Array<{ path: string; text: string }>;
  localPolicy?: { path: string; text: string } | null;
  preferences?: Array<{ path: string; text: string }>;
}

function anyconnectOf(files: Files | null) {
  if (!files) return anyconnectFacts(unsupported('Cisco AnyConnect / Secure Client is not installed here', 0, { key: 'fact.anyconnect.not-installed' }));
  return anyconnectFacts(ok({ product: 'AnyConnect', version: '4.10.08029', profiles: files.profiles ?? [], localPolicy: files.localPolicy ?? null, preferences: files.preferences ?? [], evidence: '/opt/cisco/anyconnect' }));
}

async function run(check: Check, facts: Partial<RunFacts> & { target?: RunFacts['target'] }): Promise<CheckResult> {
  const [r] = await runAll([check], facts);
  return r!;
}

/** The checks of one run: they share its certificate pool and trust-store index. */
async function runAll(checks: readonly Check[], facts: Partial<RunFacts> & { target?: RunFacts['target'] }): Promise<CheckResult[]> {
  const all: RunFacts = {
    target: parseTarget('vpn.example.jp'),
    connectTo: null,
    startedAt: new Date(),
    platform: 'linux',
    settings: DEFAULT_SETTINGS,
    os: unsupported('test'),
    dns: unsupported('test'),
    reach: unsupported('test'),
    tls: unsupported('test'),
    tlsVersions: unsupported('test'),
    clientTls: unsupported('test'),
    ntp: unsupported('test'),
    timeSync: unsupported('test'),
    trustStore: unsupported('test'),
    dnsConfig: unsupported('test'),
    proxy: unsupported('test'),
    aia: ok({ needed: false, fetches: [] }),
    revocation: unsupported('revocation checking is not part of this build'),
    anyconnect: anyconnectOf(null),
    gateway: unsupported('test'),
    clientIdentities: ok([]),
    vpnLogs: unsupported('test'),
    ...facts,
  };
  const { target, connectTo, startedAt, platform, settings } = all;
  return runChecklist(checks, { base: { target, connectTo, startedAt, platform, settings }, get: async (k) => all[k] }, { pool: new CertificatePool(), elapsed: () => 0 });
}

const en = (r: CheckResult) => t('en', r.summary.key, r.summary.params ?? {});
const details = (r: CheckResult) => (r.details ?? []).map((d) => t('en', d.key, d.params ?? {}));
const fixIds = (r: CheckResult) => (r.fixes ?? []).map((f) => f.id);

function chain(host = 'vpn.example.jp') {
  const root = makeRoot('Example Root CA');
  const int = makeIntermediate(root, 'Example Issuing CA');
  const leaf = makeLeaf(int, host);
  return { root, int, leaf };
}

/** The pin as this test computes it: SHA-512 of the SubjectPublicKeyInfo DER. */
function spkiSha512(c: Issued): Buffer {
  return createHash('sha512').update(new X509Certificate(c.der).publicKey.export({ type: 'spki', format: 'der' })).digest();
}

function pinnedProfile(pins: string[], pinning = true, address = 'vpn.example.jp') {
  return {
    path: '/opt/cisco/anyconnect/profile/pinned.xml',
    text: fixture('profiles/pinned.template.xml')
      .replace('@PINNING@', String(pinning))
      .replace('@ADDRESS@', address)
      .replace('@PINS@', pins.map((p) => `        <Pin Subject="CN=x" Issuer="CN=y">${p}</Pin>`).join('\n')),
  };
}

const LP = '/opt/cisco/anyconnect/AnyConnectLocalPolicy.xml';
const policyFile = (name: string) => ({ path: LP, text: fixture(`local-policy/${name}`) });

describe('anyconnect.policy', () => {
  test('AnyConnect not installed and no files given: skipped with the reason', async () => {
    const r = await run(anyconnectPolicy, {});
    expect(r).toMatchObject({ status: 'skip', reason: 'not-installed' });
    expect(en(r)).toContain('Cisco AnyConnect / Secure Client is not installed on this computer, and no --profile or --local-policy was given');
  });

  test('strict trust and an untrusted root: a hard failure with no "Connect Anyway", quoting the unconfirmed message', async () => {
    const { int, leaf } = chain();
    const r = await run(anyconnectPolicy, {
      tls: tlsOf([leaf, int]),
      trustStore: storeOf([[makeRoot('Unrelated Root'), 'bundle']]),
      anyconnect: anyconnectOf({ localPolicy: policyFile('windows-anyconnect-4.10-strict.xml') }),
    });
    expect(r).toMatchObject({ status: 'fail', reason: 'strict-trust' });
    expect(en(r)).toBe(
      `StrictCertificateTrust=true in ${LP}: AnyConnect refuses this untrusted certificate outright, with no “Connect Anyway” choice. It shows “Local policy prohibits the acceptance of untrusted server certificates. A connection will not be established.” (wording unconfirmed).`,
    );
    expect(r.evidence?.anyconnectMessage).toMatchObject({ case: 'strict', confidence: 'unconfirmed' });
    expect(fixIds(r)).toEqual(['anyconnect.policy-strict']);
    expect(details(r)).toContain(`Settings read from ${LP}: StrictCertificateTrust=true, ExcludeWinNativeCertStore=false, RestrictPreferenceCaching=Thumbprints.`);
  });

  test('strict trust with a trusted chain changes nothing', async () => {
    const { root, int, leaf } = chain();
    const r = await run(anyconnectPolicy, { tls: tlsOf([leaf, int]), trustStore: storeOf([[root, 'bundle']]), anyconnect: anyconnectOf({ localPolicy: policyFile('windows-anyconnect-4.10-strict.xml') }) });
    expect(r).toMatchObject({ status: 'pass', reason: 'no-effect' });
    expect(en(r)).toBe(`AnyConnect’s settings on this computer (${LP}) do not change the verdict for this gateway.`);
  });

  test('without strict trust an untrusted certificate is blocked by default, or prompted when the user turned blocking off', async () => {
    const { int, leaf } = chain();
    const base = { tls: tlsOf([leaf, int]), trustStore: storeOf([[makeRoot('Unrelated Root'), 'bundle']]) };
    const blocked = await run(anyconnectPolicy, { ...base, anyconnect: anyconnectOf({ localPolicy: policyFile('linux-anyconnect-4.10-default.xml') }) });
    expect(blocked).toMatchObject({ status: 'warn', reason: 'untrusted-blocked' });
    expect(en(blocked)).toContain('shows “Untrusted VPN Server Blocked!” (buttons “Keep Me Safe” and “Change Setting…”)');
    expect(blocked.evidence?.anyconnectMessage).toMatchObject({ case: 'blocked', confidence: 'observed' });
    const prompted = await run(anyconnectPolicy, {
      ...base,
      anyconnect: anyconnectOf({ preferences: [{ path: 'C:\\Users\\y\\AppData\\Local\\Cisco\\Cisco AnyConnect Secure Mobility Client\\preferences.xml', text: fixture('preferences/windows-preferences.xml') }] }),
    });
    expect(prompted).toMatchObject({ status: 'warn', reason: 'untrusted-prompt' });
    expect(en(prompted)).toContain('“Block connections to untrusted servers” is off');
  });

  test('macOS with ExcludeMacNativeCertStore: a root only in the Keychain does not count', async () => {
    const { root, int, leaf } = chain();
    const files = { localPolicy: policyFile('macos-anyconnect-4.9-exclude-native.xml') };
    const r = await run(anyconnectPolicy, { platform: 'macos', tls: tlsOf([leaf, int]), trustStore: storeOf([[root, 'keychain']]), anyconnect: anyconnectOf(files) });
    expect(r).toMatchObject({ status: 'fail', reason: 'excluded-store' });
    expect(en(r)).toBe(
      `The root “Example Root CA” is only in System keychain, and ExcludeMacNativeCertStore=true in ${LP} tells AnyConnect not to use that store. A browser trusts this gateway, AnyConnect will not: it shows “Untrusted VPN Server Blocked!” (buttons “Keep Me Safe” and “Change Setting…”).`,
    );
    expect(fixIds(r)).toEqual(['anyconnect.policy-store', 'trust.install-root', 'anyconnect.fix-trust-first']);
    // The same root also in AnyConnect's PEM store: trusted again.
    const both = await run(anyconnectPolicy, { platform: 'macos', tls: tlsOf([leaf, int]), trustStore: storeOf([[root, 'keychain'], [root, 'pem']]), anyconnect: anyconnectOf(files) });
    expect(both).toMatchObject({ status: 'pass', reason: 'no-effect' });
    // The setting means nothing on Linux.
    const linux = await run(anyconnectPolicy, { platform: 'linux', tls: tlsOf([leaf, int]), trustStore: storeOf([[root, 'bundle']]), anyconnect: anyconnectOf(files) });
    expect(linux).toMatchObject({ status: 'pass' });
  });

  test('Windows with ExcludeWinNativeCertStore, and ExcludePemFileCertStore anywhere', async () => {
    const { root, int, leaf } = chain();
    const win = await run(anyconnectPolicy, {
      platform: 'windows',
      tls: tlsOf([leaf, int]),
      trustStore: storeOf([[root, 'windows']]),
      revocation: ok<RevocationFacts>({ certificates: [], stapled: false }),
      anyconnect: anyconnectOf({ localPolicy: policyFile('windows-secureclient-5.1-exclude-native.xml') }),
    });
    expect(win).toMatchObject({ status: 'fail', reason: 'excluded-store' });
    expect(en(win)).toContain('ExcludeWinNativeCertStore=true');
    const pem = await run(anyconnectPolicy, {
      tls: tlsOf([leaf, int]),
      trustStore: storeOf([[root, 'pem']]),
      anyconnect: anyconnectOf({ localPolicy: { path: LP, text: '<AnyConnectLocalPolicy><ExcludePemFileCertStore>true</ExcludePemFileCertStore></AnyConnectLocalPolicy>' } }),
    });
    expect(pem).toMatchObject({ status: 'fail', reason: 'excluded-store' });
    expect(en(pem)).toContain('is only in /opt/.cisco/certificates/ca, and ExcludePemFileCertStore=true');
  });

  test('RestrictServerCertStore: a root only in a user store is marked as an unconfirmed effect', async () => {
    const { root, int, leaf } = chain();
    const r = await run(anyconnectPolicy, {
      platform: 'macos',
      tls: tlsOf([leaf, int]),
      trustStore: storeOf([[root, 'login']]),
      anyconnect: anyconnectOf({ localPolicy: { path: LP, text: '<AnyConnectLocalPolicy><RestrictServerCertStore>true</RestrictServerCertStore></AnyConnectLocalPolicy>' } }),
    });
    expect(r).toMatchObject({ status: 'fail', reason: 'restricted-store' });
    expect(en(r)).toContain('(Cisco does not document exactly which; unconfirmed)');
    expect(r.evidence?.trust).toMatchObject({ excluded: [{ setting: 'RestrictServerCertStore', confirmed: false }] });
  });

  test.each(['hex', 'base64'] as const)('a pin (%s) of the issuing CA’s key matches', async (encoding) => {
    const { root, int, leaf } = chain();
    const pin = encoding === 'hex' ? spkiSha512(int).toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:') : spkiSha512(int).toString('base64');
    const r = await run(anyconnectPolicy, { tls: tlsOf([leaf, int]), trustStore: storeOf([[root, 'bundle']]), anyconnect: anyconnectOf({ profiles: [pinnedProfile([pin])] }) });
    expect(r).toMatchObject({ status: 'pass', reason: 'pin-matches' });
    expect(en(r)).toBe(`The certificate pin in /opt/cisco/anyconnect/profile/pinned.xml matches the public key of “Example Issuing CA” (pin written in ${encoding}).`);
    expect(String((r.evidence?.pins as { method: string }).method)).toContain('unconfirmed');
  });

  test('pins that match no key in the chain: AnyConnect refuses the gateway', async () => {
    const { root, int, leaf } = chain();
    const otherKey = spkiSha512(makeLeaf(root, 'other.example.jp')).toString('hex');
    const r = await run(anyconnectPolicy, { tls: tlsOf([leaf, int]), trustStore: storeOf([[root, 'bundle']]), anyconnect: anyconnectOf({ profiles: [pinnedProfile([otherKey])] }) });
    expect(r).toMatchObject({ status: 'fail', reason: 'pin-mismatch' });
    expect(en(r)).toBe(
      'The VPN profile (/opt/cisco/anyconnect/profile/pinned.xml) pins 1 public key, and none matches the gateway’s certificate or its issuers. AnyConnect refuses the connection with an error (its exact wording for this case is not documented).',
    );
    expect(fixIds(r)).toEqual(['anyconnect.pin', 'user.not-your-fault']);
    const pins = r.evidence?.pins as { chainSpkiSha512: Array<{ hex: string }> };
    expect(pins.chainSpkiSha512[0]!.hex).toBe(spkiSha512(leaf).toString('hex'));
  });

  test('with a store excluded, the chain is still built at this computer’s clock: the issuer valid now is the one pinned against', async () => {
    const oldRoot = makeRoot('Old Root CA');
    const newRoot = makeRoot('New Root CA');
    const DAY = 86_400_000;
    // The same issuing CA twice: an expired certificate under the old root, a current one under the new.
    const expiredInt = makeIntermediate(oldRoot, 'Example Issuing CA', { notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) });
    const currentInt = makeIntermediate(newRoot, 'Example Issuing CA', { key: expiredInt.key });
    const leaf = makeLeaf(currentInt, 'vpn.example.jp');
    const r = await run(anyconnectPolicy, {
      tls: tlsOf([leaf, expiredInt, currentInt]),
      trustStore: storeOf([[oldRoot, 'bundle'], [newRoot, 'bundle']]),
      anyconnect: anyconnectOf({
        profiles: [pinnedProfile([spkiSha512(newRoot).toString('hex')])],
        localPolicy: { path: LP, text: '<AnyConnectLocalPolicy><ExcludePemFileCertStore>true</ExcludePemFileCertStore></AnyConnectLocalPolicy>' },
      }),
    });
    expect(r.evidence?.trust).toMatchObject({ excluded: [{ setting: 'ExcludePemFileCertStore' }], pathEndUnderPolicy: 'anchor' });
    expect(r).toMatchObject({ status: 'pass', reason: 'pin-matches' });
    expect(en(r)).toContain('matches the public key of “New Root CA”');
  });

  test('the trust store is read once for the run, however many AnyConnect checks build on it', async () => {
    const { root, int, leaf } = chain();
    const storeOnly = makeRoot('Only In The Store CA');
    const Real = crypto.X509Certificate;
    let reads = 0;
    jest.spyOn(crypto, 'X509Certificate').mockImplementation((der) => {
      if (Buffer.isBuffer(der) && der.equals(storeOnly.der)) reads++;
      return new Real(der);
    });
    try {
      const all = {
        tls: tlsOf([leaf, int]),
        trustStore: storeOf([[root, 'bundle'], [storeOnly, 'bundle']]),
        anyconnect: anyconnectOf({ localPolicy: { path: LP, text: '<AnyConnectLocalPolicy><ExcludePemFileCertStore>true</ExcludePemFileCertStore></AnyConnectLocalPolicy>' } }),
        clientIdentities: ok([]),
      };
      const results = await runAll([anyconnectPolicy, anyconnectClientCert], all);
      expect(results.map((x) => x.status)).toEqual(['pass', 'pass']);
    } finally {
      jest.restoreAllMocks();
    }
    expect(reads).toBe(1);
  });

  test('pins with CertificatePinning off, or for another gateway, are not applied', async () => {
    const { root, int, leaf } = chain();
    const wrong = spkiSha512(makeRoot('Nope')).toString('hex');
    const off = await run(anyconnectPolicy, { tls: tlsOf([leaf, int]), trustStore: storeOf([[root, 'bundle']]), anyconnect: anyconnectOf({ profiles: [pinnedProfile([wrong], false)] }) });
    expect(off).toMatchObject({ status: 'pass', reason: 'no-effect' });
    expect(details(off)).toContain('The profile lists 1 pin, but CertificatePinning is not switched on, so AnyConnect does not check pins.');
    const elsewhere = await run(anyconnectPolicy, { tls: tlsOf([leaf, int]), trustStore: storeOf([[root, 'bundle']]), anyconnect: anyconnectOf({ profiles: [pinnedProfile([wrong], true, 'other.example.jp')] }) });
    expect(elsewhere).toMatchObject({ status: 'pass', reason: 'no-effect' });
  });

  test('mandatory revocation checking: unsupported here is a warning, unconfirmed status fails, revoked fails, good passes', async () => {
    const { root, int, leaf } = chain();
    const files = { localPolicy: policyFile('windows-secureclient-5.1-exclude-native.xml') };
    const base = { platform: 'linux' as const, tls: tlsOf([leaf, int]), trustStore: storeOf([[root, 'bundle']]), anyconnect: anyconnectOf(files) };
    const notChecked = await run(anyconnectPolicy, base);
    expect(notChecked).toMatchObject({ status: 'warn', reason: 'revocation-not-checked' });
    expect(en(notChecked)).toBe(`OCSPRevocation=true in ${LP} makes revocation checking mandatory for AnyConnect, but this run could not check revocation (revocation checking is not part of this build).`);
    const fp = (c: Issued) => new X509Certificate(c.der).fingerprint256;
    const state = (leafState: 'good' | 'revoked' | 'unreachable') =>
      ok<RevocationFacts>({
        certificates: [
          revoked(fp(leaf), 'CN=vpn.example.jp', 'leaf', leafState === 'unreachable' ? null : 'ocsp', leafState),
          revoked(fp(int), 'CN=Example Issuing CA', 'intermediate', 'crl', 'good'),
        ],
        stapled: false,
      });
    const unreachable = await run(anyconnectPolicy, { ...base, revocation: state('unreachable') });
    expect(unreachable).toMatchObject({ status: 'fail', reason: 'revocation-required' });
    expect(en(unreachable)).toContain('the status of “vpn.example.jp” could not be confirmed');
    expect(await run(anyconnectPolicy, { ...base, revocation: state('revoked') })).toMatchObject({ status: 'fail', reason: 'revoked' });
    const good = await run(anyconnectPolicy, { ...base, revocation: state('good') });
    expect(good).toMatchObject({ status: 'pass', reason: 'no-effect' });
    expect(details(good)).toContain('Revocation checking is required (OCSPRevocation), and the certificates are confirmed not revoked.');
  });

  test('settings in the wrong file, values that are not booleans, and refused files are warnings with the file', async () => {
    const { root, int, leaf } = chain();
    const r = await run(anyconnectPolicy, {
      tls: tlsOf([leaf, int]),
      trustStore: storeOf([[root, 'bundle']]),
      anyconnect: anyconnectOf({
        profiles: [
          { path: '/p/sc.xml', text: fixture('profiles/windows-secureclient-5.1.xml') },
          { path: '/p/evil.xml', text: fixture('malicious/billion-laughs.xml') },
        ],
        localPolicy: { path: LP, text: fixture('local-policy/invalid-values.xml') },
      }),
    });
    expect(r.status).toBe('warn');
    expect(r.reason).toBe('file-refused');
    expect(en(r)).toMatch(/^The AnyConnect file \/p\/evil\.xml was refused: \/p\/evil\.xml was refused: it contains a document type declaration/);
    expect(details(r)).toEqual(
      expect.arrayContaining([
        'StrictCertificateTrust=true in the VPN profile /p/sc.xml is ignored by the client: it belongs in AnyConnectLocalPolicy.xml.',
        'BlockUntrustedServers=true in the VPN profile /p/sc.xml is ignored by the client: it belongs in the user’s preferences (“Block connections to untrusted servers”).',
        `StrictCertificateTrust is “yes” in ${LP}, which is neither true nor false; the client’s default applies.`,
        'CertificatePinning is “maybe” in /p/sc.xml, which is neither true nor false; the client’s default applies.',
      ]),
    );
    expect(fixIds(r)).toEqual(['anyconnect.fix-profile']);
  });

  test('the client’s last gateway-certificate failure is shown with its meaning', async () => {
    const { root, int, leaf } = chain();
    const logs: VpnLogEntry[] = [{ time: '2024-05-02T00:14:06Z', source: 'acvpnagent', message: 'Termination reason code 59:  Connection attempt failed due to certificate problems.' }];
    const r = await run(anyconnectPolicy, { tls: tlsOf([leaf, int]), trustStore: storeOf([[root, 'bundle']]), anyconnect: anyconnectOf({}), vpnLogs: ok(logs) });
    expect(details(r)).toContain(
      'AnyConnect’s own log (acvpnagent), 2024-05-02 00:14 UTC: “Termination reason code 59: Connection attempt failed due to certificate problems.” Meaning: the client rejected the gateway’s certificate (termination reason 59: certificate problems).',
    );
    expect(r.evidence?.log).toMatchObject({ entriesRead: 1, lastGatewayCertificateFailure: { kind: 'gateway-certificate-invalid' } });
    // In Japanese, the client's own words stay in English.
    expect(t('ja', r.details![0]!.key, r.details![0]!.params)).toContain('AnyConnect 自身のログ（acvpnagent、2024-05-02 00:14 UTC）:“Termination reason code 59: Connection attempt failed due to certificate problems.”');
  });

  test('a broken AnyConnect discovery is an error, never a pass', async () => {
    const r = await run(anyconnectPolicy, { anyconnect: failed('EACCES', 'permission denied') });
    expect(r).toMatchObject({ status: 'error', reason: 'probe-error' });
  });
});

describe('anyconnect.gateway', () => {
  const reply = (status: number, body: string, headers: Record<string, string> = {}): GatewayFacts => ({
    ...readReply({ status, headers, body: Buffer.from(body), receivedAt: new Date('2024-06-12T00:00:00Z') }, parseTarget('https://vpn.example.jp/staff')),
    ms: 40,
  });

  test('an ASA-style reply: product, version, auth, tunnel groups, the group this URL uses', async () => {
    const g = reply(200, ASA_AUTH_REQUEST, { 'content-type': 'text/xml', 'x-aggregate-auth': '1', date: 'Wed, 12 Jun 2024 00:07:00 GMT' });
    expect(g).toMatchObject({ kind: 'anyconnect', product: 'Cisco ASA/FTD', serverVersion: '9.16(4)', currentGroup: 'Employees', authMethods: ['password'], clockOffsetMs: 420_000 });
    const r = await run(anyconnectGateway, { gateway: ok(g), target: parseTarget('https://vpn.example.jp/staff') });
    expect(r).toMatchObject({ status: 'pass', reason: 'anyconnect' });
    expect(en(r)).toBe('vpn.example.jp answers like an AnyConnect gateway (Cisco ASA/FTD, version 9.16(4)); it asks for a user name and password.');
    expect(details(r)).toEqual([
      'The gateway’s clock (HTTP Date: Wed, 12 Jun 2024 00:07:00 GMT) is 7 minutes ahead of this computer’s clock.',
      'Tunnel groups it offers to choose from: Employees and Contractors.',
    ]);
    expect(r.evidence).toMatchObject({ request: { method: 'POST', credentialsSent: false } });
  });

  test('SAML and client-certificate requests in the reply', async () => {
    const g = reply(
      200,
      '<?xml version="1.0"?><config-auth client="vpn" type="auth-request"><version who="sg">9.18(3)</version><opaque is-for="sg"><tunnel-group>SSO</tunnel-group><auth-method>single-sign-on-v2</auth-method></opaque><client-cert-request/><auth id="main"><sso-v2-login>https://vpn.example.jp/+CSCOE+/saml/sp/login?tgname=SSO</sso-v2-login></auth></config-auth>',
    );
    expect(g).toMatchObject({ clientCertRequested: true, ssoLoginUrl: 'https://vpn.example.jp/+CSCOE+/saml/sp/login?tgname=SSO', currentGroup: 'SSO' });
    const r = await run(anyconnectGateway, { gateway: ok(g) });
    expect(en(r)).toContain('it asks for single sign-on (SAML) in a browser window');
    expect(details(r)).toEqual(['It does not list tunnel groups to choose from; this address uses the group “SSO”.', 'Its answer asks for a client certificate (<client-cert-request/>).']);
  });

  test.each([
    [404, '<html>Not Found</html>', {}, 'http-status', 'https://vpn.example.jp/staff answered the AnyConnect login request with HTTP 404: this is not an AnyConnect-compatible gateway at that address.'],
    [302, '', { location: '/+CSCOE+/logon.html' }, 'redirect', 'https://vpn.example.jp/staff redirects the AnyConnect login request to /+CSCOE+/logon.html: this is not an AnyConnect-compatible gateway at that address (a web portal, or the wrong address?).'],
    [200, '<html><body>Welcome</body></html>', { 'content-type': 'text/html' }, 'not-config-auth', 'https://vpn.example.jp/staff answered, but not like an AnyConnect gateway (HTTP 200, but the reply is not an AnyConnect config-auth document (text/html)): this is not an AnyConnect-compatible gateway at that address.'],
  ] as const)('HTTP %i: a warning that names what answered', async (status, body, headers, why, words) => {
    const g = reply(status, body, headers);
    expect(g).toMatchObject({ kind: 'not-anyconnect', why });
    const r = await run(anyconnectGateway, { gateway: ok(g) });
    expect(r).toMatchObject({ status: 'warn', reason: 'not-anyconnect' });
    expect(en(r)).toBe(words);
    expect(fixIds(r)).toEqual(['anyconnect.check-url', 'tls.gateway-config']);
  });

  test('a reply cut at the size limit is too large: a warning, never read as a gateway', async () => {
    const g = { ...readReply({ status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(ASA_AUTH_REQUEST), receivedAt: new Date(), truncated: true }, parseTarget('https://vpn.example.jp/staff')), ms: 40 };
    expect(g).toMatchObject({ kind: 'not-anyconnect', why: 'too-large', serverVersion: null, groups: [] });
    const r = await run(anyconnectGateway, { gateway: ok(g) });
    expect(r).toMatchObject({ status: 'warn', reason: 'reply-too-large' });
    expect(en(r)).toBe(
      'https://vpn.example.jp/staff answered the AnyConnect login request with more than 256 KiB, far more than any gateway’s login form: the answer was not read, so this address could not be confirmed as an AnyConnect-compatible gateway.',
    );
    expect(t('ja', r.summary.key, r.summary.params ?? {})).toBe(
      'https://vpn.example.jp/staff は AnyConnect のログイン要求に 256 KiB を超える応答を返しました。ゲートウェイのログインフォームとしては大きすぎるため、応答は読み取っていません。このアドレスが AnyConnect 互換のゲートウェイかどうかは確認できませんでした。',
    );
    expect(fixIds(r)).toEqual(['anyconnect.check-url', 'tls.gateway-config']);
  });

  test('a reply with a DTD is refused, not expanded', () => {
    const g = reply(200, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><config-auth type="auth-request"><version who="sg">&a;</version></config-auth>');
    expect(g).toMatchObject({ kind: 'not-anyconnect', why: 'refused-xml', serverVersion: null });
  });

  test('no TLS connection: skipped with why; the probe breaking: error', async () => {
    expect(await run(anyconnectGateway, { gateway: unsupported('no TLS connection to send the AnyConnect request over (refused)') })).toMatchObject({ status: 'skip', reason: 'no-tls' });
    expect(await run(anyconnectGateway, { gateway: failed('timeout', 'the run reached its time limit') })).toMatchObject({ status: 'error' });
  });
});

describe('anyconnect.client-cert', () => {
  const userCa = makeRoot('Example Corp User CA');
  /** The subject Name of a CA, DER-encoded as a CertificateRequest lists it. */
  const subjectDer = (c: Issued): Buffer => Buffer.from(forge.asn1.toDer(forge.pki.distinguishedNameToAsn1(c.cert.subject)).getBytes(), 'binary');
  const requested = (names: Issued[]) => tlsOf([makeLeaf(null, 'vpn.example.jp')], { clientCertificate: { requested: true, acceptableCaNames: names.map(subjectDer) } });
  const id = (c: Issued, hasPrivateKey: boolean | null = true, store = '~/.cisco/certificates/client/u.pem'): ClientIdentity => ({ der: c.der, store, hasPrivateKey });

  test('not requested: pass, and the certificates found are only counted', async () => {
    const r = await run(anyconnectClientCert, { tls: tlsOf([makeLeaf(null, 'vpn.example.jp')]), clientIdentities: ok([id(makeLeaf(userCa, 'yamada', { eku: ['clientAuth'], dns: [] }))]) });
    expect(r).toMatchObject({ status: 'pass', reason: 'not-requested' });
    expect(details(r)).toEqual(['This computer has 1 client certificate, but this gateway does not ask for one.']);
  });

  test('requested optionally beside a password form, none usable: a warning, the password will be asked', async () => {
    const asa = readReply({ status: 200, headers: {}, body: Buffer.from(ASA_AUTH_REQUEST), receivedAt: new Date() }, parseTarget('vpn.example.jp'));
    const r = await run(anyconnectClientCert, { tls: requested([userCa]), gateway: ok(asa), clientIdentities: ok([id(makeLeaf(userCa, 'yamada', { eku: ['clientAuth'], dns: [] }), false)]) });
    expect(r).toMatchObject({ status: 'warn', reason: 'optional-none-usable' });
    expect(en(r)).toContain('(closest: “yamada” in ~/.cisco/certificates/client/u.pem: its private key is missing on this computer)');
  });

  test('a certificate without Client Authentication, or not matching the profile’s CertificateMatch, is not usable', async () => {
    const serverOnly = makeLeaf(userCa, 'yamada-server', { eku: ['serverAuth'], dns: [] });
    const wrongIssuerCn = makeLeaf(makeRoot('Home CA'), 'yamada-home', { eku: ['clientAuth'], dns: [] });
    const profiles = [{ path: '/p/tokyo.xml', text: fixture('profiles/windows-anyconnect-4.10.xml') }];
    const r = await run(anyconnectClientCert, {
      target: parseTarget('https://vpn-tokyo.example.co.jp/employees'),
      tls: tlsOf([makeLeaf(null, 'vpn-tokyo.example.co.jp')], { clientCertificate: { requested: true, acceptableCaNames: [] }, failure: { kind: 'certificate-required', code: 'ERR', message: 'certificate required' } }),
      anyconnect: anyconnectOf({ profiles }),
      clientIdentities: ok([id(serverOnly), id(wrongIssuerCn)]),
    });
    expect(r).toMatchObject({ status: 'fail', reason: 'none-usable' });
    const ids = r.evidence?.identities as Array<{ name: string; problems: string[]; matchesProfile: boolean }>;
    expect(ids.map((i) => [i.name, i.problems])).toEqual([
      ['yamada-server', ['no-client-auth', 'profile-mismatch']],
      ['yamada-home', ['profile-mismatch']],
    ]);
    expect(details(r)).toContain('The gateway does not say which certificate authorities it accepts.');
  });

  test('a CertificateMatch that names Client Authentication by its OID selects a certificate with Client Authentication', async () => {
    const profile = fixture('profiles/windows-anyconnect-4.10.xml').replace(
      '<ExtendedMatchKey>ClientAuth</ExtendedMatchKey>',
      '<CustomExtendedMatchKey>1.3.6.1.5.5.7.3.2</CustomExtendedMatchKey>',
    );
    const user = makeLeaf(userCa, 'yamada', { eku: ['clientAuth'], dns: [] });
    const r = await run(anyconnectClientCert, {
      target: parseTarget('https://vpn-tokyo.example.co.jp/employees'),
      tls: requested([userCa]),
      anyconnect: anyconnectOf({ profiles: [{ path: '/p/tokyo.xml', text: profile }] }),
      clientIdentities: ok([id(user)]),
    });
    expect(r.evidence?.certificateMatch).toMatchObject({ customExtendedKeyUsage: ['1.3.6.1.5.5.7.3.2'] });
    expect(r).toMatchObject({ status: 'pass', reason: 'usable' });
    expect(r.evidence?.identities).toMatchObject([{ name: 'yamada', matchesProfile: true, problems: [] }]);
  });

  test('a usable certificate issued under an intermediate the gateway does not name, but whose root it does', async () => {
    const userInt = makeIntermediate(userCa, 'Example Corp User Issuing CA');
    const user = makeLeaf(userInt, 'yamada', { eku: ['clientAuth'], dns: [] });
    const r = await run(anyconnectClientCert, { tls: requested([userCa]), trustStore: storeOf([[userInt, 'bundle']]), clientIdentities: ok([id(user)]) });
    expect(r).toMatchObject({ status: 'pass', reason: 'usable' });
    expect(en(r)).toMatch(/^The gateway asks for a client certificate, and this computer has 1 it can use, e\.g\. “yamada” \(~\/\.cisco\/certificates\/client\/u\.pem, valid until \d{4}-\d\d-\d\d\)\.$/);
  });

  test('client certificates that cannot be read here: a warning (unsupported) or an error (broken)', async () => {
    expect(await run(anyconnectClientCert, { tls: requested([userCa]), clientIdentities: unsupported('no adapter for sunos') })).toMatchObject({ status: 'warn', reason: 'identities-unknown' });
    expect(await run(anyconnectClientCert, { tls: requested([userCa]), clientIdentities: failed('powershell', 'PowerShell failed') })).toMatchObject({ status: 'error', reason: 'identities-error' });
  });
});

/** One certificate's revocation facts as the probe records them: one answer from `method`, or none reachable. */
function revoked(
  fingerprint: string,
  subject: string,
  role: 'leaf' | 'intermediate',
  method: 'ocsp' | 'crl' | null,
  state: 'good' | 'revoked' | 'unreachable',
): CertificateRevocation {
  const now = Date.now();
  const window = { thisUpdate: new Date(now - 3_600_000).toISOString(), nextUpdate: new Date(now + 86_400_000).toISOString() };
  const attempt: RevocationAttempt =
    state === 'unreachable'
      ? { method: 'ocsp', url: 'http://ocsp.example.jp/', state: 'unreachable', detail: 'no answer in time', problem: 'timeout' }
      : { method: method ?? 'ocsp', url: `http://${method}.example.jp/`, state, detail: '', ...window, ...(state === 'revoked' ? { revokedAt: new Date(now - 86_400_000).toISOString(), reason: 'keyCompromise' } : {}) };
  return {
    fingerprint,
    subject,
    role,
    serialNumber: '01',
    issuer: null,
    ocspUrls: ['http://ocsp.example.jp/'],
    crlUrls: [],
    notChecked: null,
    state,
    decidedBy: state === 'unreachable' ? null : method,
    attempts: [attempt],
  };
}
