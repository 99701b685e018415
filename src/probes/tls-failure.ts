/**
 * How a TLS connection ended, read from structured signals only: the fields Node puts on
 * the error (`code`, `syscall`), the alert the server sent in the clear, and whether the
 * server had asked for a client certificate. OpenSSL's message text is not used: it
 * changes between versions. The TLS handshake probe (tls.ts) and the AnyConnect request
 * sent after it (anyconnect.ts) both judge an ending here, so they never disagree.
 */
import { errorCode } from '../errors';
import { ALERTS } from './tls-wire';

export type HandshakeFailure =
  | 'timeout'
  /** The server answered, but the handshake did not finish in time (a drip, a stalled middlebox). */
  | 'slow'
  | 'not-tls'
  | 'protocol-version'
  | 'handshake-failure'
  | 'closed'
  | 'reset'
  | 'certificate-required'
  | 'malformed'
  | 'other';

export interface EndingSignals {
  /** The server had sent a CertificateRequest on this connection (this tool never answers one with a certificate). */
  readonly certificateRequested: boolean;
  /** The alert number the server sent in the clear (TLS 1.2 and earlier), read from the handshake bytes. */
  readonly wireAlert?: number | null;
}

export interface TlsEnding {
  readonly kind: HandshakeFailure;
  /** What the ending looked like before a CertificateRequest explained it (an alert, a reset, a close). */
  readonly seen: HandshakeFailure;
  /** Node's error code, or `closed` when the connection ended without an error. */
  readonly code: string;
  /** The TLS alert the server ended with (RFC 8446 §6 name), when it sent one. */
  readonly alert: string | null;
}

/**
 * OpenSSL's reasons for an alert received from the peer are SSL_AD_REASON_OFFSET (1000)
 * plus the alert number, named SSL_R_SSLV3_ALERT_*, SSL_R_TLSV1_ALERT_*, SSL_R_TLSV13_ALERT_*
 * and, for five RFC 6066 alerts, SSL_R_TLSV1_* (openssl/sslerr.h); Node's `code` is
 * `ERR_SSL_` and that name. An alert OpenSSL itself sends carries the reason it had instead.
 */
const RECEIVED_ALERT = /^ERR_SSL_(?:SSLV3_ALERT|TLSV13_ALERT|TLSV1_ALERT|TLSV1)_([A-Z0-9_]+)$/;

/** The server chose, or insisted on, a version this client does not offer. */
const VERSION_CODES = new Set(['ERR_SSL_UNSUPPORTED_PROTOCOL', 'ERR_SSL_NO_PROTOCOLS_AVAILABLE', 'ERR_SSL_WRONG_SSL_VERSION', 'ERR_SSL_VERSION_TOO_LOW', 'ERR_SSL_VERSION_TOO_HIGH']);

/** The bytes that came back are not TLS records (RECORD_LAYER_FAILURE: OpenSSL 3.2 and later). */
const NOT_TLS_CODES = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_HTTP_REQUEST',
  'ERR_SSL_HTTPS_PROXY_REQUEST',
  'ERR_SSL_UNEXPECTED_RECORD',
  'ERR_SSL_RECORD_LAYER_FAILURE',
]);

/** Nothing in common to build a connection on (ciphers, signature algorithms, groups). */
const NEGOTIATION_CODES = new Set([
  'ERR_SSL_NO_SHARED_CIPHER',
  'ERR_SSL_NO_CIPHERS_AVAILABLE',
  'ERR_SSL_INSUFFICIENT_SECURITY',
  'ERR_SSL_NO_SHARED_SIGNATURE_ALGORITHMS',
  'ERR_SSL_NO_SUITABLE_SIGNATURE_ALGORITHM',
  'ERR_SSL_NO_SUITABLE_KEY_SHARE',
  'ERR_SSL_NO_SUITABLE_GROUPS',
  'ERR_SSL_SSL_HANDSHAKE_FAILURE',
]);

/** The alert a received-alert error code names (`ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE` → `handshake_failure`). */
export function receivedAlert(code: string): string | null {
  const m = RECEIVED_ALERT.exec(code);
  if (!m) return null;
  const name = m[1]!.toLowerCase();
  // OpenSSL spells alert 90 the British way.
  return name === 'user_cancelled' ? 'user_canceled' : name;
}

/**
 * Judges how a connection ended. `err` is the error the TLS socket raised, or null when the
 * server closed the connection without one. A server that asked for a client certificate and
 * then ended the connection itself (any alert, a reset, a close) did so because none came:
 * that is how gateways requiring one end it (TLS 1.2: handshake_failure after the empty
 * Certificate; TLS 1.3: certificate_required, or a hang-up).
 */
export function tlsEnding(err: unknown, signals: EndingSignals): TlsEnding {
  const byServer = (seen: HandshakeFailure, code: string, alert: string | null): TlsEnding => ({
    kind: signals.certificateRequested ? 'certificate-required' : seen,
    seen,
    code,
    alert,
  });
  const local = (kind: HandshakeFailure, code: string, alert: string | null): TlsEnding => ({ kind, seen: kind, code, alert });
  if (err === null || err === undefined) return byServer('closed', 'closed', null);
  const code = errorCode(err);
  const wire = signals.wireAlert ?? null;
  const alert = wire !== null ? (ALERTS[wire] ?? `alert ${wire}`) : receivedAlert(code);
  if (alert === 'certificate_required') return local('certificate-required', code, alert);
  if (alert === 'protocol_version' || VERSION_CODES.has(code)) return local('protocol-version', code, alert);
  if (NOT_TLS_CODES.has(code)) return local('not-tls', code, alert);
  if (alert) return byServer('handshake-failure', code, alert);
  if (NEGOTIATION_CODES.has(code)) return local('handshake-failure', code, alert);
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    // A reset from the network comes from the system call that met it (`syscall`, `errno`);
    // Node raises its own ECONNRESET, without them, when the server closed the connection
    // before the handshake finished ("socket disconnected before secure TLS connection").
    const syscall = (err as { syscall?: unknown }).syscall;
    return byServer(code === 'ECONNRESET' && typeof syscall === 'string' ? 'reset' : 'closed', code, null);
  }
  if (code === 'timeout') return local('timeout', code, alert);
  return local('other', code, alert);
}
