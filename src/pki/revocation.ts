/**
 * What OCSP and CRL parsing share: the revocation reason codes (RFC 5280 §5.3.1) and
 * the rule for "is this answer current at a given time".
 */

export const REVOCATION_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  // 7 is not used
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
] as const;

export type RevocationReason = (typeof REVOCATION_REASONS)[number];

const BY_CODE: Readonly<Record<number, RevocationReason>> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

/** The reason's name for a CRLReason code; null for a code RFC 5280 does not define. */
export function reasonName(code: number): RevocationReason | null {
  return BY_CODE[code] ?? null;
}

/**
 * How far a responder's or this computer's clock may stray before an answer counts as
 * not yet valid or outdated. OpenSSL's `ocsp -validity_period` default is the same 5 minutes.
 */
export const CLOCK_TOLERANCE_MS = 5 * 60_000;

export type UpdateWindow = 'current' | 'not-yet-valid' | 'expired';

/**
 * Whether an answer issued at `thisUpdate` and good until `nextUpdate` (none: the
 * responder publishes continuously) is current at `at`.
 */
export function updateWindowAt(thisUpdate: Date, nextUpdate: Date | null, at: Date, toleranceMs = CLOCK_TOLERANCE_MS): UpdateWindow {
  if (thisUpdate.getTime() - toleranceMs > at.getTime()) return 'not-yet-valid';
  if (nextUpdate && nextUpdate.getTime() + toleranceMs < at.getTime()) return 'expired';
  return 'current';
}
