import { X509Certificate } from 'node:crypto';
import { failed, gather, guard, ok, type Fact } from '../src/facts';
import { splitCertificates } from '../src/pki/pem';
import type { StoreEntry } from '../src/pki/trust-store';
import { anyconnectOnMacos, clientIdentitiesOnMacos, vpnLogsOnMacos } from './anyconnect-macos';
import { pemStoreEntries } from './anyconnect-unix';
import type { ExecResult } from './exec';
import {
  macVersionParts,
  noTrustSettings,
  ntpConfServers,
  parseScutilDictionary,
  parseScutilDns,
  parseSwVers,
  parseTrustSettingsDump,
  parseUsingNetworkTime,
  proxyFromScutil,
  tlsTrustDecision,
  type TrustSettingsCert,
} from './macos-parsers';
import { macKeychain, type MacKeychain } from './stores';
import type {
  ClientTlsFacts,
  DnsConfigFacts,
  OsFacts,
  PlatformAdapter,
  PlatformDeps,
  ProxyFacts,
  TimeSyncFacts,
  TrustStoreFacts,
} from './types';
import { commandFailed, firstLine, once } from './util';

export const SECURITY = '/usr/bin/security';
export const SW_VERS = '/usr/bin/sw_vers';
export const SCUTIL = '/usr/sbin/scutil';
export const SYSTEMSETUP = '/usr/sbin/systemsetup';
export const DEFAULTS = '/usr/bin/defaults';

export const SYSTEM_ROOTS_KEYCHAIN = '/System/Library/Keychains/SystemRootCertificates.keychain';
export const SYSTEM_KEYCHAIN = '/Library/Keychains/System.keychain';

const TIMEOUT_MS = 5_000;

/** Trust settings domains in the order macOS consults them: the user's, the admin's, the system's. */
const DOMAINS = [
  { id: 'user', args: [] as string[] },
  { id: 'admin', args: ['-d'] },
  { id: 'system', args: ['-s'] },
] as const;

/**
 * macOS. OS facts come from sw_vers and `defaults`, run as argv arrays — never shell
 * strings (the reason systeminformation is not used: it builds shell command lines).
 */
