/**
 * Peers that misbehave on purpose, on loopback: TLS servers that send garbage, stop
 * halfway, drip, alert or hang up; HTTP servers with endless, slow or bombed bodies and
 * redirect tricks. The TLS flights are built byte by byte (test/helpers/tls-bytes.ts), so
 * each cut lands exactly where the test says.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import { gzipSync } from 'node:zlib';
import { listenOn, running, type Running } from '../helpers/servers';

export { asRecords, certificateMessage, handshakeMessage, serverHello12, tlsRecord } from '../helpers/tls-bytes';

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

/** Writes 64 KiB chunks for as long as the client reads (an endless body). */
export function endlessBody(contentType: string): http.RequestListener {
  return (req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': contentType });
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    const pump = (): void => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  };
}

/** Sends the body one byte per `everyMs`, never finishing in time. */
export function slowDrip(contentType: string, everyMs = 1000): http.RequestListener {
  return (req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': contentType });
    const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write('0')), everyMs);
    res.on('close', () => clearInterval(timer));
  };
}

/** 64 MiB of zeros, gzipped to ~64 KiB, sent as Content-Encoding: gzip whatever was asked. */
export const GZIP_BOMB = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });

export function gzipBomb(contentType: string): http.RequestListener {
  return (req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': contentType, 'content-encoding': 'gzip', 'content-length': String(GZIP_BOMB.length) });
    res.end(GZIP_BOMB);
  };
}

/** Answers every request with a redirect to `location(req)`. */
export function redirectTo(location: (req: http.IncomingMessage) => string, status = 302): http.RequestListener {
  return (req, res) => {
    req.resume();
    res.writeHead(status, { location: location(req) });
    res.end();
  };
}
