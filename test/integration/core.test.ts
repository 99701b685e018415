/**
 * The core slice end to end: one real TLS gateway on loopback per defect, certificates
 * made per test, the real CLI, a truthful NTP server. Each scenario asserts the check
 * that decides, its evidence, the exit code and the words a user reads.
 */
import { check, runCli } from '../helpers/cli';
import { issue, makeIntermediate, makeLeaf, makeRoot, standardChain, type Issued } from '../helpers/pki';
import { diagnoseJson, pemFile, tempDir } from '../helpers/scenario';
import { Servers, anyconnectReply, closedPort, startHttpServer, startNtpServer, startSilentServer, startTlsServer } from '../helpers/servers';

const servers = new Servers();
const dir = tempDir();
let ntpArg: string[];

beforeAll(async () => {
  const ntp = servers.track(await startNtpServer({ offsetMs: 0 }));
  ntpArg = ['--ntp-server', `127.0.0.1:${ntp.port}`];
});
afterAll(() => servers.closeAll());

async function gateway(key: Issued, chain: Issued[], extra: Partial<Parameters<typeof startTlsServer>[0]> = {}): Promise<number> {
  const s = servers.track(await startTlsServer({ key: key.keyPem, chain, onRequest: anyconnectReply, ...extra }));
  return s.port;
}

async function run(host: string, port: number, root: Issued | null, more: string[] = []) {
  const ca = root ? ['--ca-file', pemFile(dir, `root-${port}.pem`, root)] : [];
  const timeout = more.includes('--timeout') ? [] : ['--timeout', '10'];
  return diagnoseJson(`${host}:${port}`, ['--connect-to', '127.0.0.1', ...ca, ...ntpArg, ...timeout, ...more]);
}

function statuses(report: Record<string, any>): Record<string, string> {
  return Object.fromEntries((report.checks as Array<{ id: string; status: string }>).map((c) => [c.id, c.status]));
}

