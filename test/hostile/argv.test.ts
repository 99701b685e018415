/**
 * The machine is not an attack surface: whatever the user, a profile, a settings file or
 * the environment names — gateway paths, profile and certificate file names, the home
 * folder, the user and computer names — never becomes part of a command line. Every
 * adapter runs a fixed set of commands, with fixed arguments (an absolute path where a
 * path must be passed, never something that could read as an option); the PowerShell
 * scripts are the same constant text whatever the input.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ExecOptions, ExecResult } from '../../platform/exec';
import { linuxAdapter } from '../../platform/linux';
import { MACOS_LOG_PREDICATE } from '../../platform/anyconnect-macos';
import { PS_CLIENT_IDENTITIES, PS_INSTALLED_VERSION, PS_VPN_LOG } from '../../platform/anyconnect-windows';
import { macosAdapter, SYSTEM_KEYCHAIN, SYSTEM_ROOTS_KEYCHAIN } from '../../platform/macos';
import { DNS_SCRIPT, OS_SCRIPT, TRUST_STORE_SCRIPT } from '../../platform/powershell';
import type { PlatformAdapter, PlatformDeps } from '../../platform/types';
import { REG_CURRENT_VERSION, REG_INTERNET_SETTINGS, REG_SCHANNEL_PROTOCOLS, REG_W32TIME, REG_W32TIME_PARAMETERS, windowsAdapter } from '../../platform/windows';
import { runApp } from '../../src/app';
import { parseArgs } from '../../src/options';
import { makeRoot } from '../helpers/pki';
import { tempDir } from '../helpers/scenario';
import { closedPort } from '../helpers/servers';

/** Shapes that mean something to a shell, to cmd.exe, to PowerShell or to an option parser. */
const HOSTILE = ['-x', '--help', '$(id)', 'a;b', '`x`', '%PATH%', '"q" & calc', "'q'", 'a\nb', '$env:USERNAME', 'x|y', '..\\..\\x'];

