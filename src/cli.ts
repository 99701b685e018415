import * as readline from 'node:readline';
import pkg from '../package.json';
import { UsageError, errorMessage } from './errors';
import type { Lang } from './fixes/i18n';
import { languageFrom, parseArgs } from './options';

export type CliIo = import('./app').Io & {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdinIsTTY?: boolean;
  /** The folder of the program, where vpn-preflight.json is looked for. */
  readonly installDir?: string;
  /** Waits until the person presses Enter. */
  readonly waitForEnter?: () => Promise<void>;
};

/**
 * A console window that Windows opened for a double-click closes when the program ends.
 * The double-click case, as far as a program can tell: Windows, no arguments at all,
 * and a terminal on both stdin and stdout (a script or a pipe never waits). Typing
 * `vpn-preflight` with no arguments in a console also waits; that costs one Enter.
 */
export function opensOwnWindow(argv: readonly string[], platform: NodeJS.Platform, stdinIsTTY: boolean, stdoutIsTTY: boolean): boolean {
  return platform === 'win32' && argv.length === 0 && stdinIsTTY && stdoutIsTTY;
}

/**
 * Argument parsing and exit codes, nothing else: 0 all pass, 1 warnings only, 2 at
 * least one failure, 3 usage error, 4 internal error.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  // Known as soon as the options say it (--lang, the settings file); before that, from the
  // environment (for a usage error and the last words).
  let lang: Lang | null = null;
  const runLang = (): Lang => lang ?? languageFrom(io.env, Intl.DateTimeFormat().resolvedOptions().locale);
  let code: number;
  try {
    const parsed = await parseArgs(argv, {
      env: io.env,
      stdoutIsTty: Boolean(io.stdout.isTTY),
      version: pkg.version,
      // A getter: ICU's locale set-up costs ~15 ms, which --version and --help never need.
      get intlLocale() {
        return Intl.DateTimeFormat().resolvedOptions().locale;
      },
      // Loaded only for a run: --version and --help never read the settings file.
      loadConfig: async (l, fileMayChoose) => {
        const [{ loadConfig }, { installDir }] = await Promise.all([import('./config'), import('./install-dir')]);
        return loadConfig(io.installDir ?? installDir(), l, fileMayChoose);
      },
      onLanguage: (l) => (lang = l),
    });
    if (parsed.kind !== 'run') {
      io.stdout.write(`${parsed.output ?? ''}\n`);
      return 0;
    }
    lang = parsed.options!.lang;
    const { runApp } = await import('./app');
    const result = await runApp(parsed.options!, pkg.version, io);
    code = result.exitCode;
  } catch (err) {
    if (err instanceof UsageError) {
      // One line each, whatever a parameter holds.
      const { line, hint } = err.text(runLang());
      io.stderr.write(`vpn-preflight: ${line.split('\n')[0]}\n${hint ? `${hint.split('\n')[0]}\n` : ''}`);
      code = 3;
    } else {
      io.stderr.write(internalErrorText(err, io.env));
      code = 4;
    }
  }
  if (io.waitForEnter && opensOwnWindow(argv, io.platform, Boolean(io.stdinIsTTY), Boolean(io.stdout.isTTY))) {
    const { t } = await import('./fixes/i18n');
    io.stdout.write(`\n${t(runLang(), 'ui.press-enter')}\n`);
    await io.waitForEnter();
  }
  return code;
}

/** One line from the terminal (null when stdin ends first). */
function readLine(question: string): Promise<string | null> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: false });
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolve(line);
    });
    rl.once('close', () => {
      if (!answered) resolve(null);
    });
    process.stdout.write(question);
  });
}

/** One line for an internal error; the stack only when VPN_PREFLIGHT_DEBUG is set. */
export function internalErrorText(err: unknown, env: Readonly<Record<string, string | undefined>>): string {
  const line = `vpn-preflight: internal error: ${errorMessage(err)}\n`;
  return env.VPN_PREFLIGHT_DEBUG && err instanceof Error && err.stack ? `${line}${err.stack}\n` : line;
}

/**
 * What Ctrl-C does. The first during a run ends the run (each registered handler aborts
 * its deadline), which still writes the report of what it learned. A second one, or one
 * while no run is going on (a question on the terminal), ends the program at once: 130.
 */
export function interruptHandler(handlers: ReadonlySet<() => void>, exit: (code: number) => void): () => void {
  let count = 0;
  return () => {
    count++;
    if (count > 1 || handlers.size === 0) {
      exit(130);
      return;
    }
    for (const h of handlers) h();
  };
}

/** The process entry: real stdio, Ctrl-C wired to the run's deadline, exit when written. */
export function start(): void {
  const env: Readonly<Record<string, string | undefined>> = { ...process.env };
  // A stray exception (an event emitter's unhandled 'error', a callback that throws) must
  // still end as one line and exit code 4, never as Node's stack dump and exit 1.
  process.on('uncaughtException', (err: unknown) => {
    process.stderr.write(internalErrorText(err, env));
    process.exit(4);
  });
  const handlers = new Set<() => void>();
  process.on('SIGINT', interruptHandler(handlers, (code) => process.exit(code)));
  const terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env,
    platform: process.platform,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    sinceStartMs: () => performance.now(),
    onInterrupt: (h) => {
      handlers.add(h);
      return () => handlers.delete(h);
    },
    // Asking needs a person at a terminal; a script gets the explanation instead.
    ...(terminal ? { prompt: readLine } : {}),
    waitForEnter: () => readLine('').then(() => undefined),
  }).then(
    (code) => {
      // Exit once stdout is flushed: stray sockets (a silent NTP server) must not keep us alive.
      process.stdout.write('', () => process.exit(code));
    },
    (err: unknown) => {
      process.stderr.write(internalErrorText(err, env));
      process.exit(4);
    },
  );
}

if (require.main === module) start();
