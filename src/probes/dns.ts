import { lookup as systemLookup, Resolver } from 'node:dns';
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
 * The OS resolver's lookup of one family says ENOTFOUND both when the name does not exist
 * and when it only has no address of that family (getaddrinfo folds EAI_NODATA into
 * EAI_NONAME; Node calls both ENOTFOUND). When another family found addresses, the name
 * exists: that family has no record (NODATA). Otherwise NXDOMAIN stands — a mistyped name
 * on a network that drops AAAA queries is still a name that does not exist. Direct
 * queries need none of this: the DNS answer itself tells NXDOMAIN from NODATA.
 */
function systemFamilyErrors(queries: readonly DnsQuery[]): DnsQuery[] {
  if (!queries.some((q) => q.addresses.length > 0)) return [...queries];
  return queries.map((q) => (q.error?.code === 'NXDOMAIN' ? { ...q, error: { code: 'NODATA', message: `NODATA: the name has no ${q.type} record` } } : q));
}

function combine(resolver: string, queries: readonly DnsQuery[], ms: number): DnsAnswer {
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
  return abortable(signal, async () => combine('system', systemFamilyErrors(await Promise.all([one('A'), one('AAAA')])), elapsed(start))).catch(
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
