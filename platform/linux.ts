import { gather, guard, ok, unsupported, type Fact } from '../src/facts';
import { opensslSubjectHash } from '../src/pki/openssl-subject-hash';
import { splitCertificates } from '../src/pki/pem';
import type { StoreEntry, StoreRef } from '../src/pki/trust-store';
import { opensslStoreEntry } from './openssl-store';
import { anyconnectOnUnix, clientIdentitiesFromPemStore, pemStoreEntries, type UnixLayout } from './anyconnect-unix';
import type {
  AnyConnectInstallFacts,
  ClientIdentity,
  ClientTlsFacts,
  DnsConfigFacts,
  OsFacts,
  PlatformAdapter,
  PlatformDeps,
  ProxyFacts,
  TimeSyncFacts,
  TrustStoreFacts,
  VpnLogEntry,
} from './types';
import { syslogEntries } from './syslog';
import { SYSTEMD_RESOLVED_STUBS, parseKeyValueLines, parseResolvConf, parseResolvectlDns, parseResolvectlStatus, proxyFromEnv, tlsFromOpensslConf } from './parsers';

/** Bundle files in the order Go's crypto/x509 and OpenSSL-based distros use them. */
export const LINUX_BUNDLE_FILES = [
  '/etc/ssl/certs/ca-certificates.crt', // Debian, Ubuntu, Gentoo, Arch
  '/etc/pki/tls/certs/ca-bundle.crt', // Fedora, RHEL 6
  '/etc/ssl/ca-bundle.pem', // openSUSE
  '/etc/pki/tls/cacert.pem', // OpenELEC
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', // CentOS, RHEL 7+
  '/etc/ssl/cert.pem', // Alpine
];
export const LINUX_HASH_DIRS = ['/etc/ssl/certs', '/etc/pki/tls/certs'];

export const LINUX_ANYCONNECT: UnixLayout = {
  os: 'linux',
  installs: [
    { product: 'Secure Client', root: '/opt/cisco/secureclient', profileDir: '/opt/cisco/secureclient/vpn/profile', globalPrefs: '/opt/cisco/secureclient/vpn/.anyconnect_global' },
    { product: 'AnyConnect', root: '/opt/cisco/anyconnect', profileDir: '/opt/cisco/anyconnect/profile', globalPrefs: '/opt/cisco/anyconnect/.anyconnect_global' },
  ],
  userPrefs: ['.anyconnect', '.vpn/.anyconnect'],
};

const TIMEOUT_MS = 3000;

/** The VPN agent's syslog identifiers: AnyConnect 4.x, and Secure Client 5.x's names. The journal and the syslog files are searched for the same ones. */
export const VPN_AGENT_IDENTIFIERS = ['vpnagentd', 'acvpnagent', 'csc_vpnagent'];
/**
 * Where rsyslog writes them when the journal does not keep them: Debian and Ubuntu write
 * /var/log/syslog and keep the previous period, uncompressed, in syslog.1; Red Hat and SUSE
 * write /var/log/messages. Older rotations are compressed and not read.
 */
export const SYSLOG_FILES = ['/var/log/syslog', '/var/log/syslog.1', '/var/log/messages'];
/** Only the end of a syslog file is read: it holds the last days of a busy computer, and the file may be gigabytes. */
export const SYSLOG_TAIL_BYTES = 4 * 1024 * 1024;
/** As many entries as the journal is asked for. */
const MAX_LOG_ENTRIES = 500;
const DAY_MS = 86_400_000;

