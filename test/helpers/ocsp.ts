/**
 * OCSP for the tests: responses made per test (good, revoked, unknown, signed by the
 * wrong key, outdated, from a delegated responder), a loopback responder that answers
 * whatever a test tells it, and the real `openssl ocsp` responder on a CA database.
 */
import { createHash, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import * as path from 'node:path';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  BasicOCSPResponse,
  CertID,
  CertStatus,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  ResponderID,
  ResponseBytes,
  ResponseData,
  RevokedInfo,
  SingleResponse,
  id_pkix_ocsp_basic,
  id_pkix_ocsp_nonce,
} from '@peculiar/asn1-ocsp';
import { AlgorithmIdentifier, CRLReason, Certificate as AsnCertificate, Extension } from '@peculiar/asn1-x509';
import { minimalSerial, writeOpensslIndex } from './crl';
import { spawnOpenssl } from './openssl';
import type { Issued, KeyPair } from './pki';
import type { Running } from './servers';
import { startHttpServer, type HttpServer } from './servers';

const SHA1 = '1.3.14.3.2.26';
const SHA256_RSA = '1.2.840.113549.1.1.11';
const DER_NULL = new Uint8Array([0x05, 0x00]).buffer;

export interface OcspAnswerSpec {
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly revokedAt?: Date;
  /** CRLReason code (1 keyCompromise, 4 superseded …). */
  readonly reason?: number;
  readonly thisUpdate?: Date;
  /** null: no nextUpdate. Default: in one day. */
  readonly nextUpdate?: Date | null;
}

export interface OcspResponseOptions extends OcspAnswerSpec {
  /** The CA the answer is about (its name and key make the CertID). */
  readonly issuer: Issued;
  /** The certificate's serial (hex), unless `certId` is given. */
  readonly serialHex?: string;
  /** Echo this CertID (from a request). */
  readonly certId?: CertID;
  /** Who signs: the issuer (default) or a delegated responder certificate, included in the response. */
  readonly signer?: Issued;
  /** Sign with another key than the signer's (a response that does not verify). */
  readonly signWith?: KeyPair;
  readonly nonce?: Buffer;
  readonly responseStatus?: OCSPResponseStatus;
}

function asn(cert: Issued): AsnCertificate {
  return AsnConvert.parse(cert.der, AsnCertificate);
}

export function certIdFor(issuer: Issued, serialHex: string): CertID {
  const a = asn(issuer);
  const sha1 = (b: ArrayBuffer): Buffer => createHash('sha1').update(Buffer.from(b)).digest();
  return new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA1, parameters: DER_NULL }),
    issuerNameHash: new OctetString(sha1(AsnConvert.serialize(a.tbsCertificate.subject))),
    issuerKeyHash: new OctetString(sha1(a.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey)),
    serialNumber: new Uint8Array(Buffer.from(serialHex, 'hex')).buffer,
  });
}

/** A DER OCSPResponse. */
export function ocspResponse(opts: OcspResponseOptions): Buffer {
  if (opts.responseStatus !== undefined && opts.responseStatus !== OCSPResponseStatus.successful) {
    return Buffer.from(AsnConvert.serialize(new OCSPResponse({ responseStatus: opts.responseStatus })));
  }
  const now = Date.now();
  const signer = opts.signer ?? opts.issuer;
  const certStatus =
    opts.status === 'good'
      ? new CertStatus({ good: null })
      : opts.status === 'unknown'
        ? new CertStatus({ unknown: null })
        : new CertStatus({
            revoked: new RevokedInfo({
              revocationTime: opts.revokedAt ?? new Date(now - 86_400_000),
              ...(opts.reason === undefined ? {} : { revocationReason: new CRLReason(opts.reason) }),
            }),
          });
  const single = new SingleResponse({
    certID: opts.certId ?? certIdFor(opts.issuer, opts.serialHex ?? '01'),
    certStatus,
    thisUpdate: opts.thisUpdate ?? new Date(now - 60_000),
    ...(opts.nextUpdate === null ? {} : { nextUpdate: opts.nextUpdate ?? new Date(now + 86_400_000) }),
  });
  const data = new ResponseData({
    responderID: new ResponderID({ byName: asn(signer).tbsCertificate.subject }),
    producedAt: new Date(now),
    responses: [single],
    ...(opts.nonce
      ? { responseExtensions: [new Extension({ extnID: id_pkix_ocsp_nonce, extnValue: new OctetString(AsnConvert.serialize(new OctetString(opts.nonce))) })] }
      : {}),
  });
  const tbs = Buffer.from(AsnConvert.serialize(data));
  const signature = sign('sha256', tbs, (opts.signWith ?? signer.key).privateKeyPem);
  const basic = new BasicOCSPResponse({
    tbsResponseData: data,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: SHA256_RSA, parameters: DER_NULL }),
    signature: new Uint8Array(signature).buffer,
    ...(signer !== opts.issuer ? { certs: [asn(signer)] } : {}),
  });
  return Buffer.from(
    AsnConvert.serialize(
      new OCSPResponse({
        responseStatus: OCSPResponseStatus.successful,
        responseBytes: new ResponseBytes({ responseType: id_pkix_ocsp_basic, response: new OctetString(AsnConvert.serialize(basic)) }),
      }),
    ),
  );
}

