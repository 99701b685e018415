import { signatureVerifies, type Certificate } from './certificate';
import type { Anchor, AnchorIndex, StoreEntry } from './trust-store';

/** Where a certificate on the path came from. */
export type NodeOrigin = 'presented' | 'store' | 'aia';

export interface PathNode {
  readonly cert: Certificate;
  readonly origin: NodeOrigin;
  /** Position in the server's list, for presented certificates. */
  readonly presentedIndex: number | null;
  /** Store entries holding this certificate (anchors and cached intermediates). */
  readonly storeEntries: readonly StoreEntry[];
  /** The AIA URL it was fetched from. */
  readonly fetchedFrom: string | null;
}

export type PathEnd =
  /** The last certificate is in a trust store and trusted. */
  | 'anchor'
  /** The last certificate (or one on the path) is explicitly distrusted. */
  | 'distrusted'
  /** Ends in a self-signed certificate no store holds. */
  | 'self-signed'
  /** The issuer of the last certificate was found nowhere. */
  | 'issuer-not-found'
  /** An issuer with the right name was found, but its signature check failed. */
  | 'bad-signature'
  /** The only issuer found is not a CA (basicConstraints) or may not sign certificates. */
  | 'not-a-ca'
  | 'loop'
  | 'too-long';

export type RejectReason = 'key-id-mismatch' | 'bad-signature' | 'not-a-ca' | 'no-keycertsign';

export interface RejectedCandidate {
  /** The certificate whose issuer was being looked for. */
  readonly forSubject: string;
  readonly candidate: Certificate;
  readonly origin: NodeOrigin;
  readonly reason: RejectReason;
}

export interface CertPath {
  /** Leaf first. */
  readonly nodes: readonly PathNode[];
  readonly end: PathEnd;
  /** The trust anchor the path ends in (trusted or distrusted). */
  readonly anchor: Anchor | null;
  /** Certificates that had the right name but were not used, with the reason. */
  readonly rejected: readonly RejectedCandidate[];
  /** For `issuer-not-found`: the issuer name that was looked for. */
  readonly missingIssuer: string | null;
}

export interface ExtraCertificate {
  readonly cert: Certificate;
  readonly url: string;
}

const MAX_DEPTH = 12;

/**
 * Builds the path from the leaf to a trust anchor the way a TLS client does:
 * trusted store certificates first (OpenSSL's "trusted first"), then what the server
 * sent, then certificates fetched from AIA URLs. Keeps why each candidate was
 * rejected, so the report can say it.
 */
