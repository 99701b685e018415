/**
 * The revocation probe against real HTTP servers on loopback: which sources it asks in
 * which order, that each URL is fetched once per run, and every bound (scheme, address
 * scope, redirects, size, time).
 */
import type { ServerResponse } from 'node:http';
import { Deadline } from '../../../src/deadline';
import { parseCertificate } from '../../../src/pki/certificate';
import { checkRevocation, type RevocationProbeOptions, type RevocationTarget } from '../../../src/probes/revocation';
import { makeCrl } from '../../helpers/crl';
import { ocspResponse, startOcspResponder } from '../../helpers/ocsp';
import { makeLeaf, makeRoot, type Issued } from '../../helpers/pki';
import { Servers, startHttpServer, startSilentServer } from '../../helpers/servers';

const servers = new Servers();
afterAll(() => servers.closeAll());

const LOOPBACK = new Set(['loopback']);

function target(cert: Issued, issuer: Issued | null, role: RevocationTarget['role'] = 'leaf'): RevocationTarget {
  return { cert: parseCertificate(cert.der), issuer: issuer ? parseCertificate(issuer.der) : null, role };
}

function probe(targets: RevocationTarget[], extra: Partial<RevocationProbeOptions> = {}, ms = 5000) {
  const deadline = new Deadline(ms);
  return checkRevocation(targets, { stapled: null, deadline, allowScopes: LOOPBACK, now: () => new Date(), ...extra }).finally(() => deadline.dispose());
}

function serveCrl(der: Buffer) {
  return startHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/pkix-crl' });
    res.end(der);
  });
}

describe('OCSP', () => {
  test('asks the responder by GET and records the verified answer', async () => {
    const root = makeRoot();
    const answers = new Map();
    const responder = servers.track(await startOcspResponder({ issuer: root, answers }));
    const leaf = makeLeaf(root, 'localhost', { aiaOcsp: [responder.url('/ocsp')] });
    answers.set(leaf.cert.serialNumber, { status: 'good' });
    const facts = await probe([target(leaf, root)]);
    const c = facts.certificates[0]!;
    expect(c).toMatchObject({ role: 'leaf', state: 'good', decidedBy: 'ocsp', notChecked: null, ocspUrls: [responder.url('/ocsp')] });
    expect(c.attempts).toHaveLength(1);
    expect(c.attempts[0]).toMatchObject({ method: 'ocsp', url: responder.url('/ocsp'), state: 'good', httpMethod: 'GET', cached: false, responder: { kind: 'issuer' } });
    expect(responder.requests).toEqual([{ method: 'GET', serial: leaf.cert.serialNumber }]);
    expect(responder.hits[0]).toMatch(/^GET \/ocsp\/M[A-Za-z0-9%]+$/);
  });

  test('POSTs a request too long for a GET', async () => {
    const root = makeRoot();
    const answers = new Map();
    const responder = servers.track(await startOcspResponder({ issuer: root, answers }));
    const leaf = makeLeaf(root, 'localhost', { aiaOcsp: [responder.url('/')] });
    answers.set(leaf.cert.serialNumber, { status: 'revoked', reason: 1 });
    const facts = await probe([target(leaf, root)], { ocspGetMaxChars: 10 });
    expect(facts.certificates[0]).toMatchObject({ state: 'revoked', decidedBy: 'ocsp', attempts: [{ httpMethod: 'POST', reason: 'keyCompromise' }] });
    expect(responder.requests).toEqual([{ method: 'POST', serial: leaf.cert.serialNumber }]);
  });

  test('a good stapled answer settles the leaf without asking anyone', async () => {
    const root = makeRoot();
    const responder = servers.track(await startOcspResponder({ issuer: root, answers: new Map() }));
    const leaf = makeLeaf(root, 'localhost', { aiaOcsp: [responder.url('/')] });
    const stapled = ocspResponse({ issuer: root, serialHex: leaf.cert.serialNumber, status: 'good' });
    const facts = await probe([target(leaf, root)], { stapled });
    expect(facts).toMatchObject({ stapled: true, certificates: [{ state: 'good', decidedBy: 'ocsp-stapled', attempts: [{ method: 'ocsp-stapled', url: null }] }] });
    expect(responder.hits).toEqual([]);
  });

  test('an outdated staple is not enough: the responder is asked next', async () => {
    const root = makeRoot();
    const answers = new Map();
    const responder = servers.track(await startOcspResponder({ issuer: root, answers }));
    const leaf = makeLeaf(root, 'localhost', { aiaOcsp: [responder.url('/')] });
    answers.set(leaf.cert.serialNumber, { status: 'good' });
    const stapled = ocspResponse({ issuer: root, serialHex: leaf.cert.serialNumber, status: 'good', thisUpdate: new Date(Date.now() - 3 * 86_400_000), nextUpdate: new Date(Date.now() - 86_400_000) });
    const facts = await probe([target(leaf, root)], { stapled });
    const c = facts.certificates[0]!;
    expect(c.attempts.map((a) => `${a.method}:${a.state}`)).toEqual(['ocsp-stapled:good', 'ocsp:good']);
    expect(responder.requests).toHaveLength(1);
  });

  test('an "unknown" from the responder sends the probe on to the CRL', async () => {
    const root = makeRoot();
    const responder = servers.track(await startOcspResponder({ issuer: root, answers: new Map() }));
    let crl: Buffer = Buffer.alloc(0);
    const crlServer = servers.track(await startHttpServer((_q, res) => res.end(crl)));
    const leaf = makeLeaf(root, 'localhost', { aiaOcsp: [responder.url('/')], crl: [crlServer.url('/root.crl')] });
    crl = makeCrl({ issuer: root, entries: [{ serialHex: leaf.cert.serialNumber, reason: 5 }] });
    const facts = await probe([target(leaf, root)]);
    const c = facts.certificates[0]!;
    expect(c.attempts.map((a) => `${a.method}:${a.state}`)).toEqual(['ocsp:unknown', 'crl:revoked']);
    expect(c).toMatchObject({ state: 'revoked', decidedBy: 'crl' });
    expect(c.attempts[1]).toMatchObject({ reason: 'cessationOfOperation', url: crlServer.url('/root.crl'), bytes: crl.length });
  });
});

