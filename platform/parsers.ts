/**
 * Pure parsers of OS command output and configuration files. Each takes text and
 * returns facts; none runs anything. Tested against recorded outputs.
 */
import type { ClientTlsFacts, ProxyFacts, TlsVersionName } from './types';

/** `KEY=value` lines (os-release, `timedatectl show`); quotes removed. */
export function parseKeyValueLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf('=');
    if (i <= 0) continue;
    const key = line.slice(0, i).trim();
    let value = line.slice(i + 1).trim();
    if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) {
      value = value.slice(1, -1);
    }
    out[key] = value;
  }
  return out;
}

/** nameserver and search lines of resolv.conf. */
export function parseResolvConf(text: string): { servers: string[]; searchDomains: string[] } {
  const servers: string[] = [];
  const searchDomains: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [key, ...rest] = line.split(/\s+/);
    if (key === 'nameserver' && rest[0]) servers.push(rest[0]);
    if ((key === 'search' || key === 'domain') && rest.length) searchDomains.push(...rest);
  }
  return { servers, searchDomains };
}

const ALL_VERSIONS: readonly TlsVersionName[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/**
 * The client TLS versions an OpenSSL configuration allows (MinProtocol/MaxProtocol of
 * the system_default section). Without a setting, OpenSSL 3 allows TLS 1.0–1.3 at
 * the protocol level (security level 1+ still refuses legacy signatures).
 */
export function tlsFromOpensslConf(text: string): ClientTlsFacts['enabled'] {
  const min = /^\s*MinProtocol\s*=\s*(\S+)/im.exec(text)?.[1];
  const max = /^\s*MaxProtocol\s*=\s*(\S+)/im.exec(text)?.[1];
  const rank = (v: string | undefined, fallback: number): number => {
    if (!v) return fallback;
    const i = ALL_VERSIONS.indexOf(v.replace(/^TLSv1\.0$/, 'TLSv1') as TlsVersionName);
    return i >= 0 ? i : fallback;
  };
  const lo = rank(min, 0);
  const hi = rank(max, ALL_VERSIONS.length - 1);
  const out = {} as Record<TlsVersionName, boolean | null>;
  ALL_VERSIONS.forEach((v, i) => (out[v] = i >= lo && i <= hi));
  return out;
}

/** Proxy settings from the conventional environment variables. */
export function proxyFromEnv(env: Readonly<Record<string, string | undefined>>): ProxyFacts {
  const pick = (...names: string[]): string | null => {
    for (const n of names) {
      const v = env[n] ?? env[n.toUpperCase()];
      if (v && v.trim()) return v.trim();
    }
    return null;
  };
  const noProxy = pick('no_proxy');
  const proxy = (...names: string[]): string | null => {
    const v = pick(...names);
    return v === null ? null : withoutCredentials(v);
  };
  return {
    httpProxy: proxy('http_proxy'),
    httpsProxy: proxy('https_proxy', 'all_proxy'),
    pacUrl: null,
    autoDetect: null,
    bypass: noProxy ? noProxy.split(/[,\s]+/).filter(Boolean) : [],
    evidence: 'environment (http_proxy, https_proxy, all_proxy, no_proxy)',
  };
}

/**
 * A proxy URL without the user name and password people put in it
 * (`http://alice:s3cret@proxy:3128`): the facts, and so every report and log, never hold them.
 */
export function withoutCredentials(url: string): string {
  return url.replace(/^((?:[a-z][a-z0-9+.-]*:\/\/)?)[^/\s]*@/i, '$1***@');
}

/** systemd-resolved's stub listeners: resolv.conf naming one of them means "ask resolvectl". */
export const SYSTEMD_RESOLVED_STUBS = ['127.0.0.53', '127.0.0.54'];

/**
 * `resolvectl dns` (resolvectl(1)): `Global: <servers>` and `Link N (name): <servers>`.
 * A server may carry `#server-name` (DNS over TLS) or `%interface`; both are dropped.
 */
export function parseResolvectlDns(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:Global|Link \d+ \([^)]*\))\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    for (const s of m[1]!.split(/\s+/).filter(Boolean)) addServer(out, s);
  }
  return out;
}

/** The `DNS Servers:` entries of `resolvectl status` (continuation lines hold one address each). */
export function parseResolvectlStatus(text: string): string[] {
  const out: string[] = [];
  let inList = false;
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*DNS Servers?\s*:\s*(.*)$/.exec(line);
    if (m) {
      inList = true;
      for (const s of m[1]!.split(/\s+/).filter(Boolean)) addServer(out, s);
      continue;
    }
    if (inList && /^\s+[0-9a-fA-F:.[\]#%]+\S*\s*$/.test(line) && !line.includes(': ')) {
      addServer(out, line.trim());
      continue;
    }
    inList = false;
  }
  return out;
}

function addServer(out: string[], raw: string): void {
  const s = raw.replace(/#.*$/, '').replace(/%.*$/, '').replace(/^\[(.*)\](?::\d+)?$/, '$1');
  if (s && !out.includes(s)) out.push(s);
}