export interface OcspResponderOptions {
  readonly issuer: Issued;
  /** The answer per serial (hex, as the PKI factory gives it); a serial not listed is answered `unknown`. */
  readonly answers: Map<string, OcspAnswerSpec>;
  readonly signer?: Issued;
  readonly signWith?: KeyPair;
}

export interface OcspResponder extends Omit<HttpServer, 'requests'> {
  /** Each request: HTTP method and the serial asked about. */
  readonly requests: Array<{ method: string; serial: string }>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** An OCSP responder on loopback that answers from `answers`, signed as told. */
export async function startOcspResponder(opts: OcspResponderOptions): Promise<OcspResponder> {
  const requests: Array<{ method: string; serial: string }> = [];
  const server = await startHttpServer((req, res) => {
    void (async () => {
      const der = req.method === 'POST' ? await readBody(req) : Buffer.from(decodeURIComponent((req.url ?? '/').replace(/^.*\//, '')), 'base64');
      let request: OCSPRequest;
      try {
        request = AsnConvert.parse(der, OCSPRequest);
      } catch {
        res.writeHead(200, { 'content-type': 'application/ocsp-response' });
        res.end(ocspResponse({ issuer: opts.issuer, status: 'unknown', responseStatus: OCSPResponseStatus.malformedRequest }));
        return;
      }
      const certId = request.tbsRequest.requestList[0]!.reqCert;
      const serial = Buffer.from(certId.serialNumber).toString('hex');
      requests.push({ method: req.method ?? '?', serial });
      const nonceExt = request.tbsRequest.requestExtensions?.find((e) => e.extnID === id_pkix_ocsp_nonce);
      const nonce = nonceExt ? Buffer.from(AsnConvert.parse(nonceExt.extnValue.buffer, OctetString).buffer) : undefined;
      const answer = [...opts.answers].find(([k]) => minimalSerial(k) === minimalSerial(serial))?.[1] ?? { status: 'unknown' as const };
      res.writeHead(200, { 'content-type': 'application/ocsp-response' });
      res.end(ocspResponse({ ...answer, issuer: opts.issuer, certId, signer: opts.signer, signWith: opts.signWith, nonce }));
    })();
  });
  return Object.assign(server, { requests });
}

export interface OpensslOcspOptions {
  readonly dir: string;
  /** The port the certificates' OCSP URL names (e.g. from closedPort()). */
  readonly port: number;
  readonly ca: Issued;
  /** The responder's certificate and key (default: the CA itself). */
  readonly signer?: Issued;
  /** The CA database: revoked entries carry revokedAt (and a reason name). */
  readonly entries: ReadonlyArray<{ cert: Issued; revokedAt?: Date; reason?: string }>;
}

/**
 * The real `openssl ocsp` responder on a CA database (index.txt). It listens on every
 * address of `port`; certificates not in the index are answered `unknown`.
 */
export async function startOpensslOcsp(opts: OpensslOcspOptions): Promise<Running> {
  const tag = `${opts.port}`;
  const index = writeOpensslIndex(path.join(opts.dir, `ocsp-index-${tag}.txt`), opts.entries);
  const signer = opts.signer ?? opts.ca;
  const files = { ca: path.join(opts.dir, `ocsp-ca-${tag}.pem`), rsigner: path.join(opts.dir, `ocsp-signer-${tag}.pem`), rkey: path.join(opts.dir, `ocsp-signer-${tag}.key`) };
  writeFileSync(files.ca, opts.ca.pem);
  writeFileSync(files.rsigner, signer.pem);
  writeFileSync(files.rkey, signer.keyPem);
  const args = ['ocsp', '-index', index, '-port', String(opts.port), '-rsigner', files.rsigner, '-rkey', files.rkey, '-CA', files.ca, '-ndays', '1', '-ignore_err'];
  return spawnOpenssl(args, 'waiting for OCSP client connections', opts.port);
}
