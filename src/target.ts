import { isIP } from 'node:net';
import { domainToUnicode } from 'node:url';
import { UsageError } from './errors';

/** The gateway to diagnose, as the user named it and as the tool will use it. */
export interface Target {
  /** Exactly what the user (or the profile) gave. */
  readonly input: string;
  /** Lower-case ASCII host (IDNA A-labels), IPv6 without brackets. */
  readonly host: string;
  /** The same host for people: Unicode labels. */
  readonly displayHost: string;
  readonly port: number;
  /** The group path (`/` when none), as AnyConnect's group URL. */
  readonly path: string;
  /** 0 for a name, 4 or 6 for an IP literal. */
  readonly ipVersion: 0 | 4 | 6;
  /** `https://host[:port]/path`, the URL AnyConnect would use. */
  readonly url: string;
  /** Where the gateway came from: the command line, the config file, a profile. */
  readonly origin: string;
}

/**
 * Parses `host`, `host:port`, `[v6]:port` or `https://host[:port][/group]`. Throws a
 * UsageError with a plain explanation for anything else.
 */
export function parseTarget(input: string, origin = 'command line'): Target {
  const raw = input.trim();
  if (!raw) throw new UsageError('the gateway is empty', 'give it as vpn.example.com, vpn.example.com:8443 or https://vpn.example.com/group');
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) {
    throw new UsageError(`the gateway ${JSON.stringify(raw)} contains spaces or control characters`);
  }
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(raw);
  if (scheme && scheme[1]!.toLowerCase() !== 'https') {
    throw new UsageError(
      `the gateway URL uses ${scheme[1]}://; AnyConnect gateways are reached over https://`,
    );
  }
  const bareV6 = !scheme && isIP(raw) === 6;
  const text = scheme ? raw : `https://${bareV6 ? `[${raw}]` : raw}`;
  // Checked before anything that echoes the input: a password must not end up on screen.
  if (/^https:\/\/[^/?#]*@/i.test(text)) {
    throw new UsageError('the gateway URL must not contain a user name or password');
  }
  const authority = /^https:\/\/(\[[^\]]*\]|[^/:?#]*)(?::([^/?#]*))?/i.exec(text);
  const hostText = authority?.[1] ?? '';
  const portText = authority?.[2];
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      throw new UsageError(`the port "${portText}" in ${JSON.stringify(raw)} is not between 1 and 65535`);
    }
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `${JSON.stringify(raw)} is not a gateway name, host:port or https:// URL`,
      'give it as vpn.example.com, vpn.example.com:8443 or https://vpn.example.com/group',
    );
  }
  if (url.username || url.password) {
    throw new UsageError('the gateway URL must not contain a user name or password');
  }
  let host = url.hostname;
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  host = host.replace(/\.$/, '');
  if (!host) throw new UsageError(`${JSON.stringify(raw)} has no host name`);
  const ipVersion = isIP(host) as 0 | 4 | 6;
  if (ipVersion === 4 && hostText.toLowerCase().replace(/\.$/, '') !== host) {
    // URL parsing reads "10.1.1", "0x0a.1.1.1" or "167837953" as 10.1.0.1 / 10.1.1.1: a guess, not what was typed.
    throw new UsageError(`${JSON.stringify(raw)} is not a complete IPv4 address`, 'write all four numbers in decimal, e.g. 192.0.2.10');
  }
  if (ipVersion === 0 && !isHostName(host)) {
    throw new UsageError(`${JSON.stringify(raw)} is not a valid host name`);
  }
  const port = url.port ? Number(url.port) : 443;
  let path: string;
  try {
    path = url.pathname && url.pathname !== '' ? decodeURIComponent(url.pathname) : '/';
  } catch {
    // "%ff" or a cut "%E0%A4": not text, and no AnyConnect group is named like that.
    throw new UsageError(`the group path in ${JSON.stringify(raw)} has a %-escape that is not valid UTF-8`);
  }
  if (/[\u0000-\u001f\u007f]/.test(path)) {
    throw new UsageError(`the group path in ${JSON.stringify(raw)} encodes control characters`);
  }
  const hostForUrl = ipVersion === 6 ? `[${host}]` : host;
  return {
    input: raw,
    host,
    displayHost: ipVersion ? host : domainToUnicode(host) || host,
    port,
    path,
    ipVersion,
    url: `https://${hostForUrl}${port === 443 ? '' : `:${port}`}${url.pathname === '/' ? '' : url.pathname}`,
    origin,
  };
}

/** LDH labels after IDNA conversion; at most 253 characters. */
function isHostName(host: string): boolean {
  if (host.length > 253) return false;
  return host
    .split('.')
    .every((l) => l.length >= 1 && l.length <= 63 && /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$/i.test(l));
}

/** `host[:port]` as typed for NTP and DNS servers. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export function parseHostPort(input: string, defaultPort: number, what: string): HostPort {
  const raw = input.trim();
  let host = raw;
  let port = defaultPort;
  const v6 = /^\[([^\]]+)\](?::(.*))?$/.exec(raw);
  if (v6) {
    host = v6[1]!;
    if (v6[2] !== undefined) port = portOf(v6[2], raw, what);
  } else if (isIP(raw) === 6) {
    host = raw;
  } else {
    const i = raw.lastIndexOf(':');
    if (i >= 0) {
      host = raw.slice(0, i);
      port = portOf(raw.slice(i + 1), raw, what);
    }
  }
  if (!host || /[\s/]/.test(host)) throw new UsageError(`${what} ${JSON.stringify(raw)} is not host[:port]`);
  return { host, port };
}

function portOf(text: string, raw: string, what: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new UsageError(`the port in ${what} ${JSON.stringify(raw)} is not between 1 and 65535`);
  }
  return Number(text);
}
