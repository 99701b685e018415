/**
 * AnyConnect's files as each OS and version keeps them: profiles (host entries, backup
 * servers, pins, certificate settings, misplaced settings), local policies and preferences.
 */
import { anyconnectFacts } from '../../../src/anyconnect/facts';
import { entriesForHost, gatewaysFromProfiles } from '../../../src/anyconnect/gateways';
import { parseLocalPolicy, parsePreferences } from '../../../src/anyconnect/local-policy';
import { parseProfile } from '../../../src/anyconnect/profile';
import { ok, unsupported } from '../../../src/facts';
import { fixture } from './fixtures';

const profile = (name: string) => parseProfile(fixture(`profiles/${name}`), `/profiles/${name}`);

describe('VPN profiles', () => {
  test('Windows, AnyConnect 4.10: host entries with Japanese names, groups, backups and CertificateMatch', () => {
    const p = profile('windows-anyconnect-4.10.xml');
    expect(p.hosts).toEqual([
      {
        hostName: '東京本社 VPN',
        hostAddress: 'vpn-tokyo.example.co.jp',
        userGroup: 'employees',
        backupServers: ['vpn-osaka.example.co.jp'],
        loadBalancingServers: [],
        primaryProtocol: null,
        pins: [],
      },
      {
        hostName: '大阪 (委託先)',
        hostAddress: 'vpn-osaka.example.co.jp:8443',
        userGroup: 'contractors',
        backupServers: [],
        loadBalancingServers: [],
        primaryProtocol: null,
        pins: [],
      },
    ]);
    expect(p).toMatchObject({ certificateStore: 'All', certificateStoreOverride: true, automaticCertSelection: true, certificatePinning: false, misplaced: [] });
    expect(p.certificateMatch).toEqual({
      keyUsage: ['Digital_Signature'],
      extendedKeyUsage: ['ClientAuth'],
      customExtendedKeyUsage: [],
      distinguishedName: [{ name: 'ISSUER-CN', pattern: 'Example Corp User CA', operator: 'Equal', wildcard: false, matchCase: false }],
      matchOnlyCertsWithEku: false,
      matchOnlyCertsWithKu: false,
    });
  });

  test('Windows, Secure Client 5.1: settings that belong elsewhere are flagged as ignored, a bad boolean reported', () => {
    const p = profile('windows-secureclient-5.1.xml');
    expect(p.misplaced).toEqual([
      { element: 'StrictCertificateTrust', value: 'true', belongsIn: 'local-policy' },
      { element: 'BlockUntrustedServers', value: 'true', belongsIn: 'preferences' },
    ]);
    expect(p.invalid).toEqual([{ element: 'CertificatePinning', value: 'maybe' }]);
    expect(p.certificatePinning).toBeNull();
    expect(p.hosts[0]).toMatchObject({ hostName: 'vpn.例え.jp', hostAddress: null });
  });

  test('macOS 4.9 and 5.0 and Linux 4.10 and 5.1 profiles', () => {
    expect(profile('macos-anyconnect-4.9.xml')).toMatchObject({
      certificateStoreMac: 'Login',
      automaticCertSelection: false,
      hosts: [{ hostName: '名古屋オフィス', hostAddress: 'vpn-nagoya.example.jp', primaryProtocol: 'SSL' }],
    });
    expect(profile('macos-secureclient-5.0.xml').hosts[0]).toMatchObject({ hostName: 'Sapporo & 札幌', userGroup: 'staff' });
    expect(profile('linux-anyconnect-4.10.xml')).toMatchObject({
      certificateStoreLinux: 'User',
      hosts: [{ hostAddress: 'vpn-fukuoka.example.jp', loadBalancingServers: ['vpn-fukuoka-2.example.jp'] }],
    });
    expect(profile('linux-secureclient-5.1.xml')).toMatchObject({
      certificatePinning: true,
      hosts: [{ pins: [{ subject: 'CN=vpn-kyoto.example.jp', issuer: 'CN=Example Issuing CA', hash: 'not-a-hash' }] }],
    });
  });

  test('the gateways a profile names: group URLs, backups, IDN host names, each with its origin', () => {
    const found = gatewaysFromProfiles([profile('windows-anyconnect-4.10.xml'), profile('windows-secureclient-5.1.xml')]);
    expect(found.targets.map((t) => [t.url, t.origin])).toEqual([
      ['https://vpn-tokyo.example.co.jp/employees', 'AnyConnect profile /profiles/windows-anyconnect-4.10.xml (“東京本社 VPN”)'],
      ['https://vpn-osaka.example.co.jp/employees', 'AnyConnect profile /profiles/windows-anyconnect-4.10.xml (backup server of “東京本社 VPN”)'],
      ['https://vpn-osaka.example.co.jp:8443/contractors', 'AnyConnect profile /profiles/windows-anyconnect-4.10.xml (“大阪 (委託先)”)'],
      ['https://vpn.xn--r8jz45g.jp', 'AnyConnect profile /profiles/windows-secureclient-5.1.xml (“vpn.例え.jp”)'],
    ]);
    expect(found.targets[3]!.displayHost).toBe('vpn.例え.jp');
    expect(found.skipped).toEqual([]);
  });

  test('a host entry with only a display name is skipped with the reason; a HostName that is an address is used', () => {
    const p = parseProfile(
      '<AnyConnectProfile><ServerList><HostEntry><HostName>本社</HostName></HostEntry><HostEntry><HostName>Main office VPN</HostName></HostEntry><HostEntry><UserGroup>x</UserGroup></HostEntry><HostEntry><HostName>vpn.example.com:8443</HostName></HostEntry></ServerList></AnyConnectProfile>',
      'p.xml',
    );
    const found = gatewaysFromProfiles([p]);
    expect(found.targets.map((t) => t.url)).toEqual(['https://vpn.example.com:8443']);
    expect(found.skipped).toEqual([
      { path: 'p.xml', hostName: '本社', message: 'the HostName “本社” is a display name, and there is no HostAddress' },
      { path: 'p.xml', hostName: 'Main office VPN', message: 'the HostName “Main office VPN” is a display name, and there is no HostAddress' },
      { path: 'p.xml', hostName: null, message: 'the host entry has neither HostAddress nor HostName' },
    ]);
  });

  test('which host entries name a gateway: primary, backup or load-balancing', () => {
    const profiles = [profile('windows-anyconnect-4.10.xml'), profile('linux-anyconnect-4.10.xml')];
    expect(entriesForHost(profiles, 'vpn-osaka.example.co.jp').map((m) => [m.entry.hostName, m.role])).toEqual([
      ['東京本社 VPN', 'backup'],
      ['大阪 (委託先)', 'primary'],
    ]);
    expect(entriesForHost(profiles, 'vpn-fukuoka-2.example.jp').map((m) => m.role)).toEqual(['load-balancing']);
    expect(entriesForHost(profiles, 'elsewhere.example')).toEqual([]);
  });
});

