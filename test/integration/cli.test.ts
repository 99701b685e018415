/**
 * The real CLI (dist/cli.js) as a user runs it: bad input ends in one clear line and
 * exit code 3 before anything touches the network; the JSON report stays pure however
 * much is logged; colours and cursor codes appear only on a terminal that wants them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import pkg from '../../package.json';
import { linuxAdapter } from '../../platform/linux';
import { main } from '../../src/cli';
import { jsonOf, runCli, type CliResult } from '../helpers/cli';
import { issue, makeIntermediate, makeLeaf, makeRoot, standardChain, type Issued } from '../helpers/pki';
import { pemFile, tempDir } from '../helpers/scenario';
import { Servers, closedPort, startNtpServer, startTlsServer } from '../helpers/servers';
import { fakeDeps } from '../unit/anyconnect/fixtures';

const dir = tempDir();
const servers = new Servers();
afterAll(() => servers.closeAll());

/** What every usage error looks like: exit 3, nothing on stdout, one line (plus at most a hint), no stack. */
function expectUsageError(r: CliResult, firstLine: RegExp): void {
  expect({ exitCode: r.exitCode, stdout: r.stdout }).toEqual({ exitCode: 3, stdout: '' });
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines.length).toBeLessThanOrEqual(2);
  expect(lines[0]).toMatch(/^vpn-preflight: /);
  expect(lines[0]).toMatch(firstLine);
  expect(r.stderr).not.toMatch(/^\s+at |Error:|node:internal/m);
}

