/**
 * Recorded Windows and macOS command outputs as an exec seam for the adapters.
 *
 * Fixture files live in test/fixtures/<os>/<scenario>/<command>.txt, one file per
 * command output. A scenario holds only the outputs that differ from `healthy`; the rest
 * come from `healthy`. Every file starts with a header of `#| key: value` lines, which
 * this loader strips before the adapter sees the output (no command prints `#|` at the
 * start of a line, so the same rule works for JSON, PEM and plain text):
 *   #| source:  where the format is documented (required)
 *   #| command: the command line that prints it
 *   #| exit:    the exit code (default 0)
 *   #| stream:  stdout (default) or stderr
 *   #| machine: what the computer behind the output is like (for the reader only)
 * Certificates are never stored: `{{CERT:name}}` (base64 DER) and `{{PEM:name}}` are
 * replaced by certificates the test makes with the PKI factory; `{{VAR:name}}` by a value
 * the test chooses (a loopback port).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Exec, ExecResult } from '../../../platform/exec';
import { scriptName } from '../../../platform/powershell';
import type { PlatformDeps } from '../../../platform/types';
import {
  REG_CURRENT_VERSION,
  REG_INTERNET_SETTINGS,
  REG_SCHANNEL_PROTOCOLS,
  REG_W32TIME,
  REG_W32TIME_PARAMETERS,
} from '../../../platform/windows';
import { SYSTEM_KEYCHAIN, SYSTEM_ROOTS_KEYCHAIN } from '../../../platform/macos';

export const FIXTURES = path.resolve(__dirname, '../../fixtures');

export type FixtureOs = 'windows' | 'macos';

export interface FixtureVars {
  readonly certs?: Readonly<Record<string, Buffer>>;
  readonly values?: Readonly<Record<string, string>>;
}

export interface Fixture {
  readonly body: string;
  readonly exit: number;
  readonly stream: 'stdout' | 'stderr';
  readonly source: string;
  readonly file: string;
}

/** The fixture `name` of `scenario` (else of `healthy`), with its placeholders filled. */
export function readFixture(os: FixtureOs, scenario: string, name: string, vars: FixtureVars = {}): Fixture | null {
  for (const dir of [scenario, 'healthy']) {
    const file = path.join(FIXTURES, os, dir, `${name}.txt`);
    let raw: string;
    try {
      raw = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const header: Record<string, string> = {};
    const lines = raw.split('\n');
    let i = 0;
    for (; i < lines.length && lines[i]!.startsWith('#|'); i++) {
      const m = /^#\|\s*([a-z]+):\s*(.*)$/.exec(lines[i]!);
      if (m) header[m[1]!] = m[2]!;
    }
    if (!header.source) throw new Error(`${file}: the header names no format source`);
    return {
      body: fill(lines.slice(i).join('\n'), vars, file),
      exit: header.exit ? Number(header.exit) : 0,
      stream: header.stream === 'stderr' ? 'stderr' : 'stdout',
      source: header.source,
      file,
    };
  }
  return null;
}

function fill(text: string, vars: FixtureVars, file: string): string {
  return text.replace(/\{\{(CERT|PEM|VAR):([a-z0-9-]+)\}\}/g, (_, kind: string, name: string) => {
    if (kind === 'VAR') {
      const v = vars.values?.[name];
      if (v === undefined) throw new Error(`${file}: no value for {{VAR:${name}}}`);
      return v;
    }
    const der = vars.certs?.[name];
    if (!der) throw new Error(`${file}: no certificate for {{${kind}:${name}}}`);
    if (kind === 'CERT') return der.toString('base64');
    return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----`;
  });
}

/** Which fixture answers a Windows command (by program and arguments). */
export function windowsFixtureName(file: string, args: readonly string[]): string | null {
  const program = path.win32.basename(file).toLowerCase();
  if (program === 'powershell.exe') {
    const name = scriptName(args[args.length - 1] ?? '');
    return name ? `powershell-${name}` : null;
  }
  if (program === 'w32tm.exe' && args.join(' ') === '/query /status') return 'w32tm-status';
  if (program === 'reg.exe' && args[0] === 'query') {
    const key = args[1];
    const rest = args.slice(2).join(' ');
    if (key === REG_CURRENT_VERSION && !rest) return 'reg-currentversion';
    if (key === REG_W32TIME_PARAMETERS && !rest) return 'reg-w32time-parameters';
    if (key === REG_W32TIME && rest === '/v Start') return 'reg-w32time-start';
    if (key === REG_SCHANNEL_PROTOCOLS && rest === '/s') return 'reg-schannel-protocols';
    if (key === REG_INTERNET_SETTINGS && !rest) return 'reg-internet-settings';
    if (key === `${REG_INTERNET_SETTINGS}\\Connections` && rest === '/v DefaultConnectionSettings') return 'reg-internet-settings-connections';
  }
  return null;
}

/** Which fixture answers a macOS command. */
export function macosFixtureName(file: string, args: readonly string[]): string | null {
  const program = path.posix.basename(file);
  const a = args.join(' ');
  if (program === 'sw_vers' && a === '') return 'sw_vers';
  if (program === 'defaults' && a === 'read -g AppleLocale') return 'defaults-read-applelocale';
  if (program === 'systemsetup' && a === '-getusingnetworktime') return 'systemsetup-getusingnetworktime';
  if (program === 'scutil' && a === '--dns') return 'scutil-dns';
  if (program === 'scutil' && a === '--proxy') return 'scutil-proxy';
  if (program === 'security' && args[0] === 'find-certificate' && a.startsWith('find-certificate -a -p ')) {
    const keychain = args[3] ?? '';
    if (keychain === SYSTEM_ROOTS_KEYCHAIN) return 'security-find-certificate-system-roots';
    if (keychain === SYSTEM_KEYCHAIN) return 'security-find-certificate-system';
    if (keychain.endsWith('/Library/Keychains/login.keychain-db')) return 'security-find-certificate-login';
  }
  if (program === 'security' && args[0] === 'dump-trust-settings') {
    const domain = args[1] === '-d' ? 'admin' : args[1] === '-s' ? 'system' : args.length === 1 ? 'user' : null;
    return domain ? `security-dump-trust-settings-${domain}` : null;
  }
  return null;
}

/** Files the macOS adapter reads, by path. */
const MACOS_FILES: Readonly<Record<string, string>> = { '/etc/ntp.conf': 'etc-ntp.conf' };

export interface ExecCall {
  readonly file: string;
  readonly args: readonly string[];
  readonly fixture: string | null;
}

export interface FixtureWorld {
  readonly deps: PlatformDeps;
  /** Every command run, in order. */
  readonly calls: ExecCall[];
  /** Commands no fixture answers (a test should expect none). */
  readonly unknown: string[];
}

/** Deps whose commands and files answer from the fixtures of one scenario. */
export function fixtureWorld(os: FixtureOs, scenario: string, vars: FixtureVars = {}, overrides: Partial<PlatformDeps> = {}): FixtureWorld {
  const calls: ExecCall[] = [];
  const unknown: string[] = [];
  const exec: Exec = async (file, args) => {
    const name = os === 'windows' ? windowsFixtureName(file, args) : macosFixtureName(file, args);
    calls.push({ file, args: [...args], fixture: name });
    const f = name ? readFixture(os, scenario, name, vars) : null;
    if (!f) {
      unknown.push(`${file} ${args.join(' ')}`.slice(0, 200));
      return { code: null, stdout: '', stderr: '', spawnError: 'ENOENT: no fixture', timedOut: false } satisfies ExecResult;
    }
    return {
      code: f.exit,
      stdout: f.stream === 'stdout' ? f.body : '',
      stderr: f.stream === 'stderr' ? f.body : '',
      spawnError: null,
      timedOut: false,
    } satisfies ExecResult;
  };
  const enoent = (p: string): Error => Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
  const deps: PlatformDeps = {
    exec,
    readFile: async (p) => {
      const name = os === 'macos' ? MACOS_FILES[p] : undefined;
      const f = name ? readFixture(os, scenario, name, vars) : null;
      if (!f || f.exit !== 0) throw enoent(p);
      return Buffer.from(f.body, 'utf8');
    },
    readFileTail: async (p) => {
      throw enoent(p);
    },
    readDir: async (p) => {
      throw enoent(p);
    },
    env: os === 'windows' ? { SystemRoot: 'C:\\WINDOWS', USERNAME: 'taro' } : { HOME: '/Users/taro', USER: 'taro' },
    now: () => new Date(),
    homeDir: os === 'windows' ? 'C:\\Users\\taro' : '/Users/taro',
    hostname: os === 'windows' ? 'DESKTOP-TARO' : 'taros-MacBook-Air',
    userName: 'taro',
    arch: os === 'windows' ? 'x64' : 'arm64',
    kernelRelease: os === 'windows' ? '10.0.22631' : '23.4.0',
    intlLocale: 'en-US',
    timeZone: 'Asia/Tokyo',
    ...overrides,
  };
  return { deps, calls, unknown };
}
