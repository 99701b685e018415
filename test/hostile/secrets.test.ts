/**
 * No secrets in what the tool writes: a gateway that hands out a session (a session-token
 * element, a webvpn cookie, a token in a redirect), a proxy URL with a password, a client
 * identity's private key on disk — none of it reaches stdout, stderr, --log-file or any
 * report format. And --redact covers the log as it covers the reports.
 */
import type * as http from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runCli, type CliResult } from '../helpers/cli';
import { makeLeaf, makeRoot, standardChain } from '../helpers/pki';
import { pemFile, tempDir } from '../helpers/scenario';
import { startDnsServer } from '../helpers/dns-server';
import { Servers, startNtpServer, startTlsServer } from '../helpers/servers';

const servers = new Servers();
const dir = tempDir('vpf-secrets-');
let ntp: string;
beforeAll(async () => {
  ntp = `127.0.0.1:${servers.track(await startNtpServer()).port}`;
});
afterAll(() => servers.closeAll());

const SECRETS = ['SESSION-TOKEN-7c1d', 'SESSION-ID-93fa', 'WEBVPN-COOKIE-51be', 'REDIRECT-TOKEN-e2a0', 'PROXY-PASSWORD-0b9c', 'PRIVATE-KEY-MATERIAL-4d77'];

/** The gateway logs the user in at once and hands out its session, the way an ASA does. */
const sessionReply: http.RequestListener = (req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, {
      'content-type': 'text/xml',
      'set-cookie': ['webvpn=WEBVPN-COOKIE-51be; path=/; secure', 'webvpnc=bu:/&p:t&iu:1/&sh:WEBVPN-COOKIE-51be'],
      'x-aggregate-auth': '1',
    });
    res.end(
      '<?xml version="1.0" encoding="UTF-8"?><config-auth client="vpn" type="complete" aggregate-auth-version="2"><version who="sg">9.16(4)</version>' +
        '<session-id>SESSION-ID-93fa</session-id><session-token>SESSION-TOKEN-7c1d</session-token><auth id="success"><message>Welcome</message></auth></config-auth>',
    );
  });
};

/** The same session in a reply that is not well-formed: the one whose text would be excerpted. */
const brokenSessionReply: http.RequestListener = (req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end('<config-auth client="vpn" type="complete"><session-token>SESSION-TOKEN-7c1d</session-token><session-id>SESSION-ID-93fa</session-id><auth></config-auth>');
  });
};

const redirectWithToken: http.RequestListener = (req, res) => {
  req.resume();
  res.writeHead(302, { location: 'https://portal.example.com/+webvpn+/index.html?session=REDIRECT-TOKEN-e2a0&sid=REDIRECT-TOKEN-e2a0' });
  res.end();
};

/** A home folder with an AnyConnect client identity: the certificate and its private key file. */
function homeWithIdentity(): string {
  const home = path.join(dir, `home-${Math.random().toString(16).slice(2)}`);
  const client = path.join(home, '.cisco/certificates/client');
  mkdirSync(path.join(client, 'private'), { recursive: true });
  const root = makeRoot('Client CA');
  writeFileSync(path.join(client, 'vpn.pem'), makeLeaf(root, 'alice', { eku: ['clientAuth'] }).pem);
  writeFileSync(path.join(client, 'private', 'vpn.key'), `-----BEGIN PRIVATE KEY-----\nPRIVATE-KEY-MATERIAL-4d77\n-----END PRIVATE KEY-----\n`);
  return home;
}

