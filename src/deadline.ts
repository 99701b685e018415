import { setMaxListeners } from 'node:events';
import { DeadlineError } from './errors';

/**
 * The one deadline of a run. Every probe receives `signal` (or a child of it with a
 * shorter bound); when the deadline fires, every pending wait ends.
 */
export class Deadline {
  readonly signal: AbortSignal;
  readonly endsAt: number;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly totalMs: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.endsAt = clock() + totalMs;
    this.signal = this.controller.signal;
    // Every probe listens on this one signal.
    setMaxListeners(1000, this.signal);
    this.timer = setTimeout(() => this.expire(), Math.max(0, totalMs));
    this.timer.unref();
  }

  /** Milliseconds left, never negative. */
  remaining(): number {
    return Math.max(0, Math.floor(this.endsAt - this.clock()));
  }

  /** A signal that fires at the deadline or after `ms`, whichever is first. */
  child(ms?: number): AbortSignal {
    if (ms === undefined || ms >= this.remaining()) return this.signal;
    return anySignal([this.signal, timeoutSignal(ms)]);
  }

  /** End the run now (Ctrl-C). */
  abort(reason: Error = new DeadlineError('the run was interrupted')): void {
    clearTimeout(this.timer);
    if (!this.signal.aborted) this.controller.abort(reason);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private expire(): void {
    if (!this.signal.aborted) this.controller.abort(new DeadlineError());
  }
}

/**
 * One time limit shared by gateways checked one after another: each gets an equal share
 * of what is left when its turn comes, so a slow gateway cannot eat the time of those after
 * it, and what one leaves unused goes to the rest. Together they never exceed the limit.
 */
export class TimeShares {
  private readonly endsAt: number;
  private left: number;

  constructor(
    totalMs: number,
    count: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.endsAt = clock() + Math.max(0, totalMs);
    this.left = Math.max(1, count);
  }

  /** The milliseconds of the next gateway. */
  next(): number {
    const ms = Math.max(0, this.endsAt - this.clock()) / this.left;
    if (this.left > 1) this.left--;
    return Math.floor(ms);
  }
}

/**
 * Aborts when any of `signals` does. Not AbortSignal.any: in Node 20 the signal it returns is
 * only weakly held by its sources, so a garbage collection in the middle of a request
 * silently drops it with its listeners, and the per-request time limit never fires (the run
 * then waits for its whole deadline). Here each source holds the result through its listener.
 */
export function anySignal(signals: readonly AbortSignal[]): AbortSignal {
  const controller = new AbortController();
  const done = signals.find((s) => s.aborted);
  if (done) {
    controller.abort(done.reason);
    return controller.signal;
  }
  const onAbort = (event: Event): void => {
    for (const s of signals) s.removeEventListener('abort', onAbort);
    controller.abort((event.target as AbortSignal).reason);
  };
  for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
  return controller.signal;
}

/** `signal`, or `ms` from now, whichever is first (the per-request bound under the run's deadline). */
export function withTimeout(signal: AbortSignal, ms: number): AbortSignal {
  return anySignal([signal, timeoutSignal(Math.max(1, Math.round(ms)))]);
}

/** Like AbortSignal.timeout, but aborts with a DeadlineError naming the bound. */
export function timeoutSignal(ms: number): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DeadlineError(`no answer within ${Math.round(ms)} ms`)),
    Math.max(0, ms),
  );
  timer.unref();
  return controller.signal;
}

/** The error an aborted signal carries, as an Error. */
export function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new DeadlineError();
}

/**
 * Runs `fn` and rejects as soon as `signal` aborts, whatever `fn` does. `fn` gets a
 * registration hook to release its resources on abort.
 */
export function abortable<T>(
  signal: AbortSignal,
  fn: (onAbort: (cleanup: () => void) => void) => Promise<T>,
): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const cleanups: Array<() => void> = [];
    const onAbort = (): void => {
      for (const c of cleanups) {
        try {
          c();
        } catch {
          // cleanup of an aborted probe must never mask the abort itself
        }
      }
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    fn((c) => cleanups.push(c)).then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
