/**
 * Runs the single binaries (build/, made by `npm run build:binary`, which `npm test`
 * runs first) the way a user would: from a folder of their own, with nothing from
 * this project around — no node on PATH, an empty environment — and the Windows .exe
 * under Wine. Output goes through files, not pipes: Node for Windows cannot open the
 * pipes Wine hands it as stdio (EBADF), while a file works as it does on Windows.
 * One thing of the project's is added, as for every run of the tool in the tests: the
 * preload (NODE_OPTIONS, which the binaries honour as node does) that makes this
 * computer's DNS a loopback server, so no lookup leaves the machine.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SYSTEM_DNS_PRELOAD, systemDnsEnv, type CliResult } from '../helpers/cli';
import { hostsLikeDns } from '../helpers/dns-server';
import { makeIntermediate, makeLeaf, makeRoot, standardChain, type Issued } from '../helpers/pki';
import { Servers, startNtpServer, startTlsServer } from '../helpers/servers';

export const ROOT = path.resolve(__dirname, '../..');
export const PACKAGE_VERSION: string = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

interface TargetConfig {
  readonly id: string;
  readonly platform: string;
  readonly output: string;
}

/** The built binary of a pkg.config.json target; fails with how to build it when missing. */
export function binaryOf(id: string): string {
  const config = JSON.parse(readFileSync(path.join(ROOT, 'pkg.config.json'), 'utf8')) as { outputDir?: string; targets: TargetConfig[] };
  const target = config.targets.find((t) => t.id === id);
  if (!target) throw new Error(`pkg.config.json has no target ${id}`);
  const file = path.join(ROOT, config.outputDir ?? 'build', target.output);
  if (!existsSync(file)) {
    throw new Error(`${path.relative(ROOT, file)} is missing: build the binaries with "npm run build:binary" (npm test does it before jest)`);
  }
  return file;
}

export interface RunOptions {
  readonly cwd: string;
  /** The environment (the DNS preload's two variables are added). */
  readonly env: Record<string, string>;
  /** Kill after this long (a bound on a hung binary, not a synchronisation). */
  readonly killAfterMs: number;
}

/** Runs `file args` with stdio in files, and reads them back once it exits. */
export async function runWithFiles(file: string, args: readonly string[], opts: RunOptions): Promise<CliResult> {
  // Node for Windows under Wine reads the preload through Wine's Z: drive (the Unix root).
  const preload = file === WINE ? `Z:${SYSTEM_DNS_PRELOAD.replaceAll('/', '\\')}` : SYSTEM_DNS_PRELOAD;
  const env = { ...opts.env, ...systemDnsEnv(await hostsLikeDns(), undefined, preload) };
  const dir = mkdtempSync(path.join(tmpdir(), 'vpf-bin-io-'));
  const outFile = path.join(dir, 'stdout');
  const errFile = path.join(dir, 'stderr');
  const out = openSync(outFile, 'w');
  const err = openSync(errFile, 'w');
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...args], { cwd: opts.cwd, env, stdio: ['ignore', out, err] });
    closeSync(out);
    closeSync(err);
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({
        exitCode: code,
        stdout: readFileSync(outFile, 'utf8'),
        stderr: readFileSync(errFile, 'utf8'),
        durationMs: Math.round(performance.now() - start),
      });
    });
  });
}

export const WINE = '/usr/bin/wine';

/**
 * A Wine prefix for this checkout, made once and kept in the temp folder (its first
 * start takes Wine ~15 s), set to report Windows 10: Node 20 refuses to start on the
 * Windows 7 that Wine claims by default, and users run Windows 10 or 11.
 */
