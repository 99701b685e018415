/**
 * Synthetic runs for report tests: facts as the probes and adapters would have gathered
 * them on a named computer, evaluated by the real checklist (no network, no OS). Every
 * value a report shows is fixed here (time, durations, names), so renderings are
 * reproducible. The defaults are a realistic healthy run: an enterprise PKI whose
 * certificates answer OCSP "good", an ASA that offers tunnel groups, AnyConnect 4.10
 * installed with a VPN profile for the gateway and the installer's local policy.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate as AsnCertificate } from '@peculiar/asn1-x509';
import { anyconnectFacts } from '../../../src/anyconnect/facts';
import { CHECKLIST } from '../../../src/checks/index';
import { chainFrom, runChecklist, summarize, type FactSource } from '../../../src/checks/runner';
import { ok, unsupported, type Fact } from '../../../src/facts';
import { splitCertificates } from '../../../src/pki/pem';
import { CertificatePool } from '../../../src/pki/pool';
import type { StoreEntry, StoreRef } from '../../../src/pki/trust-store';
import type { PreflightOutcome } from '../../../src/preflight';
import { readReply } from '../../../src/probes/anyconnect';
import {
  DEFAULT_SETTINGS,
  type CertificateRevocation,
  type GatewayFacts,
  type RevocationAttempt,
  type RevocationFacts,
  type RunFacts,
  type VersionProbe,
} from '../../../src/run-facts';
import { parseTarget, type Target } from '../../../src/target';
import type { AnyConnectInstallFacts, ClientIdentity, OsFacts, PlatformId, ProxyFacts, TlsVersionName } from '../../../platform/types';
import type { DnsAnswer } from '../../../src/probes/dns';
import type { HandshakeFailure } from '../../../src/probes/tls';
import { ASA_AUTH_REQUEST } from '../../helpers/servers';

const CERTS = path.resolve(__dirname, '../../golden/certs');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type GoldenCertName = 'root' | 'int' | 'leaf' | 'expired' | 'other' | 'user-ca' | 'zscaler-root' | 'zscaler-int' | 'zscaler-leaf';

/** A committed golden certificate (DER); test/golden/certs/make.mjs made them. */
export function goldenCert(name: GoldenCertName): Buffer {
  return splitCertificates(readFileSync(path.join(CERTS, `${name}.pem`)))[0]!;
}

/** The subject of a certificate as DER: how a TLS CertificateRequest names an acceptable CA. */
export function subjectDer(der: Buffer): Buffer {
  return Buffer.from(AsnConvert.serialize(AsnConvert.parse(der, AsnCertificate).tbsCertificate.subject));
}

/** What the revocation responders say about every certificate that names one. */
export type RevocationScenario = 'good' | 'revoked' | 'unknown' | 'unreachable' | 'not-checked';

/** The AnyConnect files on this computer: none, or an installation with a profile for the gateway. */
export type AnyConnectScenario =
  | 'not-installed'
  | {
      readonly localPolicy: 'default' | 'strict' | 'none';
      readonly blockUntrusted?: boolean;
      /** The local policy's text instead of the default or strict one. */
      readonly policyXml?: string;
      /** The VPN profile's text instead of the one that lists vpn.example.com. */
      readonly profileXml?: string;
    };

/** How the gateway answers the AnyConnect login request. */
export type GatewayScenario = 'asa' | 'asa-certificate-only' | 'web-portal' | 'too-large';

