/**
 * The report files as a user meets them, through the real CLI: the HTML report a plain
 * run saves (and never overwrites), --format/--output/--force, the settings file
 * beside the program (valid, missing, malformed), the console that waits on Windows,
 * and --redact end to end.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { check, CLI, jsonOf, runCli } from '../helpers/cli';
import { standardChain, type Issued } from '../helpers/pki';
import { pemFile, tempDir } from '../helpers/scenario';
import { expectValidReport } from '../helpers/schema';
import { Servers, startNtpServer, startTlsServer } from '../helpers/servers';
import { main, opensOwnWindow } from '../../src/cli';
import { writeNewReportFile } from '../../src/report/write';
import { reportDirCandidates, reportFileName } from '../../src/report/location';

const servers = new Servers();
const dir = tempDir('vpf-report-');
let ntp: string;
let port: number;
let root: Issued;

beforeAll(async () => {
  ntp = `127.0.0.1:${servers.track(await startNtpServer()).port}`;
  const pki = standardChain('localhost');
  root = pki.root;
  port = servers.track(await startTlsServer({ key: pki.leaf.keyPem, chain: [pki.leaf, pki.intermediate] })).port;
});
afterAll(() => servers.closeAll());

const gatewayArgs = (): string[] => [`localhost:${port}`, '--connect-to', '127.0.0.1', '--ca-file', pemFile(dir, 'root.pem', root), '--ntp-server', ntp, '--timeout', '10'];

describe('the HTML report a plain run saves', () => {
  test('is written to the report folder, its path printed, and it opens with the verdict', async () => {
    const out = tempDir('vpf-out-');
    const r = await runCli(gatewayArgs(), { env: { VPN_PREFLIGHT_REPORT_DIR: out } });
    expect(r.exitCode).toBe(0);
    const files = readdirSync(out);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^vpn-preflight-localhost-\d{8}-\d{6}\.html$/);
    expect(r.stdout).toContain(`The report for IT: ${path.join(out, files[0]!)}`);
    const html = readFileSync(path.join(out, files[0]!), 'utf8');
    expect(html).toContain('All checks passed: certificate verification should succeed.');
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('--no-report writes nothing; --json writes nothing but the JSON on stdout', async () => {
    const out = tempDir('vpf-out-');
    const a = await runCli([...gatewayArgs(), '--no-report'], { env: { VPN_PREFLIGHT_REPORT_DIR: out } });
    const b = await runCli([...gatewayArgs(), '--json'], { env: { VPN_PREFLIGHT_REPORT_DIR: out } });
    expect(a.exitCode).toBe(0);
    expect(a.stdout).not.toContain('The report for IT');
    expectValidReport(jsonOf(b));
    expect(readdirSync(out)).toEqual([]);
  });

  test('an existing report is never overwritten: the next name is taken', async () => {
    const out = tempDir('vpf-out-');
    writeFileSync(path.join(out, 'vpn-preflight-x-20250303-090000.html'), 'earlier report');
    const file = await writeNewReportFile([path.join(out, 'missing-folder'), out], 'vpn-preflight-x-20250303-090000.html', 'new report');
    expect(file).toBe(path.join(out, 'vpn-preflight-x-20250303-090000-2.html'));
    expect(readFileSync(path.join(out, 'vpn-preflight-x-20250303-090000.html'), 'utf8')).toBe('earlier report');
    expect(readFileSync(file, 'utf8')).toBe('new report');
  });

  test('the file name is the gateway and the local time, in characters every system accepts', () => {
    expect(reportFileName('fe80::1', new Date(2025, 2, 3, 9, 5, 7), 'html')).toBe('vpn-preflight-fe80-1-20250303-090507.html');
    expect(reportFileName('VPN.Example.COM', new Date(2025, 11, 31, 23, 59, 59), 'html')).toBe('vpn-preflight-vpn.example.com-20251231-235959.html');
  });

  test('the folder: the Desktop (OneDrive’s on Windows, the localized one on Linux), then Downloads, the current folder, the temp folder', () => {
    const base = { homeDir: '/home/ken', env: {}, cwd: '/work', tmpDir: '/tmp', xdgUserDirs: null };
    expect(reportDirCandidates({ ...base, platform: 'darwin' }, null)).toEqual(['/home/ken/Desktop', '/home/ken/Downloads', '/work', '/tmp']);
    expect(reportDirCandidates({ ...base, platform: 'linux', xdgUserDirs: 'XDG_DESKTOP_DIR="$HOME/デスクトップ"\nXDG_DOWNLOAD_DIR="$HOME/ダウンロード"\n' }, null)).toEqual(['/home/ken/デスクトップ', '/home/ken/ダウンロード', '/work', '/tmp']);
    expect(reportDirCandidates({ ...base, platform: 'win32', homeDir: 'C:\\Users\\ken', env: { OneDrive: 'C:\\Users\\ken\\OneDrive' }, cwd: 'C:\\Users\\ken\\Downloads' }, null)).toEqual([
      'C:\\Users\\ken\\OneDrive\\Desktop',
      'C:\\Users\\ken\\Desktop',
      'C:\\Users\\ken\\Downloads',
      '/tmp',
    ]);
    expect(reportDirCandidates({ ...base, platform: 'linux' }, '/srv/reports')).toEqual(['/srv/reports']);
  });
});

describe('--format and --output', () => {
  test('--format markdown prints the ticket text; --format html --output writes the file', async () => {
    const md = await runCli([...gatewayArgs(), '--format', 'markdown']);
    expect(md.exitCode).toBe(0);
    expect(md.stdout).toMatch(/^# VPN pre-flight report for localhost:\d+\n\n> \*\*✔ All checks passed/);
    const file = path.join(tempDir('vpf-out-'), 'report.html');
    const html = await runCli([...gatewayArgs(), '--format', 'html', '--output', file]);
    expect(html.exitCode).toBe(0);
    expect(html.stdout).toContain(`Report saved: ${file}`);
    expect(readFileSync(file, 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  test('an existing --output file stops the run before it starts (exit 3) unless --force', async () => {
    const file = path.join(tempDir('vpf-out-'), 'report.md');
    writeFileSync(file, 'keep me');
    const refused = await runCli([...gatewayArgs(), '--format', 'markdown', '--output', file]);
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toContain('already exists; use --force');
    expect(refused.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    const forced = await runCli([...gatewayArgs(), '--format', 'markdown', '--output', file, '--force']);
    expect(forced.exitCode).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^# VPN pre-flight report/);
  });
});

describe('the settings file beside the program', () => {
  /** A copy of the bundled CLI in its own folder, as a helpdesk would ship it. */
  function shipped(config: string | Buffer | null, extra: Record<string, string> = {}): string {
    const folder = tempDir('vpf-ship-');
    copyFileSync(CLI, path.join(folder, 'cli.js'));
    if (config !== null) writeFileSync(path.join(folder, 'vpn-preflight.json'), config);
    for (const [name, text] of Object.entries(extra)) writeFileSync(path.join(folder, name), text);
    return path.join(folder, 'cli.js');
  }

  test('valid: gateway, CA file (relative), time server, language and contact line come from it', async () => {
    const config = JSON.stringify({
      $comment: 'Example Corp VPN check',
      gateway: `localhost:${port}`,
      caCertificates: ['corp-root.pem'],
      ntpServers: [ntp],
      language: 'ja',
      contact: 'IT ヘルプデスク 内線 4321',
    }, null, 2);
    const cli = shipped(config, { 'corp-root.pem': root.pem });
    const r = await runCli([cli, '--connect-to', '127.0.0.1', '--json', '--timeout', '10'], { executable: process.execPath });
    const report = jsonOf(r);
    expectValidReport(report);
    expect(r.exitCode).toBe(0);
    expect(report.gateway.origin).toContain('vpn-preflight.json');
    expect(report.language).toBe('ja');
    expect(report.contact).toBe('IT ヘルプデスク 内線 4321');
    expect(check(report, 'cert.trust').evidence.anchor.stores[0]).toBe(`vpn-preflight.json: ${path.join(path.dirname(cli), 'corp-root.pem')}`);
    expect(check(report, 'clock.offset').evidence.ntp.servers[0].server).toBe(ntp);
  });

  test('the command line wins over the file', async () => {
    const cli = shipped(JSON.stringify({ gateway: 'vpn.invalid', language: 'ja', contact: 'desk' }));
    const r = await runCli([cli, ...gatewayArgs(), '--lang', 'en', '--json'], { executable: process.execPath });
    const report = jsonOf(r);
    expect(report.gateway.host).toBe('localhost');
    expect(report.gateway.origin).toBe('command line');
    expect(report.language).toBe('en');
    expect(report.contact).toBe('desk');
  });

  test('malformed: a clear error naming the line and column, exit 3', async () => {
    const cli = shipped('{\n  "gateway": "vpn.example.com"\n  "language": "ja"\n}\n');
    const r = await runCli([cli, '--json'], { executable: process.execPath });
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`The settings file ${path.join(path.dirname(cli), 'vpn-preflight.json')} is not valid JSON at line 3, column 3`);
    expect(r.stderr).toContain('CommaExpected');
  });

  test('a UTF-16 settings file cut mid-character: a usage error naming the file, not a crash', async () => {
    const be = (text: string): Buffer => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    const cut = be('{"gateway": "vpn.example.com"}');
    const cli = shipped(cut.subarray(0, cut.length - 1));
    const r = await runCli([cli, '--json'], { executable: process.execPath });
    expect({ exitCode: r.exitCode, stdout: r.stdout }).toEqual({ exitCode: 3, stdout: '' });
    expect(r.stderr).toContain(`The settings file ${path.join(path.dirname(cli), 'vpn-preflight.json')} is not valid JSON`);
    expect(r.stderr).not.toMatch(/RangeError|at .*\.js:\d+/);
  });

  test('a wrong value names its line too, in the user’s language', async () => {
    const cli = shipped('{\n  "gateway": "vpn.example.com",\n  "ntpServer": "ntp.example.com"\n}\n');
    const r = await runCli([cli], { executable: process.execPath, env: { LANG: 'ja_JP.UTF-8' } });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('の 3 行目 3 文字目: 「ntpServer」という設定はありません');
    const bad = shipped('{ "caCertificates": ["missing.pem"] }');
    const r2 = await runCli([bad], { executable: process.execPath });
    expect(r2.exitCode).toBe(3);
    expect(r2.stderr).toMatch(/line 1, column 22: the certificate file .*missing\.pem cannot be read \(ENOENT\)/);
  });

  test('missing, and no gateway given: the explanation, exit 3 (no question without a terminal)', async () => {
    const cli = shipped(null);
    const r = await runCli([cli], { executable: process.execPath });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('No VPN address was given, and none was found in a settings file next to this program');
    expect(r.stderr).toContain('vpn-preflight vpn.example.com');
    expect(r.stdout).not.toContain('Press Enter');
  });
});

