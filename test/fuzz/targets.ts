/**
 * The fuzz targets: every parser the tool owns, fed mutated real inputs (the committed
 * corpus, the recorded command outputs, the AnyConnect fixtures) and noise. Each target
 * states what may be thrown (the parser's documented typed error, or nothing) and what
 * the result must look like.
 */
import { createCipheriv, createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate as AsnCertificate } from '@peculiar/asn1-x509';
import fc from 'fast-check';
import { parseLocalPolicy, parsePreferences } from '../../src/anyconnect/local-policy';
import { interpretLogs } from '../../src/anyconnect/logs';
import { decodePin, matchPins } from '../../src/anyconnect/pins';
import { matchesRule } from '../../src/anyconnect/identities';
import { caNamesOf } from '../../src/anyconnect/identities';
import { parseProfile } from '../../src/anyconnect/profile';
import { parseXml, XmlError, type XmlElement } from '../../src/anyconnect/xml';
import { parseConfig } from '../../src/config';
import { UsageError } from '../../src/errors';
import { analyzeChain } from '../../src/pki/analysis';
import { parseCertificate, signatureVerifies, type Certificate } from '../../src/pki/certificate';
import { CrlParseError, lookupSerial, parseCrl, verifyCrl } from '../../src/pki/crl';
import { matchHostname } from '../../src/pki/hostname';
import { verifyOcspResponse } from '../../src/pki/ocsp';
import { CertificateParseError, splitCertificates } from '../../src/pki/pem';
import { CertificatePool } from '../../src/pki/pool';
import { isPublicSuffix } from '../../src/pki/public-suffix';
import { strengthFindings } from '../../src/pki/strength';
import { hasUnsafeCharacters } from '../../src/pki/text';
import { AnchorIndex, type StoreEntry } from '../../src/pki/trust-store';
import { extensionFindings, leafUsageFindings } from '../../src/pki/usage';
import { validityAt } from '../../src/pki/validity';
import { readReply as readConfigAuthReply } from '../../src/probes/anyconnect';
import { readReply as readNtpReply } from '../../src/probes/ntp';
import { ServerFlightReader, feedHandshake, emptyFindings } from '../../src/probes/tls-wire';
import { decryptServerHandshake } from '../../src/probes/tls13';
import { parseHostPort, parseTarget } from '../../src/target';
import { parseKeyValueLines, parseResolvConf, parseResolvectlDns, parseResolvectlStatus, proxyFromEnv, tlsFromOpensslConf } from '../../platform/parsers';
import {
  macVersionParts,
  noTrustSettings,
  ntpConfServers,
  parseScutilDictionary,
  parseScutilDns,
  parseSwVers,
  parseTrustSettingsDump,
  parseUsingNetworkTime,
  proxyFromScutil,
  tlsTrustDecision,
} from '../../platform/macos-parsers';
import { logTimestamp, parseFindCertificate, parseFindIdentity } from '../../platform/anyconnect-macos';
import { asArray, defaultConnectionFlags, parsePowerShellJson, parseRegQuery, parseW32tmStatus, regNumber, regString, schannelClientVersions, winInetProxy } from '../../platform/windows-parsers';
import { dnsFromRows, trustStoreFromRows } from '../../platform/windows';
import { VPN_AGENT_IDENTIFIERS } from '../../platform/linux';
import { parseSyslogLine, syslogEntries } from '../../platform/syslog';
import { asRecords, certificateMessage, certificateRequest12, certificateStatus, handshakeMessage, serverHello12, serverHello13, tlsRecord } from '../helpers/tls-bytes';
import { expectOnly, expectOnlyAsync, expectPlain, must, mutatedBytes, mutatedText, trickyText, type FuzzTarget } from './fuzz';

// `npm run fuzz` runs a bundle of this file from elsewhere and names the project folder.
const ROOT = process.env.VPF_FUZZ_ROOT ?? path.resolve(__dirname, '../..');
const CORPUS = path.join(ROOT, 'test/fuzz/corpus');
const FIXTURES = path.join(ROOT, 'test/fixtures');

const der = (name: string): Buffer => readFileSync(path.join(CORPUS, name));
/** A recorded command output or file without its `#` header lines (where its format comes from). */
const fixtureText = (file: string): string => readFileSync(file, 'utf8').replace(/^(#[^\n]*\n)+/, '');

/** Every fixture file under `dir` (recursively) whose name matches. */
function fixtures(dir: string, match: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (match.test(e.name)) out.push(fixtureText(p));
    }
  };
  walk(dir);
  if (out.length === 0) throw new Error(`no fixtures matching ${match} under ${dir}`);
  return out;
}

let corpus: { certs: Buffer[]; parsed: Record<string, Certificate> } | null = null;
/** The committed certificates, parsed once. */
function certCorpus(): { certs: Buffer[]; parsed: Record<string, Certificate> } {
  if (corpus) return corpus;
  const names = ['root', 'int', 'leaf', 'cnOnly', 'legacy', 'selfSigned', 'responder'];
  const parsed: Record<string, Certificate> = {};
  for (const n of names) parsed[n] = parseCertificate(der(`${n}.der`));
  const golden = readdirSync(path.join(ROOT, 'test/golden/certs'))
    .filter((f) => f.endsWith('.pem'))
    .flatMap((f) => splitCertificates(readFileSync(path.join(ROOT, 'test/golden/certs', f))));
  corpus = { certs: [...names.map((n) => der(`${n}.der`)), ...golden], parsed };
  return corpus;
}

