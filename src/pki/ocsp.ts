/**
 * OCSP (RFC 6960) without the network: build a request for one certificate, and read
 * and verify a response — who signed it, for which certificate, what it says. Judging
 * whether the answer is still current is left to the caller, who knows the true time.
 */
import { createHash } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  BasicOCSPResponse,
  CertID,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  Request,
  TBSRequest,
  id_pkix_ocsp_basic,
  id_pkix_ocsp_nonce,
  type SingleResponse,
} from '@peculiar/asn1-ocsp';
import { AlgorithmIdentifier, Certificate as AsnCertificate, Extension } from '@peculiar/asn1-x509';
import { parseCertificate, signatureVerifies, type Certificate } from './certificate';
import { fromAsnName } from './names';
import { HASH_ALGORITHMS } from './oids';
import { reasonName, type RevocationReason } from './revocation';
import { verifySignature } from './signature';

const SHA1_OID = '1.3.14.3.2.26';
const DER_NULL = new Uint8Array([0x05, 0x00]).buffer;

/**
 * Requests whose base64 form is at most this long go by GET (RFC 5019 §5: cacheable by
 * CDNs in front of public responders); longer ones by POST.
 */
export const OCSP_GET_MAX_CHARS = 255;

/** Hashes of the issuer's name and key that identify a certificate to a responder. */
function certIdParts(cert: Certificate, issuer: Certificate, hash: string): { nameHash: Buffer; keyHash: Buffer } {
  const asnCert = AsnConvert.parse(cert.der, AsnCertificate);
  const asnIssuer = AsnConvert.parse(issuer.der, AsnCertificate);
  // RFC 6960 §4.1.1: the hash of the DER issuer name in the certificate being checked,
  // and of the issuer's public key BIT STRING value (without tag, length and unused bits).
  const nameDer = Buffer.from(AsnConvert.serialize(asnCert.tbsCertificate.issuer));
  const keyBits = Buffer.from(asnIssuer.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey);
  return {
    nameHash: createHash(hash).update(nameDer).digest(),
    keyHash: createHash(hash).update(keyBits).digest(),
  };
}

/** SHA-1 of a certificate's public key bits: what a ResponderID `byKey` holds. */
function keyIdOf(cert: Certificate): Buffer {
  const asn = AsnConvert.parse(cert.der, AsnCertificate);
  return createHash('sha1').update(Buffer.from(asn.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey)).digest();
}

/** The DER OCSPRequest for `cert`, with a SHA-1 CertID as every responder understands. */
export function buildOcspRequest(cert: Certificate, issuer: Certificate, opts: { nonce?: Buffer } = {}): Buffer {
  const { nameHash, keyHash } = certIdParts(cert, issuer, 'sha1');
  const reqCert = new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA1_OID, parameters: DER_NULL }),
    issuerNameHash: new OctetString(nameHash),
    issuerKeyHash: new OctetString(keyHash),
    serialNumber: new Uint8Array(Buffer.from(cert.serialNumber, 'hex')).buffer,
  });
  const tbsRequest = new TBSRequest({ requestList: [new Request({ reqCert })] });
  if (opts.nonce) {
    tbsRequest.requestExtensions = [
      new Extension({ extnID: id_pkix_ocsp_nonce, critical: false, extnValue: new OctetString(AsnConvert.serialize(new OctetString(opts.nonce))) }),
    ];
  }
  return Buffer.from(AsnConvert.serialize(new OCSPRequest({ tbsRequest })));
}

/** How to send `request` to `responderUrl`: GET with the request in the path when short, else POST. */
export function ocspHttpRequest(
  responderUrl: string,
  request: Buffer,
  getMaxChars = OCSP_GET_MAX_CHARS,
): { method: 'GET'; url: string } | { method: 'POST'; url: string; body: Buffer } {
  const b64 = request.toString('base64');
  if (b64.length <= getMaxChars) {
    const sep = responderUrl.endsWith('/') ? '' : '/';
    return { method: 'GET', url: `${responderUrl}${sep}${encodeURIComponent(b64)}` };
  }
  return { method: 'POST', url: responderUrl, body: request };
}

export type OcspCertStatus = 'good' | 'revoked' | 'unknown';

export interface OcspAnswer {
  readonly certStatus: OcspCertStatus;
  readonly revokedAt: Date | null;
  /** Null when the responder gave no reason. */
  readonly reason: RevocationReason | null;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | null;
  readonly producedAt: Date;
  /** Who signed: the issuer itself, or a responder certificate the issuer delegated to. */
  readonly signer: {
    readonly kind: 'issuer' | 'delegated';
    readonly subject: string;
    /** The delegated responder certificate's own validity, for the caller to judge. */
    readonly notBefore: Date | null;
    readonly notAfter: Date | null;
  };
  readonly nonce: 'matched' | 'absent' | 'not-sent';
}

