/**
 * The Linux adapter against real files and commands on this machine: trust stores in
 * temp folders (hashed with the real `openssl rehash`), resolv.conf and openssl.cnf
 * files handed in through deps, and resolvectl's recorded output where systemd-resolved
 * is not running here.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { realDeps } from '../../../platform/index';
import { linuxAdapter } from '../../../platform/linux';
import { parseResolvectlDns, parseResolvectlStatus } from '../../../platform/parsers';
import type { Exec } from '../../../platform/exec';
import type { PlatformDeps, TrustStoreFacts } from '../../../platform/types';
import { makeRoot, type Issued } from '../../helpers/pki';
import type { Fact } from '../../../src/facts';
import { pathThrough, pkiWorld, type PkiWorld } from './pki-world';

const tempDir = (prefix: string): string => mkdtempSync(path.join(tmpdir(), prefix));

let pki: PkiWorld;
beforeAll(() => {
  pki = pkiWorld();
});

const signal = new AbortController().signal;

function value<T>(f: Fact<T>): T {
  if (f.status !== 'ok') throw new Error(`expected an ok fact, got ${JSON.stringify(f)}`);
  return f.value;
}

/** Real deps, with some paths redirected into a temp folder and some commands answered. */
function deps(env: Record<string, string>, files: Record<string, string> = {}, answers: Record<string, { code: number; stdout: string }> = {}): PlatformDeps {
  const real = realDeps(env);
  const exec: Exec = async (file, args, opts) => {
    const a = answers[`${file} ${args.join(' ')}`];
    if (a) return { code: a.code, stdout: a.stdout, stderr: '', spawnError: null, timedOut: false };
    return real.exec(file, args, opts);
  };
  return { ...real, exec, readFile: (p) => real.readFile(files[p] ?? p), homeDir: tempDir('vpf-home-') };
}

