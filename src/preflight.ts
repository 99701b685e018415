import type { TLSSocket } from 'node:tls';
import type { PlatformAdapter, TlsVersionName } from '../platform/types';
import { aiaExtras } from './checks/cert-common';
import { runChecklist, summarize, type FactSource, type Verdict } from './checks/runner';
import { CHECKLIST } from './checks/index';
import type { Check, CheckId, CheckResult } from './checks/types';
import { anySignal, type Deadline } from './deadline';
import { DeadlineError, errorCode, errorMessage } from './errors';
import { failed, gather, ok, unsupported, type Fact } from './facts';
import type { Logger } from './log';
import { analyzeChain } from './pki/analysis';
import type { Certificate } from './pki/certificate';
import type { ExtraCertificate } from './pki/path';
import type { CertificatePool } from './pki/pool';
import { AnchorIndex, type StoreEntry } from './pki/trust-store';
import { fetchCaIssuers, type AiaFetch } from './probes/aia';
import { resolveDirect, resolveSystem, type DnsAnswer } from './probes/dns';
import { fetchScopesFor } from './probes/http';
import { queryNtp, summarizeOffsets } from './probes/ntp';
import { checkRevocation, type RevocationTarget } from './probes/revocation';
import { connectTcp } from './probes/tcp';
import { configAuthInit } from './probes/anyconnect';
import { anyconnectFacts, type GivenFiles } from './anyconnect/facts';
import { tlsHandshake, type HandshakeResult } from './probes/tls';
import type {
  AiaFacts,
  AnyConnectFacts,
  CheckSettings,
  DnsFacts,
  FactKey,
  GatewayFacts,
  NtpFacts,
  ReachFacts,
  RevocationFacts,
  RunFacts,
  TlsFacts,
  TlsVersionsFacts,
  VersionProbe,
} from './run-facts';
import type { HostPort, Target } from './target';

export interface PreflightInput {
  readonly target: Target;
  readonly connectTo: string | null;
  /** `--ca-file` anchors, already read and parsed into DER. */
  readonly extraAnchors: readonly StoreEntry[];
  readonly ntpServers: readonly HostPort[];
  /** `--dns-server`, as `ip` or `ip:port`. */
  readonly dnsServers: readonly string[];
  readonly settings: CheckSettings;
  /** AnyConnect files already read for this run (the no-argument gateway lookup); read here when absent. */
  readonly anyconnect?: Fact<AnyConnectFacts>;
  /** `--profile` / `--local-policy` files, used when `anyconnect` is absent. */
  readonly anyconnectFiles?: GivenFiles;
}

export interface PreflightEnv {
  readonly adapter: PlatformAdapter;
  readonly deadline: Deadline;
  readonly pool: CertificatePool;
  readonly log: Logger;
  readonly now: () => Date;
  readonly onCheck?: (r: CheckResult) => void;
  readonly checks?: readonly Check[];
}

export interface PreflightOutcome {
  readonly facts: RunFacts;
  readonly results: readonly CheckResult[];
  readonly verdict: Verdict;
  readonly topCause: CheckId | null;
  /** False when the deadline or an interruption cut the run short. */
  readonly complete: boolean;
  readonly durationMs: number;
  /** What the run did, in order, for the helpdesk and for tests. */
  readonly trail: readonly string[];
}

