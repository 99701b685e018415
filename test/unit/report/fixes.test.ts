/**
 * Fixes: every reason any of the fifteen checks fails or warns for comes with at least
 * one fix, each fix has its words in both languages for every system it names, a user's
 * fix that depends on the system has steps for all five, and no fix anywhere advises
 * turning certificate checking off. The reasons are produced by the real checks on
 * synthetic facts (one scenario per reason), so a new reason without fixes fails here.
 */
import forge from 'node-forge';
import { FIXES, type FixId } from '../../../src/fixes/catalog';
import { CATALOGS, isKey } from '../../../src/fixes/i18n';
import type { CheckResult } from '../../../src/checks/types';
import type { CertificatePool } from '../../../src/pki/pool';
import type { PreflightOutcome } from '../../../src/preflight';
import { buildReport } from '../../../src/report/model';
import { renderText } from '../../../src/report/text';
import { issue, makeIntermediate, makeLeaf, makeRoot, standardChain } from '../../helpers/pki';
import { goldenCert, RUN_TIME, subjectDer, syntheticRun, type Synthetic } from './synthetic';

const DAY = 86_400_000;
const at = (iso: string): Date => new Date(iso);

const POLICY = (settings: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<AnyConnectLocalPolicy acversion="4.10.08029" xmlns="http://schemas.xmlsoap.org/encoding/">\n${settings}\n</AnyConnectLocalPolicy>\n`;
const PINNED_PROFILE = `<?xml version="1.0" encoding="UTF-8"?>
<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">
  <ClientInitialization><CertificatePinning>true</CertificatePinning></ClientInitialization>
  <ServerList><HostEntry><HostName>Example Corp VPN</HostName><HostAddress>vpn.example.com</HostAddress>
    <CertificatePinList><Pin Subject="CN=old" Issuer="CN=old CA">${'ab'.repeat(64)}</Pin></CertificatePinList>
  </HostEntry></ServerList>
</AnyConnectProfile>
`;
const MISPLACED_PROFILE = `<?xml version="1.0" encoding="UTF-8"?>
<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">
  <ClientInitialization><StrictCertificateTrust>true</StrictCertificateTrust></ClientInitialization>
  <ServerList><HostEntry><HostName>Example Corp VPN</HostName><HostAddress>vpn.example.com</HostAddress></HostEntry></ServerList>
</AnyConnectProfile>
`;
const DOCTYPE_PROFILE = `<?xml version="1.0"?>\n<!DOCTYPE AnyConnectProfile [<!ENTITY x "y">]>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/"/>\n`;

function scenarios(): Record<string, Synthetic> {
  const now = new Date();
  const fresh = (s: Synthetic): Synthetic => ({ now, gateway: 'localhost', ...s });
  const std = standardChain('localhost');
  const anchors = [{ der: std.root.der }];
  const chainOf = (...c: Array<{ der: Buffer }>): Buffer[] => c.map((x) => x.der);
  const strangerRoot = makeRoot('Stranger Root');
  const upper = makeIntermediate(std.root, 'Upper CA');
  const lower = makeIntermediate(upper, 'Lower CA');
  const deep = makeLeaf(lower, 'localhost');
  const notCa = makeLeaf(std.root, 'not a ca');
  const underNotCa = issue(notCa, { cn: 'localhost', days: 100 });
  const forged = makeLeaf(std.intermediate, 'localhost', { signWith: strangerRoot.key });
  const oldInt = makeIntermediate(std.root, 'Old CA', { notBefore: new Date(now.getTime() - 900 * DAY), notAfter: new Date(now.getTime() - DAY) });
  const underOld = makeLeaf(oldInt, 'localhost');
  const limited = makeIntermediate(std.root, 'Limited CA', { pathLen: 0 });
  const belowLimited = makeIntermediate(limited, 'Too Deep CA');
  const tooDeep = makeLeaf(belowLimited, 'localhost');
  const inspect = (cn: string): Synthetic => {
    const root = makeRoot(cn);
    return fresh({ chain: chainOf(makeLeaf(root, 'localhost')), anchors: [{ der: root.der }] });
  };
  const localRoot = makeRoot('Friendly Root');
  const critical = makeLeaf(std.root, 'localhost', {
    extraExtensions: [{ id: '1.3.6.1.4.1.55555.1', critical: true, value: forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.NULL, false, '') }],
  });
  const userCa = makeRoot('Example Corp User CA');
  const expiredUser = makeLeaf(userCa, 'h.tanaka', { eku: ['clientAuth'], notBefore: new Date(now.getTime() - 400 * DAY), notAfter: new Date(now.getTime() - DAY) });
  const certRequest = { clientCertRequest: [subjectDer(userCa.der)] };
  return {
    // dns.resolve
    'dns nxdomain': { dnsError: { code: 'NXDOMAIN', message: 'ENOTFOUND' } },
    'dns servfail': { dnsError: { code: 'SERVFAIL', message: 'ESERVFAIL' } },
    'dns timeout': { dnsError: { code: 'TIMEOUT', message: 'ETIMEOUT' } },
    'dns refused': { dnsError: { code: 'REFUSED', message: 'ECONNREFUSED' } },
    'dns unresolved with --connect-to': { dnsError: { code: 'NXDOMAIN', message: 'ENOTFOUND' }, connectTo: '203.0.113.10' },
    'dns resolvers disagree': { directAnswer: { resolver: '192.0.2.53:53', a: ['203.0.113.99'], aaaa: [], error: null, ms: 5 } },
    'dns private and unreachable': { addresses: ['10.20.30.40'], reachError: { code: 'timeout', message: 'no answer' } },
    'dns no servers, no answer': { dnsServers: [], dnsError: { code: 'OTHER', message: 'getaddrinfo EAI_AGAIN' } },
    'dns no servers, hosts file': { dnsServers: [] },
    // network.reach
    'reach refused': { reachError: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' } },
    'reach unreachable': { reachError: { code: 'EHOSTUNREACH', message: 'connect EHOSTUNREACH' } },
    'reach reset': { reachError: { code: 'ECONNRESET', message: 'read ECONNRESET' } },
    'reach other': { reachError: { code: 'EPIPE', message: 'write EPIPE' } },
    // proxy.intercept
    'inspection: Zscaler': { platform: 'windows', chain: [goldenCert('zscaler-leaf'), goldenCert('zscaler-int')], anchors: [{ der: goldenCert('zscaler-root') }] },
    'inspection: antivirus': inspect('Kaspersky Anti-Virus Personal Root Certificate'),
    'inspection: debugging proxy': inspect('DO_NOT_TRUST_FiddlerRoot'),
    'inspection: a root only a program added': fresh({
      platform: 'windows',
      chain: chainOf(makeLeaf(localRoot, 'localhost')),
      anchors: [{ der: localRoot.der, store: { id: 'windows:CurrentUser\\Root', label: 'CurrentUser\\Root', kind: 'os-native', nameKey: 'store.windows.user-root', local: true } }],
    }),
    'proxy set': { platform: 'windows', proxy: { httpsProxy: 'proxy.example.com:8080' } },
    'proxy setup script': { platform: 'windows', proxy: { pacUrl: 'http://wpad.example.com/proxy.pac' } },
    // clock.offset
    'clock 10 minutes off': { ntpOffsetMs: 10 * 60_000 },
    'clock 2 minutes off': { ntpOffsetMs: -2 * 60_000 },
    'clock unknown': { ntpOffsetMs: null },
    'clock sync off': { timeSyncEnabled: false },
    'clock flips validity': { now: new Date(RUN_TIME.getTime() + 400 * DAY), ntpOffsetMs: -400 * DAY },
    // tls.versions
    'tls not tls': { tlsFailure: { kind: 'not-tls', code: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'wrong version number' } },
    'tls timeout': { tlsFailure: { kind: 'timeout', code: 'timeout', message: 'no ServerHello' } },
    'tls closed': { tlsFailure: { kind: 'closed', code: 'ECONNRESET', message: 'socket hang up' } },
    'tls no common version': { tlsFailure: { kind: 'protocol-version', code: 'alert 70', message: 'protocol version' } },
    'tls other': { tlsFailure: { kind: 'other', code: 'X', message: 'odd' } },
    'tls legacy only': { versions: { TLSv1: 'accepted' } },
    'tls legacy offered': { versions: { TLSv1: 'accepted', 'TLSv1.2': 'accepted' } },
    'tls client disallows': { versions: { 'TLSv1.2': 'accepted' }, clientAllows: { 'TLSv1.2': false } },
    // cert.chain
    'chain missing intermediate (AIA)': { chain: [goldenCert('leaf')], aia: [{ url: 'http://pki.example.com/tls-ca-2024.cer', certificates: [goldenCert('int')] }] },
    'chain missing intermediate (local)': { chain: [goldenCert('leaf')], anchors: [{ der: goldenCert('root') }, { der: goldenCert('int'), role: 'intermediate' }] },
    'chain issuer unknown': { chain: [goldenCert('leaf')], aia: [{ url: 'http://pki.example.com/tls-ca-2024.cer', certificates: [], error: { code: 'ECONNREFUSED', message: 'refused' } }] },
    'chain wrong order': fresh({ chain: chainOf(deep, upper, lower), anchors }),
    'chain unrelated': { chain: [goldenCert('leaf'), goldenCert('int'), goldenCert('other')] },
    'chain duplicates': { chain: [goldenCert('leaf'), goldenCert('int'), goldenCert('int')] },
    'chain bad signature': fresh({ chain: chainOf(forged, std.intermediate), anchors }),
    'chain issuer not a CA': fresh({ chain: chainOf(underNotCa, notCa), anchors }),
    'chain path length': fresh({ chain: chainOf(tooDeep, belowLimited, limited), anchors }),
    // cert.trust
    'trust self-signed': fresh({ chain: chainOf(issue(null, { cn: 'localhost', dns: ['localhost'] })), anchors }),
    'trust unknown root': { chain: [goldenCert('leaf'), goldenCert('int'), goldenCert('root')], anchors: [{ der: strangerRoot.der }] },
    'trust unknown issuer': { anchors: [{ der: strangerRoot.der }] },
    'trust distrusted': { anchors: [{ der: goldenCert('root'), trust: 'distrusted' }] },
    'trust root in the intermediate store': { platform: 'windows', anchors: [{ der: goldenCert('root'), role: 'intermediate', store: { id: 'windows:LocalMachine\\CA', label: 'LocalMachine\\CA', kind: 'os-native', nameKey: 'store.windows.machine-ca' } }] },
    // cert.revocation
    'revocation revoked': { revocation: 'revoked' },
    'revocation unknown': { revocation: 'unknown' },
    'revocation unreachable': { revocation: 'unreachable' },
    'revocation issuer missing': { anchors: [{ der: strangerRoot.der }] },
    // cert.expiry
    'expiry expired leaf': { chain: [goldenCert('expired'), goldenCert('int')] },
    'expiry expired intermediate': fresh({ chain: chainOf(underOld, oldInt), anchors }),
    'expiry not yet valid': { now: at('2024-08-01T00:00:00Z') },
    'expiry hidden by the clock': { now: at('2025-08-31T00:00:00Z'), ntpOffsetMs: 5 * DAY },
    'expiry soon': { now: at('2025-08-20T00:00:00Z') },
    // cert.hostname
    'hostname mismatch': { chain: [goldenCert('other'), goldenCert('int')] },
    'hostname CN only': fresh({ chain: chainOf(makeLeaf(std.root, 'localhost', { noSan: true })), anchors }),
    'hostname wildcard too deep': fresh({ gateway: 'a.b.example.com', chain: chainOf(makeLeaf(std.root, '*.example.com', { dns: ['*.example.com'] })), anchors }),
    'hostname wildcard partial': fresh({ gateway: 'vpn.example.com', chain: chainOf(makeLeaf(std.root, 'vp*.example.com', { dns: ['vp*.example.com'] })), anchors }),
    'hostname wildcard on a public suffix': fresh({ gateway: 'vpn.co.jp', chain: chainOf(makeLeaf(std.root, '*.co.jp', { dns: ['*.co.jp'] })), anchors }),
    'hostname CN ignored': fresh({ chain: chainOf(makeLeaf(std.root, 'localhost', { dns: ['other.example.com'] })), anchors }),
    'hostname IP as a DNS name': fresh({ gateway: '203.0.113.10', chain: chainOf(makeLeaf(std.root, '203.0.113.10', { dns: ['203.0.113.10'] })), anchors }),
    // cert.strength
    'strength md5': fresh({ chain: chainOf(makeLeaf(std.root, 'localhost', { hash: 'md5' })), anchors }),
    'strength sha1': fresh({ chain: chainOf(makeLeaf(std.root, 'localhost', { hash: 'sha1' })), anchors }),
    'strength sha1 on macOS': fresh({ platform: 'macos', chain: chainOf(makeLeaf(std.root, 'localhost', { hash: 'sha1' })), anchors }),
    'strength rsa 1024': fresh({ chain: chainOf(makeLeaf(std.root, 'localhost', { keyBits: 1024 })), anchors }),
    // cert.usage
    'usage client auth only': fresh({ chain: chainOf(makeLeaf(std.root, 'localhost', { eku: ['clientAuth'] })), anchors }),
    'usage any purpose only': fresh({ chain: chainOf(makeLeaf(std.root, 'localhost', { eku: ['2.5.29.37.0'] as unknown as string[] })), anchors }),
    'usage key encipherment only': fresh({ chain: chainOf(makeLeaf(std.root, 'localhost', { ku: ['keyEncipherment'] })), anchors }),
    'usage no TLS usage': fresh({ chain: chainOf(makeLeaf(std.root, 'localhost', { ku: ['nonRepudiation'] })), anchors }),
    'usage unknown critical extension': fresh({ chain: chainOf(critical), anchors }),
    // anyconnect.gateway
    'gateway is a web portal': { gatewayReply: 'web-portal' },
    'gateway answers with more than the limit': { gatewayReply: 'too-large' },
    // anyconnect.client-cert
    'client certificate required, none here': { platform: 'macos', ...certRequest },
    'client certificate required, only an expired one': { platform: 'windows', ...certRequest, identities: [{ der: expiredUser.der, store: 'Cert:\\CurrentUser\\My', hasPrivateKey: true }] },
    'client certificate optional, none here': { ...certRequest, gatewayReply: 'asa' },
    'client certificate optional, only an expired one': { ...certRequest, gatewayReply: 'asa', identities: [{ der: expiredUser.der, store: 'login keychain', hasPrivateKey: true }] },
    'client certificates not readable': { platform: 'macos', ...certRequest, identities: null },
    // anyconnect.policy
    'policy strict and untrusted': { platform: 'windows', anchors: [{ der: strangerRoot.der }], anyconnect: { localPolicy: 'strict' } },
    'policy untrusted, blocked': { anchors: [{ der: strangerRoot.der }] },
    'policy untrusted, user may connect anyway': { platform: 'windows', anchors: [{ der: strangerRoot.der }], anyconnect: { localPolicy: 'default', blockUntrusted: false } },
    'policy excludes the only store with the root': { platform: 'windows', anyconnect: { localPolicy: 'default', policyXml: POLICY('<ExcludeWinNativeCertStore>true</ExcludeWinNativeCertStore>') } },
    'policy pin does not match': { anyconnect: { localPolicy: 'default', profileXml: PINNED_PROFILE } },
    'policy requires revocation, revoked': { revocation: 'revoked', anyconnect: { localPolicy: 'default', policyXml: POLICY('<OCSPRevocation>true</OCSPRevocation>') } },
    'policy requires revocation, unconfirmed': { revocation: 'unreachable', anyconnect: { localPolicy: 'default', policyXml: POLICY('<OCSPRevocation>true</OCSPRevocation>') } },
    'policy requires revocation, not checked': { revocation: 'not-checked', anyconnect: { localPolicy: 'default', policyXml: POLICY('<EnableCRLCheck>true</EnableCRLCheck>') } },
    'policy file refused': { anyconnect: { localPolicy: 'default', profileXml: DOCTYPE_PROFILE } },
    'policy setting in the wrong file': { anyconnect: { localPolicy: 'default', profileXml: MISPLACED_PROFILE } },
    'policy value neither true nor false': { anyconnect: { localPolicy: 'default', policyXml: POLICY('<StrictCertificateTrust>yes</StrictCertificateTrust>') } },
  };
}

/** Every (check, reason) that fails or warns today: a scenario above must produce each. */
const EXPECTED = [
  'dns.resolve:nxdomain', 'dns.resolve:servfail', 'dns.resolve:timeout', 'dns.resolve:refused', 'dns.resolve:unresolved-with-connect-to',
  'dns.resolve:resolvers-disagree', 'dns.resolve:private-unreachable', 'dns.resolve:no-dns-servers',
  'network.reach:refused', 'network.reach:timeout', 'network.reach:unreachable', 'network.reach:reset', 'network.reach:other',
  'proxy.intercept:inspection-product', 'proxy.intercept:inspection-software', 'proxy.intercept:inspection-debugging', 'proxy.intercept:private-root-local-store',
  'proxy.intercept:system-proxy', 'proxy.intercept:pac-proxy',
  'clock.offset:skew', 'clock.offset:ntp-unreachable', 'clock.offset:sync-off', 'clock.offset:flips-validity',
  'tls.versions:not-tls', 'tls.versions:handshake-timeout', 'tls.versions:handshake-closed', 'tls.versions:no-common-version', 'tls.versions:handshake-failed',
  'tls.versions:legacy-only', 'tls.versions:legacy-offered', 'tls.versions:client-disallows',
  'cert.chain:missing-intermediate', 'cert.chain:issuer-unknown', 'cert.chain:wrong-order', 'cert.chain:unrelated-certificates', 'cert.chain:duplicates',
  'cert.chain:bad-signature', 'cert.chain:issuer-not-ca', 'cert.chain:path-length',
  'cert.trust:self-signed', 'cert.trust:unknown-root', 'cert.trust:unknown-issuer', 'cert.trust:distrusted', 'cert.trust:root-not-anchor',
  'cert.revocation:revoked', 'cert.revocation:unknown', 'cert.revocation:unreachable', 'cert.revocation:issuer-missing',
  'cert.expiry:expired', 'cert.expiry:not-yet-valid', 'cert.expiry:clock-skew', 'cert.expiry:clock-hides-problem', 'cert.expiry:expires-soon',
  'cert.hostname:mismatch', 'cert.hostname:cn-only', 'cert.hostname:wildcard-too-deep', 'cert.hostname:wildcard-partial', 'cert.hostname:wildcard-public-suffix',
  'cert.hostname:cn-ignored', 'cert.hostname:ip-as-dns-name',
  'cert.strength:md5-signature', 'cert.strength:sha1-signature', 'cert.strength:rsa-key-below-2048',
  'cert.usage:eku-without-server-auth', 'cert.usage:eku-any-only', 'cert.usage:ku-rsa-key-exchange-only', 'cert.usage:ku-no-tls-usage', 'cert.usage:unknown-critical-extension',
  'anyconnect.gateway:not-anyconnect', 'anyconnect.gateway:reply-too-large',
  'anyconnect.client-cert:none', 'anyconnect.client-cert:none-usable', 'anyconnect.client-cert:optional-none', 'anyconnect.client-cert:optional-none-usable',
  'anyconnect.client-cert:identities-unknown',
  'anyconnect.policy:strict-trust', 'anyconnect.policy:untrusted-blocked', 'anyconnect.policy:untrusted-prompt', 'anyconnect.policy:excluded-store',
  'anyconnect.policy:pin-mismatch', 'anyconnect.policy:revoked', 'anyconnect.policy:revocation-required', 'anyconnect.policy:revocation-not-checked',
  'anyconnect.policy:file-refused', 'anyconnect.policy:misplaced-setting', 'anyconnect.policy:invalid-value',
];

describe('every failure and warning reason has a fix', () => {
  let observed: Array<{ scenario: string; r: CheckResult }> = [];
  let runs: Array<{ scenario: string; run: PreflightOutcome; pool: CertificatePool }> = [];
  beforeAll(async () => {
    observed = [];
    runs = [];
    for (const [scenario, s] of Object.entries(scenarios())) {
      const { run, pool } = await syntheticRun(s);
      runs.push({ scenario, run, pool });
      for (const r of run.results) observed.push({ scenario, r });
    }
  });

  test.each(['en', 'ja'] as const)('the first screen of every scenario names its cause and the first step for this system (%s)', (lang) => {
    const problems: string[] = [];
    for (const { scenario, run, pool } of runs) {
      if (run.verdict === 'pass') continue;
      const report = buildReport(run, { lang, version: 't', contact: null, pool });
      const top = report.checks.find((c) => c.id === report.topCause)!;
      if (report.headline.cause !== top.summary) problems.push(`${scenario}: the cause is not ${top.id}’s finding`);
      if (!report.headline.firstStep) {
        problems.push(`${scenario}: no first step`);
        continue;
      }
      // The user's own step, for this computer's system, when there is one to take.
      const os = report.machine.os.platform;
      const own = top.fixes.find((f) => f.actor === 'user' && f.id !== 'user.not-your-fault' && f.id !== 'user.send-report' && f.steps.some((x) => x.os === os || x.os === 'any'));
      if (own) {
        const steps = own.steps.find((x) => x.os === os) ?? own.steps.find((x) => x.os === 'any')!;
        if (report.headline.firstStepActor !== 'user' || !report.headline.firstStep.startsWith(`${own.title}: ${steps.lines[0]}`)) problems.push(`${scenario}: the first step is not ${own.id} for ${os}`);
      } else if (report.headline.firstStepActor !== 'admin') {
        problems.push(`${scenario}: nothing for the user to do, but the first step is not IT’s`);
      }
      // Both are on the first screen of the terminal (a Windows console window: 80 × 30), wrapped, so compared without spaces.
      const screen = renderText(report, { color: false, width: 80 }).split('\n').slice(0, 30).join('').replace(/\s+/g, '');
      for (const text of [report.headline.cause!, report.headline.firstStep]) {
        if (!screen.includes(text.slice(0, 60).replace(/\s+/g, ''))) problems.push(`${scenario}: not on the first screen: ${text.slice(0, 60)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('each fail or warn names at least one fix, and its fixes exist', () => {
    const missing = observed.filter(({ r }) => (r.status === 'fail' || r.status === 'warn') && (r.fixes ?? []).length === 0).map(({ scenario, r }) => `${scenario}: ${r.id}:${r.reason}`);
    expect(missing).toEqual([]);
    for (const { r } of observed) for (const f of r.fixes ?? []) expect(FIXES[f.id]).toBeDefined();
  });

  test('the scenarios produce every known reason (so the test above saw them all)', () => {
    const seen = new Set(observed.filter(({ r }) => r.status === 'fail' || r.status === 'warn').map(({ r }) => `${r.id}:${r.reason}`));
    expect(EXPECTED.filter((x) => !seen.has(x))).toEqual([]);
  });

  test('where the user can act, there are steps for Windows, macOS, Linux, iOS and Android', () => {
    // Steps that differ by system cover all five, except where only some systems have the setting at all.
    const ONLY_SOME: Readonly<Record<string, string>> = {
      'tls.client-settings': 'only Windows (SChannel) and Linux (OpenSSL) let a user switch TLS versions off',
      'trust.mark-root-trusted': 'only Windows and macOS keep a root in a store where it does not count',
    };
    const perSystem = (Object.keys(FIXES) as FixId[]).filter((id) => FIXES[id].actor === 'user' && !(FIXES[id].os as readonly string[]).includes('any'));
    const partial = perSystem.filter((id) => [...FIXES[id].os].sort().join() !== 'android,ios,linux,macos,windows' && !ONLY_SOME[id]);
    expect(partial).toEqual([]);
    for (const id of ['clock.sync', 'clock.enable-sync', 'trust.install-root', 'trust.remove-distrust', 'dns.network', 'dns.no-servers', 'proxy.settings', 'clientcert.install'] as FixId[]) {
      expect([...FIXES[id].os].sort()).toEqual(['android', 'ios', 'linux', 'macos', 'windows']);
    }
  });

  test('a failure the user can act on gives them a step; one only IT can fix says so and names IT’s step', () => {
    const missing: string[] = [];
    for (const { scenario, r } of observed) {
      if (r.status !== 'fail' && r.status !== 'warn') continue;
      const actors = new Set((r.fixes ?? []).map((f) => FIXES[f.id].actor));
      if (actors.size === 0) missing.push(`${scenario}: ${r.id}:${r.reason} has no fix`);
    }
    expect(missing).toEqual([]);
    // Problems only the gateway admin can fix have an admin step.
    const gatewaySide = observed.filter(({ r }) => ['cert.chain', 'cert.strength', 'cert.usage'].includes(r.id) && (r.status === 'fail' || r.status === 'warn'));
    expect(gatewaySide.length).toBeGreaterThan(5);
    for (const { scenario, r } of gatewaySide) expect([scenario, (r.fixes ?? []).some((f) => FIXES[f.id].actor === 'admin')]).toEqual([scenario, true]);
  });
});

describe('the fix catalog', () => {
  const ids = Object.keys(FIXES) as FixId[];

  test.each(['en', 'ja'] as const)('every fix has a title and steps for each system it names (%s)', (lang) => {
    const cat = CATALOGS[lang] as Record<string, string>;
    const problems: string[] = [];
    for (const id of ids) {
      if (!cat[`fix.${id}.title`]?.trim()) problems.push(`fix.${id}.title`);
      for (const os of FIXES[id].os) if (!isKey(`fix.${id}.${os}`) || !cat[`fix.${id}.${os}`]?.trim()) problems.push(`fix.${id}.${os}`);
    }
    expect(problems).toEqual([]);
  });

  test('every fix step in the catalogs belongs to a fix and a system it names', () => {
    const stray = Object.keys(CATALOGS.en)
      .filter((k) => k.startsWith('fix.') && !k.endsWith('.title'))
      .filter((k) => {
        const os = k.slice(k.lastIndexOf('.') + 1);
        const id = k.slice(4, k.lastIndexOf('.')) as FixId;
        return !FIXES[id] || !(FIXES[id].os as readonly string[]).includes(os);
      });
    expect(stray).toEqual([]);
  });

  /** Advice that would switch certificate checking off or click past a warning. */
  const FORBIDDEN: ReadonlyArray<[string, RegExp]> = [
    ['disable … verification/checks', /\b(disabl|deactivat|switch(?:ing)? off|turn(?:ing)? off)\w*\b[^.\n]{0,40}\b(verif|check|validat|revocation|certificate|warning|trust)/i],
    ['… verification/checks disabled', /\b(verif\w*|validation|checks?|revocation)\b[^.\n]{0,25}\b(disabled|off|skip\w*)\b/i],
    ['ignore', /\bignor(e|ing)\b/i],
    ['Connect Anyway', /connect anyway/i],
    ['Import and Continue', /import and continue/i],
    ['untrusted … accept', /untrusted[^.\n]{0,60}\b(accept|allow|continue|trust)/i],
    ['accept … untrusted', /\b(accept|allow)\w*\b[^.\n]{0,60}untrusted/i],
    ['Block untrusted servers off', /(uncheck|clear|turn(?:ing)? off|switch(?:ing)? off|disabl\w*)[^.\n]{0,30}block\w*[^.\n]{0,20}untrusted|change setting/i],
    ['a weakening local policy', /(StrictCertificateTrust\s*=\s*false|Exclude\w*CertStore\s*=\s*true)/i],
    ['insecure flags', /(--insecure|-k\b|rejectUnauthorized|NODE_TLS_REJECT_UNAUTHORIZED|--no-check-certificate)/],
    ['ja: 検証・確認を無効/オフ', /(検証|チェック|証明書の確認|失効確認)[^。\n]{0,20}(無効|オフ|スキップ|しない)/],
    ['ja: 無効 … 検証', /(無効|オフ)[^。\n]{0,20}(検証|証明書のチェック|失効確認)/],
    ['ja: 無視', /無視/],
    ['ja: 信頼されていない … 受け入れ', /信頼(されていない|できない)[^。\n]{0,40}(受け入れ|許可|続行)/],
  ];

  test.each(['en', 'ja'] as const)('no fix text advises turning certificate checks off (%s)', (lang) => {
    const cat = CATALOGS[lang] as Record<string, string>;
    const hits: string[] = [];
    for (const [key, text] of Object.entries(cat)) {
      if (!key.startsWith('fix.')) continue;
      for (const [what, re] of FORBIDDEN) if (re.test(text)) hits.push(`${key} (${what}): ${text}`);
    }
    expect(hits).toEqual([]);
  });

  /**
   * Findings may describe what AnyConnect shows or what a setting does (“Connect Anyway”,
   * “ignored”); they are listed here, each for its reason. Everything else in every area
   * of both catalogs is held to the same rule as the fixes.
   */
  const DESCRIBES: Readonly<Record<string, string>> = {
    'anyconnect.ui.strict': 'quotes AnyConnect’s own refusal (“prohibits the acceptance of untrusted server certificates”)',
    'anyconnect.ui.blocked': 'quotes AnyConnect’s dialog and its “Change Setting…” button',
    'anyconnect.ui.prompt': 'quotes AnyConnect’s dialog and its “Connect Anyway” button',
    'anyconnect.policy.strict-untrusted': 'says the strict policy leaves no “Connect Anyway”',
    'anyconnect.policy.untrusted-prompt': 'warns that this computer lets the user connect anyway',
    'anyconnect.policy.misplaced': 'says the client ignores a setting written in the wrong file',
    'cert.hostname.cn-ignored': 'says clients ignore the CN when SANs are present',
    'cert.revocation.anyconnect-revoked': 'says the certificate must be replaced even where revocation checking is off',
  };

  test.each(['en', 'ja'] as const)('no sentence anywhere in the catalogs advises it either (%s)', (lang) => {
    const cat = CATALOGS[lang] as Record<string, string>;
    const hits: string[] = [];
    for (const [key, text] of Object.entries(cat)) {
      if (key.startsWith('fix.') || DESCRIBES[key]) continue;
      for (const [what, re] of FORBIDDEN) if (re.test(text)) hits.push(`${key} (${what}): ${text}`);
    }
    expect(hits).toEqual([]);
  });

  test('the forbidden-phrase net catches what it must', () => {
    const bad = ['Click “Connect Anyway”.', 'Disable certificate verification in the profile.', 'Turn off the revocation check.', 'Ignore the warning.', 'Set StrictCertificateTrust=false.', 'Uncheck “Block connections to untrusted servers”.', 'Untrusted server? Accept it.', '証明書の検証を無効にしてください。', '警告は無視してください。'];
    for (const text of bad) expect(FORBIDDEN.some(([, re]) => re.test(text))).toBe(true);
    expect(FORBIDDEN.some(([, re]) => re.test('Disable TLS 1.0 and 1.1 on the gateway.'))).toBe(false);
  });
});
