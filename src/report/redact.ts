import { isIP } from 'node:net';
import { addressScope } from '../address-scope';
import type { Report } from './model';

/** What identifies the person and the computer, known to the run. */
export interface Sensitive {
  readonly userNames: readonly string[];
  readonly hostnames: readonly string[];
  readonly homeDirs: readonly string[];
  /** This computer's own interface addresses. */
  readonly localAddresses: readonly string[];
  /** Windows compares user names and paths without case. */
  readonly caseInsensitive: boolean;
}

type Kind = 'user' | 'computer' | 'home' | 'address';

/**
 * Account and computer names that identify nobody and are also ordinary words of the
 * report ("the root certificate"): replacing them would garble it, hiding them protects no one.
 */
const GENERIC_NAMES = new Set(['root', 'admin', 'administrator', 'user', 'guest', 'test', 'ubuntu', 'debian', 'pi', 'vagrant', 'localhost', 'system']);

/**
 * `--redact`: replaces the user name, the computer name, home folders and local or
 * private addresses in every string of a report (summaries, evidence, the trail) with
 * placeholders. The same value always gets the same placeholder, across all reports of
 * a run and so across every format rendered from them. The gateway (its name and its
 * own addresses) and the certificates stay: they are what the helpdesk must see.
 * Loopback addresses identify nobody and stay too.
 */
export class Redactor {
  private readonly placeholders = new Map<string, string>();
  private readonly counters = new Map<Kind, number>();

  constructor(private readonly sensitive: Sensitive) {}

  redact(report: Report): Report {
    const s = this.sensitive;
    const scrub = this.scrubber({
      keepAddresses: [...report.gateway.addresses, report.gateway.connectTo ?? '', isIP(report.gateway.host) ? report.gateway.host : ''],
      protectedTexts: [
        report.gateway.host,
        report.gateway.input,
        report.gateway.url,
        ...report.certificates.flatMap((c) => [c.subject, c.issuer, ...c.subjectAltNames.map((n) => n.replace(/^(DNS|IP):/, ''))]),
      ],
      userName: report.machine.userName,
      hostname: report.machine.hostname,
    });

    const walk = (v: unknown, key: string | null): unknown => {
      if (typeof v === 'string') return scrub(v);
      if (Array.isArray(v)) return v.map((x) => walk(x, key));
      if (v instanceof Uint8Array || v === null || typeof v !== 'object') return v;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = walk(x, k);
      return out;
    };
    const hostname = report.machine.hostname;
    const userName = report.machine.userName;
    const out: Record<string, unknown> = {};
    // Same keys, same order: a redacted JSON report reads like any other.
    for (const [key, value] of Object.entries(report)) {
      switch (key) {
        case 'certificates':
          // The certificates stay; where this computer keeps them (a path in a home folder) does not.
          out[key] = report.certificates.map((c) => ({ ...c, stores: c.stores.map(scrub), fetchedFrom: c.fetchedFrom === null ? null : scrub(c.fetchedFrom) }));
          break;
        case 'path':
          out[key] = value;
          break;
        case 'gateway':
          out[key] = { ...report.gateway, origin: scrub(report.gateway.origin) };
          break;
        case 'machine':
          out[key] = {
            ...(walk(value, key) as Report['machine']),
            hostname: hostname ? this.placeholder('computer', `computer:${hostname.toLowerCase()}`) : '',
            userName: userName ? this.placeholder('user', `user:${s.caseInsensitive ? userName.toLowerCase() : userName}`) : '',
          };
          break;
        case 'redacted':
          out[key] = true;
          break;
        default:
          out[key] = walk(value, key);
      }
    }
    return out as unknown as Report;
  }

  /**
   * One line of text outside a report (the --log-file and --verbose lines), with the same
   * placeholders: the gateway's name and addresses stay, as in the report.
   */
  redactText(text: string, gateway: { readonly host: string; readonly addresses: readonly string[] }): string {
    return this.scrubber({ keepAddresses: [...gateway.addresses, isIP(gateway.host) ? gateway.host : ''], protectedTexts: [gateway.host], userName: '', hostname: '' })(text);
  }