const LEGACY_PROBES: readonly TlsVersionName[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2'];
const PROBE_CIPHERS = 'DEFAULT@SECLEVEL=0';
const AIA_MAX_BYTES = 256 * 1024;
/** How far back the client's own log is read. */
const VPN_LOG_DAYS = 3;

/**
 * Runs every probe that does not depend on another at once, under the run's one
 * deadline, and evaluates each check as soon as its facts are in.
 */
export async function runPreflight(input: PreflightInput, env: PreflightEnv): Promise<PreflightOutcome> {
  const t0 = performance.now();
  const elapsed = (): number => performance.now() - t0;
  const startedAt = env.now();
  const { deadline, adapter, pool, log } = env;
  const signal = deadline.signal;
  const trail: string[] = [];
  const note = (line: string): void => {
    trail.push(`${Math.round(elapsed())} ms  ${line}`);
    log.debug(line);
  };
  const openSockets: TLSSocket[] = [];

  // OS facts, each bounded by the deadline.
  const os = bounded(adapter.osFacts(signal), signal);
  const platformStore = bounded(adapter.trustStore(signal), signal);
  const trustStore = platformStore.then((f): Fact<import('../platform/types').TrustStoreFacts> => {
    const extra = input.extraAnchors;
    const caSources = dedupeSources(extra);
    if (f.status === 'ok') {
      note(`trust store: ${f.value.entries.length} certificates from ${f.value.sources.filter((s) => s.count).length} store(s)`);
      return ok({ ...f.value, entries: [...f.value.entries, ...extra], sources: [...f.value.sources, ...caSources] }, f.durationMs);
    }
    note(`trust store: ${f.status}`);
    if (extra.length) return ok({ entries: [...extra], sources: caSources }, f.durationMs);
    return f;
  });
  // Index the store as soon as it is read, while the network is still answering.
  trustStore.then((f) => f.status === 'ok' && AnchorIndex.of(f.value.entries, pool)).catch(() => undefined);
  const timeSync = bounded(adapter.timeSync(signal), signal);
  const dnsConfig = bounded(adapter.dnsConfig(signal), signal);
  const clientTls = bounded(adapter.clientTls(signal), signal);
  const proxy = bounded(adapter.proxy(signal), signal);
  const clientIdentities = bounded(adapter.clientIdentities(signal), signal);

  // Network: DNS, then TCP + TLS and the version probes in parallel; NTP alongside.
  const configuredDns = dnsConfig.then((f) => (f.status === 'ok' ? f.value.servers : []));
  let restOfRunDone: () => void = () => undefined;
  const restOfRun = new Promise<void>((resolve) => (restOfRunDone = resolve));
  const { fact: dns, addresses } = resolveTarget(input, signal, deadline, note, configuredDns, restOfRun);
  const connection = addresses.then((addrs) => connectAndHandshake(input.target, addrs, deadline, note));
  connection.then((c) => c.socket && openSockets.push(c.socket)).catch(() => undefined);
  const reach = connection.then((c) => c.reach);
  const tls = connection.then((c) => c.tls);
  const versionProbes = addresses.then((addrs) => probeLegacyVersions(input.target, addrs[0] ?? null, deadline));
  const tlsVersions = Promise.all([tls, versionProbes]).then(([t, probes]) => versionMatrix(t, probes));
  const ntp = probeNtp(input.ntpServers, deadline, note);

  // As soon as the chain is known: fetch what the server left out.
  const aia = Promise.all([tls, trustStore, reach]).then(([t, ts, r]) => fetchMissingIssuers(t, ts, r, pool, deadline, note));
  // As soon as the path is known (after AIA): OCSP and CRL for every certificate on it.
  // Whether an answer is current is judged at the time servers' time when they gave one.
  const bestNow = (): Promise<Date> =>
    ntp.then((n) => new Date(env.now().getTime() + (n.status === 'ok' && n.value.medianOffsetMs !== null ? n.value.medianOffsetMs : 0)));
  const revocation = Promise.all([tls, trustStore, aia, reach]).then(([t, ts, a, r]) => probeRevocation(t, ts, a, r, pool, deadline, startedAt, bestNow, note));
  const anyconnect: Promise<Fact<AnyConnectFacts>> = input.anyconnect
    ? Promise.resolve(input.anyconnect)
    : bounded(adapter.anyconnect(signal), signal).then((f) => anyconnectFacts(f, input.anyconnectFiles));
  // The AnyConnect init goes over the very connection whose certificate was examined.
  const gateway: Promise<Fact<GatewayFacts>> = connection.then((c) => probeGateway(c, input.target, adapter.id, deadline, env.now, note));
  const vpnLogs = bounded(adapter.vpnLogs(signal, VPN_LOG_DAYS), signal);

  const promises: { [K in FactKey]: Promise<RunFacts[K]> } = {
    os,
    dns,
    reach,
    tls,
    tlsVersions,
    clientTls,
    ntp,
    timeSync,
    trustStore,
    dnsConfig,
    proxy,
    aia,
    revocation,
    anyconnect,
    gateway,
    clientIdentities,
    vpnLogs,
  };
  // DNS lookups that did not choose the addresses may run only as long as everything else does.
  void Promise.allSettled((Object.keys(promises) as FactKey[]).filter((k) => k !== 'dns').map((k) => promises[k])).then(() => restOfRunDone());
  const base = { target: input.target, connectTo: input.connectTo, startedAt, platform: adapter.id, settings: input.settings };
  const source: FactSource = { base, get: (k) => promises[k] };
  try {
    const results = await runChecklist(env.checks ?? CHECKLIST, source, { pool, elapsed, onResult: env.onCheck });
    const resolved = Object.fromEntries(
      await Promise.all((Object.keys(promises) as FactKey[]).map(async (k) => [k, await promises[k]] as const)),
    ) as { [K in FactKey]: RunFacts[K] };
    const { verdict, topCause } = summarize(results);
    note(`verdict ${verdict}${topCause ? `, top cause ${topCause}` : ''}`);
    return {
      facts: { ...base, ...resolved },
      results,
      verdict,
      topCause,
      complete: !signal.aborted,
      durationMs: Math.round(elapsed()),
      trail,
    };
  } finally {
    for (const s of openSockets) s.destroy();
  }
}

/** Resolves to an `error` fact with code `timeout` when the deadline fires first. */
export function bounded<T>(p: Promise<Fact<T>>, signal: AbortSignal): Promise<Fact<T>> {
  if (signal.aborted) return Promise.resolve(failed('timeout', 'the run reached its time limit'));
  return new Promise((resolve) => {
    const onAbort = (): void => resolve(failed('timeout', 'the run reached its time limit'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        resolve(failed(errorCode(err), errorMessage(err)));
      },
    );
  });
}

function dedupeSources(entries: readonly StoreEntry[]): Array<{ store: StoreEntry['store']; count: number; error: string | null }> {
  const m = new Map<string, { store: StoreEntry['store']; count: number; error: string | null }>();
  for (const e of entries) {
    const s = m.get(e.store.id + e.store.label);
    if (s) s.count++;
    else m.set(e.store.id + e.store.label, { store: e.store, count: 1, error: null });
  }
  return [...m.values()];
}

/**
 * The DNS fact and, separately, the addresses to connect to: those are known at once
 * for an IP literal or --connect-to, and as soon as one chosen resolver answers with
 * addresses otherwise — the connection never waits for a resolver asked only for
 * comparison, nor for a chosen one that is slower than another.
 *
 * The fact names every resolver asked. One that has not answered once the addresses are
 * chosen may keep the report waiting only while the rest of the run is still busy, and
 * at least LATE_ANSWER_GRACE_MS (a recursive resolver's cache miss); after that it is
 * recorded as a timeout. A silent server never holds the whole run for its query bound.
 */
function resolveTarget(
  input: PreflightInput,
  signal: AbortSignal,
  deadline: Deadline,
  note: (s: string) => void,
  configuredServers: Promise<readonly string[]> = Promise.resolve([]),
  restOfRun: Promise<void> = Promise.resolve(),
): { fact: Promise<Fact<DnsFacts>>; addresses: Promise<readonly string[]> } {
  const { target, connectTo } = input;
  if (target.ipVersion) {
    note(`dns: ${target.host} is an IP address`);
    const addresses = [connectTo ?? target.host];
    return { fact: Promise.resolve(ok({ mode: 'ip-literal', system: null, direct: [], addresses })), addresses: Promise.resolve(addresses) };
  }
  const late = new AbortController();
  const lookupSignal = anySignal([signal, late.signal]);
  const perQuery = Math.min(deadline.remaining(), DNS_QUERY_BOUND_MS);
  const system = resolveSystem(target.host, lookupSignal);
  const direct = input.dnsServers.map((s) => resolveDirect(target.host, s, perQuery, lookupSignal));
  // The OS's own servers, asked directly for comparison (they tell SERVFAIL from a timeout,
  // which getaddrinfo cannot). Never for localhost names: RFC 6761 keeps those off DNS.
  const configured = configuredServers.then((servers) =>
    isLocalhostName(target.host)
      ? []
      : Promise.all(
          servers
            .filter((s) => !input.dnsServers.includes(s))
            .slice(0, MAX_CONFIGURED_DNS)
            .map((s) => resolveDirect(target.host, s, Math.min(deadline.remaining(), DNS_QUERY_BOUND_MS), lookupSignal)),
        ),
  );
  const choice: Promise<Choice> = connectTo
    ? Promise.resolve({ addresses: [connectTo], resolver: null })
    : input.dnsServers.length
      ? firstAnswer(direct)
      : system.then((a) => (a.error ? { addresses: [], resolver: null } : { addresses: [...a.a, ...a.aaaa], resolver: a.resolver }));
  void choice.then(async (c) => {
    if (c.addresses.length === 0) return; // every chosen resolver has already ended
    const graceMs = LATE_ANSWER_GRACE_MS;
    await Promise.all([restOfRun, new Promise<void>((r) => setTimeout(r, graceMs).unref())]);
    late.abort(new DeadlineError(`no answer by the time the run had finished (at least ${graceMs} ms after ${c.resolver ?? 'the address'} was known)`));
  });
  const chosen = choice.then((c) => c.addresses);
  const fact = gather(async (): Promise<DnsFacts> => {
    const [sys, ...dir] = await Promise.all([system, ...direct]);
    const conf = await configured;
    const fmt = (a: DnsAnswer): string => `${a.resolver} → ${a.error ? a.error.code : [...a.a, ...a.aaaa].join(', ')} (${Math.round(a.ms)} ms)`;
    note(`dns: ${[sys!, ...dir, ...conf].map(fmt).join('; ')}`);
    const mode = connectTo ? 'connect-to' : input.dnsServers.length ? 'dns-server' : 'system';
    const c = await choice;
    return { mode, system: sys!, direct: dir, configured: conf, addresses: [...c.addresses], resolvedBy: c.resolver };
  });
  return { fact, addresses: chosen };
}

const MAX_CONFIGURED_DNS = 3;
/** The longest one direct DNS query may take. */
const DNS_QUERY_BOUND_MS = 4000;
/** How long, at least, a resolver that did not decide may still answer for the report. */
const LATE_ANSWER_GRACE_MS = 1000;

function isLocalhostName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost');
}

