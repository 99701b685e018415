import type { Certificate } from './certificate';

export type StrengthIssue =
  | 'md5-signature'
  | 'md2-signature'
  | 'sha1-signature'
  | 'unknown-signature'
  | 'rsa-key-too-small'
  | 'rsa-key-below-2048'
  | 'ec-key-too-small'
  | 'dsa-key';

export interface StrengthFinding {
  readonly issue: StrengthIssue;
  /**
   * `fatal`: no current client accepts it. `tls-policy`: rejected where the OS applies
   * Apple's or Microsoft's TLS rules (macOS native store); elsewhere the Cisco client's own
   * limits are undocumented (openconnect 9.01 on GnuTLS 3.7.9 rejects SHA-1, accepts RSA-1024).
   */
  readonly severity: 'fatal' | 'tls-policy';
  readonly detail: string;
}

/**
 * Signature algorithm and key findings for one certificate. `isAnchor`: the signature
 * on a trust anchor itself is never checked by clients, only its key.
 */
export function strengthFindings(cert: Certificate, isAnchor: boolean): StrengthFinding[] {
  const out: StrengthFinding[] = [];
  const hash = cert.signature.hash;
  if (!isAnchor) {
    if (hash === 'md5') out.push({ issue: 'md5-signature', severity: 'fatal', detail: cert.signature.name });
    else if (hash === 'md2') out.push({ issue: 'md2-signature', severity: 'fatal', detail: cert.signature.name });
    else if (hash === 'sha1') out.push({ issue: 'sha1-signature', severity: 'tls-policy', detail: cert.signature.name });
    else if (hash === 'unknown') out.push({ issue: 'unknown-signature', severity: 'fatal', detail: cert.signature.name });
  }
  const { type, bits } = cert.publicKey;
  if ((type === 'RSA' || type === 'RSA-PSS') && bits !== null) {
    if (bits < 1024) out.push({ issue: 'rsa-key-too-small', severity: 'fatal', detail: `RSA ${bits} bits` });
    else if (bits < 2048) out.push({ issue: 'rsa-key-below-2048', severity: 'tls-policy', detail: `RSA ${bits} bits` });
  } else if (type === 'EC' && bits !== null && bits < 256) {
    out.push({ issue: 'ec-key-too-small', severity: 'fatal', detail: `EC ${cert.publicKey.curve ?? ''} ${bits} bits`.replace('  ', ' ') });
  } else if (type === 'DSA') {
    out.push({ issue: 'dsa-key', severity: 'fatal', detail: `DSA ${bits ?? '?'} bits` });
  }
  return out;
}