/** A certificate's documented shape. */
function expectCertificateShape(c: Certificate): void {
  must(typeof c.subject.text === 'string' && typeof c.subject.key === 'string', 'subject is not text');
  must(c.notBefore instanceof Date && c.notAfter instanceof Date, 'dates are not Dates');
  must(/^[0-9a-f]*$/.test(c.serialNumber), `serial ${c.serialNumber} is not hex`);
  must(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/.test(c.fingerprintSha256), 'fingerprint is not SHA-256 hex');
  must(!hasUnsafeCharacters(c.subject.text) && !hasUnsafeCharacters(c.issuer.text), 'a name shows raw control characters');
  for (const p of c.extensionProblems) must(['unparsable', 'unknown-critical', 'duplicate'].includes(p.problem), `extension problem ${p.problem}`);
}

const NOW = new Date('2026-01-01T00:00:00Z');

const certificate: FuzzTarget<Buffer> = {
  name: 'certificate',
  about: 'parseCertificate on mutated DER, then every analysis of one certificate (strength, usage, extensions, names, dates)',
  arbitrary: () => mutatedBytes(certCorpus().certs, 1500),
  run(input) {
    const c = expectOnly('parseCertificate', [CertificateParseError], () => parseCertificate(input));
    if (!c) return;
    expectCertificateShape(c);
    expectPlain(c.san);
    strengthFindings(c, false);
    strengthFindings(c, true);
    leafUsageFindings(c);
    extensionFindings(c);
    for (const host of ['vpn.example.com', 'x.vpn.example.com', '192.0.2.10', '2001:db8::10', 'foo.example.com']) {
      const m = matchHostname(c, host, isPublicSuffix);
      must(!m.matched || m.entry !== null, 'a match without the entry that matched');
      must(m.covered.every((n) => !hasUnsafeCharacters(n)), 'covered names show raw control characters');
    }
    must(['valid', 'expired', 'not-yet-valid'].includes(validityAt(c, NOW)), 'validity state');
    const root = certCorpus().parsed.root!;
    must(typeof signatureVerifies(c, root) === 'boolean', 'signature check did not answer');
  },
};

let store: { pool: CertificatePool; anchors: AnchorIndex } | null = null;
/** One pool and store for every chain input: the pool only caches what a DER parses to. */
function chainStore(): { pool: CertificatePool; anchors: AnchorIndex } {
  if (store) return store;
  const { parsed } = certCorpus();
  const pool = new CertificatePool();
  const entries: StoreEntry[] = [parsed.root!, parsed.selfSigned!].map((c) => ({ der: c.der, store: { id: 'fuzz', label: 'fuzz', kind: 'ca-file' }, trust: 'trusted' }));
  store = { pool, anchors: new AnchorIndex(entries, pool) };
  return store;
}

const chain: FuzzTarget<Buffer[]> = {
  name: 'chain',
  about: 'analyzeChain over chains of 0–8 certificates (corpus, mutated, repeated, reordered) against a store',
  arbitrary: () => {
    const certs = certCorpus().certs;
    const one = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...certs) }, { weight: 1, arbitrary: mutatedBytes(certs, 64) });
    return fc.array(one, { maxLength: 8 });
  },
  run(input) {
    const { pool, anchors } = chainStore();
    const a = expectOnly('analyzeChain', [], () => analyzeChain(input, pool, anchors, []))!;
    must(a.presented.length === input.length, 'presented list has another length');
    if (a.path) must(a.path.nodes.length <= input.length + 2 + 1, `a path of ${a.path.nodes.length} from ${input.length} certificates`);
  },
};

/** Host names and certificate names built to trouble a matcher: stars, dots, NULs, IP shapes. */
const nameish = fc.array(fc.constantFrom('*', '.', 'a', 'b', 'x', '-', '0', '1', 'example', 'com', '\u0000', 'xn--', '192', '::', 'é'), { maxLength: 40 }).map((a) => a.join(''));

