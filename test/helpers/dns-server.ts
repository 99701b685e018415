/**
 * A DNS server on loopback (UDP) for the tests: answers A/AAAA from a table, and can
 * answer NXDOMAIN, SERVFAIL, nothing at all, or misbehave on purpose.
 */
import * as dgram from 'node:dgram';
import * as dnsPacket from 'dns-packet';
import type { Running } from './servers';

type OneBehaviour =
  | { readonly a?: readonly string[]; readonly aaaa?: readonly string[]; readonly cname?: string }
  | 'NXDOMAIN'
  | 'SERVFAIL'
  | 'REFUSED'
  | 'SILENT'
  | 'TRUNCATED'
  | 'MALFORMED'
  /** 200 A records, all loopback: 127.0.0.1 to 127.0.0.200. */
  | 'HUGE'
  /** An answer whose CNAMEs point at each other (name → name.loop → name) and no address. */
  | 'CNAME-LOOP';

/** One behaviour for every query of the name, or one per query type (a type not named gets an empty answer). */
export type DnsBehaviour = OneBehaviour | { readonly byType: Readonly<Partial<Record<'A' | 'AAAA', OneBehaviour>>> };

export interface DnsServer extends Running {
  readonly address: string;
  readonly queries: string[];
  /** Lets the process exit while the server still listens. */
  unref(): void;
}

export async function startDnsServer(zone: Readonly<Record<string, DnsBehaviour>>): Promise<DnsServer> {
  const sock = dgram.createSocket('udp4');
  const queries: string[] = [];
  sock.on('message', (msg, rinfo) => {
    let q: dnsPacket.Packet;
    try {
      q = dnsPacket.decode(msg);
    } catch {
      return;
    }
    const question = q.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    queries.push(`${question.type} ${name}`);
    const named = zone[name];
    const rule: OneBehaviour | undefined = typeof named === 'object' && 'byType' in named ? (named.byType[question.type as 'A' | 'AAAA'] ?? {}) : named;
    // dns-packet encodes the response code only through the low four bits of `flags`.
    const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;
    const reply = (p: Partial<dnsPacket.Packet>, rcode: keyof typeof RCODE = 'NOERROR'): void => {
      const flags = (p.flags ?? dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE) | RCODE[rcode];
      const buf = dnsPacket.encode({ id: q.id, type: 'response', questions: q.questions, ...p, flags } as dnsPacket.Packet);
      sock.send(buf, rinfo.port, rinfo.address);
    };
    if (rule === undefined || rule === 'NXDOMAIN') return reply({}, 'NXDOMAIN');
    if (rule === 'SERVFAIL') return reply({}, 'SERVFAIL');
    if (rule === 'REFUSED') return reply({}, 'REFUSED');
    if (rule === 'SILENT') return;
    if (rule === 'MALFORMED') {
      sock.send(Buffer.concat([msg.subarray(0, 2), Buffer.from([0x81, 0x80, 0, 1, 0, 5, 0, 0, 0, 0, 0xff, 0xff])]), rinfo.port, rinfo.address);
      return;
    }
    if (rule === 'TRUNCATED') {
      return reply({ flags: dnsPacket.TRUNCATED_RESPONSE | dnsPacket.RECURSION_AVAILABLE } as Partial<dnsPacket.Packet>);
    }
    if (rule === 'CNAME-LOOP') {
      const answers = [
        { type: 'CNAME' as const, name: question.name, ttl: 60, data: `loop.${question.name}` },
        { type: 'CNAME' as const, name: `loop.${question.name}`, ttl: 60, data: question.name },
      ];
      return reply({ answers } as Partial<dnsPacket.Packet>);
    }
    if (rule === 'HUGE') {
      const answers = Array.from({ length: 200 }, (_, i) => ({ type: 'A' as const, name: question.name, ttl: 60, data: `127.0.${(i + 1) >> 8}.${(i + 1) & 255}` }));
      return reply({ answers } as Partial<dnsPacket.Packet>);
    }
    const answers: dnsPacket.Answer[] = [];
    if (rule.cname) answers.push({ type: 'CNAME', name: question.name, ttl: 60, data: rule.cname } as dnsPacket.Answer);
    if (question.type === 'A') for (const a of rule.a ?? []) answers.push({ type: 'A', name: rule.cname ?? question.name, ttl: 60, data: a });
    if (question.type === 'AAAA') for (const a of rule.aaaa ?? []) answers.push({ type: 'AAAA', name: rule.cname ?? question.name, ttl: 60, data: a });
    reply({ answers } as Partial<dnsPacket.Packet>);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const port = sock.address().port;
  return {
    port,
    address: `127.0.0.1:${port}`,
    queries,
    unref: () => void sock.unref(),
    close: () => new Promise<void>((resolve) => sock.close(() => resolve())),
  };
}

let hostsLike: Promise<DnsServer> | null = null;

/**
 * One loopback DNS server per test file that answers as a hosts file does: localhost is
 * 127.0.0.1, every other name NXDOMAIN. It is every run's `systemDns` unless the test names
 * another (runCli, the single binaries) and the jest worker's own (in-process-dns.ts): it
 * stands in for this computer's resolver, so no lookup leaves the machine. Started on
 * first use; it never keeps the process alive.
 */
export function hostsLikeDns(): Promise<string> {
  hostsLike ??= startDnsServer({ localhost: { a: ['127.0.0.1'] } }).then((s) => {
    s.unref();
    return s;
  });
  return hostsLike.then((s) => s.address);
}
