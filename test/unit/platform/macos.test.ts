/**
 * The macOS adapter through the exec seam: recorded outputs of security, scutil,
 * systemsetup and sw_vers (test/fixtures/macos), certificates made per test.
 */
import { macosAdapter } from '../../../platform/macos';
import type { Fact } from '../../../src/facts';
import { fixtureWorld, type FixtureWorld } from './fixtures';
import { pathThrough, pkiWorld, type PkiWorld } from './pki-world';

let pki: PkiWorld;
beforeAll(() => {
  pki = pkiWorld();
});

const signal = new AbortController().signal;

function world(scenario: string): FixtureWorld {
  return fixtureWorld('macos', scenario, { certs: pki.certs });
}

function value<T>(f: Fact<T>): T {
  if (f.status !== 'ok') throw new Error(`expected an ok fact, got ${JSON.stringify(f)}`);
  return f.value;
}

describe('a healthy Mac', () => {
  test('OS facts from sw_vers, the language from AppleLocale', async () => {
    const w = world('healthy');
    const os = value(await macosAdapter(w.deps).osFacts(signal));
    expect(os).toMatchObject({ platform: 'macos', name: 'macOS', version: '14.4.1', build: '23E224', locale: 'en-US' });
    expect(w.unknown).toEqual([]);
  });

  test('every command is an absolute path with an argument array', async () => {
    const w = world('healthy');
    const a = macosAdapter(w.deps);
    await Promise.all([a.osFacts(signal), a.trustStore(signal), a.timeSync(signal), a.dnsConfig(signal), a.clientTls(signal), a.proxy(signal)]);
    expect(w.unknown).toEqual([]);
    for (const c of w.calls) expect(c.file).toMatch(/^\/usr\/(s?bin)\/[a-z_]+$/);
    expect(w.calls.filter((c) => c.args[0] === 'dump-trust-settings').map((c) => c.args.slice(1))).toEqual([[], ['-d'], ['-s']]);
  });

  test('the trust store: a System keychain root with an admin "Always Trust" setting anchors the chain', async () => {
    const ts = value(await macosAdapter(world('healthy').deps).trustStore(signal));
    expect(Object.fromEntries(ts.sources.map((s) => [s.store.id, [s.count, s.error]]))).toEqual({
      'keychain:SystemRoots': [1, null],
      'keychain:System': [2, null],
      'keychain:login': [0, null],
    });
    const path = pathThrough(ts.entries, [pki.gateway]).path!;
    expect(path.end).toBe('anchor');
    expect(path.anchor!.entries.map((e) => e.store.label)).toEqual(['macOS: System keychain']);
    expect(ts.notes).toEqual(['admin trust settings: Example Corp Root CA (trust)', 'system trust settings: Example Public Root CA (trust)']);
    // The issuing CA in the same keychain only helps to build the path.
    expect(ts.entries.find((e) => e.der.equals(pki.corpIntermediate.der))).toMatchObject({ role: 'intermediate', trust: 'trusted' });
  });

  test('time sync on, server from /etc/ntp.conf', async () => {
    const t = value(await macosAdapter(world('healthy').deps).timeSync(signal));
    expect(t).toMatchObject({ enabled: true, synchronized: null, source: 'time.apple.com' });
  });

  test('DNS: the default resolver, not the mDNS or per-domain (VPN) ones', async () => {
    const d = value(await macosAdapter(world('healthy').deps).dnsConfig(signal));
    expect(d.servers).toEqual(['192.168.1.1', '2001:db8::53']);
    expect(d.searchDomains).toEqual(['corp.example']);
    expect(d.evidence).toContain('intra.corp.example → 10.8.0.53');
  });

  test('client TLS: TLS 1.2 and 1.3 on macOS 14; TLS 1.0/1.1 not asserted', async () => {
    const c = value(await macosAdapter(world('healthy').deps).clientTls(signal));
    expect(c.enabled).toEqual({ TLSv1: null, 'TLSv1.1': null, 'TLSv1.2': true, 'TLSv1.3': true });
  });

  test('proxy: none, with the default exception list', async () => {
    const p = value(await macosAdapter(world('healthy').deps).proxy(signal));
    expect(p).toMatchObject({ httpProxy: null, httpsProxy: null, pacUrl: null, autoDetect: false, bypass: ['*.local', '169.254/16'] });
  });
});

describe('trust-store problems', () => {
  test('a missing root: nothing in any keychain issues the company CA', async () => {
    const ts = value(await macosAdapter(world('missing-root').deps).trustStore(signal));
    const path = pathThrough(ts.entries, [pki.gateway, pki.corpIntermediate]).path!;
    expect(path.end).toBe('issuer-not-found');
  });

  test('"Never Trust" in the user domain beats the admin\'s "Always Trust"', async () => {
    const ts = value(await macosAdapter(world('distrusted-root').deps).trustStore(signal));
    const path = pathThrough(ts.entries, [pki.gateway, pki.corpIntermediate]).path!;
    expect(path.end).toBe('distrusted');
    expect(path.anchor!.entries.map((e) => [e.store.label, e.trust])).toEqual([['macOS: System keychain', 'distrusted']]);
    expect(ts.notes).toContain('user trust settings: Example Corp Root CA (deny)');
  });

  test('a root in the login keychain without "Always Trust" (a code-signing setting does not count) is not an anchor', async () => {
    const ts = value(await macosAdapter(world('root-not-trusted').deps).trustStore(signal));
    const path = pathThrough(ts.entries, [pki.gateway, pki.corpIntermediate]).path!;
    expect(path.end).toBe('self-signed');
    const last = path.nodes[path.nodes.length - 1]!;
    expect(last.storeEntries.map((e) => [e.store.label, e.role, e.store.local])).toEqual([['macOS: login keychain', 'intermediate', true]]);
  });
});

describe('time sync', () => {
  test('off', async () => {
    const t = value(await macosAdapter(world('time-sync-off').deps).timeSync(signal));
    expect(t).toMatchObject({ enabled: false, source: 'time.apple.com' });
  });

  test('systemsetup without administrator rights: unknown, said so, and the server still comes from /etc/ntp.conf', async () => {
    const t = value(await macosAdapter(world('needs-admin').deps).timeSync(signal));
    expect(t).toMatchObject({ enabled: null, source: 'ntp.corp.example' });
    expect(t.detail).toContain('needs administrator rights');
  });
});

describe('no DNS servers', () => {
  test('only mDNS resolvers: an empty server list', async () => {
    const d = value(await macosAdapter(world('no-dns').deps).dnsConfig(signal));
    expect(d.servers).toEqual([]);
  });
});

describe('proxies', () => {
  test('a PAC URL, with the exceptions of the top-level dictionary (not the per-interface copy)', async () => {
    const p = value(await macosAdapter(world('pac-proxy').deps).proxy(signal));
    expect(p).toMatchObject({ httpProxy: null, httpsProxy: null, pacUrl: 'http://wpad.corp.example/proxy.pac', bypass: ['*.local', '169.254/16', '.intra.corp.example'] });
  });

  test('manual web and secure web proxies, host and port', async () => {
    const p = value(await macosAdapter(world('manual-proxy').deps).proxy(signal));
    expect(p).toMatchObject({ httpProxy: 'proxy.corp.example:8080', httpsProxy: 'proxy.corp.example:8443', pacUrl: null });
  });
});

describe('a Japanese Mac', () => {
  test('the language comes from AppleLocale (calendar suffix dropped); the tools themselves print English', async () => {
    const os = value(await macosAdapter(world('japanese').deps).osFacts(signal));
    expect(os.locale).toBe('ja-JP');
  });
});
