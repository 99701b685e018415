/**
 * Real TLS handshakes on loopback that end badly, one per way a gateway can end one, and
 * the error object Node's TLS client raised for each: its structured fields (code,
 * library, reason, syscall, errno) and its message. test/fixtures/tls-errors.json holds
 * what Node 20 with OpenSSL 3 recorded; the classifier's unit test reads it, and
 * `RECORD_TLS_ERRORS=1 npx jest test/unit/core/tls-failure.test.ts` writes it anew.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { startOpensslServer } from './openssl';
import { standardChain } from './pki';
import { Servers, startPlainHttpPeer, startRawTlsPeer, startTlsServer, type Running } from './servers';
import { asRecords, handshakeMessage, serverHello12, tlsRecord } from './tls-bytes';

export interface RecordedTlsError {
  /** What the server did. */
  readonly scenario: string;
  /** The server had sent a CertificateRequest before the error. */
  readonly certificateRequested: boolean;
  /** The handshake had completed on the client's side before the error (TLS 1.3 client certificates). */
  readonly afterHandshake: boolean;
  readonly error: {
    readonly code?: string;
    readonly library?: string;
    readonly reason?: string;
    readonly syscall?: string;
    readonly errno?: number;
    readonly message: string;
  };
}

interface Scenario {
  readonly scenario: string;
  readonly certificateRequested: boolean;
  readonly server: (dir: string) => Promise<Running>;
  readonly client?: Partial<tls.ConnectionOptions>;
}

const pki = (): ReturnType<typeof standardChain> => standardChain('localhost');

/** Sends `bytes` once the ClientHello arrives, then closes. */
const raw = (bytes: Buffer) => (): Promise<Running> => startRawTlsPeer({ kind: 'send', bytes, then: 'close' });

const SCENARIOS: readonly Scenario[] = [
  {
    scenario: 'TLS 1.3 server that requires a client certificate (certificate_required alert after the handshake)',
    certificateRequested: true,
    server: async () => {
      const { intermediate, leaf } = pki();
      return startTlsServer({ key: leaf.keyPem, chain: [leaf, intermediate], minVersion: 'TLSv1.3', requestCert: [intermediate], requireCert: true });
    },
  },
  {
    scenario: 'TLS 1.2 server that requires a client certificate (Node)',
    certificateRequested: true,
    server: async () => {
      const { intermediate, leaf } = pki();
      return startTlsServer({ key: leaf.keyPem, chain: [leaf, intermediate], maxVersion: 'TLSv1.2', requestCert: [intermediate], requireCert: true });
    },
  },
  {
    scenario: 'TLS 1.2 server that requires a client certificate (openssl s_server -Verify)',
    certificateRequested: true,
    server: async (dir) => startOpensslServer({ dir, leaf: pki().leaf, protocolFlags: ['-no_tls1_3'], extraArgs: ['-Verify', '1'] }),
  },
  {
    scenario: 'server that accepts only TLS 1.2 and later, offered TLS 1.1 (protocol_version alert)',
    certificateRequested: false,
    server: async () => {
      const { intermediate, leaf } = pki();
      return startTlsServer({ key: leaf.keyPem, chain: [leaf, intermediate], minVersion: 'TLSv1.2' });
    },
    client: { minVersion: 'TLSv1', maxVersion: 'TLSv1.1' },
  },
  {
    scenario: 'server that speaks only TLS 1.0 (openssl s_server -tls1), offered TLS 1.2 and 1.3',
    certificateRequested: false,
    server: async (dir) => startOpensslServer({ dir, leaf: pki().leaf, protocolFlags: ['-tls1'] }),
    client: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' },
  },
  {
    scenario: 'ServerHello choosing TLS 1.0 when TLS 1.2 and 1.3 were offered',
    certificateRequested: false,
    server: raw(asRecords(Buffer.concat([serverHello12().subarray(0, 4), Buffer.from([3, 1]), serverHello12().subarray(6)]))),
    client: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' },
  },
  {
    scenario: 'no cipher in common (handshake_failure alert)',
    certificateRequested: false,
    server: async () => {
      const { intermediate, leaf } = pki();
      return startTlsServer({ key: leaf.keyPem, chain: [leaf, intermediate], maxVersion: 'TLSv1.2', ciphers: 'AES256-SHA' });
    },
    client: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' },
  },
  {
    scenario: 'an alert instead of a ServerHello: internal_error',
    certificateRequested: false,
    server: raw(tlsRecord(21, Buffer.from([2, 80]))),
  },
  {
    scenario: 'an alert instead of a ServerHello: unrecognized_name',
    certificateRequested: false,
    server: raw(tlsRecord(21, Buffer.from([2, 112]))),
  },
  {
    scenario: 'a plain HTTP server on the port',
    certificateRequested: false,
    server: startPlainHttpPeer,
  },
  {
    scenario: 'a handshake message longer than TLS clients accept',
    certificateRequested: false,
    server: raw(asRecords(Buffer.concat([serverHello12(), handshakeMessage(11, Buffer.alloc(0)).subarray(0, 1), Buffer.from([0xff, 0xff, 0xff])]))),
  },
  {
    scenario: 'the server resets the connection at once',
    certificateRequested: false,
    server: () => startRawTlsPeer({ kind: 'reset-at-once' }),
  },
  {
    scenario: 'the server resets the connection after the ClientHello',
    certificateRequested: false,
    server: () => startRawTlsPeer({ kind: 'send', bytes: Buffer.alloc(0), then: 'reset' }),
  },
  {
    scenario: 'the server closes the connection at once',
    certificateRequested: false,
    server: () => startRawTlsPeer({ kind: 'close-at-once' }),
  },
];

/** One handshake: the first error the client raised, and whether the handshake had completed. */
function handshake(port: number, extra: Partial<tls.ConnectionOptions>): Promise<{ err: NodeJS.ErrnoException & { library?: string; reason?: string }; afterHandshake: boolean }> {
  return new Promise((resolve, reject) => {
    let done = false;
    const s = tls.connect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: [],
      rejectUnauthorized: false,
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.3',
      ciphers: 'DEFAULT@SECLEVEL=0',
      minDHSize: 1,
      ...extra,
    });
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no error from the server on port ${port} within 5 s`));
    }, 5000);
    s.once('secureConnect', () => (done = true));
    s.once('error', (err) => {
      clearTimeout(timer);
      s.destroy();
      resolve({ err, afterHandshake: done });
    });
    s.once('close', () => {
      clearTimeout(timer);
      reject(new Error(`the connection to port ${port} closed without an error`));
    });
  });
}

/** Runs every scenario against a fresh server and returns what Node raised. */
export async function recordTlsErrors(): Promise<RecordedTlsError[]> {
  const servers = new Servers();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vpf-tls-errors-'));
  try {
    const out: RecordedTlsError[] = [];
    for (const sc of SCENARIOS) {
      const server = servers.track(await sc.server(dir));
      const { err, afterHandshake } = await handshake(server.port, sc.client ?? {});
      const pick = <K extends 'code' | 'library' | 'reason' | 'syscall' | 'errno'>(k: K) => (err[k] === undefined ? {} : { [k]: err[k] });
      out.push({
        scenario: sc.scenario,
        certificateRequested: sc.certificateRequested,
        afterHandshake,
        error: { ...pick('code'), ...pick('library'), ...pick('reason'), ...pick('syscall'), ...pick('errno'), message: err.message },
      });
    }
    return out;
  } finally {
    await servers.closeAll();
    rmSync(dir, { recursive: true, force: true });
  }
}