export function macosAdapter(deps: PlatformDeps): PlatformAdapter {
  const run = (file: string, args: readonly string[], signal: AbortSignal): Promise<ExecResult> => deps.exec(file, args, { timeoutMs: TIMEOUT_MS, signal });
  const swVers = once(async (signal: AbortSignal): Promise<Record<string, string> | null> => {
    const r = await run(SW_VERS, [], signal);
    return r.code === 0 ? parseSwVers(r.stdout) : null;
  });
  // An argument built from the home folder must never read as an option: only an absolute path is passed.
  const loginKeychain = deps.homeDir.startsWith('/') ? `${deps.homeDir}/Library/Keychains/login.keychain-db` : null;

  return {
    id: 'macos',

    osFacts: (signal) =>
      gather(async (): Promise<OsFacts> => {
        const [v, locale] = await Promise.all([swVers(signal), run(DEFAULTS, ['read', '-g', 'AppleLocale'], signal)]);
        if (!v) throw new Error('sw_vers did not answer');
        const appleLocale = locale.code === 0 ? locale.stdout.trim().split('@')[0]!.replace(/_/g, '-') : '';
        return {
          platform: 'macos',
          name: v.ProductName || 'macOS',
          version: v.ProductVersion ?? '',
          build: v.BuildVersion ?? null,
          arch: deps.arch,
          hostname: deps.hostname,
          userName: deps.userName,
          locale: /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(appleLocale) ? appleLocale : deps.intlLocale,
          timeZone: deps.timeZone,
        };
      }),

    trustStore: (signal) =>
      guard(async (): Promise<Fact<TrustStoreFacts>> => {
        const keychains: Array<[MacKeychain, string]> = [
          ['system-roots', SYSTEM_ROOTS_KEYCHAIN],
          ['system', SYSTEM_KEYCHAIN],
          ...(loginKeychain ? [['login', loginKeychain] as [MacKeychain, string]] : []),
        ];
        const [finds, dumps] = await Promise.all([
          Promise.all(keychains.map(([, path]) => run(SECURITY, ['find-certificate', '-a', '-p', path], signal))),
          Promise.all(DOMAINS.map((d) => run(SECURITY, ['dump-trust-settings', ...d.args], signal))),
        ]);
        if (finds[0]!.spawnError) return commandFailed('security', finds[0]!);
        const notes: string[] = [];
        const domains = DOMAINS.map((d, i) => {
          const r = dumps[i]!;
          const text = `${r.stdout}\n${r.stderr}`;
          if (r.code === 0) {
            const certs = parseTrustSettingsDump(r.stdout);
            if (certs.length) notes.push(`${d.id} trust settings: ${certs.map((c) => `${c.label} (${tlsTrustDecision(c.settings)})`).join(', ')}`);
            return certs;
          }
          if (noTrustSettings(text)) return [];
          notes.push(`${d.id} trust settings could not be read: ${firstLine(r.spawnError ?? text)}`);
          return [];
        });
        const entries: StoreEntry[] = [];
        const sources: Array<TrustStoreFacts['sources'][number]> = [];
        keychains.forEach(([which, path], i) => {
          const r = finds[i]!;
          const known = macKeychain(which);
          if (r.code !== 0) {
            // An empty keychain answers "The specified item could not be found in the keychain."
            const empty = /could not be found in the keychain/i.test(r.stderr);
            sources.push({ store: known.ref, count: 0, error: empty ? null : `${path}: ${firstLine(r.spawnError ?? r.stderr) || `exit ${r.code}`}`, purpose: known.purpose });
            return;
          }
          let ders: Buffer[] = [];
          try {
            ders = r.stdout.includes('-----BEGIN') ? splitCertificates(r.stdout, path) : [];
          } catch (err) {
            sources.push({ store: known.ref, count: 0, error: err instanceof Error ? err.message : String(err), purpose: known.purpose });
            return;
          }
          for (const der of ders) entries.push(keychainEntry(der, which, known.ref, domains));
          sources.push({ store: known.ref, count: ders.length, error: null, purpose: known.purpose });
        });
        const pem = await pemStoreEntries(deps, 'ca');
        entries.push(...pem.entries);
        sources.push(...pem.sources);
        return ok({ entries, sources, notes });
      }),

    timeSync: (signal) =>
      guard(async (): Promise<Fact<TimeSyncFacts>> => {
        const r = await run(SYSTEMSETUP, ['-getusingnetworktime'], signal);
        const answer = r.spawnError ? null : parseUsingNetworkTime(`${r.stdout}\n${r.stderr}`);
        let servers: string[] = [];
        let confNote: string | null = null;
        try {
          servers = ntpConfServers((await deps.readFile('/etc/ntp.conf')).toString('utf8'));
        } catch {
          confNote = '/etc/ntp.conf not found';
        }
        const detail = [
          answer === 'needs-admin' ? 'systemsetup needs administrator rights on this macOS, so whether automatic time is on is not known' : null,
          answer === null ? `systemsetup gave no answer: ${firstLine(r.spawnError ?? (r.stdout || r.stderr)) || `exit ${r.code}`}` : null,
          confNote,
        ].filter(Boolean).join('; ');
        return ok({
          enabled: typeof answer === 'boolean' ? answer : null,
          // macOS keeps timed's synchronisation state private; no command reports it.
          synchronized: null,
          source: servers.join(', ') || null,
          evidence: 'systemsetup -getusingnetworktime; /etc/ntp.conf',
          detail: detail || null,
          note: answer === 'needs-admin' ? { key: 'fact.timesync.macos-needs-admin' } : null,
        });
      }),

    dnsConfig: (signal) =>
      guard(async (): Promise<Fact<DnsConfigFacts>> => {
        const r = await run(SCUTIL, ['--dns'], signal);
        if (r.spawnError || r.code !== 0) return commandFailed('scutil --dns', r);
        const resolvers = parseScutilDns(r.stdout);
        // The default resolvers: unscoped and not tied to one domain (those are split DNS or mDNS).
        const defaults = resolvers.filter((x) => x.section === 'default' && x.domain === null && x.options !== 'mdns');
        const servers = [...new Set(defaults.flatMap((x) => x.nameservers))];
        const searchDomains = [...new Set(defaults.flatMap((x) => x.searchDomains))];
        const split = resolvers.filter((x) => x.section === 'default' && x.domain !== null && x.nameservers.length && x.options !== 'mdns');
        return ok({
          servers,
          searchDomains,
          evidence: `scutil --dns${split.length ? ` (also per-domain: ${split.map((x) => `${x.domain} → ${x.nameservers.join(', ')}`).join('; ')})` : ''}`,
        });
      }),

    clientTls: (signal) =>
      guard(async (): Promise<Fact<ClientTlsFacts>> => {
        const v = await swVers(signal);
        if (!v) return failed('exit', 'sw_vers did not answer, so the macOS version is unknown');
        const [major = 0, minor = 0, patch = 0] = macVersionParts(v.ProductVersion);
        const tls13 = major >= 11 || (major === 10 && (minor > 15 || (minor === 15 && patch >= 4)));
        return ok({
          // Apple deprecated TLS 1.0/1.1 (macOS 12); whether a program may still use them depends on the program.
          enabled: { TLSv1: null, 'TLSv1.1': null, 'TLSv1.2': true, 'TLSv1.3': tls13 ? true : null },
          stack: 'Apple Secure Transport / Network.framework',
          evidence: `macOS ${v.ProductVersion ?? '?'}: TLS 1.2 always available${tls13 ? ', TLS 1.3 on by default' : ''}; TLS 1.0/1.1 deprecated`,
        });
      }),

    proxy: (signal) =>
      guard(async (): Promise<Fact<ProxyFacts>> => {
        const r = await run(SCUTIL, ['--proxy'], signal);
        if (r.spawnError || r.code !== 0) return commandFailed('scutil --proxy', r);
        return ok({ ...proxyFromScutil(parseScutilDictionary(r.stdout)), evidence: 'scutil --proxy' });
      }),

    anyconnect: (signal) => guard(() => anyconnectOnMacos(deps, signal)),
    clientIdentities: (signal) => guard(() => clientIdentitiesOnMacos(deps, signal)),
    vpnLogs: (signal, sinceDays) => guard(() => vpnLogsOnMacos(deps, signal, sinceDays)),
  };
}

