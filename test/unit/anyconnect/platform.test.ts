/**
 * AnyConnect on each OS through the adapters' seams: files from a table, commands
 * answered with recorded outputs (test/fixtures/anyconnect/<os>/, logs/<os>/).
 */
import { X509Certificate } from 'node:crypto';
import { clientIdentitiesOnMacos, anyconnectOnMacos, vpnLogsOnMacos } from '../../../platform/anyconnect-macos';
import { LINUX_ANYCONNECT, linuxAdapter } from '../../../platform/linux';
import { anyconnectOnUnix } from '../../../platform/anyconnect-unix';
import { PS_CLIENT_IDENTITIES, PS_VPN_LOG, anyconnectOnWindows, clientIdentitiesOnWindows, vpnLogsOnWindows } from '../../../platform/anyconnect-windows';
import type { VpnLogEntry } from '../../../platform/types';
import { interpretLogs } from '../../../src/anyconnect/logs';
import type { Fact } from '../../../src/facts';
import { makeLeaf, makeRoot } from '../../helpers/pki';
import { fakeDeps, fixture, NEVER } from './fixtures';

/** Where the adapter runs Windows PowerShell from when the environment names no SystemRoot. */
const POWERSHELL = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';

const PD = 'C:\\ProgramData';
const LAD = 'C:\\Users\\yamada\\AppData\\Local';

function value<T>(f: Fact<T>): T {
  if (f.status !== 'ok') throw new Error(`expected an ok fact, got ${JSON.stringify(f)}`);
  return f.value;
}

