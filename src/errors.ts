/**
 * The two kinds of error the tool knows (after corepack): a usage error is the
 * user's input and is printed as one line without a stack; everything else is an
 * internal failure, wrapped with its cause.
 */
import type { Lang, MsgParam } from './fixes/i18n';

/** A message in `lang`. The catalogs are loaded on the first usage error, not at every start. */
function render(lang: Lang, m: MsgParam): string {
  const { renderParam } = require('./fixes/i18n') as typeof import('./fixes/i18n');
  return renderParam(lang, m);
}

/**
 * Bad flags, an unparsable gateway, a missing file: exit code 3, one line (and a hint),
 * shown in the run's language with `text`. `message` and `hint` are the English text,
 * for code and logs.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly hint: string | undefined;
  constructor(
    readonly msg: MsgParam,
    readonly hintMsg?: MsgParam,
  ) {
    super(render('en', msg));
    this.hint = hintMsg && render('en', hintMsg);
  }

  /** The line and the hint (if any) in `lang`. */
  text(lang: Lang): { line: string; hint: string | null } {
    return { line: render(lang, this.msg), hint: this.hintMsg ? render(lang, this.hintMsg) : null };
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
