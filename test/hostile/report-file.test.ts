/**
 * Nothing lost, nothing clobbered: the report file is written whole or not at all, never
 * over an existing file unless --force, never through a symbolic link planted at its
 * path; a run cut short by Ctrl-C or by the deadline still writes what it learned,
 * marked incomplete; a second Ctrl-C ends the program at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { interruptHandler } from '../../src/cli';
import { ReportFileExists, writeAtomic, writeNewReportFile } from '../../src/report/write';
import { CLI, ROOT, SYSTEM_DNS_PRELOAD, runCli } from '../helpers/cli';
import { hostsLikeDns } from '../helpers/dns-server';
import { tempDir } from '../helpers/scenario';
import { Servers, startNtpServer, startSilentServer } from '../helpers/servers';

const servers = new Servers();
afterAll(() => servers.closeAll());

describe('writing the file', () => {
  test('an existing file is never overwritten without force; with force it is replaced whole', async () => {
    const dir = tempDir('vpf-write-');
    const file = path.join(dir, 'report.html');
    writeFileSync(file, 'the earlier report');
    await expect(writeAtomic(file, 'new', false)).rejects.toBeInstanceOf(ReportFileExists);
    expect(readFileSync(file, 'utf8')).toBe('the earlier report');
    await writeAtomic(file, 'new', true);
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['report.html']);
  });

  test('a symbolic link planted at the path is never followed: refused, and with force replaced by a file', async () => {
    const dir = tempDir('vpf-write-');
    const victim = path.join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    const file = path.join(dir, 'report.html');
    symlinkSync(victim, file);
    await expect(writeAtomic(file, 'report', false)).rejects.toBeInstanceOf(ReportFileExists);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    await writeAtomic(file, 'report', true);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(lstatSync(file).isSymbolicLink()).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('report');
  });

  test('a dangling symbolic link is refused too (it would create the file it points at)', async () => {
    const dir = tempDir('vpf-write-');
    const file = path.join(dir, 'report.html');
    symlinkSync(path.join(dir, 'created-elsewhere'), file);
    await expect(writeAtomic(file, 'report', false)).rejects.toBeInstanceOf(ReportFileExists);
    expect(existsSync(path.join(dir, 'created-elsewhere'))).toBe(false);
  });

  test('the default report takes the next free name beside a planted link, and leaves no temporary file', async () => {
    const dir = tempDir('vpf-write-');
    const victim = path.join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, path.join(dir, 'vpn-preflight-gw.html'));
    const written = await writeNewReportFile([dir], 'vpn-preflight-gw.html', '<html>report</html>');
    expect(written).toBe(path.join(dir, 'vpn-preflight-gw-2.html'));
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readdirSync(dir).sort()).toEqual(['victim.txt', 'vpn-preflight-gw-2.html', 'vpn-preflight-gw.html']);
  });

  test('two runs writing the same name at once: one file, whole, from one of them', async () => {
    const dir = tempDir('vpf-write-');
    const file = path.join(dir, 'report.json');
    const a = 'a'.repeat(4 * 1024 * 1024);
    const b = 'b'.repeat(4 * 1024 * 1024);
    const results = await Promise.allSettled([writeAtomic(file, a, false), writeAtomic(file, b, false)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(ReportFileExists);
    expect([a, b]).toContain(readFileSync(file, 'utf8'));
    expect(readdirSync(dir)).toEqual(['report.json']);
  });
});

describe('--output through the real CLI', () => {
  test('a symbolic link at --output stops the run before it starts (exit 3); the file it points at is untouched', async () => {
    const dir = tempDir('vpf-out-');
    const victim = path.join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    const out = path.join(dir, 'report.json');
    symlinkSync(path.join(dir, 'nowhere'), out);
    const r = await runCli(['localhost:1', '--output', out, '--format', 'json', '--timeout', '3']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain(`${out} already exists; use --force to overwrite it or choose another --output`);
    expect(existsSync(path.join(dir, 'nowhere'))).toBe(false);
    symlinkSync(victim, path.join(dir, 'forced.json'));
    const forced = await runCli(['localhost:1', '--output', path.join(dir, 'forced.json'), '--format', 'json', '--force', '--timeout', '3', '--ntp-server', '127.0.0.1:1']);
    expect(forced.exitCode).toBe(2);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(JSON.parse(readFileSync(path.join(dir, 'forced.json'), 'utf8')).gateway.host).toBe('localhost');
  });
});

/** How long a wait for the program may take before the test fails saying what it waited for. */
const WAIT_MS = 15_000;

/**
 * Resolves when `ready` does; fails at once, with `output()`, when the program ends first
 * (a wait must never outlive the program it waits on), and after WAIT_MS in any case.
 */