describe('local policies', () => {
  const policy = (name: string) => parseLocalPolicy(fixture(`local-policy/${name}`), `/lp/${name}`);

  test('the installer defaults of 4.10 and 5.1', () => {
    expect(policy('linux-anyconnect-4.10-default.xml')).toMatchObject({
      acversion: '4.10.06079',
      strictCertificateTrust: false,
      excludePemFileCertStore: false,
      enableCRLCheck: false,
      restrictServerCertStore: null,
      ocspRevocation: null,
      restrictPreferenceCaching: 'false',
      invalid: [],
    });
    expect(policy('linux-secureclient-5.1-default.xml')).toMatchObject({
      strictCertificateTrust: false,
      restrictServerCertStore: false,
      ocspRevocation: false,
      excludeMacNativeCertStore: null,
    });
  });

  test('strict trust, excluded native stores, mandatory OCSP', () => {
    expect(policy('windows-anyconnect-4.10-strict.xml')).toMatchObject({ strictCertificateTrust: true, restrictPreferenceCaching: 'Thumbprints' });
    expect(policy('macos-anyconnect-4.9-exclude-native.xml')).toMatchObject({ excludeMacNativeCertStore: true, strictCertificateTrust: false });
    expect(policy('windows-secureclient-5.1-exclude-native.xml')).toMatchObject({ excludeWinNativeCertStore: true, ocspRevocation: true });
  });

  test('values other than true/false are reported, not guessed', () => {
    const p = policy('invalid-values.xml');
    expect(p.strictCertificateTrust).toBeNull();
    expect(p.excludePemFileCertStore).toBe(true);
    expect(p.invalid).toEqual([{ element: 'StrictCertificateTrust', value: 'yes' }]);
  });
});

