/**
 * Synthetic runs for report tests: facts as the probes would have gathered them on a
 * named computer, evaluated by the real checklist (no network, no OS). Every value a
 * report shows is fixed here (time, durations, names), so renderings are reproducible.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CHECKLIST } from '../../../src/checks/index';
import { runChecklist, summarize, type FactSource } from '../../../src/checks/runner';
import { ok, unsupported, type Fact } from '../../../src/facts';
import { splitCertificates } from '../../../src/pki/pem';
import { CertificatePool } from '../../../src/pki/pool';
import type { StoreEntry } from '../../../src/pki/trust-store';
import type { PreflightOutcome } from '../../../src/preflight';
import { DEFAULT_SETTINGS, type RunFacts, type VersionProbe } from '../../../src/run-facts';
import { parseTarget } from '../../../src/target';
import type { OsFacts, PlatformId, TlsVersionName } from '../../../platform/types';
import type { DnsAnswer } from '../../../src/probes/dns';
import type { HandshakeFailure } from '../../../src/probes/tls';

const CERTS = path.resolve(__dirname, '../../golden/certs');

/** A committed golden certificate (DER). */
export function goldenCert(name: 'root' | 'int' | 'leaf' | 'expired' | 'aia-leaf' | 'other'): Buffer {
  return splitCertificates(readFileSync(path.join(CERTS, `${name}.pem`)))[0]!;
}

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
  readonly anchors?: ReadonlyArray<{ der: Buffer; trust?: 'trusted' | 'distrusted'; role?: 'anchor' | 'intermediate' }>;
  readonly aia?: ReadonlyArray<{ url: string; certificates: Buffer[]; error?: { code: string; message: string } }>;
  readonly os?: Partial<OsFacts>;
  readonly trail?: readonly string[];
}

export const RUN_TIME = new Date('2025-03-03T09:00:00.000Z');

/** Runs the real checklist on synthetic facts. */
export async function syntheticRun(s: Synthetic = {}): Promise<{ run: PreflightOutcome; pool: CertificatePool }> {
  const platform = s.platform ?? 'linux';
  const now = s.now ?? RUN_TIME;
  const target = parseTarget(s.gateway ?? 'vpn.example.com', 'command line');
  const addresses = s.addresses ?? ['203.0.113.10'];
  const pool = new CertificatePool();
  const storeLabel = platform === 'windows' ? 'LocalMachine\\Root' : platform === 'macos' ? 'System Roots keychain' : '/etc/ssl/certs/ca-certificates.crt';
  const anchors = s.anchors ?? [{ der: goldenCert('root') }];
  const entries: StoreEntry[] = anchors.map((a) => ({
    der: a.der,
    store: { id: `${platform}-store`, label: storeLabel, kind: 'os-native' },
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
        clientCertificate: { requested: false, acceptableCaNames: null },
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
  const servers = ['time.google.com', 'time.cloudflare.com', 'pool.ntp.org'];
  const ntp: RunFacts['ntp'] = ok({
    servers: servers.map((server) =>
      offset === null
        ? { server, sample: null, error: { code: 'timeout' as const, message: 'no answer within 3000 ms' } }
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
    clientTls: ok({ enabled: allows, evidence: 'defaults' }),
    ntp,
    timeSync: ok({ enabled: s.timeSyncEnabled === undefined ? true : s.timeSyncEnabled, synchronized: true, source: 'time.windows.com', evidence: 'fixture' }),
    trustStore: ok({ entries, sources: [{ store: entries[0]?.store ?? { id: 'none', label: storeLabel, kind: 'os-native' }, count: entries.length, error: null }] }),
    dnsConfig: ok({ servers: ['192.168.1.1'], searchDomains: [], evidence: 'fixture' }),
    proxy: unsupported('not looked at'),
    aia: ok({ needed: (s.aia ?? []).length > 0, fetches: (s.aia ?? []).map((f) => ({ url: f.url, certificates: f.certificates, contentType: 'application/pkix-cert', error: f.error ?? null, ms: 64 })) }),
    revocation: unsupported('revocation checking is not part of this build'),
    anyconnect: unsupported('AnyConnect files were not read'),
    gateway: unsupported('the AnyConnect exchange was not performed'),
    clientIdentities: unsupported('not looked at'),
    vpnLogs: unsupported('logs were not read'),
  };
  const source: FactSource = {
    base: { target, connectTo, startedAt: now, platform, settings: DEFAULT_SETTINGS },
    get: (k) => Promise.resolve(facts[k]) as never,
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
  return { run: { facts, results, verdict, topCause, complete: true, durationMs: 850, trail }, pool };
}

function versionOf(v: Synthetic['versions']): string {
  const versions = v ?? { 'TLSv1.3': 'accepted' };
  for (const name of ['TLSv1.3', 'TLSv1.2', 'TLSv1.1', 'TLSv1'] as const) if (versions[name] === 'accepted') return name;
  return 'TLSv1.2';
}

