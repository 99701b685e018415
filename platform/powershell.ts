import type { Exec, ExecResult } from './exec';

/**
 * The PowerShell scripts the Windows adapter runs. Each is a fixed constant passed as ONE
 * argument after `-Command`; nothing from the user or the network is ever put into it.
 * They use single quotes only: Windows PowerShell 5.1 re-parses its command line and
 * drops double quotes that Node escapes for CreateProcess. Each sets its output to UTF-8
 * (a Japanese system would otherwise write CP932) and emits one JSON document.
 * The first statement names the script; it does nothing else.
 */
function script(lines: readonly string[]): string {
  return [
    ...lines.slice(0, 1),
    "$ErrorActionPreference = 'Stop';",
    "$ProgressPreference = 'SilentlyContinue';",
    '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8;',
    ...lines.slice(1),
  ].join(' ');
}

/** Win32_OperatingSystem (CIM) and the display language / regional format / time zone. */
export const OS_SCRIPT = script([
  "$vpnPreflight = 'os';",
  '$os = Get-CimInstance -ClassName Win32_OperatingSystem;',
  '[pscustomobject]@{ Caption = $os.Caption; Version = $os.Version; BuildNumber = $os.BuildNumber;',
  'UICulture = (Get-UICulture).Name; Culture = (Get-Culture).Name; TimeZone = (Get-TimeZone).Id } | ConvertTo-Json -Compress',
]);

/**
 * Root, CA and Disallowed of the machine and of the user, each certificate as base64 DER
 * (X509Certificate2.RawData). A store that cannot be opened reports its error and the
 * others still come.
 */
export const TRUST_STORE_SCRIPT = script([
  "$vpnPreflight = 'trust-store';",
  "$stores = foreach ($location in 'LocalMachine', 'CurrentUser') { foreach ($name in 'Root', 'CA', 'Disallowed') {",
  "try { $certs = @(Get-ChildItem -Path ('Cert:\\' + $location + '\\' + $name) | ForEach-Object { [Convert]::ToBase64String($_.RawData) });",
  '[pscustomobject]@{ Location = $location; Store = $name; Certificates = $certs; Error = $null } }',
  'catch { [pscustomobject]@{ Location = $location; Store = $name; Certificates = @(); Error = $_.Exception.Message } } } };',
  'ConvertTo-Json -InputObject @($stores) -Depth 3 -Compress',
]);

/**
 * DNS servers per interface (Get-DnsClientServerAddress), whether the interface is
 * connected (Get-NetIPInterface), and the suffix search list.
 */
export const DNS_SCRIPT = script([
  "$vpnPreflight = 'dns';",
  '$connected = @(Get-NetIPInterface -ConnectionState Connected | ForEach-Object { $_.InterfaceIndex });',
  '$servers = @(Get-DnsClientServerAddress | ForEach-Object { [pscustomobject]@{ InterfaceAlias = $_.InterfaceAlias; InterfaceIndex = $_.InterfaceIndex;',
  'AddressFamily = [int]$_.AddressFamily; ServerAddresses = @($_.ServerAddresses); Connected = ($connected -contains $_.InterfaceIndex) } });',
  '$suffixes = @((Get-DnsClientGlobalSetting).SuffixSearchList);',
  'ConvertTo-Json -InputObject ([pscustomobject]@{ Servers = $servers; SuffixSearchList = $suffixes }) -Depth 4 -Compress',
]);

/**
 * %SystemRoot%\System32. The programs the tool runs are named by full path: a binary
 * double-clicked in Downloads must not run a reg.exe or powershell.exe planted beside it
 * (Windows looks in the current folder first). The environment's SystemRoot is used only
 * when it is a plain absolute folder.
 */
export function system32Of(env: Readonly<Record<string, string | undefined>>): string {
  const root = env.SystemRoot ?? env.SYSTEMROOT;
  const plain = root !== undefined && /^[A-Za-z]:\\[^"%&|<>^\r\n]*$/.test(root) && !root.includes('..');
  return `${plain ? root.replace(/\\+$/, '') : 'C:\\Windows'}\\System32`;
}

/** Windows PowerShell 5.1, by full path. */
export function powershellOf(env: Readonly<Record<string, string | undefined>>): string {
  return `${system32Of(env)}\\WindowsPowerShell\\v1.0\\powershell.exe`;
}

/** Runs one of the scripts above: no profile, no prompts, the script as one argument. */
export function runPowerShell(exec: Exec, powershellPath: string, scriptText: string, timeoutMs: number, signal: AbortSignal): Promise<ExecResult> {
  return exec(powershellPath, ['-NoProfile', '-NonInteractive', '-Command', scriptText], {
    timeoutMs,
    signal,
    maxBuffer: 32 * 1024 * 1024,
  });
}

/** The name a script gives itself in its first statement (`trust-store`, `dns`, `os`). */
export function scriptName(scriptText: string): string | null {
  return /^\$vpnPreflight = '([a-z-]+)';/.exec(scriptText)?.[1] ?? null;
}
