/**
 * TLS server flights built byte by byte (TLS 1.2, RFC 5246 §6.2 and §7.4; the TLS 1.3
 * ServerHello, RFC 8446 §4.1.3), for peers that misbehave on purpose and for fuzzing the
 * reader of the server's bytes.
 */
import { randomBytes } from 'node:crypto';

/** One TLS record: type, version 3.3, 16-bit length, body. */
export function tlsRecord(type: number, body: Buffer): Buffer {
  const head = Buffer.from([type, 3, 3, 0, 0]);
  head.writeUInt16BE(body.length, 3);
  return Buffer.concat([head, body]);
}

/** One handshake message: type and 24-bit length. */
export function handshakeMessage(type: number, body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head[0] = type;
  head.writeUIntBE(body.length, 1, 3);
  return Buffer.concat([head, body]);
}

/** A TLS 1.2 ServerHello choosing ECDHE-RSA-AES128-GCM-SHA256, with renegotiation_info. */
export function serverHello12(random: Buffer = randomBytes(32)): Buffer {
  const body = Buffer.concat([
    Buffer.from([3, 3]),
    random,
    Buffer.from([0]), // no session id
    Buffer.from([0xc0, 0x2f]),
    Buffer.from([0]), // no compression
    Buffer.from([0, 5, 0xff, 0x01, 0, 1, 0]), // extensions: renegotiation_info, empty
  ]);
  return handshakeMessage(2, body);
}

/** A Certificate message carrying these DER certificates in this order. */
export function certificateMessage(ders: readonly Buffer[]): Buffer {
  const entries = ders.map((d) => {
    const len = Buffer.alloc(3);
    len.writeUIntBE(d.length, 0, 3);
    return Buffer.concat([len, d]);
  });
  const list = Buffer.concat(entries);
  const len = Buffer.alloc(3);
  len.writeUIntBE(list.length, 0, 3);
  return handshakeMessage(11, Buffer.concat([len, list]));
}

/** Handshake bytes as records of at most 16 KiB each. */
export function asRecords(handshake: Buffer): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; i < handshake.length; i += 16384) out.push(tlsRecord(22, handshake.subarray(i, i + 16384)));
  return Buffer.concat(out);
}

/** A TLS 1.3 ServerHello (legacy version 3.3, supported_versions 3.4) choosing TLS_AES_128_GCM_SHA256. */
export function serverHello13(random: Buffer = randomBytes(32)): Buffer {
  const keyShare = Buffer.concat([Buffer.from([0x00, 0x33, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20]), random]);
  const versions = Buffer.from([0x00, 0x2b, 0x00, 0x02, 0x03, 0x04]);
  const exts = Buffer.concat([versions, keyShare]);
  const len = Buffer.from([exts.length >> 8, exts.length & 0xff]);
  return handshakeMessage(2, Buffer.concat([Buffer.from([3, 3]), random, Buffer.from([0]), Buffer.from([0x13, 0x01]), Buffer.from([0]), len, exts]));
}

/** A TLS 1.2 CertificateRequest naming these CAs (DER distinguished names). */
export function certificateRequest12(caNames: readonly Buffer[]): Buffer {
  const names = Buffer.concat(caNames.map((n) => Buffer.concat([Buffer.from([n.length >> 8, n.length & 0xff]), n])));
  const types = Buffer.from([2, 1, 64]);
  const sigalgs = Buffer.from([0, 4, 0x04, 0x01, 0x08, 0x04]);
  return handshakeMessage(13, Buffer.concat([types, sigalgs, Buffer.from([names.length >> 8, names.length & 0xff]), names]));
}

/** A CertificateStatus (TLS 1.2) carrying an OCSP response. */
export function certificateStatus(ocsp: Buffer): Buffer {
  const len = Buffer.alloc(3);
  len.writeUIntBE(ocsp.length, 0, 3);
  return handshakeMessage(22, Buffer.concat([Buffer.from([1]), len, ocsp]));
}
