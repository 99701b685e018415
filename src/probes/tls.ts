import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { isIP } from 'node:net';
import * as tls from 'node:tls';
import { abortable } from '../deadline';
import { errorCode, errorMessage } from '../errors';
import { tlsEnding, type HandshakeFailure } from './tls-failure';
import { ServerFlightReader } from './tls-wire';
import { decryptServerHandshake, serverHandshakeSecret } from './tls13';

export type TlsVersionName = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export interface HandshakeOptions {
  /** A connected TCP socket to run TLS over. */
  readonly socket: Socket;
  /** The gateway name for SNI; null when the gateway is an IP address. */
  readonly servername: string | null;
  readonly minVersion: TlsVersionName;
  readonly maxVersion: TlsVersionName;
  /** OpenSSL cipher string; legacy versions need `@SECLEVEL=0`. */
  readonly ciphers: string;
  readonly requestOcsp: boolean;
  /** Keep the TLS socket open for the AnyConnect exchange. */
  readonly keepOpen: boolean;
  /** How long to wait, in TLS 1.3, for a server's verdict on our (empty) client certificate. */
  readonly postHandshakeWaitMs: number;
  readonly signal: AbortSignal;
}

export type { HandshakeFailure } from './tls-failure';

export interface HandshakeResult {
  readonly completed: boolean;
  readonly protocol: string | null;
  /** The version in the server's ServerHello (also known when the handshake later failed). */
  readonly serverHelloVersion: string | null;
  /**
   * The cipher the server chose, also known when the handshake later failed (a server
   * that requires a client certificate ends it after its CertificateRequest).
   */
  readonly serverHelloCipher?: { readonly name: string; readonly standardName: string } | null;
  readonly cipher: { readonly name: string; readonly standardName: string } | null;
  /** The certificates exactly as the server sent them, leaf first. */
  readonly chain: readonly Buffer[];
  /**
   * `wire`: read from the handshake bytes (exact order); `reconstructed`: from Node's
   * issuer links (order and unrelated extras unknown).
   */
  readonly chainSource: 'wire' | 'reconstructed' | 'none';
  readonly stapledOcsp: Buffer | null;
  readonly clientCertificate: {
    readonly requested: boolean;
    /** DER names of the CAs the server accepts; null when they could not be read. */
    readonly acceptableCaNames: readonly Buffer[] | null;
  };
  readonly failure: { readonly kind: HandshakeFailure; readonly code: string; readonly message: string } | null;
  readonly handshakeMs: number;
  /** The open connection, when asked for and the handshake completed. */
  readonly socket: tls.TLSSocket | null;
}

/**
 * Runs one TLS handshake over `socket` and records everything the server showed,
 * whether or not the certificate would be accepted: the tool judges the chain itself,
 * so Node is given no trust anchors and never decides.
 */