export type OcspProblem =
  /** Not an OCSP response at all (garbage, an HTML page). */
  | 'malformed'
  /** The responder answered with an error status (malformedRequest, tryLater, unauthorized …). */
  | 'responder-error'
  | 'not-basic'
  /** No SingleResponse for this certificate (wrong serial or wrong issuer). */
  | 'no-matching-response'
  | 'bad-signature'
  | 'unsupported-algorithm'
  /** Signed by a certificate that may not speak for this issuer. */
  | 'responder-not-authorized'
  | 'nonce-mismatch';

export type OcspVerification =
  | { readonly ok: true; readonly answer: OcspAnswer }
  | { readonly ok: false; readonly problem: OcspProblem; readonly message: string; readonly responderStatus?: string };

const RESPONSE_STATUS: Readonly<Record<number, string>> = {
  [OCSPResponseStatus.successful]: 'successful',
  [OCSPResponseStatus.malformedRequest]: 'malformedRequest',
  [OCSPResponseStatus.internalError]: 'internalError',
  [OCSPResponseStatus.tryLater]: 'tryLater',
  [OCSPResponseStatus.sigRequired]: 'sigRequired',
  [OCSPResponseStatus.unauthorized]: 'unauthorized',
};

function fail(problem: OcspProblem, message: string, responderStatus?: string): OcspVerification {
  return responderStatus ? { ok: false, problem, message, responderStatus } : { ok: false, problem, message };
}

/**
 * Reads an OCSP response and checks that it speaks about `cert` and is signed by its
 * issuer or by a responder the issuer delegated to (id-kp-OCSPSigning, RFC 6960 §4.2.2.2).
 * `nonce`: the nonce sent, if any; a response that echoes a different one is refused.
 */
export function verifyOcspResponse(der: Buffer, cert: Certificate, issuer: Certificate, opts: { nonce?: Buffer } = {}): OcspVerification {
  let response: OCSPResponse;
  try {
    response = AsnConvert.parse(der, OCSPResponse);
  } catch {
    return fail('malformed', `not an OCSP response (${der.length} bytes${looksLikeHtml(der) ? ', a web page' : ''})`);
  }
  const status = RESPONSE_STATUS[response.responseStatus] ?? `status ${response.responseStatus}`;
  if (response.responseStatus !== OCSPResponseStatus.successful) {
    return fail('responder-error', `the responder answered “${status}”`, status);
  }
  if (!response.responseBytes || response.responseBytes.responseType !== id_pkix_ocsp_basic) {
    return fail('not-basic', `the response is not a basic OCSP response (${response.responseBytes?.responseType ?? 'no content'})`);
  }
  let basic: BasicOCSPResponse;
  try {
    basic = AsnConvert.parse(response.responseBytes.response.buffer, BasicOCSPResponse);
  } catch {
    return fail('malformed', 'the basic OCSP response cannot be read');
  }
  const data = basic.tbsResponseData;
  const single = findSingleResponse(data.responses, cert, issuer);
  if (!single) {
    const serials = data.responses.map((r) => Buffer.from(r.certID.serialNumber).toString('hex')).join(', ') || 'none';
    return fail('no-matching-response', `the response is not about this certificate (serial ${cert.serialNumber}; the response covers ${serials})`);
  }

  const signer = findSigner(basic, issuer);
  if ('problem' in signer) return fail(signer.problem, signer.message);
  if (!basic.tbsResponseDataRaw) return fail('malformed', 'the signed part of the response cannot be located');
  const sigProblem = verifySignature(Buffer.from(basic.tbsResponseDataRaw), basic.signatureAlgorithm, Buffer.from(basic.signature), signer.cert.node.publicKey);
  if (sigProblem === 'unsupported-algorithm') {
    return fail('unsupported-algorithm', `the response is signed with an algorithm this tool cannot check (${basic.signatureAlgorithm.algorithm})`);
  }
  if (sigProblem) {
    return fail('bad-signature', `the response’s signature does not verify with the key of ${signer.kind === 'issuer' ? 'the issuer' : 'the responder certificate'} “${signer.cert.subject.text}”`);
  }

  let nonce: OcspAnswer['nonce'] = 'not-sent';
  if (opts.nonce) {
    const echoed = (data.responseExtensions ?? []).find((e) => e.extnID === id_pkix_ocsp_nonce);
    if (!echoed) nonce = 'absent';
    else {
      const value = nonceValue(Buffer.from(echoed.extnValue.buffer));
      if (!value.equals(opts.nonce)) return fail('nonce-mismatch', 'the response carries another request’s nonce (a replayed or cached answer)');
      nonce = 'matched';
    }
  }

  const st = single.certStatus;
  // CertStatus is a CHOICE of NULLs: which member was present, not its value, decides.
  const has = (k: 'good' | 'revoked' | 'unknown'): boolean => Object.prototype.hasOwnProperty.call(st, k) && st[k] !== undefined;
  const certStatus: OcspCertStatus | null = has('revoked') ? 'revoked' : has('unknown') ? 'unknown' : has('good') ? 'good' : null;
  if (!certStatus) return fail('malformed', 'the response gives no status for the certificate');
  const revokedAt = st.revoked ? st.revoked.revocationTime : null;
  const reasonCode = st.revoked?.revocationReason?.reason;
  return {
    ok: true,
    answer: {
      certStatus,
      revokedAt,
      reason: reasonCode === undefined ? null : reasonName(reasonCode),
      thisUpdate: single.thisUpdate,
      nextUpdate: single.nextUpdate ?? null,
      producedAt: data.producedAt,
      signer: {
        kind: signer.kind,
        subject: signer.cert.subject.text,
        notBefore: signer.kind === 'delegated' ? signer.cert.notBefore : null,
        notAfter: signer.kind === 'delegated' ? signer.cert.notAfter : null,
      },
      nonce,
    },
  };
}

