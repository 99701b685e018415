/**
 * How a TLS connection's ending is judged, over the error objects Node 20 with OpenSSL 3
 * raised in real handshakes on loopback (test/fixtures/tls-errors.json, recorded by
 * test/helpers/tls-errors.ts). Only the structured fields may decide: the same objects with
 * a message and reason no OpenSSL ever wrote are judged the same.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { receivedAlert, tlsEnding, type HandshakeFailure } from '../../../src/probes/tls-failure';
import { recordTlsErrors, type RecordedTlsError } from '../../helpers/tls-errors';

const FIXTURE = path.join(__dirname, '../../fixtures/tls-errors.json');
const RECORDED = JSON.parse(readFileSync(FIXTURE, 'utf8')) as RecordedTlsError[];

/** What each recorded ending is, and what it is when the server had not asked for a client certificate. */
const EXPECTED: Record<string, { kind: HandshakeFailure; unasked: HandshakeFailure; alert: string | null }> = {
  'TLS 1.3 server that requires a client certificate (certificate_required alert after the handshake)': { kind: 'certificate-required', unasked: 'certificate-required', alert: 'certificate_required' },
  'TLS 1.2 server that requires a client certificate (Node)': { kind: 'certificate-required', unasked: 'handshake-failure', alert: 'handshake_failure' },
  'TLS 1.2 server that requires a client certificate (openssl s_server -Verify)': { kind: 'certificate-required', unasked: 'handshake-failure', alert: 'handshake_failure' },
  'server that accepts only TLS 1.2 and later, offered TLS 1.1 (protocol_version alert)': { kind: 'protocol-version', unasked: 'protocol-version', alert: 'protocol_version' },
  'server that speaks only TLS 1.0 (openssl s_server -tls1), offered TLS 1.2 and 1.3': { kind: 'protocol-version', unasked: 'protocol-version', alert: 'protocol_version' },
  'ServerHello choosing TLS 1.0 when TLS 1.2 and 1.3 were offered': { kind: 'protocol-version', unasked: 'protocol-version', alert: null },
  'no cipher in common (handshake_failure alert)': { kind: 'handshake-failure', unasked: 'handshake-failure', alert: 'handshake_failure' },
  'an alert instead of a ServerHello: internal_error': { kind: 'handshake-failure', unasked: 'handshake-failure', alert: 'internal_error' },
  'an alert instead of a ServerHello: unrecognized_name': { kind: 'handshake-failure', unasked: 'handshake-failure', alert: 'unrecognized_name' },
  'a plain HTTP server on the port': { kind: 'not-tls', unasked: 'not-tls', alert: null },
  'a handshake message longer than TLS clients accept': { kind: 'other', unasked: 'other', alert: null },
  'the server resets the connection at once': { kind: 'reset', unasked: 'reset', alert: null },
  'the server resets the connection after the ClientHello': { kind: 'reset', unasked: 'reset', alert: null },
  'the server closes the connection at once': { kind: 'closed', unasked: 'closed', alert: null },
};

/** The recorded error as Node hands it over: an Error carrying the recorded fields. */
function asError(r: RecordedTlsError, overrides: Partial<RecordedTlsError['error']> = {}): Error {
  const { message, ...fields } = { ...r.error, ...overrides };
  return Object.assign(new Error(message), fields);
}

const cases = RECORDED.map((r) => [r.scenario, r] as const);

test('every recorded ending has an expectation, and every expectation a recording', () => {
  expect(RECORDED.map((r) => r.scenario).sort()).toEqual(Object.keys(EXPECTED).sort());
});

test.each(cases)('%s', (scenario, r) => {
  const e = EXPECTED[scenario]!;
  expect(tlsEnding(asError(r), { certificateRequested: r.certificateRequested })).toMatchObject({ kind: e.kind, code: r.error.code, alert: e.alert });
  expect(tlsEnding(asError(r), { certificateRequested: false }).kind).toBe(e.unasked);
});

test.each(cases)('a message and reason no OpenSSL wrote change nothing: %s', (scenario, r) => {
  const e = EXPECTED[scenario]!;
  const strange = asError(r, {
    message: 'E0000000:error:0AFFFFFF:SSL routines:somewhere_else:a wording from a future OpenSSL:ssl/none.c:1:',
    ...(r.error.reason ? { reason: 'a wording from a future OpenSSL' } : {}),
  });
  expect(tlsEnding(strange, { certificateRequested: r.certificateRequested }).kind).toBe(e.kind);
});

test('the TLS 1.3 certificate_required alert with an unknown message is still a demand for a client certificate, even from a server that seemed not to ask', () => {
  const r = RECORDED.find((x) => x.error.code === 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED')!;
  const err = asError(r, { message: 'the peer wants something', reason: 'unknown' });
  expect(tlsEnding(err, { certificateRequested: false })).toMatchObject({ kind: 'certificate-required', alert: 'certificate_required' });
});

test('an error message that names a certificate is not read: without the code it is no certificate demand', () => {
  const err = Object.assign(new Error('tlsv13 alert certificate required'), { code: 'ERR_SOMETHING_ELSE' });
  expect(tlsEnding(err, { certificateRequested: false }).kind).toBe('other');
});

test('a close without an error: closed, or a certificate demand from a server that asked for one', () => {
  expect(tlsEnding(null, { certificateRequested: false })).toMatchObject({ kind: 'closed', seen: 'closed', alert: null });
  expect(tlsEnding(null, { certificateRequested: true })).toMatchObject({ kind: 'certificate-required', seen: 'closed' });
});

test('an alert read from the handshake bytes names the ending when the code does not', () => {
  const err = Object.assign(new Error('x'), { code: 'ERR_SSL_SOMETHING_NEW' });
  expect(tlsEnding(err, { certificateRequested: false, wireAlert: 70 })).toMatchObject({ kind: 'protocol-version', alert: 'protocol_version' });
  expect(tlsEnding(err, { certificateRequested: false, wireAlert: 116 })).toMatchObject({ kind: 'certificate-required', alert: 'certificate_required' });
  expect(tlsEnding(err, { certificateRequested: false, wireAlert: 40 })).toMatchObject({ kind: 'handshake-failure', alert: 'handshake_failure' });
});

test('received-alert codes name their alert; codes for errors this side raised name none', () => {
  expect(receivedAlert('ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE')).toBe('bad_certificate');
  expect(receivedAlert('ERR_SSL_TLSV1_ALERT_USER_CANCELLED')).toBe('user_canceled');
  expect(receivedAlert('ERR_SSL_TLSV1_BAD_CERTIFICATE_STATUS_RESPONSE')).toBe('bad_certificate_status_response');
  expect(receivedAlert('ERR_SSL_WRONG_VERSION_NUMBER')).toBeNull();
  expect(receivedAlert('ERR_SSL_UNSUPPORTED_PROTOCOL')).toBeNull();
  expect(receivedAlert('ECONNRESET')).toBeNull();
});

test('this Node and OpenSSL still raise the recorded codes (RECORD_TLS_ERRORS=1 records them anew)', async () => {
  const live = await recordTlsErrors();
  if (process.env.RECORD_TLS_ERRORS === '1') {
    // Recording: the new file is the reference from now on (read its diff before committing).
    writeFileSync(FIXTURE, `${JSON.stringify(live, null, 2)}\n`);
    return;
  }
  const shape = (list: readonly RecordedTlsError[]) =>
    list.map((r) => ({ scenario: r.scenario, afterHandshake: r.afterHandshake, code: r.error.code, library: r.error.library, syscall: r.error.syscall !== undefined }));
  expect(shape(live)).toEqual(shape(RECORDED));
});
