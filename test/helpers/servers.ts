/**
 * Real servers on loopback for the tests: TLS with chosen certificates, a TCP server
 * that never speaks, HTTP for AIA/OCSP/CRL, and an NTP responder that lies by a chosen
 * offset. Every server listens on 127.0.0.1 on a free port and is closed by `closeAll`.
 */
import * as dgram from 'node:dgram';
import * as http from 'node:http';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { Issued } from './pki';

export interface Running {
  readonly port: number;
  close(): Promise<void>;
}

export class Servers {
  private readonly running: Running[] = [];

  track<T extends Running>(r: T): T {
    this.running.push(r);
    return r;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.running.splice(0).map((r) => r.close().catch(() => undefined)));
  }
}

/** Listens on `host` (default loopback) on a free port. */
export function listenOn(server: net.Server, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port));
  });
}

/** A Running for a net.Server, destroying its open sockets on close. */
export function running(server: net.Server, port: number): Running {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface TlsServerOptions {
  /** The leaf's key. */
  readonly key: string;
  /** Certificates to send, in this exact order (leaf first, unless testing a wrong order). */
  readonly chain: ReadonlyArray<Issued | string>;
  readonly minVersion?: tls.SecureVersion;
  readonly maxVersion?: tls.SecureVersion;
  readonly ciphers?: string;
  /** Ask for a client certificate, naming these CAs. */
  readonly requestCert?: ReadonlyArray<Issued>;
  /** With requestCert: refuse clients without one. */
  readonly requireCert?: boolean;
  /** OCSP response (DER) to staple. */
  readonly ocspResponse?: Buffer;
  /** Answer HTTP requests after the handshake (AnyConnect probe). */
  readonly onRequest?: http.RequestListener;
  /** The address to listen on (default 127.0.0.1). */
  readonly host?: string;
}

export async function startTlsServer(opts: TlsServerOptions): Promise<Running> {
  const cert = opts.chain.map((c) => (typeof c === 'string' ? c : c.pem)).join('');
  const server = tls.createServer({
    key: opts.key,
    cert,
    minVersion: opts.minVersion ?? 'TLSv1.2',
    maxVersion: opts.maxVersion ?? 'TLSv1.3',
    ciphers: opts.ciphers ?? 'DEFAULT@SECLEVEL=0',
    ...(opts.requestCert ? { requestCert: true, rejectUnauthorized: Boolean(opts.requireCert), ca: opts.requestCert.map((c) => c.pem) } : {}),
  });
  if (opts.ocspResponse) {
    const resp = opts.ocspResponse;
    server.on('OCSPRequest', (_cert: Buffer, _issuer: Buffer, cb: (err: Error | null, resp?: Buffer) => void) => cb(null, resp));
  }
  // Every test gateway answers AnyConnect's login request like an ASA unless told otherwise.
  const httpServer = http.createServer(opts.onRequest ?? anyconnectReply);
  server.on('secureConnection', (s) => {
    s.on('error', () => undefined);
    httpServer.emit('connection', s);
  });
  server.on('tlsClientError', () => undefined);
  const port = await listenOn(server, opts.host);
  return running(server, port);
}

/** Accepts TCP connections and never sends a byte. */
export async function startSilentServer(): Promise<Running> {
  const server = net.createServer();
  return running(server, await listenOn(server));
}

/** Runs a raw TCP handler (for servers that misbehave on purpose). */
export async function startRawServer(handler: (s: net.Socket) => void): Promise<Running> {
  const server = net.createServer(handler);
  return running(server, await listenOn(server));
}

/** A port on which nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listenOn(server);
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export interface HttpServer extends Running {
  url(path: string): string;
  /** Every request as `METHOD /path`. */
  readonly hits: string[];
  /** Every request: method, path and the headers the client sent. */
  readonly requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders }>;
}

