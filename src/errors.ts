/**
 * The two kinds of error the tool knows (after corepack): a usage error is the
 * user's input and is printed as one line without a stack; everything else is an
 * internal failure, wrapped with its cause.
 */

/** Bad flags, an unparsable gateway, a missing file: exit code 3, one line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

/** The run's deadline fired before this step finished. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  constructor(message = 'the run reached its time limit') {
    super(message);
  }
}

/** A short, stable code for any error a probe may see (errno code, or our own). */
export function errorCode(err: unknown): string {
  if (err instanceof DeadlineError) return 'timeout';
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; name?: unknown };
    if (typeof e.code === 'string' && e.code) return e.code;
    if (e.name === 'TimeoutError' || e.name === 'DeadlineError') return 'timeout';
    if (e.name === 'AbortError') return 'aborted';
  }
  return 'error';
}

/** A one-line message for any thrown value, never a stack. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}