describe('a double-clicked Windows console', () => {
  test('the heuristic: Windows, no arguments, a terminal on both ends', () => {
    expect(opensOwnWindow([], 'win32', true, true)).toBe(true);
    expect(opensOwnWindow(['vpn.example.com'], 'win32', true, true)).toBe(false);
    expect(opensOwnWindow([], 'win32', false, true)).toBe(false);
    expect(opensOwnWindow([], 'win32', true, false)).toBe(false);
    expect(opensOwnWindow([], 'linux', true, true)).toBe(false);
  });

  test('waits for Enter after the result, also when the run ends in an error', async () => {
    const empty = tempDir('vpf-empty-');
    mkdirSync(empty, { recursive: true });
    let out = '';
    let err = '';
    let waited = 0;
    const code = await main([], {
      stdout: { write: (s: string) => (out += s), isTTY: true, columns: 100 },
      stderr: { write: (s: string) => (err += s) },
      env: { LANG: 'en_US.UTF-8' },
      platform: 'win32',
      stdinIsTTY: true,
      installDir: empty,
      prompt: async () => '',
      waitForEnter: async () => {
        waited++;
      },
    });
    expect(code).toBe(3);
    expect(err).toContain('No VPN address was given');
    expect(out).toContain('Press Enter to close this window.');
    expect(waited).toBe(1);
  });
});

