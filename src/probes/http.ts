import * as http from 'node:http';
import * as https from 'node:https';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { lookup as dnsLookup } from 'node:dns';
import { abortable, withTimeout } from '../deadline';
import { addressScope } from '../address-scope';

export class FetchError extends Error {
  override readonly name = 'FetchError';
  constructor(
    readonly code:
      | 'bad-url'
      | 'refused-scheme'
      | 'refused-address'
      | 'too-many-redirects'
      | 'too-large'
      | 'http-status'
      | 'network'
      | 'timeout',
    message: string,
  ) {
    super(message);
  }
}

export interface FetchOptions {
  readonly method?: 'GET' | 'POST';
  readonly body?: Buffer;
  readonly headers?: Readonly<Record<string, string>>;
  /** Stop reading past this many bytes (a CRL can be large). */
  readonly maxBytes: number;
  readonly maxRedirects: number;
  /** Per request; the run's deadline bounds it too. */
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /** Address scopes that may be contacted besides public ones (see fetchScopesFor). */
  readonly allowScopes: ReadonlySet<string>;
  readonly lookup?: LookupFunction;
}

export interface FetchResult {
  readonly url: string;
  readonly status: number;
  readonly contentType: string | null;
  readonly body: Buffer;
  readonly redirects: readonly string[];
  readonly ms: number;
}

/**
 * A bounded HTTP(S) client for OCSP, CRL and AIA: only http and https, a size cap,
 * few redirects, never a loopback or link-local address unless allowed (the gateway
 * itself is there), every wait under the run's deadline.
 */
export async function fetchUrl(url: string, opts: FetchOptions): Promise<FetchResult> {
  const start = performance.now();
  const redirects: string[] = [];
  let current = url;
  let method = opts.method ?? 'GET';
  let body = opts.body;
  for (;;) {
    const parsed = parseHttpUrl(current);
    const res = await requestOnce(parsed, method, body, opts);
    if (res.status >= 300 && res.status < 400 && res.location) {
      if (redirects.length >= opts.maxRedirects) {
        throw new FetchError('too-many-redirects', `more than ${opts.maxRedirects} redirects from ${url}`);
      }
      let next: string;
      try {
        next = new URL(res.location, current).toString();
      } catch {
        throw new FetchError('bad-url', `redirect to an invalid URL ${JSON.stringify(res.location.slice(0, 100))}`);
      }
      redirects.push(next);
      current = next;
      if (res.status !== 307 && res.status !== 308) {
        method = 'GET';
        body = undefined;
      }
      continue;
    }
    return {
      url: current,
      status: res.status,
      contentType: res.contentType,
      body: res.body,
      redirects,
      ms: Math.round(performance.now() - start),
    };
  }
}

function parseHttpUrl(text: string): URL {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new FetchError('bad-url', `not a URL: ${JSON.stringify(text.slice(0, 100))}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new FetchError('refused-scheme', `refused to fetch a ${u.protocol} URL (only http and https)`);
  }
  return u;
}

interface RawResponse {
  status: number;
  location: string | null;
  contentType: string | null;
  body: Buffer;
}

function requestOnce(u: URL, method: string, body: Buffer | undefined, opts: FetchOptions): Promise<RawResponse> {
  const signal = withTimeout(opts.signal, opts.timeoutMs);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const literalScope = isIP(host) ? addressScope(host) : null;
  if (literalScope && !scopeAllowed(literalScope, opts.allowScopes)) {
    return Promise.reject(new FetchError('refused-address', `refused to fetch from a ${literalScope} address (${host})`));
  }
  const guardedLookup: LookupFunction = (hostname, options, callback) => {
    const base = opts.lookup ?? (dnsLookup as unknown as LookupFunction);
    base(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = (Array.isArray(addresses) ? addresses : [{ address: addresses as unknown as string, family: 4 }]) as Array<{
        address: string;
        family: number;
      }>;
      const allowed = list.filter((a) => scopeAllowed(addressScope(a.address), opts.allowScopes));
      if (allowed.length === 0) {
        const scope = list[0] ? addressScope(list[0].address) : 'unknown';
        return callback(new FetchError('refused-address', `refused: ${hostname} resolves to a ${scope} address`) as NodeJS.ErrnoException, '', 0);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: typeof allowed) => void)(null, allowed);
      return callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
  return abortable(signal, (onAbort) =>
    new Promise<RawResponse>((resolve, reject) => {
      const mod = u.protocol === 'https:' ? https : http;
      const req = mod.request(
        u,
        {
          method,
          headers: {
            'user-agent': 'vpn-preflight',
            accept: '*/*',
            ...(body ? { 'content-length': String(body.length) } : {}),
            ...opts.headers,
          },
          lookup: guardedLookup,
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          // A declared length past the cap: stop before reading a byte of the body.
          const declared = Number(res.headers['content-length']);
          if (Number.isFinite(declared) && declared > opts.maxBytes && !(res.statusCode && res.statusCode >= 300 && res.statusCode < 400)) {
            req.destroy();
            res.destroy();
            reject(new FetchError('too-large', `the response from ${u.host} is ${declared} bytes, more than the ${opts.maxBytes}-byte limit`));
            return;
          }
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > opts.maxBytes) {
              req.destroy();
              res.destroy();
              reject(new FetchError('too-large', `the response from ${u.host} is larger than the ${opts.maxBytes}-byte limit; the download was stopped there`));
              return;
            }
            chunks.push(c);
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              location: typeof res.headers.location === 'string' ? res.headers.location : null,
              contentType: res.headers['content-type'] ?? null,
              body: Buffer.concat(chunks),
            }),
          );
          res.on('error', (e) => reject(new FetchError('network', e.message)));
        },
      );
      onAbort(() => req.destroy());
      req.on('error', (e) => reject(e instanceof FetchError ? e : new FetchError('network', e.message)));
      if (body) req.end(body);
      else req.end();
    }),
  ).catch((err: unknown) => {
    if (err instanceof FetchError) throw err;
    const name = (err as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'DeadlineError') {
      throw new FetchError('timeout', `no answer from ${u.host} in time`);
    }
    throw new FetchError('network', err instanceof Error ? err.message : String(err));
  });
}

/**
 * Only public addresses, unless the gateway itself sits in that scope: a certificate is
 * data from the network, and its URLs must not make this tool knock on the user's
 * router, the office LAN or this computer's own services.
 */
function scopeAllowed(scope: string, allow: ReadonlySet<string>): boolean {
  return scope === 'public' || allow.has(scope);
}

/** The address scopes a run may fetch OCSP, CRL and AIA URLs from: public, and the gateway's own. */
export function fetchScopesFor(gatewayAddress: string | null): ReadonlySet<string> {
  const scope = gatewayAddress ? addressScope(gatewayAddress) : 'public';
  return new Set(scope === 'public' || scope === 'unspecified' || scope === 'multicast' ? [] : [scope]);
}