interface Choice {
  readonly addresses: readonly string[];
  /** The resolver whose answer gave them; null for --connect-to or no answer. */
  readonly resolver: string | null;
}

/**
 * The addresses of the first resolver that answers with some — not the first in the
 * order given: a silent server must not hold the connection while another has answered.
 * Answers that arrive together are taken in the order given.
 */
function firstAnswer(answers: ReadonlyArray<Promise<DnsAnswer>>): Promise<Choice> {
  if (answers.length === 0) return Promise.resolve({ addresses: [], resolver: null });
  return new Promise((resolve) => {
    const settled: Array<DnsAnswer | undefined> = answers.map(() => undefined);
    let scheduled = false;
    let done = false;
    const decide = (): void => {
      scheduled = false;
      if (done) return;
      const usable = settled.find((a) => a !== undefined && !a.error && a.a.length + a.aaaa.length > 0);
      if (usable) {
        done = true;
        resolve({ addresses: [...usable.a, ...usable.aaaa], resolver: usable.resolver });
      } else if (settled.every((a) => a !== undefined)) {
        done = true;
        resolve({ addresses: [], resolver: null });
      }
    };
    answers.forEach((p, i) =>
      void p.then((a) => {
        settled[i] = a;
        if (!scheduled) {
          scheduled = true;
          setImmediate(decide);
        }
      }),
    );
  });
}

