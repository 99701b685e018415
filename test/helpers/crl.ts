/**
 * CRLs made per test, signed with the test PKI's keys: listing chosen serials with
 * chosen reasons and dates, or broken on purpose (wrong signing key, another issuer).
 * Built with @peculiar/asn1-x509 and signed with Node's crypto; `openssl ca -gencrl`
 * (see opensslCrl) makes the independent ones the parser is checked against.
 */
import { execFileSync } from 'node:child_process';
import { sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  CRLReason,
  Certificate as AsnCertificate,
  CertificateList,
  Extension,
  RevokedCertificate,
  TBSCertList,
  Time,
  Version,
  id_ce_cRLReasons,
  id_ce_deltaCRLIndicator,
} from '@peculiar/asn1-x509';
import type { Issued, KeyPair } from './pki';

const SHA256_RSA = '1.2.840.113549.1.1.11';
const DER_NULL = new Uint8Array([0x05, 0x00]).buffer;

export interface CrlEntrySpec {
  readonly serialHex: string;
  readonly revokedAt?: Date;
  /** CRLReason code (1 keyCompromise, 4 superseded …); none when omitted. */
  readonly reason?: number;
}

export interface CrlOptions {
  /** The CA whose name the CRL carries and whose key signs it. */
  readonly issuer: Issued;
  readonly entries?: readonly CrlEntrySpec[];
  readonly thisUpdate?: Date;
  /** null: no nextUpdate at all. */
  readonly nextUpdate?: Date | null;
  /** Sign with this key instead of the issuer's (a bad signature). */
  readonly signWith?: KeyPair;
  /** Mark it as a delta CRL. */
  readonly delta?: boolean;
}

/** A DER CRL. */
export function makeCrl(opts: CrlOptions): Buffer {
  const issuerAsn = AsnConvert.parse(opts.issuer.der, AsnCertificate);
  const now = Date.now();
  const alg = new AlgorithmIdentifier({ algorithm: SHA256_RSA, parameters: DER_NULL });
  const tbs = new TBSCertList({
    version: Version.v2,
    signature: alg,
    issuer: issuerAsn.tbsCertificate.subject,
    thisUpdate: new Time(opts.thisUpdate ?? new Date(now - 3_600_000)),
    ...(opts.nextUpdate === null ? {} : { nextUpdate: new Time(opts.nextUpdate ?? new Date(now + 7 * 86_400_000)) }),
  });
  if (opts.entries?.length) {
    tbs.revokedCertificates = opts.entries.map(
      (e) =>
        new RevokedCertificate({
          userCertificate: new Uint8Array(Buffer.from(e.serialHex, 'hex')).buffer,
          revocationDate: new Time(e.revokedAt ?? new Date(now - 86_400_000)),
          ...(e.reason === undefined
            ? {}
            : { crlEntryExtensions: [new Extension({ extnID: id_ce_cRLReasons, critical: false, extnValue: new OctetString(AsnConvert.serialize(new CRLReason(e.reason))) })] }),
        }),
    );
  }
  if (opts.delta) {
    // BaseCRLNumber ::= CRLNumber (INTEGER 1)
    tbs.crlExtensions = [new Extension({ extnID: id_ce_deltaCRLIndicator, critical: true, extnValue: new OctetString(new Uint8Array([0x02, 0x01, 0x01]).buffer) })];
  }
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signature = sign('sha256', tbsDer, (opts.signWith ?? opts.issuer.key).privateKeyPem);
  const list = new CertificateList({ tbsCertList: tbs, signatureAlgorithm: alg, signature: new Uint8Array(signature).buffer });
  return Buffer.from(AsnConvert.serialize(list));
}

export function crlPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN X509 CRL-----\n${b64}\n-----END X509 CRL-----\n`;
}

/** A serial's hex without leading zero bytes, as DER (and every responder) sees it. */
export function minimalSerial(hex: string): string {
  return hex.toLowerCase().replace(/^(00)+(?=[0-9a-f]{2})/, '');
}

/** Lines of an OpenSSL CA database (index.txt): one per certificate, revoked or valid. */
export function opensslIndex(entries: ReadonlyArray<{ cert: Issued; revokedAt?: Date; reason?: string }>): string {
  const t = (d: Date): string => d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return entries
    .map(({ cert, revokedAt, reason }) => {
      // OpenSSL looks serials up as BN_bn2hex prints them: no leading zero bytes.
      const serial = minimalSerial(cert.cert.serialNumber).toUpperCase();
      const expiry = t(cert.cert.validity.notAfter);
      const revoked = revokedAt ? `${t(revokedAt)}${reason ? `,${reason}` : ''}` : '';
      return `${revokedAt ? 'R' : 'V'}\t${expiry}\t${revoked}\t${serial}\tunknown\t/CN=${cert.name}\n`;
    })
    .join('');
}

/**
 * Writes an OpenSSL CA database at `file` (index.txt and its .attr, which lets several
 * certificates of one test share a subject); returns `file`.
 */
export function writeOpensslIndex(file: string, entries: Parameters<typeof opensslIndex>[0]): string {
  writeFileSync(file, opensslIndex(entries));
  writeFileSync(`${file}.attr`, 'unique_subject = no\n');
  return file;
}

/** A CRL made by `openssl ca -gencrl` from an index of revoked certificates (PEM). */
export function opensslCrl(dir: string, ca: Issued, revoked: ReadonlyArray<{ cert: Issued; revokedAt: Date; reason?: string }>): string {
  const index = writeOpensslIndex(path.join(dir, 'crl-index.txt'), revoked);
  writeFileSync(path.join(dir, 'crlnumber'), '01\n');
  writeFileSync(path.join(dir, 'crl-ca.pem'), ca.pem);
  writeFileSync(path.join(dir, 'crl-ca.key'), ca.keyPem);
  const cnf = path.join(dir, 'crl-ca.cnf');
  writeFileSync(
    cnf,
    [
      '[ ca ]',
      'default_ca = CA_default',
      '[ CA_default ]',
      `database = ${index}`,
      `crlnumber = ${path.join(dir, 'crlnumber')}`,
      `certificate = ${path.join(dir, 'crl-ca.pem')}`,
      `private_key = ${path.join(dir, 'crl-ca.key')}`,
      'default_md = sha256',
      'default_crl_days = 7',
      '',
    ].join('\n'),
  );
  return execFileSync('openssl', ['ca', '-config', cnf, '-gencrl', '-batch'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
