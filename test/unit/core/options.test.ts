/** Argument parsing into one typed Options object; nothing else reads argv or the environment. */
import { UsageError } from '../../../src/errors';
import { languageFrom, parseArgs, type Options, type ParseContext } from '../../../src/options';

const ctx: ParseContext = { env: {}, stdoutIsTty: false, version: '9.9.9', intlLocale: 'en-US' };

async function options(argv: string[], more: Partial<ParseContext> = {}): Promise<Options> {
  const parsed = await parseArgs(argv, { ...ctx, ...more });
  expect(parsed.kind).toBe('run');
  return parsed.options!;
}

async function refusal(argv: string[]): Promise<string> {
  try {
    await parseArgs(argv, ctx);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

test('a gateway alone gets the documented defaults', async () => {
  const o = await options(['vpn.example.com']);
  expect(o.gateways.map((g) => `${g.host}:${g.port}${g.path}`)).toEqual(['vpn.example.com:443/']);
  expect(o).toMatchObject({ connectTo: null, caFiles: [], format: 'text', output: null, verbose: false, logFile: null, timeoutMs: 15_000, writeReport: true, ntpServersGiven: false });
  expect(o.ntpServers.length).toBeGreaterThan(0);
});

test('options may come before or after the gateway; repeatable ones repeat', async () => {
  const o = await options(['--ca-file', 'a.pem', 'vpn.example.com:8443', '--ca-file', 'b.pem', '--ntp-server', '127.0.0.1:1123', '--ntp-server', 'time.example.com']);
  expect(o.gateways[0]!.port).toBe(8443);
  expect(o.caFiles).toEqual(['a.pem', 'b.pem']);
  expect(o.ntpServers).toEqual([{ host: '127.0.0.1', port: 1123 }, { host: 'time.example.com', port: 123 }]);
  expect(o.ntpServersGiven).toBe(true);
});

test('--json is --format json; --timeout is in seconds', async () => {
  expect((await options(['vpn.example.com', '--json'])).format).toBe('json');
  expect((await options(['vpn.example.com', '--format', 'json', '--json'])).format).toBe('json');
  expect((await options(['vpn.example.com', '--timeout', '2.5'])).timeoutMs).toBe(2500);
});

test('--connect-to takes an IPv4 or IPv6 address, brackets allowed', async () => {
  expect((await options(['vpn.example.com', '--connect-to', '127.0.0.1'])).connectTo).toBe('127.0.0.1');
  expect((await options(['vpn.example.com', '--connect-to', '[::1]'])).connectTo).toBe('::1');
  expect(await refusal(['vpn.example.com', '--connect-to', 'abc'])).toBe('--connect-to needs an IP address, not "abc"');
  expect(await refusal(['vpn.example.com', '--connect-to', '10.1.1'])).toBe('--connect-to needs an IP address, not "10.1.1"');
});

test('--dns-server takes an IP with an optional port', async () => {
  expect((await options(['vpn.example.com', '--dns-server', '127.0.0.1:5353', '--dns-server', '::1'])).dnsServers).toEqual(['127.0.0.1:5353', '[::1]:53']);
  expect(await refusal(['vpn.example.com', '--dns-server', 'cafe'])).toBe('--dns-server needs an IP address, not "cafe"');
});

describe('colour', () => {
  test('only on a terminal, for text', async () => {
    expect((await options(['vpn.example.com'], { stdoutIsTty: true })).color).toBe(true);
    expect((await options(['vpn.example.com'], { stdoutIsTty: false })).color).toBe(false);
    expect((await options(['vpn.example.com', '--json'], { stdoutIsTty: true })).color).toBe(false);
  });

  test('--no-color and NO_COLOR turn it off', async () => {
    expect((await options(['vpn.example.com', '--no-color'], { stdoutIsTty: true })).color).toBe(false);
    expect((await options(['vpn.example.com'], { stdoutIsTty: true, env: { NO_COLOR: '1' } })).color).toBe(false);
    // NO_COLOR counts when set to anything non-empty (no-color.org).
    expect((await options(['vpn.example.com'], { stdoutIsTty: true, env: { NO_COLOR: '' } })).color).toBe(true);
  });
});

describe('language', () => {
  test('--lang wins; else the POSIX locale; else the runtime locale', async () => {
    expect((await options(['vpn.example.com', '--lang', 'ja'])).lang).toBe('ja');
    expect(languageFrom({ LANG: 'ja_JP.UTF-8' }, 'en-US')).toBe('ja');
    expect(languageFrom({ LC_ALL: 'en_US.UTF-8', LANG: 'ja_JP.UTF-8' }, 'ja-JP')).toBe('en');
    expect(languageFrom({ LANG: 'C' }, 'ja-JP')).toBe('ja');
    expect(languageFrom({}, 'en-GB')).toBe('en');
  });
});

describe('refusals name the option', () => {
  test.each([
    [['vpn.example.com', '--format', 'xml'], '--format must be one of text, markdown, html, json, not "xml"'],
    [['vpn.example.com', '--bogus'], 'unknown option --bogus'],
    [['vpn.example.com', '-q', '--nope'], 'unknown options -q, --nope'],
    [['vpn.example.com', '--ca-file'], '--ca-file needs a value'],
    [['vpn.example.com', '--ca-file', ''], '--ca-file needs a value'],
    [['vpn.example.com', '--output'], '--output needs a value'],
    [['vpn.example.com', '--timeout'], '--timeout needs a value'],
    [['vpn.example.com', '--timeout', '0'], '--timeout must be a number of seconds between 0 and 600'],
    [['vpn.example.com', '--timeout', '601'], '--timeout must be a number of seconds between 0 and 600'],
    [['vpn.example.com', '--timeout', '-1'], '--timeout must be a number of seconds between 0 and 600'],
    [['vpn.example.com', '--format', 'json', '--format', 'text'], '--format was given more than once'],
    [['vpn.example.com', '--json', '--format', 'html'], '--json and --format disagree'],
    [['a.example.com', 'b.example.com'], 'give one gateway, not 2 (a.example.com b.example.com)'],
  ])('%j', async (argv, message) => {
    expect(await refusal(argv)).toBe(message);
  });
});

test('--help and --version are answered without a run', async () => {
  expect(await parseArgs(['--version'], ctx)).toEqual({ kind: 'version', output: '9.9.9' });
  const help = await parseArgs(['--help'], ctx);
  expect(help.kind).toBe('help');
  expect(help.output).toMatch(/^Usage: vpn-preflight \[gateway\] \[options\]/);
});