/** Plain HTTP on `host` (default loopback), recording each request: AIA, OCSP and CRL URLs, and peers that misbehave. */
export async function startHttpServer(handler: http.RequestListener, host = '127.0.0.1'): Promise<HttpServer> {
  const hits: string[] = [];
  const requests: HttpServer['requests'] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    res.on('error', () => undefined);
    handler(req, res);
  });
  const port = await listenOn(server, host);
  return { ...running(server, port), hits, requests, url: (p) => `http://${host}:${port}${p}` };
}

export type NtpBehaviour =
  | 'truthful'
  | 'silent'
  | 'garbage'
  | 'short'
  | 'wrong-mode'
  | 'kiss-of-death'
  | 'zero-timestamps'
  | 'wrong-port'
  /** Answers with another request's origin timestamp (a blind spoofer's guess). */
  | 'wrong-origin'
  /** A forged reply a year ahead with a wrong origin timestamp, then the genuine one. */
  | 'spoofed-then-true'
  /** The same genuine reply twenty times. */
  | 'many-replies';

export interface NtpServerOptions {
  /** How far the server's clock is ahead of this machine's (ms). */
  readonly offsetMs?: number;
  readonly behaviour?: NtpBehaviour;
}

const NTP_EPOCH_OFFSET_S = 2_208_988_800;

function ntpTimestamp(ms: number): Buffer {
  const b = Buffer.alloc(8);
  const seconds = Math.floor(ms / 1000) + NTP_EPOCH_OFFSET_S;
  b.writeUInt32BE(seconds >>> 0, 0);
  b.writeUInt32BE(Math.floor(((ms % 1000) / 1000) * 2 ** 32) >>> 0, 4);
  return b;
}

/** An NTP server that answers with a chosen offset, or misbehaves as asked. */
export async function startNtpServer(opts: NtpServerOptions = {}): Promise<Running> {
  const behaviour = opts.behaviour ?? 'truthful';
  const offset = opts.offsetMs ?? 0;
  const sock = dgram.createSocket('udp4');
  const other = behaviour === 'wrong-port' ? dgram.createSocket('udp4') : null;
  sock.on('message', (msg, rinfo) => {
    if (behaviour === 'silent' || msg.length < 48) return;
    const now = Date.now() + offset;
    const reply = Buffer.alloc(48);
    reply[0] = (0 << 6) | (4 << 3) | 4; // LI 0, v4, server
    reply[1] = 2; // stratum
    reply[2] = 4;
    reply[3] = 0xec;
    Buffer.from('GPS\0', 'latin1').copy(reply, 12);
    msg.copy(reply, 24, 40, 48); // origin = client's transmit
    ntpTimestamp(now).copy(reply, 32);
    ntpTimestamp(now).copy(reply, 40);
    ntpTimestamp(now - 10_000).copy(reply, 16);
    let out: Buffer = reply;
    switch (behaviour) {
      case 'garbage':
        out = Buffer.from('this is not an NTP packet at all, but it is long enough to look like one!!', 'latin1');
        break;
      case 'short':
        out = reply.subarray(0, 20);
        break;
      case 'wrong-mode':
        reply[0] = (0 << 6) | (4 << 3) | 3;
        break;
      case 'kiss-of-death':
        reply[1] = 0;
        Buffer.from('DENY', 'latin1').copy(reply, 12);
        break;
      case 'zero-timestamps':
        reply.fill(0, 32, 48);
        break;
      case 'wrong-origin':
        reply.writeUInt32BE((reply.readUInt32BE(24) + 1) >>> 0, 24);
        break;
      case 'spoofed-then-true': {
        const forged = Buffer.from(reply);
        forged.writeUInt32BE((forged.readUInt32BE(24) ^ 0x5a5a5a5a) >>> 0, 24);
        ntpTimestamp(now + 365 * 86_400_000).copy(forged, 32);
        ntpTimestamp(now + 365 * 86_400_000).copy(forged, 40);
        sock.send(forged, rinfo.port, rinfo.address);
        break;
      }
      case 'many-replies':
        for (let i = 0; i < 19; i++) sock.send(reply, rinfo.port, rinfo.address);
        break;
      default:
        break;
    }
    (other ?? sock).send(out, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  if (other) await new Promise<void>((r) => other.bind(0, '127.0.0.1', () => r()));
  const port = sock.address().port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        other?.close();
        sock.close(() => resolve());
      }),
  };
}