/**
 * How macOS treats one keychain certificate for TLS. A System Roots certificate is an
 * anchor unless a setting says "Never Trust". Anywhere else a certificate is only an
 * anchor with an "Always Trust" setting (user, then admin, then system domain decide, as
 * in SecTrustSettings); without one it merely helps to build paths — adding a root to a
 * keychain does not make it trusted.
 */
function keychainEntry(der: Buffer, which: MacKeychain, store: StoreEntry['store'], domains: readonly TrustSettingsCert[][]): StoreEntry {
  const labels = labelsOf(der);
  let decision: 'trust' | 'deny' | 'unspecified' = 'unspecified';
  for (const certs of domains) {
    const matches = certs.filter((c) => labels.has(c.label.toLowerCase()));
    const d = matches.map((c) => tlsTrustDecision(c.settings));
    const found = d.includes('deny') ? 'deny' : d.includes('trust') ? 'trust' : 'unspecified';
    if (found !== 'unspecified') {
      decision = found;
      break;
    }
  }
  if (decision === 'deny') return { der, store, trust: 'distrusted' };
  if (which === 'system-roots' || decision === 'trust') return { der, store, trust: 'trusted', role: 'anchor' };
  return { der, store, trust: 'trusted', role: 'intermediate' };
}

/**
 * The names security(1) may print for a certificate (SecCertificateInferLabel: the
 * common name, else the organizational unit or organization, else the e-mail address).
 * Trust settings are matched by this label because dump-trust-settings prints nothing else.
 */
function labelsOf(der: Buffer): Set<string> {
  const out = new Set<string>();
  try {
    const subject = new X509Certificate(der).subject;
    for (const line of subject.split('\n')) {
      const m = /^(CN|OU|O|emailAddress)=(.*)$/.exec(line);
      if (m) out.add(m[2]!.trim().toLowerCase());
    }
  } catch {
    // a certificate Node cannot read has no label to match
  }
  return out;
}
