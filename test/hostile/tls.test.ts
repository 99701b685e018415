/**
 * Gateways that lie or break during the TLS handshake. Each case runs the real CLI and
 * asserts the finding (check id, status, reason), that the run ended within --timeout
 * plus a small margin, and that its peak memory stayed bounded.
 */
import forge from 'node-forge';
import { makeIntermediate, makeLeaf, makeRoot, standardChain, type Issued } from '../helpers/pki';
import { pemFile, tempDir } from '../helpers/scenario';
import { Servers, startNtpServer, startPlainHttpPeer, startRawTlsPeer, startTlsServer, type RawTlsBehaviour } from '../helpers/servers';
import { check, runCli } from '../helpers/cli';
import { expectCalm, runHostile, type HostileRun } from './harness';
import { asRecords, certificateMessage, serverHello12, tlsRecord } from './peers';

const servers = new Servers();
const dir = tempDir('vpf-hostile-tls-');
let ntp: string;
let pki: { root: Issued; intermediate: Issued; leaf: Issued };
let rootFile: string;

beforeAll(async () => {
  ntp = `127.0.0.1:${servers.track(await startNtpServer()).port}`;
  pki = standardChain('localhost');
  rootFile = pemFile(dir, 'root.pem', pki.root);
});
afterAll(() => servers.closeAll());

async function against(port: number, timeoutS: number, extra: readonly string[] = []): Promise<HostileRun> {
  const run = await runHostile(`localhost:${port}`, ['--connect-to', '127.0.0.1', '--ntp-server', ntp, ...extra], timeoutS);
  expectCalm(run, timeoutS);
  return run;
}

async function rawPeer(b: RawTlsBehaviour): Promise<number> {
  return servers.track(await startRawTlsPeer(b)).port;
}

function expectNoCertificateChecks(run: HostileRun): void {
  for (const id of ['cert.chain', 'cert.trust', 'cert.expiry', 'cert.hostname']) expect(check(run.report, id)).toMatchObject({ status: 'skip', reason: 'no-certificate' });
  expect(check(run.report, 'anyconnect.gateway').status).toBe('skip');
}