/**
 * Answers AnyConnect's config-auth init the way a Cisco ASA does (login form, tunnel
 * groups, X-Aggregate-Auth), so a test gateway built on startTlsServer is an
 * AnyConnect-compatible gateway. startTlsServer uses it unless given another `onRequest`.
 */
export const ASA_AUTH_REQUEST = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<config-auth client="vpn" type="auth-request" aggregate-auth-version="2">',
  '<version who="sg">9.16(4)</version>',
  '<opaque is-for="sg"><tunnel-group>DefaultWEBVPNGroup</tunnel-group><group-alias>Employees</group-alias><aggauth-handle>136775778</aggauth-handle><auth-method>password</auth-method><config-hash>1595829378234</config-hash></opaque>',
  '<auth id="main"><title>Login</title><message>Please enter your username and password.</message><banner></banner>',
  '<form>',
  '<input type="text" name="username" label="Username:"></input>',
  '<input type="password" name="password" label="Password:"></input>',
  '<select name="group_list" label="GROUP:"><option value="Employees" selected="true">Employees</option><option value="Contractors">Contractors</option></select>',
  '</form></auth>',
  '</config-auth>',
  '',
].join('\n');

export const anyconnectReply: http.RequestListener = (req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/xml', 'x-aggregate-auth': '1', 'x-transcend-version': '1' });
    res.end(ASA_AUTH_REQUEST);
  });
};

export type RawTlsBehaviour =
  | { readonly kind: 'send'; readonly bytes: Buffer; readonly then: 'close' | 'hang' | 'reset' }
  | { readonly kind: 'drip'; readonly bytes: Buffer; readonly everyMs: number }
  | { readonly kind: 'close-at-once' }
  | { readonly kind: 'reset-at-once' };

/**
 * A TCP server that plays a scripted TLS server: waits for the client's first bytes (the
 * ClientHello), then sends `bytes` and closes, hangs, resets — or drips them one byte at a time.
 */
export async function startRawTlsPeer(behaviour: RawTlsBehaviour, host = '127.0.0.1'): Promise<Running & { readonly connections: () => number }> {
  let connections = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server = net.createServer((s) => {
    connections++;
    s.on('error', () => undefined);
    if (behaviour.kind === 'close-at-once') return void s.end();
    if (behaviour.kind === 'reset-at-once') return void s.resetAndDestroy();
    s.once('data', () => {
      if (behaviour.kind === 'send') {
        s.write(behaviour.bytes, () => {
          if (behaviour.then === 'close') s.end();
          else if (behaviour.then === 'reset') s.resetAndDestroy();
        });
        return;
      }
      let i = 0;
      const timer = setInterval(() => {
        if (s.destroyed || i >= behaviour.bytes.length) {
          clearInterval(timer);
          timers.delete(timer);
          return;
        }
        s.write(behaviour.bytes.subarray(i, ++i));
      }, behaviour.everyMs);
      timers.add(timer);
    });
  });
  const port = await listenOn(server, host);
  const r = running(server, port);
  return {
    port,
    connections: () => connections,
    close: async () => {
      for (const t of timers) clearInterval(t);
      await r.close();
    },
  };
}

/** A plain HTTP server on the gateway's port (a proxy or web server where TLS was expected). */
export async function startPlainHttpPeer(): Promise<Running> {
  const server = http.createServer((_req, res) => {
    res.writeHead(400, { 'content-type': 'text/html' });
    res.end('<html><body><h1>400 Bad Request</h1>The plain HTTP request was sent to HTTPS port</body></html>');
  });
  const port = await listenOn(server);
  return running(server, port);
}