interface Connection {
  readonly reach: Fact<ReachFacts>;
  readonly tls: Fact<TlsFacts>;
  readonly socket: TLSSocket | null;
}

async function connectAndHandshake(target: Target, addresses: readonly string[], deadline: Deadline, note: (s: string) => void): Promise<Connection> {
  if (addresses.length === 0) {
    return { reach: unsupported('no address to connect to'), tls: unsupported('no address to connect to'), socket: null };
  }
  const attempts: Array<ReachFacts['attempts'][number]> = [];
  const tcpStart = performance.now();
  for (let i = 0; i < addresses.length && i < 4; i++) {
    const address = addresses[i]!;
    // Share what is left fairly between the addresses still to try.
    const share = deadline.remaining() / Math.min(addresses.length - i, 4 - i);
    try {
      const conn = await connectTcp(address, target.port, deadline.child(share));
      attempts.push({ address, rttMs: conn.rttMs, error: null });
      note(`tcp: connected to ${address}:${target.port} in ${conn.rttMs} ms`);
      const reach: Fact<ReachFacts> = ok({ port: target.port, attempts, connected: { address, rttMs: conn.rttMs, localAddress: conn.localAddress } }, Math.round(performance.now() - tcpStart));
      const result = await tlsHandshake({
        socket: conn.socket,
        servername: target.ipVersion ? null : target.host,
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.3',
        ciphers: PROBE_CIPHERS,
        requestOcsp: true,
        keepOpen: true,
        postHandshakeWaitMs: Math.min(1000, Math.max(150, conn.rttMs * 4)),
        signal: deadline.signal,
      });
      note(
        result.completed
          ? `tls: ${result.protocol} ${result.cipher?.standardName ?? ''}, ${result.chain.length} certificate(s) (${result.chainSource}) in ${result.handshakeMs} ms`
          : `tls: failed (${result.failure?.kind}: ${result.failure?.message}) after ${result.handshakeMs} ms; ${result.chain.length} certificate(s) seen`,
      );
      const { socket, ...rest } = result;
      const tls: Fact<TlsFacts> = ok({ ...rest, address, servername: target.ipVersion ? null : target.host }, Math.round(result.handshakeMs));
      return { reach, tls, socket };
    } catch (err) {
      const code = errorCode(err);
      attempts.push({ address, rttMs: null, error: { code, message: errorMessage(err) } });
      note(`tcp: ${address}:${target.port} ${code}`);
      if (deadline.signal.aborted) break;
    }
  }
  const reach: Fact<ReachFacts> = ok({ port: target.port, attempts, connected: null }, Math.round(performance.now() - tcpStart));
  return { reach, tls: unsupported('no TCP connection'), socket: null };
}

