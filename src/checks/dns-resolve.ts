import { addressScope } from '../address-scope';
import type { DnsAnswer } from '../probes/dns';
import { msgRef, type MsgParam } from '../fixes/i18n';
import type { Check, Msg, Outcome } from './types';
import { list, outcome, probeError } from './util';

const SYSTEM_RESOLVER = msgRef('dns.system-resolver');

export const dnsResolve: Check = {
  id: 'dns.resolve',
  needs: ['dns', 'reach', 'dnsConfig'],
  dependsOn: [],
  evaluate({ facts }): Outcome {
    const dns = facts.dns;
    const err = probeError(dns, 'fact.dns');
    if (err) return err;
    if (dns.status !== 'ok') return outcome('skip', 'not-applicable', 'dns.resolve.unsupported');
    const d = dns.value;
    const host = facts.target.displayHost;
    if (d.mode === 'ip-literal') {
      return outcome('pass', 'ip-literal', 'dns.resolve.ip-literal', { host });
    }
    const config = facts.dnsConfig;
    const configuredServers = config.status === 'ok' ? config.value.servers : null;
    const configured = d.configured ?? [];
    const evidence = {
      mode: d.mode,
      system: d.system,
      direct: d.direct,
      configured,
      addresses: d.addresses,
      configuredServers: config.status === 'ok' ? { servers: config.value.servers, searchDomains: config.value.searchDomains, stub: config.value.stub ?? null, source: config.value.evidence } : { status: config.status, detail: config.status === 'error' ? config.error.message : config.reason },
    };
    const details: Msg[] = [];
    for (const a of [d.system, ...d.direct, ...configured]) {
      if (a?.queries?.length) details.push({ key: 'dns.resolve.query-times', params: queryTimes(a) });
    }
    // No DNS server at all is worth saying whatever else happened: nothing but the hosts file can answer.
    const noServers = configuredServers !== null && configuredServers.length === 0;
    if (noServers) details.push({ key: 'dns.resolve.no-servers-detail' });
    const primary = primaryAnswer(d.system, d.direct, configured, d.mode, d.resolvedBy ?? null);
    const resolved = primary && primary.error === null;
    if (!resolved) {
      const code = (primary?.error?.code ?? 'OTHER').toLowerCase();
      const params = { host, resolver: primary?.resolver === 'system' ? SYSTEM_RESOLVER : (primary?.resolver ?? '?'), detail: primary?.error?.message ?? '' };
      if (d.mode === 'connect-to') {
        return outcome('warn', 'unresolved-with-connect-to', 'dns.resolve.unresolved-with-connect-to', { ...params, address: facts.connectTo ?? '' }, {
          evidence,
          details,
          fixes: [{ id: 'dns.check-name' }, { id: 'dns.corporate-dns' }],
        });
      }
      if (noServers && d.mode === 'system') {
        return outcome('fail', 'no-dns-servers', 'dns.resolve.no-servers', { host, detail: params.detail }, {
          evidence,
          details,
          fixes: [{ id: 'dns.network' }, { id: 'dns.no-servers' }],
        });
      }
      return outcome('fail', code, `dns.resolve.${code === 'nxdomain' || code === 'servfail' || code === 'timeout' ? code : 'other'}` as 'dns.resolve.other', params, {
        evidence,
        details,
        fixes: code === 'nxdomain' ? [{ id: 'dns.check-name' }, { id: 'dns.corporate-dns' }] : [{ id: 'dns.network' }, { id: 'dns.corporate-dns' }],
      });
    }
    // Answers from two resolvers that share no address: split-horizon DNS, a hijacking resolver, or a stale entry.
    const answers = [d.system, ...d.direct, ...configured].filter((a): a is DnsAnswer => a !== null);
    const ok = answers.filter((a) => a.error === null);
    // A server that merely did not answer contradicts no one; one that says NXDOMAIN does.
    // (A silent one is still worth saying: it may be the one AnyConnect's computer uses.)
    const CONTRADICTS = ['NXDOMAIN', 'SERVFAIL', 'REFUSED', 'NODATA'];
    const failedOnes = answers.filter((a) => a.error !== null && CONTRADICTS.includes(a.error.code));
    const silent = answers.filter((a) => a.error !== null && !CONTRADICTS.includes(a.error.code));
    if (ok.length >= 1 && silent.length > 0) {
      details.push({ key: 'dns.resolve.some-silent', params: { resolvers: list(silent.map((a) => (a.resolver === 'system' ? SYSTEM_RESOLVER : a.resolver))), code: silent[0]!.error!.code } });
    }
    const addrSet = (a: DnsAnswer): Set<string> => new Set([...a.a, ...a.aaaa]);
    const disagree =
      (ok.length >= 2 && ok.some((a) => ![...addrSet(a)].some((x) => addrSet(ok[0]!).has(x)))) ||
      (ok.length >= 1 && failedOnes.length >= 1 && d.mode !== 'connect-to');
    const reach = facts.reach.status === 'ok' ? facts.reach.value : null;
    const connected = reach?.connected !== null && reach?.connected !== undefined;
    const nonPublic = d.addresses.filter((a) => addressScope(a) !== 'public');
    if (nonPublic.length > 0 && !connected && d.mode !== 'connect-to') {
      return outcome('warn', 'private-unreachable', 'dns.resolve.private-unreachable', { host, address: nonPublic[0]!, scope: msgRef(`scope.${addressScope(nonPublic[0]!)}`) }, {
        evidence,
        details,
        fixes: [{ id: 'dns.corporate-dns' }],
      });
    }
    if (disagree) {
      const fmt = (a: DnsAnswer): string => (a.error ? a.error.code : [...a.a, ...a.aaaa].join(', '));
      return outcome('warn', 'resolvers-disagree', 'dns.resolve.resolvers-disagree', {
        host,
        system: d.system ? fmt(d.system) : '—',
        direct: [...d.direct, ...configured].map((a) => `${a.resolver}: ${fmt(a)}`).join('; ') || '—',
      }, { evidence, details, fixes: [{ id: 'dns.network' }, { id: 'dns.corporate-dns' }] });
    }
    if (noServers && d.mode === 'system') {
      return outcome('warn', 'no-dns-servers', 'dns.resolve.resolved-without-servers', {
        host,
        addresses: list([...primary.a, ...primary.aaaa]),
      }, { evidence, details, fixes: [{ id: 'dns.no-servers' }] });
    }
    const privateAnswer = nonPublic.find((a) => addressScope(a) === 'private' || addressScope(a) === 'cgnat');
    if (privateAnswer) details.push({ key: 'dns.resolve.private-reachable', params: { address: privateAnswer } });
    return outcome('pass', 'resolved', 'dns.resolve.resolved', {
      host,
      addresses: list([...primary.a, ...primary.aaaa]),
      resolver: primary.resolver === 'system' ? SYSTEM_RESOLVER : primary.resolver,
      ms: Math.round(primary.ms),
    }, { evidence, details });
  },
};

