import { createHash } from 'node:crypto';

/**
 * OpenSSL's view of a certificate's names, computed without parsing the certificate:
 * the subject hash that names the `<hash>.<n>` files of a hashed directory (CApath),
 * and whether issuer and subject are the same name as OpenSSL compares names.
 *
 * Both rest on OpenSSL's canonical name encoding (crypto/x509/x_name.c,
 * x509_name_canon and asn1_string_canon): every text value becomes a UTF8String with
 * leading and trailing white space removed, inner runs of white space collapsed to one
 * space and ASCII letters lower-cased; other values stay as they are; the RDN SETs are
 * concatenated without the outer SEQUENCE. The hash is the first four bytes of its
 * SHA-1, read little-endian (X509_NAME_hash).
 *
 * Only the few DER headers on the way to the names are read here. A full certificate
 * parser (Node's X509Certificate, @peculiar/asn1-x509) costs 0.2–0.8 ms a certificate,
 * several times what reading the hashed files it lets us skip costs. Anything
 * unexpected gives null, and the caller falls back to reading or parsing.
 */

/** `0a1b2c3d`, as `openssl x509 -subject_hash` prints it; null when the bytes cannot be read. */
export function opensslSubjectHash(der: Buffer): string | null {
  const names = certificateNames(der);
  const canon = names && canonicalName(names.subject);
  if (!canon) return null;
  const md = createHash('sha1').update(canon).digest();
  return md.readUInt32LE(0).toString(16).padStart(8, '0');
}

/**
 * Whether the issuer name equals the subject name as OpenSSL compares them (a
 * self-issued certificate); null when the bytes cannot be read.
 */
export function canonicalNamesMatch(der: Buffer): boolean | null {
  const names = certificateNames(der);
  if (!names) return null;
  if (names.issuer.equals(names.subject)) return true;
  const issuer = canonicalName(names.issuer);
  const subject = canonicalName(names.subject);
  return issuer && subject ? issuer.equals(subject) : null;
}

interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

/** One DER element at `pos` that ends by `limit`; single-byte tags and definite lengths only. */
function readTlv(buf: Buffer, pos: number, limit: number): Tlv | null {
  if (pos + 2 > limit) return null;
  const tag = buf[pos]!;
  if ((tag & 0x1f) === 0x1f) return null;
  const first = buf[pos + 1]!;
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 4 || pos + 2 + n > limit) return null;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[pos + 2 + i]!;
    header = 2 + n;
  }
  const end = pos + header + length;
  if (end > limit) return null;
  return { tag, start: pos, contentStart: pos + header, end };
}

/** The DER of the issuer and subject Names of a certificate. */
function certificateNames(der: Buffer): { issuer: Buffer; subject: Buffer } | null {
  const cert = readTlv(der, 0, der.length);
  if (!cert || cert.tag !== 0x30) return null;
  const tbs = readTlv(der, cert.contentStart, cert.end);
  if (!tbs || tbs.tag !== 0x30) return null;
  // TBSCertificate: [0] version (optional), serialNumber, signature, issuer, validity, subject.
  const fields: Tlv[] = [];
  let pos = tbs.contentStart;
  while (pos < tbs.end && fields.length < 6) {
    const f = readTlv(der, pos, tbs.end);
    if (!f) return null;
    fields.push(f);
    pos = f.end;
  }
  const rest = fields[0]?.tag === 0xa0 ? fields.slice(1) : fields.slice(0, 5);
  const [serial, signature, issuer, validity, subject] = rest;
  if (!serial || serial.tag !== 0x02 || signature?.tag !== 0x30 || issuer?.tag !== 0x30 || validity?.tag !== 0x30 || subject?.tag !== 0x30) return null;
  return { issuer: der.subarray(issuer.start, issuer.end), subject: der.subarray(subject.start, subject.end) };
}

/** ASN.1 string types OpenSSL canonicalises (ASN1_MASK_CANON), with their bytes per character. */
const CANON_TYPES: ReadonlyMap<number, 'utf8' | 1 | 2 | 4> = new Map<number, 'utf8' | 1 | 2 | 4>([
  [0x0c, 'utf8'], // UTF8String
  [0x13, 1], // PrintableString
  [0x14, 1], // T61String (read as Latin-1, as OpenSSL does)
  [0x16, 1], // IA5String
  [0x1a, 1], // VisibleString
  [0x1e, 2], // BMPString
  [0x1c, 4], // UniversalString
]);

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The concatenated canonical RDN SETs of a Name; null when it cannot be read.
 * Written into plain byte arrays and turned into a Buffer once: this runs for every
 * certificate of the system bundle on every run, mostly before V8 has optimised it.
 */
