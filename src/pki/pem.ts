import { AsnConvert } from '@peculiar/asn1-schema';
import type { ContentInfo as CmsContentInfo } from '@peculiar/asn1-cms';

/**
 * The one entry for certificate bytes: PEM (one or many blocks, with or without text
 * around them) or a single DER certificate. Everything that reads certificates from a
 * file, a command's output or the network goes through here.
 */

/** Why certificate bytes were refused; `invalid`: a certificate that cannot be decoded. */
export type CertificateParseReason = 'bad-base64' | 'not-certificate' | 'no-pem-block' | 'not-pem-or-der' | 'pkcs7-empty' | 'pkcs7-unreadable' | 'invalid';

export class CertificateParseError extends Error {
  override readonly name = 'CertificateParseError';
  constructor(
    message: string,
    readonly reason: CertificateParseReason = 'invalid',
  ) {
    super(message);
  }
}

const PEM_BLOCK = /-----BEGIN (CERTIFICATE|TRUSTED CERTIFICATE|X509 CERTIFICATE)-----([\s\S]*?)-----END \1-----/g;

/** Splits certificate bytes into DER buffers. Throws CertificateParseError when none. */
export function splitCertificates(data: Buffer | string, what = 'the data'): Buffer[] {
  const text = typeof data === 'string' ? data : looksLikeText(data) ? data.toString('latin1') : null;
  if (text !== null && text.includes('-----BEGIN')) {
    const out: Buffer[] = [];
    for (const m of text.matchAll(PEM_BLOCK)) {
      const body = m[2]!.replace(/[\r\n\t ]/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) {
        throw new CertificateParseError(`${what} holds a PEM block that is not valid base64`, 'bad-base64');
      }
      const der = Buffer.from(body, 'base64');
      if (der.length === 0 || der[0] !== 0x30) {
        throw new CertificateParseError(`${what} holds a PEM block that is not a certificate`, 'not-certificate');
      }
      // A TRUSTED CERTIFICATE block carries OpenSSL's trust settings after the certificate.
      out.push(firstElement(der));
    }
    if (out.length === 0) throw new CertificateParseError(`${what} has no complete "BEGIN CERTIFICATE" block`, 'no-pem-block');
    return out;
  }
  const buf = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  if (buf.length > 0 && buf[0] === 0x30) return pkcs7Certificates(buf) ?? [firstElement(buf)];
  throw new CertificateParseError(`${what} is neither a PEM nor a DER certificate`, 'not-pem-or-der');
}

/**
 * Certificates in a PKCS#7 / CMS "certs-only" bundle (what AIA caIssuers URLs often
 * serve as .p7c), or null when `der` is not one.
 */
function pkcs7Certificates(der: Buffer): Buffer[] | null {
  // Loaded only for DER input: setting up asn1-cms's schemas costs more than the rest
  // of start-up, and PEM (trust stores, --ca-file) never needs it.
  const { ContentInfo, SignedData, id_signedData } = require('@peculiar/asn1-cms') as typeof import('@peculiar/asn1-cms');
  let info: CmsContentInfo;
  try {
    info = AsnConvert.parse(der, ContentInfo);
  } catch {
    return null;
  }
  if (info.contentType !== id_signedData) return null;
  try {
    const signed = AsnConvert.parse(info.content, SignedData);
    const out = (signed.certificates ?? [])
      .filter((c) => c.certificate)
      .map((c) => Buffer.from(AsnConvert.serialize(c.certificate)));
    if (out.length === 0) throw new CertificateParseError('the PKCS#7 bundle holds no certificates', 'pkcs7-empty');
    return out;
  } catch (err) {
    if (err instanceof CertificateParseError) throw err;
    throw new CertificateParseError('a PKCS#7 bundle that cannot be read', 'pkcs7-unreadable');
  }
}

/** The first DER element of `der` (a certificate), without whatever follows it. */
function firstElement(der: Buffer): Buffer {
  if (der.length < 2) return der;
  const first = der[1]!;
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 4 || der.length < 2 + n) return der;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + der[2 + i]!;
    header = 2 + n;
  }
  return header + length < der.length ? der.subarray(0, header + length) : der;
}

function looksLikeText(buf: Buffer): boolean {
  const head = buf.subarray(0, Math.min(buf.length, 4096)).toString('latin1');
  return head.includes('-----BEGIN');
}

/** A certificate as PEM text. */
export function toPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}
