import { lookup as systemLookup, Resolver } from 'node:dns';
import { isIP } from 'node:net';
import { abortable } from '../deadline';
import { errorCode, errorMessage } from '../errors';

/** What one resolver said about the gateway name. */
export interface DnsAnswer {
  /** `system` (the OS resolver, getaddrinfo) or the server queried, `ip:port`. */
  readonly resolver: string;
  readonly a: readonly string[];
  readonly aaaa: readonly string[];
  /** NXDOMAIN, SERVFAIL, TIMEOUT, REFUSED, NODATA, BADRESP, or the OS code. */
  readonly error: { readonly code: DnsErrorCode; readonly message: string } | null;
  readonly ms: number;
}

export type DnsErrorCode = 'NXDOMAIN' | 'SERVFAIL' | 'TIMEOUT' | 'REFUSED' | 'NODATA' | 'BADRESP' | 'UNREACHABLE' | 'OTHER';

/** Asks the OS resolver (what AnyConnect and browsers use). */
export function resolveSystem(host: string, signal: AbortSignal): Promise<DnsAnswer> {
  const start = performance.now();
  return abortable(signal, () =>
    new Promise<DnsAnswer>((resolve) => {
      systemLookup(host, { all: true, verbatim: true }, (err, addresses) => {
        const ms = elapsed(start);
        if (err) {
          resolve({ resolver: 'system', a: [], aaaa: [], error: classify(err), ms });
          return;
        }
        resolve({
          resolver: 'system',
          a: addresses.filter((x) => x.family === 4).map((x) => x.address),
          aaaa: addresses.filter((x) => x.family === 6).map((x) => x.address),
          error: null,
          ms,
        });
      });
    }),
  ).catch((err: unknown) => ({ resolver: 'system', a: [], aaaa: [], error: classify(err), ms: elapsed(start) }));
}

/** Asks one DNS server directly for A and AAAA (in parallel). */
export function resolveDirect(host: string, server: string, timeoutMs: number, signal: AbortSignal): Promise<DnsAnswer> {
  const start = performance.now();
  const resolver = new Resolver({ timeout: Math.max(50, Math.round(timeoutMs)), tries: 1 });
  resolver.setServers([server]);
  const q = (rrtype: 'A' | 'AAAA'): Promise<string[]> =>
    new Promise((resolve, reject) => {
      const cb = (err: NodeJS.ErrnoException | null, addrs: string[]): void => (err ? reject(err) : resolve(addrs));
      if (rrtype === 'A') resolver.resolve4(host, cb);
      else resolver.resolve6(host, cb);
    });
  return abortable(signal, async (onAbort) => {
    onAbort(() => resolver.cancel());
    const [a, aaaa] = await Promise.allSettled([q('A'), q('AAAA')]);
    const ms = elapsed(start);
    const okA = a.status === 'fulfilled' ? a.value : [];
    const okAAAA = aaaa.status === 'fulfilled' ? aaaa.value : [];
    if (okA.length || okAAAA.length) return { resolver: server, a: okA, aaaa: okAAAA, error: null, ms };
    // Both empty: the more telling error wins (NXDOMAIN over NODATA, SERVFAIL over TIMEOUT).
    const errs = [a, aaaa].flatMap((r) => (r.status === 'rejected' ? [classify(r.reason)] : []));
    const order: DnsErrorCode[] = ['NXDOMAIN', 'SERVFAIL', 'REFUSED', 'BADRESP', 'TIMEOUT', 'UNREACHABLE', 'NODATA', 'OTHER'];
    errs.sort((x, y) => order.indexOf(x.code) - order.indexOf(y.code));
    return { resolver: server, a: [], aaaa: [], error: errs[0] ?? { code: 'NODATA', message: 'no A or AAAA records' }, ms };
  }).catch((err: unknown) => {
    resolver.cancel();
    return { resolver: server, a: [], aaaa: [], error: classify(err), ms: elapsed(start) };
  });
}

function classify(err: unknown): { code: DnsErrorCode; message: string } {
  const code = errorCode(err);
  const message = errorMessage(err);
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_NONAME':
      return { code: 'NXDOMAIN', message: 'NXDOMAIN: the name does not exist' };
    case 'ESERVFAIL':
      return { code: 'SERVFAIL', message: 'SERVFAIL: the DNS server failed to answer' };
    case 'ETIMEOUT':
    case 'timeout':
      return { code: 'TIMEOUT', message: 'no answer in time' };
    case 'EREFUSED':
      return { code: 'REFUSED', message: 'REFUSED: the DNS server refused the query' };
    case 'ENODATA':
      return { code: 'NODATA', message: 'NODATA: the name has no address record' };
    case 'EBADRESP':
    case 'EFORMERR':
    case 'EBADNAME':
      return { code: 'BADRESP', message: `the DNS answer was malformed (${code})` };
    case 'ECONNREFUSED':
    case 'EAI_AGAIN':
      return { code: 'UNREACHABLE', message: code === 'EAI_AGAIN' ? 'the DNS server could not be reached (EAI_AGAIN)' : 'the DNS server could not be reached' };
    default:
      return { code: 'OTHER', message: `${code}: ${message}` };
  }
}

function elapsed(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}

/** Is this an address on a private, loopback, link-local or CGNAT range? */
export function addressScope(ip: string): 'public' | 'private' | 'loopback' | 'link-local' | 'cgnat' | 'unspecified' | 'multicast' {
  const v = isIP(ip);
  if (v === 4) {
    const [a = 0, b = 0] = ip.split('.').map(Number);
    if (a === 0) return 'unspecified';
    if (a === 127) return 'loopback';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
    if (a === 169 && b === 254) return 'link-local';
    if (a === 100 && b >= 64 && b <= 127) return 'cgnat';
    if (a >= 224 && a <= 239) return 'multicast';
    return 'public';
  }
  if (v === 6) {
    const x = ip.toLowerCase();
    if (x === '::' ) return 'unspecified';
    if (x === '::1') return 'loopback';
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(x);
    if (mapped) return addressScope(mapped[1]!);
    if (/^fe[89ab]/.test(x)) return 'link-local';
    if (/^f[cd]/.test(x)) return 'private';
    if (/^ff/.test(x)) return 'multicast';
    return 'public';
  }
  return 'public';
}
