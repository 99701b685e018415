/**
 * Certificate revocation lists (RFC 5280 §5) without the network: read one (DER or
 * PEM), check that the certificate's issuer signed it and that it covers the
 * certificate, and look a serial number up. Whether the list is current is the
 * caller's judgement (it knows the true time): see `updateWindowAt`.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import * as asn1js from 'asn1js';
import {
  CRLReason,
  CertificateList,
  Extensions,
  IssuingDistributionPoint,
  RevokedCertificate,
  id_ce_cRLReasons,
  id_ce_certificateIssuer,
  id_ce_deltaCRLIndicator,
  id_ce_issuingDistributionPoint,
  type Extension,
} from '@peculiar/asn1-x509';
import type { Certificate } from './certificate';
import { fromAsnName, type DistinguishedName } from './names';
import { reasonName, type RevocationReason } from './revocation';
import { verifySignature } from './signature';

export class CrlParseError extends Error {
  override readonly name = 'CrlParseError';
}

export interface CrlEntry {
  /** Hex of the serial's two's-complement bytes, lower-case, no leading zero bytes. */
  readonly serial: string;
  readonly revokedAt: Date;
  readonly reason: RevocationReason | null;
}

export interface ParsedCrl {
  readonly issuer: DistinguishedName;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | null;
  readonly entries: readonly CrlEntry[];
  /** A delta CRL only lists changes since a base CRL; alone it proves nothing. */
  readonly isDelta: boolean;
  /** What this list covers when an issuing distribution point narrows it. */
  readonly scope: 'all' | 'user-certs' | 'ca-certs' | 'attribute-certs';
  /** Features this reader does not follow (indirect CRLs, partial reason sets, unknown critical extensions). */
  readonly unsupported: readonly string[];
  readonly asn: CertificateList;
}

const CRL_PEM = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/;
const KNOWN_CRL_EXTENSIONS = new Set(['2.5.29.20', '2.5.29.27', '2.5.29.28', '2.5.29.35', '2.5.29.46', '2.5.29.18']);
const KNOWN_ENTRY_EXTENSIONS = new Set(['2.5.29.21', '2.5.29.24', '2.5.29.29', '2.5.29.23']);

/** Reads a CRL in DER or PEM. Throws CrlParseError with a plain reason. */
export function parseCrl(data: Buffer): ParsedCrl {
  let der = data;
  const head = data.subarray(0, Math.min(data.length, 256)).toString('latin1');
  if (head.includes('-----BEGIN')) {
    const m = CRL_PEM.exec(data.toString('latin1'));
    if (!m) throw new CrlParseError('the file is PEM but holds no “X509 CRL” block');
    der = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
  } else if (/^\s*</.test(head)) {
    throw new CrlParseError('the address returned a web page, not a CRL — a captive portal or proxy may be in the way');
  }
  let asn: CertificateList;
  try {
    asn = AsnConvert.parse(der, CertificateList);
  } catch (err) {
    throw new CrlParseError(`not a valid CRL (${err instanceof Error ? (err.message.split('\n')[0] ?? '').slice(0, 120) : 'unreadable'})`);
  }
  const tbs = asn.tbsCertList;
  const tail = tbsTail(asn.tbsCertListRaw);
  if (!tail) throw new CrlParseError('not a valid CRL (its list of revoked certificates cannot be read)');
  const unsupported: string[] = [];
  let isDelta = false;
  let scope: ParsedCrl['scope'] = 'all';
  for (const e of tail.extensions) {
    if (e.extnID === id_ce_deltaCRLIndicator) isDelta = true;
    else if (e.extnID === id_ce_issuingDistributionPoint) {
      const idp = readIdp(e);
      if (!idp) unsupported.push('an unreadable issuing distribution point');
      else {
        if (idp.indirectCRL) unsupported.push('an indirect CRL');
        if (idp.onlySomeReasons) unsupported.push('a CRL limited to some revocation reasons');
        if (idp.onlyContainsUserCerts) scope = 'user-certs';
        else if (idp.onlyContainsCACerts) scope = 'ca-certs';
        else if (idp.onlyContainsAttributeCerts) scope = 'attribute-certs';
      }
    } else if (e.critical && !KNOWN_CRL_EXTENSIONS.has(e.extnID)) {
      unsupported.push(`the unknown critical extension ${e.extnID}`);
    }
  }
  const entries: CrlEntry[] = [];
  for (const r of tail.revoked) {
    let reason: RevocationReason | null = null;
    for (const e of r.crlEntryExtensions ?? []) {
      if (e.extnID === id_ce_cRLReasons) {
        try {
          reason = reasonName(AsnConvert.parse(e.extnValue.buffer, CRLReason).reason);
        } catch {
          reason = null;
        }
      } else if (e.extnID === id_ce_certificateIssuer) {
        if (!unsupported.includes('an indirect CRL')) unsupported.push('an indirect CRL');
      } else if (e.critical && !KNOWN_ENTRY_EXTENSIONS.has(e.extnID)) {
        unsupported.push(`the unknown critical entry extension ${e.extnID}`);
      }
    }
    entries.push({ serial: normalSerial(Buffer.from(r.userCertificate)), revokedAt: r.revocationDate.getTime(), reason });
  }
  return {
    issuer: fromAsnName(tbs.issuer),
    thisUpdate: tbs.thisUpdate.getTime(),
    nextUpdate: tbs.nextUpdate ? tbs.nextUpdate.getTime() : null,
    entries,
    isDelta,
    scope,
    unsupported: [...new Set(unsupported)],
    asn,
  };
}

