import { errorCode, errorMessage } from './errors';
import type { MessageKey, Params } from './fixes/i18n';

/**
 * A fact carries its status: `ok` with a value, `unsupported` on this OS or in this
 * situation, or `error` with the cause. Never a silent default.
 */
export type Fact<T> =
  | { readonly status: 'ok'; readonly value: T; readonly durationMs: number }
  | { readonly status: 'unsupported'; readonly reason: string; readonly note?: FactNote; readonly durationMs: number }
  | { readonly status: 'error'; readonly error: FactError; readonly durationMs: number };

export interface FactError {
  /** `timeout`, an errno code such as `ECONNREFUSED`, or a probe's own code. */
  readonly code: string;
  readonly message: string;
}

/**
 * The reason of an `unsupported` fact as a sentence of the message catalog, for reasons a
 * user commonly reads (AnyConnect not installed, no time-sync service). `reason` stays the
 * English text for logs and evidence; the report renders the note in its own language.
 */
export interface FactNote {
  readonly key: MessageKey;
  readonly params?: Params;
}

export function ok<T>(value: T, durationMs = 0): Fact<T> {
  return { status: 'ok', value, durationMs };
}

export function unsupported<T>(reason: string, durationMs = 0, note?: FactNote): Fact<T> {
  return note ? { status: 'unsupported', reason, note, durationMs } : { status: 'unsupported', reason, durationMs };
}

export function failed<T>(code: string, message: string, durationMs = 0): Fact<T> {
  return { status: 'error', error: { code, message }, durationMs };
}

/** Runs a gatherer that returns a plain value; any throw becomes an `error` fact. */
export async function gather<T>(fn: () => Promise<T>): Promise<Fact<T>> {
  const start = performance.now();
  try {
    const value = await fn();
    return ok(value, Math.round(performance.now() - start));
  } catch (err) {
    return failed(errorCode(err), errorMessage(err), Math.round(performance.now() - start));
  }
}

/** Runs a gatherer that decides its own status; any throw becomes an `error` fact. */
export async function guard<T>(fn: () => Promise<Fact<T>>): Promise<Fact<T>> {
  const start = performance.now();
  try {
    const f = await fn();
    return f.durationMs ? f : { ...f, durationMs: Math.round(performance.now() - start) };
  } catch (err) {
    return failed(errorCode(err), errorMessage(err), Math.round(performance.now() - start));
  }
}

/** The value of an ok fact, or undefined. */
export function valueOf<T>(f: Fact<T> | undefined): T | undefined {
  return f && f.status === 'ok' ? f.value : undefined;
}
