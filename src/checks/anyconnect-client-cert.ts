import { entriesForHost } from '../anyconnect/gateways';
import { msgRef } from '../fixes/i18n';
import { caNamesOf, judgeIdentities, type IdentityProblem, type IdentityVerdict } from '../anyconnect/identities';
import { interpretLogs } from '../anyconnect/logs';
import { CertificatePool } from '../pki/pool';
import type { CertificateMatchRule } from '../run-facts';
import { logDetail } from './anyconnect-common';
import type { Check, FixRef, Msg, Outcome } from './types';
import { count, factReason, fmtDate, list, outcome, probeError, quoted } from './util';

/** The problem that explains best why an identity cannot be used (first is worst). */
const PROBLEM_ORDER: readonly IdentityProblem[] = [
  'unparsable',
  'no-private-key',
  'no-client-auth',
  'issuer-not-accepted',
  'profile-mismatch',
  'expired',
  'not-yet-valid',
];

function mainProblem(v: IdentityVerdict): IdentityProblem | null {
  return PROBLEM_ORDER.find((p) => v.problems.includes(p)) ?? null;
}

/** The identity closest to usable: fewest problems, expiry counted as the mildest. */
function closest(verdicts: readonly IdentityVerdict[]): IdentityVerdict | null {
  const score = (v: IdentityVerdict): number => v.problems.reduce((s, p) => s + (p === 'expired' || p === 'not-yet-valid' ? 1 : 10), 0);
  return [...verdicts].sort((a, b) => score(a) - score(b))[0] ?? null;
}

export const anyconnectClientCert: Check = {
  id: 'anyconnect.client-cert',
  needs: ['tls', 'gateway', 'clientIdentities', 'anyconnect', 'trustStore', 'vpnLogs'],
  dependsOn: ['network.reach'],
  evaluate(ctx): Outcome {
    const tls = ctx.facts.tls;
    if (tls.status === 'error') return probeError(tls, 'fact.tls')!;
    if (tls.status !== 'ok') return outcome('skip', 'no-tls', 'anyconnect.client-cert.no-tls', { detail: factReason(tls) }, { evidence: { reason: tls.reason } });
    const gateway = ctx.facts.gateway.status === 'ok' ? ctx.facts.gateway.value : null;
    const t = tls.value;
    const required = t.failure?.kind === 'certificate-required' || gateway?.kind === 'client-cert-required';
    const byTls = t.clientCertificate.requested;
    const byXml = gateway?.clientCertRequested === true;
    const acceptedNames = caNamesOf(t.clientCertificate.acceptableCaNames ?? []);
    const logs = ctx.facts.vpnLogs.status === 'ok' ? interpretLogs(ctx.facts.vpnLogs.value) : null;
    const lastLog = logs?.lastClientCertificateFailure ?? null;
    const details: Msg[] = [];
    if (lastLog) details.push(logDetail(lastLog));

    const identitiesFact = ctx.facts.clientIdentities;
    const profiles = ctx.facts.anyconnect.status === 'ok' ? ctx.facts.anyconnect.value.profiles : [];
    const matching = entriesForHost(profiles, ctx.facts.target.host);
    const rule: CertificateMatchRule | null = matching.map((m) => m.profile.certificateMatch).find((r) => r !== null) ?? null;
    let verdicts: IdentityVerdict[] = [];
    if (identitiesFact.status === 'ok') {
      const pool = new CertificatePool();
      const anchors = ctx.anchors();
      verdicts = judgeIdentities(identitiesFact.value, pool, {
        now: ctx.facts.startedAt,
        acceptedCaNames: acceptedNames,
        issuersOf: (c) => anchors.issuerCandidates(c).map((a) => a.cert),
        rule,
      });
    }
    const evidence: Record<string, unknown> = {
      requested: byTls || byXml || required,
      requestedBy: { tlsHandshake: byTls, configAuth: byXml, handshakeRefusedWithout: required },
      acceptableCaNames: t.clientCertificate.acceptableCaNames === null ? null : acceptedNames.map((n) => n.text),
      identitiesSource: identitiesFact.status === 'ok' ? 'ok' : identitiesFact.status === 'unsupported' ? { unsupported: identitiesFact.reason } : { error: identitiesFact.error },
      identities: verdicts,
      certificateMatch: rule,
      log: logs ? { entriesRead: logs.entriesRead, lastClientCertificateFailure: lastLog } : null,
    };

    if (!byTls && !byXml && !required) {
      if (identitiesFact.status === 'ok' && verdicts.length) details.push({ key: 'anyconnect.client-cert.found-count', params: { count: count(verdicts.length, 'client-certificate') } });
      return outcome('pass', 'not-requested', 'anyconnect.client-cert.not-requested', {}, { evidence, details });
    }
    if (acceptedNames.length) details.push({ key: 'anyconnect.client-cert.accepted-cas', params: { names: list(acceptedNames.map((n) => quoted(n.text))) } });
    else details.push({ key: 'anyconnect.client-cert.any-ca' });
    for (const v of verdicts) {
      const p = mainProblem(v);
      details.push({
        key: 'anyconnect.client-cert.identity',
        params: { name: v.name, store: v.store, until: v.notAfter ? fmtDate(v.notAfter) : '?', state: msgRef(`anyconnect.client-cert.state.${p ?? 'usable'}`) },
      });
    }
    if (identitiesFact.status === 'error') {
      return outcome('error', 'identities-error', 'anyconnect.client-cert.identities-error', { detail: factReason(identitiesFact) }, { evidence, details });
    }
    if (identitiesFact.status === 'unsupported') {
      return outcome('warn', 'identities-unknown', 'anyconnect.client-cert.identities-unknown', { detail: factReason(identitiesFact) }, {
        evidence,
        details,
        fixes: [{ id: 'user.send-report' }, { id: 'admin.review' }],
      });
    }
    const usable = verdicts.filter((v) => v.usable);
    if (usable.length) {
      const best = [...usable].sort((a, b) => (b.notAfter ?? '').localeCompare(a.notAfter ?? ''))[0]!;
      return outcome('pass', 'usable', 'anyconnect.client-cert.usable', { count: usable.length, name: best.name, store: best.store, until: fmtDate(best.notAfter ?? '') }, { evidence, details });
    }
    // The gateway let the handshake through without a certificate and offers a password form: optional.
    const optional = !required && !byXml && gateway?.kind === 'anyconnect' && gateway.formInputs.some((i) => i.type.toLowerCase() === 'password');
    const best = closest(verdicts);
    const problem = best ? mainProblem(best) : null;
    const fixes: FixRef[] = [
      ...(problem === 'expired' || problem === 'not-yet-valid' ? [{ id: 'clientcert.renew' as const }] : []),
      { id: 'clientcert.install' },
      { id: 'admin.issue-client-cert' },
    ];
    const status = optional ? 'warn' : 'fail';
    evidence.closest = best ? { name: best.name, store: best.store, problem } : null;
    if (!best) {
      return outcome(status, optional ? 'optional-none' : 'none', optional ? 'anyconnect.client-cert.optional-none' : 'anyconnect.client-cert.none', {}, { evidence, details, fixes });
    }
    return outcome(
      status,
      optional ? 'optional-none-usable' : 'none-usable',
      optional ? 'anyconnect.client-cert.optional-none-usable' : 'anyconnect.client-cert.none-usable',
      { count: verdicts.length, name: best.name, store: best.store, state: msgRef(`anyconnect.client-cert.state.${problem ?? 'usable'}`) },
      { evidence, details, fixes },
    );
  },
};
