import { failed, gather, guard, ok, type Fact } from '../src/facts';
import type { StoreEntry } from '../src/pki/trust-store';
import { anyconnectOnWindows, clientIdentitiesOnWindows, vpnLogsOnWindows } from './anyconnect-windows';
import type { ExecResult } from './exec';
import { DNS_SCRIPT, OS_SCRIPT, TRUST_STORE_SCRIPT, powershellOf, runPowerShell, system32Of } from './powershell';
import { windowsStore, type WindowsLocation, type WindowsStoreName } from './stores';
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
import {
  asArray,
  isFreeRunningSource,
  parsePowerShellJson,
  parseRegQuery,
  parseW32tmStatus,
  regNotFound,
  regNumber,
  regString,
  schannelClientVersions,
  winInetProxy,
  type RegKey,
} from './windows-parsers';

export const REG_CURRENT_VERSION = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion';
export const REG_W32TIME = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time';
export const REG_W32TIME_PARAMETERS = `${REG_W32TIME}\\Parameters`;
export const REG_SCHANNEL_PROTOCOLS = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols';
export const REG_INTERNET_SETTINGS = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings';

/** PowerShell starts slowly on a cold machine; reg.exe and w32tm answer at once. */
const POWERSHELL_TIMEOUT_MS = 10_000;
const COMMAND_TIMEOUT_MS = 5_000;

interface TrustStoreRow {
  readonly Location?: string;
  readonly Store?: string;
  readonly Certificates?: unknown;
  readonly Error?: string | null;
}

interface DnsRow {
  readonly InterfaceAlias?: string;
  readonly AddressFamily?: number | string;
  readonly ServerAddresses?: unknown;
  readonly Connected?: boolean;
}

/**
 * Windows 10 / 11. OS facts come from Win32_OperatingSystem and the registry — through
 * argv-array commands, never shell strings (which is why systeminformation is not used:
 * it builds shell command lines). Registry values are read with reg.exe because, unlike
 * most Windows tools, its output is not localized; PowerShell is used where only a
 * cmdlet has the answer, and then always as JSON.
 */
