import { execFile } from 'node:child_process';

/** What a command printed and how it ended. */
export interface ExecResult {
  /** Exit code; null when killed (timeout, abort) or not started. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the command could not run at all (ENOENT: not installed). */
  readonly spawnError: string | null;
  readonly timedOut: boolean;
}

export interface ExecOptions {
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /** Output larger than this is cut and the command killed. */
  readonly maxBuffer?: number;
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * The one way the tool runs an OS command: a program and an argument array, never a
 * shell string; hidden window on Windows; UTF-8; bounded time and output.
 */
export type Exec = (file: string, args: readonly string[], options: ExecOptions) => Promise<ExecResult>;

export const realExec: Exec = (file, args, options) =>
  new Promise<ExecResult>((resolve) => {
    if (options.signal.aborted) {
      resolve({ code: null, stdout: '', stderr: '', spawnError: 'aborted', timedOut: true });
      return;
    }
    const child = execFile(
      file,
      [...args],
      {
        shell: false,
        windowsHide: true,
        encoding: 'utf8',
        timeout: Math.max(1, Math.round(options.timeoutMs)),
        maxBuffer: options.maxBuffer ?? 16 * 1024 * 1024,
        signal: options.signal,
        env: options.env ? { ...process.env, ...options.env } : process.env,
      },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
        const spawnFailed = e && typeof e.code === 'string' && e.code !== 'ABORT_ERR' && e.code !== 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER';
        resolve({
          code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
          stdout: String(stdout ?? ''),
          stderr: String(stderr ?? ''),
          spawnError: spawnFailed ? `${e.code}: ${e.message.split('\n')[0]}` : null,
          timedOut: Boolean(e && (e.killed || e.code === 'ABORT_ERR')),
        });
      },
    );
    child.stdin?.end();
  });
