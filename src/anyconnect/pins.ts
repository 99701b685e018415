import type { Certificate } from '../pki/certificate';
import type { CertificatePin } from '../run-facts';

/**
 * AnyConnect's profile schema documents a pin as the "SHA-512 hash of the public key"
 * of a certificate in the server's chain. Whether that is the SubjectPublicKeyInfo
 * DER and whether it is written in hex or base64 is not documented, so both encodings
 * of the SPKI SHA-512 are accepted and the evidence says which one matched.
 */
export type PinEncoding = 'hex' | 'base64';

export interface DecodedPin {
  readonly pin: CertificatePin;
  /** The 64 digest bytes as base64, or null when the text is neither encoding of 64 bytes. */
  readonly sha512: string | null;
  readonly encoding: PinEncoding | null;
}

export function decodePin(pin: CertificatePin): DecodedPin {
  const text = pin.hash.trim();
  const hex = text.replace(/[\s:]/g, '');
  if (/^[0-9a-fA-F]{128}$/.test(hex)) {
    return { pin, sha512: Buffer.from(hex, 'hex').toString('base64'), encoding: 'hex' };
  }
  const b64 = text.replace(/\s/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
    const bytes = Buffer.from(b64, 'base64');
    if (bytes.length === 64) return { pin, sha512: bytes.toString('base64'), encoding: 'base64' };
  }
  return { pin, sha512: null, encoding: null };
}

export interface PinMatch {
  readonly pin: CertificatePin;
  readonly encoding: PinEncoding;
  /** Position on the path (0: the gateway's certificate). */
  readonly index: number;
  readonly subject: string;
}

/** The pins that match the public key of a certificate on the path. */
export function matchPins(pins: readonly CertificatePin[], path: readonly Certificate[]): { matches: PinMatch[]; unreadable: CertificatePin[] } {
  const matches: PinMatch[] = [];
  const unreadable: CertificatePin[] = [];
  for (const p of pins.map(decodePin)) {
    if (!p.sha512 || !p.encoding) {
      unreadable.push(p.pin);
      continue;
    }
    const index = path.findIndex((c) => c.publicKey.spkiSha512 === p.sha512);
    if (index >= 0) matches.push({ pin: p.pin, encoding: p.encoding, index, subject: path[index]!.subject.text });
  }
  return { matches, unreadable };
}
