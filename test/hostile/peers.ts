/**
 * HTTP peers that misbehave on purpose, on loopback: endless, slow or bombed bodies and
 * redirect tricks. The scripted TLS peer (garbage, a cut flight, a drip, an alert, a hang-up)
 * is startRawTlsPeer in test/helpers/servers.ts; its flights are built byte by byte
 * (test/helpers/tls-bytes.ts, re-exported here), so each cut lands exactly where the test says.
 */
import * as http from 'node:http';
import { gzipSync } from 'node:zlib';

export { asRecords, certificateMessage, handshakeMessage, serverHello12, tlsRecord } from '../helpers/tls-bytes';

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
