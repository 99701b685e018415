import { isKey, msgRef, type MessageKey, type MsgParam } from '../fixes/i18n';
import type { Certificate } from '../pki/certificate';
import { CLOCK_TOLERANCE_MS, REVOCATION_REASONS } from '../pki/revocation';
import { pickDecision, type JudgedAnswer } from '../pki/revocation-judge';
import type { CertificateRevocation, RevocationAttempt, RevocationFacts, RevocationState } from '../run-facts';
import { chainOrOutcome, isOutcome, nameOf } from './cert-common';
import type { Check, FixRef, Msg, Outcome } from './types';
import { count, factReason, list, outcome, probeError, technical } from './util';
import { fmtTime } from '../time-text';

/** One certificate's revocation status, judged at a given time. */
export interface JudgedCertificate {
  readonly cert: CertificateRevocation;
  readonly state: RevocationState;
  /** The attempt that decided, or null (not checked). */
  readonly decisive: RevocationAttempt | null;
  /** Why the deciding answer is invalid or unreachable (`expired`, `bad-signature`, `timeout` …). */
  readonly problem: string | null;
  /** Each attempt, judged at that time (same order as cert.attempts). */
  readonly judged: readonly JudgedAnswer[];
}

/**
 * The revocation facts judged at `at` (the true time when NTP answered). Exported for
 * every check that reads `facts.revocation` (e.g. one that makes revocation a hard
 * requirement when AnyConnect's local policy turns OCSPRevocation or EnableCRLCheck on),
 * so they all judge time windows the same way.
 */
export function judgeRevocation(facts: RevocationFacts, at: Date, toleranceMs = CLOCK_TOLERANCE_MS): JudgedCertificate[] {
  return facts.certificates.map((cert) => {
    if (cert.notChecked) return { cert, state: 'not-checked', decisive: null, problem: null, judged: [] };
    const d = pickDecision(cert.attempts, at, toleranceMs);
    const j = d.index === null ? null : d.judged[d.index]!;
    return { cert, state: d.state, decisive: d.index === null ? null : cert.attempts[d.index]!, problem: j?.problem ?? null, judged: d.judged };
  });
}

/*
 * Statuses, most serious first:
 *  - revoked (any certificate, any verified source) → fail; the user cannot fix it.
 *  - an answer that does not verify, with no verified answer beside it → error: the
 *    check could not be done, and a broken responder is the admin's to fix.
 *  - "unknown", nothing reachable, or an issuer missing → warn, never pass.
 *  - good, but another source for it gave an unverifiable answer → warn.
 *  - A certificate that names no OCSP responder or CRL is "not checked", and when that
 *    is all there is the check still passes, with a note: a company's own CA without
 *    revocation information is common and harmless for AnyConnect, which checks
 *    revocation only when its local policy turns it on. A warning there would turn every
 *    such gateway yellow and teach helpdesks to ignore the colour. The evidence keeps
 *    `notChecked: 'no-pointer'` so a policy-aware check can still make it a failure.
 */