async function probeLegacyVersions(target: Target, address: string | null, deadline: Deadline): Promise<Record<string, HandshakeResult | Error>> {
  const out: Record<string, HandshakeResult | Error> = {};
  if (!address) return out;
  await Promise.all(
    LEGACY_PROBES.map(async (v) => {
      try {
        const conn = await connectTcp(address, target.port, deadline.signal);
        out[v] = await tlsHandshake({
          socket: conn.socket,
          servername: target.ipVersion ? null : target.host,
          minVersion: v,
          maxVersion: v,
          ciphers: PROBE_CIPHERS,
          requestOcsp: false,
          keepOpen: false,
          postHandshakeWaitMs: 0,
          signal: deadline.signal,
        });
      } catch (err) {
        out[v] = err instanceof Error ? err : new Error(String(err));
      }
    }),
  );
  return out;
}

function versionMatrix(tls: Fact<TlsFacts>, probes: Record<string, HandshakeResult | Error>): Fact<TlsVersionsFacts> {
  if (tls.status === 'unsupported') return unsupported(tls.reason);
  const versions = {} as Record<TlsVersionName, VersionProbe>;
  for (const v of LEGACY_PROBES) {
    const r = probes[v];
    if (!r) versions[v] = { state: 'error', cipher: null, reason: 'not probed', via: 'probe' };
    else if (r instanceof Error) versions[v] = { state: 'error', cipher: null, reason: `${errorCode(r)}: ${errorMessage(r)}`, via: 'probe' };
    else versions[v] = probeState(r, v);
  }
  if (tls.status === 'error') {
    versions['TLSv1.3'] = { state: 'error', cipher: null, reason: tls.error.message, via: 'main-handshake' };
  } else {
    const t = tls.value;
    const negotiated = t.protocol ?? t.serverHelloVersion;
    if (negotiated === 'TLSv1.3') {
      versions['TLSv1.3'] = { state: 'accepted', cipher: t.cipher?.standardName ?? t.serverHelloCipher?.standardName ?? null, reason: t.protocol ? null : endedAfterServerHello(t), via: 'main-handshake' };
    } else if (negotiated) {
      versions['TLSv1.3'] = { state: 'rejected', cipher: null, reason: `the gateway chose ${negotiated} when TLS 1.3 was offered`, via: 'main-handshake' };
    } else {
      versions['TLSv1.3'] = { ...probeState(t as unknown as HandshakeResult, 'TLSv1.3'), via: 'main-handshake' };
    }
    // The main handshake also proves the version it negotiated, even when the server ended it
    // later (a required client certificate): its ServerHello chose that version.
    if (negotiated && negotiated !== 'TLSv1.3' && negotiated in versions && versions[negotiated as TlsVersionName].state !== 'accepted') {
      versions[negotiated as TlsVersionName] = {
        state: 'accepted',
        cipher: t.cipher?.standardName ?? t.serverHelloCipher?.standardName ?? null,
        reason: t.protocol ? null : endedAfterServerHello(t),
        via: 'main-handshake',
      };
    }
  }
  return ok({ versions });
}

