import { randomUUID } from 'node:crypto';
import type { CheckId, CheckResult, Msg, Status } from '../checks/types';
import { FALLBACK_FIXES, FIXES, type Actor, type FixId, type FixOs } from '../fixes/catalog';
import { isKey, t, type Lang } from '../fixes/i18n';
import type { MessageKey } from '../fixes/i18n';
import type { Certificate } from '../pki/certificate';
import { CertificatePool } from '../pki/pool';
import { chainFrom } from '../checks/runner';
import type { PreflightOutcome } from '../preflight';
import type { PathEnd, RejectReason } from '../pki/path';
import type { PlatformId } from '../../platform/types';
import { displaySafe, escapeUnsafe } from '../pki/text';
import { settingsShown } from '../anyconnect/policy';

export const SCHEMA_VERSION = 1;

export interface ReportFix {
  readonly id: string;
  readonly actor: Actor;
  readonly title: string;
  /** Steps per OS; `any` applies to every OS. */
  readonly steps: ReadonlyArray<{ readonly os: FixOs; readonly lines: readonly string[] }>;
}

export interface ReportCheck {
  readonly id: CheckId;
  readonly status: Status;
  readonly reason: string;
  readonly title: string;
  readonly summary: string;
  readonly details: readonly string[];
  readonly evidence: Readonly<Record<string, unknown>>;
  readonly fixes: readonly ReportFix[];
  readonly durationMs: number;
}

export interface ReportCertificate {
  /** Where it came from: sent by the gateway (position), a trust store, or an AIA URL. */
  readonly origin: 'presented' | 'store' | 'aia';
  readonly presentedIndex: number | null;
  readonly onPath: boolean;
  readonly role: 'leaf' | 'intermediate' | 'root' | 'unrelated';
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly subjectAltNames: readonly string[];
  readonly keyType: string;
  readonly keyBits: number | null;
  readonly signatureAlgorithm: string;
  readonly fingerprintSha256: string;
  readonly stores: readonly string[];
  readonly fetchedFrom: string | null;
  readonly error: string | null;
  /** What cert.revocation found for this certificate; null when it was not asked about (a root, or no check). */
  readonly revocation?: CertificateRevocationState | null;
  /** The TLS inspection product whose CA this is (or which re-signed it), from proxy.intercept. */
  readonly inspectedBy?: string | null;
}

export interface CertificateRevocationState {
  /** good, revoked, unknown, unreachable, invalid, or not-checked. */
  readonly state: string;
  /** ocsp-stapled, ocsp or crl: the source that decided. */
  readonly method: string | null;
  readonly revokedAt: string | null;
  readonly reason: string | null;
}

/** The AnyConnect installation and the settings that decide how it verifies the gateway. */
export interface ReportAnyConnect {
  readonly product: string | null;
  readonly version: string | null;
  readonly location: string | null;
  readonly profiles: readonly string[];
  readonly localPolicy: string | null;
  readonly preferences: readonly string[];
  readonly settings: ReadonlyArray<{ readonly name: string; readonly value: string; readonly file: string }>;
}

/**
 * The path from the gateway's certificate towards a trust anchor, as indices into
 * `certificates` (leaf first), and where and why it ends: what the chain picture draws.
 */
export interface ReportPath {
  readonly end: PathEnd;
  readonly certificates: readonly number[];
  /** The issuer name nobody had, when the path ends at `issuer-not-found`. */
  readonly missingIssuer: string | null;
  /** Candidates with the right name that were not used, and why. */
  readonly rejected: ReadonlyArray<{ readonly forSubject: string; readonly candidate: string; readonly reason: RejectReason }>;
}

/** This computer's clock and the true time (from NTP), for the validity timeline. */
export interface ReportClock {
  readonly localTime: string;
  readonly trueTime: string | null;
  /** Positive when the true time is ahead of this computer's clock. */
  readonly offsetMs: number | null;
}

export interface MachineInfo {
  readonly os: { readonly platform: PlatformId; readonly name: string; readonly version: string; readonly build: string | null; readonly arch: string };
  readonly hostname: string;
  readonly userName: string;
  readonly locale: string;
  readonly timeZone: string;
}

