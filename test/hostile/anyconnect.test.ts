/**
 * Gateways whose answer to AnyConnect's config-auth request is hostile: endless, huge,
 * nested without end, carrying a DTD with entities (billion laughs, external entities),
 * not XML at all, or redirecting in a loop. anyconnect.gateway must say what it got —
 * never parse a DTD, never follow the loop, never grow without bound.
 */
import type * as http from 'node:http';
import { standardChain } from '../helpers/pki';
import { pemFile, tempDir } from '../helpers/scenario';
import { Servers, startNtpServer, startTlsServer } from '../helpers/servers';
import { check } from '../helpers/cli';
import { expectCalm, runHostile, type HostileRun } from './harness';
import { endlessBody } from './peers';

const servers = new Servers();
const dir = tempDir('vpf-hostile-ac-');
let ntp: string;
beforeAll(async () => {
  ntp = `127.0.0.1:${servers.track(await startNtpServer()).port}`;
});
afterAll(() => servers.closeAll());

async function gatewayAnswering(handler: http.RequestListener): Promise<{ run: HostileRun; requests: () => number }> {
  let requests = 0;
  const counted: http.RequestListener = (req, res) => {
    requests++;
    handler(req, res);
  };
  const { root, intermediate, leaf } = standardChain('localhost');
  const port = servers.track(await startTlsServer({ key: leaf.keyPem, chain: [leaf, intermediate], onRequest: counted })).port;
  const run = await runHostile(`localhost:${port}`, ['--connect-to', '127.0.0.1', '--ntp-server', ntp, '--ca-file', pemFile(dir, `r${port}.pem`, root)], 5);
  expectCalm(run, 5);
  return { run, requests: () => requests };
}

const xml =
  (body: string, type = 'text/xml'): http.RequestListener =>
  (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    });
  };

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>';
const OPEN = '<config-auth client="vpn" type="auth-request" aggregate-auth-version="2">';

/** Not an AnyConnect gateway: a warning that says why — the rest of the run is unaffected. */
function expectNotAnyconnect(run: HostileRun, why: string, words: string): void {
  const c = check(run.report, 'anyconnect.gateway');
  expect(c).toMatchObject({ status: 'warn', reason: 'not-anyconnect' });
  expect(c.evidence.why).toBe(why);
  expect(c.summary).toContain(words);
  for (const id of ['tls.versions', 'cert.chain', 'cert.trust', 'cert.hostname']) expect(check(run.report, id).status).toBe('pass');
  expect(run.result.exitCode).toBe(1);
}

/** More than 256 KiB: reported as too large, never parsed as if it were the whole answer. */
function expectTooLarge(run: HostileRun): void {
  const c = check(run.report, 'anyconnect.gateway');
  expect(c).toMatchObject({ status: 'warn', reason: 'reply-too-large' });
  expect(c.evidence.why).toBe('too-large');
  expect(c.summary).toContain('answered the AnyConnect login request with more than 256 KiB');
  for (const id of ['tls.versions', 'cert.chain', 'cert.trust', 'cert.hostname']) expect(check(run.report, id).status).toBe('pass');
  expect(run.result.exitCode).toBe(1);
}

test.concurrent('an endless body: read up to 256 KiB, then reported as too large', async () => {
  const { run } = await gatewayAnswering(endlessBody('text/xml'));
  expectTooLarge(run);
});

test.concurrent('a complete login form followed by padding past 256 KiB: too large, never a pass', async () => {
  const form = `${HEAD}${OPEN}<version who="sg">9.16(4)</version><auth id="main"><form><input type="password" name="password" label="Password:"/></form></auth></config-auth>`;
  const { run } = await gatewayAnswering(xml(`${form}${' '.repeat(300 * 1024)}`));
  expectTooLarge(run);
});

test.concurrent('XML nested 30,000 levels deep: refused as malformed, no stack overflow', async () => {
  const { run } = await gatewayAnswering(xml(`${HEAD}${OPEN}${'<a>'.repeat(30_000)}${'</a>'.repeat(30_000)}</config-auth>`));
  expectNotAnyconnect(run, 'not-xml', 'is not well-formed XML (Maximum nested tags exceeded)');
});

test.concurrent('5,000 tunnel groups: the first 100 are kept, the report stays readable', async () => {
  const options = Array.from({ length: 5000 }, (_, i) => `<option value="g${i}">Group ${i}</option>`).join('');
  const { run } = await gatewayAnswering(xml(`${HEAD}${OPEN}<auth id="main"><form><select name="group_list" label="GROUP:">${options}</select></form></auth></config-auth>`));
  const c = check(run.report, 'anyconnect.gateway');
  expect(c).toMatchObject({ status: 'pass', reason: 'anyconnect' });
  expect(c.evidence.groups).toHaveLength(100);
  expect(c.evidence.groups[99]).toMatchObject({ value: 'g99' });
});

test.concurrent('a DOCTYPE with the “billion laughs” entities is refused unread', async () => {
  const lol = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>';
  const { run } = await gatewayAnswering(xml(`${HEAD}${lol}${OPEN}<auth><message>&lol2;</message></auth></config-auth>`));
  expectNotAnyconnect(run, 'refused-xml', 'it contains a document type declaration (<!DOCTYPE …>)');
  expect(JSON.stringify(run.report)).not.toContain('lollol');
});

test.concurrent('an external entity naming /etc/passwd is refused unread', async () => {
  const { run } = await gatewayAnswering(xml(`${HEAD}<!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>${OPEN}<auth><message>&x;</message></auth></config-auth>`));
  expectNotAnyconnect(run, 'refused-xml', 'nothing in it was read');
  expect(JSON.stringify(run.report)).not.toContain('root:x:0:0');
});

test.concurrent('an entity declared without a DOCTYPE is refused too', async () => {
  const { run } = await gatewayAnswering(xml(`${HEAD}${OPEN}<!ENTITY x SYSTEM "file:///etc/passwd"><auth/></config-auth>`));
  expectNotAnyconnect(run, 'refused-xml', 'it declares an entity');
});

test.concurrent('not XML at all (a captive portal’s page)', async () => {
  const { run } = await gatewayAnswering(xml('<html><body>Welcome to Hotel Wi-Fi. Please log in.</body></html>', 'text/html'));
  expectNotAnyconnect(run, 'not-config-auth', 'the reply is not an AnyConnect config-auth document (text/html)');
  expect(check(run.report, 'anyconnect.gateway').evidence.bodyExcerpt).toContain('Welcome to Hotel Wi-Fi');
});

test.concurrent('a redirect loop is reported, never followed', async () => {
  const { run, requests } = await gatewayAnswering((req, res) => {
    req.resume();
    res.writeHead(302, { location: req.url ?? '/' });
    res.end();
  });
  expectNotAnyconnect(run, 'redirect', 'redirects the AnyConnect login request to /');
  expect(requests()).toBe(1);
});
