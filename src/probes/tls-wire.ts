/**
 * Reads the server's side of a TLS handshake from the raw bytes, to see what Node does
 * not expose: the certificate list exactly as sent (order, extras, duplicates), the
 * CertificateRequest with its acceptable CA names, and the stapled OCSP response.
 * TLS 1.3 encrypts those messages; `decryptTls13` (tls13.ts) turns them back into
 * plaintext handshake bytes that `feedHandshake` reads the same way.
 */

export const MAX_CAPTURE_BYTES = 4 * 1024 * 1024;

export interface ServerHelloInfo {
  /** 0x0301 … 0x0304, from supported_versions when present. */
  readonly version: number;
  readonly cipherSuite: number;
  readonly random: Buffer;
}

export interface WireFindings {
  serverHello: ServerHelloInfo | null;
  certificates: Buffer[] | null;
  /** Acceptable CA names (DER DistinguishedName) from a CertificateRequest, [] when none listed. */
  certificateRequest: { caNames: Buffer[] } | null;
  stapledOcsp: Buffer | null;
  alert: { level: number; description: number } | null;
  /** The bytes did not look like TLS at all (e.g. an HTTP server on the port). */
  notTls: { firstBytes: string } | null;
  truncated: boolean;
  /** Why parsing stopped early, if it did. */
  malformed: string | null;
  /** Encrypted records seen after a TLS 1.3 ServerHello, for later decryption. */
  encryptedRecords: Buffer[];
}

export function emptyFindings(): WireFindings {
  return {
    serverHello: null,
    certificates: null,
    certificateRequest: null,
    stapledOcsp: null,
    alert: null,
    notTls: null,
    truncated: false,
    malformed: null,
    encryptedRecords: [],
  };
}

/** Incremental reader of the server-to-client byte stream. */
export class ServerFlightReader {
  readonly findings = emptyFindings();
  private buffer: Buffer = Buffer.alloc(0);
  private handshake: Buffer = Buffer.alloc(0);
  private total = 0;
  private done = false;
  private tls13 = false;

  /** How many bytes of the server's side were read (reading stops at the capture limit). */
  get bytesSeen(): number {
    return this.total;
  }

  push(chunk: Buffer): void {
    if (this.done) return;
    this.total += chunk.length;
    if (this.total > MAX_CAPTURE_BYTES) {
      this.findings.truncated = true;
      this.done = true;
      return;
    }
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    try {
      this.drainRecords();
    } catch (err) {
      this.findings.malformed = err instanceof Error ? err.message : String(err);
      this.done = true;
    }
  }

  private drainRecords(): void {
    while (!this.done && this.buffer.length >= 5) {
      const type = this.buffer[0]!;
      const major = this.buffer[1]!;
      if (type < 20 || type > 24 || major !== 3) {
        this.findings.notTls = { firstBytes: this.buffer.subarray(0, 48).toString('latin1') };
        this.done = true;
        return;
      }
      const len = this.buffer.readUInt16BE(3);
      if (len > 16384 + 2048) throw new Error(`TLS record of ${len} bytes exceeds the protocol limit`);
      if (this.buffer.length < 5 + len) return;
      const body = this.buffer.subarray(5, 5 + len);
      this.buffer = this.buffer.subarray(5 + len);
      this.onRecord(type, body);
    }
  }

  private onRecord(type: number, body: Buffer): void {
    switch (type) {
      case 22: // handshake
        if (this.tls13 && this.findings.serverHello) {
          // Only the ServerHello is in the clear in TLS 1.3.
          return;
        }
        this.handshake = this.handshake.length ? Buffer.concat([this.handshake, body]) : Buffer.from(body);
        this.handshake = feedHandshake(this.handshake, this.findings, (hello) => {
          if (hello.version === 0x0304) this.tls13 = true;
        });
        return;
      case 21: // alert
        if (body.length >= 2 && !this.tls13) this.findings.alert = { level: body[0]!, description: body[1]! };
        return;
      case 23: // application data: in TLS 1.3 these carry the encrypted handshake
        if (this.tls13) {
          if (this.findings.encryptedRecords.length < 256) this.findings.encryptedRecords.push(Buffer.from(body));
          return;
        }
        this.done = true;
        return;
      case 20: // change_cipher_spec: in TLS ≤ 1.2 everything after is encrypted
        if (!this.tls13) this.done = true;
        return;
      default:
        return;
    }
  }
}

/**
 * Consumes complete handshake messages from `buf`, records what they say, and returns
 * the unconsumed rest (a message split across records).
 */