export interface Synthetic {
  readonly platform?: PlatformId;
  readonly gateway?: string;
  readonly now?: Date;
  /** True time minus this computer's clock; null: no time server answered. */
  readonly ntpOffsetMs?: number | null;
  readonly timeSyncEnabled?: boolean | null;
  readonly connectTo?: string | null;
  readonly dnsError?: DnsAnswer['error'];
  readonly addresses?: readonly string[];
  /** A second resolver's answer (e.g. a --dns-server that disagrees). */
  readonly directAnswer?: DnsAnswer;
  readonly reachError?: { code: string; message: string } | null;
  readonly tlsFailure?: { kind: HandshakeFailure; code: string; message: string } | null;
  readonly versions?: Partial<Record<TlsVersionName, 'accepted' | 'rejected'>>;
  readonly clientAllows?: Partial<Record<TlsVersionName, boolean>>;
  /** The certificates the gateway sends, leaf first. */
  readonly chain?: readonly Buffer[];
  readonly chainSource?: 'wire' | 'reconstructed';
  readonly anchors?: ReadonlyArray<{ der: Buffer; trust?: 'trusted' | 'distrusted'; role?: 'anchor' | 'intermediate'; store?: StoreRef }>;
  readonly aia?: ReadonlyArray<{ url: string; certificates: Buffer[]; error?: { code: string; message: string } }>;
  /** The system proxy; null: the adapter could not read it. Default: none set. */
  readonly proxy?: Partial<ProxyFacts> | null;
  readonly revocation?: RevocationScenario;
  readonly anyconnect?: AnyConnectScenario;
  readonly gatewayReply?: GatewayScenario;
  /** The gateway's TLS CertificateRequest: the CA names it accepts client certificates from. */
  readonly clientCertRequest?: readonly Buffer[] | null;
  /** Certificates with private keys on this computer, for client authentication; null: the adapter could not look. */
  readonly identities?: readonly ClientIdentity[] | null;
  /** The DNS servers this computer is configured with. */
  readonly dnsServers?: readonly string[];
  readonly os?: Partial<OsFacts>;
  readonly trail?: readonly string[];
}

export const RUN_TIME = new Date('2025-03-03T09:00:00.000Z');

/** Where each OS keeps the AnyConnect 4.10 files and the trust store the synthetic run reads. */
const LAYOUT: Readonly<Record<'windows' | 'macos' | 'linux', { root: string; sep: string; store: StoreRef }>> = {
  windows: {
    root: 'C:\\ProgramData\\Cisco\\Cisco AnyConnect Secure Mobility Client',
    sep: '\\',
    store: { id: 'windows:LocalMachine\\Root', label: 'LocalMachine\\Root', kind: 'os-native', nameKey: 'store.windows.machine-root' },
  },
  macos: {
    root: '/opt/cisco/anyconnect',
    sep: '/',
    store: { id: 'keychain:SystemRoots', label: 'System Roots keychain', kind: 'os-native', nameKey: 'store.macos.system-roots' },
  },
  linux: {
    root: '/opt/cisco/anyconnect',
    sep: '/',
    store: { id: 'linux-bundle', label: '/etc/ssl/certs/ca-certificates.crt', kind: 'os-bundle' },
  },
};

const PROFILE = `<?xml version="1.0" encoding="UTF-8"?>
<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">
  <ClientInitialization>
    <CertificateStore>All</CertificateStore>
    <CertificatePinning>false</CertificatePinning>
    <ProxySettings>Native</ProxySettings>
  </ClientInitialization>
  <ServerList>
    <HostEntry>
      <HostName>Example Corp VPN</HostName>
      <HostAddress>vpn.example.com</HostAddress>
    </HostEntry>
  </ServerList>
</AnyConnectProfile>
`;

const policy = (strict: boolean): string => `<?xml version="1.0" encoding="UTF-8"?>
<AnyConnectLocalPolicy acversion="4.10.08029" xmlns="http://schemas.xmlsoap.org/encoding/">
  <EnableCRLCheck>false</EnableCRLCheck>
  <ExcludeMacNativeCertStore>false</ExcludeMacNativeCertStore>
  <ExcludePemFileCertStore>false</ExcludePemFileCertStore>
  <ExcludeWinNativeCertStore>false</ExcludeWinNativeCertStore>
  <FipsMode>false</FipsMode>
  <OCSPRevocation>false</OCSPRevocation>
  <RestrictPreferenceCaching>false</RestrictPreferenceCaching>
  <StrictCertificateTrust>${strict}</StrictCertificateTrust>
</AnyConnectLocalPolicy>
`;