describe('trust store', () => {
  test('SSL_CERT_FILE and an SSL_CERT_DIR hashed by openssl rehash: the path anchors in the bundle, the dir adds the issuing CA', async () => {
    const dir = tempDir('vpf-linux-');
    const bundle = path.join(dir, 'bundle.pem');
    writeFileSync(bundle, pki.publicRoot.pem + pki.corpRoot.pem);
    const hashed = path.join(dir, 'certs');
    mkdirSync(hashed);
    writeFileSync(path.join(hashed, 'issuing.pem'), pki.corpIntermediate.pem);
    execFileSync('openssl', ['rehash', hashed]);
    const ts = value(await linuxAdapter(deps({ SSL_CERT_FILE: bundle, SSL_CERT_DIR: hashed })).trustStore(signal));
    expect(ts.sources.filter((s) => s.store.kind === 'os-bundle').map((s) => [s.store.id, s.store.label, s.count, s.error])).toEqual([
      ['SSL_CERT_FILE', bundle, 2, null],
      ['SSL_CERT_DIR', hashed, 1, null],
    ]);
    const p = pathThrough(ts.entries, [pki.gateway]).path!;
    expect(p.end).toBe('anchor');
    expect(p.anchor!.entries.map((e) => e.store.label)).toEqual([bundle]);
    // Only <hash>.<n> names count, as for OpenSSL's CApath: the .pem file itself is not read twice.
    expect((await fs.readdir(hashed)).filter((n) => /^[0-9a-f]{8}\.0$/.test(n))).toHaveLength(1);
  });

  /** A bundle and a hashed dir (openssl rehash) in a temp folder, and every file the adapter reads. */
  async function bundleAndHashedDir(inBundle: readonly Issued[], inDir: readonly Issued[]): Promise<{ bundle: string; hashed: string; reads: string[]; ts: TrustStoreFacts }> {
    const dir = tempDir('vpf-linux-');
    const bundle = path.join(dir, 'bundle.pem');
    writeFileSync(bundle, inBundle.map((c) => c.pem).join(''));
    const hashed = path.join(dir, 'certs');
    mkdirSync(hashed);
    inDir.forEach((c, i) => writeFileSync(path.join(hashed, `cert-${i}.pem`), c.pem));
    execFileSync('openssl', ['rehash', hashed]);
    const reads: string[] = [];
    const d = deps({ SSL_CERT_FILE: bundle, SSL_CERT_DIR: hashed });
    const ts = value(await linuxAdapter({ ...d, readFile: (p) => (reads.push(p), d.readFile(p)) }).trustStore(signal));
    return { bundle, hashed, reads, ts };
  }

  const fromDir = (reads: readonly string[], hashed: string): string[] => reads.filter((p) => p.startsWith(`${hashed}/`));
  const dirCount = (ts: TrustStoreFacts): number | undefined => ts.sources.find((s) => s.store.id === 'SSL_CERT_DIR')?.count;

  test('a hashed dir that only repeats the bundle is not read file by file', async () => {
    const { hashed, reads, ts } = await bundleAndHashedDir([pki.publicRoot, pki.corpRoot], [pki.publicRoot, pki.corpRoot]);
    expect(fromDir(reads, hashed)).toEqual([]);
    expect(ts.entries).toHaveLength(2);
    expect(dirCount(ts)).toBe(0);
  });

  test('a certificate only in the hashed dir is still found, and only its file is read', async () => {
    const { hashed, reads, ts } = await bundleAndHashedDir([pki.publicRoot], [pki.publicRoot, pki.corpRoot]);
    expect(fromDir(reads, hashed)).toHaveLength(1);
    expect(dirCount(ts)).toBe(1);
    const p = pathThrough(ts.entries, [pki.gateway, pki.corpIntermediate]).path!;
    expect(p.end).toBe('anchor');
    expect(p.anchor!.entries.map((e) => e.store.label)).toEqual([hashed]);
  });

  test('a second certificate under a bundle certificate’s hash (same name, new key: <hash>.1) is still found', async () => {
    const renewed = makeRoot('Example Public Root CA', { o: 'Example Trust Services' });
    const { hashed, ts } = await bundleAndHashedDir([pki.publicRoot], [pki.publicRoot, renewed]);
    expect((await fs.readdir(hashed)).filter((n) => /^[0-9a-f]{8}\.\d+$/.test(n)).sort().map((n) => n.slice(-2))).toEqual(['.0', '.1']);
    expect(dirCount(ts)).toBe(1);
    expect(ts.entries.map((e) => e.der.toString('base64'))).toEqual(expect.arrayContaining([renewed.der.toString('base64')]));
  });

  test('without a bundle, every hashed file is read', async () => {
    const dir = tempDir('vpf-linux-');
    const hashed = path.join(dir, 'certs');
    mkdirSync(hashed);
    writeFileSync(path.join(hashed, 'a.pem'), pki.publicRoot.pem);
    writeFileSync(path.join(hashed, 'b.pem'), pki.corpRoot.pem);
    execFileSync('openssl', ['rehash', hashed]);
    const ts = value(await linuxAdapter(deps({ SSL_CERT_FILE: path.join(dir, 'missing.pem'), SSL_CERT_DIR: hashed })).trustStore(signal));
    expect(dirCount(ts)).toBe(2);
  });

  test('an SSL_CERT_FILE that does not exist is reported with the reason', async () => {
    const missing = path.join(tempDir('vpf-linux-'), 'nope.pem');
    const ts = value(await linuxAdapter(deps({ SSL_CERT_FILE: missing, SSL_CERT_DIR: tempDir('vpf-empty-') })).trustStore(signal));
    expect(ts.sources[0]).toMatchObject({ store: { id: 'SSL_CERT_FILE', label: missing }, count: 0 });
    expect(ts.sources[0]!.error).toMatch(/ENOENT/);
  });
});

