/**
 * Fixes: every reason a check fails or warns for comes with at least one fix, each fix
 * has its words in both languages for every system it names, and no fix anywhere
 * advises turning certificate checking off. The reasons are produced by the real
 * checks on synthetic facts (one scenario per reason), so a new reason without fixes
 * fails here.
 */
import { FIXES, type FixId } from '../../../src/fixes/catalog';
import { CATALOGS, isKey } from '../../../src/fixes/i18n';
import type { CheckResult } from '../../../src/checks/types';
import { issue, makeIntermediate, makeLeaf, makeRoot, standardChain } from '../../helpers/pki';
import { goldenCert, RUN_TIME, syntheticRun, type Synthetic } from './synthetic';

const DAY = 86_400_000;
const at = (iso: string): Date => new Date(iso);

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
  return {
    'dns nxdomain': { dnsError: { code: 'NXDOMAIN', message: 'ENOTFOUND' } },
    'dns servfail': { dnsError: { code: 'SERVFAIL', message: 'ESERVFAIL' } },
    'dns timeout': { dnsError: { code: 'TIMEOUT', message: 'ETIMEOUT' } },
    'dns refused': { dnsError: { code: 'REFUSED', message: 'ECONNREFUSED' } },
    'dns unresolved with --connect-to': { dnsError: { code: 'NXDOMAIN', message: 'ENOTFOUND' }, connectTo: '203.0.113.10' },
    'dns resolvers disagree': { directAnswer: { resolver: '192.0.2.53:53', a: ['203.0.113.99'], aaaa: [], error: null, ms: 5 } },
    'dns private and unreachable': { addresses: ['10.20.30.40'], reachError: { code: 'timeout', message: 'no answer' } },
    'reach refused': { reachError: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' } },
    'reach unreachable': { reachError: { code: 'EHOSTUNREACH', message: 'connect EHOSTUNREACH' } },
    'reach reset': { reachError: { code: 'ECONNRESET', message: 'read ECONNRESET' } },
    'reach other': { reachError: { code: 'EPIPE', message: 'write EPIPE' } },
    'clock 10 minutes off': { ntpOffsetMs: 10 * 60_000 },
    'clock 2 minutes off': { ntpOffsetMs: -2 * 60_000 },
    'clock unknown': { ntpOffsetMs: null },
    'clock sync off': { timeSyncEnabled: false },
    'clock flips validity': { now: new Date(RUN_TIME.getTime() + 400 * DAY), ntpOffsetMs: -400 * DAY },
    'tls not tls': { tlsFailure: { kind: 'not-tls', code: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'wrong version number' } },
    'tls timeout': { tlsFailure: { kind: 'timeout', code: 'timeout', message: 'no ServerHello' } },
    'tls closed': { tlsFailure: { kind: 'closed', code: 'ECONNRESET', message: 'socket hang up' } },
    'tls no common version': { tlsFailure: { kind: 'protocol-version', code: 'alert 70', message: 'protocol version' } },
    'tls other': { tlsFailure: { kind: 'other', code: 'X', message: 'odd' } },
    'tls legacy only': { versions: { TLSv1: 'accepted' } },
    'tls legacy offered': { versions: { TLSv1: 'accepted', 'TLSv1.2': 'accepted' } },
    'tls client disallows': { versions: { 'TLSv1.2': 'accepted' }, clientAllows: { 'TLSv1.2': false } },
    'chain missing intermediate (AIA)': { chain: [goldenCert('aia-leaf')], aia: [{ url: 'http://pki.example.com/tls-ca-2024.cer', certificates: [goldenCert('int')] }] },
    'chain missing intermediate (local)': { chain: [goldenCert('leaf')], anchors: [{ der: goldenCert('root') }, { der: goldenCert('int'), role: 'intermediate' }] },
    'chain issuer unknown': { chain: [goldenCert('aia-leaf')], aia: [{ url: 'http://pki.example.com/tls-ca-2024.cer', certificates: [], error: { code: 'ECONNREFUSED', message: 'refused' } }] },
    'chain wrong order': fresh({ chain: chainOf(deep, upper, lower), anchors }),
    'chain unrelated': { chain: [goldenCert('leaf'), goldenCert('int'), goldenCert('other')] },
    'chain duplicates': { chain: [goldenCert('leaf'), goldenCert('int'), goldenCert('int')] },
    'chain bad signature': fresh({ chain: chainOf(forged, std.intermediate), anchors }),
    'chain issuer not a CA': fresh({ chain: chainOf(underNotCa, notCa), anchors }),
    'trust self-signed': fresh({ chain: chainOf(issue(null, { cn: 'localhost', dns: ['localhost'] })), anchors }),
    'trust unknown root': { chain: [goldenCert('leaf'), goldenCert('int'), goldenCert('root')], anchors: [{ der: strangerRoot.der }] },
    'trust unknown issuer': { anchors: [{ der: strangerRoot.der }] },
    'trust distrusted': { anchors: [{ der: goldenCert('root'), trust: 'distrusted' }] },
    'expiry expired leaf': { chain: [goldenCert('expired'), goldenCert('int')] },
    'expiry expired intermediate': fresh({ chain: chainOf(underOld, oldInt), anchors }),
    'expiry not yet valid': { now: at('2024-08-01T00:00:00Z') },
    'expiry hidden by the clock': { now: at('2025-08-31T00:00:00Z'), ntpOffsetMs: 5 * DAY },
    'expiry soon': { now: at('2025-08-20T00:00:00Z') },
    'hostname mismatch': { chain: [goldenCert('other'), goldenCert('int')] },
    'hostname CN only': fresh({ chain: chainOf(makeLeaf(std.root, 'localhost', { noSan: true })), anchors }),
    'hostname wildcard too deep': fresh({ gateway: 'a.b.example.com', chain: chainOf(makeLeaf(std.root, '*.example.com', { dns: ['*.example.com'] })), anchors }),
    'hostname CN ignored': fresh({ chain: chainOf(makeLeaf(std.root, 'localhost', { dns: ['other.example.com'] })), anchors }),
    'strength md5': fresh({ chain: chainOf(makeLeaf(std.root, 'localhost', { hash: 'md5' })), anchors }),
    'strength sha1': fresh({ chain: chainOf(makeLeaf(std.root, 'localhost', { hash: 'sha1' })), anchors }),
    'strength sha1 on macOS': fresh({ platform: 'macos', chain: chainOf(makeLeaf(std.root, 'localhost', { hash: 'sha1' })), anchors }),
    'strength rsa 1024': fresh({ chain: chainOf(makeLeaf(std.root, 'localhost', { keyBits: 1024 })), anchors }),
    'usage client auth only': fresh({ chain: chainOf(makeLeaf(std.root, 'localhost', { eku: ['clientAuth'] })), anchors }),
    'usage any purpose only': fresh({ chain: chainOf(makeLeaf(std.root, 'localhost', { eku: ['2.5.29.37.0'] as unknown as string[] })), anchors }),
    'usage key encipherment only': fresh({ chain: chainOf(makeLeaf(std.root, 'localhost', { ku: ['keyEncipherment'] })), anchors }),
    'usage no TLS usage': fresh({ chain: chainOf(makeLeaf(std.root, 'localhost', { ku: ['nonRepudiation'] })), anchors }),
  };
}

