/**
 * OCSP responders, CRL servers and AIA download addresses that misbehave: endless, slow
 * or bombed bodies, web pages instead of data, redirect loops, and redirects or addresses
 * that try to make the tool fetch a local file or knock on an internal address. Every case
 * ends as a finding (never a pass), inside the deadline, with memory bounded; nothing
 * local is ever contacted for a certificate's sake.
 */
import type * as http from 'node:http';
import type { LookupFunction } from 'node:net';
import { t } from '../../src/fixes/i18n';
import { FetchError, fetchScopesFor, fetchUrl } from '../../src/probes/http';
import { makeIntermediate, makeLeaf, makeRoot, standardChain, type CertOptions } from '../helpers/pki';
import { pemFile, tempDir } from '../helpers/scenario';
import { Servers, startHttpServer, startNtpServer, startTlsServer, type HttpServer } from '../helpers/servers';
import { check } from '../helpers/cli';
import { expectCalm, externalIPv4, runHostile, type HostileRun } from './harness';
import { endlessBody, gzipBomb, redirectTo, slowDrip } from './peers';

const servers = new Servers();
const dir = tempDir('vpf-hostile-http-');
let ntp: string;
beforeAll(async () => {
  ntp = `127.0.0.1:${servers.track(await startNtpServer()).port}`;
});
afterAll(() => servers.closeAll());

interface Outcome {
  readonly run: HostileRun;
  readonly http: HttpServer;
  readonly url: string;
}

/**
 * A gateway on loopback whose leaf points (OCSP, CRL or AIA) at a hostile HTTP server,
 * also on loopback: the gateway's own scope, so the tool may fetch there.
 */
async function scenario(handler: http.RequestListener, where: (url: string) => CertOptions, opts: { sendIntermediate?: boolean; timeoutS?: number } = {}): Promise<Outcome> {
  const hostile = servers.track(await startHttpServer(handler));
  const url = hostile.url('/x');
  const root = makeRoot();
  const int = makeIntermediate(root, 'Test Intermediate CA');
  const leaf = makeLeaf(int, 'localhost', where(url));
  const port = servers.track(await startTlsServer({ key: leaf.keyPem, chain: opts.sendIntermediate === false ? [leaf] : [leaf, int] })).port;
  const timeoutS = opts.timeoutS ?? 6;
  const run = await runHostile(`localhost:${port}`, ['--connect-to', '127.0.0.1', '--ntp-server', ntp, '--ca-file', pemFile(dir, `root-${port}.pem`, root)], timeoutS);
  expectCalm(run, timeoutS);
  return { run, http: hostile, url };
}
const ocsp = (u: string): CertOptions => ({ aiaOcsp: [u] });
const crl = (u: string): CertOptions => ({ crl: [u] });
const aia = (u: string): CertOptions => ({ aiaCaIssuers: [u] });

/** cert.revocation could not decide: a warning that names the address and, in words, what went wrong. */
function expectUnreachable(o: Outcome, problem: FetchError['code'], detail: RegExp): void {
  const c = check(o.run.report, 'cert.revocation');
  expect(c).toMatchObject({ status: 'warn', reason: 'unreachable' });
  expect(c.summary).toContain(`Tried: ${o.url} (${t('en', `revocation.fetch.${problem}`)}).`);
  expect(c.details[0]).toMatch(detail);
  expect(o.run.result.exitCode).toBe(1);
}

/** cert.revocation got an answer it cannot trust: an error with the reason. */
function expectInvalid(o: Outcome, detail: RegExp): void {
  const c = check(o.run.report, 'cert.revocation');
  expect(c).toMatchObject({ status: 'error', reason: 'invalid-response' });
  expect(c.details.join('\n')).toMatch(detail);
  expect(o.run.result.exitCode).toBe(2);
}

/** cert.chain could not get the missing intermediate, and says why. */
function expectAiaFailed(o: Outcome, words: string): void {
  const c = check(o.run.report, 'cert.chain');
  expect(c).toMatchObject({ status: 'warn', reason: 'issuer-unknown' });
  expect(c.summary).toContain(`(${o.url}) failed: ${words}`);
}