export function winePrefix(): string {
  const wine = spawnSync(WINE, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (wine.error || wine.status !== 0) {
    throw new Error(`Wine is needed to smoke-test the Windows binary and is not installed (${wine.error?.message ?? wine.stderr}). scripts/setup.sh --test installs it (Debian package wine).`);
  }
  const id = createHash('sha1').update(ROOT).digest('hex').slice(0, 10);
  const prefix = path.join(tmpdir(), `vpn-preflight-wine-${process.getuid?.() ?? 0}-${id}`);
  const ready = path.join(prefix, '.vpn-preflight-ready');
  if (existsSync(ready)) return prefix;
  mkdirSync(prefix, { recursive: true });
  const reg = spawnSync(WINE, ['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/t', 'REG_SZ', '/d', 'win10', '/f'], {
    env: wineEnv(prefix),
    encoding: 'utf8',
    timeout: 180_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (reg.error || reg.status !== 0) {
    throw new Error(`could not prepare the Wine prefix ${prefix} (${reg.error?.message ?? `exit ${reg.status}`}):\n${reg.stdout}${reg.stderr}`);
  }
  writeFileSync(ready, `${wine.stdout.trim()}\n`);
  return prefix;
}

/** What Wine itself needs, and nothing of this project (no node, no node_modules). */
export function wineEnv(prefix: string): Record<string, string> {
  return { PATH: '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
}

/** Loopback gateways for the two scenarios, and the arguments that point a run at them. */
export interface Scenarios {
  readonly healthy: readonly string[];
  readonly expired: readonly string[];
  close(): Promise<void>;
}

export async function startScenarios(dir: string): Promise<Scenarios> {
  const servers = new Servers();
  const ntp = servers.track(await startNtpServer({ offsetMs: 0 }));
  const gateway = async (leaf: Issued, chain: Issued[], root: Issued, name: string): Promise<string[]> => {
    const s = servers.track(await startTlsServer({ key: leaf.keyPem, chain }));
    const rootFile = path.join(dir, `${name}-root.pem`);
    writeFileSync(rootFile, root.pem);
    return [`localhost:${s.port}`, '--connect-to', '127.0.0.1', '--ca-file', rootFile, '--ntp-server', `127.0.0.1:${ntp.port}`, '--json', '--no-report', '--timeout', '15'];
  };
  const good = standardChain('localhost');
  const healthy = await gateway(good.leaf, [good.leaf, good.intermediate], good.root, 'healthy');
  const root = makeRoot();
  const int = makeIntermediate(root);
  const expiredLeaf = makeLeaf(int, 'localhost', { notBefore: new Date(Date.now() - 400 * 86_400_000), notAfter: new Date(Date.now() - 3 * 86_400_000) });
  const expired = await gateway(expiredLeaf, [expiredLeaf, int], root, 'expired');
  return { healthy, expired, close: () => servers.closeAll() };
}

/**
 * A folder as a helpdesk ships it: the binary, and beside it vpn-preflight.json naming a
 * loopback gateway, its company root by a relative path, a time server, and a reports/
 * folder (relative too) for the report file a plain run saves.
 */
export interface ShippedFolder {
  readonly dir: string;
  readonly executable: string;
  readonly gateway: string;
  readonly ntpServer: string;
  /** The report files the runs saved, as text. */
  reports(): string[];
  close(): Promise<void>;
}

export async function shipWithSettings(binary: string, executableName: string): Promise<ShippedFolder> {
  const servers = new Servers();
  const { root, intermediate, leaf } = standardChain('localhost');
  const tls = servers.track(await startTlsServer({ key: leaf.keyPem, chain: [leaf, intermediate] }));
  const ntp = servers.track(await startNtpServer({ offsetMs: 0 }));
  const dir = mkdtempSync(path.join(tmpdir(), 'vpf-shipped-'));
  const executable = path.join(dir, executableName);
  copyFileSync(binary, executable);
  chmodSync(executable, 0o755);
  writeFileSync(path.join(dir, 'corp-root.pem'), root.pem);
  mkdirSync(path.join(dir, 'reports'));
  const gateway = `localhost:${tls.port}`;
  const ntpServer = `127.0.0.1:${ntp.port}`;
  writeFileSync(
    path.join(dir, 'vpn-preflight.json'),
    JSON.stringify({ $comment: 'Example Corp VPN check', gateway, caCertificates: ['corp-root.pem'], ntpServers: [ntpServer], reportDir: 'reports' }, null, 2),
  );
  return {
    dir,
    executable,
    gateway,
    ntpServer,
    reports: () => readdirSync(path.join(dir, 'reports')).map((n) => readFileSync(path.join(dir, 'reports', n), 'utf8')),
    close: () => servers.closeAll(),
  };
}