export interface Report {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly tool: { readonly name: 'vpn-preflight'; readonly version: string };
  readonly reportId: string;
  readonly timestamp: string;
  readonly complete: boolean;
  readonly language: Lang;
  readonly redacted: boolean;
  readonly machine: MachineInfo;
  readonly gateway: {
    readonly input: string;
    readonly host: string;
    readonly port: number;
    readonly path: string;
    readonly url: string;
    readonly origin: string;
    readonly connectTo: string | null;
    readonly addresses: readonly string[];
  };
  readonly verdict: 'pass' | 'warn' | 'fail';
  readonly topCause: CheckId | null;
  readonly headline: {
    readonly verdict: string;
    readonly cause: string | null;
    readonly firstStep: string | null;
    readonly firstStepActor: Actor | null;
  };
  readonly checks: readonly ReportCheck[];
  readonly certificates: readonly ReportCertificate[];
  readonly path: ReportPath | null;
  readonly clock: ReportClock;
  readonly trail: readonly string[];
  readonly durationMs: number;
  readonly contact: string | null;
  /** AnyConnect on this computer (or the files given with --profile / --local-policy); null when none was read. */
  readonly anyconnect?: ReportAnyConnect | null;
}

export interface ReportOptions {
  readonly lang: Lang;
  readonly version: string;
  readonly contact: string | null;
  readonly pool?: CertificatePool;
  readonly reportId?: string;
}

/** Turns a run into the report every renderer reads. */
export function buildReport(run: PreflightOutcome, opts: ReportOptions): Report {
  const { lang } = opts;
  const f = run.facts;
  const osFact = f.os.status === 'ok' ? f.os.value : null;
  const userOs = fixOsFor(f.platform);
  const checks = run.results.map((r) => reportCheck(r, lang, userOs));
  const top = run.topCause ? checks.find((c) => c.id === run.topCause) ?? null : null;
  const first = top ? firstStep(top, userOs) : null;
  const addresses = f.dns.status === 'ok' ? [...f.dns.value.addresses] : [];
  const { certificates, path } = certificatesOf(run, opts.pool ?? new CertificatePool());
  const revocation = revocationStates(run.results);
  const inspection = inspectionOf(run.results, lang);
  // The inspecting CA is named where it is in the list; when the gateway did not send it, on what it re-signed.
  const inspectedIndex = inspection ? certificates.findIndex((c) => c.subject === inspection.name) : -1;
  const marked = certificates.map((c, i) => ({
    ...c,
    revocation: revocation.get(c.fingerprintSha256) ?? null,
    inspectedBy: inspection && (i === inspectedIndex || (inspectedIndex < 0 && c.issuer === inspection.name)) ? inspection.product : null,
  }));
  const offsetMs = f.ntp.status === 'ok' ? f.ntp.value.medianOffsetMs : null;
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'vpn-preflight', version: opts.version },
    reportId: opts.reportId ?? randomUUID(),
    timestamp: f.startedAt.toISOString(),
    complete: run.complete,
    language: lang,
    redacted: false,
    machine: {
      os: {
        platform: f.platform,
        name: osFact?.name ?? f.platform,
        version: osFact?.version ?? '',
        build: osFact?.build ?? null,
        arch: osFact?.arch ?? '',
      },
      hostname: osFact?.hostname ?? '',
      userName: osFact?.userName ?? '',
      locale: osFact?.locale ?? '',
      timeZone: osFact?.timeZone ?? '',
    },
    gateway: {
      input: escapeUnsafe(f.target.input),
      host: f.target.host,
      port: f.target.port,
      path: escapeUnsafe(f.target.path),
      url: f.target.url,
      origin: escapeUnsafe(f.target.origin),
      connectTo: f.connectTo,
      addresses,
    },
    verdict: run.verdict,
    topCause: run.topCause,
    headline: {
      verdict: t(lang, `verdict.${run.verdict}${run.complete ? '' : '-incomplete'}` as MessageKey),
      cause: top ? top.summary : null,
      firstStep: first?.text ?? null,
      firstStepActor: first?.actor ?? null,
    },
    checks,
    certificates: marked,
    path,
    clock: {
      localTime: f.startedAt.toISOString(),
      trueTime: offsetMs === null ? null : new Date(f.startedAt.getTime() + offsetMs).toISOString(),
      offsetMs,
    },
    trail: run.trail.map(escapeUnsafe),
    durationMs: run.durationMs,
    contact: opts.contact,
    anyconnect: anyconnectOf(f.anyconnect),
  };
}

/**
 * Message parameters and evidence carry text from certificates, peers and files: their
 * control and bidirectional characters are shown escaped in every format (JSON included),
 * so a hostile name can neither hide nor rewrite what the helpdesk reads.
 */
function safeParams<T extends Readonly<Record<string, unknown>>>(params: T): T {
  // Nested too: lists, quoted names and technical details carry the same text.
  return escapeStrings(params) as T;
}

