import { parseCertificate } from '../pki/certificate';
import { shortName } from '../pki/names';
import { msgRef } from '../fixes/i18n';
import { chainOrOutcome, isOutcome, nameOf, storeName } from './cert-common';
import type { Check, FixRef, Msg, Outcome } from './types';
import { count, list, outcome } from './util';

export const certChain: Check = {
  id: 'cert.chain',
  needs: ['tls', 'trustStore', 'aia'],
  dependsOn: ['network.reach'],
  evaluate(ctx): Outcome {
    const chain = chainOrOutcome(ctx);
    if (isOutcome(chain)) return chain;
    const tls = ctx.facts.tls.status === 'ok' ? ctx.facts.tls.value : null;
    const path = chain.path!;
    const layout = chain.layout!;
    const aia = ctx.facts.aia.status === 'ok' ? ctx.facts.aia.value : null;
    const evidence = {
      presentedCount: chain.presented.length,
      chainSource: tls?.chainSource ?? null,
      pathEnd: path.end,
      path: path.nodes.map((n) => ({
        subject: n.cert.subject.text,
        issuer: n.cert.issuer.text,
        origin: n.origin,
        presentedIndex: n.presentedIndex,
        fetchedFrom: n.fetchedFrom,
        stores: n.storeEntries.map((e) => e.store.label),
      })),
      layout,
      rejected: path.rejected.map((r) => ({ for: r.forSubject, candidate: r.candidate.subject.text, origin: r.origin, reason: r.reason })),
      aia: aia ? { needed: aia.needed, fetches: aia.fetches.map((f) => ({ url: f.url, certificates: f.certificates.length, error: f.error, ms: f.ms })) } : null,
    };
    const last = path.nodes[path.nodes.length - 1]!.cert;

    if (path.end === 'bad-signature') {
      const bad = path.rejected.find((r) => r.reason === 'bad-signature');
      return outcome('fail', 'bad-signature', 'cert.chain.bad-signature', {
        name: nameOf(last),
        issuer: bad ? shortName(bad.candidate.subject) : shortName(last.issuer),
      }, { evidence, fixes: [{ id: 'admin.fix-chain' }] });
    }
    if (path.end === 'not-a-ca') {
      return outcome('fail', 'issuer-not-ca', 'cert.chain.issuer-not-ca', { name: nameOf(last), issuer: shortName(last.issuer) }, {
        evidence,
        fixes: [{ id: 'admin.fix-chain' }],
      });
    }
    if (path.end === 'path-length') {
      const limited = path.rejected.find((r) => r.reason === 'path-length');
      return outcome('fail', 'path-length', 'cert.chain.path-length', {
        issuer: limited ? shortName(limited.candidate.subject) : shortName(last.issuer),
        max: count(limited?.candidate.basicConstraints?.pathLen ?? 0, 'intermediate-ca'),
        count: path.nodes.slice(1).filter((n) => !n.cert.selfIssued).length,
      }, { evidence, fixes: [{ id: 'admin.fix-chain' }] });
    }
    if (path.end === 'loop' || path.end === 'too-long') {
      return outcome('fail', 'too-long', 'cert.chain.too-long', { count: count(path.nodes.length, 'certificate') }, { evidence, fixes: [{ id: 'admin.fix-chain' }] });
    }
    // Certificates the path needed that the server did not send (roots excepted: nobody needs
    // those sent). A store copy of a certificate the server also sent is not missing.
    const missing = path.nodes.filter((n, i) => i > 0 && n.origin !== 'presented' && n.presentedIndex === null && !n.cert.selfIssued);
    if (missing.length > 0) {
      const m = missing[0]!;
      const trusted = path.end === 'anchor';
      const details: Msg[] = trusted ? [{ key: 'cert.chain.browsers-may-work' }] : [];
      if (m.origin === 'aia') {
        return outcome('fail', 'missing-intermediate', 'cert.chain.missing-intermediate-aia', {
          name: nameOf(m.cert),
          url: m.fetchedFrom ?? '',
        }, { evidence, details, fixes: [{ id: 'admin.send-intermediate' }, { id: 'user.not-your-fault' }] });
      }
      return outcome('fail', 'missing-intermediate', 'cert.chain.missing-intermediate-local', {
        name: nameOf(m.cert),
        store: storeName(m.storeEntries[0]?.store),
      }, { evidence, details, fixes: [{ id: 'admin.send-intermediate' }, { id: 'user.not-your-fault' }] });
    }
    if (layout.unrelated.length > 0) {
      const names = layout.unrelated.map((i) => chain.presented[i]?.cert ? nameOf(chain.presented[i]!.cert!) : `#${i + 1}`);
      return outcome('fail', 'unrelated-certificates', 'cert.chain.unrelated', { count: count(names.length, 'certificate'), names: list(names) }, {
        evidence,
        fixes: [{ id: 'admin.fix-chain' }],
      });
    }
    if (!layout.inOrder && tls?.chainSource === 'wire') {
      return outcome('fail', 'wrong-order', 'cert.chain.wrong-order', {
        order: chain.presented.map((p) => (p.cert ? nameOf(p.cert) : '?')).join(' → '),
      }, { evidence, fixes: [{ id: 'admin.fix-chain' }] });
    }
    if (layout.unparsable.length > 0) {
      const i = layout.unparsable[0]!;
      return outcome('fail', 'unparsable', 'cert.chain.unparsable', { position: i + 1, error: chain.presented[i]?.error ?? '?' }, {
        evidence,
        fixes: [{ id: 'admin.fix-chain' }],
      });
    }
    if (path.end === 'issuer-not-found') {
      // What the AIA caIssuers URLs of the last certificate gave: a failure, or certificates that are not its issuer.
      const lastUrls = new Set(last.aia.caIssuers);
      const lastFetches = aia?.fetches.filter((f) => lastUrls.has(f.url)) ?? [];
      const failedFetch = lastFetches.find((f) => f.error);
      const servedOther = lastFetches.find((f) => !f.error && f.certificates.length > 0);
      const fixes: FixRef[] = [{ id: 'admin.send-intermediate' }, { id: 'trust.install-root' }];
      if (servedOther && !failedFetch) {
        return outcome('warn', 'issuer-unknown', 'cert.chain.aia-not-issuer', {
          name: nameOf(last),
          issuer: shortName(last.issuer),
          url: servedOther.url,
          got: list(servedOther.certificates.map(subjectOf)),
        }, { evidence, fixes });
      }
      const leafOnly = path.nodes.length === 1;
      if (leafOnly) {
        const url = chain.leaf!.aia.caIssuers[0];
        return outcome('warn', 'issuer-unknown', failedFetch ? 'cert.chain.issuer-unknown-aia-failed' : url ? 'cert.chain.issuer-unknown' : 'cert.chain.issuer-unknown-no-aia', {
          issuer: shortName(chain.leaf!.issuer),
          url: failedFetch?.url ?? url ?? '',
          error: failedFetch?.error?.message ?? '',
        }, { evidence, fixes });
      }
      if (failedFetch) {
        return outcome('warn', 'issuer-unknown', 'cert.chain.issuer-missing-aia-failed', {
          name: nameOf(last),
          issuer: shortName(last.issuer),
          url: failedFetch.url,
          error: failedFetch.error?.message ?? '',
        }, { evidence, fixes });
      }
    }
    // The gateway sent its intermediates and the path stops at an issuer nobody sent, without
    // AIA evidence of a further intermediate: normally the root, which gateways never send.
    // That is cert.trust's to judge; say so here, so the two checks do not seem to disagree.
    const rootNotSent: Msg[] =
      path.end === 'issuer-not-found' && path.nodes.length > 1
        ? [{ key: 'cert.chain.root-not-sent', params: { name: nameOf(last), issuer: shortName(last.issuer), trust: msgRef('check.cert.trust.title') } }]
        : [];
    if (layout.duplicates.length > 0) {
      return outcome('warn', 'duplicates', 'cert.chain.duplicates', { count: count(layout.duplicates.length, 'certificate') }, { evidence, details: rootNotSent, fixes: [{ id: 'admin.fix-chain' }] });
    }
    const details: Msg[] = [...rootNotSent, ...(tls?.chainSource === 'reconstructed' ? [{ key: 'cert.chain.order-unknown' } as const] : [])];
    return outcome('pass', 'complete', 'cert.chain.complete', { count: count(chain.presented.length, 'certificate') }, { evidence, details });
  },
};

/** The short name of a downloaded certificate, for saying what an AIA URL served instead. */
function subjectOf(der: Buffer): string {
  try {
    return shortName(parseCertificate(der).subject);
  } catch {
    return '?';
  }
}
