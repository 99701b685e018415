import { isIP } from 'node:net';
import { UsageError } from '../errors';
import type { HostEntry, ParsedProfile } from '../run-facts';
import { parseTarget, type Target } from '../target';

export interface ProfileGateways {
  /** One target per distinct gateway URL, in profile order, each saying where it came from. */
  readonly targets: readonly Target[];
  /** Host entries that name no usable gateway address, and why. */
  readonly skipped: ReadonlyArray<{ readonly path: string; readonly hostName: string | null; readonly message: string }>;
}

/** The address AnyConnect connects to for a host entry: HostAddress, else HostName. */
function addressOf(e: HostEntry): string | null {
  return e.hostAddress ?? e.hostName;
}

/** A HostName can stand for the address only when it looks like one (a dotted name, an IP, localhost). */
function looksLikeAddress(name: string): boolean {
  const host = name.replace(/^https:\/\//i, '').replace(/[/:].*$/, '');
  return !/\s/.test(name) && (host.includes('.') || host === 'localhost' || isIP(host) !== 0 || name.startsWith('['));
}

/** `https://address[/UserGroup]`, the group URL AnyConnect builds from a host entry. */
export function groupUrl(address: string, userGroup: string | null): string {
  const base = /^https:\/\//i.test(address) ? address : `https://${address}`;
  const hasPath = /^https:\/\/[^/]+\/./i.test(base);
  if (!userGroup || hasPath) return base;
  return `${base.replace(/\/$/, '')}/${encodeURIComponent(userGroup)}`;
}

/**
 * The gateways the profiles name: every HostEntry (with its group URL) and its backup
 * servers, each with its origin so the report says where it came from.
 */
export function gatewaysFromProfiles(profiles: readonly ParsedProfile[]): ProfileGateways {
  const targets: Target[] = [];
  const skipped: Array<ProfileGateways['skipped'][number]> = [];
  const seen = new Set<string>();
  const add = (input: string, origin: string, path: string, hostName: string | null): void => {
    try {
      const t = parseTarget(input, origin);
      if (seen.has(t.url)) return;
      seen.add(t.url);
      targets.push(t);
    } catch (err) {
      skipped.push({ path, hostName, message: err instanceof UsageError ? err.message : String(err) });
    }
  };
  for (const p of profiles) {
    for (const e of p.hosts) {
      const address = addressOf(e);
      const label = e.hostName ?? e.hostAddress ?? '?';
      if (!address) {
        skipped.push({ path: p.path, hostName: e.hostName, message: 'the host entry has neither HostAddress nor HostName' });
        continue;
      }
      if (!e.hostAddress && !looksLikeAddress(address)) {
        skipped.push({ path: p.path, hostName: e.hostName, message: `the HostName “${address}” is a display name, and there is no HostAddress` });
        continue;
      }
      add(groupUrl(address, e.userGroup), `AnyConnect profile ${p.path} (“${label}”)`, p.path, e.hostName);
      for (const b of e.backupServers) {
        add(groupUrl(b, e.userGroup), `AnyConnect profile ${p.path} (backup server of “${label}”)`, p.path, e.hostName);
      }
    }
  }
  return { targets, skipped };
}

/** The host part of an address as parseTarget normalises it, or null. */
function hostOf(address: string): string | null {
  try {
    return parseTarget(/^https:\/\//i.test(address) ? address : `https://${address}`).host;
  } catch {
    return null;
  }
}

export interface MatchingEntry {
  readonly profile: ParsedProfile;
  readonly entry: HostEntry;
  readonly role: 'primary' | 'backup' | 'load-balancing';
}

/** The host entries (of any profile) that name this gateway. */
export function entriesForHost(profiles: readonly ParsedProfile[], host: string): MatchingEntry[] {
  const out: MatchingEntry[] = [];
  for (const profile of profiles) {
    for (const entry of profile.hosts) {
      const primary = addressOf(entry);
      if (primary && hostOf(primary) === host) {
        out.push({ profile, entry, role: 'primary' });
      } else if (entry.backupServers.some((b) => hostOf(b) === host)) {
        out.push({ profile, entry, role: 'backup' });
      } else if (entry.loadBalancingServers.some((b) => hostOf(b) === host)) {
        out.push({ profile, entry, role: 'load-balancing' });
      }
    }
  }
  return out;
}