describe('Windows', () => {
  const env = { ProgramData: PD, LOCALAPPDATA: LAD };

  test('Secure Client 5.1: profiles, local policy, preferences and the version from the registry', async () => {
    const deps = fakeDeps({
      sep: '\\',
      env,
      files: {
        [`${PD}\\Cisco\\Cisco Secure Client\\VPN\\Profile\\corp.xml`]: fixture('profiles/windows-secureclient-5.1.xml'),
        [`${PD}\\Cisco\\Cisco Secure Client\\VPN\\Profile\\AnyConnectProfile.xsd`]: '<xs:schema/>',
        [`${PD}\\Cisco\\Cisco Secure Client\\AnyConnectLocalPolicy.xml`]: fixture('local-policy/windows-secureclient-5.1-exclude-native.xml'),
        // Written by a Windows editor: UTF-16 with a byte-order mark.
        [`${LAD}\\Cisco\\Cisco Secure Client\\VPN\\preferences.xml`]: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fixture('preferences/windows-preferences.xml'), 'utf16le')]),
      },
      exec: { [POWERSHELL]: { stdout: fixture('windows/installed-version.json') } },
    });
    const f = value(await anyconnectOnWindows(deps, NEVER));
    expect(f.product).toBe('Secure Client');
    expect(f.version).toBe('5.1.2.42');
    expect(f.profiles.map((p) => p.path)).toEqual([`${PD}\\Cisco\\Cisco Secure Client\\VPN\\Profile\\corp.xml`]);
    expect(f.localPolicy?.text).toContain('<ExcludeWinNativeCertStore>true</ExcludeWinNativeCertStore>');
    expect(f.preferences.map((p) => p.path)).toEqual([`${LAD}\\Cisco\\Cisco Secure Client\\VPN\\preferences.xml`]);
    expect(f.preferences[0]!.text).toContain('<BlockUntrustedServers>false</BlockUntrustedServers>');
    // The PowerShell script is one constant argv element.
    expect(deps.calls[0]!.args.slice(0, 5)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command']);
  });

  test('AnyConnect 4.10: its own folders; no PowerShell answer leaves the version unknown', async () => {
    const root = `${PD}\\Cisco\\Cisco AnyConnect Secure Mobility Client`;
    const deps = fakeDeps({
      sep: '\\',
      env,
      files: {
        [`${root}\\Profile\\tokyo.xml`]: fixture('profiles/windows-anyconnect-4.10.xml'),
        [`${root}\\AnyConnectLocalPolicy.xml`]: fixture('local-policy/windows-anyconnect-4.10-strict.xml'),
        [`${LAD}\\Cisco\\Cisco AnyConnect Secure Mobility Client\\preferences.xml`]: fixture('preferences/windows-preferences.xml'),
      },
    });
    const f = value(await anyconnectOnWindows(deps, NEVER));
    expect([f.product, f.version, f.evidence]).toEqual(['AnyConnect', null, root]);
    expect(f.profiles[0]!.text).toContain('東京本社 VPN');
  });

  test('nothing installed is unsupported', async () => {
    expect(await anyconnectOnWindows(fakeDeps({ sep: '\\', env }), NEVER)).toMatchObject({ status: 'unsupported' });
  });

  test('client identities from CurrentUser and LocalMachine My, with private-key presence', async () => {
    const ca = makeRoot('Example Corp User CA');
    const user = makeLeaf(ca, 'yamada', { eku: ['clientAuth'], dns: [] });
    const noKey = makeLeaf(ca, 'yamada-old', { eku: ['clientAuth'], dns: [] });
    const machine = makeLeaf(ca, 'pc-001', { eku: ['clientAuth'], dns: [] });
    const thumb = (der: Buffer) => new X509Certificate(der).fingerprint.replace(/:/g, '');
    const text = fixture('windows/client-identities.template.json')
      .replace('@RAW_USER@', user.der.toString('base64'))
      .replace('@THUMB_USER@', thumb(user.der))
      .replace('@RAW_NOKEY@', noKey.der.toString('base64'))
      .replace('@THUMB_NOKEY@', thumb(noKey.der))
      .replace('@RAW_MACHINE@', machine.der.toString('base64'))
      .replace('@THUMB_MACHINE@', thumb(machine.der));
    const deps = fakeDeps({ exec: { [POWERSHELL]: { stdout: text } } });
    const ids = value(await clientIdentitiesOnWindows(deps, NEVER));
    expect(ids.map((i) => [i.store, i.hasPrivateKey, i.der.equals(i.store.includes('LocalMachine') ? machine.der : i.hasPrivateKey ? user.der : noKey.der)])).toEqual([
      ['Cert:\\CurrentUser\\My', true, true],
      ['Cert:\\CurrentUser\\My', false, true],
      ['Cert:\\LocalMachine\\My', true, true],
    ]);
    expect(deps.calls[0]!.args.at(-1)).toBe(PS_CLIENT_IDENTITIES);
  });

  test('PowerShell missing is unsupported; PowerShell failing is an error with its message', async () => {
    expect(await clientIdentitiesOnWindows(fakeDeps({}), NEVER)).toMatchObject({ status: 'unsupported' });
    const failing = fakeDeps({ exec: { [POWERSHELL]: { code: 1, stderr: 'Get-ChildItem : Access is denied.\r\nAt line:3' } } });
    expect(await clientIdentitiesOnWindows(failing, NEVER)).toMatchObject({ status: 'error', error: { code: 'powershell', message: 'PowerShell failed (exit 1): Get-ChildItem : Access is denied.' } });
  });
});