describe('bad input: one clear line, exit 3', () => {
  const garbage = path.join(dir, 'garbage.pem');
  writeFileSync(garbage, 'this is not a certificate\n');
  const brokenBase64 = path.join(dir, 'broken-base64.pem');
  writeFileSync(brokenBase64, '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIE!!!!broken!!!!\n-----END CERTIFICATE-----\n');
  const privateKeyOnly = path.join(dir, 'key-only.pem');
  writeFileSync(privateKeyOnly, standardChain().leaf.keyPem);

  test.each([
    ['an unparsable gateway', ['https://'], /"https:\/\/" is not a gateway name, host:port or https:\/\/ URL/],
    ['a gateway with an empty label', ['vpn..example.com'], /"vpn\.\.example\.com" is not a valid host name/],
    ['a gateway with spaces', ['vpn example.com'], /contains spaces or control characters/],
    ['another URL scheme', ['http://vpn.example.com'], /uses http:\/\/; AnyConnect gateways are reached over https:\/\//],
    ['a port out of range', ['vpn.example.com:70000'], /the port "70000" in "vpn.example.com:70000" is not between 1 and 65535/],
    ['port 0', ['vpn.example.com:0'], /the port "0"/],
    ['a port that is not a number', ['https://vpn.example.com:https/'], /the port "https"/],
    ['two gateways', ['vpn1.example.com', 'vpn2.example.com'], /give one gateway, not 2 \(vpn1.example.com vpn2.example.com\)/],
    ['a missing --ca-file', ['vpn.example.com', '--ca-file', path.join(dir, 'no-such-root.pem')], /cannot read --ca-file .*no-such-root.pem: no such file/],
    ['--ca-file without a file name', ['vpn.example.com', '--ca-file'], /--ca-file needs a value/],
    ['a --ca-file that is a folder', ['vpn.example.com', '--ca-file', dir], /cannot read --ca-file .*: it is a folder, not a file \(EISDIR\)/],
    ['a --ca-file that is garbage', ['vpn.example.com', '--ca-file', garbage], /--ca-file .*garbage.pem is neither a PEM nor a DER certificate/],
    ['a PEM with a broken base64 body', ['vpn.example.com', '--ca-file', brokenBase64], /--ca-file .*broken-base64.pem holds a PEM block that is not valid base64/],
    ['a PEM with only a private key', ['vpn.example.com', '--ca-file', privateKeyOnly], /has no complete "BEGIN CERTIFICATE" block/],
    ['an unknown flag', ['vpn.example.com', '--bogus'], /unknown option --bogus/],
    ['--format xml', ['vpn.example.com', '--format', 'xml'], /--format must be one of text, markdown, html, json, not "xml"/],
    ['--lang de', ['vpn.example.com', '--lang', 'de'], /--lang must be one of en, ja, not "de"/],
    ['--timeout -1', ['vpn.example.com', '--timeout', '-1'], /--timeout must be a number of seconds between 0 and 600/],
    ['--timeout abc', ['vpn.example.com', '--timeout', 'abc'], /--timeout must be a number of seconds/],
    ['--timeout without a value', ['vpn.example.com', '--timeout'], /--timeout needs a value/],
    ['--connect-to a name', ['vpn.example.com', '--connect-to', 'other.example.com'], /--connect-to needs an IP address/],
    ['--json with another --format', ['vpn.example.com', '--json', '--format', 'text'], /--json and --format disagree/],
    ['a log file that cannot be written', ['vpn.example.com', '--log-file', path.join(dir, 'no-such-dir', 'run.log')], /cannot write --log-file .*run.log: ENOENT/],
  ])('%s', async (_what, args, firstLine) => {
    const r = await runCli(args);
    expectUsageError(r, firstLine);
    // Refused before any probe could start.
    expect(r.durationMs).toBeLessThan(5000);
  });

  test('options may come before the gateway: a --ca-file value never swallows it', async () => {
    const r = await runCli(['--ca-file', path.join(dir, 'no-such-root.pem'), 'vpn.example.com']);
    expectUsageError(r, /cannot read --ca-file .*no-such-root.pem: no such file/);
  });

  test('a password in the gateway URL is refused without being echoed', async () => {
    const r = await runCli(['https://alice:s3cret@vpn.example.com/staff']);
    expectUsageError(r, /must not contain a user name or password/);
    expect(r.stderr).not.toContain('s3cret');
  });
});

describe('bad input on a Japanese system or with --lang ja: the line and the hint in Japanese', () => {
  const existing = path.join(dir, 'existing-report.html');
  writeFileSync(existing, '<p>an earlier report</p>\n');
  const missingCa = path.join(dir, 'no-such-root.pem');
  const HELP_HINT = 'オプションの一覧は "vpn-preflight --help" で表示できます。';
  const cases: Array<[string, string[], string[]]> = [
    ['a port out of range in the gateway', ['vpn.example.com:99999'], ['vpn-preflight: "vpn.example.com:99999" のポート番号「99999」が 1～65535 の範囲にありません。']],
    ['a missing --ca-file', ['vpn.example.com', '--ca-file', missingCa], [`vpn-preflight: --ca-file ${missingCa} を読み取れません（ファイルがありません）。`]],
    ['a folder as --ca-file', ['vpn.example.com', '--ca-file', dir], [`vpn-preflight: --ca-file ${dir} を読み取れません（ファイルではなくフォルダーです（EISDIR））。`]],
    [
      'an existing --output without --force',
      ['vpn.example.com', '--output', existing, '--no-report'],
      [`vpn-preflight: ${existing} はすでにあります。上書きするには --force を付けるか、--output に別のファイル名を指定してください。`],
    ],
    ['an unknown flag', ['vpn.example.com', '--bogus'], ['vpn-preflight: --bogus というオプションはありません。', HELP_HINT]],
  ];
  const ways: Array<[string, string[], Record<string, string>]> = [
    ['--lang ja', ['--lang', 'ja'], {}],
    ['LANG=ja_JP.UTF-8', [], { LANG: 'ja_JP.UTF-8' }],
  ];
  test.each(ways.flatMap(([how, extra, env]) => cases.map(([what, args, lines]) => [`${what} (${how})`, [...args, ...extra], env, lines] as const)))(
    '%s',
    async (_what, args, env, lines) => {
      const r = await runCli(args, { env });
      // Exactly these lines: no stack, no English, nothing else.
      expect({ exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }).toEqual({ exitCode: 3, stdout: '', stderr: `${lines.join('\n')}\n` });
    },
  );

  test('--lang en on a Japanese system keeps the English words', async () => {
    const r = await runCli(['vpn.example.com', '--bogus', '--lang', 'en'], { env: { LANG: 'ja_JP.UTF-8' } });
    expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 3, stderr: 'vpn-preflight: unknown option --bogus\nRun "vpn-preflight --help" for the options.\n' });
    expect(readFileSync(existing, 'utf8')).toBe('<p>an earlier report</p>\n');
  });

  test('a gateway typed at the Japanese question is refused in Japanese', async () => {
    let out = '';
    let err = '';
    let asked = '';
    const code = await main([], {
      stdout: { write: (s: string) => (out += s), isTTY: true, columns: 100 },
      stderr: { write: (s: string) => (err += s) },
      platform: 'linux',
      env: { LANG: 'ja_JP.UTF-8', HOME: dir },
      installDir: dir,
      adapter: linuxAdapter(fakeDeps({})),
      prompt: async (question) => {
        asked = question;
        return 'vpn.example.com:99999';
      },
    });
    expect(asked).toContain('VPN のアドレス');
    expect(out).toBe('');
    expect({ code, err }).toEqual({ code: 3, err: 'vpn-preflight: "vpn.example.com:99999" のポート番号「99999」が 1～65535 の範囲にありません。\n' });
  });
});

