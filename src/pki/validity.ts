import type { Certificate } from './certificate';

export type ValidityState = 'valid' | 'expired' | 'not-yet-valid';

export const DAY_MS = 86_400_000;

/** The certificate's state at time `at`. */
export function validityAt(cert: Certificate, at: Date): ValidityState {
  const t = at.getTime();
  if (t < cert.notBefore.getTime()) return 'not-yet-valid';
  if (t > cert.notAfter.getTime()) return 'expired';
  return 'valid';
}

/** Whole days from `at` to notAfter (negative once expired). */
export function daysUntilExpiry(cert: Certificate, at: Date): number {
  return Math.floor((cert.notAfter.getTime() - at.getTime()) / DAY_MS);
}