export function linuxAdapter(deps: PlatformDeps): PlatformAdapter {
  return {
    id: 'linux',

    // OS facts from /etc/os-release and Node's os module. Not systeminformation: it runs shell
    // command strings (execSync, pipes) and blocks the event loop, which the house rules forbid.
    osFacts: () =>
      gather(async (): Promise<OsFacts> => {
        let name = 'Linux';
        let version = deps.kernelRelease;
        let build: string | null = null;
        for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
          try {
            const kv = parseKeyValueLines((await deps.readFile(path)).toString('utf8'));
            name = kv.NAME ?? name;
            version = kv.VERSION ?? kv.VERSION_ID ?? version;
            build = kv.BUILD_ID ?? null;
            break;
          } catch {
            // next candidate
          }
        }
        return {
          platform: 'linux',
          name,
          version,
          build: build ?? `kernel ${deps.kernelRelease}`,
          arch: deps.arch,
          hostname: deps.hostname,
          userName: deps.userName,
          locale: posixLocale(deps) ?? deps.intlLocale,
          timeZone: deps.timeZone,
        };
      }),

    trustStore: () =>
      gather(async (): Promise<TrustStoreFacts> => {
        const entries: StoreEntry[] = [];
        const sources: Array<{ store: StoreRef; count: number; error: string | null }> = [];
        const envFile = deps.env.SSL_CERT_FILE;
        const envDir = deps.env.SSL_CERT_DIR;
        const files = envFile ? [envFile] : LINUX_BUNDLE_FILES;
        const dirs = envDir ? envDir.split(':').filter(Boolean) : LINUX_HASH_DIRS;
        let bundleFound = false;
        for (const file of files) {
          const store: StoreRef = { id: envFile ? 'SSL_CERT_FILE' : 'linux-bundle', label: file, kind: 'os-bundle' };
          try {
            const ders = splitCertificates(await deps.readFile(file), file);
            for (const der of ders) entries.push(opensslStoreEntry(der, store));
            sources.push({ store, count: ders.length, error: null });
            bundleFound = true;
            break; // the first bundle that exists is the system's
          } catch (err) {
            if (envFile) sources.push({ store, count: 0, error: errText(err) });
          }
        }
        if (!bundleFound && !envFile) {
          sources.push({ store: { id: 'linux-bundle', label: LINUX_BUNDLE_FILES.join(', '), kind: 'os-bundle' }, count: 0, error: 'no system CA bundle found' });
        }
        const seen = new Set(entries.map((e) => e.der.toString('base64')));
        // update-ca-certificates and p11-kit write the hashed dir from the same certificates
        // as the bundle, so reading it again costs ~15 ms for nothing. Its names say which
        // subject each file holds (OpenSSL's subject hash): only names whose hash has more
        // files than the bundle has certificates with that hash can add anything.
        const bundleHashes = new Map<string, number>();
        for (const e of entries) {
          const h = opensslSubjectHash(e.der);
          if (h) bundleHashes.set(h, (bundleHashes.get(h) ?? 0) + 1);
        }
        for (const dir of dirs) {
          const store: StoreRef = { id: envDir ? 'SSL_CERT_DIR' : 'linux-hashdir', label: dir, kind: 'os-bundle' };
          let names: string[];
          try {
            names = await deps.readDir(dir);
          } catch (err) {
            if (envDir) sources.push({ store, count: 0, error: errText(err) });
            continue;
          }
          // OpenSSL's CApath lookup only reads <hash>.<n> names.
          const hashed = names.filter((n) => /^[0-9a-f]{8}\.\d+$/.test(n));
          const perHash = new Map<string, number>();
          for (const n of hashed) perHash.set(n.slice(0, 8), (perHash.get(n.slice(0, 8)) ?? 0) + 1);
          const toRead = hashed.filter((n) => perHash.get(n.slice(0, 8))! > (bundleHashes.get(n.slice(0, 8)) ?? 0));
          let added = 0;
          await Promise.all(
            toRead.map(async (n) => {
              try {
                for (const der of splitCertificates(await deps.readFile(`${dir}/${n}`), n)) {
                  const k = der.toString('base64');
                  if (seen.has(k)) continue;
                  seen.add(k);
                  entries.push(opensslStoreEntry(der, store));
                  added++;
                }
              } catch {
                // a CRL (.r0) or unreadable link: not an anchor
              }
            }),
          );
          sources.push({ store, count: added, error: null });
        }
        const pem = await pemStoreEntries(deps, 'ca');
        entries.push(...pem.entries);
        sources.push(...pem.sources);
        return { entries, sources };
      }),

    timeSync: (signal) =>
      guard(async (): Promise<Fact<TimeSyncFacts>> => {
        const r = await deps.exec('timedatectl', ['show'], { timeoutMs: TIMEOUT_MS, signal });
        if (r.spawnError || r.code !== 0) {
          return r.spawnError
            ? unsupported('timedatectl is not installed (no systemd)', 0, { key: 'fact.timesync.no-timedatectl' })
            : unsupported(`timedatectl could not ask systemd: ${firstLine(r.stderr || r.stdout)}`, 0, {
                key: 'fact.timesync.timedatectl-failed',
                params: { detail: { key: 'common.technical', params: { text: firstLine(r.stderr || r.stdout) } } },
              });
        }
        const kv = parseKeyValueLines(r.stdout);
        return ok({
          enabled: yesNo(kv.NTP),
          synchronized: yesNo(kv.NTPSynchronized),
          source: kv.NTP === undefined ? null : 'systemd-timesyncd / chrony (timedatectl)',
          evidence: 'timedatectl show',
        });
      }),

    dnsConfig: (signal) =>
      gather(async (): Promise<DnsConfigFacts> => {
        const text = (await deps.readFile('/etc/resolv.conf')).toString('utf8');
        const conf = parseResolvConf(text);
        const stub = conf.servers.length > 0 && conf.servers.every((s) => SYSTEMD_RESOLVED_STUBS.includes(s)) ? conf.servers[0]! : null;
        if (!stub) return { ...conf, evidence: '/etc/resolv.conf' };
        // systemd-resolved: the stub forwards to per-link servers only resolvectl can name.
        const dns = await deps.exec('resolvectl', ['dns'], { timeoutMs: TIMEOUT_MS, signal });
        let upstream = dns.code === 0 ? parseResolvectlDns(dns.stdout) : [];
        let how = 'resolvectl dns';
        if (upstream.length === 0 && !dns.spawnError) {
          const status = await deps.exec('resolvectl', ['status'], { timeoutMs: TIMEOUT_MS, signal });
          if (status.code === 0) {
            upstream = parseResolvectlStatus(status.stdout);
            how = 'resolvectl status';
          }
        }
        if (dns.spawnError) {
          return { ...conf, stub, evidence: `/etc/resolv.conf: systemd-resolved stub ${stub}; resolvectl is not installed, so its upstream servers are unknown` };
        }
        return {
          servers: upstream,
          searchDomains: conf.searchDomains,
          stub,
          evidence: `/etc/resolv.conf: systemd-resolved stub ${stub}; upstream servers from ${how}${dns.code !== 0 ? ` (resolvectl dns: ${firstLine(dns.stderr || dns.stdout)})` : ''}`,
        };
      }),

    clientTls: () =>
      guard(async (): Promise<Fact<ClientTlsFacts>> => {
        const path = deps.env.OPENSSL_CONF ?? '/etc/ssl/openssl.cnf';
        let text: string;
        try {
          text = (await deps.readFile(path)).toString('utf8');
        } catch {
          return ok({ enabled: tlsFromOpensslConf(''), evidence: `${path} not found: OpenSSL defaults`, stack: 'OpenSSL' });
        }
        return ok({ enabled: tlsFromOpensslConf(text), evidence: opensslEvidence(path, text), stack: 'OpenSSL' });
      }),

    proxy: () => gather(async (): Promise<ProxyFacts> => proxyFromEnv(deps.env)),

    anyconnect: (signal) => guard((): Promise<Fact<AnyConnectInstallFacts>> => anyconnectOnUnix(deps, LINUX_ANYCONNECT, signal)),

    clientIdentities: () => gather((): Promise<readonly ClientIdentity[]> => clientIdentitiesFromPemStore(deps)),

    vpnLogs: (signal, sinceDays) =>
      guard(async (): Promise<Fact<readonly VpnLogEntry[]>> => {
        const days = Math.max(1, Math.round(sinceDays) || 1);
        const journal = await journalEntries(deps, signal, days);
        if (journal.entries.length > 0) return ok(journal.entries);
        return syslogEntriesOf(deps, days, journal.unusable);
      }),
  };
}

