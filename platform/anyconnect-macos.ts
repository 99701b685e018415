import { failed, ok, unsupported, type Fact } from '../src/facts';
import { splitCertificates } from '../src/pki/pem';
import { anyconnectOnUnix, type UnixLayout } from './anyconnect-unix';
import type { AnyConnectInstallFacts, ClientIdentity, PlatformDeps, VpnLogEntry } from './types';

/**
 * AnyConnect 4.x / Secure Client 5.x on macOS: its files (profiles, local policy,
 * preferences), the user's client certificates (keychain identities) and the
 * client's own log (unified logging).
 */

export const MACOS_ANYCONNECT: UnixLayout = {
  os: 'macos',
  installs: [
    { product: 'Secure Client', root: '/opt/cisco/secureclient', profileDir: '/opt/cisco/secureclient/vpn/profile', globalPrefs: '/opt/cisco/secureclient/vpn/.anyconnect_global' },
    { product: 'AnyConnect', root: '/opt/cisco/anyconnect', profileDir: '/opt/cisco/anyconnect/profile', globalPrefs: '/opt/cisco/anyconnect/.anyconnect_global' },
  ],
  userPrefs: ['.vpn/.anyconnect', '.anyconnect'],
};

const TIMEOUT_MS = 5000;
/** By full path, like every command the macOS adapter runs: never whatever PATH finds first. */
const SECURITY = '/usr/bin/security';
const LOG = '/usr/bin/log';
/** `log show` over days of logs is slow; it gets longer, still bounded by the run's deadline. */
const LOG_TIMEOUT_MS = 12_000;

/** The processes of both products, and Cisco's logging subsystems. */
export const MACOS_LOG_PREDICATE =
  'process == "vpnagentd" OR process == "vpnui" OR process == "acvpnagent" OR process == "csc_vpnagent" OR process == "Cisco AnyConnect Secure Mobility Client" OR process == "Cisco Secure Client" OR subsystem BEGINSWITH "com.cisco"';

export function anyconnectOnMacos(deps: PlatformDeps, signal: AbortSignal): Promise<Fact<AnyConnectInstallFacts>> {
  return anyconnectOnUnix(deps, MACOS_ANYCONNECT, signal);
}

/**
 * `security find-identity -p ssl-client` lines: `  1) <SHA-1> "<name>"` with an optional
 * `(CSSMERR_…)` reason when macOS considers the identity invalid (e.g. expired). Both
 * the "Matching identities" and the "Valid identities only" sections are read, so
 * expired identities are seen too.
 */
export function parseFindIdentity(text: string): Array<{ sha1: string; name: string; problem: string | null }> {
  const out = new Map<string, { sha1: string; name: string; problem: string | null }>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*\d+\)\s+([0-9A-Fa-f]{40})\s+"(.*)"(?:\s+\(([^)]*)\))?\s*$/.exec(line);
    if (!m) continue;
    const sha1 = m[1]!.toUpperCase();
    const prev = out.get(sha1);
    if (!prev || (!prev.problem && m[3])) out.set(sha1, { sha1, name: m[2]!, problem: m[3] ?? null });
  }
  return [...out.values()];
}

/** `security find-certificate -a -p -Z`: "SHA-1 hash: …" followed by the PEM block. */
export function parseFindCertificate(text: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let sha1: string | null = null;
  let pem: string[] | null = null;
  for (const line of text.split(/\r?\n/)) {
    const h = /^SHA-1 hash:\s*([0-9A-Fa-f]{40})\s*$/.exec(line);
    if (h) {
      sha1 = h[1]!.toUpperCase();
      continue;
    }
    if (line.startsWith('-----BEGIN CERTIFICATE-----')) pem = [line];
    else if (pem) pem.push(line);
    if (pem && line.startsWith('-----END CERTIFICATE-----')) {
      if (sha1) {
        try {
          const der = splitCertificates(pem.join('\n'), 'security find-certificate')[0];
          if (der) out.set(sha1, der);
        } catch {
          // a damaged block names no certificate
        }
      }
      pem = null;
      sha1 = null;
    }
  }
  return out;
}