describe('healthy gateway', () => {
  test('a complete chain to a root given with --ca-file passes every check (exit 0)', async () => {
    const { root, intermediate, leaf } = standardChain('localhost');
    const port = await gateway(leaf, [leaf, intermediate]);
    const { result, report } = await run('localhost', port, root);
    expect(statuses(report)).toEqual({
      'dns.resolve': 'pass',
      'network.reach': 'pass',
      'proxy.intercept': 'pass',
      'clock.offset': 'pass',
      'tls.versions': 'pass',
      'cert.chain': 'pass',
      'cert.trust': 'pass',
      'cert.revocation': 'pass',
      'cert.expiry': 'pass',
      'cert.hostname': 'pass',
      'cert.strength': 'pass',
      'cert.usage': 'pass',
      'anyconnect.gateway': 'pass',
      'anyconnect.client-cert': 'pass',
      'anyconnect.policy': 'skip',
    });
    expect(result.exitCode).toBe(0);
    expect(report.verdict).toBe('pass');
    expect(report.topCause).toBeNull();
    expect(check(report, 'cert.trust').summary).toContain('Test Root CA');
    expect(check(report, 'cert.trust').evidence.anchor.stores[0]).toContain('--ca-file');
    expect(check(report, 'tls.versions').evidence.negotiated).toBe('TLSv1.3');
    // Evidence for the helpdesk: every certificate with its details.
    const leafCert = report.certificates[0];
    expect(leafCert).toMatchObject({ role: 'leaf', origin: 'presented', subject: 'CN=localhost', keyType: 'RSA', keyBits: 2048, signatureAlgorithm: 'sha256WithRSAEncryption' });
    expect(leafCert.subjectAltNames).toEqual(['DNS:localhost']);
    expect(leafCert.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(report.certificates.map((c: { role: string }) => c.role)).toEqual(['leaf', 'intermediate', 'root']);
  });

  test('the text report names the verdict, each check and the certificates', async () => {
    const { root, intermediate, leaf } = standardChain('localhost');
    const port = await gateway(leaf, [leaf, intermediate]);
    const r = await runCli(['localhost:' + port, '--connect-to', '127.0.0.1', '--ca-file', pemFile(dir, 'root-text.pem', root), ...ntpArg, '--no-report']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('All checks passed');
    expect(r.stdout).toContain('✔ Certificate dates');
    expect(r.stdout).toContain('CN=Test Intermediate CA, O=vpn-preflight tests');
    expect(r.stdout).toMatch(/SHA-256\s+([0-9A-F]{2}:){31}/);
    expect(r.stderr).toBe('');
  });
});

describe('certificate dates', () => {
  test('an expired leaf fails cert.expiry and is the top cause (exit 2)', async () => {
    const root = makeRoot();
    const int = makeIntermediate(root);
    const leaf = makeLeaf(int, 'localhost', { notBefore: new Date(Date.now() - 400 * 86_400_000), notAfter: new Date(Date.now() - 3 * 86_400_000) });
    const port = await gateway(leaf, [leaf, int]);
    const { result, report } = await run('localhost', port, root);
    expect(result.exitCode).toBe(2);
    expect(report.topCause).toBe('cert.expiry');
    const c = check(report, 'cert.expiry');
    expect(c).toMatchObject({ status: 'fail', reason: 'expired' });
    expect(c.summary).toMatch(/“localhost” \(the gateway’s certificate\) expired on .* \(3 days ago\)/);
    expect(c.evidence.certificates[0].atLocalClock).toBe('expired');
    expect(c.fixes.map((f: { id: string }) => f.id)).toContain('admin.renew-certificate');
    expect(report.headline.firstStepActor).toBe('admin');
  });

  test('a leaf that is not yet valid fails cert.expiry with not-yet-valid', async () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost', { notBefore: new Date(Date.now() + 5 * 86_400_000), notAfter: new Date(Date.now() + 400 * 86_400_000) });
    const port = await gateway(leaf, [leaf]);
    const { result, report } = await run('localhost', port, root);
    expect(result.exitCode).toBe(2);
    expect(check(report, 'cert.expiry')).toMatchObject({ status: 'fail', reason: 'not-yet-valid' });
    expect(report.topCause).toBe('cert.expiry');
  });

  test('an expired intermediate fails cert.expiry and names the intermediate', async () => {
    const root = makeRoot();
    const int = makeIntermediate(root, 'Old Intermediate CA', { notBefore: new Date(Date.now() - 900 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    const leaf = makeLeaf(int, 'localhost');
    const port = await gateway(leaf, [leaf, int]);
    const { result, report } = await run('localhost', port, root);
    expect(result.exitCode).toBe(2);
    const c = check(report, 'cert.expiry');
    expect(c).toMatchObject({ status: 'fail', reason: 'expired' });
    expect(c.summary).toContain('“Old Intermediate CA” (the intermediate certificate) expired');
    expect(c.evidence.certificates[1]).toMatchObject({ role: 'intermediate', atLocalClock: 'expired' });
  });
});

describe('certificate name', () => {
  test('a certificate for another name fails cert.hostname and lists what it covers', async () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'vpn.example.com', { dns: ['vpn.example.com', 'vpn2.example.com'] });
    const port = await gateway(leaf, [leaf]);
    const { result, report } = await run('localhost', port, root);
    expect(result.exitCode).toBe(2);
    expect(report.topCause).toBe('cert.hostname');
    const c = check(report, 'cert.hostname');
    expect(c).toMatchObject({ status: 'fail', reason: 'mismatch' });
    expect(c.evidence.covered).toEqual(['vpn.example.com', 'vpn2.example.com']);
    expect(c.summary).toBe('The certificate is not issued for localhost. It covers: vpn.example.com and vpn2.example.com.');
  });

  test('a wildcard one level too deep does not match', async () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, '*.example.com', { dns: ['*.example.com'] });
    const port = await gateway(leaf, [leaf]);
    const { result, report } = await run('a.b.example.com', port, root);
    expect(result.exitCode).toBe(2);
    expect(check(report, 'cert.hostname')).toMatchObject({ status: 'fail', reason: 'wildcard-too-deep' });
    expect(check(report, 'cert.hostname').summary).toContain('covers exactly one name level');
    expect(report.topCause).toBe('cert.hostname');
  });

  test('an IP-address SAN matches a gateway given by IP', async () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'gateway', { dns: ['gateway.example.com'], ips: ['127.0.0.1'] });
    const port = await gateway(leaf, [leaf]);
    const { result, report } = await diagnoseJson(`127.0.0.1:${port}`, ['--ca-file', pemFile(dir, 'ip-root.pem', root), ...ntpArg]);
    expect(check(report, 'cert.hostname')).toMatchObject({ status: 'pass', reason: 'match' });
    expect(check(report, 'cert.hostname').evidence.via).toBe('san-ip');
    expect(check(report, 'dns.resolve')).toMatchObject({ status: 'pass', reason: 'ip-literal' });
    expect(result.exitCode).toBe(0);
  });

  test('an IP-address SAN for another address does not match', async () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'gateway', { dns: ['127.0.0.1.example.com'], ips: ['10.1.2.3'] });
    const port = await gateway(leaf, [leaf]);
    const { result, report } = await diagnoseJson(`127.0.0.1:${port}`, ['--ca-file', pemFile(dir, 'ip2-root.pem', root), ...ntpArg]);
    expect(check(report, 'cert.hostname')).toMatchObject({ status: 'fail', reason: 'mismatch' });
    expect(check(report, 'cert.hostname').evidence.covered).toEqual(['127.0.0.1.example.com', '10.1.2.3']);
    expect(result.exitCode).toBe(2);
  });

  test('a CN-only certificate is a warning on Linux, where AnyConnect and openconnect still accept it (exit 1)', async () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost', { noSan: true });
    const port = await gateway(leaf, [leaf]);
    const { result, report } = await run('localhost', port, root);
    expect(check(report, 'cert.hostname')).toMatchObject({ status: 'warn', reason: 'cn-only' });
    expect(check(report, 'cert.hostname').evidence.via).toBe('cn');
    expect(result.exitCode).toBe(1);
    expect(report.topCause).toBe('cert.hostname');
  });
});

