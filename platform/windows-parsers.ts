/**
 * Pure parsers of Windows command output. Each takes text and returns facts; none runs
 * anything. Formats:
 * - `reg query` (reg.exe, Microsoft Learn "reg query"): a key path line, then one line per
 *   value, `    <name>    <REG_TYPE>    <data>`, separated by four spaces. Value names,
 *   types and data are not localized; only reg.exe's own error sentences are.
 * - `w32tm /query /status` (Microsoft Learn "Windows Time service tools and settings"):
 *   `label: value` lines in a fixed order. The labels ARE localized, and w32tm writes them
 *   in the console code page (CP932 on a Japanese system), which reaches us mis-decoded;
 *   so the parser reads the lines by position and their values by shape, never by label.
 * - PowerShell `ConvertTo-Json` (Windows PowerShell 5.1): a one-element array may come as
 *   the bare element, and a null array as null; `asArray` undoes both.
 */
import type { ClientTlsFacts, ProxyFacts, TlsVersionName } from './types';

export interface RegValue {
  readonly name: string;
  readonly type: string;
  readonly data: string;
}

export interface RegKey {
  readonly path: string;
  /** By lower-case value name. */
  readonly values: ReadonlyMap<string, RegValue>;
}

const REG_VALUE = /^ {4}(.*?) {4}(REG_[A-Z0-9_]+)(?: {4}(.*))?$/;

/** Every key and its values in `reg query` output (one key, or many with /s). */
export function parseRegQuery(text: string): RegKey[] {
  const keys: Array<{ path: string; values: Map<string, RegValue> }> = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\r$/, '');
    if (/^HKEY_[A-Z_]+(\\|$)/.test(line.trim()) && !line.startsWith(' ')) {
      keys.push({ path: line.trim(), values: new Map() });
      continue;
    }
    const m = REG_VALUE.exec(line);
    if (m && keys.length) {
      const name = m[1]!;
      keys[keys.length - 1]!.values.set(name.toLowerCase(), { name, type: m[2]!, data: (m[3] ?? '').trimEnd() });
    }
  }
  return keys;
}

/** A REG_DWORD / REG_QWORD value (`0x1`) as a number. */
export function regNumber(v: RegValue | undefined): number | null {
  if (!v || !/^REG_(DWORD|QWORD)/.test(v.type)) return null;
  const n = Number.parseInt(v.data, v.data.toLowerCase().startsWith('0x') ? 16 : 10);
  return Number.isFinite(n) ? n : null;
}

export function regString(v: RegValue | undefined): string | null {
  if (!v) return null;
  return v.data.length ? v.data : null;
}

/** reg.exe says the key or value does not exist (exit code 1; the sentence is localized). */
export function regNotFound(code: number | null, stdout: string): boolean {
  return code === 1 && !/^HKEY_/m.test(stdout);
}

export interface W32tmStatus {
  readonly leapIndicator: number | null;
  readonly stratum: number | null;
  /** The time source as w32tm names it (`time.windows.com,0x9`, `Local CMOS Clock`). */
  readonly source: string | null;
  /** As w32tm prints it (localized date format, or "unspecified" / 未指定). */
  readonly lastSuccessfulSync: string | null;
  /** HRESULT when w32tm reported an error instead of a status (`0x80070426`: service not running). */
  readonly error: string | null;
}

/** Reads `w32tm /query /status` (optionally `/verbose`) without relying on its labels. */
export function parseW32tmStatus(text: string): W32tmStatus | null {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const hresult = /\(?(0x8[0-9a-f]{7})\)?/i.exec(text)?.[1] ?? null;
  const block: string[] = [];
  for (const l of lines) {
    if (!l) {
      if (block.length) break;
      continue;
    }
    block.push(l);
  }
  const value = (i: number): string | null => {
    const l = block[i];
    if (l === undefined) return null;
    const c = l.indexOf(':');
    return c < 0 ? null : l.slice(c + 1).trim();
  };
  const leading = (v: string | null): number | null => {
    const m = v ? /^(-?\d+)/.exec(v) : null;
    return m ? Number(m[1]) : null;
  };
  const leap = leading(value(0));
  const stratum = leading(value(1));
  // The status block has nine lines; its first two values are numbers in every language.
  if (block.length < 8 || leap === null || leap < 0 || leap > 3 || stratum === null) {
    return hresult ? { leapIndicator: null, stratum: null, source: null, lastSuccessfulSync: null, error: hresult.toLowerCase() } : null;
  }
  return { leapIndicator: leap, stratum, source: value(7), lastSuccessfulSync: value(6), error: null };
}

/** Sources w32tm names when the clock is running on its own. */
export function isFreeRunningSource(source: string | null): boolean {
  return source !== null && /local cmos clock|free-running system clock/i.test(source);
}

/** PowerShell's JSON, with a BOM or blank lines around it tolerated. Throws on anything else. */
export function parsePowerShellJson(text: string): unknown {
  const body = text.replace(/^\uFEFF/, '').trim();
  if (!body) throw new Error('PowerShell printed nothing');
  return JSON.parse(body) as unknown;
}