const preferences = (block: boolean): string => `<?xml version="1.0" encoding="UTF-8"?>
<AnyConnectPreferences>
  <DefaultUser>h.tanaka</DefaultUser>
  <DefaultHostName>Example Corp VPN</DefaultHostName>
  <DefaultHostAddress>vpn.example.com</DefaultHostAddress>
  <ControllablePreferences>
    <BlockUntrustedServers>${block}</BlockUntrustedServers>
  </ControllablePreferences>
</AnyConnectPreferences>
`;

function anyconnectInstall(s: AnyConnectScenario, platform: PlatformId): Fact<AnyConnectInstallFacts> {
  if (s === 'not-installed' || platform === 'unsupported') {
    return unsupported('Cisco AnyConnect / Secure Client is not installed here', 0, { key: 'fact.anyconnect.not-installed' });
  }
  const { root, sep } = LAYOUT[platform];
  const prefsPath = platform === 'windows' ? 'C:\\Users\\h.tanaka\\AppData\\Local\\Cisco\\Cisco AnyConnect Secure Mobility Client\\preferences.xml' : '/Users/h.tanaka/.anyconnect';
  return ok({
    product: 'AnyConnect',
    version: '4.10.08029',
    profiles: [{ path: `${root}${sep}${platform === 'windows' ? 'Profile' : 'profile'}${sep}example-corp.xml`, text: s.profileXml ?? PROFILE }],
    localPolicy: s.localPolicy === 'none' ? null : { path: `${root}${sep}AnyConnectLocalPolicy.xml`, text: s.policyXml ?? policy(s.localPolicy === 'strict') },
    preferences: s.blockUntrusted === false ? [{ path: prefsPath, text: preferences(false) }] : [],
    evidence: root,
  });
}

function gatewayFacts(s: GatewayScenario, target: Target, now: Date): GatewayFacts {
  const headers = { 'content-type': 'text/xml', 'x-aggregate-auth': '1', date: now.toUTCString() };
  if (s === 'too-large') {
    return readReply({ status: 200, headers, body: Buffer.from(ASA_AUTH_REQUEST), receivedAt: now, truncated: true }, target);
  }
  if (s === 'web-portal') {
    return readReply({ status: 302, headers: { location: 'https://vpn.example.com/+CSCOE+/logon.html', date: now.toUTCString() }, body: Buffer.alloc(0), receivedAt: now }, target);
  }
  const body =
    s === 'asa'
      ? ASA_AUTH_REQUEST
      : [
          '<?xml version="1.0" encoding="UTF-8"?>',
          '<config-auth client="vpn" type="auth-request" aggregate-auth-version="2">',
          '<version who="sg">9.16(4)</version>',
          '<opaque is-for="sg"><tunnel-group>CERT-ONLY</tunnel-group><aggauth-handle>136775779</aggauth-handle><config-hash>1595829378235</config-hash></opaque>',
          '<client-cert-request/>',
          '</config-auth>',
          '',
        ].join('\n');
  return { ...readReply({ status: 200, headers, body: Buffer.from(body), receivedAt: now }, target), ms: 37 };
}

/**
 * OCSP answers for the path as the revocation probe would have gathered them: every
 * certificate below the trust anchor that names a responder is asked.
 */