/**
 * Whose answer decides. With --dns-server, the one whose addresses were used (the first to
 * answer), else the first of those that answered in the order given; otherwise the
 * system resolver — but when it failed, a configured server asked directly tells what
 * kind of failure it was (getaddrinfo reports SERVFAIL and a timeout alike).
 */
function primaryAnswer(system: DnsAnswer | null, direct: readonly DnsAnswer[], configured: readonly DnsAnswer[], mode: string, resolvedBy: string | null): DnsAnswer | null {
  if (mode === 'dns-server') return direct.find((a) => a.error === null && a.resolver === resolvedBy) ?? direct.find((a) => a.error === null) ?? direct[0] ?? null;
  if (system && system.error === null) return system;
  const telling = configured.find((a) => a.error && a.error.code !== 'UNREACHABLE' && a.error.code !== 'OTHER');
  if (system && (system.error?.code === 'UNREACHABLE' || system.error?.code === 'OTHER') && telling) return telling;
  return system ?? direct.find((a) => a.error === null) ?? direct[0] ?? null;
}

function queryTimes(a: DnsAnswer): { resolver: string | MsgParam; a: string | MsgParam; aaaa: string | MsgParam } {
  const show = (type: 'A' | 'AAAA'): string | MsgParam => {
    const q = a.queries?.find((x) => x.type === type);
    if (!q) return '—';
    const what = q.error ? q.error.code : q.addresses.join(', ') || '—';
    return { key: 'dns.resolve.query-time', params: { what, ms: Math.round(q.ms) } };
  };
  return { resolver: a.resolver === 'system' ? SYSTEM_RESOLVER : a.resolver, a: show('A'), aaaa: show('AAAA') };
}
