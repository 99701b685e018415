/**
 * The HTML report in a real browser (Debian's chromium, headless): it renders with
 * JavaScript on and off, logs no console or script error, shows the verdict, marks
 * the broken link of the chain, draws the clock timeline, and prints to PDF; the
 * plain `chromium --dump-dom` a helpdesk might script works too. Nothing is fetched.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runCli } from '../helpers/cli';
import { makeIntermediate, makeLeaf, makeRoot } from '../helpers/pki';
import { pemFile, tempDir } from '../helpers/scenario';
import { Servers, startHttpServer, startNtpServer, startTlsServer } from '../helpers/servers';
import { renderHtml } from '../../src/report/html';
import { scenarioReport } from '../unit/report/scenarios';

const CHROMIUM = '/usr/bin/chromium';
// The report needs no name looked up: Chromium's own resolver (which asks the servers of
// /etc/resolv.conf itself) answers every name "not found", so no query leaves the machine.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP * ~NOTFOUND'];
const servers = new Servers();
const dir = tempDir('vpf-browser-');
let browser: Browser;
let missingIntermediateHtml: string;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 });
  // A real run against a gateway that leaves out its intermediate.
  const ntp = servers.track(await startNtpServer());
  const root = makeRoot();
  const int = makeIntermediate(root, 'Missing Intermediate CA');
  const aia = servers.track(await startHttpServer((_req, res) => res.end(int.der)));
  const leaf = makeLeaf(int, 'localhost', { aiaCaIssuers: [aia.url('/int.cer')] });
  const gw = servers.track(await startTlsServer({ key: leaf.keyPem, chain: [leaf] }));
  missingIntermediateHtml = path.join(dir, 'missing-intermediate.html');
  const r = await runCli([`localhost:${gw.port}`, '--connect-to', '127.0.0.1', '--ca-file', pemFile(dir, 'root.pem', root), '--ntp-server', `127.0.0.1:${ntp.port}`, '--format', 'html', '--output', missingIntermediateHtml]);
  expect(r.exitCode).toBe(2);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await servers.closeAll();
});

interface Opened {
  readonly page: Page;
  readonly problems: string[];
  readonly requests: string[];
}

async function open(file: string, javaScriptEnabled: boolean): Promise<Opened> {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (req) => requests.push(req.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 20_000 });
  return { page, problems, requests };
}

test.each([true, false])('renders with JavaScript %s: verdict visible, the broken link marked, nothing fetched', async (js) => {
  const { page, problems, requests } = await open(missingIntermediateHtml, js);
  await expect(page.getByText('The VPN connection will fail certificate verification.').first().isVisible()).resolves.toBe(true);
  const broken = page.locator('figure.chain .link.broken');
  await expect(broken.count()).resolves.toBe(1);
  await expect(broken.isVisible()).resolves.toBe(true);
  await expect(broken.innerText()).resolves.toContain('the gateway does not send this certificate');
  // The red link sits right above the intermediate box it is about.
  const next = page.locator('figure.chain .link.broken + .box .name');
  await expect(next.innerText()).resolves.toBe('Missing Intermediate CA');
  // Evaluated in the page (with JavaScript off too: Playwright's own evaluation still runs).
  const style = await broken.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { borderLeftStyle: string } }).getComputedStyle(el).borderLeftStyle);
  expect(style).toBe('dashed');
  expect(problems).toEqual([]);
  expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
  await page.context().close();
}, 60_000);

test('the clock timeline draws both clocks, and the page prints to PDF', async () => {
  const file = path.join(dir, 'clock-skew.html');
  writeFileSync(file, renderHtml(await scenarioReport('clock-skew', 'ja')));
  const { page, problems } = await open(file, false);
  const svg = page.locator('figure.timeline svg');
  await expect(svg.isVisible()).resolves.toBe(true);
  await expect(page.locator('figure.timeline text.m-local-t').textContent()).resolves.toContain('2026-04-07 09:00 UTC');
  await expect(page.locator('figure.timeline text.m-true-t').textContent()).resolves.toContain('2025-03-03 09:00 UTC');
  const box = await svg.boundingBox();
  expect(box!.width).toBeGreaterThan(300);
  await expect(page.getByText('VPN 事前チェック レポート').first().isVisible()).resolves.toBe(true);
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(20_000);
  expect(problems).toEqual([]);
  await page.context().close();
}, 60_000);

test('chromium --headless --dump-dom shows the verdict and the chain', async () => {
  const profile = mkdtempSync(path.join(tmpdir(), 'vpf-chromium-'));
  const dom = await new Promise<string>((resolve, reject) => {
    const child = spawn(CHROMIUM, ['--headless', ...ARGS, `--user-data-dir=${profile}`, '--dump-dom', pathToFileURL(missingIntermediateHtml).href], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
  expect(dom).toContain('The VPN connection will fail certificate verification.');
  expect(dom).toMatch(/<div class="link broken" role="note">/);
  expect(readFileSync(missingIntermediateHtml, 'utf8').length).toBeGreaterThan(1000);
}, 60_000);

test('a revoked chain: the gateway’s certificate is marked revoked, its intermediate not', async () => {
  const file = path.join(dir, 'revoked.html');
  writeFileSync(file, renderHtml(await scenarioReport('revoked', 'en')));
  const { page, problems, requests } = await open(file, false);
  const boxes = page.locator('figure.chain .box.cert');
  await expect(boxes.count()).resolves.toBe(3);
  const leaf = boxes.nth(0);
  await expect(leaf.locator('.badge.bad').innerText()).resolves.toBe('REVOKED on 2025-02-20');
  await expect(leaf.evaluate((el) => el.classList.contains('flagged'))).resolves.toBe(true);
  // A flagged box is drawn in red, so it stands out printed too.
  const border = await leaf.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { borderTopColor: string } }).getComputedStyle(el).borderTopColor);
  expect(border).toBe('rgb(207, 34, 46)');
  await expect(boxes.nth(1).locator('.badge.ok').innerText()).resolves.toBe('not revoked (OCSP)');
  await expect(boxes.nth(2).locator('.badge').count()).resolves.toBe(0);
  await expect(page.getByText('was revoked by its certificate authority on 2025-02-20 06:12 UTC').first().isVisible()).resolves.toBe(true);
  expect(problems).toEqual([]);
  expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
  await page.context().close();
}, 60_000);

test('an inspected chain names the inspection product on its CA, in Japanese too', async () => {
  const file = path.join(dir, 'tls-inspection.html');
  writeFileSync(file, renderHtml(await scenarioReport('tls-inspection', 'ja')));
  const { page, problems } = await open(file, true);
  const flagged = page.locator('figure.chain .box.cert.flagged');
  await expect(flagged.count()).resolves.toBe(1);
  await expect(flagged.locator('.name').innerText()).resolves.toBe('Zscaler Intermediate Root CA (zscaler.net)');
  await expect(flagged.locator('.badge.bad').innerText()).resolves.toBe('TLS インスペクション: Zscaler');
  await expect(page.locator('section.verdict').innerText()).resolves.toContain('Zscaler');
  // The AnyConnect settings that decide, with their file.
  const settings = page.locator('table.grid', { hasText: 'StrictCertificateTrust' });
  await expect(settings.isVisible()).resolves.toBe(true);
  await expect(settings.locator('tr', { hasText: 'StrictCertificateTrust' }).innerText()).resolves.toMatch(/StrictCertificateTrust\s+false\s+AnyConnectLocalPolicy\.xml/);
  expect(problems).toEqual([]);
  await page.context().close();
}, 60_000);