const hostname: FuzzTarget<{ dns: string[]; ip: string[]; cn: string[]; host: string }> = {
  name: 'hostname',
  about: 'matchHostname with hostile SAN and CN names (wildcards, NULs, IP shapes) against hostile host names',
  arbitrary: () =>
    fc.record({
      dns: fc.array(fc.oneof(nameish, trickyText(), fc.constantFrom('*.example.com', '**************************x.example.com', 'a*b*c*d*e*f*g*h*i*j*k*l*m*n*o*p.example.com', '*.com', '192.0.2.1')), { maxLength: 5 }),
      ip: fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), trickyText()), { maxLength: 3 }),
      cn: fc.array(fc.oneof(nameish, trickyText()), { maxLength: 2 }),
      host: fc.oneof(nameish, fc.domain(), fc.ipV4(), fc.ipV6(), fc.constant('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.org')),
    }),
  run({ dns, ip, cn, host }) {
    const cert = { san: { dns, ip, email: [], uri: [], other: 0 }, commonNames: cn } as unknown as Certificate;
    const m = expectOnly('matchHostname', [], () => matchHostname(cert, host, isPublicSuffix))!;
    if (m.matched) {
      must(m.entry !== null, 'matched without an entry');
      must(!m.entry.includes('\u0000'), 'a name with a NUL matched');
    }
    must(m.covered.every((n) => !hasUnsafeCharacters(n)), 'covered names show raw control characters');
    if (dns.some((d) => d.toLowerCase() === host.toLowerCase() && /^[a-z0-9.-]+$/i.test(host) && !/^[0-9.]+$/.test(host) && host.length > 0)) {
      must(m.matched, `an exact DNS name ${host} did not match`);
    }
  },
};