describe('macOS', () => {
  test('AnyConnect 4.x and Secure Client 5.x layouts under /opt/cisco', async () => {
    const sc = fakeDeps({
      homeDir: '/Users/yamada',
      files: {
        '/opt/cisco/secureclient/vpn/profile/sapporo.xml': fixture('profiles/macos-secureclient-5.0.xml'),
        '/opt/cisco/secureclient/AnyConnectLocalPolicy.xml': fixture('local-policy/macos-anyconnect-4.9-exclude-native.xml'),
        '/Users/yamada/.vpn/.anyconnect': fixture('preferences/unix-anyconnect'),
        '/opt/cisco/secureclient/update.txt': '5,0,05040\n',
      },
    });
    const a = value(await anyconnectOnMacos(sc, NEVER));
    expect([a.product, a.version, a.profiles.length, a.preferences.map((p) => p.path)]).toEqual(['Secure Client', '5.0.05040', 1, ['/Users/yamada/.vpn/.anyconnect']]);
    const ac = fakeDeps({ homeDir: '/Users/yamada', files: { '/opt/cisco/anyconnect/profile/nagoya.xml': fixture('profiles/macos-anyconnect-4.9.xml') } });
    const b = value(await anyconnectOnMacos(ac, NEVER));
    expect([b.product, b.profiles[0]!.path, b.localPolicy]).toEqual(['AnyConnect', '/opt/cisco/anyconnect/profile/nagoya.xml', null]);
  });

  test('keychain identities: expired ones too, matched to their certificates by SHA-1', async () => {
    const ca = makeRoot('Example Corp User CA');
    const valid = makeLeaf(ca, 'yamada@example.co.jp', { eku: ['clientAuth'], dns: [] });
    const expired = makeLeaf(ca, 'yamada (2023)', { eku: ['clientAuth'], dns: [], notBefore: new Date('2022-01-01'), notAfter: new Date('2023-01-01') });
    const sha1 = (der: Buffer) => new X509Certificate(der).fingerprint.replace(/:/g, '');
    const sha256 = (der: Buffer) => new X509Certificate(der).fingerprint256.replace(/:/g, '');
    const fill = (t: string) =>
      [['CA', ca], ['VALID', valid], ['EXPIRED', expired]].reduce(
        (s, [k, c]) =>
          s
            .replaceAll(`@SHA1_${k}@`, sha1((c as typeof ca).der))
            .replaceAll(`@SHA256_${k}@`, sha256((c as typeof ca).der))
            .replaceAll(`@PEM_${k}@`, (c as typeof ca).pem.trim()),
        t,
      );
    const deps = fakeDeps({
      exec: {
        '/usr/bin/security': (call) => ({ stdout: fill(fixture(call.args[0] === 'find-identity' ? 'macos/find-identity-ssl-client.template.txt' : 'macos/find-certificate.template.txt')) }),
      },
    });
    const ids = value(await clientIdentitiesOnMacos(deps, NEVER));
    expect(ids.map((i) => [i.store, i.hasPrivateKey])).toEqual([
      ['keychain identity “yamada@example.co.jp”', true],
      ['keychain identity “yamada (2023)”', true],
    ]);
    expect(ids[0]!.der.equals(valid.der) && ids[1]!.der.equals(expired.der)).toBe(true);
    expect(deps.calls.map((c) => [c.file, ...c.args])).toEqual([
      ['/usr/bin/security', 'find-identity', '-p', 'ssl-client'],
      ['/usr/bin/security', 'find-certificate', '-a', '-p', '-Z'],
    ]);
  });
});

describe('Linux', () => {
  test('Secure Client 5.1 files are found before AnyConnect 4.x ones', async () => {
    const deps = fakeDeps({
      files: {
        '/opt/cisco/secureclient/vpn/profile/kyoto.xml': fixture('profiles/linux-secureclient-5.1.xml'),
        '/opt/cisco/secureclient/AnyConnectLocalPolicy.xml': fixture('local-policy/linux-secureclient-5.1-default.xml'),
        '/opt/cisco/anyconnect/profile/fukuoka.xml': fixture('profiles/linux-anyconnect-4.10.xml'),
      },
    });
    const f = value(await anyconnectOnUnix(deps, LINUX_ANYCONNECT, NEVER));
    expect([f.product, f.profiles.map((p) => p.path)]).toEqual(['Secure Client', ['/opt/cisco/secureclient/vpn/profile/kyoto.xml']]);
  });
});

