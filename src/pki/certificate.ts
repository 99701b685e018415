import { X509Certificate, createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  BasicConstraints,
  CRLDistributionPoints,
  Certificate as AsnCertificate,
  ExtendedKeyUsage,
  KeyUsage,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  type GeneralName,
} from '@peculiar/asn1-x509';
import { CertificateParseError } from './pem';
import { fromAsnName, attributes, type DistinguishedName } from './names';
import { EXTENDED_KEY_USAGES, HASH_ALGORITHMS, KNOWN_EXTENSIONS, OID, SIGNATURE_ALGORITHMS } from './oids';
import { displaySafe } from './text';

export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

const KEY_USAGE_ORDER: readonly KeyUsageName[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

export interface ExtensionProblem {
  readonly oid: string;
  readonly critical: boolean;
  readonly problem: 'unparsable' | 'unknown-critical' | 'duplicate';
  readonly message: string;
}

/** One parsed certificate. Parsed once per run; everything else reads this. */
export interface Certificate {
  readonly der: Buffer;
  /** Node's view, used for signature checks and key details. */
  readonly node: X509Certificate;
  readonly version: number;
  readonly subject: DistinguishedName;
  readonly issuer: DistinguishedName;
  /** Hex of the serial's two's-complement bytes, lower-case. */
  readonly serialNumber: string;
  readonly serialIsNegative: boolean;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Subject alternative names; null when the extension is absent. */
  readonly san: {
    readonly dns: readonly string[];
    readonly ip: readonly string[];
    readonly email: readonly string[];
    readonly uri: readonly string[];
    readonly other: number;
  } | null;
  readonly commonNames: readonly string[];
  readonly publicKey: {
    /** `RSA`, `RSA-PSS`, `EC`, `Ed25519`, `Ed448`, `DSA`, or the OID when unknown. */
    readonly type: string;
    readonly bits: number | null;
    readonly curve: string | null;
    /** Base64 SHA-256 and SHA-512 of the SubjectPublicKeyInfo DER (certificate pins). */
    readonly spkiSha256: string;
    readonly spkiSha512: string;
  };
  readonly signature: { readonly oid: string; readonly name: string; readonly hash: string | null };
  readonly basicConstraints: { readonly ca: boolean; readonly pathLen: number | null; readonly critical: boolean } | null;
  readonly keyUsage: readonly KeyUsageName[] | null;
  /** Names from EXTENDED_KEY_USAGES, or the dotted OID. */
  readonly extKeyUsage: readonly string[] | null;
  readonly subjectKeyId: string | null;
  readonly authorityKeyId: string | null;
  readonly aia: { readonly ocsp: readonly string[]; readonly caIssuers: readonly string[] };
  readonly crlDistributionPoints: readonly string[];
  /** Subject and issuer names are the same (a root or a self-signed leaf). */
  readonly selfIssued: boolean;
  readonly mustStaple: boolean;
  readonly extensionProblems: readonly ExtensionProblem[];
  /** Upper-case hex with colons, as OpenSSL, Keychain Access and certutil show it. */
  readonly fingerprintSha256: string;
  readonly fingerprintSha1: string;
}

/** Parses one DER certificate. Throws CertificateParseError with a plain reason. */
export function parseCertificate(der: Buffer): Certificate {
  let asn: AsnCertificate;
  try {
    asn = AsnConvert.parse(der, AsnCertificate);
  } catch (err) {
    throw new CertificateParseError(`not a valid X.509 certificate (${reason(err)})`);
  }
  let node: X509Certificate;
  try {
    node = new X509Certificate(der);
  } catch (err) {
    throw new CertificateParseError(`the certificate cannot be decoded (${reason(err)})`);
  }
  const tbs = asn.tbsCertificate;
  const subject = fromAsnName(tbs.subject);
  const issuer = fromAsnName(tbs.issuer);
  const serialBytes = Buffer.from(tbs.serialNumber);
  const ext = readExtensions(asn);
  const sigOid = asn.signatureAlgorithm.algorithm;
  return {
    der,
    node,
    version: tbs.version + 1,
    subject,
    issuer,
    serialNumber: serialBytes.toString('hex'),
    serialIsNegative: serialBytes.length > 0 && (serialBytes[0]! & 0x80) !== 0,
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    san: ext.san,
    commonNames: attributes(subject, 'CN'),
    publicKey: publicKeyInfo(node, tbs.subjectPublicKeyInfo.algorithm.algorithm, der),
    signature: signatureInfo(sigOid, asn.signatureAlgorithm.parameters ?? null),
    basicConstraints: ext.basicConstraints,
    keyUsage: ext.keyUsage,
    extKeyUsage: ext.extKeyUsage,
    subjectKeyId: ext.subjectKeyId,
    authorityKeyId: ext.authorityKeyId,
    aia: ext.aia,
    crlDistributionPoints: ext.crl,
    selfIssued: subject.key === issuer.key,
    mustStaple: ext.mustStaple,
    extensionProblems: ext.problems,
    fingerprintSha256: node.fingerprint256,
    fingerprintSha1: node.fingerprint,
  };
}

function reason(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return displaySafe(m.split('\n')[0] ?? m, 160);
}

interface ExtensionValues {
  san: Certificate['san'];
  basicConstraints: Certificate['basicConstraints'];
  keyUsage: KeyUsageName[] | null;
  extKeyUsage: string[] | null;
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  aia: { ocsp: string[]; caIssuers: string[] };
  crl: string[];
  mustStaple: boolean;
  problems: ExtensionProblem[];
}

function readExtensions(asn: AsnCertificate): ExtensionValues {
  const out: ExtensionValues = {
    san: null,
    basicConstraints: null,
    keyUsage: null,
    extKeyUsage: null,
    subjectKeyId: null,
    authorityKeyId: null,
    aia: { ocsp: [], caIssuers: [] },
    crl: [],
    mustStaple: false,
    problems: [],
  };
  const seen = new Set<string>();
  for (const e of asn.tbsCertificate.extensions ?? []) {
    const oid = e.extnID;
    if (seen.has(oid)) {
      out.problems.push({ oid, critical: e.critical, problem: 'duplicate', message: `extension ${oid} appears twice` });
      continue;
    }
    seen.add(oid);
    if (!KNOWN_EXTENSIONS.has(oid) && e.critical) {
      out.problems.push({
        oid,
        critical: true,
        problem: 'unknown-critical',
        message: `critical extension ${oid} is not understood by TLS clients`,
      });
      continue;
    }
    const value = e.extnValue.buffer;
    try {
      readExtension(oid, e.critical, value, out);
    } catch (err) {
      out.problems.push({ oid, critical: e.critical, problem: 'unparsable', message: `extension ${oid} cannot be read (${reason(err)})` });
    }
  }
  return out;
}

function readExtension(oid: string, critical: boolean, value: ArrayBuffer, out: ExtensionValues): void {
  switch (oid) {
    case OID.subjectAltName: {
      const names = AsnConvert.parse(value, SubjectAlternativeName);
      const san = { dns: [] as string[], ip: [] as string[], email: [] as string[], uri: [] as string[], other: 0 };
      for (const n of names) {
        if (n.dNSName !== undefined) san.dns.push(n.dNSName);
        else if (n.iPAddress !== undefined) san.ip.push(n.iPAddress);
        else if (n.rfc822Name !== undefined) san.email.push(n.rfc822Name);
        else if (n.uniformResourceIdentifier !== undefined) san.uri.push(n.uniformResourceIdentifier);
        else san.other++;
      }
      out.san = san;
      return;
    }
    case OID.basicConstraints: {
      const bc = AsnConvert.parse(value, BasicConstraints);
      out.basicConstraints = { ca: bc.cA, pathLen: bc.pathLenConstraint ?? null, critical };
      return;
    }
    case OID.keyUsage: {
      const ku = AsnConvert.parse(value, KeyUsage);
      const names = new Set(ku.toJSON().map((k) => (k === ('crlSign' as string) ? 'cRLSign' : k) as KeyUsageName));
      // In RFC 5280 bit order, as OpenSSL, certutil and Keychain Access list them.
      out.keyUsage = KEY_USAGE_ORDER.filter((k) => names.has(k));
      return;
    }
    case OID.extKeyUsage: {
      const eku = AsnConvert.parse(value, ExtendedKeyUsage);
      out.extKeyUsage = eku.map((o) => EXTENDED_KEY_USAGES[o] ?? o);
      return;
    }
    case OID.subjectKeyIdentifier: {
      const ski = AsnConvert.parse(value, SubjectKeyIdentifier);
      out.subjectKeyId = Buffer.from(ski.buffer).toString('hex');
      return;
    }
    case OID.authorityKeyIdentifier: {
      const aki = AsnConvert.parse(value, AuthorityKeyIdentifier);
      out.authorityKeyId = aki.keyIdentifier ? Buffer.from(aki.keyIdentifier.buffer).toString('hex') : null;
      return;
    }
    case OID.authorityInfoAccess: {
      const aia = AsnConvert.parse(value, AuthorityInfoAccessSyntax);
      for (const d of aia) {
        const uri = d.accessLocation.uniformResourceIdentifier;
        if (uri === undefined) continue;
        if (d.accessMethod === OID.ocspAccess) out.aia.ocsp.push(uri);
        else if (d.accessMethod === OID.caIssuersAccess) out.aia.caIssuers.push(uri);
      }
      return;
    }
    case OID.crlDistributionPoints: {
      const dps = AsnConvert.parse(value, CRLDistributionPoints);
      for (const dp of dps) {
        for (const n of dp.distributionPoint?.fullName ?? ([] as GeneralName[])) {
          if (n.uniformResourceIdentifier !== undefined) out.crl.push(n.uniformResourceIdentifier);
        }
      }
      return;
    }
    case OID.tlsFeature: {
      // TLSFeature ::= SEQUENCE OF INTEGER; status_request (5) means "must staple".
      const bytes = Buffer.from(value);
      out.mustStaple = bytes.length >= 5 && bytes.includes(0x05, 2);
      return;
    }
    default:
      return;
  }
}

function publicKeyInfo(node: X509Certificate, spkiOid: string, der: Buffer): Certificate['publicKey'] {
  let type: string = spkiOid;
  let bits: number | null = null;
  let curve: string | null = null;
  let spki: Buffer;
  try {
    const key = node.publicKey;
    const details = key.asymmetricKeyDetails ?? {};
    switch (key.asymmetricKeyType) {
      case 'rsa':
        type = 'RSA';
        break;
      case 'rsa-pss':
        type = 'RSA-PSS';
        break;
      case 'ec':
        type = 'EC';
        break;
      case 'ed25519':
        type = 'Ed25519';
        break;
      case 'ed448':
        type = 'Ed448';
        break;
      case 'dsa':
        type = 'DSA';
        break;
      default:
        type = key.asymmetricKeyType ?? spkiOid;
    }
    bits = details.modulusLength ?? null;
    curve = details.namedCurve ?? null;
    if (type === 'EC' && curve) bits = EC_BITS[curve] ?? null;
    if (type === 'Ed25519') bits = 256;
    if (type === 'Ed448') bits = 456;
    spki = key.export({ type: 'spki', format: 'der' });
  } catch {
    // A key OpenSSL cannot load: keep the algorithm OID and hash the whole certificate instead.
    spki = der;
  }
  return {
    type,
    bits,
    curve,
    spkiSha256: createHash('sha256').update(spki).digest('base64'),
    spkiSha512: createHash('sha512').update(spki).digest('base64'),
  };
}

const EC_BITS: Readonly<Record<string, number>> = {
  prime256v1: 256,
  'P-256': 256,
  secp384r1: 384,
  'P-384': 384,
  secp521r1: 521,
  'P-521': 521,
  secp224r1: 224,
  secp192r1: 192,
  prime192v1: 192,
  secp256k1: 256,
};

function signatureInfo(oid: string, params: ArrayBuffer | null): Certificate['signature'] {
  const known = SIGNATURE_ALGORITHMS[oid];
  if (oid === OID.rsassaPss) {
    let hash = 'sha1'; // RFC 4055 default when the parameters leave it out
    try {
      if (params) {
        // Loaded only for a PSS signature: asn1-rsa's schemas cost start-up time.
        const { RsaSaPssParams } = require('@peculiar/asn1-rsa') as typeof import('@peculiar/asn1-rsa');
        const p = AsnConvert.parse(params, RsaSaPssParams);
        hash = HASH_ALGORITHMS[p.hashAlgorithm.algorithm] ?? p.hashAlgorithm.algorithm;
      }
    } catch {
      hash = 'unknown';
    }
    return { oid, name: `RSASSA-PSS (${hash})`, hash };
  }
  return { oid, name: known?.name ?? oid, hash: known ? known.hash : 'unknown' };
}

/** Does `child` carry a signature that `issuer`'s key verifies? */
export function signatureVerifies(child: Certificate, issuer: Certificate): boolean {
  try {
    return child.node.verify(issuer.node.publicKey);
  } catch {
    return false;
  }
}