/** Windows PowerShell 5.1 unwraps one-element arrays and writes empty ones as null. */
export function asArray<T = unknown>(v: unknown): T[] {
  if (v === null || v === undefined) return [];
  return Array.isArray(v) ? (v as T[]) : [v as T];
}

const SCHANNEL_NAMES: Readonly<Record<TlsVersionName, string>> = {
  TLSv1: 'TLS 1.0',
  'TLSv1.1': 'TLS 1.1',
  'TLSv1.2': 'TLS 1.2',
  'TLSv1.3': 'TLS 1.3',
};

/**
 * The TLS versions SChannel offers as a client: the `Enabled` and `DisabledByDefault`
 * values under `SCHANNEL\Protocols\<version>\Client` (Microsoft Learn, "TLS registry
 * settings"), and where a version has no setting, the default of this Windows build:
 * TLS 1.3 for clients from Windows 11 / Server 2022 (builds 22000 / 20348) on; TLS 1.0/1.1
 * default to off from Windows 11 24H2 / Server 2025 (build 26100), where that default
 * is not asserted (null) because updates and editions differ.
 */
export function schannelClientVersions(keys: readonly RegKey[], build: number | null): { enabled: ClientTlsFacts['enabled']; settings: string[] } {
  const enabled = {} as Record<TlsVersionName, boolean | null>;
  const settings: string[] = [];
  for (const v of Object.keys(SCHANNEL_NAMES) as TlsVersionName[]) {
    const suffix = `\\protocols\\${SCHANNEL_NAMES[v].toLowerCase()}\\client`;
    const key = keys.find((k) => k.path.toLowerCase().endsWith(suffix));
    const en = regNumber(key?.values.get('enabled'));
    const dbd = regNumber(key?.values.get('disabledbydefault'));
    if (en !== null || dbd !== null) {
      settings.push(`${SCHANNEL_NAMES[v]} Client: ${en !== null ? `Enabled=${en}` : ''}${en !== null && dbd !== null ? ', ' : ''}${dbd !== null ? `DisabledByDefault=${dbd}` : ''}`);
    }
    if (en === 0 || dbd === 1) {
      enabled[v] = false;
      continue;
    }
    if (en !== null && en !== 0) {
      enabled[v] = true;
      continue;
    }
    enabled[v] = schannelDefault(v, build);
  }
  return { enabled, settings };
}

function schannelDefault(v: TlsVersionName, build: number | null): boolean | null {
  if (v === 'TLSv1.2') return true;
  if (build === null) return null;
  if (v === 'TLSv1.3') return build >= 20348;
  return build >= 26100 ? null : true;
}

/** WinINET proxy settings of the user (what AnyConnect's ProxySettings "Native" follows). */
export function winInetProxy(settings: RegKey | undefined, connections: RegKey | undefined): Omit<ProxyFacts, 'evidence'> {
  const v = (n: string): RegValue | undefined => settings?.values.get(n.toLowerCase());
  const enabled = regNumber(v('ProxyEnable')) === 1;
  const server = enabled ? regString(v('ProxyServer')) : null;
  let httpProxy: string | null = null;
  let httpsProxy: string | null = null;
  let socksProxy: string | null = null;
  if (server) {
    if (server.includes('=')) {
      // "http=host:port;https=host:port;socks=host:port"
      for (const part of server.split(';')) {
        const [scheme, addr] = part.split('=', 2).map((s) => s.trim());
        if (!addr) continue;
        if (scheme?.toLowerCase() === 'http') httpProxy = addr;
        if (scheme?.toLowerCase() === 'https') httpsProxy = addr;
        if (scheme?.toLowerCase() === 'socks') socksProxy = addr;
      }
    } else {
      httpProxy = server;
      httpsProxy = server;
    }
  }
  const flags = defaultConnectionFlags(connections?.values.get('defaultconnectionsettings'));
  const autoDetectValue = regNumber(v('AutoDetect'));
  const autoDetect = autoDetectValue !== null ? autoDetectValue === 1 : flags !== null ? (flags & 0x08) !== 0 : null;
  const bypass = (enabled ? regString(v('ProxyOverride')) ?? '' : '').split(';').map((s) => s.trim()).filter(Boolean);
  return { httpProxy, httpsProxy, socksProxy, pacUrl: regString(v('AutoConfigURL')), autoDetect, bypass };
}

/**
 * The flags DWORD of `Connections\DefaultConnectionSettings` (bytes 8–11, little endian):
 * 0x02 manual proxy, 0x04 setup script, 0x08 automatically detect settings.
 */
export function defaultConnectionFlags(v: RegValue | undefined): number | null {
  if (!v || v.type !== 'REG_BINARY' || !/^[0-9a-f]+$/i.test(v.data) || v.data.length < 24) return null;
  return Buffer.from(v.data.slice(16, 24), 'hex').readUInt32LE(0);
}
