/**
 * The exit-code contract of main(), in process: a usage error is one line and exit 3,
 * an internal failure one line and exit 4 (the stack only with VPN_PREFLIGHT_DEBUG),
 * and nothing reaches stdout in either case.
 */
import pkg from '../../../package.json';
import { internalErrorText, main } from '../../../src/cli';
import type { PlatformAdapter } from '../../../platform/types';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** An adapter whose every gatherer throws at once: a bug below the checks. */
function explodingAdapter(thrown: unknown): PlatformAdapter {
  return new Proxy({ id: 'linux' } as PlatformAdapter, {
    get(target, prop) {
      if (prop === 'id') return target.id;
      return () => {
        throw thrown;
      };
    },
  });
}

async function run(argv: string[], opts: { env?: Record<string, string>; adapter?: PlatformAdapter } = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s) },
    platform: 'linux',
    env: { LANG: 'en_US.UTF-8', ...opts.env },
    ...(opts.adapter ? { adapter: opts.adapter } : {}),
  });
  return { code, stdout, stderr };
}

describe('internal errors: exit 4', () => {
  test('a failure below the checks is one clear line, no stack, nothing on stdout', async () => {
    const r = await run(['vpn.example.com', '--no-report', '--json'], { adapter: explodingAdapter(new TypeError('adapter exploded\n    at somewhere (x.js:1:1)')) });
    expect(r).toEqual({ code: 4, stdout: '', stderr: 'vpn-preflight: internal error: adapter exploded\n' });
  });

  test('a thrown non-Error value is reported the same way', async () => {
    const r = await run(['vpn.example.com', '--no-report'], { adapter: explodingAdapter('boom') });
    expect(r).toEqual({ code: 4, stdout: '', stderr: 'vpn-preflight: internal error: boom\n' });
  });

  test('VPN_PREFLIGHT_DEBUG adds the stack for a developer', async () => {
    const r = await run(['vpn.example.com', '--no-report'], { adapter: explodingAdapter(new Error('adapter exploded')), env: { VPN_PREFLIGHT_DEBUG: '1' } });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('vpn-preflight: internal error: adapter exploded');
    expect(lines[1]).toBe('Error: adapter exploded');
    expect(lines.slice(2).every((l) => /^\s+at /.test(l))).toBe(true);
  });

  test('internalErrorText gives one line unless debugging', () => {
    const err = new Error('first\nsecond');
    expect(internalErrorText(err, {})).toBe('vpn-preflight: internal error: first\n');
    expect(internalErrorText(err, { VPN_PREFLIGHT_DEBUG: '1' })).toMatch(/^vpn-preflight: internal error: first\nError: first\nsecond\n\s+at /);
    expect(internalErrorText(42, { VPN_PREFLIGHT_DEBUG: '1' })).toBe('vpn-preflight: internal error: 42\n');
  });
});

describe('usage errors: exit 3', () => {
  test.each([
    [['vpn.example.com:0'], /^vpn-preflight: the port "0" in "vpn.example.com:0" is not between 1 and 65535\n$/],
    [['vpn.example.com', '--format', 'xml'], /^vpn-preflight: --format must be one of text, markdown, html, json, not "xml"\nRun "vpn-preflight --help" for the options.\n$/],
    [['vpn.example.com', '--ca-file'], /^vpn-preflight: --ca-file needs a value\n/],
    [['vpn.example.com', '--log-file', '/proc/no-such-dir/run.log'], /^vpn-preflight: cannot write --log-file \/proc\/no-such-dir\/run.log: ENOENT\n$/],
  ])('%j', async (argv, stderr) => {
    const r = await run(argv, { adapter: explodingAdapter(new Error('the adapter must not be reached')) });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(stderr);
  });
});

describe('--version and --help: exit 0', () => {
  test('--version prints the package version', async () => {
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  test('--help prints the usage and the exit codes', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: vpn-preflight \[gateway\] \[options\]/);
    expect(r.stdout).toContain('--ca-file');
    expect(r.stdout).toContain('Exit codes: 0 all passed, 1 warnings, 2 failures, 3 usage error, 4 internal error.');
  });
});
