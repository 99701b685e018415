/**
 * Hostname matching against the certificates a gateway may present: SAN DNS and IP
 * entries, the CN only without SANs, wildcards covering exactly one left-most label and
 * never a public suffix, and names that only look right.
 */
import type { Certificate } from '../../../src/pki/certificate';
import { matchHostname, type HostnameMatch } from '../../../src/pki/hostname';
import { isPublicSuffix } from '../../../src/pki/public-suffix';
import { parseTarget } from '../../../src/target';
import { issue, newKey, type CertOptions } from '../../helpers/pki';
import { parsed } from './util';

// One key for every certificate here: only the names matter, and signing is the slow part.
const key = newKey();

const made = new Map<string, Certificate>();

/** A gateway certificate with these names (self-signed: the issuer plays no part here). */
function certWith(opts: CertOptions): Certificate {
  const id = JSON.stringify(opts);
  let cert = made.get(id);
  if (!cert) {
    cert = parsed(issue(null, { cn: 'gateway', key, ...opts }));
    made.set(id, cert);
  }
  return cert;
}

function match(opts: CertOptions, host: string): HostnameMatch {
  return matchHostname(certWith(opts), host, isPublicSuffix);
}

describe('SAN DNS entries', () => {
  test('an exact entry matches, and the match names the entry', () => {
    const m = match({ dns: ['other.example.com', 'vpn.example.com'] }, 'vpn.example.com');
    expect(m).toMatchObject({ matched: true, via: 'san-dns', entry: 'vpn.example.com' });
    expect(m.covered).toEqual(['other.example.com', 'vpn.example.com']);
  });

  test('another name does not match; the report lists what the certificate covers', () => {
    const m = match({ dns: ['vpn.example.com', 'vpn2.example.com'] }, 'vpn3.example.com');
    expect(m).toMatchObject({ matched: false, via: null, entry: null, near: [] });
    expect(m.covered).toEqual(['vpn.example.com', 'vpn2.example.com']);
  });

  test('case does not matter on either side', () => {
    expect(match({ dns: ['VPN.Example.COM'] }, 'vpn.example.com').matched).toBe(true);
    expect(match({ dns: ['vpn.example.com'] }, 'VPN.EXAMPLE.COM').matched).toBe(true);
  });

  test('a trailing dot (the absolute form of a name) matches on either side', () => {
    expect(match({ dns: ['vpn.example.com.'] }, 'vpn.example.com').matched).toBe(true);
    expect(match({ dns: ['vpn.example.com'] }, 'vpn.example.com.').matched).toBe(true);
    expect(match({ dns: ['vpn.example.com'] }, parseTarget('vpn.example.com.').host).matched).toBe(true);
  });

  test('a suffix or a prefix of the name is another name', () => {
    expect(match({ dns: ['example.com'] }, 'vpn.example.com').matched).toBe(false);
    expect(match({ dns: ['vpn.example.com'] }, 'example.com').matched).toBe(false);
    expect(match({ dns: ['vpn.example.com'] }, 'vpn.example.com.evil.net').matched).toBe(false);
    expect(match({ dns: ['vpn.example.co'] }, 'vpn.example.com').matched).toBe(false);
  });
});

describe('the CN is used only when there is no SAN', () => {
  test('a CN-only certificate matches through the CN (the check then warns or fails per OS)', () => {
    const m = match({ cn: 'vpn.example.com', noSan: true }, 'vpn.example.com');
    expect(m).toMatchObject({ matched: true, via: 'cn', entry: 'vpn.example.com' });
    expect(m.covered).toEqual(['vpn.example.com']);
  });

  test('with SAN DNS entries the CN is ignored, and the report says it was close', () => {
    const m = match({ cn: 'vpn.example.com', dns: ['other.example.com'] }, 'vpn.example.com');
    expect(m.matched).toBe(false);
    expect(m.near).toEqual([{ entry: 'vpn.example.com', problem: 'cn-ignored-san-present' }]);
    expect(m.covered).toEqual(['other.example.com']);
  });

  test('a SAN with only IP entries still hides the CN from a name check', () => {
    const m = match({ cn: 'vpn.example.com', dns: [], ips: ['192.0.2.1'] }, 'vpn.example.com');
    expect(m.matched).toBe(false);
    expect(m.near[0]?.problem).toBe('cn-ignored-san-present');
  });

  test('a CN-only certificate for another name does not match', () => {
    expect(match({ cn: 'other.example.com', noSan: true }, 'vpn.example.com').matched).toBe(false);
  });

  test('a certificate with neither SAN nor CN covers nothing', () => {
    const m = match({ cn: null, noSan: true, o: 'Example Ltd' }, 'vpn.example.com');
    expect(m).toMatchObject({ matched: false, covered: [] });
  });
});

