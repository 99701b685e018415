/**
 * Judging revocation answers at a given time. The probe records what each source said
 * (verified: signature, issuer, serial); whether that answer is still current depends
 * on the time, and the true time is only known once NTP has answered — so the
 * cert.revocation check (and any other check reading `facts.revocation`) calls these
 * with `ctx.trueNow()`, falling back to this computer's clock.
 */
import { CLOCK_TOLERANCE_MS, updateWindowAt, type UpdateWindow } from './revocation';

export type AnswerState = 'good' | 'revoked' | 'unknown' | 'unreachable' | 'invalid';

/** The parts of a recorded attempt that judging needs (RevocationAttempt has them). */
export interface AnswerLike {
  readonly state: AnswerState;
  readonly problem?: string | null;
  readonly thisUpdate?: string | null;
  readonly nextUpdate?: string | null;
  readonly responder?: { readonly kind: 'issuer' | 'delegated'; readonly notBefore: string | null; readonly notAfter: string | null } | null;
}

export interface JudgedAnswer {
  readonly state: AnswerState;
  /** Why it is invalid or unreachable: the recorded problem, or `expired` / `not-yet-valid` / `responder-expired`. */
  readonly problem: string | null;
  /** Where `at` falls in the answer's thisUpdate/nextUpdate window; null without a time or dates. */
  readonly window: UpdateWindow | null;
}

/**
 * One answer at `at` (null: do not judge time). A good or unknown answer outside its
 * window, or signed by a delegated responder whose certificate is not valid then, is
 * invalid. A revoked answer stays revoked: revocation is permanent, and an outdated
 * list can only miss revocations, never invent them.
 */
export function judgeAttempt(a: AnswerLike, at: Date | null, toleranceMs = CLOCK_TOLERANCE_MS): JudgedAnswer {
  const problem = a.problem ?? null;
  if (!at || !a.thisUpdate) return { state: a.state, problem, window: null };
  const window = updateWindowAt(new Date(a.thisUpdate), a.nextUpdate ? new Date(a.nextUpdate) : null, at, toleranceMs);
  if (a.state !== 'good' && a.state !== 'unknown') return { state: a.state, problem, window };
  const r = a.responder;
  if (r && r.kind === 'delegated' && r.notBefore && r.notAfter) {
    const t = at.getTime();
    if (t + toleranceMs < new Date(r.notBefore).getTime() || t - toleranceMs > new Date(r.notAfter).getTime()) {
      return { state: 'invalid', problem: 'responder-expired', window };
    }
  }
  if (window !== 'current') return { state: 'invalid', problem: window, window };
  return { state: a.state, problem, window };
}

/** Which answer decides, in this order: revoked, good, invalid, unknown, unreachable. */
const PREFERENCE: readonly AnswerState[] = ['revoked', 'good', 'invalid', 'unknown', 'unreachable'];

export interface Decision {
  readonly state: AnswerState | 'not-checked';
  /** The deciding attempt's position; null when there was none. */
  readonly index: number | null;
  readonly judged: readonly JudgedAnswer[];
}

/**
 * The state of one certificate from all its attempts: a verified "revoked" from any
 * source wins; else a verified current "good"; else the most telling failure.
 */
export function pickDecision(attempts: readonly AnswerLike[], at: Date | null, toleranceMs = CLOCK_TOLERANCE_MS): Decision {
  const judged = attempts.map((a) => judgeAttempt(a, at, toleranceMs));
  for (const want of PREFERENCE) {
    const i = judged.findIndex((j) => j.state === want);
    if (i >= 0) return { state: want, index: i, judged };
  }
  return { state: 'not-checked', index: null, judged };
}