/** Every (check, reason) that fails or warns today: a scenario above must produce each. */
const EXPECTED = [
  'dns.resolve:nxdomain', 'dns.resolve:servfail', 'dns.resolve:timeout', 'dns.resolve:refused', 'dns.resolve:unresolved-with-connect-to',
  'dns.resolve:resolvers-disagree', 'dns.resolve:private-unreachable',
  'network.reach:refused', 'network.reach:timeout', 'network.reach:unreachable', 'network.reach:reset', 'network.reach:other',
  'clock.offset:skew', 'clock.offset:ntp-unreachable', 'clock.offset:sync-off', 'clock.offset:flips-validity',
  'tls.versions:not-tls', 'tls.versions:handshake-timeout', 'tls.versions:handshake-closed', 'tls.versions:no-common-version', 'tls.versions:handshake-failed',
  'tls.versions:legacy-only', 'tls.versions:legacy-offered', 'tls.versions:client-disallows',
  'cert.chain:missing-intermediate', 'cert.chain:issuer-unknown', 'cert.chain:wrong-order', 'cert.chain:unrelated-certificates', 'cert.chain:duplicates',
  'cert.chain:bad-signature', 'cert.chain:issuer-not-ca',
  'cert.trust:self-signed', 'cert.trust:unknown-root', 'cert.trust:unknown-issuer', 'cert.trust:distrusted',
  'cert.expiry:expired', 'cert.expiry:not-yet-valid', 'cert.expiry:clock-skew', 'cert.expiry:clock-hides-problem', 'cert.expiry:expires-soon',
  'cert.hostname:mismatch', 'cert.hostname:cn-only', 'cert.hostname:wildcard-too-deep', 'cert.hostname:cn-ignored',
  'cert.strength:md5-signature', 'cert.strength:sha1-signature', 'cert.strength:rsa-key-below-2048',
  'cert.usage:eku-without-server-auth', 'cert.usage:eku-any-only', 'cert.usage:ku-rsa-key-exchange-only', 'cert.usage:ku-no-tls-usage',
];

describe('every failure and warning reason has a fix', () => {
  let observed: Array<{ scenario: string; r: CheckResult }> = [];
  beforeAll(async () => {
    observed = [];
    for (const [scenario, s] of Object.entries(scenarios())) {
      const { run } = await syntheticRun(s);
      for (const r of run.results) observed.push({ scenario, r });
    }
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
    for (const id of ['clock.sync', 'clock.enable-sync', 'trust.install-root', 'trust.remove-distrust', 'dns.network'] as FixId[]) {
      expect([...FIXES[id].os].sort()).toEqual(['android', 'ios', 'linux', 'macos', 'windows']);
    }
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

  test('the forbidden-phrase net catches what it must', () => {
    const bad = ['Click “Connect Anyway”.', 'Disable certificate verification in the profile.', 'Turn off the revocation check.', 'Ignore the warning.', 'Set StrictCertificateTrust=false.', 'Uncheck “Block connections to untrusted servers”.', 'Untrusted server? Accept it.', '証明書の検証を無効にしてください。', '警告は無視してください。'];
    for (const text of bad) expect(FORBIDDEN.some(([, re]) => re.test(text))).toBe(true);
    expect(FORBIDDEN.some(([, re]) => re.test('Disable TLS 1.0 and 1.1 on the gateway.'))).toBe(false);
  });
});