describe('a handshake that goes wrong', () => {
  test.concurrent('garbage instead of a ServerHello (an SSH server on the port): tls.versions fails, not TLS', async () => {
    const run = await against(await rawPeer({ kind: 'send', bytes: Buffer.from('SSH-2.0-OpenSSH_9.6p1 Debian\r\n'), then: 'hang' }), 4);
    const c = check(run.report, 'tls.versions');
    expect(c).toMatchObject({ status: 'fail', reason: 'not-tls' });
    expect(c.summary).toContain('does not speak TLS (the server answered with non-TLS data: "SSH-2.0-OpenSSH_9.6p1 Debian\\r\\n")');
    expectNoCertificateChecks(run);
    expect(run.result.exitCode).toBe(2);
  });

  test.concurrent('a TLS record whose ServerHello is garbage: the handshake failed, and why', async () => {
    const run = await against(await rawPeer({ kind: 'send', bytes: tlsRecord(22, Buffer.from([2, 0, 0, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9])), then: 'hang' }), 4);
    expect(check(run.report, 'tls.versions')).toMatchObject({ status: 'fail', reason: 'handshake-failed', summary: 'The TLS handshake failed (truncated handshake message).' });
    expectNoCertificateChecks(run);
  });

  test.concurrent('cut right after the ServerHello (connection closed): handshake-closed', async () => {
    const run = await against(await rawPeer({ kind: 'send', bytes: asRecords(serverHello12()), then: 'close' }), 4);
    expect(check(run.report, 'tls.versions')).toMatchObject({ status: 'fail', reason: 'handshake-closed' });
    // The version row records what the ServerHello chose and that nothing followed it.
    expect(check(run.report, 'tls.versions').evidence.versions['TLSv1.2'].reason).toMatch(/^the gateway chose this version, then the handshake ended: /);
    expectNoCertificateChecks(run);
    expect(run.report.complete).toBe(true);
  });

  test.concurrent('cut right after the ServerHello (connection left open): ends by --timeout as a timeout', async () => {
    const run = await against(await rawPeer({ kind: 'send', bytes: asRecords(serverHello12()), then: 'hang' }), 3);
    expect(check(run.report, 'tls.versions')).toMatchObject({ status: 'fail', reason: 'handshake-slow' });
    expect(check(run.report, 'tls.versions').summary).toMatch(/too slowly to finish within the time limit \(the server had sent only 54 bytes of its handshake after \d+\.\d s\)/);
    expect(run.report.complete).toBe(false);
    expect(run.result.durationMs).toBeGreaterThan(2500);
  });

  test.concurrent('cut in the middle of the Certificate message: handshake-closed, no certificate judged', async () => {
    const cert = certificateMessage([pki.leaf.der, pki.intermediate.der]);
    const bytes = asRecords(Buffer.concat([serverHello12(), cert.subarray(0, cert.length >> 1)]));
    const run = await against(await rawPeer({ kind: 'send', bytes, then: 'close' }), 4);
    expect(check(run.report, 'tls.versions')).toMatchObject({ status: 'fail', reason: 'handshake-closed' });
    expectNoCertificateChecks(run);
  });

  test.concurrent('a 1-byte-per-second drip ends by --timeout, saying the gateway is too slow', async () => {
    const flight = asRecords(Buffer.concat([serverHello12(), certificateMessage([pki.leaf.der, pki.intermediate.der])]));
    const run = await against(await rawPeer({ kind: 'drip', bytes: flight, everyMs: 1000 }), 5);
    const c = check(run.report, 'tls.versions');
    expect(c).toMatchObject({ status: 'fail', reason: 'handshake-slow' });
    expect(c.summary).toMatch(/^The gateway answered the TLS handshake, but too slowly to finish within the time limit \(the server had sent only [1-4] bytes of its handshake after \d\.\d s\)\./);
    expect(run.result.durationMs).toBeGreaterThan(4000);
    expect(run.report.complete).toBe(false);
    expect(run.report.headline.verdict).toContain('cut short');
    expect(run.result.exitCode).toBe(2);
  });

  test.concurrent('an HTTP server on the port: not TLS, with what it answered', async () => {
    const run = await against(servers.track(await startPlainHttpPeer()).port, 4);
    const c = check(run.report, 'tls.versions');
    expect(c).toMatchObject({ status: 'fail', reason: 'not-tls' });
    expect(c.summary).toContain('"HTTP/1.1 400 Bad Request');
    expect(run.report.headline.firstStep).toBeTruthy();
  });

  test.concurrent('a TLS alert instead of a ServerHello: the handshake failed, naming the alert', async () => {
    const run = await against(await rawPeer({ kind: 'send', bytes: tlsRecord(21, Buffer.from([2, 40])), then: 'close' }), 4);
    expect(check(run.report, 'tls.versions')).toMatchObject({
      status: 'fail',
      reason: 'handshake-failed',
      summary: 'The TLS handshake failed (the server ended the handshake with the TLS alert “handshake_failure”).',
    });
  });

  test.concurrent('an alert named only in RFC 6066 (unrecognized_name) instead of a ServerHello: the handshake failed, naming it', async () => {
    const run = await against(await rawPeer({ kind: 'send', bytes: tlsRecord(21, Buffer.from([2, 112])), then: 'close' }), 4);
    const c = check(run.report, 'tls.versions');
    expect(c).toMatchObject({ status: 'fail', reason: 'handshake-failed', summary: 'The TLS handshake failed (the server ended the handshake with the TLS alert “unrecognized_name”).' });
    expect(c.evidence.failure).toMatchObject({ kind: 'handshake-failure', code: 'ERR_SSL_TLSV1_UNRECOGNIZED_NAME' });
  });

  test.concurrent('a server that resets the connection after the ClientHello: reached, then the handshake was cut by a reset', async () => {
    const run = await against(await rawPeer({ kind: 'send', bytes: Buffer.alloc(0), then: 'reset' }), 4);
    expect(check(run.report, 'network.reach').status).toBe('pass');
    const c = check(run.report, 'tls.versions');
    expect(c).toMatchObject({ status: 'fail', reason: 'handshake-closed' });
    expect(c.evidence.failure).toMatchObject({ kind: 'reset', code: 'ECONNRESET' });
    expectNoCertificateChecks(run);
  });

  test.concurrent('a server that closes right after accepting: handshake-closed', async () => {
    const run = await against(await rawPeer({ kind: 'close-at-once' }), 4);
    expect(check(run.report, 'network.reach').status).toBe('pass');
    expect(check(run.report, 'tls.versions')).toMatchObject({ status: 'fail', reason: 'handshake-closed' });
    expect(check(run.report, 'tls.versions').evidence.failure).toMatchObject({ kind: 'closed', message: 'the server closed the connection during the TLS handshake' });
  });

  test.concurrent('a server that resets right after accepting: the connection was reset', async () => {
    const run = await against(await rawPeer({ kind: 'reset-at-once' }), 4);
    expect(check(run.report, 'network.reach')).toMatchObject({ status: 'fail', reason: 'reset' });
    expect(run.result.exitCode).toBe(2);
  });
});