export function tlsHandshake(opts: HandshakeOptions): Promise<HandshakeResult> {
  const reader = new ServerFlightReader();
  const keylog: Buffer[] = [];
  const tap = new TapSocket(opts.socket, (chunk) => reader.push(chunk));
  const start = performance.now();
  let sock: tls.TLSSocket | null = null;
  let stapled: Buffer | null = null;
  // Read from the socket at secureConnect: once the connection closes, the native
  // handle is gone and must not be touched.
  const state: { snapshot: Snapshot | null; chosenCipher: tls.CipherNameAndProtocol | null } = { snapshot: null, chosenCipher: null };
  const takeSnapshot = (s: tls.TLSSocket): Snapshot =>
    (state.snapshot = { protocol: s.getProtocol() ?? null, cipher: s.getCipher() ?? null, sigalgs: safeSharedSigalgs(s), chain: reconstructedChain(s) });

  const finish = (completed: boolean, failure: HandshakeResult['failure']): HandshakeResult => {
    const secret = serverHandshakeSecret(keylog);
    if (secret && reader.findings.serverHello?.version === 0x0304) {
      decryptServerHandshake(reader.findings, secret);
    }
    const f = reader.findings;
    let chain: Buffer[] = f.certificates ?? [];
    let chainSource: HandshakeResult['chainSource'] = f.certificates ? 'wire' : 'none';
    const snap = state.snapshot;
    if (!f.certificates && snap) {
      chain = snap.chain;
      chainSource = chain.length ? 'reconstructed' : 'none';
    }
    let kind = failure;
    if (f.notTls && (!failure || failure.kind !== 'timeout')) {
      kind = { kind: 'not-tls', code: 'not-tls', message: `the server answered with non-TLS data: ${JSON.stringify(f.notTls.firstBytes.slice(0, 40))}` };
    }
    const sigalgs = snap?.sigalgs ?? [];
    const requested = f.certificateRequest !== null || sigalgs.length > 0 || failure?.kind === 'certificate-required';
    const cipher = completed ? (snap?.cipher ?? null) : null;
    const chosenCipher = snap?.cipher ?? state.chosenCipher;
    const result: HandshakeResult = {
      completed,
      protocol: completed ? (snap?.protocol ?? null) : null,
      serverHelloVersion: f.serverHello ? (VERSION_NAMES[f.serverHello.version] ?? null) : null,
      cipher: cipher ? { name: cipher.name, standardName: cipher.standardName } : null,
      serverHelloCipher: chosenCipher ? { name: chosenCipher.name, standardName: chosenCipher.standardName } : null,
      chain,
      chainSource,
      stapledOcsp: stapled ?? f.stapledOcsp,
      clientCertificate: { requested, acceptableCaNames: f.certificateRequest ? f.certificateRequest.caNames : null },
      failure: kind,
      handshakeMs: Math.round((performance.now() - start) * 10) / 10,
      socket: completed && opts.keepOpen && sock && !sock.destroyed ? sock : null,
    };
    if (!result.socket) {
      sock?.destroy();
      opts.socket.destroy();
    }
    return result;
  };

  return abortable(opts.signal, (onAbort) =>
    new Promise<HandshakeResult>((resolve) => {
      let settled = false;
      const settle = (r: () => HandshakeResult): void => {
        if (settled) return;
        settled = true;
        resolve(r());
      };
      onAbort(() => {
        sock?.destroy();
        opts.socket.destroy();
      });
      const options: tls.ConnectionOptions & { requestOCSP: boolean } = {
        socket: tap,
        servername: opts.servername && !isIP(opts.servername) ? opts.servername : undefined,
        minVersion: opts.minVersion,
        maxVersion: opts.maxVersion,
        ciphers: opts.ciphers,
        ca: [],
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
        // Passed through to TLSSocket: ask the server to staple its OCSP response.
        requestOCSP: opts.requestOcsp,
        minDHSize: 1,
      };
      const s = tls.connect(options);
      sock = s;
      s.on('keylog', (line: Buffer) => {
        keylog.push(line);
        // Secrets are logged once the ServerHello is processed: the cipher is known here even
        // when the server ends the handshake later, as one that requires a client certificate does.
        state.chosenCipher ??= safeCipher(s);
      });
      s.on('OCSPResponse', (resp: Buffer) => {
        if (resp && resp.length) stapled = Buffer.from(resp);
      });
      let handshakeDone = false;
      s.once('secureConnect', () => {
        handshakeDone = true;
        const snap = takeSnapshot(s);
        // In TLS 1.3 a server that insists on a client certificate says so only after
        // our Finished. Wait for its verdict: a session ticket (accepted), an alert
        // (refused), or a few round trips of silence (accepted).
        if (snap.protocol === 'TLSv1.3' && snap.sigalgs.length > 0) {
          const timer = setTimeout(() => settle(() => finish(true, null)), opts.postHandshakeWaitMs);
          timer.unref();
          s.once('session', () => {
            clearTimeout(timer);
            settle(() => finish(true, null));
          });
          return;
        }
        settle(() => finish(true, null));
      });
      s.on('error', (err) => {
        // TLS 1.3 encrypts the CertificateRequest; Node shows it as the signature algorithms
        // shared for a client certificate once the handshake is done.
        const certificateRequested = reader.findings.certificateRequest !== null || (state.snapshot?.sigalgs.length ?? 0) > 0;
        const failure = classify(err, reader, certificateRequested);
        if (handshakeDone && failure.kind !== 'certificate-required') settle(() => finish(true, null));
        else settle(() => finish(false, failure));
      });
      s.once('close', () =>
        settle(() =>
          handshakeDone
            ? finish(true, null)
            : finish(false, { kind: 'closed', code: 'closed', message: 'the server closed the connection during the TLS handshake' }),
        ),
      );
    }),
  ).catch((err: unknown) => {
    const code = errorCode(err);
    if (code === 'timeout' && reader.bytesSeen > 0 && !reader.findings.notTls) {
      const seconds = ((performance.now() - start) / 1000).toFixed(1);
      return finish(false, { kind: 'slow', code, message: `the server had sent only ${reader.bytesSeen} bytes of its handshake after ${seconds} s` });
    }
    return finish(false, { kind: code === 'timeout' ? 'timeout' : 'other', code, message: errorMessage(err) });
  });
}

