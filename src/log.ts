/**
 * The one logger. Without --log-file or --verbose it records nothing and costs
 * nothing (winston is loaded only when a log is wanted). Never logs key material,
 * passwords or cookies: callers pass facts, and facts never hold them.
 */
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
  /** Also write info and up to stderr. */
  readonly verbose: boolean;
}

export function createLogger(opts: LoggerOptions): Logger {
  if (!opts.file && !opts.verbose) return nullLogger;
  const winston = require('winston') as typeof import('winston');
  const transports: import('winston').transport[] = [];
  if (opts.file) {
    transports.push(
      new winston.transports.File({
        filename: opts.file,
        level: 'debug',
        format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
      }),
    );
  }
  if (opts.verbose) {
    transports.push(
      new winston.transports.Stream({
        stream: process.stderr,
        level: 'info',
        format: winston.format.printf((i) => `vpn-preflight: ${String(i.message)}`),
      }),
    );
  }
  const logger = winston.createLogger({ level: 'debug', transports });
  return {
    debug: (m, meta) => logger.debug(m, meta),
    info: (m, meta) => logger.info(m, meta),
    warn: (m, meta) => logger.warn(m, meta),
    close: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        logger.on('finish', () => {
          clearTimeout(timer);
          resolve();
        });
        logger.end();
      }),
  };
}