describe('wildcards', () => {
  test('*.example.com covers exactly one left-most label', () => {
    expect(match({ dns: ['*.example.com'] }, 'vpn.example.com')).toMatchObject({ matched: true, via: 'san-dns', entry: '*.example.com' });
    expect(match({ dns: ['*.EXAMPLE.com.'] }, 'vpn.example.com').matched).toBe(true);
  });

  test('one level too deep is not covered, and is named as such', () => {
    const m = match({ dns: ['*.example.com'] }, 'a.vpn.example.com');
    expect(m.matched).toBe(false);
    expect(m.near).toEqual([{ entry: '*.example.com', problem: 'wildcard-too-deep' }]);
  });

  test('the bare parent name is not covered', () => {
    const m = match({ dns: ['*.example.com'] }, 'example.com');
    expect(m).toMatchObject({ matched: false, near: [] });
  });

  test('a wildcard directly on a public suffix never matches', () => {
    for (const [pattern, host] of [
      ['*.com', 'example.com'],
      ['*.co.uk', 'example.co.uk'],
      ['*.co.jp', 'example.co.jp'],
      ['*.xn--fiqs8s', 'xn--55qx5d.xn--fiqs8s'],
    ] as const) {
      const m = match({ dns: [pattern] }, host);
      expect({ pattern, matched: m.matched, near: m.near }).toEqual({ pattern, matched: false, near: [{ entry: pattern, problem: 'wildcard-public-suffix' }] });
    }
  });

  test('a two-label wildcard on a name outside the public suffix list is still refused', () => {
    expect(match({ dns: ['*.corp'] }, 'vpn.corp').near[0]?.problem).toBe('wildcard-public-suffix');
  });

  test('a wildcard under a private registry (appspot.com) or a private TLD is honoured', () => {
    expect(match({ dns: ['*.appspot.com'] }, 'vpn.appspot.com').matched).toBe(true);
    expect(match({ dns: ['*.example.corp'] }, 'vpn.example.corp').matched).toBe(true);
  });

  test('partial wildcards (f*.example.com) are not honoured', () => {
    for (const pattern of ['v*.example.com', '*n.example.com', 'v*n.example.com']) {
      const m = match({ dns: [pattern] }, 'vpn.example.com');
      expect({ pattern, matched: m.matched, near: m.near }).toEqual({ pattern, matched: false, near: [{ entry: pattern, problem: 'wildcard-partial' }] });
    }
  });

  test('a wildcard that is not the left-most label, or two of them, never matches', () => {
    expect(match({ dns: ['vpn.*.example.com'] }, 'vpn.a.example.com').matched).toBe(false);
    expect(match({ dns: ['*.*.example.com'] }, 'a.b.example.com').matched).toBe(false);
    expect(match({ dns: ['*'] }, 'localhost').matched).toBe(false);
    expect(match({ dns: ['*.'] }, 'localhost').matched).toBe(false);
  });

  test('a wildcard does not stand for an IP address octet', () => {
    expect(match({ dns: ['*.0.2.1'] }, '192.0.2.1').matched).toBe(false);
    expect(match({ dns: ['*.2.1'] }, '0.2.1').matched).toBe(false);
  });
});

describe('internationalised names (IDN)', () => {
  const aLabel = parseTarget('bücher.example.com').host;

  test('the gateway is compared as its A-label', () => {
    expect(aLabel).toBe('xn--bcher-kva.example.com');
    expect(match({ dns: ['xn--bcher-kva.example.com'] }, aLabel).matched).toBe(true);
    expect(match({ dns: ['XN--BCHER-KVA.example.com'] }, aLabel).matched).toBe(true);
  });

  test('a whole-label wildcard covers an A-label', () => {
    expect(match({ dns: ['*.example.com'] }, aLabel).matched).toBe(true);
  });

  test('a wildcard inside an A-label is partial and not honoured', () => {
    const m = match({ dns: ['xn--*.example.com'] }, aLabel);
    expect(m.matched).toBe(false);
    expect(m.near[0]?.problem).toBe('wildcard-partial');
  });

  test('a raw Unicode name in a SAN (not valid in a certificate) never matches the A-label', () => {
    const m = match({ dns: ['bücher.example.com'] }, aLabel);
    expect(m.matched).toBe(false);
  });

  test('an A-label on a public suffix (xn--fiqs8s, .中国) is still a public suffix', () => {
    expect(match({ dns: ['*.xn--fiqs8s'] }, 'xn--55qx5d.xn--fiqs8s').matched).toBe(false);
  });
});

