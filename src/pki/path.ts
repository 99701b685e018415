import { signatureVerifies, type Certificate } from './certificate';
import type { Anchor, AnchorIndex, StoreEntry } from './trust-store';
import { validityAt } from './validity';

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
  /** The only issuer found limits how many CAs may sit below it (pathLenConstraint), and the path has more. */
  | 'path-length'
  /** Every issuer found is already on the path (certificates that sign each other). */
  | 'loop'
  | 'too-long';

export type RejectReason =
  | 'key-id-mismatch'
  | 'bad-signature'
  | 'not-a-ca'
  | 'no-keycertsign'
  | 'path-length'
  /** Passed over for another issuer with the same name that is valid now (a stale copy, an old cross-certificate). */
  | 'expired'
  | 'not-yet-valid'
  /** Fits, but no trusted path goes on from it (its own issuer is missing or broken); another one does. */
  | 'dead-end';

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

export interface BuildOptions {
  /**
   * The time the path is judged at: the local clock, as the TLS client uses it. When
   * several issuers fit, one valid at this time is preferred (as OpenSSL and CryptoAPI
   * do), and the others are kept as rejected with the reason.
   */
  readonly at?: Date;
}

const MAX_DEPTH = 12;
/** Issuers tried in all: a server can send many same-named certificates; the search stays bounded. */
const MAX_ATTEMPTS = 64;

/**
 * Builds the path from the leaf to a trust anchor the way a TLS client does:
 * trusted store anchors first (OpenSSL's "trusted first"), then what the server sent,
 * then intermediates cached in a store, then certificates fetched from AIA URLs; among
 * issuers that fit, one valid at `options.at` first. When an issuer leads nowhere (its
 * own issuer is missing or its signature is broken), the next one is tried, as
 * CryptoAPI and Apple's path builder do. Keeps why each candidate was rejected, so the
 * report can say it.
 */
export function buildPath(
  presented: readonly Certificate[],
  anchors: AnchorIndex,
  extras: readonly ExtraCertificate[] = [],
  options: BuildOptions = {},
): CertPath {
  const leaf = presented[0];
  if (!leaf) throw new Error('buildPath needs at least the leaf certificate');
  const search: Search = { presented, anchors, extras, at: options.at ?? null, attempts: 0 };
  return extend([node(leaf, 'presented', 0, anchors)], search);
}

interface Search {
  readonly presented: readonly Certificate[];
  readonly anchors: AnchorIndex;
  readonly extras: readonly ExtraCertificate[];
  readonly at: Date | null;
  attempts: number;
}

interface Candidate {
  readonly cert: Certificate;
  readonly origin: NodeOrigin;
  readonly index: number | null;
  readonly anchor?: Anchor;
  readonly url?: string;
}