/** The agent's journal entries, or why the journal could not be asked (null: it answered, maybe with nothing). */
async function journalEntries(deps: PlatformDeps, signal: AbortSignal, days: number): Promise<{ entries: VpnLogEntry[]; unusable: string | null }> {
  const r = await deps.exec(
    'journalctl',
    ['--no-pager', '-o', 'json', '--since', `-${days}d`, ...VPN_AGENT_IDENTIFIERS.flatMap((id) => ['-t', id]), '-n', String(MAX_LOG_ENTRIES)],
    { timeoutMs: TIMEOUT_MS, signal, maxBuffer: 8 * 1024 * 1024 },
  );
  if (r.spawnError) return { entries: [], unusable: 'journalctl is not installed' };
  if (r.code !== 0) return { entries: [], unusable: `the journal could not be read: ${firstLine(r.stderr)}` };
  const entries: VpnLogEntry[] = [];
  for (const line of r.stdout.split('\n')) {
    if (!line.trim()) continue;
    try {
      const j = JSON.parse(line) as Record<string, unknown>;
      const us = Number(j.__REALTIME_TIMESTAMP);
      entries.push({
        time: Number.isFinite(us) ? new Date(us / 1000).toISOString() : null,
        source: String(j.SYSLOG_IDENTIFIER ?? 'journal'),
        message: typeof j.MESSAGE === 'string' ? j.MESSAGE : '',
      });
    } catch {
      // not a JSON line
    }
  }
  return { entries, unusable: null };
}