/**
 * What one handshake says about the version it offered. A server whose ServerHello chose
 * that version accepted it, however the handshake ended: one that requires a client
 * certificate ends it after its CertificateRequest (TLS 1.2: a handshake_failure alert or
 * a reset after our empty Certificate; TLS 1.3: certificate_required).
 */
function probeState(r: HandshakeResult, offered: TlsVersionName): VersionProbe {
  if (r.completed) return { state: 'accepted', cipher: r.cipher?.standardName ?? null, reason: null, via: 'probe' };
  const kind = r.failure?.kind;
  if (r.serverHelloVersion === offered || kind === 'certificate-required') {
    return { state: 'accepted', cipher: r.serverHelloCipher?.standardName ?? null, reason: endedAfterServerHello(r), via: 'probe' };
  }
  if (kind === 'protocol-version' || kind === 'handshake-failure' || kind === 'closed' || kind === 'reset') {
    return { state: 'rejected', cipher: null, reason: r.failure?.message ?? kind, via: 'probe' };
  }
  return { state: 'error', cipher: null, reason: r.failure ? `${r.failure.kind}: ${r.failure.message}` : 'unknown', via: 'probe' };
}

/** Why a handshake whose ServerHello chose a version still did not complete. */
function endedAfterServerHello(r: Pick<HandshakeResult, 'clientCertificate' | 'failure'>): string {
  if (r.clientCertificate.requested || r.failure?.kind === 'certificate-required') {
    return 'the handshake reached client-certificate authentication; the gateway ended it because none was sent';
  }
  return `the gateway chose this version, then the handshake ended: ${r.failure?.message ?? 'unknown'}`;
}

async function probeNtp(servers: readonly HostPort[], deadline: Deadline, note: (s: string) => void): Promise<Fact<NtpFacts>> {
  if (servers.length === 0) return unsupported('no NTP servers configured');
  return gather(async (): Promise<NtpFacts> => {
    const results = await Promise.all(servers.map((s) => queryNtp(s, Math.min(deadline.remaining(), 3000), deadline.signal)));
    const summary = summarizeOffsets(results);
    note(`ntp: ${results.map((r) => `${r.server} ${r.sample ? `${r.sample.offsetMs} ms` : r.error?.code}`).join('; ')}`);
    return { servers: results, medianOffsetMs: summary.medianMs, spreadMs: summary.spreadMs, usable: summary.usable };
  });
}

/**
 * When the path stops at an issuer nobody sent, fetch it from the AIA caIssuers URL
 * of the last certificate (and again for what that brings), so the report can say
 * exactly which intermediate is missing and where it lives.
 */
