import { proxyInUse } from './proxy-intercept';
import type { Check, Msg, Outcome } from './types';
import { outcome, probeError } from './util';

export const networkReach: Check = {
  id: 'network.reach',
  needs: ['reach', 'proxy'],
  dependsOn: ['dns.resolve'],
  evaluate({ facts }): Outcome {
    const err = probeError(facts.reach, 'fact.reach');
    if (err) return err;
    if (facts.reach.status !== 'ok') return outcome('skip', 'not-applicable', 'network.reach.no-address');
    const r = facts.reach.value;
    const evidence = { port: r.port, attempts: r.attempts, connected: r.connected };
    if (r.connected) {
      return outcome('pass', 'connected', 'network.reach.connected', { address: r.connected.address, port: r.port, ms: r.connected.rttMs }, { evidence });
    }
    const last = r.attempts[r.attempts.length - 1];
    if (!last) return outcome('skip', 'no-address', 'network.reach.no-address', {}, { evidence });
    const code = last.error?.code ?? 'other';
    const reason =
      code === 'ECONNREFUSED'
        ? 'refused'
        : code === 'timeout' || code === 'ETIMEDOUT'
          ? 'timeout'
          : code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL'
            ? 'unreachable'
            : code === 'ECONNRESET'
              ? 'reset'
              : 'other';
    // Networks that only let web traffic out through a proxy drop direct connections.
    const proxy = facts.proxy.status === 'ok' ? proxyInUse(facts.proxy.value) : null;
    const details: Msg[] = proxy ? [{ key: 'network.reach.proxy-hint', params: { proxy: proxy.display } }] : [];
    return outcome('fail', reason, `network.reach.${reason}` as 'network.reach.other', {
      address: last.address,
      port: r.port,
      detail: last.error?.message ?? '',
    }, { evidence, details, fixes: reason === 'refused' ? [{ id: 'reach.check-port' }, { id: 'reach.gateway-down' }] : [{ id: 'reach.network' }, { id: 'reach.firewall' }] });
  },
};