/** A leaf under the shared intermediate, served with it; the root is trusted with --ca-file. */
async function serve(leaf: Issued, chain: Issued[] = [leaf, pki.intermediate], opts: { maxVersion?: 'TLSv1.2' | 'TLSv1.3' } = {}): Promise<number> {
  return servers.track(await startTlsServer({ key: leaf.keyPem, chain, ...(opts.maxVersion ? { maxVersion: opts.maxVersion } : {}) })).port;
}

function rawExtension(oid: string, der: string): Record<string, unknown> {
  return { id: oid, critical: false, value: forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OCTETSTRING, false, der) };
}

describe('certificates that are hostile in themselves', () => {
  test('a chain of 100 certificates: cert.chain fails as too long, and nothing hangs', async () => {
    const cas = [makeRoot('Deep Root CA')];
    for (let i = 1; i < 100; i++) cas.push(makeIntermediate(cas[i - 1]!, `Deep CA ${i}`));
    const leaf = makeLeaf(cas[99]!, 'localhost');
    const sent = [leaf, ...cas.slice(1).reverse()];
    expect(sent).toHaveLength(100);
    const run = await against(await serve(leaf, sent), 8, ['--ca-file', pemFile(dir, 'deep-root.pem', cas[0]!)]);
    expect(check(run.report, 'cert.chain')).toMatchObject({ status: 'fail', reason: 'too-long' });
    expect(check(run.report, 'cert.trust')).toMatchObject({ status: 'fail', reason: 'broken-chain' });
    expect(run.report.certificates.filter((c: { origin: string }) => c.origin === 'presented')).toHaveLength(100);
  });

  test.each(['TLSv1.3', 'TLSv1.2'] as const)('a 1 MiB certificate (%s): the handshake fails as clients would, never a pass', async (maxVersion) => {
    const big = makeLeaf(pki.intermediate, 'localhost', { extraExtensions: [rawExtension('1.3.6.1.4.1.99999.1', forge.asn1.toDer(forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OCTETSTRING, false, 'x'.repeat(1024 * 1024))).getBytes())] });
    expect(big.der.length).toBeGreaterThan(1024 * 1024);
    const run = await against(await serve(big, [big, pki.intermediate], { maxVersion }), 6, ['--ca-file', rootFile]);
    expect(check(run.report, 'tls.versions')).toMatchObject({
      status: 'fail',
      reason: 'handshake-failed',
      summary: 'The TLS handshake failed (the server sent a handshake message larger than TLS clients accept (excessive message size)).',
    });
    expect(run.report.verdict).toBe('fail');
    expect(run.result.exitCode).toBe(2);
  });

  test('an extension that cannot be decoded: cert.usage fails, cert.hostname says the names cannot be read', async () => {
    const leaf = makeLeaf(pki.intermediate, 'localhost', { noSan: true, extraExtensions: [rawExtension('2.5.29.17', '\x30\x05\xff\xff')] });
    const run = await against(await serve(leaf), 4, ['--ca-file', rootFile]);
    expect(check(run.report, 'cert.usage')).toMatchObject({ status: 'fail', reason: 'unparsable-extension' });
    expect(check(run.report, 'cert.hostname')).toMatchObject({ status: 'fail', reason: 'san-unreadable' });
    expect(run.result.exitCode).toBe(2);
  });

  test('a name made to make a wildcard matcher backtrack ("**…**x.example.com") is judged at once', async () => {
    const leaf = makeLeaf(pki.intermediate, 'Hostile Names', { dns: [`${'*'.repeat(40)}x.example.com`, `${'a*'.repeat(30)}.corp.example.com`] });
    const port = await serve(leaf);
    const run = await runHostile(`vpn-gateway-tokyo-01.corp.example.localhost:${port}`, ['--connect-to', '127.0.0.1', '--ntp-server', ntp, '--ca-file', rootFile], 4);
    expectCalm(run, 4);
    expect(check(run.report, 'cert.hostname')).toMatchObject({ status: 'fail', reason: 'mismatch' });
    expect(check(run.report, 'cert.hostname').durationMs).toBeLessThan(1000);
  });

  test('a negative serial number is read as it is written (clients accept it; so does the tool)', async () => {
    const leaf = makeLeaf(pki.intermediate, 'localhost', { serialHex: 'ff0102030405' });
    const run = await against(await serve(leaf), 4, ['--ca-file', rootFile]);
    expect(run.report.certificates[0].serialNumber).toBe('ff0102030405');
    for (const id of ['cert.chain', 'cert.trust', 'cert.expiry', 'cert.usage']) expect(check(run.report, id).status).toBe('pass');
  });

  test('absurd dates: GeneralizedTime 1949 to 9999 is valid now, and shown as written', async () => {
    const leaf = makeLeaf(pki.intermediate, 'localhost', { notBefore: new Date('1949-12-31T00:00:00Z'), notAfter: new Date('9999-12-31T23:59:59Z') });
    const run = await against(await serve(leaf), 4, ['--ca-file', rootFile]);
    expect(run.report.certificates[0]).toMatchObject({ notBefore: '1949-12-31T00:00:00.000Z', notAfter: '9999-12-31T23:59:59.000Z' });
    expect(check(run.report, 'cert.expiry')).toMatchObject({ status: 'pass', reason: 'valid' });
  });

  test('UTCTime 50–49: a certificate that expired in 1950 is expired, not valid until 2050', async () => {
    const leaf = makeLeaf(pki.intermediate, 'localhost', { notBefore: new Date('1950-01-01T00:00:00Z'), notAfter: new Date('1950-06-01T00:00:00Z') });
    const run = await against(await serve(leaf), 4, ['--ca-file', rootFile]);
    expect(run.report.certificates[0]).toMatchObject({ notBefore: '1950-01-01T00:00:00.000Z', notAfter: '1950-06-01T00:00:00.000Z' });
    expect(check(run.report, 'cert.expiry')).toMatchObject({ status: 'fail', reason: 'expired' });
    expect(run.result.exitCode).toBe(2);
  });
});

