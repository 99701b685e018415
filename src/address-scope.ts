/** What kind of network an address belongs to: facts for the probes, the checks and redaction alike. */
import { isIP } from 'node:net';

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
    if (x === '::') return 'unspecified';
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
