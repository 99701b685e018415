import { failed, type Fact } from '../src/facts';
import type { ExecResult } from './exec';

/** The first non-empty line of a command's output, bounded, for an error message. */
export function firstLine(s: string): string {
  return (s.trim().split(/\r?\n/)[0] ?? '').trim().slice(0, 200);
}

/** The `error` fact for a command that could not run or did not succeed. */
export function commandFailed<T>(what: string, r: ExecResult): Fact<T> {
  if (r.spawnError) return failed('spawn', `${what} could not be started (${r.spawnError})`);
  if (r.timedOut) return failed('timeout', `${what} did not finish in time`);
  return failed('exit', `${what} failed (exit ${r.code ?? '?'}): ${firstLine(r.stderr || r.stdout) || 'no output'}`);
}

/**
 * Runs `fn` once, with the first caller's argument; later callers share its promise (one
 * `reg query` for several facts). Every caller's signal comes from the same run deadline.
 */
export function once<A, T>(fn: (arg: A) => Promise<T>): (arg: A) => Promise<T> {
  let p: Promise<T> | null = null;
  return (arg) => (p ??= fn(arg));
}
