import { createDecipheriv, createHmac } from 'node:crypto';
import { feedHandshake, type WireFindings } from './tls-wire';

/**
 * TLS 1.3 encrypts the server's certificate list. Node hands us the handshake traffic
 * secret through its `keylog` event (the NSS key log format every TLS library
 * supports); with it the recorded records decrypt to the same handshake messages a
 * TLS 1.2 server sends in the clear (RFC 8446 §7.1 and §5.2).
 */

interface Suite {
  readonly cipher: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';
  readonly keyLength: number;
  readonly hash: 'sha256' | 'sha384';
}

const SUITES: Readonly<Record<number, Suite>> = {
  0x1301: { cipher: 'aes-128-gcm', keyLength: 16, hash: 'sha256' },
  0x1302: { cipher: 'aes-256-gcm', keyLength: 32, hash: 'sha384' },
  0x1303: { cipher: 'chacha20-poly1305', keyLength: 32, hash: 'sha256' },
};

/** The server handshake secret from NSS key log lines, for the given client random. */
export function serverHandshakeSecret(keylogLines: readonly Buffer[]): Buffer | null {
  for (const line of keylogLines) {
    const m = /^SERVER_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]+ ([0-9a-f]+)\s*$/i.exec(line.toString('latin1'));
    if (m) return Buffer.from(m[1]!, 'hex');
  }
  return null;
}

/**
 * Decrypts the recorded server records and feeds the handshake messages into
 * `findings`. Stops quietly at the first record the handshake key does not open
 * (the server has switched to application keys).
 */
export function decryptServerHandshake(findings: WireFindings, secret: Buffer): void {
  const suite = findings.serverHello ? SUITES[findings.serverHello.cipherSuite] : undefined;
  if (!suite) return;
  const key = expandLabel(suite.hash, secret, 'key', suite.keyLength);
  const iv = expandLabel(suite.hash, secret, 'iv', 12);
  let pending: Buffer = Buffer.alloc(0);
  let seq = 0n;
  for (const record of findings.encryptedRecords) {
    if (record.length < 17) return;
    const nonce = Buffer.from(iv);
    const seqBytes = Buffer.alloc(8);
    seqBytes.writeBigUInt64BE(seq);
    for (let i = 0; i < 8; i++) nonce[4 + i]! ^= seqBytes[i]!;
    seq++;
    const header = Buffer.from([23, 3, 3, record.length >> 8, record.length & 0xff]);
    let plain: Buffer;
    try {
      const d = createDecipheriv(suite.cipher, key, nonce, { authTagLength: 16 } as never) as unknown as {
        setAAD(b: Buffer, o?: object): void;
        setAuthTag(b: Buffer): void;
        update(b: Buffer): Buffer;
        final(): Buffer;
      };
      d.setAAD(header, { plaintextLength: record.length - 16 });
      d.setAuthTag(record.subarray(record.length - 16));
      plain = Buffer.concat([d.update(record.subarray(0, record.length - 16)), d.final()]);
    } catch {
      return;
    }
    let end = plain.length;
    while (end > 0 && plain[end - 1] === 0) end--;
    if (end === 0) return;
    const contentType = plain[end - 1];
    if (contentType !== 22) return;
    pending = Buffer.concat([pending, plain.subarray(0, end - 1)]);
    try {
      pending = feedHandshake(pending, findings);
    } catch (err) {
      // The server's own handshake bytes are malformed: a finding, never an exception.
      findings.malformed = err instanceof Error ? err.message : String(err);
      return;
    }
  }
}

/** HKDF-Expand-Label (RFC 8446 §7.1) with an empty context. */
function expandLabel(hash: 'sha256' | 'sha384', secret: Buffer, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([0])]);
  // HKDF-Expand (RFC 5869 §2.3): Node's hkdf always extracts first, so expand here.
  const out: Buffer[] = [];
  let prev: Buffer = Buffer.alloc(0);
  let total = 0;
  for (let i = 1; total < length; i++) {
    prev = createHmac(hash, secret).update(Buffer.concat([prev, info, Buffer.from([i])])).digest();
    out.push(prev);
    total += prev.length;
  }
  return Buffer.concat(out).subarray(0, length);
}