describe('trust', () => {
  test('a self-signed leaf fails cert.trust with self-signed', async () => {
    const leaf = issue(null, { cn: 'localhost', dns: ['localhost'] });
    const port = await gateway(leaf, [leaf]);
    const { result, report } = await run('localhost', port, null);
    expect(result.exitCode).toBe(2);
    expect(check(report, 'cert.trust')).toMatchObject({ status: 'fail', reason: 'self-signed' });
    expect(check(report, 'cert.chain').status).toBe('pass');
    expect(report.topCause).toBe('cert.trust');
    expect(check(report, 'cert.trust').summary).toContain('Untrusted VPN Server Certificate');
  });

  test('a chain ending in a root this computer does not have fails cert.trust with unknown-root', async () => {
    const { root, intermediate, leaf } = standardChain('localhost');
    const port = await gateway(leaf, [leaf, intermediate, root]);
    const { result, report } = await run('localhost', port, null);
    expect(result.exitCode).toBe(2);
    expect(check(report, 'cert.trust')).toMatchObject({ status: 'fail', reason: 'unknown-root' });
    expect(check(report, 'cert.trust').summary).toContain('“Test Root CA”');
    expect(check(report, 'cert.chain').status).toBe('pass');
    expect(report.topCause).toBe('cert.trust');
    expect(check(report, 'cert.trust').fixes[0].steps[0]).toMatchObject({ os: 'linux' });
    expect(check(report, 'cert.trust').fixes[0].steps[0].lines.join('\n')).toContain('update-ca-certificates');
  });

  test('without the root, a chain of leaf and intermediate fails with unknown-issuer', async () => {
    const { intermediate, leaf } = standardChain('localhost');
    const port = await gateway(leaf, [leaf, intermediate]);
    const { report } = await run('localhost', port, null);
    expect(check(report, 'cert.trust')).toMatchObject({ status: 'fail', reason: 'unknown-issuer' });
    expect(check(report, 'cert.trust').summary).toContain('“Test Root CA”');
  });
});