function escapeStrings(v: unknown): any {
  if (typeof v === 'string') return escapeUnsafe(v);
  if (Array.isArray(v)) return v.map(escapeStrings);
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array || v instanceof Date) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = escapeStrings(x);
  return out;
}

function anyconnectOf(fact: PreflightOutcome['facts']['anyconnect']): ReportAnyConnect | null {
  if (fact.status !== 'ok') return null;
  const ac = fact.value;
  return {
    product: ac.install?.product ?? null,
    version: ac.install?.version ?? null,
    location: ac.install?.evidence ?? null,
    profiles: ac.profiles.map((p) => p.path),
    localPolicy: ac.localPolicy?.path ?? null,
    preferences: ac.preferences.map((p) => p.path),
    settings: settingsShown(ac),
  };
}

/** Per certificate (by SHA-256 fingerprint), what cert.revocation decided, from its evidence. */
function revocationStates(results: readonly CheckResult[]): Map<string, CertificateRevocationState> {
  const out = new Map<string, CertificateRevocationState>();
  const ev = results.find((r) => r.id === 'cert.revocation')?.evidence as { certificates?: unknown } | undefined;
  if (!ev || !Array.isArray(ev.certificates)) return out;
  for (const c of ev.certificates as Array<Record<string, unknown>>) {
    if (typeof c.fingerprint !== 'string' || typeof c.state !== 'string') continue;
    const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
    out.set(c.fingerprint, { state: c.state, method: str(c.decidedBy), revokedAt: str(c.revokedAt), reason: str(c.reason) });
  }
  return out;
}

/** The inspection product proxy.intercept named, and the subject of the CA it matched. */
function inspectionOf(results: readonly CheckResult[], lang: Lang): { product: string; name: string } | null {
  const ev = results.find((r) => r.id === 'proxy.intercept')?.evidence as { inspection?: { product?: unknown; productId?: unknown; name?: unknown } | null } | undefined;
  const i = ev?.inspection;
  if (!i || typeof i.product !== 'string' || typeof i.name !== 'string') return null;
  return { product: i.productId === 'generic' ? t(lang, 'report.badge.unknown-product') : i.product, name: i.name };
}

export function fixOsFor(p: PlatformId): FixOs {
  return p === 'unsupported' ? 'any' : p;
}

function render(lang: Lang, m: Msg): string {
  return t(lang, m.key, safeParams(m.params ?? {}));
}

function reportCheck(r: CheckResult, lang: Lang, userOs: FixOs): ReportCheck {
  const own = r.fixes ?? [];
  const fixes = own.length === 0 && r.status !== 'pass' && r.status !== 'skip' ? FALLBACK_FIXES[r.status].map((id) => ({ id, params: {} })) : own;
  return {
    id: r.id,
    status: r.status,
    reason: r.reason,
    title: t(lang, `check.${r.id}.title` as MessageKey),
    summary: render(lang, r.summary),
    details: (r.details ?? []).map((d) => render(lang, d)),
    evidence: escapeStrings(r.evidence ?? {}),
    fixes: fixes.map((fx) => reportFix(fx.id, lang, userOs, fx.params ?? {})),
    durationMs: r.durationMs,
  };
}

const OS_ORDER: readonly FixOs[] = ['windows', 'macos', 'linux', 'ios', 'android'];

function reportFix(id: FixId, lang: Lang, userOs: FixOs, rawParams: Readonly<Record<string, string | number>>): ReportFix {
  const def = FIXES[id];
  const params = safeParams(rawParams);
  // The user's own OS first, then the others.
  const order = [...def.os].sort((a, b) => (a === userOs ? -1 : b === userOs ? 1 : OS_ORDER.indexOf(a) - OS_ORDER.indexOf(b)));
  return {
    id,
    actor: def.actor,
    title: t(lang, `fix.${id}.title` as MessageKey, params),
    steps: order.map((os) => {
      const key = `fix.${id}.${os}`;
      return { os, lines: isKey(key) ? t(lang, key, params).split('\n') : [] };
    }),
  };
}

/** User fixes that only say the user cannot fix it: they come first only when IT has nothing to do either. */
const NOTHING_TO_DO: ReadonlySet<string> = new Set(['user.not-your-fault', 'user.send-report']);

/**
 * The first thing to do: the user's own step for their OS if there is one, else the
 * admin's (a problem only the gateway admin can fix names their step, not "nothing to do").
 */