export function windowsAdapter(deps: PlatformDeps): PlatformAdapter {
  // Full paths: a double-clicked binary runs in Downloads, where a planted reg.exe must not win.
  const system32 = system32Of(deps.env);
  const REG = `${system32}\\reg.exe`;
  const W32TM = `${system32}\\w32tm.exe`;
  const POWERSHELL = powershellOf(deps.env);

  const reg = (args: readonly string[], signal: AbortSignal): Promise<ExecResult> =>
    deps.exec(REG, ['query', ...args], { timeoutMs: COMMAND_TIMEOUT_MS, signal });
  const ps = (script: string, signal: AbortSignal): Promise<ExecResult> => runPowerShell(deps.exec, POWERSHELL, script, POWERSHELL_TIMEOUT_MS, signal);

  const cv = once(async (signal: AbortSignal): Promise<RegKey | null> => {
    const r = await reg([REG_CURRENT_VERSION], signal);
    return r.code === 0 ? (parseRegQuery(r.stdout)[0] ?? null) : null;
  });

  return {
    id: 'windows',

    osFacts: (signal) =>
      gather(async (): Promise<OsFacts> => {
        const [r, key] = await Promise.all([ps(OS_SCRIPT, signal), cv(signal)]);
        let os: Record<string, unknown> = {};
        let psProblem: string | null = null;
        if (r.code === 0 && !r.spawnError) {
          try {
            os = (parsePowerShellJson(r.stdout) ?? {}) as Record<string, unknown>;
          } catch (err) {
            psProblem = `unreadable PowerShell output: ${err instanceof Error ? err.message : String(err)}`;
          }
        } else {
          psProblem = firstLine(r.spawnError ?? (r.stderr || r.stdout)) || `exit ${r.code}`;
        }
        const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
        const buildNumber = str(os.BuildNumber) ?? regString(key?.values.get('currentbuild')) ?? regString(key?.values.get('currentbuildnumber'));
        if (!str(os.Caption) && !key) throw new Error(`neither Win32_OperatingSystem nor the registry could be read (${psProblem ?? 'no answer'})`);
        const name = str(os.Caption)?.replace(/^Microsoft\s+/, '') ?? productNameFromRegistry(key, buildNumber);
        const ubr = regNumber(key?.values.get('ubr'));
        return {
          platform: 'windows',
          name,
          version: regString(key?.values.get('displayversion')) ?? str(os.Version) ?? '',
          build: buildNumber ? `${buildNumber}${ubr !== null ? `.${ubr}` : ''}` : null,
          arch: deps.arch,
          hostname: deps.hostname,
          userName: deps.userName,
          locale: str(os.UICulture) ?? deps.intlLocale,
          timeZone: deps.timeZone || (str(os.TimeZone) ?? ''),
        };
      }),

    trustStore: (signal) =>
      guard(async (): Promise<Fact<TrustStoreFacts>> => {
        const r = await ps(TRUST_STORE_SCRIPT, signal);
        if (r.spawnError || r.code !== 0) return commandFailed('PowerShell (certificate stores)', r);
        let rows: TrustStoreRow[];
        try {
          rows = asArray<TrustStoreRow>(parsePowerShellJson(r.stdout));
        } catch (err) {
          return failed('unparsable', `the certificate store listing is not JSON: ${err instanceof Error ? err.message : String(err)}`);
        }
        return ok(trustStoreFromRows(rows));
      }),

    timeSync: (signal) =>
      guard(async (): Promise<Fact<TimeSyncFacts>> => {
        const [params, service, status] = await Promise.all([
          reg([REG_W32TIME_PARAMETERS], signal),
          reg([REG_W32TIME, '/v', 'Start'], signal),
          deps.exec(W32TM, ['/query', '/status'], { timeoutMs: COMMAND_TIMEOUT_MS, signal }),
        ]);
        if (params.spawnError) return commandFailed('reg.exe', params);
        const p = params.code === 0 ? parseRegQuery(params.stdout)[0] : undefined;
        const rawType = regString(p?.values.get('type'));
        const type = rawType?.toUpperCase() ?? null;
        const start = service.code === 0 ? regNumber(parseRegQuery(service.stdout)[0]?.values.get('start')) : null;
        const st = status.spawnError ? null : parseW32tmStatus(`${status.stdout}\n${status.stderr}`);
        const ntpServer = regString(p?.values.get('ntpserver'));
        const enabled = type === 'NOSYNC' || start === 4 ? false : type ? true : null;
        const synchronized = !st || st.error ? null : !(st.leapIndicator === 3 || st.stratum === 0 || isFreeRunningSource(st.source));
        const detail = [
          start === 4 ? 'the Windows Time service (W32Time) is disabled' : null,
          st?.error === '0x80070426' ? 'the Windows Time service is not running right now (it starts when it is needed)' : st?.error ? `w32tm reported ${st.error}` : null,
          !st && !status.spawnError ? `w32tm output not recognised: ${firstLine(status.stdout || status.stderr)}` : null,
          st?.source ? `w32tm source: ${st.source}; last successful sync: ${st.lastSuccessfulSync ?? '?'}` : null,
        ].filter(Boolean).join('; ');
        return ok({
          enabled,
          synchronized,
          source: type === 'NT5DS' ? 'domain hierarchy (NT5DS)' : type === 'NOSYNC' ? null : (ntpServer ?? st?.source ?? null),
          evidence: `reg query ${REG_W32TIME_PARAMETERS} (Type=${rawType ?? '?'}${ntpServer ? `, NtpServer=${ntpServer}` : ''}); w32tm /query /status`,
          detail: detail || null,
        });
      }),

    dnsConfig: (signal) =>
      guard(async (): Promise<Fact<DnsConfigFacts>> => {
        const r = await ps(DNS_SCRIPT, signal);
        if (r.spawnError || r.code !== 0) return commandFailed('PowerShell (Get-DnsClientServerAddress)', r);
        let doc: { Servers?: unknown; SuffixSearchList?: unknown };
        try {
          doc = (parsePowerShellJson(r.stdout) ?? {}) as typeof doc;
        } catch (err) {
          return failed('unparsable', `Get-DnsClientServerAddress output is not JSON: ${err instanceof Error ? err.message : String(err)}`);
        }
        return ok(dnsFromRows(asArray<DnsRow>(doc.Servers), asArray<string>(doc.SuffixSearchList)));
      }),

    clientTls: (signal) =>
      guard(async (): Promise<Fact<ClientTlsFacts>> => {
        const [r, key] = await Promise.all([reg([REG_SCHANNEL_PROTOCOLS, '/s'], signal), cv(signal)]);
        if (r.spawnError) return commandFailed('reg.exe', r);
        if (r.code !== 0 && !regNotFound(r.code, r.stdout)) return commandFailed(`reg query ${REG_SCHANNEL_PROTOCOLS}`, r);
        const keys = r.code === 0 ? parseRegQuery(r.stdout) : [];
        const buildText = regString(key?.values.get('currentbuild')) ?? regString(key?.values.get('currentbuildnumber'));
        const build = buildText && /^\d+$/.test(buildText) ? Number(buildText) : null;
        const { enabled, settings } = schannelClientVersions(keys, build);
        return ok({
          enabled,
          stack: 'SChannel',
          evidence: settings.length
            ? `SChannel registry (${REG_SCHANNEL_PROTOCOLS}): ${settings.join('; ')}; other versions: defaults of build ${build ?? '?'}`
            : `no SChannel protocol settings in the registry: defaults of Windows build ${build ?? '?'}`,
        });
      }),

    proxy: (signal) =>
      guard(async (): Promise<Fact<ProxyFacts>> => {
        const [s, c] = await Promise.all([
          reg([REG_INTERNET_SETTINGS], signal),
          reg([`${REG_INTERNET_SETTINGS}\\Connections`, '/v', 'DefaultConnectionSettings'], signal),
        ]);
        if (s.spawnError) return commandFailed('reg.exe', s);
        if (s.code !== 0 && !regNotFound(s.code, s.stdout)) return commandFailed(`reg query ${REG_INTERNET_SETTINGS}`, s);
        const settings = s.code === 0 ? parseRegQuery(s.stdout)[0] : undefined;
        const connections = c.code === 0 ? parseRegQuery(c.stdout)[0] : undefined;
        return ok({ ...winInetProxy(settings, connections), evidence: `WinINET (reg query ${REG_INTERNET_SETTINGS})` });
      }),

    anyconnect: (signal) => guard(() => anyconnectOnWindows(deps, signal)),
    clientIdentities: (signal) => guard(() => clientIdentitiesOnWindows(deps, signal)),
    vpnLogs: (signal, sinceDays) => guard(() => vpnLogsOnWindows(deps, signal, sinceDays)),
  };
}

