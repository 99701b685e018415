/**
 * Pure parsers of macOS command output. Formats (all English-only tools, not localized):
 * - `sw_vers`: `ProductName:\tmacOS` lines (sw_vers(1)).
 * - `security dump-trust-settings [-d|-s]` (security(1); Apple's security_tool
 *   trusted_cert_dump.c): `Number of trusted certs = N`, then per certificate
 *   `Cert N: <label>`, `   Number of trust settings : K`, and per setting `Policy OID`,
 *   `Allowed Error`, `Result Type` lines. With no settings in a domain it prints
 *   `SecTrustSettingsCopyCertificates: No Trust Settings were found.` and exits 1.
 * - `scutil --dns` (configd's dnsinfo printer): `resolver #N` blocks of `key : value` and
 *   `nameserver[i] : addr` lines; a second part "DNS configuration (for scoped queries)".
 * - `scutil --proxy`: a `<dictionary> { key : value … }` tree with nested `<array>`s.
 * - `systemsetup -getusingnetworktime` (systemsetup(8)): `Network Time: On|Off`.
 */
import type { ProxyFacts } from './types';

/** `key: value` lines of sw_vers. */
export function parseSwVers(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z]+):\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** `10.15.7` → [10, 15, 7]. */
export function macVersionParts(version: string | undefined): number[] {
  return (version ?? '').split('.').map((p) => Number(p)).filter((n) => Number.isFinite(n));
}

export interface TrustSetting {
  /** `SSL`, `Apple X509 Basic`, …; null when the setting applies to every policy. */
  readonly policy: string | null;
  /** `kSecTrustSettingsResultDeny`, …; null when absent (which means TrustRoot). */
  readonly result: string | null;
}

export interface TrustSettingsCert {
  /** The label security(1) shows: what Keychain Access shows as the certificate's name. */
  readonly label: string;
  readonly settings: readonly TrustSetting[];
}

/** One domain's trust settings; an empty list when the domain has none. */
export function parseTrustSettingsDump(text: string): TrustSettingsCert[] {
  const out: Array<{ label: string; settings: TrustSetting[] }> = [];
  let current: { label: string; settings: TrustSetting[] } | null = null;
  let setting: { policy: string | null; result: string | null } | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const cert = /^Cert \d+:\s?(.*)$/.exec(line);
    if (cert) {
      current = { label: cert[1]!.trim(), settings: [] };
      out.push(current);
      setting = null;
      continue;
    }
    if (!current) continue;
    if (/^Trust Setting \d+:$/.test(line)) {
      setting = { policy: null, result: null };
      current.settings.push(setting);
      continue;
    }
    const kv = /^(Policy OID|Result Type|Result)\s*[:=]\s*(.*)$/.exec(line);
    if (kv && setting) {
      if (kv[1] === 'Policy OID') setting.policy = kv[2]!.trim();
      else setting.result = kv[2]!.trim();
    }
  }
  return out;
}

export function noTrustSettings(text: string): boolean {
  return /No Trust Settings were found/i.test(text);
}

/** Policies that govern a TLS server certificate. */
const TLS_POLICIES = new Set(['ssl', 'apple x509 basic']);

/**
 * What one domain's settings say about using the certificate for TLS: `trust` (an empty
 * settings list, or TrustRoot/TrustAsRoot, is "Always Trust"), `deny` ("Never Trust"),
 * or `unspecified` (no setting that applies to TLS).
 */
export function tlsTrustDecision(settings: readonly TrustSetting[]): 'trust' | 'deny' | 'unspecified' {
  if (settings.length === 0) return 'trust';
  const relevant = settings.filter((s) => s.policy === null || TLS_POLICIES.has(s.policy.toLowerCase()));
  if (relevant.some((s) => /Deny$/i.test(s.result ?? ''))) return 'deny';
  if (relevant.some((s) => s.result === null || /TrustRoot$|TrustAsRoot$/i.test(s.result))) return 'trust';
  return 'unspecified';
}

export interface ScutilResolver {
  readonly section: 'default' | 'scoped' | 'service-specific';
  readonly domain: string | null;
  readonly nameservers: readonly string[];
  readonly searchDomains: readonly string[];
  readonly interfaceName: string | null;
  readonly options: string | null;
}