/** The best path that continues `nodes` (leaf first). */
function extend(nodes: PathNode[], search: Search): CertPath {
  const { anchors, presented, extras, at } = search;
  const cur = nodes[nodes.length - 1]!.cert;
  const self = anchors.sameAs(cur);
  if (self && self.role === 'anchor') return finish(nodes, self.trusted ? 'anchor' : 'distrusted', self, [], null);
  if (anchors.isDistrusted(cur)) return finish(nodes, 'distrusted', self ?? null, [], null);
  if (nodes.length >= MAX_DEPTH) return finish(nodes, 'too-long', null, [], null);
  if (cur.selfIssued && signatureVerifies(cur, cur)) return finish(nodes, 'self-signed', null, [], null);

  const candidates = issuerCandidates(cur, presented, anchors, extras);
  // RFC 5280 pathLenConstraint counts the non-self-issued CAs between an issuer and the leaf.
  const casBelow = nodes.slice(1).filter((n) => !n.cert.selfIssued).length;
  const onPath = new Set(nodes.map((n) => n.cert.fingerprintSha256));
  const rejected: RejectedCandidate[] = [];
  const usable: Candidate[] = [];
  let alreadyOnPath = false;
  // What the server sent decides how a broken link is described: a store copy with the
  // same name but another key only means the real issuer is not there; one whose key
  // identifier matches but whose signature fails means the link itself is broken.
  let firstFailure: RejectReason | undefined;
  for (const c of candidates) {
    if (onPath.has(c.cert.fingerprintSha256)) {
      alreadyOnPath ||= c.cert.fingerprintSha256 !== cur.fingerprintSha256;
      continue;
    }
    const why = linkProblem(cur, c.cert, c.anchor) ?? pathLengthProblem(c.cert, casBelow);
    if (why) {
      rejected.push({ forSubject: cur.subject.text, candidate: c.cert, origin: c.origin, reason: why });
      if (c.origin === 'presented' || STRUCTURAL.has(why) || (why === 'bad-signature' && sameKeyId(cur, c.cert))) firstFailure ??= why;
      continue;
    }
    usable.push(c);
  }
  if (usable.length === 0) {
    if (alreadyOnPath) return finish(nodes, 'loop', null, rejected, null);
    const end: PathEnd =
      firstFailure === 'bad-signature'
        ? 'bad-signature'
        : firstFailure === 'not-a-ca' || firstFailure === 'no-keycertsign'
          ? 'not-a-ca'
          : firstFailure === 'path-length'
            ? 'path-length'
            : 'issuer-not-found';
    return finish(nodes, end, null, rejected, end === 'issuer-not-found' ? cur.issuer.text : null);
  }

  // An issuer valid now first; one outside its dates is used only when nothing else leads to an anchor.
  const inTime = (c: Candidate): boolean => at === null || validityAt(c.cert, at) === 'valid';
  const ordered = [...usable.filter(inTime), ...usable.filter((c) => !inTime(c))];
  const tried: Array<{ candidate: Candidate; path: CertPath }> = [];
  for (const c of ordered) {
    if (tried.length > 0 && search.attempts >= MAX_ATTEMPTS) break;
    search.attempts++;
    const next = [...nodes, pathNode(c, search)];
    const path =
      c.anchor && c.anchor.role === 'anchor'
        ? finish(next, c.anchor.trusted ? 'anchor' : 'distrusted', c.anchor, [], null)
        : extend(next, search);
    if (path.end === 'anchor') {
      const notes: RejectedCandidate[] = [...rejected];
      for (const t of tried) {
        notes.push(...t.path.rejected, { forSubject: cur.subject.text, candidate: t.candidate.cert, origin: t.candidate.origin, reason: 'dead-end' });
      }
      if (inTime(c) && at !== null) {
        for (const other of ordered) {
          if (inTime(other)) continue;
          notes.push({ forSubject: cur.subject.text, candidate: other.cert, origin: other.origin, reason: validityAt(other.cert, at) === 'expired' ? 'expired' : 'not-yet-valid' });
        }
      }
      return { ...path, rejected: [...notes, ...path.rejected] };
    }
    tried.push({ candidate: c, path });
  }
  // Nothing reaches a trusted anchor: report the most likely path, the one a client tries first.
  const first = tried[0]!.path;
  return { ...first, rejected: [...rejected, ...first.rejected] };
}

/**
 * Certificates named as `cur`'s issuer, each once, in the order a client prefers them:
 * trusted anchors, what the server sent, intermediates cached in a store, AIA downloads,
 * and distrusted store entries last.
 */
function issuerCandidates(cur: Certificate, presented: readonly Certificate[], anchors: AnchorIndex, extras: readonly ExtraCertificate[]): Candidate[] {
  const store = anchors.issuerCandidates(cur);
  const all: Candidate[] = [
    ...store.filter((a) => a.trusted && a.role === 'anchor').map((a) => ({ cert: a.cert, origin: 'store' as const, index: null, anchor: a })),
    ...presented.flatMap((p, i) => (i > 0 && p.subject.key === cur.issuer.key ? [{ cert: p, origin: 'presented' as const, index: i }] : [])),
    ...store.filter((a) => a.trusted && a.role !== 'anchor').map((a) => ({ cert: a.cert, origin: 'store' as const, index: null, anchor: a })),
    ...extras.filter((x) => x.cert.subject.key === cur.issuer.key).map((x) => ({ cert: x.cert, origin: 'aia' as const, index: null, url: x.url })),
    ...store.filter((a) => !a.trusted).map((a) => ({ cert: a.cert, origin: 'store' as const, index: null, anchor: a })),
  ];
  const seen = new Set<string>();
  return all.filter((c) => {
    if (seen.has(c.cert.fingerprintSha256)) return false;
    seen.add(c.cert.fingerprintSha256);
    return true;
  });
}

function pathNode(c: Candidate, search: Search): PathNode {
  return {
    cert: c.cert,
    origin: c.origin,
    presentedIndex: c.index ?? presentedIndexOf(search.presented, c.cert),
    storeEntries: c.anchor?.entries ?? search.anchors.sameAs(c.cert)?.entries ?? [],
    fetchedFrom: c.url ?? null,
  };
}

/** Reasons that describe the issuer itself, wherever it came from. */
const STRUCTURAL: ReadonlySet<RejectReason> = new Set(['not-a-ca', 'no-keycertsign', 'path-length']);

/** The child names the issuer's key identifier: the issuer's key was meant to verify it. */
function sameKeyId(child: Certificate, issuer: Certificate): boolean {
  return child.authorityKeyId !== null && child.authorityKeyId === issuer.subjectKeyId;
}

/** 'path-length' when `issuer` allows fewer CAs below it than the path already has. */
export function pathLengthProblem(issuer: Certificate, casBelow: number): RejectReason | null {
  const max = issuer.basicConstraints?.pathLen;
  return max !== null && max !== undefined && casBelow > max ? 'path-length' : null;
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
