import { isIP } from 'node:net';
import type { ConfigFile } from './config';
import { UsageError } from './errors';
import type { Lang, MsgParam } from './fixes/i18n';
import { parseHostPort, parseTarget, type HostPort, type Target } from './target';

export type Format = 'text' | 'markdown' | 'html' | 'json';

/** Everything a run is told, parsed once. Nothing else reads argv or the environment. */
export interface Options {
  readonly gateways: readonly Target[];
  readonly connectTo: string | null;
  readonly caFiles: readonly string[];
  readonly ntpServers: readonly HostPort[];
  readonly ntpServersGiven: boolean;
  readonly dnsServers: readonly string[];
  readonly format: Format;
  /** Where the report goes; null: stdout. */
  readonly output: string | null;
  readonly lang: Lang;
  readonly color: boolean;
  readonly verbose: boolean;
  readonly logFile: string | null;
  readonly profiles: readonly string[];
  readonly localPolicy: string | null;
  readonly demo: boolean;
  readonly redact: boolean;
  readonly force: boolean;
  readonly timeoutMs: number;
  /** Write the HTML report file by default (off with --no-report). */
  readonly writeReport: boolean;
  readonly contact: string | null;
  /** Where the default report file goes (config `reportDir` or VPN_PREFLIGHT_REPORT_DIR); null: the usual places. */
  readonly reportDir: string | null;
  /** The settings file that was read, if any. */
  readonly configFile: string | null;
  /** Trust anchors from the settings file. */
  readonly configCa: ConfigFile['caCertificates'];
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const DEFAULT_NTP_SERVERS = ['time.google.com', 'time.cloudflare.com', 'pool.ntp.org', 'time.windows.com'];

export const USAGE_HINT: MsgParam = { key: 'usage.hint.help' };

export interface ParsedArgs {
  readonly kind: 'run' | 'help' | 'version';
  readonly output?: string;
  readonly options?: Options;
}

export interface ParseContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdoutIsTty: boolean;
  readonly version: string;
  /** Locale the runtime sees (Intl), for the default language. */
  readonly intlLocale: string;
  /** Reads the settings file beside the program (in `lang` for its errors); null when none. */
  readonly loadConfig?: (lang: Lang, fileMayChoose: boolean) => Promise<ConfigFile | null>;
  /** Told the run's language as soon as it is known, so that a usage error is shown in it. */
  readonly onLanguage?: (lang: Lang) => void;
}