describe('CRL', () => {
  test('the same CRL is downloaded once for every certificate that names it', async () => {
    const root = makeRoot();
    let crl: Buffer = Buffer.alloc(0);
    const server = servers.track(await startHttpServer((_q, res) => res.end(crl)));
    const a = makeLeaf(root, 'a', { crl: [server.url('/root.crl')] });
    const b = makeLeaf(root, 'b', { crl: [server.url('/root.crl')] });
    crl = makeCrl({ issuer: root, entries: [{ serialHex: b.cert.serialNumber, reason: 4 }] });
    const facts = await probe([target(a, root), target(b, root, 'intermediate')]);
    expect(server.hits).toEqual(['GET /root.crl']);
    expect(facts.certificates.map((c) => c.state)).toEqual(['good', 'revoked']);
    expect(facts.certificates.map((c) => c.attempts[0]!.cached)).toEqual([false, true]);
  });

  test('PEM CRLs are read too', async () => {
    const root = makeRoot();
    let crl = '';
    const server = servers.track(await startHttpServer((_q, res) => res.end(crl)));
    const leaf = makeLeaf(root, 'a', { crl: [server.url('/root.pem')] });
    const { crlPem } = await import('../../helpers/crl');
    crl = crlPem(makeCrl({ issuer: root, entries: [{ serialHex: leaf.cert.serialNumber }] }));
    expect((await probe([target(leaf, root)])).certificates[0]).toMatchObject({ state: 'revoked', decidedBy: 'crl' });
  });

  test('a CRL larger than the cap is cut off while it streams, and reported', async () => {
    const root = makeRoot();
    let sent = 0;
    let onClose: (v: number) => void = () => undefined;
    const closedAt = new Promise<number>((r) => (onClose = r));
    const server = servers.track(
      await startHttpServer((_q, res: ServerResponse) => {
        // No length announced: the client can only stop by counting.
        res.writeHead(200, { 'content-type': 'application/pkix-crl' });
        const chunk = Buffer.alloc(64 * 1024, 0x41);
        const pump = (): void => {
          while (sent < 64 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
          if (sent < 64 * 1024 * 1024) res.once('drain', pump);
          else res.end();
        };
        res.on('close', () => onClose(sent));
        pump();
      }),
    );
    const leaf = makeLeaf(root, 'a', { crl: [server.url('/huge.crl')] });
    const facts = await probe([target(leaf, root)], { crlMaxBytes: 256 * 1024 });
    expect(facts.certificates[0]).toMatchObject({ state: 'unreachable', attempts: [{ method: 'crl', state: 'unreachable', problem: 'too-large' }] });
    expect(facts.certificates[0]!.attempts[0]!.detail).toContain('262144-byte limit');
    // The client hung up long before the server had sent everything.
    expect(await closedAt).toBeLessThan(16 * 1024 * 1024);
  });

  test('a declared length past the cap is refused before the body is read', async () => {
    const root = makeRoot();
    const server = servers.track(await startHttpServer((_q, res) => {
      res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
      res.end();
    }));
    const leaf = makeLeaf(root, 'a', { crl: [server.url('/big.crl')] });
    const facts = await probe([target(leaf, root)], { crlMaxBytes: 1024 });
    expect(facts.certificates[0]!.attempts[0]).toMatchObject({ problem: 'too-large' });
    expect(facts.certificates[0]!.attempts[0]!.detail).toContain('10485760 bytes');
  });
});

describe('bounds', () => {
  test('only http and https: an ldap CRL pointer is recorded, never fetched', async () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'a', { crl: ['ldap://ldap.example.test/cn=CRL'] });
    const facts = await probe([target(leaf, root)]);
    expect(facts.certificates[0]).toMatchObject({ state: 'unreachable', attempts: [{ url: 'ldap://ldap.example.test/cn=CRL', problem: 'refused-scheme', ms: 0 }] });
  });

  test('a loopback URL is refused unless the gateway itself is on loopback', async () => {
    const root = makeRoot();
    const server = servers.track(await serveCrl(makeCrl({ issuer: root })));
    const leaf = makeLeaf(root, 'a', { crl: [server.url('/root.crl')] });
    const facts = await probe([target(leaf, root)], { allowScopes: new Set() });
    expect(facts.certificates[0]!.attempts[0]).toMatchObject({ state: 'unreachable', problem: 'refused-address' });
    expect(server.hits).toEqual([]);
  });

  test('at most 3 redirects', async () => {
    const root = makeRoot();
    const server = servers.track(
      await startHttpServer((req, res) => {
        const n = Number(/\d+/.exec(req.url ?? '')?.[0] ?? 0);
        res.writeHead(302, { location: `/r${n + 1}` });
        res.end();
      }),
    );
    const leaf = makeLeaf(root, 'a', { crl: [server.url('/r0')] });
    const facts = await probe([target(leaf, root)]);
    expect(facts.certificates[0]!.attempts[0]).toMatchObject({ state: 'unreachable', problem: 'too-many-redirects' });
    expect(server.hits).toEqual(['GET /r0', 'GET /r1', 'GET /r2', 'GET /r3']);
  });

  test('an HTTP error is unreachable with the status', async () => {
    const root = makeRoot();
    const server = servers.track(await startHttpServer((_q, res) => {
      res.writeHead(404);
      res.end('not here');
    }));
    const leaf = makeLeaf(root, 'a', { aiaOcsp: [server.url('/ocsp')] });
    const facts = await probe([target(leaf, root)]);
    expect(facts.certificates[0]!.attempts[0]).toMatchObject({ state: 'unreachable', problem: 'http-status', detail: 'the responder answered HTTP 404' });
  });

  test('silent servers: each request ends after its own timeout, the whole probe by the deadline', async () => {
    const root = makeRoot();
    const silent = servers.track(await startSilentServer());
    const url = `http://127.0.0.1:${silent.port}`;
    const leaf = makeLeaf(root, 'a', { aiaOcsp: [`${url}/ocsp`], crl: [`${url}/root.crl`] });
    const t0 = performance.now();
    const facts = await probe([target(leaf, root)], { perRequestMs: 400 }, 5000);
    const ms = performance.now() - t0;
    expect(facts.certificates[0]!.attempts.map((a) => `${a.method}:${a.problem}`)).toEqual(['ocsp:timeout', 'crl:timeout']);
    expect(ms).toBeGreaterThanOrEqual(750);
    expect(ms).toBeLessThan(3000);
    const cut = performance.now();
    const byDeadline = await probe([target(leaf, root)], { perRequestMs: 3000 }, 600);
    expect(performance.now() - cut).toBeLessThan(1500);
    // However far it got before the deadline, every source it tried is a timeout.
    const attempts = byDeadline.certificates[0]!.attempts;
    expect(byDeadline.certificates[0]!.state).toBe('unreachable');
    expect(attempts.length).toBeGreaterThanOrEqual(1);
    expect(attempts.every((a) => a.problem === 'timeout')).toBe(true);
  });
});