function canonicalName(name: Buffer): Buffer | null {
  const outer = readTlv(name, 0, name.length);
  if (!outer || outer.tag !== 0x30) return null;
  const out: number[] = [];
  for (let pos = outer.contentStart; pos < outer.end; ) {
    const rdn = readTlv(name, pos, outer.end);
    if (!rdn || rdn.tag !== 0x31) return null;
    const avas: number[][] = [];
    for (let p = rdn.contentStart; p < rdn.end; ) {
      const ava = readTlv(name, p, rdn.end);
      if (!ava || ava.tag !== 0x30) return null;
      const oid = readTlv(name, ava.contentStart, ava.end);
      if (!oid || oid.tag !== 0x06) return null;
      const value = readTlv(name, oid.end, ava.end);
      if (!value || value.end !== ava.end) return null;
      const body: number[] = [];
      for (let i = oid.start; i < oid.end; i++) body.push(name[i]!);
      const text = canonicalText(value.tag, name, value.contentStart, value.end);
      if (text === undefined) return null;
      if (text === null) {
        for (let i = value.start; i < value.end; i++) body.push(name[i]!);
      } else {
        pushHeader(body, 0x0c, text.length);
        for (const b of text) body.push(b);
      }
      const encoded: number[] = [];
      pushHeader(encoded, 0x30, body.length);
      for (const b of body) encoded.push(b);
      avas.push(encoded);
      p = ava.end;
    }
    // DER orders the members of a SET by their encodings (OpenSSL re-encodes, so it sorts too).
    if (avas.length > 1) avas.sort(compareBytes);
    pushHeader(out, 0x31, avas.reduce((n, x) => n + x.length, 0));
    for (const x of avas) for (const b of x) out.push(b);
    pos = rdn.end;
  }
  return Buffer.from(out);
}

/**
 * The canonical UTF-8 bytes of a text value (asn1_string_canon: white space trimmed,
 * inner runs collapsed to one space, ASCII lower-cased); null for a type OpenSSL keeps
 * as it is; undefined when OpenSSL could not convert it to UTF-8 (the name has no hash).
 */
function canonicalText(tag: number, buf: Buffer, start: number, end: number): number[] | null | undefined {
  const width = CANON_TYPES.get(tag);
  if (width === undefined) return null;
  const utf8 = toUtf8(buf, start, end, width);
  if (!utf8) return undefined;
  let from = 0;
  let to = utf8.length;
  while (from < to && isSpace(utf8[from]!)) from++;
  while (to > from && isSpace(utf8[to - 1]!)) to--;
  const out: number[] = [];
  for (let i = from; i < to; ) {
    const b = utf8[i]!;
    if (b >= 0x80) {
      out.push(b);
      i++;
    } else if (isSpace(b)) {
      out.push(0x20);
      while (i < to && isSpace(utf8[i]!)) i++;
    } else {
      out.push(b >= 0x41 && b <= 0x5a ? b + 0x20 : b);
      i++;
    }
  }
  return out;
}

/** The value as UTF-8 bytes (ASN1_STRING_to_UTF8); null when OpenSSL refuses the conversion. */
function toUtf8(buf: Buffer, start: number, end: number, width: 'utf8' | 1 | 2 | 4): number[] | null {
  const out: number[] = [];
  if (width === 'utf8' || width === 1) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      const b = buf[i]!;
      if (b >= 0x80) ascii = false;
      out.push(b);
    }
    if (ascii) return out;
    if (width === 1) return utf8Of(buf.toString('latin1', start, end));
    try {
      STRICT_UTF8.decode(buf.subarray(start, end));
    } catch {
      return null;
    }
    return out;
  }
  if ((end - start) % width !== 0) return null;
  let text = '';
  for (let i = start; i < end; i += width) {
    const c = width === 2 ? buf.readUInt16BE(i) : buf.readUInt32BE(i);
    // OpenSSL refuses surrogates and values beyond Unicode when it converts to UTF-8.
    if ((c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff) return null;
    text += String.fromCodePoint(c);
  }
  return utf8Of(text);
}

function utf8Of(text: string): number[] {
  return [...Buffer.from(text, 'utf8')];
}

/** ossl_isspace: space, \t, \n, \v, \f, \r. */
function isSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

/** A DER tag and definite length. */
function pushHeader(out: number[], tag: number, length: number): void {
  out.push(tag);
  if (length < 0x80) {
    out.push(length);
    return;
  }
  const bytes: number[] = [];
  for (let v = length; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  out.push(0x80 | bytes.length, ...bytes);
}

function compareBytes(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
