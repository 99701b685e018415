import { shortName } from '../pki/names';
import { chainOrOutcome, isOutcome, nameOf } from './cert-common';
import type { Check, FixRef, Outcome } from './types';
import { outcome } from './util';

export const certTrust: Check = {
  id: 'cert.trust',
  needs: ['tls', 'trustStore', 'aia'],
  dependsOn: ['network.reach'],
  evaluate(ctx): Outcome {
    const chain = chainOrOutcome(ctx);
    if (isOutcome(chain)) return chain;
    const store = ctx.facts.trustStore;
    if (store.status === 'error') {
      return outcome('error', 'no-trust-store', 'cert.trust.no-trust-store', { detail: store.error.message }, { evidence: { error: store.error } });
    }
    const stores = store.status === 'ok' ? store.value.sources.map((s) => ({ id: s.store.id, label: s.store.label, count: s.count, error: s.error })) : [];
    if (store.status === 'unsupported' || stores.every((s) => s.count === 0)) {
      return outcome('error', 'no-trust-store', 'cert.trust.no-trust-store', { detail: store.status === 'unsupported' ? store.reason : 'no certificates found' }, { evidence: { stores } });
    }
    const path = chain.path!;
    const last = path.nodes[path.nodes.length - 1]!.cert;
    const evidence = {
      pathEnd: path.end,
      anchor: path.anchor ? { subject: path.anchor.cert.subject.text, fingerprintSha256: path.anchor.cert.fingerprintSha256, stores: path.anchor.entries.map((e) => e.store.label) } : null,
      stores,
    };
    const fixes: FixRef[] = [{ id: 'trust.install-root' }, { id: 'admin.public-ca' }];
    switch (path.end) {
      case 'anchor': {
        const labels = [...new Set(path.anchor!.entries.map((e) => e.store.label))].join(', ');
        return outcome('pass', 'trusted', 'cert.trust.trusted', { anchor: nameOf(path.anchor!.cert), store: labels }, { evidence });
      }
      case 'distrusted': {
        const entries = path.anchor?.entries.filter((e) => e.trust === 'distrusted') ?? [];
        return outcome('fail', 'distrusted', 'cert.trust.distrusted', {
          name: nameOf(path.anchor?.cert ?? last),
          store: entries.map((e) => e.store.label).join(', ') || '?',
        }, { evidence, fixes: [{ id: 'trust.remove-distrust' }, { id: 'admin.public-ca' }] });
      }
      case 'self-signed':
        if (path.nodes.length === 1) {
          return outcome('fail', 'self-signed', 'cert.trust.self-signed', { name: nameOf(last) }, {
            evidence,
            fixes: [{ id: 'admin.public-ca' }, { id: 'trust.install-root' }],
          });
        }
        return outcome('fail', 'unknown-root', 'cert.trust.unknown-root', { root: nameOf(last) }, { evidence, fixes });
      case 'issuer-not-found':
        return outcome('fail', 'unknown-issuer', 'cert.trust.unknown-issuer', { issuer: shortName(last.issuer) }, { evidence, fixes });
      default:
        return outcome('fail', 'broken-chain', 'cert.trust.broken-chain', { name: nameOf(last) }, { evidence, fixes: [{ id: 'admin.fix-chain' }] });
    }
  },
};
