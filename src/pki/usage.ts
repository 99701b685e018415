import type { Certificate } from './certificate';

export type UsageIssue =
  /** EKU present without serverAuth: AnyConnect and every browser refuse it. */
  | 'eku-without-server-auth'
  /**
   * EKU holds anyExtendedKeyUsage but not serverAuth: still "EKU without serverAuth" for
   * AnyConnect and Apple's TLS policy (OpenSSL alone would accept it), told apart for the report.
   */
  | 'eku-any-only'
  /** KU lacks digitalSignature but has keyEncipherment: only RSA key exchange could use it. */
  | 'ku-rsa-key-exchange-only'
  /** KU has neither digitalSignature nor keyEncipherment. */
  | 'ku-no-tls-usage'
  /** An extension marked critical that no TLS client understands. */
  | 'unknown-critical-extension'
  /** An extension that cannot be decoded: OpenSSL marks the certificate invalid. */
  | 'unparsable-extension';

export interface UsageFinding {
  readonly issue: UsageIssue;
  readonly severity: 'fail' | 'warn';
  readonly detail: string;
}

/**
 * What AnyConnect requires of the gateway's certificate (admin guide, "Server Certificate
 * Verification"): an EKU, when present, must list serverAuth; a KU, when present, must
 * allow digitalSignature, which TLS 1.3 and every (EC)DHE exchange sign with. A KU with
 * digitalSignature but without keyEncipherment is fine: only the obsolete RSA key
 * exchange needs keyEncipherment.
 */
export function leafUsageFindings(leaf: Certificate): UsageFinding[] {
  const out: UsageFinding[] = [];
  const eku = leaf.extKeyUsage;
  if (eku && !eku.includes('serverAuth')) {
    out.push(
      eku.includes('anyExtendedKeyUsage')
        ? { issue: 'eku-any-only', severity: 'fail', detail: eku.join(', ') }
        : { issue: 'eku-without-server-auth', severity: 'fail', detail: eku.join(', ') || '(empty)' },
    );
  }
  const ku = leaf.keyUsage;
  if (ku && !ku.includes('digitalSignature')) {
    out.push(
      ku.includes('keyEncipherment')
        ? { issue: 'ku-rsa-key-exchange-only', severity: 'fail', detail: ku.join(', ') }
        : { issue: 'ku-no-tls-usage', severity: 'fail', detail: ku.join(', ') || '(empty)' },
    );
  }
  out.push(...extensionFindings(leaf));
  return out;
}

/** Extension problems that make any client reject the certificate, wherever it sits. */
export function extensionFindings(cert: Certificate): UsageFinding[] {
  // OpenSSL marks a certificate with a duplicate or undecodable extension invalid.
  return cert.extensionProblems.map((p) => ({
      issue: p.problem === 'unknown-critical' ? ('unknown-critical-extension' as const) : ('unparsable-extension' as const),
      severity: 'fail' as const,
      detail: `${p.oid}${p.critical ? ' (critical)' : ''}: ${p.message}`,
    }));
}