/**
 * The SingleResponse about `cert`. Serial and issuer key hash must match; a differing
 * name hash alone is accepted, because it can only come from a different encoding of
 * the same name (the key hash already pins the issuer).
 */
function findSingleResponse(responses: readonly SingleResponse[], cert: Certificate, issuer: Certificate): SingleResponse | undefined {
  const serial = stripLeadingZeros(Buffer.from(cert.serialNumber, 'hex'));
  const byHash = new Map<string, { nameHash: Buffer; keyHash: Buffer }>();
  return responses.find((r) => {
    if (!stripLeadingZeros(Buffer.from(r.certID.serialNumber)).equals(serial)) return false;
    const hash = HASH_ALGORITHMS[r.certID.hashAlgorithm.algorithm];
    if (!hash || hash === 'md5') return false;
    let parts = byHash.get(hash);
    if (!parts) {
      parts = certIdParts(cert, issuer, hash);
      byHash.set(hash, parts);
    }
    return Buffer.from(r.certID.issuerKeyHash.buffer).equals(parts.keyHash);
  });
}

type Signer = { kind: 'issuer' | 'delegated'; cert: Certificate } | { problem: OcspProblem; message: string };

function findSigner(basic: BasicOCSPResponse, issuer: Certificate): Signer {
  const rid = basic.tbsResponseData.responderID;
  const matches = (c: Certificate): boolean => {
    if (rid.byName) return fromAsnName(rid.byName).key === c.subject.key;
    if (rid.byKey) return Buffer.from(rid.byKey.buffer).equals(keyIdOf(c));
    return false;
  };
  if (matches(issuer)) return { kind: 'issuer', cert: issuer };
  const included: Certificate[] = [];
  for (const asn of basic.certs ?? []) {
    try {
      included.push(parseCertificate(Buffer.from(AsnConvert.serialize(asn))));
    } catch {
      // an unreadable extra certificate cannot be the signer
    }
  }
  const responder = included.find(matches);
  const who = rid.byName ? `“${fromAsnName(rid.byName).text}”` : `the key ${rid.byKey ? Buffer.from(rid.byKey.buffer).toString('hex') : '?'}`;
  if (!responder) {
    return { problem: 'responder-not-authorized', message: `the response is signed by ${who}, which is neither the issuer “${issuer.subject.text}” nor a responder certificate included in the response` };
  }
  // Same key as the issuer under another certificate (a re-issued CA): the issuer speaking.
  if (responder.publicKey.spkiSha256 === issuer.publicKey.spkiSha256) return { kind: 'issuer', cert: responder };
  if (!signatureVerifies(responder, issuer)) {
    return { problem: 'responder-not-authorized', message: `the responder certificate “${responder.subject.text}” was not issued by “${issuer.subject.text}”` };
  }
  if (!(responder.extKeyUsage ?? []).includes('OCSPSigning')) {
    return { problem: 'responder-not-authorized', message: `the responder certificate “${responder.subject.text}” lacks the OCSP Signing extended key usage` };
  }
  return { kind: 'delegated', cert: responder };
}

/** The nonce extension holds an OCTET STRING; some responders put the raw bytes instead. */
function nonceValue(extnValue: Buffer): Buffer {
  try {
    return Buffer.from(AsnConvert.parse(extnValue, OctetString).buffer);
  } catch {
    return extnValue;
  }
}

function stripLeadingZeros(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

function looksLikeHtml(b: Buffer): boolean {
  return /^\s*</.test(b.subarray(0, 64).toString('latin1'));
}
