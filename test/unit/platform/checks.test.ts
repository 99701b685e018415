/**
 * The client-side checks as pure functions of facts: cases a loopback run cannot make
 * (a system resolver that only says EAI_AGAIN, a client with only legacy TLS left), and
 * the tables behind proxy.intercept (inspection CA names, proxy exception lists).
 */
import { bypassPattern, proxyInUse } from '../../../src/checks/proxy-intercept';
import { dnsResolve } from '../../../src/checks/dns-resolve';
import { tlsVersions } from '../../../src/checks/tls-versions';
import { clockOffset } from '../../../src/checks/clock-offset';
import { anchorsOf } from '../../../src/checks/runner';
import type { Check, CheckContext, Outcome } from '../../../src/checks/types';
import { ok, unsupported, type Fact } from '../../../src/facts';
import { isKey, t, type MessageKey } from '../../../src/fixes/i18n';
import { STORE_NAME_KEYS } from '../../../platform/stores';
import { findInspectionProduct, INSPECTION_PRODUCTS } from '../../../src/pki/inspection-products';
import { CertificatePool } from '../../../src/pki/pool';
import type { DnsAnswer } from '../../../src/probes/dns';
import { DEFAULT_SETTINGS, type RunFacts } from '../../../src/run-facts';
import { parseTarget } from '../../../src/target';
import { makeLeaf, makeRoot } from '../../helpers/pki';

function evaluate(check: Check, facts: Partial<RunFacts>): Outcome {
  const all = {
    target: parseTarget('vpn.corp.example'),
    connectTo: null,
    startedAt: new Date('2026-01-10T00:00:00Z'),
    platform: 'windows',
    settings: DEFAULT_SETTINGS,
    ...facts,
  } as RunFacts;
  const ctx: CheckContext = { facts: all, chain: () => null, anchors: () => anchorsOf(all, new CertificatePool()), trueNow: () => null, result: () => undefined };
  return check.evaluate(ctx);
}

function text(o: Outcome): string {
  return t('en', o.summary.key, o.summary.params ?? {});
}

const answer = (resolver: string, addrs: string[], error: DnsAnswer['error'] = null): DnsAnswer => ({ resolver, a: addrs, aaaa: [], error, ms: 12 });

