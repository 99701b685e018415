/**
 * Inputs the fuzzing found, kept as plain tests so each fix stays fixed whatever the seed.
 */
import { parseScutilDictionary } from '../../platform/macos-parsers';
import type { Certificate } from '../../src/pki/certificate';
import { matchHostname } from '../../src/pki/hostname';
import { displaySafe, hasUnsafeCharacters } from '../../src/pki/text';
import { readReply } from '../../src/probes/anyconnect';
import { emptyFindings, feedHandshake } from '../../src/probes/tls-wire';
import { parseTarget } from '../../src/target';

test('session values are blanked even when one session element opens right where another ends', () => {
  const body =
    '<config-auth client="vpn" type="complete"><session-id>S<session-token>TOKEN-secret-2</session-token>SSIONID-secret-1</session-id><ession-token>TOKEN-secret-2<x/></session-token></config-auth>';
  const facts = readReply({ status: 0, headers: {}, body: Buffer.from(body), receivedAt: new Date() }, parseTarget('vpn.example.com'));
  expect(JSON.stringify(facts)).not.toContain('secret');
});

test('an XML error naming a broken tag does not carry a webvpn cookie into the facts', () => {
  const body = '<config-auth client="vpn" type="auth-request"><version who="sg">9.16(4)<webvpn=COOKIE-secret-3;version></config-auth>';
  const facts = readReply({ status: 200, headers: {}, body: Buffer.from(body), receivedAt: new Date() }, parseTarget('vpn.example.com'));
  expect(JSON.stringify(facts)).not.toContain('COOKIE-secret-3');
});

test('a "__proto__" key in scutil output is an own property, not the dictionary’s prototype', () => {
  const d = parseScutilDictionary('<dictionary> {\n  __proto__ : <dictionary> {\n    HTTPEnable : 1\n  }\n}\n');
  expect(Object.getPrototypeOf(d)).toBe(Object.prototype);
  expect((d as Record<string, unknown>).HTTPEnable).toBeUndefined();
  expect(Object.keys(d)).toEqual(['__proto__']);
});

test('cutting a long text for display never leaves half a surrogate pair', () => {
  const shown = displaySafe(`${'a'.repeat(9)}𐀀tail`, 10);
  expect(hasUnsafeCharacters(shown)).toBe(false);
  expect(shown.startsWith('aaaaaaaaa…')).toBe(true);
});

test('a Certificate message with lying lengths is an Error from the reader, which the TLS 1.3 path now catches', () => {
  expect(() => feedHandshake(Buffer.from([11, 0, 0, 7, 0, 0, 0xff, 0xff, 0, 0, 1]), emptyFindings())).toThrow(Error);
});

test('a partial wildcard of forty stars is matched in linear time', () => {
  const cert = { san: { dns: [`${'*'.repeat(40)}x.example.com`], ip: [] }, commonNames: [] } as unknown as Certificate;
  const t0 = performance.now();
  expect(matchHostname(cert, 'vpn-gateway-tokyo-01.corp.example.com', () => false).matched).toBe(false);
  expect(performance.now() - t0).toBeLessThan(100);
});