function revocationFacts(s: RevocationScenario, facts: RunFacts, pool: CertificatePool, truth: Date): Fact<RevocationFacts> {
  if (s === 'not-checked') return unsupported('no certificate was received');
  const chain = chainFrom(facts, pool);
  if (!chain?.path) return unsupported('no certificate was received');
  const nodes = chain.path.nodes;
  const last = nodes.length - 1;
  const certificates: CertificateRevocation[] = [];
  nodes.forEach((n, i) => {
    const isAnchor = i === last && i > 0 && chain.path!.anchor !== null;
    if (i > 0 && (n.cert.selfIssued || isAnchor)) return;
    const issuer = nodes[i + 1]?.cert ?? null;
    const ocsp = [...n.cert.aia.ocsp];
    const notChecked = i === 0 && nodes.length === 1 && n.cert.selfIssued ? 'self-signed' : !issuer ? 'no-issuer' : ocsp.length + n.cert.crlDistributionPoints.length === 0 ? 'no-pointer' : null;
    const attempts: RevocationAttempt[] = [];
    if (!notChecked) {
      const url = ocsp[0] ?? n.cert.crlDistributionPoints[0]!;
      const method = ocsp.length ? 'ocsp' : 'crl';
      const window = { thisUpdate: new Date(truth.getTime() - 2 * HOUR).toISOString(), nextUpdate: new Date(truth.getTime() + 5 * DAY).toISOString(), producedAt: new Date(truth.getTime() - 2 * HOUR).toISOString() };
      const responder = { kind: 'issuer' as const, subject: issuer!.subject.text, notBefore: issuer!.notBefore.toISOString(), notAfter: issuer!.notAfter.toISOString() };
      // The gateway's own certificate carries the scenario; its issuers stay good.
      const state = i === 0 ? s : 'good';
      if (state === 'unreachable') {
        attempts.push({ method, url, state: 'unreachable', problem: 'timeout', detail: 'no answer within 4000 ms', ms: 4000, cached: false, httpMethod: 'GET' });
      } else if (state === 'revoked') {
        const revokedAt = '2025-02-20T06:12:00.000Z';
        attempts.push({ method, url, state: 'revoked', problem: null, detail: `revoked at ${revokedAt} (keyCompromise)`, revokedAt, reason: 'keyCompromise', ...window, responder, ms: 48, cached: false, httpMethod: 'GET' });
      } else {
        attempts.push({ method, url, state, problem: null, detail: state === 'good' ? 'good' : 'the responder does not know this certificate', revokedAt: null, reason: null, ...window, responder, ms: 48, cached: i > 0, httpMethod: 'GET' });
      }
    }
    certificates.push({
      fingerprint: n.cert.fingerprintSha256,
      subject: n.cert.subject.text,
      role: i === 0 ? 'leaf' : 'intermediate',
      serialNumber: n.cert.serialNumber,
      issuer: issuer?.subject.text ?? null,
      ocspUrls: ocsp,
      crlUrls: [...n.cert.crlDistributionPoints],
      notChecked,
      state: notChecked ? 'not-checked' : attempts[0]!.state,
      decidedBy: notChecked ? null : attempts[0]!.method,
      attempts,
    });
  });
  return ok({ certificates, stapled: false });
}

