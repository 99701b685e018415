import type { Certificate } from './certificate';

export type UsageIssue =
  /** EKU present without serverAuth: AnyConnect and every browser refuse it. */
  | 'eku-without-server-auth'
  /** EKU holds only anyExtendedKeyUsage: accepted by OpenSSL, refused by some clients. */
  | 'eku-any-only'
  /** KU lacks digitalSignature but has keyEncipherment: only RSA key exchange works. */
  | 'ku-rsa-key-exchange-only'
  /** KU has neither digitalSignature nor keyEncipherment/keyAgreement. */
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

export function leafUsageFindings(leaf: Certificate): UsageFinding[] {
  const out: UsageFinding[] = [];
  const eku = leaf.extKeyUsage;
  if (eku) {
    if (eku.includes('serverAuth')) {
      // fine
    } else if (eku.includes('anyExtendedKeyUsage')) {
      out.push({ issue: 'eku-any-only', severity: 'warn', detail: eku.join(', ') });
    } else {
      out.push({ issue: 'eku-without-server-auth', severity: 'fail', detail: eku.join(', ') || '(empty)' });
    }
  }
  const ku = leaf.keyUsage;
  if (ku) {
    const ds = ku.includes('digitalSignature');
    const ke = ku.includes('keyEncipherment') || ku.includes('keyAgreement');
    if (!ds && ke && ku.includes('keyEncipherment')) {
      out.push({ issue: 'ku-rsa-key-exchange-only', severity: 'warn', detail: ku.join(', ') });
    } else if (!ds && !ke) {
      out.push({ issue: 'ku-no-tls-usage', severity: 'fail', detail: ku.join(', ') || '(empty)' });
    }
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