export const certRevocation: Check = {
  id: 'cert.revocation',
  needs: ['revocation', 'tls', 'trustStore', 'aia', 'ntp'],
  dependsOn: ['network.reach'],
  evaluate(ctx): Outcome {
    const chain = chainOrOutcome(ctx);
    if (isOutcome(chain)) return chain;
    const fact = ctx.facts.revocation;
    if (fact.status === 'error') return probeError(fact, 'fact.revocation')!;
    if (fact.status === 'unsupported') return outcome('skip', 'not-checked', 'cert.revocation.not-checked', { reason: factReason(fact) }, { evidence: { reason: fact.reason } });
    const trueNow = ctx.trueNow();
    const at = trueNow ?? ctx.facts.startedAt;
    const judged = judgeRevocation(fact.value, at);
    const byFingerprint = new Map<string, Certificate>((chain.path?.nodes ?? []).map((n) => [n.cert.fingerprintSha256, n.cert]));
    const name = (c: CertificateRevocation): string => {
      const cert = byFingerprint.get(c.fingerprint);
      return cert ? nameOf(cert) : c.subject;
    };
    const role = (c: CertificateRevocation): MsgParam => msgRef(c.role === 'leaf' ? 'role.leaf' : 'role.intermediate');
    const clock = trueNow ? 'ntp' : 'local';
    const evidence = {
      judgedAt: at.toISOString(),
      clock,
      toleranceMs: CLOCK_TOLERANCE_MS,
      stapled: fact.value.stapled,
      certificates: judged.map((j) => ({
        subject: j.cert.subject,
        role: j.cert.role,
        serialNumber: j.cert.serialNumber,
        fingerprint: j.cert.fingerprint,
        issuer: j.cert.issuer,
        state: j.state,
        decidedBy: j.decisive?.method ?? null,
        url: j.decisive?.url ?? null,
        revokedAt: j.state === 'revoked' ? (j.decisive?.revokedAt ?? null) : null,
        reason: j.state === 'revoked' ? (j.decisive?.reason ?? null) : null,
        problem: j.problem,
        notChecked: j.cert.notChecked,
        ocspUrls: j.cert.ocspUrls,
        crlUrls: j.cert.crlUrls,
        attempts: j.cert.attempts.map((a, i) => ({ ...a, judgedState: j.judged[i]?.state ?? a.state, judgedProblem: j.judged[i]?.problem ?? null, window: j.judged[i]?.window ?? null })),
      })),
    };
    const methodRef = (a: RevocationAttempt | null): MsgParam => msgRef(`revocation.method.${a?.method ?? 'ocsp'}`);
    const problemRef = (p: string | null): MsgParam => {
      const key = `revocation.problem.${p ?? 'other'}`;
      return msgRef(isKey(key) ? key : 'revocation.problem.other');
    };
    // Why a source did not answer: a fetch failure, or a responder that is up but cannot answer now.
    const whyUnanswered = (a: RevocationAttempt): MsgParam => {
      const p = a.problem ?? a.state;
      const fetchKey = `revocation.fetch.${p}`;
      const problemKey = `revocation.problem.${p}`;
      if (isKey(fetchKey)) return msgRef(fetchKey);
      return isKey(problemKey) ? msgRef(problemKey) : technical(p);
    };
    const windowLine = (a: RevocationAttempt): Msg[] =>
      a.thisUpdate
        ? [{ key: 'cert.revocation.window', params: { thisUpdate: fmtTime(a.thisUpdate), nextUpdate: a.nextUpdate ? fmtTime(a.nextUpdate) : '—', at: fmtTime(at), clock: msgRef(`revocation.clock.${clock}`) } }]
        : [];
    // Why an answer is unusable: its dates when time judged it, else what the probe found.
    const explain = (a: RevocationAttempt, problem: string | null): Msg[] =>
      problem !== null && problem === (a.problem ?? null)
        ? [{ key: 'cert.revocation.technical', params: { detail: `${a.url ?? a.method}: ${a.detail}` } }]
        : windowLine(a);
    const optIn: Msg = { key: 'cert.revocation.anyconnect-optin' };
    const notYours: FixRef = { id: 'user.not-your-fault' };

    const revoked = judged.find((j) => j.state === 'revoked');
    if (revoked) {
      const a = revoked.decisive!;
      const reason = msgRef(a.reason && (REVOCATION_REASONS as readonly string[]).includes(a.reason) ? (`revocation.reason.${a.reason}` as MessageKey) : 'revocation.reason.none');
      return outcome(
        'fail',
        'revoked',
        'cert.revocation.revoked',
        { name: name(revoked.cert), role: role(revoked.cert), date: a.revokedAt ? fmtTime(a.revokedAt) : '?', reason, method: methodRef(a), url: a.url ?? '' },
        {
          evidence,
          details: [{ key: 'cert.revocation.anyconnect-revoked' }, { key: 'cert.revocation.technical', params: { detail: `${a.url ?? a.method}: ${a.detail}` } }],
          fixes: [{ id: revoked.cert.role === 'leaf' ? 'admin.revoked' : 'admin.revoked-intermediate' }, notYours],
        },
      );
    }

    const invalid = judged.find((j) => j.state === 'invalid');
    if (invalid) {
      const a = invalid.decisive!;
      return outcome(
        'error',
        'invalid-response',
        'cert.revocation.invalid',
        { name: name(invalid.cert), role: role(invalid.cert), method: methodRef(a), url: a.url ?? '', problem: problemRef(invalid.problem) },
        {
          evidence,
          details: explain(a, invalid.problem),
          fixes: [{ id: 'admin.ocsp-responder' }, notYours],
        },
      );
    }

    const unknown = judged.find((j) => j.state === 'unknown');
    if (unknown) {
      const a = unknown.decisive!;
      return outcome('warn', 'unknown', 'cert.revocation.unknown', { name: name(unknown.cert), role: role(unknown.cert), url: a.url ?? '' }, {
        evidence,
        details: [{ key: 'cert.revocation.technical', params: { detail: `${a.url ?? a.method}: ${a.detail}` } }, optIn],
        fixes: [{ id: 'admin.revocation-unknown' }, notYours],
      });
    }

    const unreachable = judged.find((j) => j.state === 'unreachable');
    if (unreachable) {
      const tried = unreachable.cert.attempts.map((a) => msgRef('cert.revocation.tried-item', { url: a.url ?? a.method, problem: whyUnanswered(a) }));
      return outcome('warn', 'unreachable', 'cert.revocation.unreachable', { name: name(unreachable.cert), role: role(unreachable.cert), tried: list(tried) }, {
        evidence,
        details: [
          ...unreachable.cert.attempts.map((a): Msg => ({ key: 'cert.revocation.line-tried', params: { url: a.url ?? a.method, detail: a.detail } })),
          { key: 'cert.revocation.anyconnect-unreachable' },
        ],
        fixes: [{ id: 'revocation.network' }, { id: 'admin.revocation-reachable' }],
      });
    }

    const missingIssuer = judged.find((j) => j.cert.notChecked === 'no-issuer');
    if (missingIssuer) {
      // A missing issuer of the gateway's certificate is an intermediate the gateway should send;
      // the missing issuer of an intermediate is a root this computer does not have.
      const leafMissing = missingIssuer.cert.role === 'leaf';
      return outcome('warn', 'issuer-missing', 'cert.revocation.issuer-missing', { name: name(missingIssuer.cert), role: role(missingIssuer.cert), check: msgRef(leafMissing ? 'check.cert.chain.title' : 'check.cert.trust.title') }, {
        evidence,
        fixes: leafMissing ? [{ id: 'admin.send-intermediate' }, notYours] : [{ id: 'trust.install-root' }, { id: 'admin.public-ca' }],
      });
    }

    // Good, but another source for the same certificate gives an answer that does not verify.
    for (const j of judged) {
      if (j.state !== 'good') continue;
      const badIndex = j.judged.findIndex((x) => x.state === 'invalid');
      if (badIndex < 0) continue;
      const bad = j.cert.attempts[badIndex]!;
      return outcome(
        'warn',
        'partly-invalid',
        'cert.revocation.partly-invalid',
        { method: methodRef(j.decisive), badMethod: methodRef(bad), url: bad.url ?? '', problem: problemRef(j.judged[badIndex]!.problem) },
        {
          evidence,
          details: explain(bad, j.judged[badIndex]!.problem),
          fixes: [{ id: 'admin.ocsp-responder' }, notYours],
        },
      );
    }

    const good = judged.filter((j) => j.state === 'good');
    if (good.length === 0) {
      if (judged.length === 1 && judged[0]!.cert.notChecked === 'self-signed') {
        return outcome('skip', 'self-signed', 'cert.revocation.self-signed', {}, { evidence });
      }
      return outcome('pass', 'no-revocation-info', 'cert.revocation.no-info', {}, { evidence, details: [optIn] });
    }
    const lines: Msg[] = judged.map((j): Msg =>
      j.state === 'good'
        ? { key: 'cert.revocation.line-good', params: { name: name(j.cert), role: role(j.cert), method: methodRef(j.decisive), url: j.decisive?.url ?? '—' } }
        : { key: 'cert.revocation.line-no-pointer', params: { name: name(j.cert), role: role(j.cert) } },
    );
    const leaf = judged.find((j) => j.cert.role === 'leaf');
    if (leaf?.state === 'good') {
      return outcome('pass', 'good', 'cert.revocation.good', { count: count(good.length, 'certificate'), method: methodRef(leaf.decisive) }, { evidence, details: [...lines, optIn] });
    }
    return outcome('pass', 'good', 'cert.revocation.good-intermediate-only', { count: count(good.length, 'certificate') }, { evidence, details: [...lines, optIn] });
  },
};