describe('what cannot be asked', () => {
  test('no pointer, a missing issuer and a self-signed certificate are each recorded as not checked', async () => {
    const root = makeRoot();
    const plain = makeLeaf(root, 'plain');
    const orphan = makeLeaf(root, 'orphan', { crl: ['http://127.0.0.1:9/x.crl'] });
    const facts = await probe([target(plain, root), target(orphan, null, 'intermediate'), { ...target(root, null), selfSigned: true }]);
    expect(facts.certificates.map((c) => [c.state, c.notChecked])).toEqual([
      ['not-checked', 'no-pointer'],
      ['not-checked', 'no-issuer'],
      ['not-checked', 'self-signed'],
    ]);
  });
});

describe('the run’s time already spent', () => {
  test('a certificate that names a responder, with no time left to ask it: unreachable (timeout), never “no pointer”', async () => {
    const root = makeRoot();
    const responder = servers.track(await startSilentServer());
    const leaf = makeLeaf(root, 'localhost', { aiaOcsp: [`http://127.0.0.1:${responder.port}/ocsp`], crl: [`http://127.0.0.1:${responder.port}/crl`] });
    const deadline = new Deadline(5000);
    deadline.dispose();
    const gone = new AbortController();
    gone.abort();
    const facts = await checkRevocation([target(leaf, root)], {
      stapled: null,
      deadline: Object.assign(Object.create(deadline) as Deadline, { signal: gone.signal, remaining: () => 0 }),
      allowScopes: LOOPBACK,
      now: () => new Date(),
    });
    const c = facts.certificates[0]!;
    expect(c.notChecked).toBeNull();
    expect(c.state).toBe('unreachable');
    expect(c.attempts).toEqual([expect.objectContaining({ method: 'ocsp', state: 'unreachable', problem: 'timeout', detail: 'not asked: the time limit of the run was reached first' })]);
  });
});