describe('the client’s own log, per OS', () => {
  async function windowsLog(name: string): Promise<Fact<readonly VpnLogEntry[]>> {
    const deps = fakeDeps({ exec: { [POWERSHELL]: { stdout: fixture(`logs/windows/${name}`) } } });
    const f = await vpnLogsOnWindows(deps, NEVER, 3);
    // The number of days reaches PowerShell through the environment, never the script text.
    expect(deps.calls[0]!.args.at(-1)).toBe(PS_VPN_LOG);
    expect(deps.calls[0]!.options.env).toEqual({ VPN_PREFLIGHT_LOG_DAYS: '3' });
    return f;
  }
  async function macosLog(name: string): Promise<Fact<readonly VpnLogEntry[]>> {
    const deps = fakeDeps({ dirs: ['/opt/cisco/secureclient'], exec: { '/usr/bin/log': { stdout: fixture(`logs/macos/${name}`) } } });
    return vpnLogsOnMacos(deps, NEVER, 3);
  }
  async function linuxLog(name: string): Promise<Fact<readonly VpnLogEntry[]>> {
    const deps = fakeDeps({ exec: { journalctl: { stdout: fixture(`logs/linux/${name}`) } } });
    return linuxAdapter(deps).vpnLogs(NEVER, 3);
  }
  const readers = { windows: windowsLog, macos: macosLog, linux: linuxLog } as const;

  test.each([
    ['windows', 'certificate-failure.json', 'gateway-certificate-invalid', 'Termination reason code 59: Connection attempt failed due to certificate problems.'],
    ['macos', 'certificate-failure.json', 'cannot-confirm-gateway', 'AnyConnect cannot confirm it is connected to your secure gateway. The local network may not be trustworthy. Please try another network.'],
    ['linux', 'certificate-failure.jsonl', 'gateway-certificate-invalid', 'Termination reason code 59: Connection attempt failed due to certificate problems.'],
  ] as const)('%s: a gateway-certificate failure is found with its meaning (whitespace folded)', async (os, file, kind, message) => {
    const summary = interpretLogs(value(await readers[os](file)));
    expect(summary.lastGatewayCertificateFailure).toMatchObject({ kind, message });
    expect(summary.lastClientCertificateFailure).toBeNull();
  });

  test.each([
    ['windows', 'client-certificate-failure.json', 'Certificate Validation Failure'],
    ['macos', 'client-certificate-failure.json', 'Certificate Validation Failure'],
    ['linux', 'client-certificate-failure.jsonl', 'error: Certificate Validation Failure'],
  ] as const)('%s: "Certificate Validation Failure" after "No valid certificates…" is a client-certificate failure', async (os, file, message) => {
    const summary = interpretLogs(value(await readers[os](file)));
    expect(summary.lastClientCertificateFailure).toMatchObject({ kind: 'client-certificate-validation', message });
    expect(summary.findings.map((f) => f.kind)).toEqual(['no-client-certificate', 'client-certificate-validation']);
    expect(summary.lastGatewayCertificateFailure).toBeNull();
  });

  test.each([
    ['windows', 'no-failure.json', 1],
    ['macos', 'no-failure.json', 0],
    ['linux', 'no-failure.jsonl', 2],
  ] as const)('%s: a log without failures finds nothing', async (os, file, count) => {
    const summary = interpretLogs(value(await readers[os](file)));
    expect([summary.entriesRead, summary.findings]).toEqual([count, []]);
  });

  test('timestamps are read as instants: macOS local offsets and Windows UTC', async () => {
    expect(value(await macosLog('certificate-failure.json'))[1]!.time).toBe('2024-05-02T00:14:06.498Z');
    expect(value(await windowsLog('certificate-failure.json'))[0]!.time).toBe('2024-05-02T00:14:06.5120000Z');
  });

  test('missing logs are unsupported, not an error', async () => {
    expect(await windowsLog('no-channel.json')).toMatchObject({ status: 'unsupported' });
    expect(await vpnLogsOnMacos(fakeDeps({}), NEVER, 3)).toMatchObject({ status: 'unsupported', reason: 'Cisco AnyConnect / Secure Client is not installed here, so it has no log' });
    expect(await linuxAdapter(fakeDeps({})).vpnLogs(NEVER, 3)).toMatchObject({ status: 'unsupported' });
  });

  test('a "Certificate Validation Failure" with no client-certificate complaint before it stays ambiguous', () => {
    const s = interpretLogs([
      { time: '2024-05-01T10:00:00Z', source: 'vpnagentd', message: 'No valid certificates available for authentication.' },
      { time: '2024-05-01T11:00:00Z', source: 'vpnagentd', message: 'Certificate   Validation Failure' },
    ]);
    expect(s.findings.map((f) => f.kind)).toEqual(['no-client-certificate', 'certificate-validation']);
  });
});
