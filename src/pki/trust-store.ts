import { X509Certificate } from 'node:crypto';
import type { Certificate } from './certificate';
import type { CertificatePool } from './pool';

/** Where a trust anchor (or a distrust entry) comes from. */
export interface StoreRef {
  /** Stable id, e.g. `linux-bundle`, `ca-file`, `windows:LocalMachine\Root`, `keychain:System`. */
  readonly id: string;
  /** What a person calls it: a path, a keychain, a certificate store. */
  readonly label: string;
  /** Which family of stores AnyConnect's local policy can exclude. */
  readonly kind: 'os-native' | 'os-bundle' | 'ca-file' | 'anyconnect-pem' | 'firefox-nss' | 'config';
  /** Message key of the store's name as the OS shows it (`store.*`), for reports in every language. */
  readonly nameKey?: string;
  /**
   * A store that users, programs or policies add to, as opposed to the OS vendor's root
   * program (Windows CurrentUser\Root, a macOS keychain other than System Roots).
   */
  readonly local?: boolean;
}

/** One certificate as a store holds it. */
export interface StoreEntry {
  readonly der: Buffer;
  readonly store: StoreRef;
  /** `distrusted`: Windows `Disallowed`, a macOS "Never Trust" setting, a disabled root. */
  readonly trust: 'trusted' | 'distrusted';
  /** For intermediates cached in a store (Windows `CA`, a keychain): not an anchor, only a path helper. */
  readonly role?: 'anchor' | 'intermediate';
}

export interface Anchor {
  readonly cert: Certificate;
  readonly entries: readonly StoreEntry[];
  readonly trusted: boolean;
  readonly role: 'anchor' | 'intermediate';
}

/**
 * The trust stores of this run, indexed by subject so a path search parses only
 * the certificates it might use.
 */
export class AnchorIndex {
  private readonly bySubject = new Map<string, StoreEntry[]>();
  private readonly distrustedFingerprints = new Set<string>();
  /** What each readable entry was read as, so `without` never parses a store again. */
  private readonly read = new Map<StoreEntry, EntryKeys>();

  constructor(
    private readonly entries: readonly StoreEntry[],
    private readonly pool: CertificatePool,
    /** Entries already read by another index over the same certificates. */
    known?: ReadonlyMap<StoreEntry, EntryKeys>,
  ) {
    for (const e of entries) {
      // An entry Node cannot read is not an anchor for anyone.
      const k = known ? known.get(e) : readKeys(e.der);
      if (!k) continue;
      this.read.set(e, k);
      const list = this.bySubject.get(k.subject);
      if (list) list.push(e);
      else this.bySubject.set(k.subject, [e]);
      if (e.trust === 'distrusted') this.distrustedFingerprints.add(k.fingerprint);
    }
  }

  /**
   * The index of these entries for this run's pool, built once however many ask (the
   * AIA fetch, the checks, the report): each build parses every store certificate.
   */
  static of(entries: readonly StoreEntry[], pool: CertificatePool): AnchorIndex {
    let byEntries = BUILT.get(pool);
    if (!byEntries) BUILT.set(pool, (byEntries = new WeakMap()));
    let index = byEntries.get(entries);
    if (!index) byEntries.set(entries, (index = new AnchorIndex(entries, pool)));
    return index;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Stores that contributed entries, with their counts. */
  stores(): Array<{ store: StoreRef; count: number }> {
    const m = new Map<string, { store: StoreRef; count: number }>();
    for (const e of this.entries) {
      const s = m.get(e.store.id);
      if (s) s.count++;
      else m.set(e.store.id, { store: e.store, count: 1 });
    }
    return [...m.values()];
  }

  /** Store certificates whose subject is `cert`'s issuer (anchors and cached intermediates). */
  issuerCandidates(cert: Certificate): Anchor[] {
    return this.group(this.bySubject.get(subjectKey(cert.node.issuer)) ?? []);
  }

  /** The store's copy of `cert` (same subject and key), if any. */
  sameAs(cert: Certificate): Anchor | undefined {
    const list = this.bySubject.get(subjectKey(cert.node.subject)) ?? [];
    return this.group(list).find((a) => a.cert.publicKey.spkiSha256 === cert.publicKey.spkiSha256);
  }

  /** Is this exact certificate on a distrust list? */
  isDistrusted(cert: Certificate): boolean {
    return this.distrustedFingerprints.has(cert.fingerprintSha256);
  }

  /** A copy of the index without the given stores (AnyConnect's Exclude*CertStore). */
  without(predicate: (s: StoreRef) => boolean): AnchorIndex {
    return new AnchorIndex(
      this.entries.filter((e) => !predicate(e.store)),
      this.pool,
      this.read,
    );
  }

  private group(list: readonly StoreEntry[]): Anchor[] {
    const byKey = new Map<string, { cert: Certificate; entries: StoreEntry[] }>();
    for (const e of list) {
      const cert = this.pool.tryGet(e.der);
      if (!cert) continue;
      const k = `${cert.subject.key}|${cert.publicKey.spkiSha256}`;
      const g = byKey.get(k);
      if (g) g.entries.push(e);
      else byKey.set(k, { cert, entries: [e] });
    }
    return [...byKey.values()].map(({ cert, entries }) => ({
      cert,
      entries,
      trusted: !entries.some((e) => e.trust === 'distrusted') && !this.distrustedFingerprints.has(cert.fingerprintSha256),
      role: entries.every((e) => e.role === 'intermediate') ? 'intermediate' : 'anchor',
    }));
  }
}

interface EntryKeys {
  readonly subject: string;
  readonly fingerprint: string;
}

function readKeys(der: Buffer): EntryKeys | null {
  try {
    const node = new X509Certificate(der);
    return { subject: subjectKey(node.subject), fingerprint: node.fingerprint256 };
  } catch {
    return null;
  }
}

const BUILT = new WeakMap<CertificatePool, WeakMap<readonly StoreEntry[], AnchorIndex>>();

function subjectKey(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}