/** Runs the real checklist on synthetic facts. */
export async function syntheticRun(s: Synthetic = {}): Promise<{ run: PreflightOutcome; pool: CertificatePool }> {
  const platform = s.platform ?? 'linux';
  const now = s.now ?? RUN_TIME;
  const target = parseTarget(s.gateway ?? 'vpn.example.com', 'command line');
  const addresses = s.addresses ?? ['203.0.113.10'];
  const pool = new CertificatePool();
  const defaultStore = platform === 'unsupported' ? LAYOUT.linux.store : LAYOUT[platform].store;
  const anchors = s.anchors ?? [{ der: goldenCert('root') }];
  const entries: StoreEntry[] = anchors.map((a) => ({
    der: a.der,
    store: a.store ?? defaultStore,
    trust: a.trust ?? 'trusted',
    ...(a.role ? { role: a.role } : {}),
  }));
  const system: DnsAnswer = s.dnsError
    ? { resolver: 'system', a: [], aaaa: [], error: s.dnsError, ms: 31 }
    : { resolver: 'system', a: addresses.filter((a) => !a.includes(':')), aaaa: addresses.filter((a) => a.includes(':')), error: null, ms: 18 };
  const connectTo = s.connectTo ?? null;
  const mode = target.ipVersion ? 'ip-literal' : connectTo ? 'connect-to' : s.directAnswer ? 'dns-server' : 'system';
  const usable = connectTo ? [connectTo] : s.dnsError && !s.directAnswer ? [] : s.directAnswer && !s.directAnswer.error ? [...s.directAnswer.a] : addresses;
  const dns: Fact<RunFacts['dns'] extends Fact<infer T> ? T : never> = ok({ mode, system: target.ipVersion ? null : system, direct: s.directAnswer ? [s.directAnswer] : [], addresses: usable }, 18);
  const address = usable[0];
  const reach: RunFacts['reach'] = !address
    ? unsupported('no address to connect to')
    : s.reachError
      ? ok({ port: target.port, attempts: [{ address, rttMs: null, error: s.reachError }], connected: null })
      : ok({ port: target.port, attempts: [{ address, rttMs: 23, error: null }], connected: { address, rttMs: 23, localAddress: '192.168.1.23' } });
  const connected = reach.status === 'ok' && reach.value.connected !== null;
  const chain = s.chain ?? [goldenCert('leaf'), goldenCert('int')];
  const failure = s.tlsFailure ?? null;
  const tls: RunFacts['tls'] = !connected
    ? unsupported('no TCP connection')
    : ok({
        completed: failure === null,
        protocol: failure ? null : versionOf(s.versions),
        serverHelloVersion: failure ? null : versionOf(s.versions),
        cipher: failure ? null : { name: 'TLS_AES_256_GCM_SHA384', standardName: 'TLS_AES_256_GCM_SHA384' },
        chain: failure ? [] : [...chain],
        chainSource: failure ? 'none' : (s.chainSource ?? 'wire'),
        stapledOcsp: null,
        clientCertificate: { requested: !!s.clientCertRequest, acceptableCaNames: s.clientCertRequest ? [...s.clientCertRequest] : null },
        failure,
        handshakeMs: 41,
        address: address!,
        servername: target.ipVersion ? null : target.host,
      }, 41);
  const versions = s.versions ?? { 'TLSv1.2': 'accepted', 'TLSv1.3': 'accepted' };
  const probe = (v: TlsVersionName): VersionProbe =>
    failure ? { state: 'rejected', cipher: null, reason: failure.message, via: 'probe' } : versions[v] === 'accepted' ? { state: 'accepted', cipher: v === 'TLSv1.3' ? 'TLS_AES_256_GCM_SHA384' : 'ECDHE-RSA-AES256-GCM-SHA384', reason: null, via: 'probe' } : { state: 'rejected', cipher: null, reason: 'protocol version', via: 'probe' };
  const tlsVersions: RunFacts['tlsVersions'] = connected ? ok({ versions: { TLSv1: probe('TLSv1'), 'TLSv1.1': probe('TLSv1.1'), 'TLSv1.2': probe('TLSv1.2'), 'TLSv1.3': probe('TLSv1.3') } }) : unsupported('no TCP connection');
  const allows = { TLSv1: true, 'TLSv1.1': true, 'TLSv1.2': true, 'TLSv1.3': true, ...s.clientAllows };
  const offset = s.ntpOffsetMs === undefined ? 40 : s.ntpOffsetMs;
  const truth = new Date(now.getTime() + (offset ?? 0));
  const servers = ['time.google.com', 'time.cloudflare.com', 'ntp.nict.jp'];
  const ntp: RunFacts['ntp'] = ok({
    servers: servers.map((server) =>
      offset === null
        ? { server, sample: null, error: { code: 'timeout' as const, message: 'no answer in time' } }
        : { server, sample: { server, address: '198.51.100.1', offsetMs: offset, delayMs: 12, stratum: 1, referenceId: 'GPS' }, error: null },
    ),
    medianOffsetMs: offset,
    spreadMs: offset === null ? null : 0,
    usable: offset === null ? 0 : servers.length,
  });
  const os: OsFacts = {
    platform,
    name: platform === 'windows' ? 'Windows 11 Pro' : platform === 'macos' ? 'macOS' : 'Ubuntu',
    version: platform === 'windows' ? '23H2' : platform === 'macos' ? '14.5' : '24.04 LTS',
    build: platform === 'windows' ? '22631.3880' : null,
    arch: 'x64',
    hostname: 'WS-TANAKA-0421',
    userName: 'h.tanaka',
    locale: 'ja-JP',
    timeZone: 'Asia/Tokyo',
    ...s.os,
  };
  const timeSource = platform === 'windows' ? 'time.windows.com' : platform === 'macos' ? 'time.apple.com' : 'ntp.ubuntu.com';
  const proxy: RunFacts['proxy'] =
    s.proxy === null
      ? unsupported('the proxy settings were not read')
      : ok({ httpProxy: null, httpsProxy: null, pacUrl: null, autoDetect: platform === 'windows' ? true : null, bypass: [], evidence: platform === 'windows' ? 'WinINET (HKCU Internet Settings)' : platform === 'macos' ? 'scutil --proxy' : 'environment', ...s.proxy });
  const gatewayReply = s.gatewayReply ?? (s.clientCertRequest ? 'asa-certificate-only' : 'asa');
  const facts: RunFacts = {
    target,
    connectTo,
    startedAt: now,
    platform,
    settings: DEFAULT_SETTINGS,
    os: ok(os),
    dns,
    reach,
    tls,
    tlsVersions,
    clientTls: ok({ enabled: allows, evidence: platform === 'windows' ? 'SCHANNEL registry: no protocol settings (Windows defaults)' : 'OpenSSL defaults', stack: platform === 'windows' ? 'SChannel' : 'OpenSSL' }),
    ntp,
    timeSync: ok({ enabled: s.timeSyncEnabled === undefined ? true : s.timeSyncEnabled, synchronized: s.timeSyncEnabled !== false, source: timeSource, evidence: platform === 'windows' ? 'reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters; w32tm /query /status' : 'timedatectl show' }),
    trustStore: ok({ entries, sources: [...new Map(entries.map((e) => [e.store.id, e.store])).values()].map((store) => ({ store, count: entries.filter((e) => e.store.id === store.id).length, error: null })) }),
    dnsConfig: ok({ servers: [...(s.dnsServers ?? ['192.168.1.1'])], searchDomains: [], evidence: platform === 'windows' ? 'Get-DnsClientServerAddress' : '/etc/resolv.conf' }),
    proxy,
    aia: ok({ needed: (s.aia ?? []).length > 0, fetches: (s.aia ?? []).map((f) => ({ url: f.url, certificates: f.certificates, contentType: 'application/pkix-cert', error: f.error ?? null, ms: 64 })) }),
    revocation: unsupported('not gathered yet'),
    anyconnect: anyconnectFacts(anyconnectInstall(s.anyconnect ?? { localPolicy: 'default' }, platform)),
    gateway: tls.status === 'ok' && !failure ? ok(gatewayFacts(gatewayReply, target, truth), 37) : unsupported('no TLS connection to send the AnyConnect request over'),
    clientIdentities: s.identities === null ? unsupported('the security tool is not available (ENOENT)') : ok([...(s.identities ?? [])]),
    vpnLogs: ok([]),
  };
  const withRevocation: RunFacts = { ...facts, revocation: tls.status === 'ok' && !failure ? revocationFacts(s.revocation ?? 'good', facts, pool, truth) : unsupported('no certificate was received') };
  const source: FactSource = {
    base: { target, connectTo, startedAt: now, platform, settings: DEFAULT_SETTINGS },
    get: (k) => Promise.resolve(withRevocation[k]) as never,
  };
  const results = await runChecklist(CHECKLIST, source, { pool, elapsed: () => 120 });
  const { verdict, topCause } = summarize(results);
  const trail = s.trail ?? [
    `0 ms  trust store: ${entries.length} certificates from 1 store(s)`,
    `18 ms  dns: system → ${addresses.join(', ')} (18 ms)`,
    `41 ms  tcp: connected to ${address ?? '-'}:${target.port} in 23 ms`,
    `84 ms  tls: TLSv1.3 TLS_AES_256_GCM_SHA384, ${chain.length} certificate(s) (wire) in 41 ms`,
    `120 ms  verdict ${verdict}${topCause ? `, top cause ${topCause}` : ''}`,
  ];
  return { run: { facts: withRevocation, results, verdict, topCause, complete: true, durationMs: 850, trail }, pool };
}

function versionOf(v: Synthetic['versions']): string {
  const versions = v ?? { 'TLSv1.3': 'accepted' };
  for (const name of ['TLSv1.3', 'TLSv1.2', 'TLSv1.1', 'TLSv1'] as const) if (versions[name] === 'accepted') return name;
  return 'TLSv1.2';
}