describe('dns.resolve', () => {
  const reach: Fact<any> = ok({ port: 443, attempts: [], connected: null });

  test('getaddrinfo only says "try again"; the configured server asked directly says SERVFAIL, and that is the finding', () => {
    const o = evaluate(dnsResolve, {
      dns: ok({
        mode: 'system',
        system: answer('system', [], { code: 'UNREACHABLE', message: 'the DNS server could not be reached (EAI_AGAIN)' }),
        direct: [],
        configured: [answer('192.0.2.53', [], { code: 'SERVFAIL', message: 'SERVFAIL: the DNS server failed to answer' })],
        addresses: [],
      }),
      reach,
      dnsConfig: ok({ servers: ['192.0.2.53'], searchDomains: [], evidence: 'test' }),
    });
    expect(o).toMatchObject({ status: 'fail', reason: 'servfail' });
    expect(text(o)).toBe('The DNS server could not answer for vpn.corp.example (SERVFAIL, asked 192.0.2.53).');
  });

  test('no DNS server configured and nothing resolves: the missing servers are the cause', () => {
    const o = evaluate(dnsResolve, {
      dns: ok({ mode: 'system', system: answer('system', [], { code: 'UNREACHABLE', message: 'EAI_AGAIN' }), direct: [], configured: [], addresses: [] }),
      reach,
      dnsConfig: ok({ servers: [], searchDomains: [], evidence: 'Get-DnsClientServerAddress (no connected interface has a DNS server)' }),
    });
    expect(o).toMatchObject({ status: 'fail', reason: 'no-dns-servers' });
    expect(o.fixes?.map((f) => f.id)).toEqual(['dns.network', 'dns.no-servers']);
  });

  test('a configured server that merely does not answer does not make the resolvers "disagree"', () => {
    const o = evaluate(dnsResolve, {
      dns: ok({
        mode: 'system',
        system: answer('system', ['203.0.113.10']),
        direct: [],
        configured: [answer('192.0.2.53', ['203.0.113.10']), answer('192.0.2.54', [], { code: 'TIMEOUT', message: 'no answer in time' })],
        addresses: ['203.0.113.10'],
      }),
      reach: ok({ port: 443, attempts: [], connected: { address: '203.0.113.10', rttMs: 20, localAddress: null } }),
      dnsConfig: ok({ servers: ['192.0.2.53', '192.0.2.54'], searchDomains: [], evidence: 'test' }),
    });
    expect(o).toMatchObject({ status: 'pass', reason: 'resolved' });
  });

  test('a configured server that says NXDOMAIN while the system resolves: the resolvers disagree', () => {
    const o = evaluate(dnsResolve, {
      dns: ok({
        mode: 'system',
        system: answer('system', ['203.0.113.10']),
        direct: [],
        configured: [answer('192.0.2.53', [], { code: 'NXDOMAIN', message: 'NXDOMAIN' })],
        addresses: ['203.0.113.10'],
      }),
      reach: ok({ port: 443, attempts: [], connected: { address: '203.0.113.10', rttMs: 20, localAddress: null } }),
      dnsConfig: ok({ servers: ['192.0.2.53'], searchDomains: [], evidence: 'test' }),
    });
    expect(o).toMatchObject({ status: 'warn', reason: 'resolvers-disagree' });
    expect(text(o)).toContain('192.0.2.53: NXDOMAIN');
  });

  test('a private answer that is reachable passes, with a note that it only works inside', () => {
    const o = evaluate(dnsResolve, {
      dns: ok({ mode: 'system', system: answer('system', ['10.1.2.3']), direct: [], configured: [], addresses: ['10.1.2.3'] }),
      reach: ok({ port: 443, attempts: [], connected: { address: '10.1.2.3', rttMs: 2, localAddress: null } }),
      dnsConfig: ok({ servers: ['10.0.0.53'], searchDomains: [], evidence: 'test' }),
    });
    expect(o.status).toBe('pass');
    expect(o.details?.map((d) => d.key)).toContain('dns.resolve.private-reachable');
  });
});

