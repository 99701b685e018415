import { isIP } from 'node:net';
import type { Certificate } from './certificate';
import { displaySafe } from './text';

export type NameProblem =
  | 'wildcard-too-deep'
  | 'wildcard-public-suffix'
  | 'wildcard-partial'
  | 'wildcard-on-ip'
  | 'cn-ignored-san-present'
  | 'ip-as-dns-name'
  | 'unsafe-characters';

export interface HostnameMatch {
  readonly matched: boolean;
  /** How it matched: a SAN DNS entry, a SAN IP entry, or the subject CN (no SAN). */
  readonly via: 'san-dns' | 'san-ip' | 'cn' | null;
  /** The entry that matched, as written in the certificate. */
  readonly entry: string | null;
  /** Every name the certificate covers (for the report), escaped for display. */
  readonly covered: readonly string[];
  /** Entries that came close but do not count, and why. */
  readonly near: ReadonlyArray<{ readonly entry: string; readonly problem: NameProblem }>;
}

/** Decides whether `host` (lower-case ASCII, or an IP literal) is a name of `cert`. */
export function matchHostname(cert: Certificate, host: string, isPublicSuffix: (domain: string) => boolean): HostnameMatch {
  const target = normalize(host);
  const ipVersion = isIP(target);
  const sanDns = cert.san?.dns ?? [];
  const sanIp = cert.san?.ip ?? [];
  const useCn = sanDns.length === 0 && sanIp.length === 0;
  const covered = [...sanDns, ...sanIp, ...(useCn ? cert.commonNames : [])].map((n) => displaySafe(n, 200));
  const near: Array<{ entry: string; problem: NameProblem }> = [];

  if (ipVersion) {
    const want = canonicalIp(target);
    for (const ip of sanIp) {
      if (canonicalIp(ip) === want) return { matched: true, via: 'san-ip', entry: ip, covered, near };
    }
    for (const d of sanDns) if (normalize(d) === target) near.push({ entry: displaySafe(d), problem: 'ip-as-dns-name' });
    if (useCn) {
      for (const cn of cert.commonNames) {
        if (isIP(cn.trim()) && canonicalIp(cn.trim()) === want) return { matched: true, via: 'cn', entry: cn, covered, near };
      }
    }
    return { matched: false, via: null, entry: null, covered, near };
  }

  const candidates: Array<{ name: string; via: 'san-dns' | 'cn' }> = useCn
    ? cert.commonNames.map((name) => ({ name, via: 'cn' as const }))
    : sanDns.map((name) => ({ name, via: 'san-dns' as const }));
  for (const { name, via } of candidates) {
    const r = matchName(name, target, isPublicSuffix);
    if (r === true) return { matched: true, via, entry: name, covered, near };
    if (r) near.push({ entry: displaySafe(name), problem: r });
  }
  if (!useCn) {
    for (const cn of cert.commonNames) {
      if (matchName(cn, target, isPublicSuffix) === true) near.push({ entry: displaySafe(cn), problem: 'cn-ignored-san-present' });
    }
  }
  return { matched: false, via: null, entry: null, covered, near };
}

/** true on a match, a problem when the entry nearly matched, null otherwise. */
function matchName(pattern: string, host: string, isPublicSuffix: (d: string) => boolean): true | NameProblem | null {
  if (/[\u0000-\u0020\u007f-\uffff]/.test(pattern)) {
    // A DNS name is printable ASCII; NUL tricks ("good.com\0.evil.com") never match.
    const visible = normalize(pattern.split('\u0000')[0] ?? '');
    return visible === host || wildcardFits(visible, host) ? 'unsafe-characters' : null;
  }
  const p = normalize(pattern);
  if (p === host) return true;
  if (!p.includes('*')) return null;
  const labels = p.split('.');
  const first = labels[0]!;
  const rest = labels.slice(1).join('.');
  if (first !== '*') {
    // "f*.example.com" style: not honoured by AnyConnect's rules or by browsers.
    const hostLabels = host.split('.');
    return hostLabels.slice(1).join('.') === rest && globLabel(first, hostLabels[0]!) ? 'wildcard-partial' : null;
  }
  if (rest.includes('*')) return null;
  const hostLabels = host.split('.');
  const hostRest = hostLabels.slice(1).join('.');
  if (isIP(rest) || /^[0-9.]+$/.test(rest)) return null;
  if (hostRest === rest && hostLabels[0]) {
    if (labels.length < 3 || isPublicSuffix(rest)) return 'wildcard-public-suffix';
    return true;
  }
  if (host.endsWith(`.${rest}`) && hostLabels.length > labels.length) return 'wildcard-too-deep';
  return null;
}

function wildcardFits(pattern: string, host: string): boolean {
  if (!pattern.startsWith('*.')) return false;
  const rest = pattern.slice(2);
  return host.endsWith(`.${rest}`) && host.split('.').length === rest.split('.').length + 1;
}

/**
 * Does one label match a pattern whose `*` stands for any run of characters? Linear in
 * practice (greedy, backtracking only to the last `*`): the pattern comes from a
 * certificate, and a regular expression built from it ("a*a*a*…") could take years.
 */
function globLabel(pattern: string, label: string): boolean {
  let p = 0;
  let l = 0;
  let star = -1;
  let mark = 0;
  while (l < label.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === label[l]) {
      p++;
      l++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = l;
    } else if (star >= 0) {
      p = star + 1;
      l = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

function normalize(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** One spelling per address: IPv6 expanded via URL parsing, IPv4 as-is. */
export function canonicalIp(ip: string): string {
  const v = isIP(ip);
  if (v === 6) {
    try {
      return new URL(`http://[${ip}]`).hostname;
    } catch {
      return ip.toLowerCase();
    }
  }
  return ip;
}