describe('chain', () => {
  test('a server that omits its intermediate fails cert.chain; the intermediate is fetched from its AIA URL', async () => {
    const root = makeRoot();
    const int = makeIntermediate(root, 'Missing Intermediate CA');
    const aia = servers.track(await startHttpServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/pkix-cert' });
      res.end(int.der);
    }));
    const leaf = makeLeaf(int, 'localhost', { aiaCaIssuers: [aia.url('/int.cer')] });
    const port = await gateway(leaf, [leaf]);
    const { result, report } = await run('localhost', port, root);
    expect(result.exitCode).toBe(2);
    expect(report.topCause).toBe('cert.chain');
    const c = check(report, 'cert.chain');
    expect(c).toMatchObject({ status: 'fail', reason: 'missing-intermediate' });
    expect(c.summary).toContain('does not send the intermediate certificate “Missing Intermediate CA”');
    expect(c.summary).toContain(aia.url('/int.cer'));
    expect(c.details[0]).toContain('a web browser');
    expect(c.fixes.map((f: { actor: string; id: string }) => `${f.actor}:${f.id}`)).toEqual(['admin:admin.send-intermediate', 'user:user.not-your-fault']);
    expect(aia.hits).toEqual(['GET /int.cer']);
    expect(report.certificates.find((x: { origin: string }) => x.origin === 'aia')).toMatchObject({ subject: 'CN=Missing Intermediate CA, O=vpn-preflight tests', fetchedFrom: aia.url('/int.cer') });
  });

  test('without an AIA URL, a missing issuer is reported as unknown (either a missing intermediate or a missing root)', async () => {
    const root = makeRoot();
    const int = makeIntermediate(root);
    const leaf = makeLeaf(int, 'localhost');
    const port = await gateway(leaf, [leaf]);
    const { result, report } = await run('localhost', port, root);
    expect(result.exitCode).toBe(2);
    expect(check(report, 'cert.chain')).toMatchObject({ status: 'warn', reason: 'issuer-unknown' });
    expect(check(report, 'cert.trust')).toMatchObject({ status: 'fail', reason: 'unknown-issuer' });
    expect(report.topCause).toBe('cert.trust');
  });

  test('a chain sent in the wrong order fails cert.chain', async () => {
    const root = makeRoot();
    const int1 = makeIntermediate(root, 'Upper Intermediate CA');
    const int2 = makeIntermediate(int1, 'Lower Intermediate CA');
    const leaf = makeLeaf(int2, 'localhost');
    const port = await gateway(leaf, [leaf, int1, int2]);
    const { result, report } = await run('localhost', port, root);
    expect(result.exitCode).toBe(2);
    const c = check(report, 'cert.chain');
    expect(c).toMatchObject({ status: 'fail', reason: 'wrong-order' });
    expect(c.summary).toContain('localhost → Upper Intermediate CA → Lower Intermediate CA');
    expect(check(report, 'cert.trust').status).toBe('pass');
    expect(report.topCause).toBe('cert.chain');
  });

  test('an unrelated extra certificate fails cert.chain', async () => {
    const { root, intermediate, leaf } = standardChain('localhost');
    const stranger = makeRoot('Some Other Root');
    const port = await gateway(leaf, [leaf, intermediate, stranger]);
    const { report } = await run('localhost', port, root);
    expect(check(report, 'cert.chain')).toMatchObject({ status: 'fail', reason: 'unrelated-certificates' });
    expect(check(report, 'cert.chain').summary).toContain('Some Other Root');
  });
});

