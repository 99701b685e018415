import type { Certificate } from './certificate';
import { CertificateParseError } from './pem';
import { buildPath, type BuildOptions, type CertPath, type ExtraCertificate } from './path';
import type { CertificatePool } from './pool';
import type { AnchorIndex } from './trust-store';

export interface PresentedCertificate {
  readonly index: number;
  readonly der: Buffer;
  readonly cert: Certificate | null;
  /** Why it cannot be parsed. */
  readonly error: string | null;
}

/** How the server laid out the certificates it sent. */
export interface ChainLayout {
  /** The certificates on the path appear in issuing order (leaf, its issuer, …). */
  readonly inOrder: boolean;
  /** Positions of certificates that belong to no path from this leaf. */
  readonly unrelated: readonly number[];
  readonly duplicates: readonly number[];
  /**
   * Positions of certificates that fit as an issuer but lost to a copy valid now (an
   * expired re-issue or cross-certificate): off the path, yet not unrelated.
   */
  readonly superseded: readonly number[];
  readonly unparsable: readonly number[];
  /** The server sends a self-signed root (harmless, but unneeded). */
  readonly sentRoot: boolean;
}

export interface ChainAnalysis {
  readonly presented: readonly PresentedCertificate[];
  readonly leaf: Certificate | null;
  readonly path: CertPath | null;
  readonly layout: ChainLayout | null;
}

/** Parses what the server sent and builds the path. Pure given its inputs. */
export function analyzeChain(
  presentedDer: readonly Buffer[],
  pool: CertificatePool,
  anchors: AnchorIndex,
  extras: readonly ExtraCertificate[] = [],
  options: BuildOptions = {},
): ChainAnalysis {
  const presented: PresentedCertificate[] = presentedDer.map((der, index) => {
    const c = pool.get(der);
    return c instanceof CertificateParseError
      ? { index, der, cert: null, error: c.message }
      : { index, der, cert: c, error: null };
  });
  const leaf = presented[0]?.cert ?? null;
  if (!leaf) return { presented, leaf: null, path: null, layout: null };
  // Only parsable certificates take part; their positions stay those the server used.
  const parsable = presented.filter((p) => p.cert !== null);
  const path = buildPath(
    parsable.map((p) => p.cert!),
    anchors,
    extras,
    options,
  );
  // buildPath numbers by the parsable list; map back to the server's positions.
  const toServerIndex = (i: number | null): number | null => (i === null ? null : (parsable[i]?.index ?? null));
  const nodes = path.nodes.map((n) => ({ ...n, presentedIndex: toServerIndex(n.presentedIndex) }));
  const fixedPath: CertPath = { ...path, nodes };
  return { presented, leaf, path: fixedPath, layout: layoutOf(presented, fixedPath) };
}

function layoutOf(presented: readonly PresentedCertificate[], path: CertPath): ChainLayout {
  const seen = new Map<string, number>();
  const duplicates: number[] = [];
  const unparsable: number[] = [];
  for (const p of presented) {
    if (!p.cert) {
      unparsable.push(p.index);
      continue;
    }
    if (seen.has(p.cert.fingerprintSha256)) duplicates.push(p.index);
    else seen.set(p.cert.fingerprintSha256, p.index);
  }
  // Positions along the path, counting a presented copy of a store certificate too.
  const order: number[] = [];
  for (const n of path.nodes) {
    const i =
      n.presentedIndex ??
      presented.find(
        (p) =>
          p.cert &&
          !duplicates.includes(p.index) &&
          p.cert.subject.key === n.cert.subject.key &&
          p.cert.publicKey.spkiSha256 === n.cert.publicKey.spkiSha256,
      )?.index ??
      null;
    if (i !== null) order.push(i);
  }
  const related = new Set(order);
  // The issuer of the last path certificate, when the server sent it but the path stopped
  // before it (e.g. a root the store also holds), is related too.
  const last = path.nodes[path.nodes.length - 1]!.cert;
  for (const p of presented) {
    if (p.cert && !related.has(p.index) && p.cert.subject.key === last.issuer.key && !duplicates.includes(p.index)) {
      related.add(p.index);
      order.push(p.index);
    }
  }
  const supersededPrints = new Set(
    path.rejected.filter((r) => r.reason === 'expired' || r.reason === 'not-yet-valid').map((r) => r.candidate.fingerprintSha256),
  );
  const offPath = presented.filter((p) => p.cert && !related.has(p.index) && !duplicates.includes(p.index));
  const superseded = offPath.filter((p) => supersededPrints.has(p.cert!.fingerprintSha256)).map((p) => p.index);
  const unrelated = offPath.filter((p) => !supersededPrints.has(p.cert!.fingerprintSha256)).map((p) => p.index);
  const inOrder = order.every((v, k) => k === 0 || v > order[k - 1]!);
  const sentRoot = presented.some((p) => p.index > 0 && p.cert?.selfIssued === true);
  return { inOrder, unrelated, duplicates, superseded, unparsable, sentRoot };
}
