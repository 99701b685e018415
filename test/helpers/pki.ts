/**
 * A PKI factory for tests: CAs, chains and broken certificates made on the fly with
 * node-forge, so every test gets fresh certificates with exactly the defect it needs.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, sign as nodeSign, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import forge from 'node-forge';

export type Hash = 'sha256' | 'sha1' | 'md5' | 'sha384';

export interface CertOptions {
  /** Subject CN; omitted when null. */
  cn?: string | null;
  o?: string;
  /** Extra raw subject attributes (forge format). */
  subjectAttrs?: forge.pki.CertificateField[];
  /** DNS SANs. */
  dns?: string[];
  /** IP SANs. */
  ips?: string[];
  /** No SAN extension at all (CN-only certificates). */
  noSan?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  /** Days valid from now (default 365); ignored when notAfter is given. */
  days?: number;
  keyBits?: number;
  hash?: Hash;
  /** EKU names (forge names: serverAuth, clientAuth, …, and OCSPSigning); null: no EKU extension. */
  eku?: string[] | null;
  /** KU names; null: no KU extension. */
  ku?: string[] | null;
  isCa?: boolean;
  pathLen?: number;
  aiaCaIssuers?: string[];
  aiaOcsp?: string[];
  crl?: string[];
  /** Hex serial (two's complement bytes); default random positive. */
  serialHex?: string;
  /** Extra extensions in forge's format ({ id, critical, value }). */
  extraExtensions?: Array<Record<string, unknown>>;
  /** Reuse this key instead of generating one. */
  key?: KeyPair;
  /** Sign with this key instead of the issuer's (for a bad signature). */
  signWith?: KeyPair;
}

/** EKU names forge does not know, by OID (forge accepts dotted OIDs as keys). */
const EKU_OIDS: Readonly<Record<string, string>> = { OCSPSigning: '1.3.6.1.5.5.7.3.9' };

export interface KeyPair {
  readonly privateKey: forge.pki.rsa.PrivateKey;
  readonly publicKey: forge.pki.rsa.PublicKey;
  readonly privateKeyPem: string;
}

export interface Issued {
  readonly cert: forge.pki.Certificate;
  readonly key: KeyPair;
  readonly pem: string;
  readonly der: Buffer;
  readonly keyPem: string;
  readonly name: string;
}

/**
 * RSA keys cost ~200 ms each to generate, so test keys are kept in a cache folder and
 * reused across runs; within one process every call still returns a different key.
 */
const KEY_DIR = path.join(tmpdir(), 'vpn-preflight-test-keys');
const POOL_SIZE = 256;
const cursor = new Map<number, number>();

export function newKey(bits = 2048): KeyPair {
  const i = cursor.get(bits) ?? 0;
  cursor.set(bits, (i + 1) % POOL_SIZE);
  const file = path.join(KEY_DIR, `rsa${bits}-${i}.pem`);
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 65537 });
    pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    mkdirSync(KEY_DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(tmp, pem, { mode: 0o600 });
    renameSync(tmp, file);
  }
  const pk = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { privateKey: pk, publicKey: forge.pki.setRsaPublicKey(pk.n, pk.e), privateKeyPem: pem };
}

function randomSerial(): string {
  const bytes = forge.random.getBytesSync(16);
  const hex = forge.util.bytesToHex(bytes);
  // First nibble 1–7: positive and minimally encoded (a leading 00 byte before a byte
  // below 0x80 is "illegal padding" to OpenSSL, which then refuses the certificate).
  return `${((parseInt(hex[0]!, 16) % 7) + 1).toString(16)}${hex.slice(1)}`;
}

function hashMd(h: Hash): forge.md.MessageDigest {
  switch (h) {
    case 'sha1':
      return forge.md.sha1.create();
    case 'md5':
      return forge.md.md5.create();
    case 'sha384':
      return forge.md.sha384.create();
    default:
      return forge.md.sha256.create();
  }
}

function aiaExtension(caIssuers: string[], ocsp: string[]): Record<string, unknown> {
  const { asn1 } = forge;
  const desc = (oid: string, uri: string): forge.asn1.Asn1 =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 6, false, uri),
    ]);
  const value = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    ...ocsp.map((u) => desc('1.3.6.1.5.5.7.48.1', u)),
    ...caIssuers.map((u) => desc('1.3.6.1.5.5.7.48.2', u)),
  ]);
  return { id: '1.3.6.1.5.5.7.1.1', critical: false, value };
}

