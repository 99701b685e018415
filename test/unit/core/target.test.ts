/**
 * The gateway as users type it: host, host:port, the AnyConnect URL with a group path,
 * IP literals. Anything else is a usage error with a plain explanation.
 */
import { UsageError } from '../../../src/errors';
import { parseHostPort, parseTarget } from '../../../src/target';

function usageError(input: string): UsageError {
  try {
    parseTarget(input);
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error(`${JSON.stringify(input)} was accepted`);
}

describe('gateways that parse', () => {
  test.each([
    ['vpn.example.com', 'vpn.example.com', 443, '/', 0, 'https://vpn.example.com'],
    ['vpn.example.com:8443', 'vpn.example.com', 8443, '/', 0, 'https://vpn.example.com:8443'],
    ['https://vpn.example.com/staff', 'vpn.example.com', 443, '/staff', 0, 'https://vpn.example.com/staff'],
    ['https://vpn.example.com:10443/Staff', 'vpn.example.com', 10443, '/Staff', 0, 'https://vpn.example.com:10443/Staff'],
    ['HTTPS://VPN.Example.COM', 'vpn.example.com', 443, '/', 0, 'https://vpn.example.com'],
    ['VPN.EXAMPLE.COM:443', 'vpn.example.com', 443, '/', 0, 'https://vpn.example.com'],
    ['vpn.example.com.', 'vpn.example.com', 443, '/', 0, 'https://vpn.example.com'],
    ['https://vpn.example.com.:8443/', 'vpn.example.com', 8443, '/', 0, 'https://vpn.example.com:8443'],
    ['  vpn.example.com  ', 'vpn.example.com', 443, '/', 0, 'https://vpn.example.com'],
    ['vpn.example.com:1', 'vpn.example.com', 1, '/', 0, 'https://vpn.example.com:1'],
    ['vpn.example.com:65535', 'vpn.example.com', 65535, '/', 0, 'https://vpn.example.com:65535'],
    ['localhost', 'localhost', 443, '/', 0, 'https://localhost'],
    ['192.0.2.10', '192.0.2.10', 443, '/', 4, 'https://192.0.2.10'],
    ['192.0.2.10:8443', '192.0.2.10', 8443, '/', 4, 'https://192.0.2.10:8443'],
    ['[::1]:443', '::1', 443, '/', 6, 'https://[::1]'],
    ['[2001:db8::1]:8443', '2001:db8::1', 8443, '/', 6, 'https://[2001:db8::1]:8443'],
    ['https://[2001:DB8::1]/group', '2001:db8::1', 443, '/group', 6, 'https://[2001:db8::1]/group'],
    ['2001:db8::1', '2001:db8::1', 443, '/', 6, 'https://[2001:db8::1]'],
    ['::1', '::1', 443, '/', 6, 'https://[::1]'],
  ])('%j → host %s port %d path %s', (input, host, port, path, ipVersion, url) => {
    const t = parseTarget(input);
    expect(t).toMatchObject({ host, port, path, ipVersion, url });
    expect(t.input).toBe(input.trim());
  });

  test('an IDN is used as its A-label and shown in Unicode', () => {
    const t = parseTarget('https://Bücher.example.com/gruppe');
    expect(t.host).toBe('xn--bcher-kva.example.com');
    expect(t.displayHost).toBe('bücher.example.com');
    expect(t.path).toBe('/gruppe');
  });

  test('an A-label typed as such stays as it is', () => {
    expect(parseTarget('xn--bcher-kva.example.com').host).toBe('xn--bcher-kva.example.com');
  });

  test('the origin says where the gateway came from', () => {
    expect(parseTarget('vpn.example.com').origin).toBe('command line');
    expect(parseTarget('vpn.example.com', 'profile corp.xml').origin).toBe('profile corp.xml');
  });
});

describe('gateways that are refused with one clear line', () => {
  test.each([
    ['', /empty/],
    ['   ', /empty/],
    ['vpn example.com', /spaces or control characters/],
    ['vpn.example.com\u0000.evil.com', /control characters/],
    ['vpn.example.com:0', /port "0" .* not between 1 and 65535/],
    ['vpn.example.com:65536', /port "65536" .* not between 1 and 65535/],
    ['vpn.example.com:abc', /port "abc" .* not between 1 and 65535/],
    ['vpn.example.com:-1', /port "-1" .* not between 1 and 65535/],
    ['vpn.example.com:', /port "" .* not between 1 and 65535/],
    ['https://vpn.example.com:99999/group', /port "99999"/],
    ['[::1]:70000', /port "70000"/],
    ['http://vpn.example.com', /uses http:\/\/; AnyConnect gateways are reached over https:\/\//],
    ['ftp://vpn.example.com', /uses ftp:\/\//],
    ['ssh://vpn.example.com', /uses ssh:\/\//],
    ['https://user:secret@vpn.example.com', /must not contain a user name or password/],
    ['user@vpn.example.com', /must not contain a user name or password/],
    ['https://', /is not a gateway name, host:port or https:\/\/ URL/],
    ['vpn..example.com', /not a valid host name/],
    ['-vpn.example.com', /not a valid host name/],
    [`${'a'.repeat(64)}.example.com`, /not a valid host name/],
    ['999.1.1.1', /not a gateway name|not a valid/],
    ['1.2.3', /not a complete IPv4 address/],
    ['0x7f.0.0.1', /not a complete IPv4 address/],
    ['2130706433', /not a complete IPv4 address/],
  ])('%j', (input, message) => {
    const err = usageError(input);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain('\n');
    // The secret in a URL is never echoed back.
    expect(err.message).not.toContain('secret');
  });
});

describe('host[:port] for NTP and DNS servers', () => {
  test.each([
    ['time.example.com', 'time.example.com', 123],
    ['time.example.com:1123', 'time.example.com', 1123],
    ['127.0.0.1:5353', '127.0.0.1', 5353],
    ['[::1]:5353', '::1', 5353],
    ['[::1]', '::1', 123],
    ['2001:db8::53', '2001:db8::53', 123],
  ])('%j', (input, host, port) => {
    expect(parseHostPort(input, 123, '--ntp-server')).toEqual({ host, port });
  });

  test.each(['time.example.com:0', 'time.example.com:99999', 'time.example.com:x', ':123', '', 'a b:1', '[::1]:'])('%j is refused', (input) => {
    expect(() => parseHostPort(input, 123, '--ntp-server')).toThrow(UsageError);
  });
});