/** Parses argv (without the node and script entries). Throws UsageError on bad input. */
export async function parseArgs(argv: readonly string[], ctx: ParseContext): Promise<ParsedArgs> {
  // `--version` alone needs no parser, and yargs is loaded only when one is needed:
  // both keep the binary's start-up close to a bare Node's.
  if (argv.length === 1 && argv[0] === '--version') return { kind: 'version', output: ctx.version };
  const { default: yargs } = await import('yargs');
  let helpOrVersion: { kind: 'help' | 'version'; output: string } | null = null;
  const parser = yargs([...argv])
    .scriptName('vpn-preflight')
    .usage('Usage: $0 [gateway] [options]')
    .epilogue(
      [
        'Checks, before you connect, whether a Cisco AnyConnect / Secure Client VPN',
        'will fail certificate verification, and why.',
        '',
        'gateway: vpn.example.com, vpn.example.com:8443 or https://vpn.example.com/group.',
        'Without one: the config file vpn-preflight.json next to the program, else the',
        'gateways in the installed AnyConnect profiles.',
        '',
        'Exit codes: 0 all passed, 1 warnings, 2 failures, 3 usage error, 4 internal error.',
      ].join('\n'),
    )
    .version(ctx.version)
    .help()
    .alias('h', 'help')
    .locale('en')
    .exitProcess(false)
    .strictOptions()
    .wrap(null)
    // Value options take exactly one value each (repeat the option for more), so
    // "--ca-file root.pem vpn.example.com" keeps the gateway as the gateway.
    .option('connect-to', { type: 'string', requiresArg: true, describe: 'Connect to this IP address but verify the certificate for the gateway name' })
    .option('ca-file', { type: 'string', requiresArg: true, describe: 'Extra trust anchor(s): a PEM or DER file (repeatable)' })
    .option('ntp-server', { type: 'string', requiresArg: true, describe: 'Ask these time servers (host[:port], repeatable)' })
    .option('dns-server', { type: 'string', requiresArg: true, describe: 'Resolve the gateway through these DNS servers (ip[:port], repeatable)' })
    .option('format', { type: 'string', choices: ['text', 'markdown', 'html', 'json'], requiresArg: true, describe: 'Report format' })
    .option('output', { alias: 'o', type: 'string', requiresArg: true, describe: 'Write the report to this file' })
    .option('json', { type: 'boolean', describe: 'The JSON report on stdout (same as --format json)' })
    .option('lang', { type: 'string', choices: ['en', 'ja'], requiresArg: true, describe: 'Language (default: from the system locale)' })
    .option('color', { type: 'boolean', default: true, describe: 'Colours on a terminal (--no-color, or NO_COLOR, turns them off)' })
    .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'Explain each step on stderr' })
    .option('log-file', { type: 'string', requiresArg: true, describe: 'Write a detailed log to this file' })
    .option('profile', { type: 'string', requiresArg: true, describe: 'Use this AnyConnect profile XML instead of the installed ones (repeatable)' })
    .option('local-policy', { type: 'string', requiresArg: true, describe: 'Use this AnyConnectLocalPolicy.xml instead of the installed one' })
    .option('demo', { type: 'boolean', default: false, describe: 'Start local gateways with typical faults and diagnose them' })
    .option('redact', { type: 'boolean', default: false, describe: 'Leave user name, computer name and local addresses out of the report' })
    .option('force', { type: 'boolean', default: false, describe: 'Overwrite an existing report file' })
    .option('report', { type: 'boolean', default: true, describe: 'Also save an HTML report file (--no-report: do not)' })
    .option('timeout', { type: 'number', default: 15, requiresArg: true, describe: 'Finish within this many seconds, whatever the network does' })
    .fail((msg, err) => {
      throw new UsageError(oneLine(err ? err.message : msg), USAGE_HINT);
    });
  let parsed: Record<string, unknown>;
  try {
    parsed = await new Promise<Record<string, unknown>>((resolve, reject) => {
      parser.parse([...argv], {}, (err: Error | undefined, args: unknown, output: string) => {
        if (err) return reject(err instanceof UsageError ? err : new UsageError(oneLine(err.message), USAGE_HINT));
        const a = args as Record<string, unknown>;
        if (output && (a.help || a.version)) helpOrVersion = { kind: a.help ? 'help' : 'version', output };
        resolve(a);
      });
    });
  } catch (err) {
    const lang = await langOfRejectedArgs(argv);
    if (lang) ctx.onLanguage?.(lang);
    if (err instanceof UsageError) throw err;
    throw new UsageError(oneLine(err instanceof Error ? err.message : String(err)), USAGE_HINT);
  }
  if (helpOrVersion) return helpOrVersion;
  if (parsed.lang === 'en' || parsed.lang === 'ja') ctx.onLanguage?.(parsed.lang);

  for (const name of ['connect-to', 'format', 'output', 'lang', 'log-file', 'local-policy', 'timeout']) {
    if (Array.isArray(parsed[name])) throw new UsageError({ key: 'usage.option.repeated', params: { option: `--${name}` } }, USAGE_HINT);
  }
  const positional = (parsed._ as Array<string | number>).map(String);
  if (positional.length > 1) throw new UsageError({ key: 'usage.option.too-many-gateways', params: { count: positional.length, gateways: positional.join(' ') } }, USAGE_HINT);
  const cliLang = strOpt(parsed.lang, 'lang') as Lang | null;
  // The command line wins over the settings file; the file fills in what it leaves open.
  const config = ctx.loadConfig ? await ctx.loadConfig(cliLang ?? languageFrom(ctx.env, ctx.intlLocale), cliLang === null) : null;
  const lang = cliLang ?? config?.language ?? languageFrom(ctx.env, ctx.intlLocale);
  ctx.onLanguage?.(lang);
  const gateways = positional.length ? [parseTarget(positional[0]!)] : [...(config?.gateways ?? [])];

  const connectTo = strOpt(parsed['connect-to'], 'connect-to');
  if (connectTo !== null && isIP(connectTo.replace(/^\[|\]$/g, '')) === 0) {
    throw new UsageError({ key: 'usage.option.needs-ip', params: { option: '--connect-to', value: JSON.stringify(connectTo) } }, USAGE_HINT);
  }
  const timeout = Number(parsed.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 600) {
    throw new UsageError({ key: 'usage.option.timeout' }, USAGE_HINT);
  }
  const ntpGiven = arrOpt(parsed['ntp-server'], 'ntp-server');
  const dnsServers = arrOpt(parsed['dns-server'], 'dns-server').map((s) => {
    const hp = parseHostPort(s, 53, '--dns-server');
    if (isIP(hp.host) === 0) throw new UsageError({ key: 'usage.option.needs-ip', params: { option: '--dns-server', value: JSON.stringify(s) } }, USAGE_HINT);
    return hp.host.includes(':') ? `[${hp.host}]:${hp.port}` : `${hp.host}:${hp.port}`;
  });
  const json = parsed.json === true;
  const format = (json ? 'json' : (strOpt(parsed.format, 'format') as Format | null)) ?? 'text';
  if (json && parsed.format && parsed.format !== 'json') throw new UsageError({ key: 'usage.option.json-format' }, USAGE_HINT);
  const env = ctx.env;
  const color = parsed.color !== false && !env.NO_COLOR && ctx.stdoutIsTty && format === 'text';
  return {
    kind: 'run',
    options: {
      gateways,
      connectTo: connectTo ? connectTo.replace(/^\[|\]$/g, '') : null,
      caFiles: arrOpt(parsed['ca-file'], 'ca-file'),
      ntpServers: ntpGiven.length
        ? ntpGiven.map((s) => parseHostPort(s, 123, '--ntp-server'))
        : config?.ntpServers.length
          ? config.ntpServers
          : DEFAULT_NTP_SERVERS.map((s) => parseHostPort(s, 123, '--ntp-server')),
      ntpServersGiven: ntpGiven.length > 0 || (config?.ntpServers.length ?? 0) > 0,
      dnsServers,
      format,
      output: strOpt(parsed.output, 'output'),
      lang,
      color,
      verbose: parsed.verbose === true,
      logFile: strOpt(parsed['log-file'], 'log-file'),
      profiles: arrOpt(parsed.profile, 'profile'),
      localPolicy: strOpt(parsed['local-policy'], 'local-policy'),
      demo: parsed.demo === true,
      redact: parsed.redact === true,
      force: parsed.force === true,
      timeoutMs: Math.round(timeout * 1000),
      writeReport: parsed.report !== false,
      contact: config?.contact ?? null,
      reportDir: env.VPN_PREFLIGHT_REPORT_DIR || config?.reportDir || null,
      configFile: config?.path ?? null,
      configCa: config?.caCertificates ?? [],
      env,
    },
  };
}

