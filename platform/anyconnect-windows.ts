import { win32 } from 'node:path';
import { decodeXmlBytes } from '../src/anyconnect/xml';
import { failed, ok, unsupported, type Fact } from '../src/facts';
import { powershellOf } from './powershell';
import type { AnyConnectInstallFacts, ClientIdentity, FileText, PlatformDeps, VpnLogEntry } from './types';

/**
 * AnyConnect 4.x / Secure Client 5.x on Windows: its files (profiles, local policy,
 * preferences), the user's client certificates and the client's own event log.
 * PowerShell scripts are constant strings; the only input they take (how many days of
 * log to read) comes through an environment variable, never through the script text.
 */

const PS_TIMEOUT_MS = 8000;
const PS_ARGS = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command'];

/** Where each product keeps its files, relative to %ProgramData% and %LOCALAPPDATA%. */
export const WINDOWS_ANYCONNECT = [
  {
    product: 'Secure Client',
    programData: 'Cisco\\Cisco Secure Client',
    profileDir: 'VPN\\Profile',
    // The 5.x location of the local policy is not documented publicly; both candidates are read.
    localPolicy: ['AnyConnectLocalPolicy.xml', 'VPN\\AnyConnectLocalPolicy.xml'],
    globalPrefs: ['VPN\\preferences_global.xml'],
    userPrefs: 'Cisco\\Cisco Secure Client\\VPN\\preferences.xml',
  },
  {
    product: 'AnyConnect',
    programData: 'Cisco\\Cisco AnyConnect Secure Mobility Client',
    profileDir: 'Profile',
    localPolicy: ['AnyConnectLocalPolicy.xml'],
    globalPrefs: ['preferences_global.xml'],
    userPrefs: 'Cisco\\Cisco AnyConnect Secure Mobility Client\\preferences.xml',
  },
] as const;

/** The installed product and version, from the uninstall entries in the registry. */
export const PS_INSTALLED_VERSION = [
  '[Console]::OutputEncoding = [Text.Encoding]::UTF8',
  "$keys = 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*', 'HKLM:\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*'",
  "$apps = Get-ItemProperty -Path $keys -ErrorAction SilentlyContinue | Where-Object { $_.DisplayName -like 'Cisco AnyConnect Secure Mobility Client*' -or $_.DisplayName -like 'Cisco Secure Client*' } | Select-Object DisplayName, DisplayVersion, InstallLocation",
  'ConvertTo-Json -InputObject @($apps) -Compress',
].join('\n');

/** Certificates of the CurrentUser and LocalMachine `My` stores with whether a private key goes with them. */
export const PS_CLIENT_IDENTITIES = [
  '[Console]::OutputEncoding = [Text.Encoding]::UTF8',
  "$out = foreach ($loc in 'CurrentUser', 'LocalMachine') {",
  '  Get-ChildItem -Path "Cert:\\$loc\\My" -ErrorAction SilentlyContinue | ForEach-Object {',
  '    [pscustomobject]@{ Store = "$loc\\My"; Thumbprint = $_.Thumbprint; HasPrivateKey = $_.HasPrivateKey; RawData = [Convert]::ToBase64String($_.RawData) }',
  '  }',
  '}',
  'ConvertTo-Json -InputObject @($out) -Compress',
].join('\n');

/** The event log channels of AnyConnect 4.x and Secure Client 5.x. */
export const WINDOWS_LOG_NAMES = ['Cisco AnyConnect Secure Mobility Client', 'Cisco Secure Client - AnyConnect VPN'] as const;

/**
 * Recent events of the AnyConnect channels. `VPN_PREFLIGHT_LOG_DAYS` says how far back.
 * Which channels exist is reported separately, so "no such log" and "no events" differ.
 */
export const PS_VPN_LOG = [
  '[Console]::OutputEncoding = [Text.Encoding]::UTF8',
  '$days = [int]$env:VPN_PREFLIGHT_LOG_DAYS',
  'if ($days -lt 1) { $days = 3 }',
  '$since = (Get-Date).AddDays(-$days)',
  "$names = 'Cisco AnyConnect Secure Mobility Client', 'Cisco Secure Client - AnyConnect VPN'",
  '$present = @($names | Where-Object { Get-WinEvent -ListLog $_ -ErrorAction SilentlyContinue })',
  '$events = foreach ($n in $present) {',
  '  Get-WinEvent -FilterHashtable @{ LogName = $n; StartTime = $since } -MaxEvents 500 -ErrorAction SilentlyContinue |',
  "    Select-Object @{ n = 'TimeCreated'; e = { $_.TimeCreated.ToUniversalTime().ToString('o') } }, Id, Level, LogName, ProviderName, Message",
  '}',
  'ConvertTo-Json -InputObject ([pscustomobject]@{ Logs = @($present); Events = @($events) }) -Depth 3 -Compress',
].join('\n');

async function runPowerShell(
  deps: PlatformDeps,
  script: string,
  signal: AbortSignal,
  env?: Readonly<Record<string, string>>,
): Promise<{ json: unknown } | { failure: string; notInstalled: boolean }> {
  // By full path: a powershell.exe planted in the folder the tool runs from must never run.
  const r = await deps.exec(powershellOf(deps.env), [...PS_ARGS, script], { timeoutMs: PS_TIMEOUT_MS, signal, maxBuffer: 16 * 1024 * 1024, env });
  if (r.spawnError) return { failure: `PowerShell could not be started (${r.spawnError})`, notInstalled: true };
  if (r.timedOut) return { failure: `PowerShell did not finish within ${PS_TIMEOUT_MS / 1000} s`, notInstalled: false };
  if (r.code !== 0) return { failure: `PowerShell failed (exit ${r.code}): ${firstLine(r.stderr || r.stdout)}`, notInstalled: false };
  const text = r.stdout.replace(/^\uFEFF/, '').trim();
  if (!text) return { json: null };
  try {
    return { json: JSON.parse(text) as unknown };
  } catch {
    return { failure: `PowerShell printed something that is not JSON: ${firstLine(text)}`, notInstalled: false };
  }
}