async function fetchMissingIssuers(
  tls: Fact<TlsFacts>,
  store: Fact<import('../platform/types').TrustStoreFacts>,
  reach: Fact<ReachFacts>,
  pool: CertificatePool,
  deadline: Deadline,
  note: (s: string) => void,
): Promise<Fact<AiaFacts>> {
  if (tls.status !== 'ok' || tls.value.chain.length === 0) return ok({ needed: false, fetches: [] });
  const anchors = AnchorIndex.of(store.status === 'ok' ? store.value.entries : [], pool);
  const allowScopes = fetchScopesFor(reach.status === 'ok' && reach.value.connected ? reach.value.connected.address : null);
  const fetches: AiaFetch[] = [];
  const extras: ExtraCertificate[] = [];
  const tried = new Set<string>();
  let needed = false;
  for (let round = 0; round < 3; round++) {
    const analysis = analyzeChain(tls.value.chain, pool, anchors, extras);
    const path = analysis.path;
    if (!path || path.end !== 'issuer-not-found') break;
    needed = true;
    const last: Certificate = path.nodes[path.nodes.length - 1]!.cert;
    const urls = last.aia.caIssuers.filter((u) => /^https?:\/\//i.test(u) && !tried.has(u)).slice(0, 3);
    if (urls.length === 0) break;
    urls.forEach((u) => tried.add(u));
    const got = await Promise.all(
      urls.map((url) =>
        fetchCaIssuers(url, {
          maxBytes: AIA_MAX_BYTES,
          maxRedirects: 3,
          timeoutMs: Math.min(deadline.remaining(), 4000),
          signal: deadline.signal,
          allowScopes,
        }),
      ),
    );
    for (const f of got) {
      fetches.push(f);
      note(`aia: ${f.url} → ${f.error ? `${f.error.code}: ${f.error.message}` : `${f.certificates.length} certificate(s)`} (${f.ms} ms)`);
      for (const der of f.certificates) {
        const c = pool.tryGet(der);
        if (c) extras.push({ cert: c, url: f.url });
      }
    }
    if (got.every((f) => f.certificates.length === 0)) break;
  }
  return ok({ needed, fetches });
}

/**
 * Builds the path the way the checks will (what the server sent, the trust stores, what
 * AIA brought) and asks about revocation for the leaf and every intermediate on it.
 * Not wrapped in `bounded`: every fetch ends at the deadline and is recorded as
 * unreachable, so a run whose responders are all silent still reports what it tried.
 */
async function probeRevocation(
  tls: Fact<TlsFacts>,
  store: Fact<import('../platform/types').TrustStoreFacts>,
  aia: Fact<AiaFacts>,
  reach: Fact<ReachFacts>,
  pool: CertificatePool,
  deadline: Deadline,
  startedAt: Date,
  now: () => Promise<Date>,
  note: (s: string) => void,
): Promise<Fact<RevocationFacts>> {
  if (tls.status !== 'ok' || tls.value.chain.length === 0) return unsupported('no certificate was received');
  // The same path the checks judge: the run's one store index, at the local clock.
  const anchors = AnchorIndex.of(store.status === 'ok' ? store.value.entries : [], pool);
  const path = analyzeChain(tls.value.chain, pool, anchors, aiaExtras(aia, pool), { at: startedAt }).path;
  if (!path) return unsupported('the gateway certificate cannot be read');
  const targets: RevocationTarget[] = [];
  const last = path.nodes.length - 1;
  path.nodes.forEach((n, i) => {
    // Trust anchors (a root, or whatever certificate a store trusts directly) are trusted as configured, not revocation-checked.
    const isAnchor = i === last && i > 0 && path.anchor !== null;
    if (i > 0 && (n.cert.selfIssued || isAnchor)) return;
    const selfSigned = i === 0 && path.nodes.length === 1 && n.cert.selfIssued;
    targets.push({ cert: n.cert, issuer: path.nodes[i + 1]?.cert ?? null, role: i === 0 ? 'leaf' : 'intermediate', selfSigned });
  });
  const allowScopes = fetchScopesFor(reach.status === 'ok' && reach.value.connected ? reach.value.connected.address : null);
  return gather(() => checkRevocation(targets, { stapled: tls.value.stapledOcsp, deadline, allowScopes, now, note }));
}

/**
 * The AnyConnect config-auth init over the main connection (never a second one: the
 * answer must come from the server whose certificate was examined). It is sent whatever
 * the verdict on that certificate, because it carries nothing secret: no user name,
 * password or client certificate, only the client's version, platform and the URL.
 */
async function probeGateway(
  c: Connection,
  target: Target,
  platform: import('../platform/types').PlatformId,
  deadline: Deadline,
  now: () => Date,
  note: (s: string) => void,
): Promise<Fact<GatewayFacts>> {
  if (!c.socket) {
    if (c.tls.status === 'ok' && c.tls.value.failure?.kind === 'certificate-required') {
      return unsupported('the gateway closed the TLS connection because no client certificate was sent');
    }
    const why = c.tls.status === 'ok' ? (c.tls.value.failure?.message ?? 'the TLS handshake did not complete') : c.tls.status === 'unsupported' ? c.tls.reason : c.tls.error.message;
    return unsupported(`no TLS connection to send the AnyConnect request over (${why})`);
  }
  const rtt = c.reach.status === 'ok' && c.reach.value.connected ? c.reach.value.connected.rttMs : 50;
  const socket = c.socket;
  try {
    const facts = await gather(() =>
      configAuthInit({
        socket,
        target,
        platform,
        timeoutMs: Math.min(deadline.remaining(), Math.max(2000, rtt * 8)),
        signal: deadline.signal,
        now,
        certificateRequested: c.tls.status === 'ok' && c.tls.value.clientCertificate.requested,
      }),
    );
    note(
      facts.status === 'ok'
        ? `anyconnect: ${facts.value.kind} (${facts.value.detail}) in ${facts.value.ms} ms`
        : `anyconnect: ${facts.status === 'error' ? facts.error.message : facts.reason}`,
    );
    return facts;
  } finally {
    socket.destroy();
  }
}