describe('tls.versions, client side', () => {
  const tls: Fact<any> = ok({ protocol: 'TLSv1.2', cipher: { standardName: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' }, handshakeMs: 5, failure: null, chain: [] });
  const versions = (v: Record<string, 'accepted' | 'rejected'>): Fact<any> =>
    ok({ versions: Object.fromEntries(Object.entries(v).map(([k, state]) => [k, { state, cipher: state === 'accepted' ? 'X' : null, reason: null, via: 'probe' }])) });

  test('the gateway offers TLS 1.0 and 1.2; this client has 1.2 switched off: legacy left over does not help, it fails', () => {
    const o = evaluate(tlsVersions, {
      tls,
      tlsVersions: versions({ TLSv1: 'accepted', 'TLSv1.1': 'rejected', 'TLSv1.2': 'accepted', 'TLSv1.3': 'rejected' }),
      clientTls: ok({ enabled: { TLSv1: true, 'TLSv1.1': true, 'TLSv1.2': false, 'TLSv1.3': false }, evidence: 'SChannel registry', stack: 'SChannel' }),
    });
    expect(o).toMatchObject({ status: 'fail', reason: 'client-disallows' });
    expect(text(o)).toBe('The gateway’s TLS 1.2+ versions (TLS 1.2) are switched off on this computer (SChannel registry). Current AnyConnect clients need TLS 1.2 or newer.');
  });

  test('the client side is in the details even when all is well', () => {
    const o = evaluate(tlsVersions, {
      tls,
      tlsVersions: versions({ TLSv1: 'rejected', 'TLSv1.1': 'rejected', 'TLSv1.2': 'accepted', 'TLSv1.3': 'rejected' }),
      clientTls: ok({ enabled: { TLSv1: null, 'TLSv1.1': null, 'TLSv1.2': true, 'TLSv1.3': true }, evidence: 'macOS 14.4', stack: 'Apple Secure Transport / Network.framework' }),
    });
    expect(o.status).toBe('pass');
    expect(t('en', o.details![0]!.key, o.details![0]!.params)).toBe('This computer’s TLS settings (Apple Secure Transport / Network.framework) allow: TLS 1.2 and TLS 1.3; switched off: —. Source: macOS 14.4.');
  });
});

describe('clock.offset and the OS time-sync setting', () => {
  const ntp = (offsetMs: number | null): Fact<any> => ok({ servers: [], medianOffsetMs: offsetMs, spreadMs: 0, usable: offsetMs === null ? 0 : 2 });
  const off: Fact<any> = ok({ enabled: false, synchronized: false, source: null, evidence: 'reg query … (Type=NoSync)' });

  test('a skewed clock with sync off: set the clock now, and switch sync on', () => {
    const o = evaluate(clockOffset, { ntp: ntp(10 * 60_000), timeSync: off, tls: unsupported('no tls'), trustStore: unsupported('x'), aia: unsupported('x') });
    expect(o).toMatchObject({ status: 'fail', reason: 'skew' });
    expect(o.fixes?.map((f) => f.id)).toEqual(['clock.sync', 'clock.enable-sync']);
  });

  test('NTP unreachable is a warning, never a pass, and says what the OS setting is', () => {
    const o = evaluate(clockOffset, { ntp: ntp(null), timeSync: off, tls: unsupported('no tls'), trustStore: unsupported('x'), aia: unsupported('x') });
    expect(o).toMatchObject({ status: 'warn', reason: 'ntp-unreachable' });
    expect(t('en', o.details![0]!.key, o.details![0]!.params)).toBe('Automatic time synchronisation is off (read from: reg query … (Type=NoSync)).');
  });
});

describe('TLS inspection products', () => {
  const pool = new CertificatePool();
  // Only names matter here: small keys keep forge's signing fast.
  const chainOf = (rootName: string, org: string) => {
    const root = makeRoot(rootName, { o: org, keyBits: 1024 });
    const leaf = makeLeaf(root, 'vpn.corp.example', { keyBits: 1024 });
    return [leaf, root].map((c) => pool.tryGet(c.der)!);
  };

  test.each([
    ['Zscaler Root CA', 'Zscaler Inc.', 'zscaler'],
    ['Netskope Certificate Authority', 'Netskope', 'netskope'],
    ['Palo Alto Networks Forward Trust', 'Example Corp', 'palo-alto'],
    ['FortiGate CA', 'Fortinet', 'fortinet'],
    ['Blue Coat ProxySG CA', 'Example Corp', 'bluecoat'],
    ['Cisco Umbrella Root CA', 'Cisco', 'cisco-umbrella'],
    ['Sophos SSL CA', 'Sophos', 'sophos'],
    ['Check Point Outbound Inspection CA', 'Example Corp', 'checkpoint'],
    ['McAfee Web Gateway', 'McAfee', 'skyhigh'],
    ['Forcepoint Cloud CA', 'Forcepoint', 'forcepoint'],
    ['Kaspersky Anti-Virus Personal Root Certificate', 'AO Kaspersky Lab', 'kaspersky'],
    ['ESET SSL Filter CA', 'ESET, spol. s r. o.', 'eset'],
    ['AVG Web/Mail Shield Root', 'AVG Web/Mail Shield', 'avast'],
    ['Bitdefender Personal CA.Net-Defender', 'Bitdefender', 'bitdefender'],
    ['Barracuda Web Security CA', 'Barracuda Networks', 'barracuda'],
    ['iboss Root CA', 'iboss', 'iboss'],
    ['Gateway CA - Cloudflare Managed G1', 'Cloudflare, Inc.', 'cloudflare-gateway'],
    ['Menlo Security Intermediate CA', 'Menlo Security', 'menlo'],
    ['DO_NOT_TRUST_FiddlerRoot', 'DO_NOT_TRUST', 'fiddler'],
    ['mitmproxy', 'mitmproxy', 'mitmproxy'],
    ['Corp SSL Inspection CA', 'Example Corp', 'generic'],
  ])('“%s” is recognised', (cn, org, id) => {
    expect(findInspectionProduct(chainOf(cn, org))?.product.id).toBe(id);
  });

  test.each([
    ['DigiCert Global Root G2', 'DigiCert Inc'],
    ['ISRG Root X1', 'Internet Security Research Group'],
    ['Cloudflare Inc ECC CA-3', 'Cloudflare, Inc.'],
    ['Symantec Class 3 Secure Server CA - G4', 'Symantec Corporation'],
    ['GlobalSign Root CA', 'GlobalSign nv-sa'],
    ['Sectigo RSA Domain Validation Secure Server CA', 'Sectigo Limited'],
    ['Amazon RSA 2048 M02', 'Amazon'],
    ['Example Corp Root CA', 'Example Corp'],
  ])('a public or company CA “%s” is not taken for an inspection product', (cn, org) => {
    expect(findInspectionProduct(chainOf(cn, org))).toBeNull();
  });

  test('the gateway’s own name is not read: a company that happens to be called Fortinet is not intercepting itself', () => {
    const root = makeRoot('DigiCert Global Root G2', { o: 'DigiCert Inc', keyBits: 1024 });
    const leaf = makeLeaf(root, 'vpn.fortinet.example', { o: 'Fortinet, Inc.', keyBits: 1024 });
    expect(findInspectionProduct([pool.tryGet(leaf.der)!, pool.tryGet(root.der)!])).toBeNull();
  });

  test('every product has a name to show and a kind that decides the fix', () => {
    for (const p of INSPECTION_PRODUCTS) {
      expect(p.name.length).toBeGreaterThan(2);
      expect(['network', 'endpoint', 'debugging']).toContain(p.kind);
    }
  });
});

describe('proxy exception lists', () => {
  test.each([
    ['vpn.corp.example', ['*.corp.example'], '*.corp.example'],
    ['vpn.corp.example', ['.corp.example'], '.corp.example'],
    ['vpn.corp.example', ['corp.example'], 'corp.example'],
    ['vpn', ['<local>'], '<local>'],
    ['vpn.corp.example', ['<local>', '*.local', '169.254/16'], null],
    ['vpn.corp.example', ['*'], '*'],
    ['evilcorp.example', ['corp.example'], null],
    ['10.1.2.3', ['10.*'], '10.*'],
  ])('%s with %j → %s', (host, patterns, expected) => {
    expect(bypassPattern(host, patterns)).toBe(expected);
  });

  test('automatic detection alone is not a proxy in use; a PAC URL is, marked as script-only', () => {
    const base = { httpProxy: null, httpsProxy: null, pacUrl: null, autoDetect: true, bypass: [], evidence: 'x' };
    expect(proxyInUse(base)).toBeNull();
    expect(proxyInUse({ ...base, pacUrl: 'http://wpad/proxy.pac' })).toEqual({ display: 'http://wpad/proxy.pac', pac: 'http://wpad/proxy.pac', pacOnly: true });
    expect(proxyInUse({ ...base, httpProxy: 'p:80', httpsProxy: 'p:443' })?.display).toBe('p:443');
  });
});

describe('store names', () => {
  test('every store an adapter names has its name in both catalogs, and the Japanese one is not the English one', () => {
    for (const key of STORE_NAME_KEYS) {
      expect(isKey(key)).toBe(true);
      const en = t('en', key as MessageKey);
      const ja = t('ja', key as MessageKey);
      expect(en).toMatch(/^the (Windows store “|macOS )/);
      expect(ja).not.toBe(en);
    }
    expect(t('ja', 'store.windows.machine-root')).toBe('Windows の「信頼されたルート証明機関」（ローカル コンピューター）');
  });
});
