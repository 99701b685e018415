/**
 * The one logger. Without --log-file or --verbose it records nothing and costs
 * nothing (winston is loaded only when a log is wanted). Never logs key material,
 * passwords or cookies: callers pass facts, and facts never hold them.
 */
import { constants, createWriteStream, openSync, type WriteStream } from 'node:fs';
import { UsageError, errorMessage } from './errors';
import { msgRef } from './fixes/i18n';

export interface Logger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  close(): Promise<void>;
}

export const nullLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  close: async () => undefined,
};

export interface LoggerOptions {
  /** Write everything (debug and up) to this file. */
  readonly file: string | null;
  /** Also write every step to stderr. */
  readonly verbose: boolean;
  /** Applied to every message before it is written (--redact). */
  readonly filter?: (message: string) => string;
}

/**
 * The logger for this run. Throws a UsageError when the log file cannot be opened for
 * writing: a bad --log-file is the user's input, found before anything runs.
 */
export function createLogger(opts: LoggerOptions): Logger {
  if (!opts.file && !opts.verbose) return nullLogger;
  const winston = require('winston') as typeof import('winston');
  const transports: import('winston').transport[] = [];
  let fileStream: WriteStream | null = null;
  if (opts.file) {
    // Opened here rather than by winston's File transport, which retries an unwritable
    // path forever instead of failing.
    let fd: number;
    try {
      // Without blocking: a FIFO nobody reads must not stop the run before it starts.
      fd = openSync(opts.file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NONBLOCK ?? 0), 0o600);
    } catch (err) {
      throw new UsageError(msgRef('usage.log-file.unwritable', { file: opts.file, detail: (err as NodeJS.ErrnoException).code ?? errorMessage(err) }));
    }
    const stream = createWriteStream('', { fd });
    stream.once('error', (err) => process.stderr.write(`vpn-preflight: the log file ${opts.file} stopped being written (${errorMessage(err)})\n`));
    fileStream = stream;
    transports.push(
      new winston.transports.Stream({
        stream,
        level: 'debug',
        format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
      }),
    );
  }
  if (opts.verbose) {
    transports.push(
      new winston.transports.Stream({
        stream: process.stderr,
        // The run's steps are debug lines: --verbose is for seeing exactly those.
        level: 'debug',
        format: winston.format.printf((i) => `vpn-preflight: ${String(i.message)}`),
      }),
    );
  }
  const logger = winston.createLogger({ level: 'debug', transports });
  const f = opts.filter ?? ((m: string): string => m);
  return {
    debug: (m, meta) => logger.debug(f(m), meta),
    info: (m, meta) => logger.info(f(m), meta),
    warn: (m, meta) => logger.warn(f(m), meta),
    close: () =>
      new Promise<void>((resolve) => {
        // Bounded: a log must never hold the run's exit for long. Long enough, on a busy
        // computer, for a failed write to be reported before the process exits.
        const timer = setTimeout(resolve, 3000);
        const done = (): void => {
          clearTimeout(timer);
          resolve();
        };
        // The file is done when it is closed, after its last write or its first failure.
        fileStream?.once('close', done);
        logger.on('finish', () => {
          if (!fileStream || fileStream.destroyed) return done();
          fileStream.end();
        });
        logger.end();
      }),
  };
}