function firstStep(check: ReportCheck, userOs: FixOs): { text: string; actor: Actor } | null {
  const forUser = (f: ReportFix): boolean => f.actor === 'user' && f.steps.some((s) => s.os === userOs || s.os === 'any');
  const userFix = check.fixes.find((f) => forUser(f) && !NOTHING_TO_DO.has(f.id));
  const admin = check.fixes.find((f) => f.actor === 'admin');
  const chosen = userFix ?? (admin ? null : check.fixes.find(forUser));
  if (chosen) {
    const steps = chosen.steps.find((s) => s.os === userOs) ?? chosen.steps.find((s) => s.os === 'any');
    return { text: `${chosen.title}: ${steps?.lines[0] ?? ''}`.trim(), actor: 'user' };
  }
  if (admin) return { text: admin.title, actor: 'admin' };
  return null;
}

function certificatesOf(run: PreflightOutcome, pool: CertificatePool): { certificates: ReportCertificate[]; path: ReportPath | null } {
  const chain = chainFrom(run.facts, pool);
  if (!chain) return { certificates: [], path: null };
  const out: ReportCertificate[] = [];
  const nodes = chain.path?.nodes ?? [];
  const onPath = new Map<string, { index: number; stores: string[] }>();
  nodes.forEach((n, i) => onPath.set(n.cert.fingerprintSha256, { index: i, stores: n.storeEntries.map((e) => e.store.label) }));
  // Where each path node is listed in `certificates`.
  const listed = new Map<number, number>();
  for (const p of chain.presented) {
    if (!p.cert) {
      out.push({ ...emptyCert(), origin: 'presented', presentedIndex: p.index, error: p.error });
      continue;
    }
    const on = onPath.get(p.cert.fingerprintSha256);
    if (on && nodes[on.index]!.origin === 'presented' && !listed.has(on.index)) listed.set(on.index, out.length);
    out.push(describe(p.cert, 'presented', p.index, on ? roleAt(on.index, p.cert) : p.index === 0 ? 'leaf' : 'unrelated', !!on, on?.stores ?? [], null));
  }
  nodes.forEach((n, i) => {
    if (n.origin === 'presented') return;
    listed.set(i, out.length);
    out.push(describe(n.cert, n.origin, null, roleAt(i, n.cert), true, n.storeEntries.map((e) => e.store.label), n.fetchedFrom));
  });
  const p = chain.path;
  const path: ReportPath | null = p
    ? {
        end: p.end,
        certificates: nodes.map((_, i) => listed.get(i) ?? 0),
        missingIssuer: p.end === 'issuer-not-found' ? (p.missingIssuer ?? nodes[nodes.length - 1]!.cert.issuer.text) : null,
        rejected: p.rejected.map((r) => ({ forSubject: r.forSubject, candidate: r.candidate.subject.text, reason: r.reason })),
      }
    : null;
  return { certificates: out, path };
}

function roleAt(index: number, cert: Certificate): ReportCertificate['role'] {
  if (index === 0) return 'leaf';
  return cert.selfIssued ? 'root' : 'intermediate';
}

function describe(
  c: Certificate,
  origin: ReportCertificate['origin'],
  presentedIndex: number | null,
  role: ReportCertificate['role'],
  onPath: boolean,
  stores: string[],
  fetchedFrom: string | null,
): ReportCertificate {
  return {
    origin,
    presentedIndex,
    onPath,
    role,
    subject: c.subject.text,
    issuer: c.issuer.text,
    serialNumber: c.serialNumber,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    subjectAltNames: [...(c.san?.dns ?? []).map((d) => `DNS:${displaySafe(d)}`), ...(c.san?.ip ?? []).map((ip) => `IP:${ip}`)],
    keyType: c.publicKey.type,
    keyBits: c.publicKey.bits,
    signatureAlgorithm: c.signature.name,
    fingerprintSha256: c.fingerprintSha256,
    stores: [...new Set(stores)],
    fetchedFrom,
    error: null,
  };
}

function emptyCert(): Omit<ReportCertificate, 'origin' | 'presentedIndex' | 'error'> {
  return {
    onPath: false,
    role: 'unrelated',
    subject: '',
    issuer: '',
    serialNumber: '',
    notBefore: '',
    notAfter: '',
    subjectAltNames: [],
    keyType: '',
    keyBits: null,
    signatureAlgorithm: '',
    fingerprintSha256: '',
    stores: [],
    fetchedFrom: null,
  };
}

/** The JSON report: stable key order, Buffers as base64, nothing undefined. */
export function toJson(report: Report | readonly Report[]): string {
  return JSON.stringify(report, (_k, v: unknown) => {
    if (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
      return Buffer.from((v as { data: number[] }).data).toString('base64');
    }
    if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
    if (typeof v === 'bigint') return v.toString();
    return v;
  }, 2);
}
