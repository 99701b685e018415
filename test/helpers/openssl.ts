/**
 * `openssl s_server` on loopback: the real OpenSSL server, for protocol versions Node
 * will not serve (TLS 1.0 and 1.1) and for stapling from a file.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Issued } from './pki';
import { closedPort, type Running } from './servers';

export interface OpensslServerOptions {
  readonly dir: string;
  readonly leaf: Issued;
  readonly chain?: readonly Issued[];
  /** s_server protocol flags, e.g. ['-tls1'] or ['-no_tls1_3']. */
  readonly protocolFlags?: readonly string[];
  readonly statusFile?: string;
  readonly extraArgs?: readonly string[];
}

export async function startOpensslServer(opts: OpensslServerOptions): Promise<Running> {
  const port = await closedPort();
  const cert = path.join(opts.dir, `leaf-${port}.pem`);
  const key = path.join(opts.dir, `leaf-${port}.key`);
  writeFileSync(cert, opts.leaf.pem);
  writeFileSync(key, opts.leaf.keyPem);
  const args = ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', cert, '-key', key, '-cipher', 'DEFAULT@SECLEVEL=0', '-naccept', '1000'];
  if (opts.chain?.length) {
    const chain = path.join(opts.dir, `chain-${port}.pem`);
    writeFileSync(chain, opts.chain.map((c) => c.pem).join(''));
    args.push('-cert_chain', chain);
  }
  if (opts.statusFile) args.push('-status_file', opts.statusFile);
  args.push(...(opts.protocolFlags ?? []), ...(opts.extraArgs ?? []));
  return spawnOpenssl(args, 'ACCEPT', port, 'pipe');
}

/**
 * Starts an `openssl` server command and resolves once it prints `ready` (within 10 s);
 * close() kills it and waits for its exit.
 */
export async function spawnOpenssl(args: readonly string[], ready: string, port: number, stdin: 'pipe' | 'ignore' = 'ignore'): Promise<Running> {
  const child = spawn('openssl', args, { stdio: [stdin, 'pipe', 'pipe'] });
  const what = `openssl ${args[0]}`;
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${output}`)), 10_000);
    const onData = (d: Buffer): void => {
      output += d.toString();
      if (output.includes(ready)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}): ${output}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