describe('preferences', () => {
  test('Windows preferences.xml: blocking off, a remembered server certificate', () => {
    expect(parsePreferences(fixture('preferences/windows-preferences.xml'), 'preferences.xml', 'user')).toEqual({
      path: 'preferences.xml',
      scope: 'user',
      blockUntrustedServers: false,
      serverCertificateThumbprints: ['8F:1E:22:0A:61:C0:55:9B:0D:4A:1F:77:3C:90:AB:CD:EF:01:23:45'],
      defaultHostName: '東京本社 VPN',
      defaultHostAddress: 'vpn-tokyo.example.co.jp',
    });
  });

  test('~/.anyconnect on Linux and macOS', () => {
    expect(parsePreferences(fixture('preferences/unix-anyconnect'), '.anyconnect', 'user')).toMatchObject({ blockUntrustedServers: true, serverCertificateThumbprints: [] });
  });
});

describe('the AnyConnect facts of a run', () => {
  const inst = {
    product: 'AnyConnect' as const,
    version: '4.10.08029',
    profiles: [{ path: '/opt/cisco/anyconnect/profile/a.xml', text: fixture('profiles/linux-anyconnect-4.10.xml') }],
    localPolicy: { path: '/opt/cisco/anyconnect/AnyConnectLocalPolicy.xml', text: fixture('local-policy/linux-anyconnect-4.10-default.xml') },
    preferences: [
      { path: '/home/u/.anyconnect', text: fixture('preferences/unix-anyconnect') },
      { path: '/opt/cisco/anyconnect/.anyconnect_global', text: '<AnyConnectPreferences><DefaultHostName>x</DefaultHostName></AnyConnectPreferences>' },
    ],
    evidence: '/opt/cisco/anyconnect',
  };
  const installed = ok(inst);

  test('installed files are parsed; --profile replaces the profiles, --local-policy the policy', () => {
    const plain = anyconnectFacts(installed);
    expect(plain.status === 'ok' && [plain.value.profileSource, plain.value.localPolicySource, plain.value.profiles.length]).toEqual(['installed', 'installed', 1]);
    expect(plain.status === 'ok' && plain.value.preferences.map((p) => p.scope)).toEqual(['user', 'global']);
    const given = anyconnectFacts(installed, {
      profiles: [{ path: 'given.xml', text: fixture('profiles/macos-anyconnect-4.9.xml') }],
      localPolicy: null,
    });
    expect(given.status === 'ok' && [given.value.profileSource, given.value.localPolicySource, given.value.profiles[0]!.path]).toEqual(['given', 'installed', 'given.xml']);
  });

  test('a refused installed profile becomes a problem, the others still count', () => {
    const f = anyconnectFacts(
      ok({ ...inst, profiles: [...inst.profiles, { path: '/opt/cisco/anyconnect/profile/evil.xml', text: fixture('malicious/billion-laughs.xml') }] }),
    );
    expect(f.status === 'ok' && f.value.profiles.length).toBe(1);
    expect(f.status === 'ok' && f.value.problems.map((p) => [p.path, p.reason])).toEqual([['/opt/cisco/anyconnect/profile/evil.xml', 'doctype']]);
  });

  test('not installed and nothing given is unsupported; given files work without an installation', () => {
    expect(anyconnectFacts(unsupported('not installed'))).toMatchObject({ status: 'unsupported', reason: 'not installed' });
    const f = anyconnectFacts(unsupported('not installed'), { profiles: [], localPolicy: { path: 'lp.xml', text: fixture('local-policy/windows-anyconnect-4.10-strict.xml') } });
    expect(f).toMatchObject({ status: 'ok', value: { install: null, profileSource: 'none', localPolicySource: 'given', localPolicy: { strictCertificateTrust: true } } });
  });
});