interface Call {
  readonly file: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

const SHA1 = '0123456789ABCDEF0123456789ABCDEF01234567';

/** An outside world whose every name is `v`, and which records every command. */
function hostileWorld(os: 'linux' | 'macos' | 'windows', v: string): PlatformDeps & { calls: Call[] } {
  const calls: Call[] = [];
  const home = os === 'windows' ? `C:\\Users\\${v}` : os === 'macos' ? `/Users/${v}` : `/home/${v}`;
  const exec = async (file: string, args: readonly string[], options: ExecOptions): Promise<ExecResult> => {
    calls.push({ file, args: [...args], ...(options.env ? { env: options.env } : {}) });
    // Enough of an answer that every branch that runs a further command runs it.
    const stdout = args[0] === 'find-identity' ? `  1) ${SHA1} "VPN user"\n     1 valid identities found\n` : '';
    return { code: 0, stdout, stderr: '', spawnError: null, timedOut: false };
  };
  return {
    calls,
    exec,
    readFile: async (p) => {
      if (p === '/etc/resolv.conf') return Buffer.from('nameserver 127.0.0.53\n');
      throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    },
    readFileTail: async (p) => {
      throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    },
    // Every folder exists and is empty: the AnyConnect branches that run commands all run.
    readDir: async () => [],
    env: {
      HOME: home,
      USERPROFILE: home,
      USER: v,
      USERNAME: v,
      LOGNAME: v,
      LANG: v,
      LC_ALL: v,
      // Not a plain folder: ignored, C:\Windows is used (a plain one is the OS's own setting, honoured below).
      SystemRoot: `C:\\Windows" & ${v} & "`,
      ProgramData: `C:\\ProgramData\\${v}`,
      LOCALAPPDATA: `${home}\\AppData\\Local`,
      SSL_CERT_FILE: `/tmp/${v}.pem`,
      SSL_CERT_DIR: `/tmp/${v}`,
      OPENSSL_CONF: `/tmp/${v}.cnf`,
      http_proxy: `http://${v}:3128`,
      VPN_PREFLIGHT_LOG_DAYS: v,
    },
    now: () => new Date('2025-01-01T00:00:00Z'),
    homeDir: home,
    hostname: v,
    userName: v,
    arch: 'x64',
    kernelRelease: v,
    intlLocale: 'en-US',
    timeZone: 'UTC',
  };
}

const adapters: Record<'linux' | 'macos' | 'windows', (d: PlatformDeps) => PlatformAdapter> = { linux: linuxAdapter, macos: macosAdapter, windows: windowsAdapter };

async function everyFact(a: PlatformAdapter): Promise<void> {
  const s = new AbortController().signal;
  await Promise.all([a.osFacts(s), a.trustStore(s), a.timeSync(s), a.dnsConfig(s), a.clientTls(s), a.proxy(s), a.anyconnect(s), a.clientIdentities(s), a.vpnLogs(s, 3)]);
}

const REG = 'C:\\Windows\\System32\\reg.exe';
const W32TM = 'C:\\Windows\\System32\\w32tm.exe';
const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const PS_ARGS = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command'];

/** Every command each adapter runs, exactly, for a home folder `home`. */
function expected(os: 'linux' | 'macos' | 'windows', home: string): Call[] {
  switch (os) {
    case 'linux':
      return [
        { file: 'timedatectl', args: ['show'] },
        { file: 'resolvectl', args: ['dns'] },
        { file: 'resolvectl', args: ['status'] },
        { file: 'journalctl', args: ['--no-pager', '-o', 'json', '--since', '-3d', '-t', 'vpnagentd', '-t', 'acvpnagent', '-t', 'csc_vpnagent', '-n', '500'] },
      ];
    case 'macos':
      return [
        { file: '/usr/bin/sw_vers', args: [] },
        { file: '/usr/bin/defaults', args: ['read', '-g', 'AppleLocale'] },
        { file: '/usr/bin/security', args: ['find-certificate', '-a', '-p', SYSTEM_ROOTS_KEYCHAIN] },
        { file: '/usr/bin/security', args: ['find-certificate', '-a', '-p', SYSTEM_KEYCHAIN] },
        ...(home.startsWith('/') ? [{ file: '/usr/bin/security', args: ['find-certificate', '-a', '-p', `${home}/Library/Keychains/login.keychain-db`] }] : []),
        { file: '/usr/bin/security', args: ['dump-trust-settings'] },
        { file: '/usr/bin/security', args: ['dump-trust-settings', '-d'] },
        { file: '/usr/bin/security', args: ['dump-trust-settings', '-s'] },
        { file: '/usr/sbin/systemsetup', args: ['-getusingnetworktime'] },
        { file: '/usr/sbin/scutil', args: ['--dns'] },
        { file: '/usr/sbin/scutil', args: ['--proxy'] },
        { file: '/usr/bin/security', args: ['find-identity', '-p', 'ssl-client'] },
        { file: '/usr/bin/security', args: ['find-certificate', '-a', '-p', '-Z'] },
        { file: '/usr/bin/log', args: ['show', '--style', 'json', '--last', '3d', '--predicate', MACOS_LOG_PREDICATE] },
      ];
    case 'windows':
      return [
        { file: PS, args: ['-NoProfile', '-NonInteractive', '-Command', OS_SCRIPT] },
        { file: REG, args: ['query', REG_CURRENT_VERSION] },
        { file: PS, args: ['-NoProfile', '-NonInteractive', '-Command', TRUST_STORE_SCRIPT] },
        { file: REG, args: ['query', REG_W32TIME_PARAMETERS] },
        { file: REG, args: ['query', REG_W32TIME, '/v', 'Start'] },
        { file: W32TM, args: ['/query', '/status'] },
        { file: PS, args: ['-NoProfile', '-NonInteractive', '-Command', DNS_SCRIPT] },
        { file: REG, args: ['query', REG_SCHANNEL_PROTOCOLS, '/s'] },
        { file: REG, args: ['query', REG_INTERNET_SETTINGS] },
        { file: REG, args: ['query', `${REG_INTERNET_SETTINGS}\\Connections`, '/v', 'DefaultConnectionSettings'] },
        { file: PS, args: [...PS_ARGS, PS_INSTALLED_VERSION] },
        { file: PS, args: [...PS_ARGS, PS_CLIENT_IDENTITIES] },
        // The one value a script takes (days of log) comes through the environment, as a number.
        { file: PS, args: [...PS_ARGS, PS_VPN_LOG], env: { VPN_PREFLIGHT_LOG_DAYS: '3' } },
      ];
  }
}

const sorted = (calls: readonly Call[]): string[] => calls.map((c) => JSON.stringify(c)).sort();

describe.each(['linux', 'macos', 'windows'] as const)('%s adapter', (os) => {
  test.each(HOSTILE)('with every name and environment value set to %j, the commands are exactly the fixed ones', async (v) => {
    const world = hostileWorld(os, v);
    await everyFact(adapters[os](world));
    expect(sorted(world.calls)).toEqual(sorted(expected(os, world.homeDir)));
  });
});

test.each([
  ['D:\\WINNT', 'D:\\WINNT\\System32\\reg.exe'],
  ['C:\\Windows\\..\\Users\\x\\Downloads', 'C:\\Windows\\System32\\reg.exe'],
  ['Windows', 'C:\\Windows\\System32\\reg.exe'],
])('SystemRoot %j: reg.exe is run from %j', async (root, reg) => {
  const world = { ...hostileWorld('windows', 'x'), env: { SystemRoot: root } };
  await everyFact(windowsAdapter(world));
  expect([...new Set(world.calls.filter((c) => c.file.endsWith('reg.exe')).map((c) => c.file))]).toEqual([reg]);
});

test('a home folder that reads like an option is never passed to security(1)', async () => {
  const world = { ...hostileWorld('macos', 'x'), homeDir: '-x' };
  await everyFact(macosAdapter(world));
  expect(world.calls.flatMap((c) => c.args).filter((a) => a.startsWith('-x'))).toEqual([]);
});

test('the PowerShell scripts are constants that hold no input', () => {
  for (const script of [OS_SCRIPT, TRUST_STORE_SCRIPT, DNS_SCRIPT, PS_INSTALLED_VERSION, PS_CLIENT_IDENTITIES, PS_VPN_LOG]) {
    for (const v of HOSTILE.filter((h) => h.length > 2)) expect(script).not.toContain(v);
  }
});

describe('a whole run with hostile names everywhere', () => {
  const dir = tempDir('vpf-argv-');
  const names = HOSTILE.filter((v) => !v.includes('\n') && !v.includes('|') && !v.includes('"'));
  let profiles: string[];
  let caFile: string;

  beforeAll(() => {
    profiles = names.map((v, i) => {
      const p = path.join(dir, `${v.replace(/[\\/]/g, '_')}-${i}.xml`);
      writeFileSync(p, '<?xml version="1.0"?><AnyConnectProfile><ServerList><HostEntry><HostName>x</HostName><HostAddress>localhost</HostAddress></HostEntry></ServerList></AnyConnectProfile>');
      return p;
    });
    caFile = path.join(dir, '-x $(id); `x` %PATH%.pem');
    writeFileSync(caFile, makeRoot().pem);
  });

  test.each(['linux', 'macos', 'windows'] as const)('%s: gateway path, profile and CA file names reach no command', async (os) => {
    const port = await closedPort();
    // An address, not a name: this run is in the test's own process, whose lookups no loopback DNS server stands in for.
    const gateway = `https://127.0.0.1:${port}/$(id);a;b%60x%60%25PATH%25'q'`;
    const argv = [gateway, '--connect-to', '127.0.0.1', '--ntp-server', `127.0.0.1:${port}`, '--ca-file', caFile, '--json', '--no-report', '--timeout', '3'];
    for (const p of profiles) argv.push('--profile', p);
    const parsed = await parseArgs(argv, { env: {}, stdoutIsTty: false, version: '0.0.0', intlLocale: 'en-US' });
    expect(parsed.options!.gateways[0]!.path).toBe("/$(id);a;b`x`%PATH%'q'");
    const world = hostileWorld(os, 'pc');
    let out = '';
    const result = await runApp(parsed.options!, '0.0.0', {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: () => true },
      platform: os === 'windows' ? 'win32' : os === 'macos' ? 'darwin' : 'linux',
      adapter: adapters[os](world),
    });
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(out).gateway.path).toBe("/$(id);a;b`x`%PATH%'q'");
    expect(sorted(world.calls)).toEqual(sorted(expected(os, world.homeDir)));
    const everyArg = world.calls.flatMap((c) => [c.file, ...c.args]).join('\n');
    for (const v of [...names, caFile, ...profiles]) expect(everyArg).not.toContain(v);
  });
});