describe('IP-address gateways', () => {
  test('an IPv4 SAN IP entry matches', () => {
    expect(match({ dns: ['vpn.example.com'], ips: ['192.0.2.1'] }, '192.0.2.1')).toMatchObject({ matched: true, via: 'san-ip', entry: '192.0.2.1' });
  });

  test('another address does not match', () => {
    const m = match({ dns: [], ips: ['192.0.2.1'] }, '192.0.2.10');
    expect(m).toMatchObject({ matched: false, near: [] });
    expect(m.covered).toEqual(['192.0.2.1']);
  });

  test('an address written as a DNS entry is not an IP entry, and the report says so', () => {
    const m = match({ dns: ['192.0.2.1'] }, '192.0.2.1');
    expect(m.matched).toBe(false);
    expect(m.near).toEqual([{ entry: '192.0.2.1', problem: 'ip-as-dns-name' }]);
  });

  test('a DNS entry that looks like an IP is just a name for a name-based gateway', () => {
    expect(match({ dns: ['192.0.2.1', 'vpn.example.com'] }, 'vpn.example.com').matched).toBe(true);
  });

  test('an IP SAN never matches a gateway given by name', () => {
    expect(match({ dns: [], ips: ['192.0.2.1'] }, 'vpn.example.com').matched).toBe(false);
  });

  test('IPv6 entries match whatever textual form the gateway uses', () => {
    const cert = { dns: [], ips: ['2001:db8::1'] };
    for (const host of ['2001:db8::1', '2001:DB8::1', '2001:db8:0:0:0:0:0:1', '2001:0db8:0000:0000:0000:0000:0000:0001', parseTarget('[2001:db8::1]:443').host]) {
      expect({ host, m: match(cert, host).via }).toEqual({ host, m: 'san-ip' });
    }
    expect(match(cert, '2001:db8::2').matched).toBe(false);
  });

  test('an IPv6 loopback entry matches ::1 and nothing IPv4', () => {
    expect(match({ dns: [], ips: ['::1'] }, '::1').matched).toBe(true);
    expect(match({ dns: [], ips: ['::1'] }, '127.0.0.1').matched).toBe(false);
    expect(match({ dns: [], ips: ['127.0.0.1'] }, '::1').matched).toBe(false);
  });

  test('an IPv4-mapped IPv6 entry is not the IPv4 address (clients compare the bytes)', () => {
    expect(match({ dns: [], ips: ['0:0:0:0:0:ffff:c000:201'] }, '192.0.2.1').matched).toBe(false);
  });

  test('a CN-only certificate naming the address matches through the CN', () => {
    expect(match({ cn: '192.0.2.1', noSan: true }, '192.0.2.1')).toMatchObject({ matched: true, via: 'cn' });
  });
});

describe('hidden characters', () => {
  test('a NUL byte ("vpn.example.com\\0.evil.net") never matches the visible part', () => {
    const m = match({ dns: ['vpn.example.com\u0000.evil.net'] }, 'vpn.example.com');
    expect(m.matched).toBe(false);
    expect(m.near).toEqual([{ entry: 'vpn.example.com\\u0000.evil.net', problem: 'unsafe-characters' }]);
    // What the helpdesk reads shows the NUL instead of hiding it.
    expect(m.covered).toEqual(['vpn.example.com\\u0000.evil.net']);
  });

  test('nor does it match the part after the NUL', () => {
    expect(match({ dns: ['vpn.example.com\u0000.evil.net'] }, 'evil.net').matched).toBe(false);
  });

  test('the same trick in a CN-only certificate is refused too', () => {
    const m = match({ cn: 'vpn.example.com\u0000.evil.net', noSan: true }, 'vpn.example.com');
    expect(m.matched).toBe(false);
    expect(m.near[0]?.problem).toBe('unsafe-characters');
  });

  test('control characters, spaces and a wildcard with a NUL never match', () => {
    expect(match({ dns: ['vpn.example.com\n'] }, 'vpn.example.com').matched).toBe(false);
    expect(match({ dns: [' vpn.example.com'] }, 'vpn.example.com').matched).toBe(false);
    expect(match({ dns: ['vpn.exa mple.com'] }, 'vpn.exa mple.com').matched).toBe(false);
    const m = match({ dns: ['*.example.com\u0000x'] }, 'vpn.example.com');
    expect(m.matched).toBe(false);
    expect(m.near[0]?.problem).toBe('unsafe-characters');
  });
});