/**
 * The agent's lines in the classic syslog files, for when the journal has none: the tail of
 * each file, the agent's identifiers only, the last `days` days only. Each entry names
 * the file it came from. A file the user may not read is `unsupported` with the way to
 * read it, unless another file already gave entries.
 */
async function syslogEntriesOf(deps: PlatformDeps, days: number, journalUnusable: string | null): Promise<Fact<readonly VpnLogEntry[]>> {
  const now = deps.now();
  const since = new Date(now.getTime() - days * DAY_MS);
  const found: VpnLogEntry[] = [];
  const unreadable: Array<{ file: string; code: string; message: string }> = [];
  let readable = 0;
  for (const file of SYSLOG_FILES) {
    let data: Buffer;
    try {
      data = await deps.readFileTail(file, SYSLOG_TAIL_BYTES);
    } catch (err) {
      const code = String((err as NodeJS.ErrnoException).code ?? '');
      if (code !== 'ENOENT') unreadable.push({ file, code, message: errText(err) });
      continue;
    }
    readable++;
    let text = data.toString('utf8');
    if (data.length >= SYSLOG_TAIL_BYTES) {
      // Read from the middle of the file: its first line is cut.
      const nl = text.indexOf('\n');
      text = nl < 0 ? '' : text.slice(nl + 1);
    }
    found.push(...syslogEntries(text, { identifiers: VPN_AGENT_IDENTIFIERS, since, clock: { now, timeZone: deps.timeZone }, source: file }));
  }
  if (found.length > 0) {
    // A line rsyslog wrote to both files counts once (the same instant and words: the same line).
    const seen = new Set<string>();
    const unique = found.filter((e) => {
      const k = `${e.time}\0${e.message}`;
      return seen.has(k) ? false : (seen.add(k), true);
    });
    unique.sort((a, b) => Date.parse(a.time!) - Date.parse(b.time!));
    return ok(unique.slice(-MAX_LOG_ENTRIES));
  }
  const journal = journalUnusable ?? 'the journal has no entries of the VPN agent';
  const denied = unreadable.find((u) => u.code === 'EACCES' || u.code === 'EPERM');
  if (denied) {
    return unsupported(`${journal}, and ${denied.file} may be read only by root and the group adm: run vpn-preflight as a user in the group adm (or as root) to read the VPN agent's log`, 0, {
      key: 'fact.vpnlogs.syslog-unreadable',
      params: { file: denied.file },
    });
  }
  if (readable > 0 || journalUnusable === null) return ok([]);
  if (unreadable[0]) return unsupported(`${journal}, and ${unreadable[0].file} could not be read: ${unreadable[0].message}`);
  return unsupported(`${journal}, and there is no syslog file (${SYSLOG_FILES.join(', ')})`);
}

/** Which MinProtocol / MaxProtocol lines decided, for the report. */
function opensslEvidence(path: string, text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => /^(Min|Max)Protocol\s*=/i.test(l));
  return lines.length ? `${path}: ${lines.join(', ')}` : `${path}: no MinProtocol/MaxProtocol (OpenSSL defaults)`;
}

function posixLocale(deps: PlatformDeps): string | null {
  const raw = deps.env.LC_ALL || deps.env.LC_MESSAGES || deps.env.LANG;
  if (!raw || raw === 'C' || raw === 'POSIX' || raw.startsWith('C.')) return null;
  return raw.split('.')[0]!.replace('_', '-');
}

function yesNo(v: string | undefined): boolean | null {
  if (v === 'yes') return true;
  if (v === 'no') return false;
  return null;
}

function firstLine(s: string): string {
  return (s.trim().split('\n')[0] ?? '').slice(0, 200);
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

