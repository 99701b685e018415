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
  /** Each query on its own: A and AAAA are asked in parallel, and each takes its own time. */
  readonly queries?: readonly DnsQuery[];
}

export interface DnsQuery {
  readonly type: 'A' | 'AAAA';
  readonly addresses: readonly string[];
  readonly error: { readonly code: DnsErrorCode; readonly message: string } | null;
  readonly ms: number;
}

/** When both queries fail, the more telling error wins (NXDOMAIN over NODATA, SERVFAIL over TIMEOUT). */
const ERROR_ORDER: readonly DnsErrorCode[] = ['NXDOMAIN', 'SERVFAIL', 'REFUSED', 'BADRESP', 'TIMEOUT', 'UNREACHABLE', 'NODATA', 'OTHER'];

/**
 * A lookup of one family that finds nothing says ENOTFOUND both when the name does not
 * exist and when it only has no address of that family (getaddrinfo folds EAI_NODATA into
 * EAI_NONAME; Node calls both ENOTFOUND). The name does not exist (NXDOMAIN) only when
 * every family says so; otherwise that family has no record (NODATA).
 */
function familyErrors(queries: readonly DnsQuery[]): DnsQuery[] {
  if (queries.every((q) => q.error?.code === 'NXDOMAIN')) return [...queries];
  return queries.map((q) => (q.error?.code === 'NXDOMAIN' ? { ...q, error: { code: 'NODATA', message: `NODATA: the name has no ${q.type} record` } } : q));
}

function combine(resolver: string, answered: readonly DnsQuery[], ms: number): DnsAnswer {
  const queries = familyErrors(answered);
  const a = queries.find((q) => q.type === 'A')?.addresses ?? [];
  const aaaa = queries.find((q) => q.type === 'AAAA')?.addresses ?? [];
  if (a.length || aaaa.length) return { resolver, a, aaaa, error: null, ms, queries };
  const errs = queries.flatMap((q) => (q.error ? [q.error] : [])).sort((x, y) => ERROR_ORDER.indexOf(x.code) - ERROR_ORDER.indexOf(y.code));
  return { resolver, a: [], aaaa: [], error: errs[0] ?? { code: 'NODATA', message: 'no A or AAAA records' }, ms, queries };
}

export type DnsErrorCode = 'NXDOMAIN' | 'SERVFAIL' | 'TIMEOUT' | 'REFUSED' | 'NODATA' | 'BADRESP' | 'UNREACHABLE' | 'OTHER';

/**
 * Asks the OS resolver (what AnyConnect and browsers use) for IPv4 and IPv6 addresses,
 * as two lookups so each has its own time and its own error. getaddrinfo cannot tell
 * SERVFAIL from a timeout (both are EAI_AGAIN); the direct queries can.
 */
export function resolveSystem(host: string, signal: AbortSignal): Promise<DnsAnswer> {
  const start = performance.now();
  const one = (type: 'A' | 'AAAA'): Promise<DnsQuery> => {
    const t0 = performance.now();
    return new Promise<DnsQuery>((resolve) => {
      systemLookup(host, { all: true, family: type === 'A' ? 4 : 6 }, (err, addresses) => {
        const ms = elapsed(t0);
        if (err) resolve({ type, addresses: [], error: classify(err), ms });
        else resolve({ type, addresses: addresses.map((x) => x.address), error: null, ms });
      });
    });
  };
  return abortable(signal, async () => combine('system', await Promise.all([one('A'), one('AAAA')]), elapsed(start))).catch(
    (err: unknown) => ({ resolver: 'system', a: [], aaaa: [], error: classify(err), ms: elapsed(start) }),
  );
}

/** Asks one DNS server directly for A and AAAA (in parallel). */
export function resolveDirect(host: string, server: string, timeoutMs: number, signal: AbortSignal): Promise<DnsAnswer> {
  const start = performance.now();
  const resolver = new Resolver({ timeout: Math.max(50, Math.round(timeoutMs)), tries: 1 });
  resolver.setServers([server]);
  const q = (type: 'A' | 'AAAA'): Promise<DnsQuery> => {
    const t0 = performance.now();
    return new Promise((resolve) => {
      const cb = (err: NodeJS.ErrnoException | null, addrs: string[]): void =>
        resolve(err ? { type, addresses: [], error: classify(err), ms: elapsed(t0) } : { type, addresses: addrs, error: null, ms: elapsed(t0) });
      if (type === 'A') resolver.resolve4(host, cb);
      else resolver.resolve6(host, cb);
    });
  };
  return abortable(signal, async (onAbort) => {
    onAbort(() => resolver.cancel());
    return combine(server, await Promise.all([q('A'), q('AAAA')]), elapsed(start));
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

/** One spelling of an IPv6 address (zeros compressed, lower case), as URL parsing writes it. */
function canonicalV6(ip: string): string {
  try {
    return new URL(`http://[${ip.replace(/%.*$/, '')}]/`).hostname.slice(1, -1);
  } catch {
    return ip.toLowerCase();
  }
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
    const x = canonicalV6(ip);
    if (x === '::' ) return 'unspecified';
    if (x === '::1') return 'loopback';
    // IPv4-mapped (::ffff:a.b.c.d, which URL parsing writes as ::ffff:7f00:1): the IPv4
    // address is what a dual-stack socket connects to.
    // The deprecated IPv4-compatible form (::a.b.c.d) is judged the same way, to be safe.
    const mapped = /^::(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/.exec(x) ?? /^::(?:ffff:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(x);
    if (mapped) {
      if (mapped[2] === undefined) return addressScope(mapped[1]!);
      const hi = parseInt(mapped[1]!, 16);
      const lo = parseInt(mapped[2], 16);
      return addressScope(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
    }
    if (/^fe[89ab]/.test(x)) return 'link-local';
    if (/^f[cd]/.test(x)) return 'private';
    if (/^ff/.test(x)) return 'multicast';
    return 'public';
  }
  return 'public';
}