function strOpt(v: unknown, name: string): string | null {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) throw new UsageError({ key: 'usage.option.repeated', params: { option: `--${name}` } }, USAGE_HINT);
  const s = String(v);
  if (s.trim() === '') throw new UsageError({ key: 'usage.option.needs-value', params: { option: `--${name}` } }, USAGE_HINT);
  return s;
}

function arrOpt(v: unknown, name: string): string[] {
  if (v === undefined || v === null) return [];
  const list = (Array.isArray(v) ? v : [v]).map(String);
  // yargs gives [] for a repeatable option written without its value.
  if (list.length === 0 || list.some((s) => s.trim() === '')) throw new UsageError({ key: 'usage.option.needs-value', params: { option: `--${name}` } }, USAGE_HINT);
  return list;
}

/** `--lang` when yargs refused the command line: given once, with a known value; else null. */
async function langOfRejectedArgs(argv: readonly string[]): Promise<Lang | null> {
  const { Parser } = await import('yargs/helpers');
  const lang: unknown = Parser([...argv], { string: ['lang'] }).lang;
  return lang === 'en' || lang === 'ja' ? lang : null;
}

/** yargs' multi-line complaints as one line a user can act on, in our words where we know them. */
function oneLine(msg: string): MsgParam {
  const unknown = /^Unknown arguments?: (.*)$/.exec(msg.trim());
  if (unknown) {
    const names = unknown[1]!.split(', ').map((n) => (n.length === 1 ? `-${n}` : `--${n}`));
    return { key: names.length > 1 ? 'usage.option.unknown-many' : 'usage.option.unknown', params: { names: { list: names, plain: true } } };
  }
  const missing = /^Not enough arguments following: ([\w-]+)/.exec(msg.trim());
  if (missing) return { key: 'usage.option.needs-value', params: { option: `--${missing[1]}` } };
  const invalid = /Argument: ([\w-]+), Given: (.*?), Choices: (.*)/.exec(msg);
  if (invalid) {
    const choices = invalid[3]!.replace(/"/g, '').split(', ');
    return { key: 'usage.option.choices', params: { option: `--${invalid[1]}`, choices: { list: choices, plain: true }, given: invalid[2]! } };
  }
  return { key: 'usage.verbatim', params: { text: msg.replace(/\s*\n\s*/g, ' ').trim() } };
}

/** ja when the system locale is Japanese, else en. */
export function languageFrom(env: Readonly<Record<string, string | undefined>>, intlLocale: string): Lang {
  const posix = env.LC_ALL || env.LC_MESSAGES || env.LANG || env.LANGUAGE;
  const tag = posix && posix !== 'C' && posix !== 'POSIX' ? posix : intlLocale;
  return /^ja([_-]|$)/i.test(tag ?? '') ? 'ja' : 'en';
}