export async function clientIdentitiesOnMacos(deps: PlatformDeps, signal: AbortSignal): Promise<Fact<readonly ClientIdentity[]>> {
  const ids = await deps.exec(SECURITY, ['find-identity', '-p', 'ssl-client'], { timeoutMs: TIMEOUT_MS, signal });
  if (ids.spawnError) return unsupported(`the security tool is not available (${ids.spawnError})`);
  if (ids.code !== 0) return failed('security', `security find-identity failed: ${(ids.stderr || ids.stdout).trim().split('\n')[0] ?? ''}`);
  const identities = parseFindIdentity(ids.stdout);
  if (identities.length === 0) return ok([]);
  const certs = await deps.exec(SECURITY, ['find-certificate', '-a', '-p', '-Z'], { timeoutMs: TIMEOUT_MS, signal, maxBuffer: 32 * 1024 * 1024 });
  if (certs.spawnError || certs.code !== 0) {
    return failed('security', `security find-certificate failed: ${(certs.spawnError ?? certs.stderr).trim().split('\n')[0] ?? ''}`);
  }
  const bySha1 = parseFindCertificate(certs.stdout);
  const out: ClientIdentity[] = [];
  for (const id of identities) {
    const der = bySha1.get(id.sha1);
    // An identity is a certificate with its private key, by definition.
    if (der) out.push({ der, store: `keychain identity “${id.name}”`, hasPrivateKey: true });
  }
  return ok(out);
}

/** `log show` timestamps: `2024-05-02 09:14:03.123456+0900`. */
export function logTimestamp(s: unknown): string | null {
  if (typeof s !== 'string') return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?([+-]\d{2}):?(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const ms = (m[3] ?? '.000').slice(0, 4).padEnd(4, '0');
  const d = new Date(`${m[1]}T${m[2]}${ms}${m[4]}:${m[5]}`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export async function vpnLogsOnMacos(deps: PlatformDeps, signal: AbortSignal, sinceDays: number): Promise<Fact<readonly VpnLogEntry[]>> {
  let installed = false;
  for (const inst of MACOS_ANYCONNECT.installs) {
    try {
      await deps.readDir(inst.root);
      installed = true;
      break;
    } catch {
      // not this product
    }
  }
  if (!installed) return unsupported('Cisco AnyConnect / Secure Client is not installed here, so it has no log');
  const days = Math.max(1, Math.min(30, Math.round(sinceDays)));
  const r = await deps.exec(LOG, ['show', '--style', 'json', '--last', `${days}d`, '--predicate', MACOS_LOG_PREDICATE], {
    timeoutMs: LOG_TIMEOUT_MS,
    signal,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.spawnError) return unsupported(`the log tool is not available (${r.spawnError})`);
  if (r.timedOut) return failed('timeout', `log show did not finish within ${LOG_TIMEOUT_MS / 1000} s`);
  if (r.code !== 0) return failed('log', `log show failed: ${(r.stderr || r.stdout).trim().split('\n')[0] ?? ''}`);
  const text = r.stdout.trim();
  if (!text) return ok([]);
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    return failed('log', 'log show printed something that is not JSON');
  }
  if (!Array.isArray(rows)) return failed('log', 'log show did not print a JSON array');
  const entries: VpnLogEntry[] = [];
  for (const row of rows as Array<Record<string, unknown>>) {
    if (!row || typeof row !== 'object') continue;
    const image = typeof row.processImagePath === 'string' ? row.processImagePath : '';
    entries.push({
      time: logTimestamp(row.timestamp),
      source: image.split('/').pop() || String(row.subsystem ?? 'log'),
      message: typeof row.eventMessage === 'string' ? row.eventMessage : '',
    });
  }
  return ok(entries);
}