const pem: FuzzTarget<Buffer | string> = {
  name: 'pem',
  about: 'splitCertificates on mutated PEM bundles, DER, PKCS#7 and keychain dumps',
  arbitrary: () => {
    const { certs } = certCorpus();
    const pemText = (d: Buffer): string => `-----BEGIN CERTIFICATE-----\n${d.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
    const texts = [
      certs.map(pemText).join(''),
      `subject=CN=x\n${pemText(certs[0]!)}garbage\n-----BEGIN TRUSTED CERTIFICATE-----\n${certs[1]!.toString('base64')}\n-----END TRUSTED CERTIFICATE-----\n`,
      ...fixtures(path.join(FIXTURES, 'macos/healthy'), /^security-find-certificate/),
    ];
    return fc.oneof(mutatedText(texts, ['-----BEGIN CERTIFICATE-----', '-----END CERTIFICATE-----', 'MIIB', '=']), mutatedBytes(certs.slice(0, 3), 256));
  },
  run(input) {
    const out = expectOnly('splitCertificates', [CertificateParseError], () => splitCertificates(input, 'fuzz'));
    if (!out) return;
    must(out.length > 0 && out.every((b) => Buffer.isBuffer(b)), 'splitCertificates returned no buffers without an error');
  },
};

/** A server flight of TLS 1.2 or 1.3 messages, whole, cut into records and chunks. */
const tlsWire: FuzzTarget<{ bytes: Buffer; cuts: number[] }> = {
  name: 'tls-wire',
  about: 'ServerFlightReader on mutated server flights (ServerHello, Certificate, CertificateRequest, CertificateStatus, alerts), in random chunks',
  arbitrary: () => {
    const { certs, parsed } = certCorpus();
    // The acceptable CA names a CertificateRequest carries: DER distinguished names.
    const names: Buffer[] = [parsed.root!, parsed.int!].map((c) => Buffer.from(AsnConvert.serialize(AsnConvert.parse(c.der, AsnCertificate).tbsCertificate.subject)));
    // Fixed randoms: the seeds, and so a fuzz seed's inputs, are the same on every run.
    const random = Buffer.alloc(32, 0x5a);
    const flights = [
      asRecords(Buffer.concat([serverHello12(random), certificateMessage(certs.slice(0, 3)), certificateStatus(der('ocsp-good.der')), certificateRequest12(names), handshakeMessage(14, Buffer.alloc(0))])),
      Buffer.concat([asRecords(serverHello12(random)), tlsRecord(21, Buffer.from([2, 40]))]),
      Buffer.concat([asRecords(serverHello13(random)), tlsRecord(20, Buffer.from([1])), tlsRecord(23, Buffer.alloc(64, 7))]),
      asRecords(Buffer.concat([serverHello12(random), certificateMessage([Buffer.alloc(70_000, 0x30)])])),
    ];
    return fc.record({ bytes: mutatedBytes(flights, 256), cuts: fc.array(fc.nat(), { maxLength: 6 }) });
  },
  run({ bytes, cuts }) {
    const reader = new ServerFlightReader();
    const points = [...new Set(cuts.map((c) => (bytes.length ? c % bytes.length : 0)))].sort((a, b) => a - b);
    let prev = 0;
    for (const p of [...points, bytes.length]) {
      expectOnly('ServerFlightReader.push', [], () => reader.push(bytes.subarray(prev, p)));
      prev = p;
    }
    const f = reader.findings;
    must(f.certificates === null || f.certificates.every((c) => Buffer.isBuffer(c)), 'certificates are not buffers');
    if (f.certificateRequest) expectOnly('caNamesOf', [], () => caNamesOf(f.certificateRequest!.caNames));
    must(f.encryptedRecords.length <= 256, 'kept more than 256 encrypted records');
  },
};

/** HKDF-Expand-Label (RFC 8446 §7.1), as the server would derive its handshake keys. */
function expandLabel(secret: Buffer, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([0])]);
  return createHmac('sha256', secret).update(Buffer.concat([info, Buffer.from([1])])).digest().subarray(0, length);
}

const tls13: FuzzTarget<Buffer[]> = {
  name: 'tls13-handshake',
  about: 'decryptServerHandshake on TLS 1.3 records that decrypt to mutated handshake messages (what a hostile server can send inside the encryption)',
  arbitrary: () => {
    const { certs } = certCorpus();
    const plain = [certificateMessage(certs.slice(0, 2)), handshakeMessage(8, Buffer.from([0, 0])), handshakeMessage(13, Buffer.from([0, 0, 4, 0, 47, 0, 0]))];
    // TLS 1.3 Certificate messages carry a context byte and per-certificate extensions.
    const cert13 = handshakeMessage(11, Buffer.concat([Buffer.from([0]), (() => {
      const entry = Buffer.concat([Buffer.from([0, certs[0]!.length >> 8, certs[0]!.length & 0xff]), certs[0]!, Buffer.from([0, 0])]);
      const len = Buffer.alloc(3);
      len.writeUIntBE(entry.length, 0, 3);
      return Buffer.concat([len, entry]);
    })()]));
    return fc.array(mutatedBytes([...plain, cert13], 128), { minLength: 1, maxLength: 4 });
  },
  run(messages) {
    const secret = Buffer.alloc(32, 0x42);
    const key = expandLabel(secret, 'key', 16);
    const iv = expandLabel(secret, 'iv', 12);
    const records = messages.map((m, seq) => {
      const nonce = Buffer.from(iv);
      nonce.writeUInt32BE(nonce.readUInt32BE(8) ^ seq, 8);
      const inner = Buffer.concat([m.subarray(0, 16000), Buffer.from([22])]);
      const header = Buffer.from([23, 3, 3, (inner.length + 16) >> 8, (inner.length + 16) & 0xff]);
      const c = createCipheriv('aes-128-gcm', key, nonce);
      c.setAAD(header);
      return Buffer.concat([c.update(inner), c.final(), c.getAuthTag()]);
    });
    const findings = emptyFindings();
    findings.serverHello = { version: 0x0304, cipherSuite: 0x1301, random: Buffer.alloc(32) };
    findings.encryptedRecords = records;
    expectOnly('decryptServerHandshake', [], () => decryptServerHandshake(findings, secret));
    // The same bytes in the clear go through the same message reader, which may only throw Error.
    expectOnly('feedHandshake', [Error], () => feedHandshake(Buffer.concat(messages), emptyFindings()));
  },
};

const ntp: FuzzTarget<{ msg: Buffer; cookie: Buffer }> = {
  name: 'ntp-reply',
  about: 'the SNTP reply reader on mutated replies to a known request',
  arbitrary: () => {
    const cookie = Buffer.from('0123456789abcdef', 'hex');
    const reply = Buffer.alloc(48);
    reply[0] = (0 << 6) | (4 << 3) | 4;
    reply[1] = 2;
    Buffer.from('GPS\0', 'latin1').copy(reply, 12);
    cookie.copy(reply, 24);
    reply.writeUInt32BE(0xeb000000, 32);
    reply.writeUInt32BE(0xeb000001, 40);
    const kiss = Buffer.from(reply);
    kiss[1] = 0;
    return fc.record({ msg: fc.oneof(mutatedBytes([reply, kiss], 96), fc.uint8Array({ minLength: 48, maxLength: 48 }).map((u) => { const b = Buffer.from(u); cookie.copy(b, 24); return b; })), cookie: fc.constant(cookie) });
  },
  run({ msg, cookie }) {
    const r = expectOnly('readReply', [], () => readNtpReply(msg, cookie))!;
    if (r === 'ignore') return;
    if ('code' in r) {
      must(['short-packet', 'wrong-mode', 'kiss-of-death', 'unsynchronized', 'zero-timestamp'].includes(r.code), `unknown refusal ${r.code}`);
      must(!hasUnsafeCharacters(r.message), 'a refusal message shows raw control characters');
      return;
    }
    must(Number.isFinite(r.t2) && Number.isFinite(r.t3) && r.stratum > 0 && r.stratum < 16, 'a sample with impossible values');
    must(msg.subarray(24, 32).equals(cookie), 'a sample that does not echo the request');
  },
};

const ocsp: FuzzTarget<Buffer> = {
  name: 'ocsp',
  about: 'verifyOcspResponse on mutated responses (good, revoked, unknown, delegated, tryLater) for a known certificate',
  arbitrary: () => mutatedBytes(['good', 'revoked', 'unknown', 'delegated', 'try-later'].map((n) => der(`ocsp-${n}.der`)), 512),
  run(input) {
    const { parsed } = certCorpus();
    const v = expectOnly('verifyOcspResponse', [], () => verifyOcspResponse(input, parsed.leaf!, parsed.int!, { nonce: Buffer.from('0123456789abcdef') }))!;
    if (v.ok) {
      must(['good', 'revoked', 'unknown'].includes(v.answer.certStatus), 'a status outside the three');
      must(v.answer.thisUpdate instanceof Date && !Number.isNaN(v.answer.thisUpdate.getTime()), 'thisUpdate is not a date');
    } else {
      must(typeof v.message === 'string' && v.message.length > 0, 'a problem without a reason');
    }
  },
};

const crl: FuzzTarget<Buffer> = {
  name: 'crl',
  about: 'parseCrl on mutated CRLs (DER and PEM, with entries, reasons, delta), then verifyCrl and lookupSerial',
  arbitrary: () => mutatedBytes(['crl-int.der', 'crl-int.pem', 'crl-root-empty.der', 'crl-int-delta.der'].map(der), 512),
  run(input) {
    const c = expectOnly('parseCrl', [CrlParseError], () => parseCrl(input));
    if (!c) return;
    const { parsed } = certCorpus();
    must(c.thisUpdate instanceof Date, 'thisUpdate is not a date');
    must(c.entries.every((e) => /^[0-9a-f]*$/.test(e.serial)), 'an entry serial is not hex');
    expectOnly('verifyCrl', [], () => verifyCrl(c, parsed.leaf!, parsed.int!));
    expectOnly('lookupSerial', [], () => lookupSerial(c, parsed.leaf!.serialNumber));
  },
};

const LINUX_SEEDS = [
  'NAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nID=debian\nBUILD_ID=rolling\n',
  'NTP=yes\nNTPSynchronized=no\nTimezone=Asia/Tokyo\nLocalRTC=no\n',
  '# Generated by NetworkManager\nsearch corp.example.com example.com\nnameserver 10.0.0.53\nnameserver fe80::1%eth0\noptions edns0\n',
  '[system_default_sect]\nMinProtocol = TLSv1.2\nMaxProtocol = TLSv1.3\nCipherString = DEFAULT@SECLEVEL=2\n',
  'Global: 1.1.1.1#cloudflare-dns.com\nLink 2 (eth0): 10.0.0.53 fe80::1%eth0 [2001:db8::53]:53\n',
  'Global\n       Protocols: +LLMNR\nLink 2 (eth0)\n    Current Scopes: DNS\nCurrent DNS Server: 10.0.0.53\n       DNS Servers: 10.0.0.53\n                    10.0.0.54\n        DNS Domain: corp.example.com\n',
];

const platformLinux: FuzzTarget<string> = {
  name: 'platform-linux',
  about: 'os-release / timedatectl key=value, resolv.conf, openssl.cnf, resolvectl dns and status, proxy environment',
  arbitrary: () => mutatedText(LINUX_SEEDS, ['nameserver', 'search', 'MinProtocol =', 'Link 3 (wlan0):', 'DNS Servers:', '__proto__=x', 'constructor=y']),
  run(text) {
    expectPlain(expectOnly('parseKeyValueLines', [], () => parseKeyValueLines(text)));
    const rc = expectOnly('parseResolvConf', [], () => parseResolvConf(text))!;
    must(rc.servers.every((s) => typeof s === 'string'), 'a server is not text');
    const tls = expectOnly('tlsFromOpensslConf', [], () => tlsFromOpensslConf(text))!;
    must(Object.keys(tls).sort().join() === 'TLSv1,TLSv1.1,TLSv1.2,TLSv1.3', 'the TLS versions are not the four');
    expectOnly('parseResolvectlDns', [], () => parseResolvectlDns(text));
    expectOnly('parseResolvectlStatus', [], () => parseResolvectlStatus(text));
    const p = expectOnly('proxyFromEnv', [], () => proxyFromEnv({ http_proxy: text, no_proxy: text }))!;
    must(p.httpProxy === null || !/^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]*@/i.test(p.httpProxy), 'a proxy password was kept');
  },
};

const platformWindows: FuzzTarget<string> = {
  name: 'platform-windows',
  about: 'reg query, w32tm /query /status and PowerShell ConvertTo-Json outputs (trust stores, DNS, OS), from the recorded fixtures',
  arbitrary: () =>
    mutatedText(fixtures(path.join(FIXTURES, 'windows'), /\.txt$/), ['HKEY_LOCAL_MACHINE\\X', '    Enabled    REG_DWORD    0x0', '    X    REG_BINARY    4600000001', '{"Location":"CurrentUser","Store":"Root","Certificates":["AAAA"]}', '{"__proto__":{"polluted":1}}', '0x80070426']),
  run(text) {
    const keys = expectOnly('parseRegQuery', [], () => parseRegQuery(text))!;
    for (const k of keys) {
      for (const v of k.values.values()) {
        const n = regNumber(v);
        must(n === null || Number.isFinite(n), 'a registry number is not finite');
        regString(v);
        defaultConnectionFlags(v);
      }
    }
    const schannel = expectOnly('schannelClientVersions', [], () => schannelClientVersions(keys, 22631))!;
    must(Object.keys(schannel.enabled).length === 4, 'not four TLS versions');
    expectPlain(expectOnly('winInetProxy', [], () => winInetProxy(keys[0], keys[1])));
    expectOnly('parseW32tmStatus', [], () => parseW32tmStatus(text));
    const json = expectOnly('parsePowerShellJson', [Error], () => parsePowerShellJson(text));
    if (json !== undefined) {
      expectPlain(expectOnly('trustStoreFromRows', [], () => trustStoreFromRows(asArray(json) as never)));
      const doc = (json ?? {}) as { Servers?: unknown; SuffixSearchList?: unknown };
      expectPlain(expectOnly('dnsFromRows', [], () => dnsFromRows(asArray(doc.Servers) as never, asArray(doc.SuffixSearchList) as never)));
    }
  },
};

const platformMacos: FuzzTarget<string> = {
  name: 'platform-macos',
  about: 'sw_vers, security dump-trust-settings / find-identity / find-certificate -Z, scutil --dns / --proxy, systemsetup, ntp.conf, log show timestamps',
  arbitrary: () =>
    mutatedText(
      [...fixtures(path.join(FIXTURES, 'macos'), /\.txt$/), ...fixtures(path.join(FIXTURES, 'anyconnect/macos'), /\.txt$/)],
      ['<dictionary> {', '<array> {', '}', '__proto__ : <dictionary> {', 'HTTPEnable : 1', 'Cert 0: x', 'SHA-1 hash: 0123456789ABCDEF0123456789ABCDEF01234567', '  1) 0123456789ABCDEF0123456789ABCDEF01234567 "x" (CSSMERR_TP_CERT_EXPIRED)', 'resolver #1', 'nameserver[0] : 10.0.0.1'],
    ),
  run(text) {
    expectPlain(expectOnly('parseSwVers', [], () => parseSwVers(text)));
    must(expectOnly('macVersionParts', [], () => macVersionParts(text))!.every(Number.isFinite), 'a version part is not a number');
    for (const c of expectOnly('parseTrustSettingsDump', [], () => parseTrustSettingsDump(text))!) must(['trust', 'deny', 'unspecified'].includes(tlsTrustDecision(c.settings)), 'a trust decision outside the three');
    expectOnly('noTrustSettings', [], () => noTrustSettings(text));
    expectPlain(expectOnly('parseScutilDns', [], () => parseScutilDns(text)));
    const dict = expectOnly('parseScutilDictionary', [], () => parseScutilDictionary(text))!;
    expectPlain(dict);
    expectPlain(expectOnly('proxyFromScutil', [], () => proxyFromScutil(dict)));
    expectOnly('parseUsingNetworkTime', [], () => parseUsingNetworkTime(text));
    expectOnly('ntpConfServers', [], () => ntpConfServers(text));
    for (const id of expectOnly('parseFindIdentity', [], () => parseFindIdentity(text))!) must(/^[0-9A-F]{40}$/.test(id.sha1), 'an identity hash is not SHA-1 hex');
    expectOnly('parseFindCertificate', [], () => parseFindCertificate(text));
    for (const line of text.split('\n').slice(0, 5)) {
      const t = expectOnly('logTimestamp', [], () => logTimestamp(line));
      must(t === null || t === undefined || !Number.isNaN(Date.parse(t)), 'a log timestamp that is not a time');
    }
  },
};

const vpnLogs: FuzzTarget<string> = {
  name: 'vpn-log',
  about: "interpretLogs over AnyConnect's own log lines (journal, unified log, event log), mutated",
  arbitrary: () => mutatedText(fixtures(path.join(FIXTURES, 'anyconnect/logs'), /\.jsonl?$/), ['Certificate Validation Failure', 'Untrusted VPN Server Certificate', 'Server certificate verify failed']),
  run(text) {
    const entries = text.split('\n').map((message, i) => ({ time: i % 2 ? null : '2025-01-01T00:00:00Z', source: 'vpnagentd', message }));
    expectPlain(expectOnly('interpretLogs', [], () => interpretLogs(entries)));
  },
};

const SYSLOG_CLOCK = { now: new Date('2027-01-02T01:00:00Z'), timeZone: 'Asia/Tokyo' };

const syslog: FuzzTarget<string> = {
  name: 'syslog',
  about: 'syslog file lines (RFC 3164 without a year, rsyslog RFC 3339 timestamps) of the Linux VPN agent, mutated, then interpretLogs',
  arbitrary: () =>
    mutatedText(fixtures(path.join(FIXTURES, 'anyconnect/logs/linux'), /\.txt$/), ['Dec 31 23:59:60 ', 'Feb 29 ', '2026-12-06T09:15:02.123456789+09:00 ', '<191>', 'vpnagentd[', ']: ', 'csc_vpnagent:', '\u0000', '\r']),
  run(text) {
    for (const line of text.split('\n')) {
      const l = expectOnly('parseSyslogLine', [], () => parseSyslogLine(line, SYSLOG_CLOCK));
      if (!l) continue;
      must(!Number.isNaN(Date.parse(l.time)), 'a syslog time that is not a time');
      must(Date.parse(l.time) <= SYSLOG_CLOCK.now.getTime() + 86_400_000 || /^\d{4}-/.test(line), 'a year-less time put in the future');
      must(l.tag.length > 0 && !/[\s:[\]]/.test(l.tag), 'a tag with its brackets or colon');
    }
    const entries = expectOnly('syslogEntries', [], () =>
      syslogEntries(text, { identifiers: VPN_AGENT_IDENTIFIERS, since: new Date('2026-12-01T00:00:00Z'), clock: SYSLOG_CLOCK, source: '/var/log/syslog' }),
    )!;
    must(entries.every((e) => VPN_AGENT_IDENTIFIERS.some((id) => e.source === `${id} (/var/log/syslog)`)), 'an entry of another program');
    expectPlain(expectOnly('interpretLogs', [], () => interpretLogs(entries)));
  },
};

/** Text outside comments and CDATA: where a markup declaration would be one. */
function outsideCommentsAndCdata(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
}

const XML_TOKENS = [
  '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
  '<!ENTITY lol "lol">',
  '&e;',
  '&lt;&#x202E;&#0;&#1114112;',
  '<![CDATA[<!DOCTYPE]]>',
  '<!-- <!ENTITY x "y"> -->',
  '<?xml-stylesheet href="x"?>',
  '<HostEntry><HostName>a</HostName><HostAddress>b.example.com</HostAddress></HostEntry>',
  '<Pin Subject="x" Issuer="y">AAAA</Pin>',
  '<__proto__ polluted="1"/>',
  '<x:a xmlns:x="urn:x" x:__proto__="1"/>',
  '<a constructor="1" prototype="2" __proto__="3"/>',
];

const anyconnectXml: FuzzTarget<string> = {
  name: 'anyconnect-xml',
  about: 'the XML reader and the profile, local policy and preferences readers on mutated AnyConnect files (DTDs and entities must be refused)',
  arbitrary: () => mutatedText([...fixtures(path.join(FIXTURES, 'anyconnect'), /\.xml$/), ...fixtures(path.join(FIXTURES, 'anyconnect/preferences'), /^unix-anyconnect$/)], XML_TOKENS),
  run(text) {
    const refusable = /<!(DOCTYPE|ENTITY)/i.test(outsideCommentsAndCdata(text));
    const root = expectOnly('parseXml', [XmlError], () => parseXml(text, 'fuzz.xml'));
    if (refusable) must(root === undefined, 'a document with a DTD or an entity declaration was read');
    if (root) expectElement(root, 0);
    const profile = expectOnly('parseProfile', [XmlError], () => parseProfile(text, 'fuzz.xml'));
    if (profile) {
      expectPlain(profile);
      const { parsed } = certCorpus();
      for (const pin of [...profile.globalPins, ...profile.hosts.flatMap((h) => h.pins)]) expectOnly('decodePin', [], () => decodePin(pin));
      expectOnly('matchPins', [], () => matchPins([...profile.globalPins], [parsed.leaf!, parsed.int!]));
      if (profile.certificateMatch) expectOnly('matchesRule', [], () => matchesRule(parsed.leaf!, profile.certificateMatch!));
    }
    expectPlain(expectOnly('parseLocalPolicy', [XmlError], () => parseLocalPolicy(text, 'fuzz.xml')));
    expectPlain(expectOnly('parsePreferences', [XmlError], () => parsePreferences(text, 'fuzz.xml', 'user')));
  },
};

function expectElement(e: XmlElement, depth: number): void {
  must(depth < 1000, 'an element tree deeper than 1000');
  must(typeof e.name === 'string' && typeof e.text === 'string', 'an element without name or text');
  must(Object.getPrototypeOf(e.attrs) === Object.prototype, 'attributes with a replaced prototype');
  for (const c of e.children) expectElement(c, depth + 1);
}

const CONFIG_AUTH = [
  '<?xml version="1.0" encoding="UTF-8"?>\n<config-auth client="vpn" type="auth-request" aggregate-auth-version="2">\n<version who="sg">9.16(4)</version>\n<opaque is-for="sg"><tunnel-group>DefaultWEBVPNGroup</tunnel-group><group-alias>Employees</group-alias></opaque>\n<auth id="main"><title>Login</title><message>Please enter your username and password.</message>\n<form>\n<input type="text" name="username" label="Username:"></input>\n<input type="password" name="password" label="Password:"></input>\n<select name="group_list" label="GROUP:"><option value="Employees" selected="true">Employees</option><option value="Contractors">Contractors</option></select>\n</form></auth>\n</config-auth>\n',
  '<?xml version="1.0" encoding="UTF-8"?>\n<config-auth client="vpn" type="complete" aggregate-auth-version="2"><session-id>SESSIONID-secret-1</session-id><session-token>TOKEN-secret-2</session-token><auth id="success"><message>ok</message></auth></config-auth>\n',
  '<config-auth client="vpn" type="auth-request"><version who="sg">0.1(1)</version><auth id="main"><error id="x">Login failed</error><sso-v2-login>https://idp.example.com/sso</sso-v2-login><client-cert-request/></auth></config-auth>',
  '<html><body>Welcome to the hotel network</body></html>',
];

const configAuth: FuzzTarget<{ status: number; body: string; headers: Record<string, string> }> = {
  name: 'config-auth-reply',
  about: "the reader of the gateway's config-auth reply (status, headers, mutated XML bodies); no session value may survive into the facts",
  arbitrary: () =>
    fc.record({
      status: fc.oneof(fc.constantFrom(200, 302, 401, 404, 500), fc.integer({ min: 0, max: 999 })),
      body: mutatedText(CONFIG_AUTH, [...XML_TOKENS, '<session-token>TOKEN-secret-2</session-token>', 'webvpn=COOKIE-secret-3;']),
      headers: fc.record(
        { location: fc.oneof(fc.constant('/+webvpn+/index.html?session=TOKEN-secret-4'), trickyText()), date: fc.oneof(fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toUTCString())), trickyText()), 'content-type': trickyText(), server: trickyText() },
        { requiredKeys: [] },
      ),
    }),
  run({ status, body, headers }) {
    const target = parseTarget('https://vpn.example.com/staff');
    const facts = expectOnly('readReply', [], () => readConfigAuthReply({ status, headers, body: Buffer.from(body, 'utf8'), receivedAt: NOW }, target))!;
    expectPlain(facts);
    must(['anyconnect', 'not-anyconnect', 'client-cert-required'].includes(facts.kind), `kind ${facts.kind}`);
    const json = JSON.stringify(facts);
    for (const secret of ['SESSIONID-secret-1', 'TOKEN-secret-2', 'COOKIE-secret-3', 'TOKEN-secret-4']) {
      // Only values written whole and in their place are promised to be blanked.
      if (new RegExp(`<session-(id|token)>${secret}<|\\bwebvpn=${secret};|[?&]session=${secret}$`).test(`${body}\n${headers.location ?? ''}`)) must(!json.includes(secret), `${secret} reached the facts`);
    }
    for (const s of [facts.bodyExcerpt, facts.errorMessage, facts.message, facts.currentGroup, facts.serverVersion, ...facts.groups.map((g) => g.label)]) {
      must(s === null || !hasUnsafeCharacters(s), 'a reply field shows raw control characters');
    }
    must(facts.groups.length <= 100, 'more than 100 groups kept');
  },
};

const CONFIG_SEEDS = [
  '{\n  // the helpdesk\'s settings\n  "gateway": "vpn.example.com",\n  "ntpServers": ["ntp.example.com", "10.0.0.1:123"],\n  "language": "ja",\n  "contact": "IT 0120-000-000",\n  "caCertificates": ["root.pem"],\n  "reportDir": "reports",\n}\n',
  '{"gateways": ["https://vpn1.example.com/staff", "vpn2.example.com:8443"], "$schema": "x", "caCertificates": ["-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----"]}',
  '{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}',
];

const config: FuzzTarget<string> = {
  name: 'config',
  about: 'the vpn-preflight.json reader (JSON with comments) on mutated settings',
  arbitrary: () => mutatedText(CONFIG_SEEDS, ['"gateway": "$(id);a"', '"__proto__": {}', '[[[[[[[[[[', '{"a":', '"language": "xx"', ',', '/*', '*/', '"ntpServers": "[::1]:0"']),
  async run(text) {
    const { certs } = certCorpus();
    const readFile = async (p: string): Promise<Buffer> => {
      if (p.endsWith('root.pem')) return Buffer.from(`-----BEGIN CERTIFICATE-----\n${certs[0]!.toString('base64')}\n-----END CERTIFICATE-----\n`);
      throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    };
    const c = await expectOnlyAsync('parseConfig', [UsageError], () => parseConfig(text, '/opt/vpn-preflight/vpn-preflight.json', 'en', readFile));
    if (!c) return;
    expectPlain({ ...c, caCertificates: [] });
    must(c.gateways.every((g) => g.url.startsWith('https://')), 'a gateway URL that is not https');
    must(c.language === null || c.language === 'en' || c.language === 'ja', 'a language outside en and ja');
  },
};

const target: FuzzTarget<string> = {
  name: 'target',
  about: 'the gateway (host, host:port, [v6]:port, https URL with a group) and host:port readers',
  arbitrary: () =>
    fc.oneof(
      mutatedText(['vpn.example.com', 'vpn.example.com:8443', 'https://vpn.example.com/staff', '[2001:db8::1]:443', '192.0.2.1', 'https://xn--r8jz45g.example/%E6%9D%B1'], ['%', '%ff', '%00', '@', ':', '/', '[', ']', '$(id)', '`x`', ';', '\u202e']),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.domain(),
    ),
  run(text) {
    const t = expectOnly('parseTarget', [UsageError], () => parseTarget(text));
    if (t) {
      must(t.host.length > 0 && t.port >= 1 && t.port <= 65535, `host ${t.host} port ${t.port}`);
      must(t.url.startsWith('https://') && t.path.startsWith('/'), `url ${t.url} path ${t.path}`);
      must(!/[\u0000-\u001f\u007f]/.test(t.path), 'a path with control characters');
      must(expectOnly('parseTarget (again)', [], () => parseTarget(t.url))!.host === t.host, 'the URL does not parse back to the same host');
    }
    const hp = expectOnly('parseHostPort', [UsageError], () => parseHostPort(text, 123, 'ntpServers'));
    if (hp) must(hp.port >= 1 && hp.port <= 65535 && hp.host.length > 0, 'host:port out of range');
  },
};

/** Every target, in the order `npm run fuzz` runs them. */
export const TARGETS: readonly FuzzTarget[] = [certificate, chain, hostname, pem, tlsWire, tls13, ntp, ocsp, crl, platformLinux, platformWindows, platformMacos, vpnLogs, syslog, anyconnectXml, configAuth, config, target];