describe('strength and usage', () => {
  test('a SHA-1-signed leaf is a warning on Linux: the Cisco client’s own rule is undocumented, and current openconnect rejects it', async () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost', { hash: 'sha1' });
    const port = await gateway(leaf, [leaf]);
    const { result, report } = await run('localhost', port, root);
    expect(check(report, 'cert.strength')).toMatchObject({ status: 'warn', reason: 'sha1-signature' });
    expect(check(report, 'cert.strength').summary).toBe(
      '“localhost” uses a SHA-1 signature (sha1WithRSAEncryption). Cisco does not document whether AnyConnect on this computer accepts it; some VPN clients reject it, current openconnect among them, and so do macOS and web browsers. It should be replaced.',
    );
    expect(result.exitCode).toBe(1);
    expect(report.topCause).toBe('cert.strength');
  });

  test('an RSA-1024 leaf is a warning on Linux', async () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost', { keyBits: 1024 });
    const port = await gateway(leaf, [leaf]);
    const { result, report } = await run('localhost', port, root);
    expect(check(report, 'cert.strength')).toMatchObject({ status: 'warn', reason: 'rsa-key-below-2048' });
    expect(check(report, 'cert.strength').summary).toContain('an RSA key of only 1024 bits');
    expect(check(report, 'cert.strength').summary).not.toContain('AnyConnect on this system still accepts it');
    expect(result.exitCode).toBe(1);
  });

  test('an MD5-signed leaf fails everywhere', async () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost', { hash: 'md5' });
    const port = await gateway(leaf, [leaf]);
    const { result, report } = await run('localhost', port, root);
    expect(check(report, 'cert.strength')).toMatchObject({ status: 'fail', reason: 'md5-signature' });
    expect(result.exitCode).toBe(2);
  });

  test('a leaf whose EKU has only clientAuth fails cert.usage', async () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost', { eku: ['clientAuth'] });
    const port = await gateway(leaf, [leaf]);
    const { result, report } = await run('localhost', port, root);
    expect(result.exitCode).toBe(2);
    expect(check(report, 'cert.usage')).toMatchObject({ status: 'fail', reason: 'eku-without-server-auth' });
    expect(check(report, 'cert.usage').summary).toContain('its Extended Key Usage (clientAuth) does not include Server Authentication');
    expect(report.topCause).toBe('cert.usage');
  });
});

describe('network', () => {
  test('nothing listening: network.reach fails fast and the certificate checks are skipped', async () => {
    const port = await closedPort();
    const { result, report } = await run('localhost', port, null);
    expect(result.exitCode).toBe(2);
    expect(check(report, 'network.reach')).toMatchObject({ status: 'fail', reason: 'refused' });
    for (const id of ['tls.versions', 'cert.chain', 'cert.trust', 'cert.expiry', 'cert.hostname']) {
      expect(check(report, id)).toMatchObject({ status: 'skip', reason: 'dependency' });
      expect(check(report, id).summary).toBe('Not checked, because “Connection to the gateway” did not pass.');
    }
    expect(report.topCause).toBe('network.reach');
    expect(result.durationMs).toBeLessThan(3000);
  });

  test('a server that accepts TCP but never speaks TLS ends by the deadline with a clear timeout (exit 2)', async () => {
    const silent = servers.track(await startSilentServer());
    const { result, report } = await run('localhost', silent.port, null, ['--timeout', '2']);
    expect(result.exitCode).toBe(2);
    expect(check(report, 'network.reach').status).toBe('pass');
    const c = check(report, 'tls.versions');
    expect(c).toMatchObject({ status: 'fail', reason: 'handshake-timeout' });
    expect(c.summary).toContain('never answered the TLS handshake');
    expect(report.topCause).toBe('tls.versions');
    expect(report.complete).toBe(false);
    expect(result.durationMs).toBeLessThan(2000 + 1500);
  });
});
