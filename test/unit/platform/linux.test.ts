/**
 * The Linux adapter against real files and commands on this machine: trust stores in
 * temp folders (hashed with the real `openssl rehash`), resolv.conf and openssl.cnf
 * files handed in through deps, and resolvectl's recorded output where systemd-resolved
 * is not running here.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { realDeps } from '../../../platform/index';
import { linuxAdapter, SYSLOG_TAIL_BYTES, VPN_AGENT_IDENTIFIERS } from '../../../platform/linux';
import { parseResolvectlDns, parseResolvectlStatus } from '../../../platform/parsers';
import { parseSyslogLine } from '../../../platform/syslog';
import type { Exec, ExecResult } from '../../../platform/exec';
import type { PlatformDeps, TrustStoreFacts } from '../../../platform/types';
import { interpretLogs } from '../../../src/anyconnect/logs';
import { t } from '../../../src/fixes/i18n';
import { hasUnsafeCharacters } from '../../../src/pki/text';
import { MAX_FILE_BYTES } from '../../../src/read-file';
import { makeRoot, type Issued } from '../../helpers/pki';
import type { Fact } from '../../../src/facts';
import { fixture } from '../anyconnect/fixtures';
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

describe('the VPN agent’s log: the journal, else the syslog files', () => {
  // 09:00 on 12 June in Tokyo.
  const NOW = '2024-06-12T00:00:00Z';
  const SYSLOG = '/var/log/syslog';
  const MESSAGES = '/var/log/messages';
  const DENIED = { errno: 'EACCES' } as const;

  /** A file's text, a real file to read, or the error opening it gives. */
  type FileAnswer = string | Buffer | { readonly realPath: string } | { readonly errno: string };

  /**
   * journalctl answered as given (absent: not installed), syslog paths answered from the table
   * through the real tail reader on temp files; every other path does not exist.
   */
  function logWorld(world: { journal?: Partial<ExecResult>; files?: Record<string, FileAnswer>; now?: string; timeZone?: string }) {
    const dir = tempDir('vpf-syslog-');
    const real = realDeps({});
    const tails: Array<{ path: string; maxBytes: number }> = [];
    const commands: string[][] = [];
    const missing = (p: string): Error => Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
    const d: PlatformDeps = {
      ...real,
      exec: async (file, args) => {
        commands.push([file, ...args]);
        if (file === 'journalctl' && world.journal) return { code: 0, stdout: '', stderr: '', spawnError: null, timedOut: false, ...world.journal };
        return { code: null, stdout: '', stderr: '', spawnError: `ENOENT: spawn ${file}`, timedOut: false };
      },
      readFile: async (p) => {
        throw missing(p);
      },
      readFileTail: async (p, maxBytes) => {
        tails.push({ path: p, maxBytes });
        const a = world.files?.[p];
        if (a === undefined) throw missing(p);
        if (typeof a === 'object' && 'errno' in a) throw Object.assign(new Error(`${a.errno}: permission denied, open '${p}'`), { code: a.errno });
        let file: string;
        if (typeof a === 'object' && 'realPath' in a) {
          file = a.realPath;
        } else {
          file = path.join(dir, path.basename(p));
          writeFileSync(file, a);
        }
        return real.readFileTail(file, maxBytes);
      },
      now: () => new Date(world.now ?? NOW),
      timeZone: world.timeZone ?? 'Asia/Tokyo',
    };
    return { adapter: linuxAdapter(d), tails, commands };
  }

  const log = (name: string): string => fixture(`logs/linux/${name}`);
  const REASON_59 = 'Termination reason code 59: Connection attempt failed due to certificate problems.';

  test('journalctl not installed: the agent’s lines in /var/log/syslog are read, with their meaning and the file they came from', async () => {
    const w = logWorld({ files: { [SYSLOG]: log('syslog-certificate-failure.txt') } });
    const entries = value(await w.adapter.vpnLogs(signal, 3));
    // Only the agent's own lines: not the UI's, not systemd's line that names the agent.
    expect(entries.map((e) => e.source)).toEqual(Array(3).fill('vpnagentd (/var/log/syslog)'));
    const summary = interpretLogs(entries);
    expect(summary.findings.map((f) => f.kind)).toEqual(['nss-missing', 'gateway-certificate-invalid']);
    // 10:42:43 in Tokyo.
    expect(summary.lastGatewayCertificateFailure).toMatchObject({ kind: 'gateway-certificate-invalid', message: REASON_59, time: '2024-06-11T01:42:43.000Z', source: 'vpnagentd (/var/log/syslog)' });
  });

  test('journalctl answers with no entries: the syslog files are read (rsyslog high-precision timestamps in /var/log/messages)', async () => {
    const w = logWorld({ journal: { stdout: '' }, files: { [MESSAGES]: log('messages-client-certificate-failure.txt') } });
    const summary = interpretLogs(value(await w.adapter.vpnLogs(signal, 3)));
    expect(summary.lastClientCertificateFailure).toMatchObject({
      kind: 'client-certificate-validation',
      message: 'error: Certificate Validation Failure',
      time: '2024-06-11T08:02:41.227Z',
      source: 'acvpnagent (/var/log/messages)',
    });
    expect(summary.lastGatewayCertificateFailure).toBeNull();
    // The journal and the files are searched for the same identifiers.
    expect(w.commands[0]!.filter((a, i, all) => all[i - 1] === '-t')).toEqual(VPN_AGENT_IDENTIFIERS);
    expect(w.tails.map((r) => [r.path, r.maxBytes])).toEqual([
      [SYSLOG, SYSLOG_TAIL_BYTES],
      [`${SYSLOG}.1`, SYSLOG_TAIL_BYTES],
      [MESSAGES, SYSLOG_TAIL_BYTES],
    ]);
  });

  test('a failure logged before the last rotation is found in /var/log/syslog.1', async () => {
    const w = logWorld({ files: { [SYSLOG]: '', [`${SYSLOG}.1`]: log('syslog-certificate-failure.txt') } });
    const summary = interpretLogs(value(await w.adapter.vpnLogs(signal, 3)));
    expect(summary.lastGatewayCertificateFailure).toMatchObject({ kind: 'gateway-certificate-invalid', message: REASON_59, source: 'vpnagentd (/var/log/syslog.1)' });
  });

  test('journalctl fails: the syslog files are read; a log without failures finds nothing', async () => {
    const w = logWorld({ journal: { code: 1, stderr: 'Failed to open journal: Bad message' }, files: { [SYSLOG]: log('syslog-no-failure.txt') } });
    const summary = interpretLogs(value(await w.adapter.vpnLogs(signal, 3)));
    expect([summary.entriesRead, summary.findings]).toEqual([2, []]);
  });

  test('the journal has the agent’s entries: the syslog files are not read', async () => {
    const w = logWorld({ journal: { stdout: log('certificate-failure.jsonl') }, files: { [SYSLOG]: log('syslog-no-failure.txt') } });
    const summary = interpretLogs(value(await w.adapter.vpnLogs(signal, 3)));
    expect(summary.lastGatewayCertificateFailure).toMatchObject({ kind: 'gateway-certificate-invalid', source: 'vpnagentd' });
    expect(w.tails).toEqual([]);
  });

  test('/var/log/syslog readable only by root and adm: unsupported, naming the file and the group, in both languages', async () => {
    const f = await logWorld({ journal: { stdout: '' }, files: { [SYSLOG]: DENIED } }).adapter.vpnLogs(signal, 3);
    expect(f.status).toBe('unsupported');
    if (f.status !== 'unsupported') return;
    expect(f.reason).toBe(
      "the journal has no entries of the VPN agent, and /var/log/syslog may be read only by root and the group adm: run vpn-preflight as a user in the group adm (or as root) to read the VPN agent's log",
    );
    expect(f.note).toEqual({ key: 'fact.vpnlogs.syslog-unreadable', params: { file: SYSLOG } });
    expect(t('en', f.note!.key, f.note!.params)).toContain('/var/log/syslog may be read only by root and the group adm');
    expect(t('ja', f.note!.key, f.note!.params)).toContain('/var/log/syslog は root と adm グループしか読めません');
  });

  test('one unreadable file does not hide the entries of another', async () => {
    const w = logWorld({ files: { [SYSLOG]: DENIED, [MESSAGES]: log('messages-client-certificate-failure.txt') } });
    expect(interpretLogs(value(await w.adapter.vpnLogs(signal, 3))).lastClientCertificateFailure?.source).toBe('acvpnagent (/var/log/messages)');
  });

  test('no journalctl and no syslog file: unsupported, saying both; an empty journal and no file is simply no entries', async () => {
    expect(await logWorld({}).adapter.vpnLogs(signal, 3)).toMatchObject({
      status: 'unsupported',
      reason: 'journalctl is not installed, and there is no syslog file (/var/log/syslog, /var/log/syslog.1, /var/log/messages)',
    });
    expect(await logWorld({ journal: { stdout: '' } }).adapter.vpnLogs(signal, 3)).toMatchObject({ status: 'ok', value: [] });
  });

  test('lines older than the days asked for are dropped', async () => {
    const files = { [SYSLOG]: log('syslog-certificate-failure.txt') };
    // The 2 June failure is 10 days old.
    const recent = value(await logWorld({ files }).adapter.vpnLogs(signal, 3));
    expect(recent.map((e) => e.time)).not.toContain('2024-06-01T23:15:11.000Z');
    const tenDays = value(await logWorld({ files }).adapter.vpnLogs(signal, 11));
    expect(tenDays.map((e) => e.time)[0]).toBe('2024-06-01T23:15:11.000Z');
  });

  test('year inference: a December line read in January is last year’s; the year is the local one, not UTC’s', async () => {
    const lines = [
      'Dec 31 23:59:58 pc-001 vpnagentd[1402]: Termination reason code 59: Connection attempt failed due to certificate problems.',
      'Jan  2 09:30:00 pc-001 vpnagentd[1402]: Establishing VPN session...',
    ].join('\n');
    // 2 January 2027, 10:00 in Tokyo.
    const w = logWorld({ now: '2027-01-02T01:00:00Z', files: { [SYSLOG]: lines } });
    expect(value(await w.adapter.vpnLogs(signal, 3)).map((e) => e.time)).toEqual(['2026-12-31T14:59:58.000Z', '2027-01-02T00:30:00.000Z']);
    // 1 January 2027, 01:00 in Tokyo, still 2026 in UTC: a New Year's line is this (local) year's.
    const newYear = logWorld({ now: '2026-12-31T16:00:00Z', files: { [SYSLOG]: 'Jan  1 00:30:00 pc-001 vpnagentd[1402]: Establishing VPN session...\n' } });
    expect(value(await newYear.adapter.vpnLogs(signal, 3)).map((e) => e.time)).toEqual(['2026-12-31T15:30:00.000Z']);
  });

  test('a syslog file of 1 GiB is read only at its end', async () => {
    const file = path.join(tempDir('vpf-syslog-big-'), 'syslog');
    const fd = openSync(file, 'w');
    try {
      // A failure at the start, a gigabyte of nothing (a sparse file), then the last lines.
      writeSync(fd, `Jun 11 08:00:00 pc-001 vpnagentd[1402]: ${REASON_59}\n`);
      const tail = '\nJun 11 10:00:00 pc-001 vpnagentd[1402]: Establishing VPN session...\nJun 11 10:00:01 pc-001 vpnagentd[1402]: The VPN connection has been established.\n';
      writeSync(fd, tail, 1024 ** 3);
    } finally {
      closeSync(fd);
    }
    expect((await fs.stat(file)).size).toBeGreaterThan(MAX_FILE_BYTES);
    const w = logWorld({ files: { [SYSLOG]: { realPath: file } } });
    const entries = value(await w.adapter.vpnLogs(signal, 3));
    expect(entries.map((e) => e.message)).toEqual(['Establishing VPN session...', 'The VPN connection has been established.']);
    expect(w.tails).toEqual([
      { path: SYSLOG, maxBytes: SYSLOG_TAIL_BYTES },
      { path: `${SYSLOG}.1`, maxBytes: SYSLOG_TAIL_BYTES },
      { path: MESSAGES, maxBytes: SYSLOG_TAIL_BYTES },
    ]);
    rmSync(path.dirname(file), { recursive: true, force: true });
  });

  test('hostile lines (NUL, control characters, a 1 MiB line) neither crash nor reach the report raw', async () => {
    const text = [
      'Jun 11 10:00:00 pc-001 vpnagentd[1402]: \u0000\u001b[31mTermination reason code 59:\u0007 Connection attempt failed due to certificate problems.\u202e',
      `Jun 11 10:00:01 pc-001 vpnagentd[1402]: ${'A'.repeat(1024 * 1024)}`,
      '\u0000'.repeat(1024 * 1024),
      `vpnagentd[${'9'.repeat(100_000)}`,
      'Jun 11 10:00:02 pc-001 vpnagentd[\u0000]: \r',
      'Foo 11 10:00:03 pc-001 vpnagentd[1402]: not a month',
      'Jun 99 10:00:04 pc-001 vpnagentd[1402]: not a day',
    ].join('\n');
    const entries = value(await logWorld({ files: { [SYSLOG]: text } }).adapter.vpnLogs(signal, 3));
    expect(entries.map((e) => [e.time, e.message.length])).toEqual([
      ['2024-06-11T01:00:00.000Z', 90],
      ['2024-06-11T01:00:01.000Z', 4096],
      ['2024-06-11T01:00:02.000Z', 0],
    ]);
    const failure = interpretLogs(entries).lastGatewayCertificateFailure!;
    expect(failure.kind).toBe('gateway-certificate-invalid');
    expect(hasUnsafeCharacters(failure.message)).toBe(false);
  });

  test.each([
    ['Dec  6 09:15:02 host vpnagentd[1234]: message', '2023-12-06T00:15:02.000Z', 'vpnagentd', 'message'],
    ['<30>Jun 11 10:42:43 host csc_vpnagent: no pid', '2024-06-11T01:42:43.000Z', 'csc_vpnagent', 'no pid'],
    ['2026-12-06T09:15:02.123456+09:00 host vpnagentd[1234]: message', '2026-12-06T00:15:02.123Z', 'vpnagentd', 'message'],
    ['2024-06-11T01:42:43Z host acvpnagent[7]:tight', '2024-06-11T01:42:43.000Z', 'acvpnagent', 'tight'],
  ])('parseSyslogLine %j', (line, time, tag, message) => {
    expect(parseSyslogLine(line, { now: new Date(NOW), timeZone: 'Asia/Tokyo' })).toEqual({ time, tag, message });
  });

  test.each([
    ['29 February in a year without one', 'Feb 29 10:00:00 host vpnagentd[1]: x'],
    ['no tag', 'Jun 11 10:00:00 host'],
    ['no timestamp', 'host vpnagentd[1]: x'],
  ])('parseSyslogLine: %s is no line', (_why, line) => {
    expect(parseSyslogLine(line, { now: new Date('2023-06-12T00:00:00Z'), timeZone: 'Asia/Tokyo' })).toBeNull();
  });
});