describe('DNS configuration', () => {
  test('resolv.conf nameservers and search domains', async () => {
    const dir = tempDir('vpf-dns-');
    writeFileSync(path.join(dir, 'resolv.conf'), '# written by NetworkManager\nsearch corp.example\nnameserver 192.0.2.53\nnameserver 2001:db8::53\noptions edns0\n');
    const d = value(await linuxAdapter(deps({}, { '/etc/resolv.conf': path.join(dir, 'resolv.conf') })).dnsConfig(signal));
    expect(d).toMatchObject({ servers: ['192.0.2.53', '2001:db8::53'], searchDomains: ['corp.example'], evidence: '/etc/resolv.conf' });
  });

  test('an empty resolv.conf: no DNS servers, said plainly', async () => {
    const dir = tempDir('vpf-dns-');
    writeFileSync(path.join(dir, 'resolv.conf'), '# no nameservers\n');
    const d = value(await linuxAdapter(deps({}, { '/etc/resolv.conf': path.join(dir, 'resolv.conf') })).dnsConfig(signal));
    expect(d.servers).toEqual([]);
  });

  // resolvectl(1) `dns` output, as systemd 252 prints it.
  const RESOLVECTL_DNS = 'Global:\nLink 2 (enp0s3): 10.0.2.3 fe80::1%enp0s3\nLink 3 (wg0): 10.8.0.1#dns.corp.example\n';

  test('systemd-resolved: the stub 127.0.0.53 is replaced by the upstream servers resolvectl names', async () => {
    const dir = tempDir('vpf-dns-');
    writeFileSync(path.join(dir, 'resolv.conf'), '# This is /run/systemd/resolve/stub-resolv.conf\nnameserver 127.0.0.53\noptions edns0 trust-ad\nsearch corp.example\n');
    const d = value(
      await linuxAdapter(deps({}, { '/etc/resolv.conf': path.join(dir, 'resolv.conf') }, { 'resolvectl dns': { code: 0, stdout: RESOLVECTL_DNS } })).dnsConfig(signal),
    );
    expect(d).toMatchObject({ servers: ['10.0.2.3', 'fe80::1', '10.8.0.1'], searchDomains: ['corp.example'], stub: '127.0.0.53' });
    expect(d.evidence).toContain('upstream servers from resolvectl dns');
  });

  test('systemd-resolved without resolvectl on PATH: the stub stays, and the evidence says the upstream is unknown', async () => {
    const dir = tempDir('vpf-dns-');
    writeFileSync(path.join(dir, 'resolv.conf'), 'nameserver 127.0.0.53\n');
    const real = deps({ PATH: dir }, { '/etc/resolv.conf': path.join(dir, 'resolv.conf') });
    // An empty PATH folder: the real exec cannot find resolvectl.
    const d = value(await linuxAdapter({ ...real, exec: (f, a, o) => realDeps({}).exec(path.join(dir, f), a, o) }).dnsConfig(signal));
    expect(d).toMatchObject({ servers: ['127.0.0.53'], stub: '127.0.0.53' });
    expect(d.evidence).toContain('resolvectl is not installed');
  });

  test('resolvectl status: DNS Servers with continuation lines', () => {
    const status = [
      'Global',
      '       Protocols: +LLMNR +mDNS -DNSOverTLS DNSSEC=no/unsupported',
      'resolv.conf mode: stub',
      '',
      'Link 2 (enp0s3)',
      '    Current Scopes: DNS',
      'Current DNS Server: 10.0.2.3',
      '       DNS Servers: 10.0.2.3',
      '                    10.0.2.4',
      '        DNS Domain: corp.example',
    ].join('\n');
    expect(parseResolvectlStatus(status)).toEqual(['10.0.2.3', '10.0.2.4']);
    expect(parseResolvectlDns(RESOLVECTL_DNS)).toEqual(['10.0.2.3', 'fe80::1', '10.8.0.1']);
  });
});

describe('client TLS', () => {
  test('openssl.cnf MinProtocol = TLSv1.2 (Debian\'s setting) switches TLS 1.0/1.1 off', async () => {
    const conf = path.join(tempDir('vpf-ssl-'), 'openssl.cnf');
    writeFileSync(conf, '[system_default_sect]\nMinProtocol = TLSv1.2\nCipherString = DEFAULT@SECLEVEL=2\n');
    const c = value(await linuxAdapter(deps({ OPENSSL_CONF: conf })).clientTls(signal));
    expect(c).toMatchObject({ enabled: { TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true }, stack: 'OpenSSL' });
    expect(c.evidence).toBe(`${conf}: MinProtocol = TLSv1.2`);
  });

  test('MaxProtocol = TLSv1.1 leaves no modern version', async () => {
    const conf = path.join(tempDir('vpf-ssl-'), 'openssl.cnf');
    writeFileSync(conf, 'MaxProtocol = TLSv1.1\n');
    const c = value(await linuxAdapter(deps({ OPENSSL_CONF: conf })).clientTls(signal));
    expect(c.enabled).toEqual({ TLSv1: true, 'TLSv1.1': true, 'TLSv1.2': false, 'TLSv1.3': false });
  });
});

describe('OS facts and proxy', () => {
  test('name and version from the real /etc/os-release', async () => {
    const text = await fs.readFile('/etc/os-release', 'utf8');
    const name = /^NAME="?([^"\n]+)"?$/m.exec(text)?.[1];
    const os = value(await linuxAdapter(deps({ LANG: 'ja_JP.UTF-8' })).osFacts(signal));
    expect(os).toMatchObject({ platform: 'linux', name, locale: 'ja-JP' });
  });

  test('proxy from the environment, with no_proxy as the exception list', async () => {
    const p = value(await linuxAdapter(deps({ https_proxy: 'http://proxy.corp.example:3128', no_proxy: '.intra.corp.example,localhost' })).proxy(signal));
    expect(p).toMatchObject({ httpsProxy: 'http://proxy.corp.example:3128', httpProxy: null, bypass: ['.intra.corp.example', 'localhost'] });
  });
});
