/**
 * The Windows adapter through the exec seam: recorded command outputs (test/fixtures/
 * windows), certificates made per test. Each scenario asserts the facts a check will
 * read, and for the trust store, the path a client builds with them.
 */
import { windowsAdapter } from '../../../platform/windows';
import type { Fact } from '../../../src/facts';
import { fixtureWorld, type FixtureWorld } from './fixtures';
import { pathThrough, pkiWorld, type PkiWorld } from './pki-world';

let pki: PkiWorld;
beforeAll(() => {
  pki = pkiWorld();
});

const signal = new AbortController().signal;

function world(scenario: string): FixtureWorld {
  return fixtureWorld('windows', scenario, { certs: pki.certs });
}

function value<T>(f: Fact<T>): T {
  if (f.status !== 'ok') throw new Error(`expected an ok fact, got ${JSON.stringify(f)}`);
  return f.value;
}

describe('a healthy Windows 11 machine', () => {
  test('OS facts come from Win32_OperatingSystem and the registry', async () => {
    const w = world('healthy');
    const os = value(await windowsAdapter(w.deps).osFacts(signal));
    expect(os).toMatchObject({ platform: 'windows', name: 'Windows 11 Pro', version: '23H2', build: '22631.3525', locale: 'en-US', hostname: 'DESKTOP-TARO' });
    expect(w.unknown).toEqual([]);
  });

  test('without PowerShell, OS facts still come from the registry, with Windows 11 told apart by its build', async () => {
    const base = world('healthy');
    const w = fixtureWorld('windows', 'healthy', { certs: pki.certs }, {
      exec: async (file, args, opts) =>
        file.endsWith('powershell.exe') ? { code: null, stdout: '', stderr: '', spawnError: 'ENOENT: spawn powershell.exe', timedOut: false } : base.deps.exec(file, args, opts),
    });
    const os = value(await windowsAdapter(w.deps).osFacts(signal));
    expect(os).toMatchObject({ name: 'Windows 11 Pro', version: '23H2', build: '22631.3525', locale: 'en-US' });
  });

  test('every command is a full path with an argument array; PowerShell gets its script as one argument', async () => {
    const w = world('healthy');
    const a = windowsAdapter(w.deps);
    await Promise.all([a.osFacts(signal), a.trustStore(signal), a.timeSync(signal), a.dnsConfig(signal), a.clientTls(signal), a.proxy(signal)]);
    expect(w.unknown).toEqual([]);
    for (const c of w.calls) expect(c.file).toMatch(/^C:\\WINDOWS\\System32\\/);
    const ps = w.calls.filter((c) => c.file.endsWith('powershell.exe'));
    expect(ps.map((c) => c.fixture).sort()).toEqual(['powershell-dns', 'powershell-os', 'powershell-trust-store']);
    for (const c of ps) {
      expect(c.args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-Command']);
      expect(c.args).toHaveLength(4);
      // Windows PowerShell re-parses its command line; a double quote would be lost.
      expect(c.args[3]).not.toContain('"');
    }
  });

  test('the trust store: machine roots anchor the chain, CA is only a path helper, and the user view does not double-count', async () => {
    const ts = value(await windowsAdapter(world('healthy').deps).trustStore(signal));
    const byStore = Object.fromEntries(ts.sources.map((s) => [s.store.id, { count: s.count, purpose: s.purpose, error: s.error }]));
    expect(byStore).toEqual({
      'windows:LocalMachine\\Root': { count: 2, purpose: 'anchors', error: null },
      'windows:LocalMachine\\CA': { count: 1, purpose: 'intermediates', error: null },
      'windows:LocalMachine\\Disallowed': { count: 0, purpose: 'distrusted', error: null },
      'windows:CurrentUser\\Root': { count: 0, purpose: 'anchors', error: null },
      'windows:CurrentUser\\CA': { count: 0, purpose: 'intermediates', error: null },
      'windows:CurrentUser\\Disallowed': { count: 0, purpose: 'distrusted', error: null },
    });
    const ca = ts.entries.find((e) => e.der.equals(pki.corpIntermediate.der))!;
    expect(ca).toMatchObject({ trust: 'trusted', role: 'intermediate' });

    // The gateway sends only its own certificate: Windows completes the path from its CA store.
    const path = pathThrough(ts.entries, [pki.gateway]).path!;
    expect(path.end).toBe('anchor');
    expect(path.nodes.map((n) => n.cert.subject.text)).toEqual(['CN=vpn.corp.example', 'CN=Example Corp Issuing CA, O=Example Corp', 'CN=Example Corp Root CA, O=Example Corp']);
    expect(path.anchor!.entries.map((e) => e.store.label)).toEqual(['Windows: Trusted Root Certification Authorities (Local Computer)']);
    expect(path.anchor!.entries[0]!.store.nameKey).toBe('store.windows.machine-root');
  });

  test('time sync: NTP against time.windows.com, synchronised', async () => {
    const t = value(await windowsAdapter(world('healthy').deps).timeSync(signal));
    expect(t).toMatchObject({ enabled: true, synchronized: true, source: 'time.windows.com,0x9' });
    expect(t.evidence).toContain('Type=NTP');
    expect(t.detail).toContain('last successful sync: 5/14/2024 9:31:02 AM');
  });

  test('DNS: the servers of connected interfaces, without the fec0 placeholders or the Wi-Fi that is off', async () => {
    const d = value(await windowsAdapter(world('healthy').deps).dnsConfig(signal));
    expect(d.servers).toEqual(['192.168.1.1', '192.168.1.2']);
    expect(d.searchDomains).toEqual(['corp.example']);
    expect(d.evidence).toContain('Ethernet (IPv4): 192.168.1.1, 192.168.1.2');
  });

  test('client TLS: SChannel defaults of build 22631 (TLS 1.0–1.3 on)', async () => {
    const c = value(await windowsAdapter(world('healthy').deps).clientTls(signal));
    expect(c.enabled).toEqual({ TLSv1: true, 'TLSv1.1': true, 'TLSv1.2': true, 'TLSv1.3': true });
    expect(c.stack).toBe('SChannel');
    expect(c.evidence).toContain('defaults of Windows build 22631');
  });

  test('proxy: none; "Automatically detect settings" is on by default', async () => {
    const p = value(await windowsAdapter(world('healthy').deps).proxy(signal));
    expect(p).toMatchObject({ httpProxy: null, httpsProxy: null, pacUrl: null, autoDetect: true, bypass: [] });
  });
});

describe('trust-store problems', () => {
  test('a missing root: the path stops at the company root, which no store has', async () => {
    const ts = value(await windowsAdapter(world('missing-root').deps).trustStore(signal));
    const path = pathThrough(ts.entries, [pki.gateway, pki.corpIntermediate]).path!;
    expect(path.end).toBe('issuer-not-found');
    expect(path.missingIssuer).toBe('CN=Example Corp Root CA, O=Example Corp');
  });

  test('a root in Untrusted Certificates (Disallowed) is distrusted, whatever Root says', async () => {
    const ts = value(await windowsAdapter(world('distrusted-root').deps).trustStore(signal));
    const path = pathThrough(ts.entries, [pki.gateway, pki.corpIntermediate]).path!;
    expect(path.end).toBe('distrusted');
    expect(path.anchor!.entries.filter((e) => e.trust === 'distrusted').map((e) => e.store.label)).toEqual(['Windows: Untrusted Certificates (Local Computer)']);
  });

  test('a root imported into Intermediate Certification Authorities is there, but not an anchor', async () => {
    const ts = value(await windowsAdapter(world('root-in-ca-store').deps).trustStore(signal));
    const path = pathThrough(ts.entries, [pki.gateway, pki.corpIntermediate]).path!;
    expect(path.end).toBe('self-signed');
    const last = path.nodes[path.nodes.length - 1]!;
    expect(last.cert.subject.text).toBe('CN=Example Corp Root CA, O=Example Corp');
    expect(last.storeEntries.map((e) => [e.store.label, e.role])).toEqual([['Windows: Intermediate Certification Authorities (Local Computer)', 'intermediate']]);
  });

  test('a root only the current user has is marked as a locally added store; a store that cannot be opened says why', async () => {
    const ts = value(await windowsAdapter(world('user-root').deps).trustStore(signal));
    const corp = ts.entries.filter((e) => e.der.equals(pki.corpRoot.der));
    expect(corp.map((e) => [e.store.id, e.store.local])).toEqual([['windows:CurrentUser\\Root', true]]);
    expect(ts.sources.find((s) => s.store.id === 'windows:CurrentUser\\Disallowed')).toMatchObject({ count: 0, error: 'Access is denied.' });
  });

  test('PowerShell that cannot start is an error fact with the cause, never an empty store', async () => {
    const w = fixtureWorld('windows', 'healthy', { certs: pki.certs }, {
      exec: async () => ({ code: null, stdout: '', stderr: '', spawnError: 'ENOENT: spawn powershell.exe', timedOut: false }),
    });
    const f = await windowsAdapter(w.deps).trustStore(signal);
    expect(f).toMatchObject({ status: 'error', error: { code: 'spawn' } });
    expect(f.status === 'error' && f.error.message).toContain('ENOENT');
  });
});

describe('time sync off', () => {
  test('Type=NoSync and a free-running clock', async () => {
    const t = value(await windowsAdapter(world('time-sync-off').deps).timeSync(signal));
    expect(t).toMatchObject({ enabled: false, synchronized: false, source: null });
    expect(t.evidence).toContain('Type=NoSync');
  });
});

describe('no DNS servers', () => {
  test('an interface without DNS servers gives an empty list, and the evidence says so', async () => {
    const d = value(await windowsAdapter(world('no-dns').deps).dnsConfig(signal));
    expect(d.servers).toEqual([]);
    expect(d.searchDomains).toEqual([]);
    expect(d.evidence).toContain('no connected interface has a DNS server');
  });
});

describe('proxies', () => {
  test('a PAC script (AutoConfigURL) with manual proxy off', async () => {
    const p = value(await windowsAdapter(world('pac-proxy').deps).proxy(signal));
    expect(p).toMatchObject({ httpProxy: null, httpsProxy: null, pacUrl: 'http://wpad.corp.example/proxy.pac', autoDetect: false });
    expect(p.evidence).toContain('WinINET');
  });

  test('a manual per-protocol proxy with its exception list', async () => {
    const p = value(await windowsAdapter(world('manual-proxy').deps).proxy(signal));
    expect(p).toMatchObject({ httpProxy: 'proxy.corp.example:8080', httpsProxy: 'proxy.corp.example:8443', bypass: ['*.intra.corp.example', '10.*', '<local>'] });
  });
});

describe('SChannel settings', () => {
  test('TLS 1.2 and 1.3 switched off for clients, TLS 1.0 left on', async () => {
    const c = value(await windowsAdapter(world('tls12-off').deps).clientTls(signal));
    expect(c.enabled).toEqual({ TLSv1: true, 'TLSv1.1': true, 'TLSv1.2': false, 'TLSv1.3': false });
    expect(c.evidence).toContain('TLS 1.2 Client: Enabled=0, DisabledByDefault=1');
  });
});

describe('a Japanese Windows', () => {
  test('OS facts carry the Japanese display language', async () => {
    const os = value(await windowsAdapter(world('japanese').deps).osFacts(signal));
    expect(os).toMatchObject({ name: 'Windows 11 Pro', locale: 'ja-JP' });
  });

  test('w32tm in Japanese is read without its labels: synchronised with ntp.nict.jp', async () => {
    const t = value(await windowsAdapter(world('japanese').deps).timeSync(signal));
    expect(t).toMatchObject({ enabled: true, synchronized: true, source: 'ntp.nict.jp,0x8' });
    expect(t.detail).toContain('w32tm source: ntp.nict.jp,0x8; last successful sync: 2024/05/14 9:31:02');
  });

  test('w32tm in Japanese for a clock that never synchronised (未指定, Local CMOS Clock)', async () => {
    const t = value(await windowsAdapter(world('japanese-not-synced').deps).timeSync(signal));
    expect(t).toMatchObject({ enabled: true, synchronized: false });
    expect(t.detail).toContain('Local CMOS Clock');
  });

  test('w32tm in Japanese with the time service stopped: the HRESULT decides, not the sentence', async () => {
    const t = value(await windowsAdapter(world('japanese-service-stopped').deps).timeSync(signal));
    expect(t).toMatchObject({ enabled: true, synchronized: null });
    expect(t.detail).toContain('not running right now');
  });

  test('w32tm labels garbled by the console code page still parse (CP932 read as UTF-8)', async () => {
    const base = world('japanese');
    const garble = (s: string): string => s.replace(/[^\x00-\x7f]/g, '\ufffd\\');
    const w = fixtureWorld('windows', 'japanese', { certs: pki.certs }, {
      exec: async (file, args, opts) => {
        const r = await base.deps.exec(file, args, opts);
        return file.endsWith('w32tm.exe') ? { ...r, stdout: garble(r.stdout) } : r;
      },
    });
    const t = value(await windowsAdapter(w.deps).timeSync(signal));
    expect(t).toMatchObject({ enabled: true, synchronized: true, source: 'ntp.nict.jp,0x8' });
  });

  test('a registry value that does not exist, reported in Japanese, is "not set", not an error', async () => {
    const p = value(await windowsAdapter(world('japanese').deps).proxy(signal));
    expect(p).toMatchObject({ httpProxy: null, pacUrl: null, autoDetect: null });
  });
});
