// Makes the fixed certificates of the golden-file tests (run once; the PEMs are committed so
// every run renders byte-identical reports). node test/golden/certs/make.mjs
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import forge from 'node-forge';

const dir = path.dirname(fileURLToPath(import.meta.url));
const key = () => {
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' });
  const privateKey = forge.pki.privateKeyFromPem(pem);
  return { privateKey, publicKey: forge.pki.setRsaPublicKey(privateKey.n, privateKey.e) };
};
let serial = 0x1000;
const { asn1 } = forge;
const uri = (u) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 6, false, u);
/** Authority Information Access: where the issuer's certificate and its OCSP responder live. */
function aiaExtension({ ocsp, caIssuers }) {
  const access = (oid, u) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()), uri(u)]);
  const entries = [...(ocsp ? [access('1.3.6.1.5.5.7.48.1', ocsp)] : []), ...(caIssuers ? [access('1.3.6.1.5.5.7.48.2', caIssuers)] : [])];
  return { id: '1.3.6.1.5.5.7.1.1', critical: false, value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, entries) };
}
/** CRL distribution point with one full-name URI. */
function crlExtension(url) {
  const seq = (v) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, v);
  const ctx = (n, v) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, n, true, v);
  return { id: '2.5.29.31', critical: false, value: seq([seq([ctx(0, [ctx(0, [uri(url)])])])]) };
}
function issue(issuer, { cn, o, ou, ca, dns, from, to, aia, crl, eku = 'serverAuth' }) {
  const k = key();
  const c = forge.pki.createCertificate();
  c.publicKey = k.publicKey;
  c.serialNumber = (serial++).toString(16) + 'a1b2c3d4';
  c.validity.notBefore = new Date(from);
  c.validity.notAfter = new Date(to);
  const attrs = [...(o ? [{ name: 'organizationName', value: o }] : []), ...(ou ? [{ name: 'organizationalUnitName', value: ou }] : []), { name: 'commonName', value: cn }];
  c.setSubject(attrs);
  c.setIssuer(issuer ? issuer.cert.subject.attributes : attrs);
  const exts = [ca ? { name: 'basicConstraints', cA: true, critical: true } : { name: 'basicConstraints', cA: false }];
  exts.push(ca ? { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true } : { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true });
  if (!ca) exts.push({ name: 'extKeyUsage', [eku]: true }, ...(dns ? [{ name: 'subjectAltName', altNames: dns.map((d) => ({ type: 2, value: d })) }] : []));
  exts.push({ name: 'subjectKeyIdentifier' });
  exts.push({ name: 'authorityKeyIdentifier', keyIdentifier: (issuer ?? { cert: c }).cert.generateSubjectKeyIdentifier().getBytes() });
  if (aia) exts.push(aiaExtension(aia));
  if (crl) exts.push(crlExtension(crl));
  c.setExtensions(exts);
  c.sign((issuer ?? { key: k }).key.privateKey, forge.md.sha256.create());
  return { cert: c, key: k, pem: forge.pki.certificateToPem(c) };
}
// Example Corp's own PKI, the way an enterprise CA publishes it: every certificate below the
// root names its OCSP responder, its issuer's certificate and its CRL.
const tlsCa = { ocsp: 'http://ocsp.example.com', caIssuers: 'http://pki.example.com/tls-ca-2024.cer' };
const tlsCrl = 'http://pki.example.com/crl/tls-ca-2024.crl';
const root = issue(null, { cn: 'Example Corp Root CA', o: 'Example Corp', ca: true, from: '2020-01-01T00:00:00Z', to: '2040-01-01T00:00:00Z' });
const int = issue(root, { cn: 'Example Corp TLS CA 2024', o: 'Example Corp', ca: true, from: '2024-01-01T00:00:00Z', to: '2029-01-01T00:00:00Z', aia: { ocsp: 'http://ocsp.example.com', caIssuers: 'http://pki.example.com/root-ca.cer' }, crl: 'http://pki.example.com/crl/root-ca.crl' });
const leaf = issue(int, { cn: 'vpn.example.com', dns: ['vpn.example.com'], from: '2024-09-01T00:00:00Z', to: '2025-09-01T00:00:00Z', aia: tlsCa, crl: tlsCrl });
const expired = issue(int, { cn: 'vpn.example.com', dns: ['vpn.example.com'], from: '2024-02-01T00:00:00Z', to: '2025-02-28T00:00:00Z', aia: tlsCa, crl: tlsCrl });
const other = issue(int, { cn: 'portal.example.com', dns: ['portal.example.com', 'www.example.com'], from: '2024-09-01T00:00:00Z', to: '2025-09-01T00:00:00Z', aia: tlsCa, crl: tlsCrl });
// The CA that issues users' VPN certificates (only its name is used: what the gateway accepts).
const userCa = issue(root, { cn: 'Example Corp User CA', o: 'Example Corp', ca: true, from: '2024-01-01T00:00:00Z', to: '2029-01-01T00:00:00Z' });
// What a Zscaler cloud proxy with SSL inspection puts in front of the gateway: its own root
// (deployed to company computers), an intermediate, and a short-lived certificate for the
// gateway's name minted on the fly, with no CA services named.
const zsRoot = issue(null, { cn: 'Zscaler Root CA', o: 'Zscaler Inc.', ou: 'Zscaler Inc.', ca: true, from: '2014-12-19T00:00:00Z', to: '2042-05-06T00:00:00Z' });
const zsInt = issue(zsRoot, { cn: 'Zscaler Intermediate Root CA (zscaler.net)', o: 'Zscaler Inc.', ou: 'Zscaler Inc.', ca: true, from: '2015-10-27T00:00:00Z', to: '2030-10-20T00:00:00Z' });
const zsLeaf = issue(zsInt, { cn: 'vpn.example.com', dns: ['vpn.example.com'], from: '2025-02-17T00:00:00Z', to: '2025-05-18T00:00:00Z' });
const certs = { root, int, leaf, expired, other, 'user-ca': userCa, 'zscaler-root': zsRoot, 'zscaler-int': zsInt, 'zscaler-leaf': zsLeaf };
for (const [name, c] of Object.entries(certs)) writeFileSync(path.join(dir, `${name}.pem`), c.pem);
