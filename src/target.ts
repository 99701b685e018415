import { isIP } from 'node:net';
import { domainToUnicode } from 'node:url';
import { UsageError } from './errors';
import type { MsgParam } from './fixes/i18n';

/** The forms a gateway may be written in, as the hint under a usage error. */
const FORMS_HINT: MsgParam = { key: 'usage.gateway.forms-hint' };

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
  if (!raw) throw new UsageError({ key: 'usage.gateway.empty' }, FORMS_HINT);
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) {
    throw new UsageError({ key: 'usage.gateway.spaces', params: { input: JSON.stringify(raw) } });
  }
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(raw);
  if (scheme && scheme[1]!.toLowerCase() !== 'https') {
    throw new UsageError({ key: 'usage.gateway.scheme', params: { scheme: scheme[1]! } });
  }
  const bareV6 = !scheme && isIP(raw) === 6;
  const text = scheme ? raw : `https://${bareV6 ? `[${raw}]` : raw}`;
  // Checked before anything that echoes the input: a password must not end up on screen.
  if (/^https:\/\/[^/?#]*@/i.test(text)) {
    throw new UsageError({ key: 'usage.gateway.credentials' });
  }
  const authority = /^https:\/\/(\[[^\]]*\]|[^/:?#]*)(?::([^/?#]*))?/i.exec(text);
  const hostText = authority?.[1] ?? '';
  const portText = authority?.[2];
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      throw new UsageError({ key: 'usage.gateway.port', params: { port: portText, input: JSON.stringify(raw) } });
    }
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError({ key: 'usage.gateway.unparsable', params: { input: JSON.stringify(raw) } }, FORMS_HINT);
  }
  if (url.username || url.password) {
    throw new UsageError({ key: 'usage.gateway.credentials' });
  }
  let host = url.hostname;
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  host = host.replace(/\.$/, '');
  if (!host) throw new UsageError({ key: 'usage.gateway.no-host', params: { input: JSON.stringify(raw) } });
  const ipVersion = isIP(host) as 0 | 4 | 6;
  if (ipVersion === 4 && hostText.toLowerCase().replace(/\.$/, '') !== host) {
    // URL parsing reads "10.1.1", "0x0a.1.1.1" or "167837953" as 10.1.0.1 / 10.1.1.1: a guess, not what was typed.
    throw new UsageError({ key: 'usage.gateway.ipv4-incomplete', params: { input: JSON.stringify(raw) } }, { key: 'usage.gateway.ipv4-hint' });
  }
  if (ipVersion === 0 && !isHostName(host)) {
    throw new UsageError({ key: 'usage.gateway.host-name', params: { input: JSON.stringify(raw) } });
  }
  const port = url.port ? Number(url.port) : 443;
  let path: string;
  try {
    path = url.pathname && url.pathname !== '' ? decodeURIComponent(url.pathname) : '/';
  } catch {
    // "%ff" or a cut "%E0%A4": not text, and no AnyConnect group is named like that.
    throw new UsageError({ key: 'usage.gateway.path-utf8', params: { input: JSON.stringify(raw) } });
  }
  if (/[\u0000-\u001f\u007f]/.test(path)) {
    throw new UsageError({ key: 'usage.gateway.path-control', params: { input: JSON.stringify(raw) } });
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
  if (!host || /[\s/]/.test(host)) throw new UsageError({ key: 'usage.host-port.form', params: { what, input: JSON.stringify(raw) } });
  return { host, port };
}

function portOf(text: string, raw: string, what: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new UsageError({ key: 'usage.host-port.port', params: { what, input: JSON.stringify(raw) } });
  }
  return Number(text);
}
