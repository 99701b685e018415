/** Validity at a given time: notBefore and notAfter are both inclusive (RFC 5280 §4.1.2.5). */
import { daysUntilExpiry, validityAt } from '../../../src/pki/validity';
import { issue } from '../../helpers/pki';
import { DAY, parsed } from './util';

const notBefore = new Date('2030-01-01T00:00:00Z');
const notAfter = new Date('2030-03-01T12:00:00Z');
const cert = parsed(issue(null, { cn: 'vpn.example.com', notBefore, notAfter }));

test('dates are read as written, to the second', () => {
  expect(cert.notBefore.toISOString()).toBe('2030-01-01T00:00:00.000Z');
  expect(cert.notAfter.toISOString()).toBe('2030-03-01T12:00:00.000Z');
});

test.each([
  [new Date(notBefore.getTime() - 1000), 'not-yet-valid'],
  [notBefore, 'valid'],
  [new Date('2030-02-01T00:00:00Z'), 'valid'],
  [notAfter, 'valid'],
  [new Date(notAfter.getTime() + 1000), 'expired'],
])('at %p the certificate is %s', (at, state) => {
  expect(validityAt(cert, at)).toBe(state);
});

test('days until expiry count whole days, negative once expired', () => {
  expect(daysUntilExpiry(cert, new Date(notAfter.getTime() - 30 * DAY))).toBe(30);
  expect(daysUntilExpiry(cert, new Date(notAfter.getTime() - 30 * DAY + 1000))).toBe(29);
  expect(daysUntilExpiry(cert, notAfter)).toBe(0);
  expect(daysUntilExpiry(cert, new Date(notAfter.getTime() + 3 * DAY))).toBe(-3);
});

test('a date after 2049 (GeneralizedTime) is read correctly', () => {
  const late = parsed(issue(null, { cn: 'vpn.example.com', notBefore, notAfter: new Date('2051-06-30T00:00:00Z') }));
  expect(late.notAfter.toISOString()).toBe('2051-06-30T00:00:00.000Z');
  expect(validityAt(late, new Date('2050-01-01T00:00:00Z'))).toBe('valid');
});
