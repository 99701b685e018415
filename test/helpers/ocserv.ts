/**
 * The real AnyConnect-compatible gateway and the real client: Debian's ocserv on
 * loopback (in the foreground, no tunnel device needed for the TLS and login stages)
 * and openconnect, stopped right after certificate verification and the first form.
 * Every ocserv gets its own folder (config, socket, pid file) and is killed on close.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Issued } from './pki';
import { closedPort, type Running } from './servers';

export const OCSERV = '/usr/sbin/ocserv';
export const OPENCONNECT = '/usr/sbin/openconnect';

/** Fails loudly (never skips) when the ground-truth tools are missing. */
export function requireTools(): void {
  for (const tool of [OCSERV, OPENCONNECT]) {
    try {
      accessSync(tool, constants.X_OK);
    } catch {
      throw new Error(`${tool} is not installed: the AnyConnect ground-truth suite needs ocserv and openconnect (run scripts/setup.sh --test)`);
    }
  }
}

export interface OcservOptions {
  /** The leaf's private key (PEM). */
  readonly key: string;
  /** Certificates to send, exactly in this order (leaf first unless testing a wrong order). */
  readonly certs: readonly Issued[];
  /** `select-group` entries: tunnel groups listed in the config-auth reply. */
  readonly groups?: readonly string[];
  /** `certificate`: client certificates only (with cisco-client-compat off, a TLS CertificateRequest). */
  readonly auth?: 'plain' | 'certificate';
  /** The CA that issues client certificates (auth = certificate). */
  readonly clientCa?: Issued;
}

export interface RunningOcserv extends Running {
  readonly dir: string;
  /** What ocserv printed, for failure messages. */
  output(): string;
}

const START_BOUND_MS = 10_000;

function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_BOUND_MS;
  return new Promise((resolve, reject) => {
    let exited = false;
    child.once('exit', (code) => {
      exited = true;
      reject(new Error(`ocserv exited (${code}) before listening:\n${output()}`));
    });
    const attempt = (): void => {
      if (exited) return;
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve();
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error(`ocserv did not listen on ${port} within ${START_BOUND_MS} ms:\n${output()}`));
        // The next attempt is itself the synchronisation: a refused connect answers at once.
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

export async function startOcserv(opts: OcservOptions): Promise<RunningOcserv> {
  requireTools();
  const dir = mkdtempSync(path.join(tmpdir(), 'vpf-ocserv-'));
  // Workers run as nobody and must reach the security module's socket in here.
  chmodSync(dir, 0o755);
  const file = (name: string, text: string): string => {
    const p = path.join(dir, name);
    writeFileSync(p, text, { mode: 0o644 });
    return p;
  };
  const cert = file('server-cert.pem', opts.certs.map((c) => c.pem).join(''));
  const key = file('server-key.pem', opts.key);
  const passwd = file('passwd', 'alice:staff:$5$notarealhash$notarealhash\n');
  const port = await closedPort();
  const lines = [
    opts.auth === 'certificate' ? 'auth = "certificate"' : `auth = "plain[passwd=${passwd}]"`,
    `tcp-port = ${port}`,
    'listen-host = 127.0.0.1',
    `server-cert = ${cert}`,
    `server-key = ${key}`,
    `socket-file = ${path.join(dir, 'ocserv.sock')}`,
    `pid-file = ${path.join(dir, 'ocserv.pid')}`,
    'device = vpns',
    'ipv4-network = 192.168.99.0/24',
    'run-as-user = nobody',
    'run-as-group = nogroup',
    'isolate-workers = false',
    'max-clients = 16',
    // A test runs openconnect and vpn-preflight (several parallel handshakes) at once from
    // 127.0.0.1: ocserv's connection rate limit (on when its backlog grows, i.e. on a busy
    // machine) and ban score would drop some of them and make the verdicts flaky.
    'rate-limit-ms = 0',
    'max-ban-score = 0',
    // As ocserv's sample configuration: no SSL 3, TLS 1.0 or TLS 1.1.
    'tls-priorities = "NORMAL:%SERVER_PRECEDENCE:%COMPAT:-VERS-SSL3.0:-VERS-TLS1.0:-VERS-TLS1.1"',
    ...(opts.groups ?? []).map((g) => `select-group = ${g}`),
  ];
  if (opts.auth === 'certificate') {
    if (!opts.clientCa) throw new Error('auth = certificate needs clientCa');
    lines.push(`ca-cert = ${file('client-ca.pem', opts.clientCa.pem)}`, 'cert-user-oid = 2.5.4.3', 'cisco-client-compat = false');
  }
  const conf = file('ocserv.conf', `${lines.join('\n')}\n`);
  const child = spawn(OCSERV, ['-f', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-20_000)));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-20_000)));
  const kill = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const done = (): void => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', done);
      // ocserv forks its security module: end the whole process group it leads.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    });
  try {
    await waitForPort(port, child, () => out);
  } catch (err) {
    await kill();
    throw err;
  }
  child.removeAllListeners('exit');
  return { port, dir, output: () => out, close: kill };
}

export interface OpenconnectResult {
  /** openconnect verified the certificate and reached the login form. */
  readonly accepted: boolean;
  /** Its reason when it rejected the certificate (`signer not found`, …). */
  readonly verifyError: string | null;
  readonly output: string;
  readonly exitCode: number | null;
}

/**
 * `openconnect --cafile ROOT --non-inter --authenticate --resolve HOST:127.0.0.1
 * https://HOST:PORT/ </dev/null`, killed after a bound. Accepting means it got past
 * certificate verification to the gateway's XML form.
 */
export function runOpenconnect(host: string, port: number, caFile: string | null, extra: readonly string[] = []): Promise<OpenconnectResult> {
  requireTools();
  const args = [
    ...(caFile ? ['--cafile', caFile] : []),
    '--non-inter',
    '--authenticate',
    '--resolve',
    `${host}:127.0.0.1`,
    ...extra,
    `https://${host}:${port}/`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(OPENCONNECT, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const verify = /Server certificate verify failed: ([^\n]+)/.exec(output);
      resolve({
        accepted: !verify && /XML POST enabled|Please enter your username|Group: |User input required/.test(output),
        verifyError: verify ? verify[1]!.trim() : null,
        output,
        exitCode: code,
      });
    });
  });
}