describe('internal errors', () => {
  test('an exception thrown outside the run (an emitter, a callback) is one line and exit 4', async () => {
    // Preloaded into the real CLI: throws from a timer once the CLI has started.
    const stray = path.join(dir, 'stray-throw.js');
    writeFileSync(stray, "setImmediate(() => { throw new RangeError('stray failure\\n    at somewhere (x.js:1:1)'); });\n");
    const port = await closedPort();
    const args = [`localhost:${port}`, '--connect-to', '127.0.0.1', '--ntp-server', '127.0.0.1:9', '--no-report', '--timeout', '5'];
    const r = await runCli(args, { env: { NODE_OPTIONS: `--require ${stray}` } });
    expect(r).toMatchObject({ exitCode: 4, stdout: '', stderr: 'vpn-preflight: internal error: stray failure\n' });
    const debug = await runCli(args, { env: { NODE_OPTIONS: `--require ${stray}`, VPN_PREFLIGHT_DEBUG: '1' } });
    expect(debug.exitCode).toBe(4);
    expect(debug.stderr).toMatch(/^vpn-preflight: internal error: stray failure\nRangeError: stray failure\n/);
  });
});

describe('--version and --help', () => {
  test('--version prints the package version and exits 0', async () => {
    const r = await runCli(['--version']);
    expect(r).toMatchObject({ exitCode: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  test('--help prints the usage and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: vpn-preflight \[gateway\] \[options\]/);
    for (const option of ['--connect-to', '--ca-file', '--format', '--json', '--output', '--timeout', '--verbose', '--log-file', '--no-color']) {
      expect(r.stdout).toContain(option);
    }
  });
});

describe('output channels against a real gateway', () => {
  let gateway: string;
  let common: string[];

  beforeAll(async () => {
    const { root, intermediate, leaf } = standardChain('localhost');
    const tls = servers.track(await startTlsServer({ key: leaf.keyPem, chain: [leaf, intermediate] }));
    const ntp = servers.track(await startNtpServer({ offsetMs: 0 }));
    gateway = `localhost:${tls.port}`;
    common = ['--connect-to', '127.0.0.1', '--ca-file', pemFile(dir, 'root.pem', root), '--ntp-server', `127.0.0.1:${ntp.port}`, '--no-report', '--timeout', '10'];
  });

  test('--json --verbose --log-file: pure JSON on stdout, the steps on stderr, the log in the file', async () => {
    const logFile = path.join(dir, 'run.log');
    const r = await runCli([gateway, ...common, '--json', '--verbose', '--log-file', logFile]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith('{')).toBe(true);
    expect(r.stdout.endsWith('}\n')).toBe(true);
    expect(jsonOf(r).verdict).toBe('pass');
    expect(r.stderr).toMatch(/^vpn-preflight: tcp: connected to 127\.0\.0\.1:\d+/m);
    const log = readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { level: string; message: string; timestamp: string });
    expect(log.length).toBeGreaterThan(3);
    expect(log.map((l) => l.message)).toEqual(expect.arrayContaining([expect.stringMatching(/^tcp: connected to 127\.0\.0\.1:\d+/), expect.stringMatching(/^verdict pass/)]));
    expect(log.every((l) => l.level === 'debug' && !Number.isNaN(Date.parse(l.timestamp)))).toBe(true);
  });

  test('--log-file alone writes the log and keeps stderr quiet', async () => {
    const logFile = path.join(dir, 'quiet.log');
    const r = await runCli([gateway, ...common, '--json', '--log-file', logFile]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(readFileSync(logFile, 'utf8')).toContain('"message":"verdict pass');
  });

  test('text piped to another program has neither colours nor cursor movements, even without NO_COLOR', async () => {
    const r = await runCli([gateway, ...common], { env: { NO_COLOR: undefined } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('All checks passed');
    expect(r.stdout).not.toContain('\x1b');
  });

  describe('on a terminal', () => {
    async function onTerminal(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
      let out = '';
      const code = await main([gateway, ...common, ...args], {
        stdout: { write: (s: string) => (out += s), isTTY: true, columns: 100 },
        stderr: { write: (s: string) => (out += s) },
        platform: 'linux',
        env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'en_US.UTF-8', ...env },
      });
      return { code, out };
    }
    const SGR = /\x1b\[[0-9;]*m/;
    const CURSOR = /\x1b\[\d+[AB]/;

    test('the live checklist moves the cursor and uses colours', async () => {
      const r = await onTerminal([]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(CURSOR);
      expect(r.out).toMatch(SGR);
    });

    test('--no-color removes every colour; the checklist still ticks', async () => {
      const r = await onTerminal(['--no-color']);
      expect(r.code).toBe(0);
      expect(r.out).not.toMatch(SGR);
      expect(r.out).toMatch(CURSOR);
      expect(r.out).toContain('All checks passed');
    });

    test('NO_COLOR removes every colour too', async () => {
      const r = await onTerminal([], { NO_COLOR: '1' });
      expect(r.out).not.toMatch(SGR);
    });

    test('--json on a terminal is plain JSON', async () => {
      const r = await onTerminal(['--json']);
      expect(r.out).not.toContain('\x1b');
      expect(JSON.parse(r.out).verdict).toBe('pass');
    });
  });
});

describe('the same verdict and top cause in text and in JSON', () => {
  const DAY = 86_400_000;
  let ntpArg: string[];
  beforeAll(async () => {
    const ntp = servers.track(await startNtpServer({ offsetMs: 0 }));
    ntpArg = ['--ntp-server', `127.0.0.1:${ntp.port}`];
  });

  interface Scenario {
    readonly host: string;
    /** The leaf first, as the gateway sends them; empty: nothing listens. */
    readonly sent: Issued[];
    readonly root: Issued | null;
  }

  const scenarios: Array<[string, () => Scenario, number, string, string]> = [
    ['an expired leaf', () => {
      const root = makeRoot();
      const int = makeIntermediate(root);
      return { host: 'localhost', root, sent: [makeLeaf(int, 'localhost', { notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - 2 * DAY) }), int] };
    }, 2, 'fail', 'cert.expiry'],
    ['a certificate for another name', () => {
      const root = makeRoot();
      return { host: 'localhost', root, sent: [makeLeaf(root, 'vpn.example.com')] };
    }, 2, 'fail', 'cert.hostname'],
    ['a self-signed leaf', () => ({ host: 'localhost', root: null, sent: [issue(null, { cn: 'localhost' })] }), 2, 'fail', 'cert.trust'],
    ['a chain sent in the wrong order', () => {
      const root = makeRoot();
      const upper = makeIntermediate(root, 'Upper Intermediate CA');
      const lower = makeIntermediate(upper, 'Lower Intermediate CA');
      return { host: 'localhost', root, sent: [makeLeaf(lower, 'localhost'), upper, lower] };
    }, 2, 'fail', 'cert.chain'],
    ['a SHA-1 leaf (a warning on Linux)', () => {
      const root = makeRoot();
      return { host: 'localhost', root, sent: [makeLeaf(root, 'localhost', { hash: 'sha1' })] };
    }, 1, 'warn', 'cert.strength'],
    ['nothing listening', () => ({ host: 'localhost', root: null, sent: [] }), 2, 'fail', 'network.reach'],
  ];

  test.each(scenarios)('%s', async (_what, make, exitCode, verdict, topCause) => {
    const s = make();
    const port = s.sent.length ? servers.track(await startTlsServer({ key: s.sent[0]!.keyPem, chain: s.sent })).port : await closedPort();
    const args = [`${s.host}:${port}`, '--connect-to', '127.0.0.1', ...ntpArg, '--no-report', '--timeout', '10', ...(s.root ? ['--ca-file', pemFile(dir, `root-${port}.pem`, s.root)] : [])];
    const [json, text] = await Promise.all([runCli([...args, '--json']), runCli(args)]);
    const report = jsonOf(json);
    expect({ json: json.exitCode, text: text.exitCode, verdict: report.verdict, topCause: report.topCause }).toEqual({ json: exitCode, text: exitCode, verdict, topCause });
    // The text says the same: the verdict sentence, then the top cause's summary as the cause.
    const flat = text.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain(report.headline.verdict);
    expect(flat).toContain(`Cause: ${String(report.headline.cause).replace(/\s+/g, ' ')}`);
    const top = (report.checks as Array<{ id: string; summary: string }>).find((c) => c.id === topCause)!;
    expect(report.headline.cause).toBe(top.summary);
  });
});