describe('endless, slow and bombed bodies', () => {
  test.concurrent('an endless OCSP answer is cut at 64 KiB', async () => {
    const o = await scenario(endlessBody('application/ocsp-response'), ocsp);
    expectUnreachable(o, 'too-large', /larger than the 65536-byte limit; the download was stopped there/);
  });

  test.concurrent('an endless CRL is cut at 5 MiB, and memory stays bounded', async () => {
    const o = await scenario(endlessBody('application/pkix-crl'), crl);
    expectUnreachable(o, 'too-large', /larger than the 5242880-byte limit/);
  });

  test.concurrent('an endless AIA download is cut at 256 KiB', async () => {
    const o = await scenario(endlessBody('application/pkix-cert'), aia, { sendIntermediate: false });
    expectAiaFailed(o, 'the response from');
    expect(check(o.run.report, 'cert.chain').summary).toContain('larger than the 262144-byte limit');
  });

  test.concurrent('a CRL sent one byte per second ends as a timeout of that request', async () => {
    const o = await scenario(slowDrip('application/pkix-crl'), crl);
    expectUnreachable(o, 'timeout', /no answer from 127\.0\.0\.1:\d+ in time/);
  });

  test.concurrent('a gzip bomb is never inflated: compression is not asked for, the bytes are judged as sent', async () => {
    const o = await scenario(gzipBomb('application/pkix-crl'), crl);
    expect(o.http.requests[0]!.headers['accept-encoding']).toBeUndefined();
    expectInvalid(o, /not a valid CRL/);
  });

  test.concurrent('a gzip bomb from an OCSP responder: not an OCSP response', async () => {
    const o = await scenario(gzipBomb('application/ocsp-response'), ocsp);
    expect(o.http.requests[0]!.headers['accept-encoding']).toBeUndefined();
    expectInvalid(o, /not an OCSP response \(\d+ bytes\)/);
  });
});

describe('the wrong kind of answer', () => {
  const page: http.RequestListener = (req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><body>Welcome to Hotel Wi-Fi. Please log in.</body></html>');
  };

  test.concurrent('a captive portal page instead of an OCSP response: cannot be trusted, said so', async () => {
    expectInvalid(await scenario(page, ocsp), /not an OCSP response \(\d+ bytes, a web page\)/);
  });

  test.concurrent('a captive portal page instead of a CRL', async () => {
    expectInvalid(await scenario(page, crl), /the address returned a web page, not a CRL — a captive portal or proxy may be in the way/);
  });

  test.concurrent('a captive portal page instead of the intermediate certificate', async () => {
    expectAiaFailed(await scenario(page, aia, { sendIntermediate: false }), 'the URL returned a web page (text/html), not a certificate');
  });
});

describe('redirects', () => {
  test.concurrent('a redirect loop stops after 3 redirects', async () => {
    const o = await scenario(redirectTo((q) => q.url ?? '/'), ocsp);
    expectUnreachable(o, 'too-many-redirects', /more than 3 redirects/);
    expect(o.http.requests).toHaveLength(4);
  });

  test.concurrent('a redirect to a file: URL is refused, and the report says so', async () => {
    const o = await scenario(redirectTo(() => 'file:///etc/passwd'), crl);
    expectUnreachable(o, 'refused-scheme', /refused to fetch a file: URL \(only http and https\)/);
  });

  test.concurrent('a redirect to the cloud metadata address is refused before any connection', async () => {
    const o = await scenario(redirectTo(() => 'http://169.254.169.254/latest/meta-data/'), crl);
    expectUnreachable(o, 'refused-address', /refused to fetch from a link-local address \(169\.254\.169\.254\)/);
  });

  test.concurrent('a redirect of the AIA download to the office network is refused', async () => {
    expectAiaFailed(await scenario(redirectTo(() => 'http://10.0.0.1/int.crt'), aia, { sendIntermediate: false }), 'refused to fetch from a private address (10.0.0.1)');
  });
});

