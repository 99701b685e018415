/**
 * Makes the seed corpus of the fuzz targets: certificates with every extension the tool
 * reads, OCSP responses and CRLs about them. Committed, so a fuzz seed reproduces the same
 * inputs on every machine. Regenerate (rarely) with:
 *   npx esbuild test/fuzz/corpus/make-corpus.ts --bundle --platform=node --outfile=/tmp/make-corpus.js && node /tmp/make-corpus.js
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import forge from 'node-forge';
import { crlPem, makeCrl } from '../../helpers/crl';
import { ocspResponse } from '../../helpers/ocsp';
import { issue, makeIntermediate, makeLeaf, makeRoot } from '../../helpers/pki';

// Run from the project folder (the bundle lives elsewhere).
const dir = path.join(process.cwd(), 'test/fuzz/corpus');
const at = (iso: string): Date => new Date(iso);
const from = at('2024-01-01T00:00:00Z');
const to = at('2034-01-01T00:00:00Z');
const dates = { notBefore: from, notAfter: to };

const root = makeRoot('Fuzz Root CA', { ...dates, serialHex: '01', pathLen: 2 });
const int = makeIntermediate(root, 'Fuzz Intermediate CA', { ...dates, serialHex: '02', aiaCaIssuers: ['http://ca.example.com/root.crt'], crl: ['http://ca.example.com/root.crl'] });
const mustStaple = { id: '1.3.6.1.5.5.7.1.24', critical: false, value: forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SEQUENCE, true, [forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.INTEGER, false, '\x05')]) };
const leaf = makeLeaf(int, 'vpn.example.com', {
  ...dates,
  serialHex: '1000a1',
  dns: ['vpn.example.com', '*.vpn.example.com', 'f*o.example.com'],
  ips: ['192.0.2.10', '2001:db8::10'],
  eku: ['serverAuth', 'clientAuth'],
  aiaOcsp: ['http://ocsp.example.com/'],
  aiaCaIssuers: ['http://ca.example.com/int.crt'],
  crl: ['http://ca.example.com/int.crl'],
  extraExtensions: [mustStaple],
});
const cnOnly = makeLeaf(int, 'cn-only.example.com', { ...dates, serialHex: '1000a2', noSan: true, eku: null, ku: null });
const legacy = makeLeaf(root, 'legacy.example.com', { ...dates, serialHex: 'ff01', hash: 'sha1', keyBits: 1024, eku: ['clientAuth'] });
const selfSigned = issue(null, { cn: 'self.example.com', ...dates, serialHex: '1000a3', o: 'Self' });
const responder = makeLeaf(int, 'Fuzz OCSP Responder', { ...dates, serialHex: '1000a4', eku: ['OCSPSigning'], noSan: true });

const certs = { root, int, leaf, cnOnly, legacy, selfSigned, responder };
for (const [name, c] of Object.entries(certs)) writeFileSync(path.join(dir, `${name}.der`), c.der);

const times = { thisUpdate: at('2025-01-01T00:00:00Z'), nextUpdate: at('2025-01-08T00:00:00Z') };
const ocsp = {
  good: ocspResponse({ issuer: int, serialHex: '1000a1', status: 'good', ...times }),
  revoked: ocspResponse({ issuer: int, serialHex: '1000a1', status: 'revoked', reason: 1, revokedAt: at('2024-06-01T00:00:00Z'), ...times }),
  unknown: ocspResponse({ issuer: int, serialHex: '1000a1', status: 'unknown', ...times, nonce: Buffer.from('0123456789abcdef') }),
  delegated: ocspResponse({ issuer: int, serialHex: '1000a1', status: 'good', signer: responder, ...times, nextUpdate: null }),
  'try-later': ocspResponse({ issuer: int, status: 'good', responseStatus: 3 }),
};
for (const [name, der] of Object.entries(ocsp)) writeFileSync(path.join(dir, `ocsp-${name}.der`), der);

const crl = makeCrl({ issuer: int, entries: [{ serialHex: '1000a1', reason: 1, revokedAt: at('2024-06-01T00:00:00Z') }, { serialHex: '00ff', reason: 8 }, { serialHex: '1000a9' }], ...times });
writeFileSync(path.join(dir, 'crl-int.der'), crl);
writeFileSync(path.join(dir, 'crl-int.pem'), crlPem(crl));
writeFileSync(path.join(dir, 'crl-root-empty.der'), makeCrl({ issuer: root, thisUpdate: times.thisUpdate, nextUpdate: null }));
writeFileSync(path.join(dir, 'crl-int-delta.der'), makeCrl({ issuer: int, delta: true, ...times }));
console.log(`wrote the corpus to ${dir}`);
