/**
 * The config-auth init exchange over a real TLS connection on loopback: how a gateway that
 * wants a client certificate is recognised, and a reply too large to read whole.
 */
import type * as http from 'node:http';
import { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { configAuthInit } from '../../../src/probes/anyconnect';
import type { GatewayFacts } from '../../../src/run-facts';
import { parseTarget } from '../../../src/target';
import { standardChain } from '../../helpers/pki';
import { ASA_AUTH_REQUEST, Servers, startTlsServer } from '../../helpers/servers';

const servers = new Servers();
afterAll(() => servers.closeAll());
const { intermediate, leaf } = standardChain('localhost');

function connect(port: number): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false }, () => resolve(s));
    s.once('error', reject);
  });
}

/** A gateway answering the init with `body` (text/xml). */
async function answering(body: string): Promise<number> {
  const onRequest: http.RequestListener = (req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(body);
  };
  return servers.track(await startTlsServer({ key: leaf.keyPem, chain: [leaf, intermediate], onRequest })).port;
}

function init(socket: tls.TLSSocket, certificateRequested: boolean): Promise<GatewayFacts> {
  return configAuthInit({
    socket,
    target: parseTarget('localhost'),
    platform: 'linux',
    timeoutMs: 5000,
    signal: new AbortController().signal,
    now: () => new Date(),
    certificateRequested,
  }).finally(() => socket.destroy());
}

describe('a gateway that wants a client certificate', () => {
  test('TLS 1.3: the certificate_required alert after the handshake says so, whatever the handshake showed', async () => {
    const { port } = servers.track(await startTlsServer({ key: leaf.keyPem, chain: [leaf, intermediate], requestCert: [intermediate], requireCert: true }));
    const g = await init(await connect(port), false);
    expect(g).toMatchObject({ kind: 'client-cert-required', why: 'client-cert-required', status: null });
    expect(g.detail).toContain('the connection ended without an HTTP answer');
  });

  test('a handshake_failure alert after a handshake that asked for nothing ends a renegotiation: the gateway asked for a certificate there (TLS 1.2, as the ASA does per group)', async () => {
    const g = await init(handshakeFailureAfterRequest(), false);
    expect(g).toMatchObject({ kind: 'client-cert-required', why: 'client-cert-required', status: null });
  });

  test('a connection that merely ends after a handshake that asked for nothing is no answer, not a certificate demand', async () => {
    const g = await init(closedAfterRequest(), false);
    expect(g).toMatchObject({ kind: 'not-anyconnect', why: 'no-answer' });
  });

  test('the same hang-up from a gateway that asked for a certificate in the handshake is its demand for one', async () => {
    const g = await init(closedAfterRequest(), true);
    expect(g).toMatchObject({ kind: 'client-cert-required', why: 'client-cert-required', status: null });
  });

  test('the same alert from a gateway that asked for a certificate in the handshake is its demand for one, as the TLS probe judges it', async () => {
    const g = await init(handshakeFailureAfterRequest(), true);
    expect(g).toMatchObject({ kind: 'client-cert-required', why: 'client-cert-required', status: null });
  });
});

/** A connection that answers the request with what OpenSSL reports for a handshake_failure alert. */
function handshakeFailureAfterRequest(): tls.TLSSocket {
  const socket = new Duplex({
    read() {},
    write(_chunk, _encoding, done) {
      done();
      setImmediate(() => socket.destroy(Object.assign(new Error('sslv3 alert handshake failure'), { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' })));
    },
  });
  return socket as unknown as tls.TLSSocket;
}

/** A connection that answers the request by closing, without an alert. */
function closedAfterRequest(): tls.TLSSocket {
  const socket = new Duplex({
    read() {},
    write(_chunk, _encoding, done) {
      done();
      setImmediate(() => socket.push(null));
    },
  });
  return socket as unknown as tls.TLSSocket;
}

describe('a reply larger than 256 KiB', () => {
  test('a complete login form followed by more than the limit is too large, never read as a gateway', async () => {
    const port = await answering(`${ASA_AUTH_REQUEST}${' '.repeat(300 * 1024)}`);
    const g = await init(await connect(port), false);
    expect(g).toMatchObject({ kind: 'not-anyconnect', why: 'too-large', status: 200, serverVersion: null, groups: [] });
    expect(g.detail).toBe('the reply is larger than 256 KiB; only that much was read');
  });

  test('a reply of exactly the limit is read', async () => {
    const port = await answering(ASA_AUTH_REQUEST.padEnd(256 * 1024, ' '));
    expect(await init(await connect(port), false)).toMatchObject({ kind: 'anyconnect', serverVersion: '9.16(4)' });
  });
});
