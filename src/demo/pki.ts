import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as x509 from '@peculiar/asn1-x509';
import { toPem } from '../pki/pem';

/**
 * Certificates for the demo gateways, made at run time (nothing is read from disk, so
 * the single binary can run the demo anywhere). ECDSA P-256 keys are instant to make;
 * certificates are built with @peculiar/asn1-x509 and signed by Node's crypto.
 */
export interface DemoCert {
  readonly der: Buffer;
  readonly pem: string;
  readonly key: KeyObject;
  readonly keyPem: string;
  readonly subject: x509.Name;
  readonly keyId: Buffer;
}

export interface DemoCertOptions {
  readonly cn: string;
  readonly o?: string;
  readonly isCa: boolean;
  readonly dns?: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly caIssuersUrl?: string;
}

const ECDSA_SHA256 = '1.2.840.10045.4.3.2';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

function name(cn: string, o?: string): x509.Name {
  const rdn = (type: string, value: string): x509.RelativeDistinguishedName =>
    new x509.RelativeDistinguishedName([new x509.AttributeTypeAndValue({ type, value: new x509.AttributeValue({ utf8String: value }) })]);
  return new x509.Name([...(o ? [rdn('2.5.4.10', o)] : []), rdn('2.5.4.3', cn)]);
}

function extension(extnID: string, critical: boolean, value: unknown): x509.Extension {
  return new x509.Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

/** Issues a certificate; `issuer` null makes it self-signed. */
export function issueDemoCert(issuer: DemoCert | null, opts: DemoCertOptions): DemoCert {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spkiDer = publicKey.export({ type: 'spki', format: 'der' });
  const spki = AsnConvert.parse(spkiDer, x509.SubjectPublicKeyInfo);
  const keyId = createHash('sha1').update(Buffer.from(spki.subjectPublicKey)).digest();
  const subject = name(opts.cn, opts.o);
  const serial = randomBytes(12);
  serial[0] = (serial[0]! & 0x7f) | 0x10;
  const algorithm = new x509.AlgorithmIdentifier({ algorithm: ECDSA_SHA256 });
  const exts: x509.Extension[] = [
    extension(x509.id_ce_basicConstraints, true, new x509.BasicConstraints(opts.isCa ? { cA: true } : {})),
    extension(
      x509.id_ce_keyUsage,
      true,
      new x509.KeyUsage(opts.isCa ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature),
    ),
    extension(x509.id_ce_subjectKeyIdentifier, false, new x509.SubjectKeyIdentifier(keyId)),
    extension(x509.id_ce_authorityKeyIdentifier, false, new x509.AuthorityKeyIdentifier({ keyIdentifier: new x509.KeyIdentifier(issuer ? issuer.keyId : keyId) })),
  ];
  if (!opts.isCa) {
    exts.push(extension(x509.id_ce_extKeyUsage, false, new x509.ExtendedKeyUsage([SERVER_AUTH])));
    exts.push(extension(x509.id_ce_subjectAltName, false, new x509.SubjectAlternativeName((opts.dns ?? [opts.cn]).map((d) => new x509.GeneralName({ dNSName: d })))));
  }
  if (opts.caIssuersUrl) {
    exts.push(
      extension(
        x509.id_pe_authorityInfoAccess,
        false,
        new x509.AuthorityInfoAccessSyntax([
          new x509.AccessDescription({ accessMethod: x509.id_ad_caIssuers, accessLocation: new x509.GeneralName({ uniformResourceIdentifier: opts.caIssuersUrl }) }),
        ]),
      ),
    );
  }
  const tbs = new x509.TBSCertificate({
    version: x509.Version.v3,
    serialNumber: new Uint8Array(serial).buffer,
    signature: algorithm,
    issuer: issuer ? issuer.subject : subject,
    validity: new x509.Validity({ notBefore: opts.notBefore, notAfter: opts.notAfter }),
    subject,
    subjectPublicKeyInfo: spki,
    extensions: new x509.Extensions(exts),
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signature = sign('sha256', tbsDer, issuer ? issuer.key : privateKey);
  const cert = new x509.Certificate({ tbsCertificate: tbs, signatureAlgorithm: algorithm, signatureValue: new Uint8Array(signature).buffer });
  const der = Buffer.from(AsnConvert.serialize(cert));
  return {
    der,
    pem: toPem(der),
    key: privateKey,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    subject,
    keyId,
  };
}
