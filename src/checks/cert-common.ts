import { isKey, msgRef, type MsgParam, type ParamValue } from '../fixes/i18n';
import type { ChainAnalysis } from '../pki/analysis';
import type { Certificate } from '../pki/certificate';
import { shortName } from '../pki/names';
import type { ExtraCertificate, PathNode } from '../pki/path';
import type { CertificatePool } from '../pki/pool';
import type { StoreRef } from '../pki/trust-store';
import type { RunFacts } from '../run-facts';
import type { CheckContext, Outcome } from './types';
import { outcome, probeError } from './util';

/** The chain, or the outcome to return when there is none to judge. */
export function chainOrOutcome(ctx: CheckContext): ChainAnalysis | Outcome {
  const tls = ctx.facts.tls;
  const err = probeError(tls, 'fact.tls');
  if (err) return err;
  const chain = ctx.chain();
  if (!chain || chain.presented.length === 0) {
    return outcome('skip', 'no-certificate', 'cert.no-certificate');
  }
  if (!chain.leaf) {
    return outcome('fail', 'unparsable-leaf', 'cert.unparsable-leaf', { error: chain.presented[0]?.error ?? '?' }, {
      fixes: [{ id: 'admin.replace-certificate' }],
    });
  }
  return chain;
}

export function isOutcome(x: unknown): x is Outcome {
  return typeof x === 'object' && x !== null && 'status' in x && 'reason' in x;
}

/** The role of a path's certificate: `role.leaf`, `role.intermediate` or `role.root`. */
export function roleKey(node: PathNode, index: number): 'role.leaf' | 'role.intermediate' | 'role.root' {
  if (index === 0) return 'role.leaf';
  return node.cert.selfIssued ? 'role.root' : 'role.intermediate';
}

/** The role of a path's certificate, for message parameters. */
export function roleOf(node: PathNode, index: number): MsgParam {
  return msgRef(roleKey(node, index));
}

/** A store as the OS names it, in the report's language when the adapter gave its name key. */
export function storeName(store: StoreRef | undefined): ParamValue {
  if (!store) return '?';
  return store.nameKey && isKey(store.nameKey) ? msgRef(store.nameKey) : store.label;
}

export function nameOf(cert: Certificate): string {
  return shortName(cert.subject);
}

/** The certificates of the path (or just what was presented), for evidence. */
export function pathCertificates(chain: ChainAnalysis): Certificate[] {
  if (chain.path) return chain.path.nodes.map((n) => n.cert);
  return chain.presented.flatMap((p) => (p.cert ? [p.cert] : []));
}

/** The certificates the AIA fetches brought, with the URL each came from, for path building. */
export function aiaExtras(aia: RunFacts['aia'], pool: CertificatePool): ExtraCertificate[] {
  const extras: ExtraCertificate[] = [];
  if (aia.status === 'ok') {
    for (const f of aia.value.fetches) {
      for (const der of f.certificates) {
        const c = pool.tryGet(der);
        if (c) extras.push({ cert: c, url: f.url });
      }
    }
  }
  return extras;
}
