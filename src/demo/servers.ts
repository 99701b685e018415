import * as dgram from 'node:dgram';
import * as http from 'node:http';
import type { AddressInfo, Server, Socket } from 'node:net';
import * as tls from 'node:tls';

/** A loopback server of the demo, closed when the demo ends. */
export interface DemoServer {
  readonly port: number;
  close(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

function track(server: Server, sockets: Set<Socket>): void {
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
}

/**
 * The login form a demo gateway offers: what an AnyConnect-compatible gateway answers to
 * the client's config-auth init (openconnect's protocol draft, §5.2 of the facts).
 */
const DEMO_AUTH_REQUEST = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<config-auth client="vpn" type="auth-request" aggregate-auth-version="2">',
  '<version who="sg">0.1(1)</version>',
  '<opaque is-for="sg"><tunnel-group>demo</tunnel-group><auth-method>password</auth-method></opaque>',
  '<auth id="main"><title>Demo login</title><message>Please enter your username.</message>',
  '<form method="post" action="/auth"><input type="text" name="username" label="Username:" />',
  '<select name="group_list" label="GROUP:"><option value="demo" selected="true">demo</option></select></form></auth>',
  '</config-auth>',
  '',
].join('\n');

/**
 * A TLS gateway on 127.0.0.1 that sends exactly `chainPem` (leaf first) and answers the
 * AnyConnect login request with a login form, like a real gateway (nothing is checked).
 */
export async function startDemoGateway(keyPem: string, chainPem: string): Promise<DemoServer> {
  const sockets = new Set<Socket>();
  const login = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/xml', 'x-aggregate-auth': '1', 'x-transcend-version': '1' });
      res.end(DEMO_AUTH_REQUEST);
    });
  });
  const server = tls.createServer({ key: keyPem, cert: chainPem, minVersion: 'TLSv1.2' }, (s) => {
    s.on('error', () => undefined);
    login.emit('connection', s);
  });
  server.on('tlsClientError', () => undefined);
  track(server, sockets);
  const port = await listen(server);
  return { port, close: closer(server, sockets) };
}

/** Serves one certificate (DER) at any path: the AIA "CA Issuers" URL of the demo. */
export async function startDemoAia(der: Buffer): Promise<DemoServer> {
  const sockets = new Set<Socket>();
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/pkix-cert', 'content-length': der.length });
    res.end(der);
  });
  track(server, sockets);
  const port = await listen(server);
  return { port, close: closer(server, sockets) };
}

const NTP_EPOCH_OFFSET_S = 2_208_988_800;

function ntpTimestamp(ms: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE((Math.floor(ms / 1000) + NTP_EPOCH_OFFSET_S) >>> 0, 0);
  b.writeUInt32BE(Math.floor(((ms % 1000) / 1000) * 2 ** 32) >>> 0, 4);
  return b;
}

/**
 * A truthful NTP server on 127.0.0.1: it answers with this computer's own clock, so
 * the demo needs no Internet and the clock check passes.
 */
export async function startDemoNtp(): Promise<DemoServer> {
  const sock = dgram.createSocket('udp4');
  sock.on('message', (msg, rinfo) => {
    if (msg.length < 48) return;
    const now = Date.now();
    const reply = Buffer.alloc(48);
    reply[0] = (0 << 6) | (4 << 3) | 4; // no leap warning, version 4, server
    reply[1] = 2; // stratum
    reply[2] = 4;
    reply[3] = 0xec;
    Buffer.from('LOCL', 'latin1').copy(reply, 12);
    ntpTimestamp(now - 16_000).copy(reply, 16);
    msg.copy(reply, 24, 40, 48); // origin timestamp: the client's transmit time
    ntpTimestamp(now).copy(reply, 32);
    ntpTimestamp(now).copy(reply, 40);
    sock.send(reply, rinfo.port, rinfo.address);
  });
  sock.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, '127.0.0.1', () => resolve());
  });
  return { port: sock.address().port, close: () => new Promise<void>((r) => sock.close(() => r())) };
}
