import pkg from '../package.json';
import { UsageError, errorMessage } from './errors';
import { parseArgs } from './options';

/**
 * Argument parsing and exit codes, nothing else: 0 all pass, 1 warnings only, 2 at
 * least one failure, 3 usage error, 4 internal error.
 */
export async function main(argv: readonly string[], io: import('./app').Io & { env: Readonly<Record<string, string | undefined>> }): Promise<number> {
  try {
    const parsed = await parseArgs(argv, {
      env: io.env,
      stdoutIsTty: Boolean(io.stdout.isTTY),
      version: pkg.version,
      // A getter: ICU's locale set-up costs ~15 ms, which --version and --help never need.
      get intlLocale() {
        return Intl.DateTimeFormat().resolvedOptions().locale;
      },
    });
    if (parsed.kind !== 'run') {
      io.stdout.write(`${parsed.output ?? ''}\n`);
      return 0;
    }
    const { runApp } = await import('./app');
    const result = await runApp(parsed.options!, pkg.version, io);
    return result.exitCode;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`vpn-preflight: ${err.message}\n${err.hint ? `${err.hint}\n` : ''}`);
      return 3;
    }
    io.stderr.write(`vpn-preflight: internal error: ${errorMessage(err)}\n`);
    if (io.env.VPN_PREFLIGHT_DEBUG) io.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
    return 4;
  }
}

/** The process entry: real stdio, Ctrl-C wired to the run's deadline, exit when written. */
export function start(): void {
  let interrupted = 0;
  const handlers = new Set<() => void>();
  process.on('SIGINT', () => {
    interrupted++;
    if (interrupted > 1) process.exit(130);
    for (const h of handlers) h();
  });
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: { ...process.env },
    platform: process.platform,
    sinceStartMs: () => performance.now(),
    onInterrupt: (h) => {
      handlers.add(h);
      return () => handlers.delete(h);
    },
  }).then(
    (code) => {
      // Exit once stdout is flushed: stray sockets (a silent NTP server) must not keep us alive.
      process.stdout.write('', () => process.exit(code));
    },
    (err: unknown) => {
      process.stderr.write(`vpn-preflight: internal error: ${errorMessage(err)}\n`);
      process.exit(4);
    },
  );
}

if (require.main === module) start();