const VERSION_NAMES: Readonly<Record<number, string>> = { 0x0301: 'TLSv1', 0x0302: 'TLSv1.1', 0x0303: 'TLSv1.2', 0x0304: 'TLSv1.3' };

interface Snapshot {
  readonly protocol: string | null;
  readonly cipher: tls.CipherNameAndProtocol | null;
  readonly sigalgs: string[];
  readonly chain: Buffer[];
}

function safeCipher(s: tls.TLSSocket): tls.CipherNameAndProtocol | null {
  try {
    const c = s.getCipher();
    return c && c.name ? c : null;
  } catch {
    return null;
  }
}

function safeSharedSigalgs(s: tls.TLSSocket): string[] {
  try {
    return s.getSharedSigalgs();
  } catch {
    return [];
  }
}

function reconstructedChain(s: tls.TLSSocket): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  let c: tls.DetailedPeerCertificate | undefined = s.getPeerCertificate(true) as tls.DetailedPeerCertificate;
  while (c && c.raw && !seen.has(c.fingerprint256)) {
    out.push(Buffer.from(c.raw));
    seen.add(c.fingerprint256);
    c = c.issuerCertificate;
  }
  return out;
}

function classify(err: Error, reader: ServerFlightReader, certificateRequested: boolean): NonNullable<HandshakeResult['failure']> {
  // What the server's bytes showed comes first: OpenSSL sees only that they broke its rules.
  if (reader.findings.notTls) return { kind: 'not-tls', code: 'not-tls', message: opensslReason(err, errorCode(err)) };
  if (reader.findings.malformed) return { kind: 'malformed', code: 'malformed', message: reader.findings.malformed };
  const { kind, seen, code, alert } = tlsEnding(err, { certificateRequested, wireAlert: reader.findings.alert?.description ?? null });
  const message =
    alert !== null
      ? `the server ended the handshake with the TLS alert “${alert}”`
      : seen === 'closed'
        ? 'the server closed the connection during the TLS handshake'
        : opensslReason(err, code);
  return { kind, code, message };
}

/** OpenSSL's reason without its internals (file, line, error number), from the error's `reason` field. */
function opensslReason(err: Error, code: string): string {
  if (code === 'ERR_SSL_EXCESSIVE_MESSAGE_SIZE') return 'the server sent a handshake message larger than TLS clients accept (excessive message size)';
  const reason = (err as { reason?: unknown }).reason;
  return typeof reason === 'string' && reason && code.startsWith('ERR_SSL_') ? `${reason} (${code})` : errorMessage(err);
}

/**
 * Passes bytes between TLS and the TCP socket unchanged, showing the server's bytes
 * to `onData` on the way.
 */
class TapSocket extends Duplex {
  constructor(
    private readonly inner: Socket,
    onData: (chunk: Buffer) => void,
  ) {
    super();
    inner.on('data', (chunk: Buffer) => {
      onData(chunk);
      if (!this.push(chunk)) inner.pause();
    });
    inner.on('end', () => this.push(null));
    inner.on('error', (err) => this.destroy(err));
    inner.on('close', () => {
      if (!this.destroyed) this.destroy();
    });
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.inner.destroyed) {
      cb();
      return;
    }
    this.inner.write(chunk, (err) => cb(err ?? null));
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.inner.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    this.inner.destroy();
    cb(err);
  }
}
