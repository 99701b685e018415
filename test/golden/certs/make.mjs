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
function issue(issuer, { cn, o, ca, dns, from, to, aia }) {
  const k = key();
  const c = forge.pki.createCertificate();
  c.publicKey = k.publicKey;
  c.serialNumber = (serial++).toString(16) + 'a1b2c3d4';
  c.validity.notBefore = new Date(from);
  c.validity.notAfter = new Date(to);
  const attrs = [...(o ? [{ name: 'organizationName', value: o }] : []), { name: 'commonName', value: cn }];
  c.setSubject(attrs);
  c.setIssuer(issuer ? issuer.cert.subject.attributes : attrs);
  const exts = [ca ? { name: 'basicConstraints', cA: true, critical: true } : { name: 'basicConstraints', cA: false }];
  exts.push(ca ? { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true } : { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true });
  if (!ca) exts.push({ name: 'extKeyUsage', serverAuth: true }, { name: 'subjectAltName', altNames: dns.map((d) => ({ type: 2, value: d })) });
  exts.push({ name: 'subjectKeyIdentifier' });
  exts.push({ name: 'authorityKeyIdentifier', keyIdentifier: (issuer ?? { cert: c }).cert.generateSubjectKeyIdentifier().getBytes() });
  if (aia) {
    const { asn1 } = forge;
    exts.push({
      id: '1.3.6.1.5.5.7.1.1',
      critical: false,
      value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
          asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer('1.3.6.1.5.5.7.48.2').getBytes()),
          asn1.create(asn1.Class.CONTEXT_SPECIFIC, 6, false, aia),
        ]),
      ]),
    });
  }
  c.setExtensions(exts);
  c.sign((issuer ?? { key: k }).key.privateKey, forge.md.sha256.create());
  return { cert: c, key: k, pem: forge.pki.certificateToPem(c) };
}
const root = issue(null, { cn: 'Example Corp Root CA', o: 'Example Corp', ca: true, from: '2020-01-01T00:00:00Z', to: '2040-01-01T00:00:00Z' });
const int = issue(root, { cn: 'Example Corp TLS CA 2024', o: 'Example Corp', ca: true, from: '2024-01-01T00:00:00Z', to: '2029-01-01T00:00:00Z' });
const leaf = issue(int, { cn: 'vpn.example.com', dns: ['vpn.example.com'], from: '2024-09-01T00:00:00Z', to: '2025-09-01T00:00:00Z' });
const expired = issue(int, { cn: 'vpn.example.com', dns: ['vpn.example.com'], from: '2024-02-01T00:00:00Z', to: '2025-02-28T00:00:00Z' });
const aiaLeaf = issue(int, { cn: 'vpn.example.com', dns: ['vpn.example.com'], from: '2024-09-01T00:00:00Z', to: '2025-09-01T00:00:00Z', aia: 'http://pki.example.com/tls-ca-2024.cer' });
const other = issue(int, { cn: 'portal.example.com', dns: ['portal.example.com', 'www.example.com'], from: '2024-09-01T00:00:00Z', to: '2025-09-01T00:00:00Z' });
for (const [name, c] of Object.entries({ root, int, leaf, expired, 'aia-leaf': aiaLeaf, other })) writeFileSync(path.join(dir, `${name}.pem`), c.pem);
