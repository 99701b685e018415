import { X509Certificate } from 'node:crypto';
import { canonicalNamesMatch } from '../src/pki/openssl-subject-hash';
import type { StoreEntry, StoreRef } from '../src/pki/trust-store';

/**
 * A certificate from a store that OpenSSL reads: the Linux bundle and hashed directory,
 * and AnyConnect's own PEM folders (its agent verifies with a bundled OpenSSL on Linux and
 * macOS). OpenSSL builds paths through any certificate in its stores but, without
 * X509_V_FLAG_PARTIAL_CHAIN, only accepts a self-signed one as the end: any other
 * certificate is a path helper, not a trust anchor.
 *
 * Self-issued is decided by OpenSSL's own name comparison, read straight from the DER:
 * parsing each bundle certificate with X509Certificate cost ~30 ms a run.
 */
export function opensslStoreEntry(der: Buffer, store: StoreRef): StoreEntry {
  let selfIssued = canonicalNamesMatch(der);
  if (selfIssued === null) {
    try {
      const c = new X509Certificate(der);
      selfIssued = c.subject === c.issuer;
    } catch {
      selfIssued = true; // unreadable: left to the path builder, which ignores it
    }
  }
  return selfIssued ? { der, store, trust: 'trusted' } : { der, store, trust: 'trusted', role: 'intermediate' };
}