  private scrubber(ctx: { keepAddresses: readonly string[]; protectedTexts: readonly string[]; userName: string; hostname: string }): (text: string) => string {
    const s = this.sensitive;
    const keepAddresses = new Set(ctx.keepAddresses.filter(Boolean).map(normIp));
    const protectedTexts = ctx.protectedTexts.filter((x) => x.length > 0);
    const personal = (n: string): boolean => n.length >= 2 && !GENERIC_NAMES.has(n.toLowerCase());
    const userNames = unique([...s.userNames, ctx.userName]).filter(personal);
    const hostnames = unique([...s.hostnames, ctx.hostname].flatMap((n) => [n, n.split('.')[0] ?? n])).filter(personal);
    const homeDirs = unique(s.homeDirs).filter((d) => d.length > 1 && d !== '/' && !/^[A-Za-z]:\\?$/.test(d));
    const localAddresses = new Set(s.localAddresses.map(normIp));
    const flags = s.caseInsensitive ? 'gi' : 'g';

    const rules: Array<{ re: RegExp; kind: Kind; key: (m: string) => string }> = [];
    for (const d of homeDirs.sort((a, b) => b.length - a.length)) {
      // A home folder as written with either slash, then the generic shapes of others' homes.
      const variants = unique([d, d.replace(/\\/g, '/'), d.replace(/\//g, '\\')]);
      for (const v of variants) rules.push({ re: new RegExp(escapeRe(v), s.caseInsensitive ? 'gi' : 'g'), kind: 'home', key: () => `home:${norm(d)}` });
    }
    rules.push({ re: /(?<![\w.-])(?:\/home\/|\/Users\/|[A-Za-z]:\\Users\\|[A-Za-z]:\/Users\/)[^\s/\\"'<>,;:)]+/g, kind: 'home', key: (m) => `home:${norm(m)}` });
    for (const n of hostnames.sort((a, b) => b.length - a.length)) {
      rules.push({ re: new RegExp(`(?<![\\w-])${escapeRe(n)}(?![\\w-])`, 'gi'), kind: 'computer', key: () => `computer:${n.toLowerCase()}` });
    }
    for (const u of userNames.sort((a, b) => b.length - a.length)) {
      rules.push({ re: new RegExp(`(?<![\\w-])${escapeRe(u)}(?![\\w-])`, flags), kind: 'user', key: () => `user:${s.caseInsensitive ? u.toLowerCase() : u}` });
    }

    return (text: string): string =>
      mapOutside(text, protectedTexts, (gap) => {
        let out = gap;
        for (const r of rules) out = out.replace(r.re, (m) => this.placeholder(r.kind, r.key(m)));
        const address = (m: string): string => {
          const bare = m.replace(/%[\w.-]+$/, '');
          if (!isIP(bare)) return m;
          const ip = normIp(bare);
          if (keepAddresses.has(ip)) return m;
          const scope = addressScope(bare);
          if (scope === 'loopback' || scope === 'unspecified') return m;
          if (scope === 'public' && !localAddresses.has(ip)) return m;
          return this.placeholder('address', `address:${ip}`);
        };
        return out.replace(IPV4, address).replace(IPV6, address);
      });

  }

  private placeholder(kind: Kind, key: string): string {
    let p = this.placeholders.get(key);
    if (!p) {
      const n = (this.counters.get(kind) ?? 0) + 1;
      this.counters.set(kind, n);
      p = n === 1 ? `[${kind}]` : `[${kind}-${n}]`;
      this.placeholders.set(key, p);
    }
    return p;
  }
}

/** Address candidates (a port or a full stop may follow), each confirmed with isIP. */
const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\.?\d)/g;
const IPV6 = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?(?:%[\w.-]+)?(?![\w:])/g;

function normIp(ip: string): string {
  return ip.toLowerCase().replace(/^::ffff:/, '');
}

function norm(s: string): string {
  return s.toLowerCase().replace(/\\/g, '/');
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list.filter((x) => x && x.trim()))];
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Applies `fn` to the parts of `text` outside every occurrence of the protected strings. */
function mapOutside(text: string, protectedTexts: readonly string[], fn: (gap: string) => string): string {
  const hits: Array<[number, number]> = [];
  for (const p of protectedTexts) {
    let i = text.indexOf(p);
    while (i >= 0) {
      hits.push([i, i + p.length]);
      i = text.indexOf(p, i + p.length);
    }
  }
  if (hits.length === 0) return fn(text);
  hits.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let pos = 0;
  for (const [a, b] of hits) {
    if (b <= pos) continue;
    if (a > pos) out += fn(text.slice(pos, a));
    out += text.slice(Math.max(a, pos), b);
    pos = b;
  }
  return out + fn(text.slice(pos));
}