export function parseScutilDns(text: string): ScutilResolver[] {
  const out: ScutilResolver[] = [];
  let section: ScutilResolver['section'] = 'default';
  let cur: { section: ScutilResolver['section']; domain: string | null; nameservers: string[]; searchDomains: string[]; interfaceName: string | null; options: string | null } | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (/^DNS configuration \(for scoped queries\)/.test(line)) {
      section = 'scoped';
      cur = null;
      continue;
    }
    if (/^DNS configuration \(for service-specific queries\)/.test(line)) {
      section = 'service-specific';
      cur = null;
      continue;
    }
    if (/^resolver #\d+/.test(line)) {
      cur = { section, domain: null, nameservers: [], searchDomains: [], interfaceName: null, options: null };
      out.push(cur);
      continue;
    }
    if (!cur) continue;
    const m = /^([a-z_ ]+?)(?:\[\d+\])?\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!.trim();
    const value = m[2]!.trim();
    if (key === 'nameserver') cur.nameservers.push(value);
    else if (key === 'search domain') cur.searchDomains.push(value);
    else if (key === 'domain') cur.domain = value;
    else if (key === 'options') cur.options = value;
    else if (key === 'if_index') cur.interfaceName = /\(([^)]+)\)/.exec(value)?.[1] ?? value;
  }
  return out;
}

export type ScutilValue = string | ScutilValue[] | { [key: string]: ScutilValue };

/** The `<dictionary> { … }` tree scutil prints. */
export function parseScutilDictionary(text: string): { [key: string]: ScutilValue } {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  let i = 0;
  const readContainer = (kind: 'dictionary' | 'array'): ScutilValue => {
    const dict: { [key: string]: ScutilValue } = {};
    const arr: ScutilValue[] = [];
    while (i < lines.length) {
      const line = lines[i++]!;
      if (line === '}') break;
      const m = /^(.+?) : (.*)$/.exec(line) ?? /^(.+?) :$/.exec(line);
      if (!m) continue;
      const key = m[1]!.trim();
      const rest = (m[2] ?? '').trim();
      let value: ScutilValue;
      if (/^<dictionary> \{$/.test(rest)) value = readContainer('dictionary');
      else if (/^<array> \{$/.test(rest)) value = readContainer('array');
      else value = rest;
      if (kind === 'array') arr.push(value);
      // An own property whatever the key: `__proto__ : <dictionary>` must not become the prototype.
      else Object.defineProperty(dict, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return kind === 'array' ? arr : dict;
  };
  while (i < lines.length && !/^<dictionary> \{$/.test(lines[i]!)) i++;
  if (i >= lines.length) return {};
  i++;
  return readContainer('dictionary') as { [key: string]: ScutilValue };
}

/** The system-wide proxy settings of `scutil --proxy` (what AnyConnect's "Native" proxy follows). */
export function proxyFromScutil(d: { [key: string]: ScutilValue }): Omit<ProxyFacts, 'evidence'> {
  const str = (k: string): string | null => (typeof d[k] === 'string' && d[k] ? (d[k] as string) : null);
  const on = (k: string): boolean => str(k) === '1';
  const hostPort = (p: string): string | null => {
    if (!on(`${p}Enable`)) return null;
    const host = str(`${p}Proxy`);
    if (!host) return null;
    const port = str(`${p}Port`);
    return port ? `${host}:${port}` : host;
  };
  const exceptions = d.ExceptionsList;
  return {
    httpProxy: hostPort('HTTP'),
    httpsProxy: hostPort('HTTPS'),
    socksProxy: hostPort('SOCKS'),
    pacUrl: on('ProxyAutoConfigEnable') ? str('ProxyAutoConfigURLString') : null,
    autoDetect: d.ProxyAutoDiscoveryEnable === undefined ? null : on('ProxyAutoDiscoveryEnable'),
    bypass: Array.isArray(exceptions) ? exceptions.filter((e): e is string => typeof e === 'string') : [],
  };
}

/**
 * `systemsetup -getusingnetworktime`: true/false, or `needs-admin` — since macOS 10.15
 * systemsetup refuses to answer without administrator rights ("You need administrator
 * access to run this tool... exiting!").
 */
export function parseUsingNetworkTime(text: string): boolean | 'needs-admin' | null {
  const m = /Network Time:\s*(On|Off)/i.exec(text);
  if (m) return m[1]!.toLowerCase() === 'on';
  if (/administrator access/i.test(text)) return 'needs-admin';
  return null;
}

/** `server <host>` lines of /etc/ntp.conf (where macOS keeps the network time server). */
export function ntpConfServers(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:server|pool)\s+(\S+)/.exec(line);
    if (m) out.push(m[1]!);
  }
  return out;
}
