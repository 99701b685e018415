import { isKey, msgRef, t, type MessageKey } from '../fixes/i18n';
import { shortFromText } from './format';
import type { Report, ReportCertificate } from './model';

export type Validity = 'valid' | 'expired' | 'not-yet-valid';

/** One box of the chain picture. */
export type ChainBox =
  | {
      readonly kind: 'cert';
      readonly certIndex: number;
      readonly role: string;
      readonly name: string;
      readonly subject: string;
      readonly issuer: string;
      readonly notBefore: string;
      readonly notAfter: string;
      /** At this computer's clock. */
      readonly state: Validity;
      /** At the true time, when the clock was checked and it differs. */
      readonly stateAtTruth: Validity | null;
      /** A sentence about the dates when they are the problem. */
      readonly mark: string | null;
      readonly source: string;
      /** Short labels on the box: revocation status, TLS inspection. */
      readonly badges: readonly Badge[];
    }
  /** What should be there but is not: a missing issuer, a rejected candidate, the trust store. */
  | { readonly kind: 'missing' | 'rejected' | 'store'; readonly label: string; readonly ok: boolean };

export interface Badge {
  readonly kind: 'inspection' | 'revocation';
  readonly tone: 'ok' | 'warn' | 'bad';
  readonly text: string;
}

/** The link below a box: fine, or where verification breaks (with why). */
export interface ChainLink {
  readonly ok: boolean;
  readonly text: string;
}

export interface ChainView {
  /** Top (gateway certificate) to bottom (trust store); links[i] joins boxes[i] and boxes[i + 1]. */
  readonly boxes: readonly ChainBox[];
  readonly links: readonly ChainLink[];
  /** Certificates the gateway sent that belong to no path. */
  readonly unrelated: readonly ChainBox[];
  readonly broken: boolean;
}

/** The chain picture as boxes and links, from the report alone (no certificate parsing). */
export function chainView(report: Report): ChainView | null {
  const path = report.path;
  if (!path || path.certificates.length === 0) return null;
  const L = report.language;
  const boxes: ChainBox[] = [];
  const links: ChainLink[] = [];
  const certs = path.certificates.map((i) => report.certificates[i]!);
  certs.forEach((c, i) => {
    if (i > 0) {
      const broken = c.origin !== 'presented' && !isSelfIssued(c);
      links.push(
        broken
          ? { ok: false, text: c.origin === 'aia' ? t(L, 'report.chain.not-sent-aia', { url: c.fetchedFrom ?? '' }) : t(L, 'report.chain.not-sent-store') }
          : { ok: true, text: t(L, 'report.chain.issued-by') },
      );
    }
    boxes.push(certBox(report, c, path.certificates[i]!));
  });
  const last = certs[certs.length - 1]!;
  const rejected = path.rejected.find((r) => r.forSubject === last.subject && (r.reason === 'bad-signature' || r.reason === 'not-a-ca' || r.reason === 'no-keycertsign'));
  const rejectedName = rejected ? shortFromText(rejected.candidate) : shortFromText(last.issuer);
  const store = (ok: boolean, label?: string): ChainBox => ({ kind: 'store', ok, label: label ?? t(L, 'report.chain.trust-store') });
  switch (path.end) {
    case 'anchor':
      links.push({ ok: true, text: t(L, 'report.chain.trusted', { store: last.stores.join(', ') || '?' }) });
      boxes.push(store(true));
      break;
    case 'distrusted':
      links.push({ ok: false, text: t(L, 'report.chain.distrusted', { store: last.stores.join(', ') || '?' }) });
      boxes.push(store(false));
      break;
    case 'self-signed':
      links.push({ ok: false, text: t(L, certs.length === 1 ? 'report.chain.untrusted-self-signed' : 'report.chain.untrusted-root') });
      boxes.push(store(false));
      break;
    case 'issuer-not-found': {
      const issuer = shortFromText(path.missingIssuer ?? last.issuer);
      links.push({ ok: false, text: t(L, 'report.chain.issuer-not-found', { issuer }) });
      boxes.push({ kind: 'missing', ok: false, label: t(L, 'report.chain.missing-box', { issuer }) });
      break;
    }
    case 'bad-signature':
      links.push({ ok: false, text: t(L, 'report.chain.bad-signature', { issuer: rejectedName }) });
      boxes.push({ kind: 'rejected', ok: false, label: t(L, 'report.chain.rejected-box', { name: rejectedName }) });
      break;
    case 'not-a-ca':
      links.push({ ok: false, text: t(L, 'report.chain.not-a-ca', { issuer: rejectedName }) });
      boxes.push({ kind: 'rejected', ok: false, label: t(L, 'report.chain.rejected-box', { name: rejectedName }) });
      break;
    default:
      links.push({ ok: false, text: t(L, 'report.chain.too-long') });
      boxes.push(store(false));
  }
  const onPath = new Set(path.certificates);
  const unrelated = report.certificates
    .map((c, i) => ({ c, i }))
    .filter(({ c, i }) => c.origin === 'presented' && !onPath.has(i) && !c.error && c.role === 'unrelated')
    .map(({ c, i }) => certBox(report, c, i));
  const boxBroken = boxes.some((b) => b.kind === 'cert' && (b.state !== 'valid' || b.badges.some((x) => x.tone === 'bad')));
  return { boxes, links, unrelated, broken: boxBroken || links.some((l) => !l.ok) };
}