function raceExit<T>(what: string, ready: Promise<T>, exit: Promise<{ code: number | null }>, output: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const ended = exit.then(({ code }) => Promise.reject(new Error(`the program ended (exit ${code}) before ${what}:\n${output()}`)));
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${WAIT_MS} ms:\n${output()}`)), WAIT_MS);
  });
  return Promise.race([ready, ended, late]).finally(() => clearTimeout(timer));
}

/** The real CLI as a child process, its stderr watched line by line. */
function start(args: readonly string[], systemDns: string): { child: ChildProcess; waitFor: (re: RegExp) => Promise<void>; exit: Promise<{ code: number | null; at: number }> } {
  const child = spawn(process.execPath, ['--require', SYSTEM_DNS_PRELOAD, CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'en_US.UTF-8', NO_COLOR: '1', VPF_TEST_SYSTEM_DNS: systemDns },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin!.end();
  child.stdout!.resume();
  let err = '';
  const waiters: Array<{ re: RegExp; resolve: () => void }> = [];
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d;
    for (const w of waiters.splice(0)) if (w.re.test(err)) w.resolve();
    else waiters.push(w);
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  // `at` is performance.now() when the program had ended: the clock the test reads too.
  const exit = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, at: performance.now() });
    }),
  );
  return {
    child,
    exit,
    waitFor: (re) => raceExit(`stderr showed ${re}`, re.test(err) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ re, resolve })), exit, () => err),
  };
}

describe('Ctrl-C', () => {
  let gateway: string;
  let ntp: string;
  beforeAll(async () => {
    gateway = `localhost:${servers.track(await startSilentServer()).port}`;
    ntp = `127.0.0.1:${servers.track(await startNtpServer()).port}`;
  });

  test('during a run: the run stops, and the report of what it learned is written, marked incomplete', async () => {
    const dir = tempDir('vpf-int-');
    const out = path.join(dir, 'report.json');
    const run = start([gateway, '--connect-to', '127.0.0.1', '--ntp-server', ntp, '--timeout', '30', '--verbose', '--format', 'json', '--output', out], await hostsLikeDns());
    // The run is under way once it has connected and sits in the silent TLS handshake.
    await run.waitFor(/tcp: connected to 127\.0\.0\.1/);
    const sigintAt = performance.now();
    run.child.kill('SIGINT');
    // The program writes the report and then ends: by the time it has ended the report is there.
    const { code, at } = await raceExit('the program ended after Ctrl-C', run.exit, new Promise(() => undefined), () => '');
    expect(at - sigintAt).toBeLessThan(5000);
    expect(code).toBe(2);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Record<string, any>;
    expect(report.complete).toBe(false);
    expect(report.headline.verdict).toBe('The run was cut short, and what it did check will make the VPN fail.');
    expect(report.checks.find((c: { id: string }) => c.id === 'network.reach').status).toBe('pass');
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  test('a second Ctrl-C ends the program at once (exit 130), whatever the run is doing', () => {
    const aborted: string[] = [];
    const exits: number[] = [];
    const handlers = new Set([() => aborted.push('deadline'), () => aborted.push('remaining gateways')]);
    const onSigint = interruptHandler(handlers, (code) => exits.push(code));
    onSigint();
    expect({ aborted, exits }).toEqual({ aborted: ['deadline', 'remaining gateways'], exits: [] });
    onSigint();
    expect({ aborted, exits }).toEqual({ aborted: ['deadline', 'remaining gateways'], exits: [130] });
  });

  test('at a question on the terminal, one Ctrl-C ends the program (exit 130)', async () => {
    // A real terminal (script(1) gives the program a pseudo-terminal): with no gateway the
    // program asks for one; Ctrl-C typed at the question reaches it as a real SIGINT.
    const home = tempDir('vpf-tty-');
    const child = spawn('script', ['-qfec', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} --no-report`, '/dev/null'], {
      cwd: home,
      env: { PATH: process.env.PATH, HOME: home, LANG: 'en_US.UTF-8', NO_COLOR: '1', TERM: 'dumb' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    const asked = new Promise<void>((resolve) =>
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (/VPN address[\s\S]*: $/.test(out)) resolve();
      }),
    );
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const exit = new Promise<{ code: number | null }>((resolve) => child.on('close', (code) => resolve({ code })));
    await raceExit('the program asked for the VPN address', asked, exit, () => out);
    child.stdin!.write('\x03');
    const { code } = await raceExit('the program ended after Ctrl-C', exit, new Promise(() => undefined), () => out);
    clearTimeout(killer);
    expect(code).toBe(130);
  });
});