describe('the fetch guard, address by address (no connection is ever made)', () => {
  let local: HttpServer;
  beforeAll(async () => {
    local = servers.track(await startHttpServer((_q, res) => res.end('secret')));
  });
  afterEach(() => expect(local.requests).toEqual([]));

  const fetchAs = (url: string, gatewayAddress: string, lookup?: LookupFunction) =>
    fetchUrl(url, { maxBytes: 1024, maxRedirects: 3, timeoutMs: 2000, signal: new AbortController().signal, allowScopes: fetchScopesFor(gatewayAddress), ...(lookup ? { lookup } : {}) });

  async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
    const err = await p.then(
      () => new Error('fetched'),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FetchError);
    return { code: (err as FetchError).code, message: (err as FetchError).message };
  }

  // A gateway on the internet: nothing on this computer or its networks may be fetched.
  const PUBLIC_GATEWAY = '203.0.113.10';
  test.each([
    ['the loopback address', (p: number) => `http://127.0.0.1:${p}/ocsp`, 'loopback'],
    ['a short form of it', (p: number) => `http://127.1:${p}/ocsp`, 'loopback'],
    ['its decimal form', (p: number) => `http://2130706433:${p}/ocsp`, 'loopback'],
    ['its octal form', (p: number) => `http://0177.0.0.1:${p}/ocsp`, 'loopback'],
    ['its hex form', (p: number) => `http://0x7f000001:${p}/ocsp`, 'loopback'],
    ['IPv4-mapped IPv6', (p: number) => `http://[::ffff:127.0.0.1]:${p}/ocsp`, 'loopback'],
    ['IPv6 loopback', (p: number) => `http://[::1]:${p}/ocsp`, 'loopback'],
    ['0.0.0.0 (which reaches this computer)', (p: number) => `http://0.0.0.0:${p}/ocsp`, 'unspecified'],
    ['userinfo that looks like a host', (p: number) => `http://ocsp.example.com:80@127.0.0.1:${p}/ocsp`, 'loopback'],
    ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['it mapped into IPv6', () => 'http://[::ffff:169.254.169.254]/', 'link-local'],
    ['a private address', () => 'http://192.168.1.1/admin', 'private'],
    ['a unique-local IPv6 address', () => 'http://[fd00::1]/', 'private'],
    ['a CGNAT address', () => 'http://100.64.0.1/', 'cgnat'],
  ])('%s is refused', async (_what, url, scope) => {
    const r = await refusal(fetchAs(url(local.port), PUBLIC_GATEWAY));
    expect(r.code).toBe('refused-address');
    expect(r.message).toContain(`a ${scope} address`);
  });

  test('a name that resolves to loopback is refused after the lookup, before connecting', async () => {
    const r = await refusal(fetchAs(`http://localhost:${local.port}/ocsp`, PUBLIC_GATEWAY));
    expect(r).toEqual({ code: 'refused-address', message: 'refused: localhost resolves to a loopback address' });
  });

  test('a public-looking name whose DNS answer is loopback (rebinding) is refused', async () => {
    const rebinding: LookupFunction = (_h, _o, cb) => (cb as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
    const r = await refusal(fetchAs(`http://ocsp.example.com:${local.port}/ocsp`, PUBLIC_GATEWAY, rebinding));
    expect(r).toEqual({ code: 'refused-address', message: 'refused: ocsp.example.com resolves to a loopback address' });
  });

  test.each(['file:///etc/passwd', 'ftp://ocsp.example.com/x', 'gopher://127.0.0.1:70/', 'data:text/plain,hello', 'javascript:alert(1)'])('%s is refused by scheme', async (url) => {
    expect((await refusal(fetchAs(url, PUBLIC_GATEWAY))).code).toBe('refused-scheme');
  });

  test.each([
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['it in decimal', 'http://2852039166/', 'link-local'],
    ['it in octal', 'http://0251.0376.0251.0376/', 'link-local'],
    ['it mapped into IPv6, in hex', 'http://[::ffff:a9fe:a9fe]/', 'link-local'],
    ['an IPv6 link-local address', 'http://[fe80::1]/', 'link-local'],
    ['the office network', 'http://10.0.0.1/', 'private'],
    ['0.0.0.0', 'http://0.0.0.0/', 'unspecified'],
  ])('a redirect from the gateway’s own scope to %s is refused', async (_what, target, scope) => {
    const redirector = servers.track(await startHttpServer(redirectTo(() => target)));
    const r = await refusal(fetchAs(redirector.url('/crl'), '127.0.0.1'));
    expect(r.code).toBe('refused-address');
    expect(r.message).toContain(`a ${scope} address`);
    expect(redirector.requests).toHaveLength(1);
  });
});

describe('a gateway reached at this machine’s own public-scope address', () => {
  test('the certificate’s loopback URLs are refused, never fetched, and the report says so', async () => {
    const external = externalIPv4();
    const local = servers.track(await startHttpServer((_q, res) => res.end('secret')));
    const { root, intermediate } = standardChain('localhost');
    const leaf = makeLeaf(intermediate, 'localhost', {
      aiaOcsp: [`http://127.0.0.1:${local.port}/ocsp`, `http://[::ffff:127.0.0.1]:${local.port}/ocsp`],
      crl: [`http://localhost:${local.port}/int.crl`, `http://2130706433:${local.port}/int.crl`],
    });
    const { port } = servers.track(await startTlsServer({ key: leaf.keyPem, chain: [leaf, intermediate], host: external }));
    const run = await runHostile(`localhost:${port}`, ['--connect-to', external, '--ntp-server', ntp, '--ca-file', pemFile(dir, 'ext-root.pem', root)], 6);
    expectCalm(run, 6);
    const c = check(run.report, 'cert.revocation');
    expect(c).toMatchObject({ status: 'warn', reason: 'unreachable' });
    expect(c.evidence.certificates[0].attempts.map((a: { problem: string }) => a.problem)).toEqual(['refused-address', 'refused-address', 'refused-address', 'refused-address']);
    expect(c.details.join('\n')).toContain('refused to fetch from a loopback address (127.0.0.1)');
    expect(c.details.join('\n')).toContain('refused: localhost resolves to a loopback address');
    expect(local.requests).toEqual([]);
  });
});