describe('--redact end to end', () => {
  test('the user, computer and home folder do not reach the saved report; the gateway does', async () => {
    const out = tempDir('vpf-out-');
    const home = tempDir('vpf-home-');
    const ca = path.join(home, 'corp-root.pem');
    writeFileSync(ca, root.pem);
    const args = [`localhost:${port}`, '--connect-to', '127.0.0.1', '--ca-file', ca, '--ntp-server', ntp, '--redact'];
    const env = { VPN_PREFLIGHT_REPORT_DIR: out, HOME: home, USER: 'kenji.sato', HOSTNAME: 'ws-sato-77' };
    const json = jsonOf(await runCli([...args, '--json'], { env }));
    expectValidReport(json);
    expect(json.redacted).toBe(true);
    expect(JSON.stringify(json)).not.toContain(home);
    expect(check(json, 'cert.trust').evidence.anchor.stores[0]).toBe('--ca-file [home]/corp-root.pem');
    const text = await runCli(args, { env });
    const html = readFileSync(path.join(out, readdirSync(out)[0]!), 'utf8');
    for (const s of [text.stdout, html]) {
      expect(s).not.toContain(home);
      expect(s).toContain('localhost');
    }
    expect(html).toContain('[home]/corp-root.pem');
    expect(existsSync(ca)).toBe(true);
  });
});
