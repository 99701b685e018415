import { shortName } from '../pki/names';
import type { StoreEntry, StoreRef } from '../pki/trust-store';
import { chainOrOutcome, isOutcome, nameOf, storeName } from './cert-common';
import type { Check, FixRef, Msg, Outcome } from './types';
import { factReason, list, outcome, technical } from './util';

export const certTrust: Check = {
  id: 'cert.trust',
  needs: ['tls', 'trustStore', 'aia'],
  dependsOn: ['network.reach'],
  evaluate(ctx): Outcome {
    const chain = chainOrOutcome(ctx);
    if (isOutcome(chain)) return chain;
    const store = ctx.facts.trustStore;
    if (store.status === 'error') {
      return outcome('error', 'no-trust-store', 'cert.trust.no-trust-store', { detail: technical(store.error.message) }, { evidence: { error: store.error } });
    }
    const stores =
      store.status === 'ok'
        ? store.value.sources.map((s) => ({ id: s.store.id, label: s.store.label, count: s.count, error: s.error, purpose: s.purpose ?? null }))
        : [];
    if (store.status === 'unsupported' || stores.every((s) => s.count === 0)) {
      return outcome('error', 'no-trust-store', 'cert.trust.no-trust-store', { detail: store.status === 'unsupported' ? factReason(store) : { key: 'cert.trust.store-empty' } }, { evidence: { stores } });
    }
    const path = chain.path!;
    const last = path.nodes[path.nodes.length - 1]!;
    const evidence = {
      pathEnd: path.end,
      anchor: path.anchor
        ? {
            subject: path.anchor.cert.subject.text,
            fingerprintSha256: path.anchor.cert.fingerprintSha256,
            stores: path.anchor.entries.map((e) => e.store.label),
            distrustedIn: path.anchor.entries.filter((e) => e.trust === 'distrusted').map((e) => e.store.label),
          }
        : null,
      // Where the last certificate of the path sits without being an anchor (a root in the wrong store).
      heldWithoutTrust: last.storeEntries.filter((e) => e.role === 'intermediate').map((e) => e.store.label),
      stores,
      notes: store.status === 'ok' ? (store.value.notes ?? []) : [],
    };
    const fixes: FixRef[] = [{ id: 'trust.install-root' }, { id: 'admin.public-ca' }];
    // Windows fetches roots of Microsoft's root program when it first needs them, so a
    // public root missing from the store today is not yet proof that Windows will refuse it.
    const rootUpdate = (root: string): Msg[] => (ctx.facts.platform === 'windows' ? [{ key: 'cert.trust.windows-root-update', params: { root } }] : []);
    switch (path.end) {
      case 'anchor': {
        const entries = path.anchor!.entries;
        const named = bestStore(entries);
        if (named?.nameKey) {
          return outcome('pass', 'trusted', 'cert.trust.trusted-in-store', { anchor: nameOf(path.anchor!.cert), store: storeName(named) }, { evidence });
        }
        const labels = [...new Set(entries.map((e) => e.store.label))];
        return outcome('pass', 'trusted', 'cert.trust.trusted', { anchor: nameOf(path.anchor!.cert), store: list(labels) }, { evidence });
      }
      case 'distrusted': {
        const entries = path.anchor?.entries.filter((e) => e.trust === 'distrusted') ?? [];
        const named = bestStore(entries);
        return outcome('fail', 'distrusted', 'cert.trust.distrusted', {
          name: nameOf(path.anchor?.cert ?? last.cert),
          store: named?.nameKey || entries.length === 0 ? storeName(named) : list(entries.map((e) => e.store.label)),
        }, { evidence, fixes: [{ id: 'trust.remove-distrust' }, { id: 'admin.public-ca' }] });
      }
      case 'self-signed': {
        // The root is on this computer, but where the OS does not treat it as a trust anchor:
        // a Windows "Intermediate Certification Authorities" store, a macOS keychain without "Always Trust".
        const held = last.storeEntries.filter((e) => e.role === 'intermediate');
        const where = bestStore(held);
        if (where) {
          return outcome('fail', 'root-not-anchor', 'cert.trust.root-not-anchor', {
            root: nameOf(last.cert),
            store: storeName(where),
          }, { evidence, fixes: [{ id: 'trust.mark-root-trusted' }, { id: 'trust.install-root' }] });
        }
        if (path.nodes.length === 1) {
          return outcome('fail', 'self-signed', 'cert.trust.self-signed', { name: nameOf(last.cert) }, {
            evidence,
            fixes: [{ id: 'admin.public-ca' }, { id: 'trust.install-root' }],
          });
        }
        return outcome('fail', 'unknown-root', 'cert.trust.unknown-root', { root: nameOf(last.cert) }, { evidence, fixes, details: rootUpdate(nameOf(last.cert)) });
      }
      case 'issuer-not-found':
        // Above a presented intermediate, the missing issuer is most likely the root (cert.chain
        // vouches for what the gateway sent); above a lone leaf it may be an intermediate too.
        return outcome('fail', 'unknown-issuer', path.nodes.length > 1 ? 'cert.trust.root-missing' : 'cert.trust.unknown-issuer', { issuer: shortName(last.cert.issuer) }, {
          evidence,
          fixes,
          details: rootUpdate(shortName(last.cert.issuer)),
        });
      default:
        return outcome('fail', 'broken-chain', 'cert.trust.broken-chain', { name: nameOf(last.cert) }, { evidence, fixes: [{ id: 'admin.fix-chain' }] });
    }
  },
};

/**
 * The store to name in a sentence when several hold the certificate: an OS store the
 * vendor or IT manages before one anybody can add to, and a named store before a path.
 */
function bestStore(entries: readonly StoreEntry[]): StoreRef | undefined {
  const rank = (s: StoreRef): number => (s.nameKey ? 0 : 2) + (s.local ? 1 : 0);
  return [...entries].map((e) => e.store).sort((a, b) => rank(a) - rank(b))[0];
}