/** Issues a certificate; `issuer` null makes it self-signed. */
export function issue(issuer: Issued | null, opts: CertOptions = {}): Issued {
  const key = opts.key ?? newKey(opts.keyBits ?? 2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = key.publicKey;
  cert.serialNumber = opts.serialHex ?? randomSerial();
  const now = Date.now();
  cert.validity.notBefore = opts.notBefore ?? new Date(now - 86_400_000);
  cert.validity.notAfter = opts.notAfter ?? new Date(now + (opts.days ?? 365) * 86_400_000);
  // Encoded most general first (O, then CN), as CAs do; shown CN first.
  const attrs: forge.pki.CertificateField[] = [...(opts.subjectAttrs ?? [])];
  if (opts.o) attrs.push({ name: 'organizationName', value: opts.o });
  if (opts.cn !== null && opts.cn !== undefined) attrs.push({ name: 'commonName', value: opts.cn });
  cert.setSubject(attrs);
  cert.setIssuer(issuer ? issuer.cert.subject.attributes : attrs);
  const exts: Array<Record<string, unknown>> = [];
  if (opts.isCa) {
    exts.push({ name: 'basicConstraints', cA: true, critical: true, ...(opts.pathLen !== undefined ? { pathLenConstraint: opts.pathLen } : {}) });
  } else {
    exts.push({ name: 'basicConstraints', cA: false });
  }
  const ku = opts.ku === undefined ? (opts.isCa ? ['keyCertSign', 'cRLSign'] : ['digitalSignature', 'keyEncipherment']) : opts.ku;
  if (ku) exts.push({ name: 'keyUsage', critical: true, ...Object.fromEntries(ku.map((k) => [k, true])) });
  const eku = opts.eku === undefined ? (opts.isCa ? null : ['serverAuth']) : opts.eku;
  if (eku) exts.push({ name: 'extKeyUsage', ...Object.fromEntries(eku.map((k) => [EKU_OIDS[k] ?? k, true])) });
  if (!opts.isCa && !opts.noSan && ((opts.dns?.length ?? 0) > 0 || (opts.ips?.length ?? 0) > 0 || opts.dns === undefined)) {
    const dns = opts.dns ?? (opts.cn ? [opts.cn] : []);
    const altNames = [...dns.map((d) => ({ type: 2, value: d })), ...(opts.ips ?? []).map((ip) => ({ type: 7, ip }))];
    if (altNames.length) exts.push({ name: 'subjectAltName', altNames });
  }
  // forge derives the SKI from the key (SHA-1 of the key bits); the AKI must use the issuer's.
  exts.push({ name: 'subjectKeyIdentifier' });
  const issuerKey = issuer ? issuer.key : key;
  const aki = issuer ? issuer.cert.generateSubjectKeyIdentifier().getBytes() : cert.generateSubjectKeyIdentifier().getBytes();
  exts.push({ name: 'authorityKeyIdentifier', keyIdentifier: aki });
  if (opts.aiaCaIssuers?.length || opts.aiaOcsp?.length) exts.push(aiaExtension(opts.aiaCaIssuers ?? [], opts.aiaOcsp ?? []));
  if (opts.crl?.length) {
    exts.push({ name: 'cRLDistributionPoints', altNames: opts.crl.map((u) => ({ type: 6, value: u })) });
  }
  exts.push(...(opts.extraExtensions ?? []));
  cert.setExtensions(exts);
  const signer = opts.signWith ?? issuerKey;
  signCertificate(cert, signer, opts.hash ?? 'sha256');
  const pem = forge.pki.certificateToPem(cert);
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return { cert, key, pem, der, keyPem: key.privateKeyPem, name: opts.cn ?? '(no CN)' };
}

const nodeKeys = new WeakMap<KeyPair, KeyObject>();

/**
 * What forge's cert.sign does, with the RSA operation done by Node: PKCS#1 v1.5
 * signatures are deterministic, so the bytes are the same, ~50 times faster.
 */
function signCertificate(cert: forge.pki.Certificate, signer: KeyPair, hash: Hash): void {
  const md = hashMd(hash);
  const loose = cert as unknown as { md: forge.md.MessageDigest; signatureOid: string; siginfo: { algorithmOid: string }; tbsCertificate: forge.asn1.Asn1; signature: string };
  const oid = forge.pki.oids[`${md.algorithm}WithRSAEncryption`];
  let key = nodeKeys.get(signer);
  if (!key) {
    key = createPrivateKey(signer.privateKeyPem);
    nodeKeys.set(signer, key);
  }
  if (!oid) return cert.sign(signer.privateKey, md);
  loose.md = md;
  loose.signatureOid = oid;
  loose.siginfo.algorithmOid = oid;
  loose.tbsCertificate = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  const tbs = Buffer.from(forge.asn1.toDer(loose.tbsCertificate).getBytes(), 'binary');
  loose.signature = nodeSign(hash, tbs, key).toString('binary');
}

export function makeRoot(cn = 'Test Root CA', opts: CertOptions = {}): Issued {
  return issue(null, { cn, o: 'vpn-preflight tests', isCa: true, days: 3650, ...opts });
}

export function makeIntermediate(parent: Issued, cn = 'Test Intermediate CA', opts: CertOptions = {}): Issued {
  return issue(parent, { cn, o: 'vpn-preflight tests', isCa: true, days: 1825, ...opts });
}

export function makeLeaf(parent: Issued | null, cn = 'localhost', opts: CertOptions = {}): Issued {
  return issue(parent, { cn, days: 200, ...opts });
}

/** A standard three-level PKI: root → intermediate → leaf for `host`. */
export function standardChain(host = 'localhost', leafOpts: CertOptions = {}, intOpts: CertOptions = {}): { root: Issued; intermediate: Issued; leaf: Issued } {
  const root = makeRoot();
  const intermediate = makeIntermediate(root, 'Test Intermediate CA', intOpts);
  const leaf = makeLeaf(intermediate, host, leafOpts);
  return { root, intermediate, leaf };
}

export function pemOf(...certs: Issued[]): string {
  return certs.map((c) => c.pem).join('');
}