async function everything(handler: http.RequestListener): Promise<Array<{ what: string; text: string }>> {
  const { root, intermediate, leaf } = standardChain('localhost');
  const port = servers.track(await startTlsServer({ key: leaf.keyPem, chain: [leaf, intermediate], onRequest: handler })).port;
  const ca = pemFile(dir, `root-${port}.pem`, root);
  const home = homeWithIdentity();
  const env = { HOME: home, http_proxy: 'http://alice:PROXY-PASSWORD-0b9c@proxy.example.com:3128', https_proxy: 'alice:PROXY-PASSWORD-0b9c@proxy.example.com:3128' };
  const outputs: Array<{ what: string; text: string }> = [];
  await Promise.all(
    (['text', 'markdown', 'html', 'json'] as const).map(async (format) => {
      const log = path.join(dir, `log-${port}-${format}.jsonl`);
      const report = path.join(dir, `report-${port}.${format}`);
      const r: CliResult = await runCli([`localhost:${port}`, '--connect-to', '127.0.0.1', '--ca-file', ca, '--ntp-server', ntp, '--timeout', '8', '--verbose', '--log-file', log, '--format', format, '--output', report], { env });
      expect([0, 1, 2]).toContain(r.exitCode);
      outputs.push({ what: `${format} stdout`, text: r.stdout }, { what: `${format} stderr (--verbose)`, text: r.stderr }, { what: `${format} --log-file`, text: readFileSync(log, 'utf8') }, { what: `${format} report file`, text: readFileSync(report, 'utf8') });
    }),
  );
  return outputs;
}

function leaks(outputs: ReadonlyArray<{ what: string; text: string }>): string[] {
  return outputs.flatMap((o) => SECRETS.filter((s) => o.text.includes(s)).map((s) => `${o.what}: ${s}`));
}

test('a gateway that hands out its session, a proxy password, a private key on disk: none of it is written anywhere', async () => {
  const outputs = await everything(sessionReply);
  expect(leaks(outputs)).toEqual([]);
  const json = JSON.parse(outputs.find((o) => o.what === 'json report file')!.text) as Record<string, any>;
  // What the helpdesk needs is still there: the gateway answered, the proxy is named, the identity was found.
  expect(json.checks.find((c: { id: string }) => c.id === 'anyconnect.gateway').evidence.replyType).toBe('complete');
  expect(JSON.stringify(json)).toContain('http://***@proxy.example.com:3128');
});

test('the session in a malformed reply is blanked in the excerpt that is kept of it', async () => {
  const outputs = await everything(brokenSessionReply);
  expect(leaks(outputs)).toEqual([]);
  expect(outputs.find((o) => o.what === 'json report file')!.text).toContain('<session-token>[redacted]');
});

test('a token in the Location of a redirect is blanked', async () => {
  const outputs = await everything(redirectWithToken);
  expect(leaks(outputs)).toEqual([]);
  expect(outputs.find((o) => o.what === 'json report file')!.text).toContain('index.html?session=[redacted]&sid=[redacted]');
});

describe('--redact reaches the log too', () => {
  test.each(['text', 'markdown', 'html', 'json'] as const)('%s: the report, stderr and the log file hold no private address', async (format) => {
    const { root, intermediate, leaf } = standardChain('localhost');
    const port = servers.track(await startTlsServer({ key: leaf.keyPem, chain: [leaf, intermediate] })).port;
    const ca = pemFile(dir, `redact-${port}-${format}.pem`, root);
    // A private address of this computer's surroundings, as a loopback DNS server answers it for the
    // gateway's name. --connect-to keeps the run on loopback: nothing connects to the address.
    const office = '192.168.77.1';
    const dns = servers.track(await startDnsServer({ localhost: { a: [office] } }));
    const run = async (redact: boolean): Promise<{ r: CliResult; log: string }> => {
      const log = path.join(dir, `redact-${port}-${format}-${redact}.jsonl`);
      const r = await runCli([`localhost:${port}`, '--connect-to', '127.0.0.1', '--dns-server', dns.address, '--ca-file', ca, '--ntp-server', ntp, '--timeout', '3', '--verbose', '--log-file', log, '--format', format, '--no-report', ...(redact ? ['--redact'] : [])]);
      return { r, log: readFileSync(log, 'utf8') };
    };
    const [plain, redacted] = await Promise.all([run(false), run(true)]);
    // Without --redact the address is there (so the assertion below can fail) …
    expect(plain.log).toContain(office);
    expect(plain.r.stdout).toContain(office);
    expect(dns.queries).toEqual(expect.arrayContaining(['A localhost']));
    // … with it, nowhere: not in the report, not on stderr, not in the log file.
    expect(redacted.r.stdout).not.toContain(office);
    expect(redacted.r.stderr).not.toContain(office);
    expect(redacted.log).not.toContain(office);
    expect(redacted.log).toContain('[address]');
  });
});
