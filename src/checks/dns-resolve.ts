import { addressScope } from '../probes/dns';
import type { DnsAnswer } from '../probes/dns';
import type { Check, Outcome } from './types';
import { outcome, probeError } from './util';

export const dnsResolve: Check = {
  id: 'dns.resolve',
  needs: ['dns', 'reach'],
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
    const primary = primaryAnswer(d.system, d.direct, d.mode);
    const evidence = {
      mode: d.mode,
      system: d.system,
      direct: d.direct,
      addresses: d.addresses,
    };
    const resolved = primary && primary.error === null;
    if (!resolved) {
      const code = (primary?.error?.code ?? 'OTHER').toLowerCase();
      const params = { host, resolver: primary?.resolver === 'system' ? '@dns.system-resolver' : (primary?.resolver ?? '?'), detail: primary?.error?.message ?? '' };
      if (d.mode === 'connect-to') {
        return outcome('warn', 'unresolved-with-connect-to', 'dns.resolve.unresolved-with-connect-to', { ...params, address: facts.connectTo ?? '' }, {
          evidence,
          fixes: [{ id: 'dns.check-name' }, { id: 'dns.corporate-dns' }],
        });
      }
      return outcome('fail', code, `dns.resolve.${code === 'nxdomain' || code === 'servfail' || code === 'timeout' ? code : 'other'}` as 'dns.resolve.other', params, {
        evidence,
        fixes: code === 'nxdomain' ? [{ id: 'dns.check-name' }, { id: 'dns.corporate-dns' }] : [{ id: 'dns.network' }, { id: 'dns.corporate-dns' }],
      });
    }
    // Answers from two resolvers that share no address: split-horizon DNS, a hijacking resolver, or a stale entry.
    const answers = [d.system, ...d.direct].filter((a): a is DnsAnswer => a !== null);
    const ok = answers.filter((a) => a.error === null);
    const failedOnes = answers.filter((a) => a.error !== null);
    const addrSet = (a: DnsAnswer): Set<string> => new Set([...a.a, ...a.aaaa]);
    const disagree =
      (ok.length >= 2 && ok.some((a) => ![...addrSet(a)].some((x) => addrSet(ok[0]!).has(x)))) ||
      (ok.length >= 1 && failedOnes.length >= 1 && d.mode !== 'connect-to');
    const reach = facts.reach.status === 'ok' ? facts.reach.value : null;
    const connected = reach?.connected !== null && reach?.connected !== undefined;
    const nonPublic = d.addresses.filter((a) => addressScope(a) !== 'public');
    if (nonPublic.length > 0 && !connected && d.mode !== 'connect-to') {
      return outcome('warn', 'private-unreachable', 'dns.resolve.private-unreachable', { host, address: nonPublic[0]!, scope: `@scope.${addressScope(nonPublic[0]!)}` }, {
        evidence,
        fixes: [{ id: 'dns.corporate-dns' }],
      });
    }
    if (disagree) {
      const fmt = (a: DnsAnswer): string => (a.error ? a.error.code : [...a.a, ...a.aaaa].join(', '));
      return outcome('warn', 'resolvers-disagree', 'dns.resolve.resolvers-disagree', {
        host,
        system: d.system ? fmt(d.system) : '—',
        direct: d.direct.map((a) => `${a.resolver}: ${fmt(a)}`).join('; ') || '—',
      }, { evidence, fixes: [{ id: 'dns.corporate-dns' }] });
    }
    return outcome('pass', 'resolved', 'dns.resolve.resolved', {
      host,
      addresses: [...primary.a, ...primary.aaaa].join(', '),
      resolver: primary.resolver === 'system' ? '@dns.system-resolver' : primary.resolver,
      ms: Math.round(primary.ms),
    }, { evidence });
  },
};

function primaryAnswer(system: DnsAnswer | null, direct: readonly DnsAnswer[], mode: string): DnsAnswer | null {
  if (mode === 'dns-server') return direct.find((a) => a.error === null) ?? direct[0] ?? null;
  if (system && system.error === null) return system;
  return direct.find((a) => a.error === null) ?? system ?? direct[0] ?? null;
}
