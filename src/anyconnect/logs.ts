import type { VpnLogEntry } from '../../platform/types';
import { displaySafe } from '../pki/text';

/**
 * What AnyConnect's own log lines about certificates and failed connections mean.
 * The client writes these sentences in English on every OS; they are matched
 * case-insensitively with whitespace folded (the same sentence appears with one and
 * with two spaces between sentences).
 */
export type LogKind =
  /** "Termination reason code 59", "The certificate on the secure gateway is invalid". */
  | 'gateway-certificate-invalid'
  /** The untrusted-server dialog or its CLI wording. */
  | 'gateway-certificate-untrusted'
  /** "AnyConnect cannot confirm it is connected to your secure gateway". */
  | 'cannot-confirm-gateway'
  /** "No valid certificates available for authentication." */
  | 'no-client-certificate'
  /** "Certificate Validation Failure" right after "No valid certificates …". */
  | 'client-certificate-validation'
  /** "Certificate Validation Failure" with nothing to say whose certificate. */
  | 'certificate-validation'
  /** "Unable to lookup host names". */
  | 'dns'
  /** "Required NSS library was not found". */
  | 'nss-missing';

export type LogTopic = 'gateway-certificate' | 'client-certificate' | 'other';

const PATTERNS: ReadonlyArray<{ readonly re: RegExp; readonly kind: LogKind }> = [
  { re: /termination reason code 59\b/, kind: 'gateway-certificate-invalid' },
  { re: /the certificate on the secure gateway is invalid/, kind: 'gateway-certificate-invalid' },
  { re: /cannot confirm it is connected to your secure gateway/, kind: 'cannot-confirm-gateway' },
  { re: /no valid certificates available for authentication/, kind: 'no-client-certificate' },
  { re: /certificate validation failure/, kind: 'certificate-validation' },
  { re: /untrusted (vpn )?server (certificate|blocked)/, kind: 'gateway-certificate-untrusted' },
  { re: /cannot verify server/, kind: 'gateway-certificate-untrusted' },
  { re: /certificate is from an untrusted source/, kind: 'gateway-certificate-untrusted' },
  { re: /certificate received from the server could not be verified/, kind: 'gateway-certificate-untrusted' },
  { re: /local policy prohibits the acceptance of untrusted server certificates/, kind: 'gateway-certificate-untrusted' },
  { re: /unable to lookup host names/, kind: 'dns' },
  { re: /required nss library was not found/, kind: 'nss-missing' },
];

export const TOPIC_OF: Readonly<Record<LogKind, LogTopic>> = {
  'gateway-certificate-invalid': 'gateway-certificate',
  'gateway-certificate-untrusted': 'gateway-certificate',
  'cannot-confirm-gateway': 'gateway-certificate',
  'nss-missing': 'gateway-certificate',
  'certificate-validation': 'gateway-certificate',
  'no-client-certificate': 'client-certificate',
  'client-certificate-validation': 'client-certificate',
  dns: 'other',
};

export interface LogFinding {
  readonly time: string | null;
  readonly source: string;
  /** The line as the client wrote it, escaped and shortened for the report. */
  readonly message: string;
  readonly kind: LogKind;
}

export interface LogSummary {
  readonly entriesRead: number;
  /** Newest last. */
  readonly findings: readonly LogFinding[];
  readonly lastGatewayCertificateFailure: LogFinding | null;
  readonly lastClientCertificateFailure: LogFinding | null;
}

/** A client-certificate complaint explains a "Certificate Validation Failure" this soon after it. */
const PAIRING_MS = 2 * 60_000;

function classify(message: string): LogKind | null {
  const text = message.toLowerCase().replace(/\s+/g, ' ');
  for (const p of PATTERNS) if (p.re.test(text)) return p.kind;
  return null;
}

function timeOf(e: VpnLogEntry, fallbackIndex: number): number {
  const t = e.time ? Date.parse(e.time) : NaN;
  return Number.isFinite(t) ? t : fallbackIndex;
}

/** Finds the certificate and connection failures in the client's recent log entries. */
export function interpretLogs(entries: readonly VpnLogEntry[]): LogSummary {
  // Oldest first, whatever order the OS command used.
  const ordered = entries
    .map((e, i) => ({ e, i, t: timeOf(e, i) }))
    .sort((a, b) => (a.e.time && b.e.time ? a.t - b.t : a.i - b.i));
  const findings: LogFinding[] = [];
  let lastNoClientCert: number | null = null;
  for (const { e, t } of ordered) {
    let kind = classify(e.message);
    if (!kind) continue;
    if (kind === 'no-client-certificate') lastNoClientCert = t;
    if (kind === 'certificate-validation' && lastNoClientCert !== null && e.time && t - lastNoClientCert <= PAIRING_MS && t >= lastNoClientCert) {
      kind = 'client-certificate-validation';
    }
    findings.push({ time: e.time, source: displaySafe(e.source, 80), message: displaySafe(e.message.trim().replace(/\s+/g, ' '), 300), kind });
  }
  const last = (topic: LogTopic): LogFinding | null => [...findings].reverse().find((f) => TOPIC_OF[f.kind] === topic) ?? null;
  return {
    entriesRead: entries.length,
    findings: findings.slice(-20),
    lastGatewayCertificateFailure: last('gateway-certificate'),
    lastClientCertificateFailure: last('client-certificate'),
  };
}