describe('names with NUL bytes and control characters', () => {
  // U+202E (right-to-left override) turns “Acme‮gnp.exe” into “Acmeexe.png” on screen; NUL
  // hides what follows from C string handling; ESC and BEL drive terminals.
  const RAW = ['\u202e', '\u0000', '\u001b', '\u0007'];
  const ESCAPED = ['\\u202E', '\\u0000', '\\u001B', '\\u0007'];
  let port: number;

  beforeAll(async () => {
    const leaf = makeLeaf(pki.intermediate, null as unknown as string, {
      cn: null,
      subjectAttrs: [
        { name: 'organizationName', value: 'Evil\u0000Corp\u001b[31m', valueTagClass: forge.asn1.Type.UTF8 } as unknown as forge.pki.CertificateField,
        { name: 'commonName', value: 'Acme\u202egnp.exe VPN', valueTagClass: forge.asn1.Type.UTF8 } as unknown as forge.pki.CertificateField,
      ],
      dns: ['vpn\u0000.localhost', 'x\u001b]0;pwned\u0007.test'],
    });
    port = await serve(leaf);
  });

  async function inFormat(format: 'text' | 'markdown' | 'html' | 'json'): Promise<string> {
    const r = await runCli([`localhost:${port}`, '--connect-to', '127.0.0.1', '--ntp-server', ntp, '--ca-file', rootFile, '--no-report', '--timeout', '5', '--format', format]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('');
    return r.stdout;
  }

  test.concurrent.each(['text', 'markdown', 'html'] as const)('%s: never a raw control character, always the escaped form', async (format) => {
    const out = await inFormat(format);
    for (const ch of RAW) expect(out.includes(ch)).toBe(false);
    // Markdown escapes the backslash of the escape itself, so it reads as \u202E when rendered.
    const shown = format === 'markdown' ? out.replace(/\\\\/g, '\\') : out;
    for (const e of ESCAPED) expect(shown).toContain(e);
    expect(shown).toContain('Acme\\u202Egnp.exe VPN');
  });

  test.concurrent('json: every string value holds the escaped form, and cert.hostname never matches a name with a NUL', async () => {
    const report = JSON.parse(await inFormat('json')) as Record<string, any>;
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(report);
    for (const ch of RAW) expect(strings.filter((s) => s.includes(ch))).toEqual([]);
    expect(report.certificates[0].subject).toBe('CN=Acme\\u202Egnp.exe VPN, O=Evil\\u0000Corp\\u001B[31m');
    expect(report.certificates[0].subjectAltNames).toEqual(['DNS:vpn\\u0000.localhost', 'DNS:x\\u001B]0;pwned\\u0007.test']);
    const c = check(report, 'cert.hostname');
    expect(c).toMatchObject({ status: 'fail' });
    expect(c.summary).toContain('vpn\\u0000.localhost');
  });
});