function isSelfIssued(c: ReportCertificate): boolean {
  return c.role === 'root';
}

export function validityAt(c: Pick<ReportCertificate, 'notBefore' | 'notAfter'>, at: string): Validity {
  const now = Date.parse(at);
  if (now < Date.parse(c.notBefore)) return 'not-yet-valid';
  if (now > Date.parse(c.notAfter)) return 'expired';
  return 'valid';
}

function certBox(report: Report, c: ReportCertificate, certIndex: number): ChainBox {
  const L = report.language;
  const state = validityAt(c, report.clock.localTime);
  const atTruth = report.clock.trueTime ? validityAt(c, report.clock.trueTime) : null;
  const stateWord = (s: Validity): string => t(L, `report.state.${s}` as MessageKey);
  let mark: string | null = null;
  if (state !== 'valid') {
    mark = t(L, state === 'expired' ? 'report.chain.expired-mark' : 'report.chain.not-yet-valid-mark', { date: (state === 'expired' ? c.notAfter : c.notBefore).slice(0, 10) });
    if (atTruth === 'valid') mark = `${mark} — ${t(L, 'report.state.clock-only', { state: stateWord(state) })}`;
  } else if (atTruth && atTruth !== 'valid') {
    mark = t(L, 'report.state.hidden-by-clock', { state: stateWord(atTruth) });
  }
  return {
    kind: 'cert',
    certIndex,
    role: t(L, `ui.role.${c.role}` as MessageKey),
    name: shortFromText(c.subject),
    subject: c.subject,
    issuer: c.issuer,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    state,
    stateAtTruth: atTruth !== null && atTruth !== state ? atTruth : null,
    mark,
    source: certSource(report, c),
    badges: certBadges(report, c),
  };
}

/** What the revocation check and the inspection check say about one certificate, as short labels. */
export function certBadges(report: Report, c: ReportCertificate): Badge[] {
  const L = report.language;
  const out: Badge[] = [];
  if (c.inspectedBy) out.push({ kind: 'inspection', tone: 'bad', text: t(L, 'report.badge.inspection', { product: c.inspectedBy }) });
  const r = c.revocation;
  if (r) {
    const methodKey = `report.badge.method.${r.method ?? 'ocsp'}`;
    const method = msgRef(isKey(methodKey) ? methodKey : 'report.badge.method.ocsp');
    if (r.state === 'revoked') out.push({ kind: 'revocation', tone: 'bad', text: t(L, 'report.badge.revoked', { date: r.revokedAt ? r.revokedAt.slice(0, 10) : '?' }) });
    else if (r.state === 'good') out.push({ kind: 'revocation', tone: 'ok', text: t(L, 'report.badge.not-revoked', { method }) });
    else if (r.state === 'unknown') out.push({ kind: 'revocation', tone: 'warn', text: t(L, 'report.badge.revocation-unknown') });
    else if (r.state === 'unreachable') out.push({ kind: 'revocation', tone: 'warn', text: t(L, 'report.badge.revocation-unreachable') });
    else if (r.state === 'invalid') out.push({ kind: 'revocation', tone: 'warn', text: t(L, 'report.badge.revocation-invalid') });
  }
  return out;
}

export function certSource(report: Report, c: ReportCertificate): string {
  const L = report.language;
  if (c.origin === 'presented') return t(L, 'report.cert.presented', { position: (c.presentedIndex ?? 0) + 1 });
  if (c.origin === 'aia') return t(L, 'report.cert.from-aia', { url: c.fetchedFrom ?? '' });
  return t(L, 'report.cert.from-store', { stores: c.stores.length ? c.stores.join(', ') : '?' });
}

/** One bar of the validity timeline. */
export interface TimelineView {
  readonly bars: ReadonlyArray<{ readonly name: string; readonly role: string; readonly notBefore: string; readonly notAfter: string; readonly state: Validity; readonly stateAtTruth: Validity | null }>;
  readonly localTime: string;
  readonly trueTime: string;
  readonly offsetMs: number;
}

/**
 * The validity timeline, only when the clock is involved: the clock check did not
 * pass on its own time-keeping, or a certificate's state differs between this
 * computer's clock and the true time.
 */
export function timelineView(report: Report): TimelineView | null {
  const { trueTime, offsetMs, localTime } = report.clock;
  if (!trueTime || offsetMs === null || !report.path) return null;
  const clock = report.checks.find((c) => c.id === 'clock.offset');
  const expiry = report.checks.find((c) => c.id === 'cert.expiry');
  const certs = report.path.certificates.map((i) => report.certificates[i]!);
  const flips = certs.some((c) => validityAt(c, localTime) !== validityAt(c, trueTime));
  const involved =
    flips ||
    (clock !== undefined && (clock.reason === 'skew' || clock.reason === 'flips-validity') && clock.status !== 'pass') ||
    (expiry !== undefined && (expiry.reason === 'clock-skew' || expiry.reason === 'clock-hides-problem'));
  if (!involved) return null;
  return {
    bars: certs.map((c) => {
      const state = validityAt(c, localTime);
      const atTruth = validityAt(c, trueTime);
      return { name: shortFromText(c.subject), role: t(report.language, `ui.role.${c.role}` as MessageKey), notBefore: c.notBefore, notAfter: c.notAfter, state, stateAtTruth: atTruth !== state ? atTruth : null };
    }),
    localTime,
    trueTime,
    offsetMs,
  };
}