export function buildPath(
  presented: readonly Certificate[],
  anchors: AnchorIndex,
  extras: readonly ExtraCertificate[] = [],
): CertPath {
  const leaf = presented[0];
  if (!leaf) throw new Error('buildPath needs at least the leaf certificate');
  const nodes: PathNode[] = [node(leaf, 'presented', 0, anchors)];
  const rejected: RejectedCandidate[] = [];
  const used = new Set<string>([leaf.fingerprintSha256]);

  for (;;) {
    const cur = nodes[nodes.length - 1]!.cert;
    const self = anchors.sameAs(cur);
    if (self && self.role === 'anchor') {
      return finish(nodes, self.trusted ? 'anchor' : 'distrusted', self, rejected, null);
    }
    if (anchors.isDistrusted(cur)) {
      return finish(nodes, 'distrusted', self ?? null, rejected, null);
    }
    if (nodes.length >= MAX_DEPTH) return finish(nodes, 'too-long', null, rejected, null);
    if (cur.selfIssued && signatureVerifies(cur, cur)) {
      return finish(nodes, 'self-signed', null, rejected, null);
    }

    const candidates: Array<{ cert: Certificate; origin: NodeOrigin; index: number | null; anchor?: Anchor; url?: string }> = [];
    const storeCands = anchors.issuerCandidates(cur);
    // Trusted anchors first, then cached intermediates, distrusted last.
    storeCands.sort((a, b) => rank(a) - rank(b));
    for (const a of storeCands) candidates.push({ cert: a.cert, origin: 'store', index: null, anchor: a });
    presented.forEach((p, i) => {
      if (i > 0 && p.subject.key === cur.issuer.key) candidates.push({ cert: p, origin: 'presented', index: i });
    });
    for (const x of extras) {
      if (x.cert.subject.key === cur.issuer.key) candidates.push({ cert: x.cert, origin: 'aia', index: null, url: x.url });
    }

    let chosen: (typeof candidates)[number] | undefined;
    // What the server sent decides how a broken link is described: a store copy with the
    // same name but another key only means the real issuer is not there.
    let firstFailure: RejectReason | undefined;
    for (const c of candidates) {
      if (c.cert.fingerprintSha256 === cur.fingerprintSha256) continue;
      const why = linkProblem(cur, c.cert, c.anchor);
      if (why) {
        rejected.push({ forSubject: cur.subject.text, candidate: c.cert, origin: c.origin, reason: why });
        if (c.origin === 'presented' || why === 'not-a-ca' || why === 'no-keycertsign') firstFailure ??= why;
        continue;
      }
      chosen = c;
      break;
    }
    if (!chosen) {
      const end: PathEnd =
        firstFailure === 'bad-signature'
          ? 'bad-signature'
          : firstFailure === 'not-a-ca' || firstFailure === 'no-keycertsign'
            ? 'not-a-ca'
            : 'issuer-not-found';
      return finish(nodes, end, null, rejected, end === 'issuer-not-found' ? cur.issuer.text : null);
    }
    if (used.has(chosen.cert.fingerprintSha256)) return finish(nodes, 'loop', null, rejected, null);
    used.add(chosen.cert.fingerprintSha256);
    const entries = chosen.anchor?.entries ?? anchors.sameAs(chosen.cert)?.entries ?? [];
    const sentAt = chosen.index ?? presentedIndexOf(presented, chosen.cert);
    nodes.push({
      cert: chosen.cert,
      // A store copy of a certificate the server also sent (Windows caches intermediates): the server sent it.
      origin: chosen.origin === 'store' && sentAt !== null ? 'presented' : chosen.origin,
      presentedIndex: sentAt,
      storeEntries: entries,
      fetchedFrom: chosen.url ?? null,
    });
    if (chosen.anchor && chosen.anchor.role === 'anchor') {
      return finish(nodes, chosen.anchor.trusted ? 'anchor' : 'distrusted', chosen.anchor, rejected, null);
    }
  }
}

function rank(a: Anchor): number {
  if (!a.trusted) return 2;
  return a.role === 'anchor' ? 0 : 1;
}

function node(cert: Certificate, origin: NodeOrigin, index: number | null, anchors: AnchorIndex): PathNode {
  return { cert, origin, presentedIndex: index, storeEntries: anchors.sameAs(cert)?.entries ?? [], fetchedFrom: null };
}

function presentedIndexOf(presented: readonly Certificate[], cert: Certificate): number | null {
  const i = presented.findIndex((p, k) => k > 0 && p.fingerprintSha256 === cert.fingerprintSha256);
  return i >= 0 ? i : null;
}

function finish(
  nodes: PathNode[],
  end: PathEnd,
  anchor: Anchor | null,
  rejected: RejectedCandidate[],
  missingIssuer: string | null,
): CertPath {
  return { nodes, end, anchor, rejected, missingIssuer };
}

/** Why `issuer` cannot be the issuer of `child`, or null when it can. */
export function linkProblem(child: Certificate, issuer: Certificate, anchor?: Anchor): RejectReason | null {
  if (child.authorityKeyId && issuer.subjectKeyId && child.authorityKeyId !== issuer.subjectKeyId) {
    return 'key-id-mismatch';
  }
  if (!signatureVerifies(child, issuer)) return 'bad-signature';
  // A v1 root without basicConstraints is still an anchor when a store says so.
  const isCa = issuer.basicConstraints ? issuer.basicConstraints.ca : anchor !== undefined && issuer.version === 1;
  if (!isCa) return 'not-a-ca';
  if (issuer.keyUsage && !issuer.keyUsage.includes('keyCertSign')) return 'no-keycertsign';
  return null;
}