export function feedHandshake(
  buf: Buffer,
  findings: WireFindings,
  onServerHello: (h: ServerHelloInfo) => void = () => undefined,
): Buffer {
  let rest = buf;
  while (rest.length >= 4) {
    const msgType = rest[0]!;
    const len = rest.readUIntBE(1, 3);
    if (len > MAX_CAPTURE_BYTES) throw new Error(`handshake message of ${len} bytes`);
    if (rest.length < 4 + len) break;
    const body = rest.subarray(4, 4 + len);
    rest = rest.subarray(4 + len);
    switch (msgType) {
      case 2: {
        const hello = parseServerHello(body);
        findings.serverHello = hello;
        onServerHello(hello);
        break;
      }
      case 11:
        findings.certificates = parseCertificateMessage(body, findings.serverHello?.version === 0x0304, findings);
        break;
      case 13:
        findings.certificateRequest = parseCertificateRequest(body, findings.serverHello?.version ?? 0x0303);
        break;
      case 22:
        // CertificateStatus (TLS 1.2): status_type ocsp(1), then a 24-bit length and the response.
        if (body.length >= 4 && body[0] === 1) {
          const n = body.readUIntBE(1, 3);
          if (4 + n <= body.length) findings.stapledOcsp = Buffer.from(body.subarray(4, 4 + n));
        }
        break;
      default:
        break;
    }
  }
  return Buffer.from(rest);
}

class Cursor {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  get remaining(): number {
    return this.buf.length - this.pos;
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u24(): number {
    this.need(3);
    const v = this.buf.readUIntBE(this.pos, 3);
    this.pos += 3;
    return v;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new Error('truncated handshake message');
  }
}

function parseServerHello(body: Buffer): ServerHelloInfo {
  const c = new Cursor(body);
  let version = c.u16();
  const random = Buffer.from(c.bytes(32));
  c.bytes(c.u8()); // session id
  const cipherSuite = c.u16();
  c.u8(); // compression
  if (c.remaining >= 2) {
    const ext = new Cursor(c.bytes(c.u16()));
    while (ext.remaining >= 4) {
      const type = ext.u16();
      const data = ext.bytes(ext.u16());
      if (type === 43 && data.length === 2) version = data.readUInt16BE(0); // supported_versions
    }
  }
  return { version, cipherSuite, random };
}

function parseCertificateMessage(body: Buffer, tls13: boolean, findings: WireFindings): Buffer[] {
  const c = new Cursor(body);
  if (tls13) c.bytes(c.u8()); // certificate_request_context
  const list = new Cursor(c.bytes(c.u24()));
  const certs: Buffer[] = [];
  while (list.remaining > 0) {
    certs.push(Buffer.from(list.bytes(list.u24())));
    if (tls13) {
      // Per-certificate extensions; status_request (5) on the leaf carries the staple.
      const exts = new Cursor(list.bytes(list.u16()));
      while (exts.remaining >= 4) {
        const type = exts.u16();
        const data = exts.bytes(exts.u16());
        if (type === 5 && certs.length === 1 && data.length >= 4 && data[0] === 1) {
          const n = data.readUIntBE(1, 3);
          if (4 + n <= data.length) findings.stapledOcsp = Buffer.from(data.subarray(4, 4 + n));
        }
      }
    }
  }
  return certs;
}

function parseCertificateRequest(body: Buffer, version: number): { caNames: Buffer[] } {
  const c = new Cursor(body);
  const caNames: Buffer[] = [];
  if (version === 0x0304) {
    c.bytes(c.u8()); // certificate_request_context
    const exts = new Cursor(c.bytes(c.u16()));
    while (exts.remaining >= 4) {
      const type = exts.u16();
      const data = exts.bytes(exts.u16());
      if (type === 47) readNames(new Cursor(data), caNames); // certificate_authorities
    }
    return { caNames };
  }
  c.bytes(c.u8()); // certificate_types
  if (version === 0x0303) c.bytes(c.u16()); // supported_signature_algorithms (TLS 1.2 only)
  readNames(c, caNames);
  return { caNames };
}

function readNames(c: Cursor, out: Buffer[]): void {
  if (c.remaining < 2) return;
  const names = new Cursor(c.bytes(c.u16()));
  while (names.remaining >= 2) out.push(Buffer.from(names.bytes(names.u16())));
}

/** TLS alert descriptions a user may meet, by number (RFC 8446 §6). */
export const ALERTS: Readonly<Record<number, string>> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  22: 'record_overflow',
  40: 'handshake_failure',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  109: 'missing_extension',
  110: 'unsupported_extension',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  115: 'unknown_psk_identity',
  116: 'certificate_required',
  120: 'no_application_protocol',
};