function firstLine(s: string): string {
  return (s.trim().split(/\r?\n/)[0] ?? '').slice(0, 200);
}

/** ConvertTo-Json writes one object instead of an array of one. */
function asArray(v: unknown): Array<Record<string, unknown>> {
  if (v === null || v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null);
}

async function readText(deps: PlatformDeps, path: string): Promise<FileText | null> {
  try {
    return { path, text: decodeXmlBytes(await deps.readFile(path)) };
  } catch {
    return null;
  }
}

export async function anyconnectOnWindows(deps: PlatformDeps, signal: AbortSignal): Promise<Fact<AnyConnectInstallFacts>> {
  const programData = deps.env.ProgramData ?? deps.env.PROGRAMDATA ?? deps.env.ALLUSERSPROFILE ?? 'C:\\ProgramData';
  const localAppData = deps.env.LOCALAPPDATA ?? win32.join(deps.homeDir, 'AppData', 'Local');
  for (const inst of WINDOWS_ANYCONNECT) {
    const root = win32.join(programData, inst.programData);
    const profileDir = win32.join(root, inst.profileDir);
    let names: string[] | null;
    try {
      names = await deps.readDir(profileDir);
    } catch {
      names = null;
    }
    let localPolicy: FileText | null = null;
    for (const rel of inst.localPolicy) {
      localPolicy = await readText(deps, win32.join(root, rel));
      if (localPolicy) break;
    }
    if (names === null && !localPolicy) continue;
    const profiles: FileText[] = [];
    for (const n of (names ?? []).filter((x) => /\.xml$/i.test(x)).sort()) {
      const f = await readText(deps, win32.join(profileDir, n));
      if (f) profiles.push(f);
    }
    const preferences: FileText[] = [];
    for (const p of [...inst.globalPrefs.map((g) => win32.join(root, g)), win32.join(localAppData, inst.userPrefs)]) {
      const f = await readText(deps, p);
      if (f) preferences.push(f);
    }
    const version = await installedVersion(deps, signal, inst.product);
    return ok({ product: inst.product, version, profiles, localPolicy, preferences, evidence: root });
  }
  return unsupported('Cisco AnyConnect / Secure Client is not installed here', 0, { key: 'fact.anyconnect.not-installed' });
}

async function installedVersion(deps: PlatformDeps, signal: AbortSignal, product: string): Promise<string | null> {
  const r = await runPowerShell(deps, PS_INSTALLED_VERSION, signal);
  if (!('json' in r)) return null;
  const apps = asArray(r.json);
  const want = product === 'Secure Client' ? /Secure Client/i : /AnyConnect Secure Mobility/i;
  const app = apps.find((a) => want.test(String(a.DisplayName ?? ''))) ?? apps[0];
  const v = app?.DisplayVersion;
  return typeof v === 'string' && v ? v : null;
}

export async function clientIdentitiesOnWindows(deps: PlatformDeps, signal: AbortSignal): Promise<Fact<readonly ClientIdentity[]>> {
  const r = await runPowerShell(deps, PS_CLIENT_IDENTITIES, signal);
  if (!('json' in r)) {
    if (r.notInstalled) return unsupported(r.failure);
    return failed('powershell', r.failure);
  }
  const out: ClientIdentity[] = [];
  for (const row of asArray(r.json)) {
    const raw = row.RawData;
    if (typeof raw !== 'string' || !raw) continue;
    out.push({
      der: Buffer.from(raw, 'base64'),
      store: `Cert:\\${String(row.Store ?? 'CurrentUser\\My')}`,
      hasPrivateKey: typeof row.HasPrivateKey === 'boolean' ? row.HasPrivateKey : null,
    });
  }
  return ok(out);
}

export async function vpnLogsOnWindows(deps: PlatformDeps, signal: AbortSignal, sinceDays: number): Promise<Fact<readonly VpnLogEntry[]>> {
  const days = String(Math.max(1, Math.min(30, Math.round(sinceDays))));
  const r = await runPowerShell(deps, PS_VPN_LOG, signal, { VPN_PREFLIGHT_LOG_DAYS: days });
  if (!('json' in r)) {
    if (r.notInstalled) return unsupported(r.failure);
    return failed('powershell', r.failure);
  }
  const doc = (r.json ?? {}) as Record<string, unknown>;
  const present = asArrayOfStrings(doc.Logs);
  if (present.length === 0) return unsupported(`AnyConnect's event log (${WINDOWS_LOG_NAMES.join(' / ')}) does not exist on this computer`);
  const entries: VpnLogEntry[] = asArray(doc.Events).map((e) => ({
    time: typeof e.TimeCreated === 'string' ? e.TimeCreated : null,
    source: String(e.LogName ?? e.ProviderName ?? 'event log'),
    message: typeof e.Message === 'string' ? e.Message : '',
  }));
  return ok(entries);
}

function asArrayOfStrings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