/**
 * The optional end of TBSCertList (revokedCertificates, crlExtensions), read element by
 * element: the schema parser silently drops both when the optional nextUpdate is
 * absent, and a CRL that loses its entries would clear revoked certificates.
 */
function tbsTail(raw: ArrayBuffer | undefined): { revoked: RevokedCertificate[]; extensions: Extension[] } | null {
  if (!raw) return null;
  const decoded = asn1js.fromBER(raw);
  if (decoded.offset === -1 || !(decoded.result instanceof asn1js.Sequence)) return null;
  const items = decoded.result.valueBlock.value;
  const isTime = (e: asn1js.AsnType | undefined): boolean => e instanceof asn1js.UTCTime || e instanceof asn1js.GeneralizedTime;
  // version?, signature, issuer, thisUpdate, nextUpdate?, revokedCertificates?, [0] crlExtensions?
  let i = items.findIndex(isTime);
  if (i < 0) return null;
  i++;
  if (isTime(items[i])) i++;
  const bytes = (e: asn1js.AsnType): ArrayBuffer => e.valueBeforeDecodeView.slice().buffer;
  const out = { revoked: [] as RevokedCertificate[], extensions: [] as Extension[] };
  try {
    const list = items[i];
    if (list instanceof asn1js.Sequence) {
      out.revoked = list.valueBlock.value.map((e) => AsnConvert.parse(bytes(e), RevokedCertificate));
      i++;
    }
    const ext = items[i];
    if (ext && ext.idBlock.tagClass === 3 && ext.idBlock.tagNumber === 0 && ext instanceof asn1js.Constructed && ext.valueBlock.value[0]) {
      out.extensions = [...AsnConvert.parse(bytes(ext.valueBlock.value[0]), Extensions)];
    }
  } catch {
    return null;
  }
  return out;
}

function readIdp(e: Extension): IssuingDistributionPoint | null {
  try {
    return AsnConvert.parse(e.extnValue.buffer, IssuingDistributionPoint);
  } catch {
    return null;
  }
}

export type CrlProblem =
  /** Published by another CA than the certificate's issuer. */
  | 'issuer-mismatch'
  | 'bad-signature'
  | 'unsupported-algorithm'
  /** The issuer's key usage does not allow it to sign CRLs. */
  | 'issuer-cannot-sign-crls'
  | 'delta-crl'
  /** The list does not cover this kind of certificate, or uses features this reader does not follow. */
  | 'unsupported-crl';

export type CrlVerification = { readonly ok: true } | { readonly ok: false; readonly problem: CrlProblem; readonly message: string };

/** Checks that `crl` is the issuer's signed list and that it speaks about `cert`. */
export function verifyCrl(crl: ParsedCrl, cert: Certificate, issuer: Certificate): CrlVerification {
  if (crl.issuer.key !== cert.issuer.key) {
    return { ok: false, problem: 'issuer-mismatch', message: `the CRL is published by “${crl.issuer.text}”, not by the certificate’s issuer “${cert.issuer.text}”` };
  }
  if (crl.isDelta) return { ok: false, problem: 'delta-crl', message: 'the address serves a delta CRL, which only lists changes since a full CRL' };
  if (crl.unsupported.length) return { ok: false, problem: 'unsupported-crl', message: `the CRL uses ${crl.unsupported.join(', ')}, which this tool does not follow` };
  const isCa = cert.basicConstraints?.ca === true;
  if ((crl.scope === 'user-certs' && isCa) || (crl.scope === 'ca-certs' && !isCa) || crl.scope === 'attribute-certs') {
    return { ok: false, problem: 'unsupported-crl', message: `the CRL only covers ${crl.scope === 'user-certs' ? 'end-entity' : crl.scope === 'ca-certs' ? 'CA' : 'attribute'} certificates` };
  }
  if (issuer.keyUsage && !issuer.keyUsage.includes('cRLSign')) {
    return { ok: false, problem: 'issuer-cannot-sign-crls', message: `the issuer “${issuer.subject.text}” is not allowed to sign CRLs (its key usage lacks cRLSign)` };
  }
  const tbs = crl.asn.tbsCertListRaw;
  if (!tbs) return { ok: false, problem: 'bad-signature', message: 'the signed part of the CRL cannot be located' };
  const problem = verifySignature(Buffer.from(tbs), crl.asn.signatureAlgorithm, Buffer.from(crl.asn.signature), issuer.node.publicKey);
  if (problem === 'unsupported-algorithm') {
    return { ok: false, problem, message: `the CRL is signed with an algorithm this tool cannot check (${crl.asn.signatureAlgorithm.algorithm})` };
  }
  if (problem) return { ok: false, problem, message: `the CRL’s signature does not verify with the key of “${issuer.subject.text}”` };
  return { ok: true };
}

/**
 * The entry for a serial number (Certificate.serialNumber hex), or null when the list
 * does not name it. `removeFromCRL` only belongs in delta CRLs; in a full list it
 * means the certificate is no longer revoked (a released hold).
 */
export function lookupSerial(crl: ParsedCrl, serialHex: string): CrlEntry | null {
  const want = normalSerial(Buffer.from(serialHex, 'hex'));
  const entry = crl.entries.find((e) => e.serial === want);
  if (!entry || entry.reason === 'removeFromCRL') return null;
  return entry;
}

function normalSerial(b: Buffer): string {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i).toString('hex');
}