/**
 * The entries of the six stores. PowerShell's CurrentUser view of a store also lists the
 * machine's certificates (a logical store includes the machine's physical store), so a
 * certificate the machine store holds is attributed to the machine store only.
 */
export function trustStoreFromRows(rows: readonly TrustStoreRow[]): TrustStoreFacts {
  const entries: StoreEntry[] = [];
  const sources: Array<TrustStoreFacts['sources'][number]> = [];
  const machine = new Map<string, Set<string>>();
  const order = (l: string | undefined): number => (l === 'LocalMachine' ? 0 : 1);
  for (const row of [...rows].sort((a, b) => order(a.Location) - order(b.Location))) {
    const location = row.Location as WindowsLocation;
    const name = row.Store as WindowsStoreName;
    if ((location !== 'LocalMachine' && location !== 'CurrentUser') || !['Root', 'CA', 'Disallowed'].includes(name)) continue;
    const known = windowsStore(location, name);
    if (row.Error) {
      sources.push({ store: known.ref, count: 0, error: row.Error, purpose: known.purpose });
      continue;
    }
    const seen = machine.get(name) ?? new Set<string>();
    machine.set(name, seen);
    let count = 0;
    let bad = 0;
    for (const b64 of asArray<unknown>(row.Certificates)) {
      if (typeof b64 !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
        bad++;
        continue;
      }
      if (location === 'CurrentUser' && seen.has(b64)) continue;
      if (location === 'LocalMachine') seen.add(b64);
      entries.push({
        der: Buffer.from(b64, 'base64'),
        store: known.ref,
        trust: name === 'Disallowed' ? 'distrusted' : 'trusted',
        ...(name === 'CA' ? { role: 'intermediate' as const } : {}),
      });
      count++;
    }
    sources.push({ store: known.ref, count, error: bad ? `${bad} entr${bad === 1 ? 'y' : 'ies'} not base64 DER` : null, purpose: known.purpose });
  }
  return { entries, sources };
}

/** The servers of connected interfaces, in order, without Windows' unset-IPv6 placeholders. */
export function dnsFromRows(rows: readonly DnsRow[], suffixes: readonly string[]): DnsConfigFacts {
  const servers: string[] = [];
  const used: string[] = [];
  for (const row of rows) {
    if (row.Connected === false) continue;
    if (/^loopback pseudo-interface/i.test(row.InterfaceAlias ?? '')) continue;
    const addrs = asArray<unknown>(row.ServerAddresses)
      .filter((a): a is string => typeof a === 'string' && a.length > 0)
      // fec0:0:0:ffff::1-3: what Windows lists for IPv6 when no IPv6 DNS server is set.
      .filter((a) => !/^fec0:0:0:ffff::[123]$/i.test(a));
    if (addrs.length === 0) continue;
    used.push(`${row.InterfaceAlias ?? '?'} (${addressFamily(row.AddressFamily)}): ${addrs.join(', ')}`);
    for (const a of addrs) if (!servers.includes(a)) servers.push(a);
  }
  return {
    servers,
    searchDomains: suffixes.filter((s) => typeof s === 'string' && s.length > 0),
    evidence: `Get-DnsClientServerAddress${used.length ? `: ${used.join('; ')}` : ' (no connected interface has a DNS server)'}`,
  };
}

function addressFamily(v: number | string | undefined): string {
  if (v === 2 || v === 'IPv4' || v === 'InterNetwork') return 'IPv4';
  if (v === 23 || v === 'IPv6' || v === 'InterNetworkV6') return 'IPv6';
  return String(v ?? '?');
}

/** The registry's ProductName says "Windows 10" on Windows 11 too; the build tells them apart. */
function productNameFromRegistry(key: RegKey | null, build: string | null): string {
  const name = regString(key?.values.get('productname')) ?? 'Windows';
  return build && Number(build) >= 22000 ? name.replace(/^Windows 10\b/, 'Windows 11') : name;
}
