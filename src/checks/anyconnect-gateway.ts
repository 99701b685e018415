import { msgRef, type ListParam, type MsgParam } from '../fixes/i18n';
import type { GatewayFacts } from '../run-facts';
import type { Check, Msg, Outcome } from './types';
import { duration, list, outcome, probeError } from './util';

/** A gateway clock this far off is worth telling the helpdesk (the Date header has 1 s resolution). */
const GATEWAY_CLOCK_NOTE_MS = 60_000;

/** How the gateway wants users to log in, as a message reference. */
export function authOf(g: GatewayFacts): MsgParam {
  if (g.replyType === 'complete') return msgRef('anyconnect.auth.complete');
  if (g.ssoLoginUrl || g.authMethods.some((m) => /single-sign-on/i.test(m))) return msgRef('anyconnect.auth.sso');
  const types = g.formInputs.map((i) => i.type.toLowerCase());
  if (types.includes('password')) return msgRef('anyconnect.auth.password');
  if (g.clientCertRequested && g.formInputs.length === 0) return msgRef('anyconnect.auth.certificate');
  if (g.formInputs.some((i) => /user/i.test(i.name))) return msgRef('anyconnect.auth.username');
  return msgRef('anyconnect.auth.other');
}

function groupList(g: GatewayFacts): ListParam {
  return list(g.groups.map((x) => (x.label && x.label !== x.value ? `${x.label} (${x.value})` : x.value)));
}

export const anyconnectGateway: Check = {
  id: 'anyconnect.gateway',
  needs: ['gateway', 'tls'],
  dependsOn: ['network.reach'],
  evaluate(ctx): Outcome {
    const fact = ctx.facts.gateway;
    if (fact.status === 'error') return probeError(fact, 'fact.gateway')!;
    const host = ctx.facts.target.displayHost;
    if (fact.status === 'unsupported') {
      const tls = ctx.facts.tls;
      if (tls.status === 'ok' && tls.value.failure?.kind === 'certificate-required') {
        return outcome('skip', 'client-cert-required', 'anyconnect.gateway.client-cert-required', { host }, { evidence: { reason: fact.reason } });
      }
      // Why there was no TLS connection is tls.versions' finding; the sentence here only says what was not done.
      return outcome('skip', 'no-tls', 'anyconnect.gateway.no-tls', {}, { evidence: { reason: fact.reason } });
    }
    const g = fact.value;
    if (g.kind === 'client-cert-required') {
      return outcome('skip', 'client-cert-required', 'anyconnect.gateway.client-cert-required', { host }, { evidence: { ...g } });
    }
    const evidence: Record<string, unknown> = { ...g, request: { method: 'POST', url: g.url, credentialsSent: false } };
    const details: Msg[] = [];
    if (g.clockOffsetMs !== null && Math.abs(g.clockOffsetMs) >= GATEWAY_CLOCK_NOTE_MS) {
      details.push({
        key: 'anyconnect.gateway.gateway-clock',
        params: { offset: duration(g.clockOffsetMs), direction: g.clockOffsetMs > 0 ? msgRef('anyconnect.clock.ahead') : msgRef('anyconnect.clock.behind'), date: g.dateHeader ?? '' },
      });
    }
    if (g.kind === 'anyconnect') {
      if (g.groups.length) details.push({ key: 'anyconnect.gateway.groups', params: { groups: groupList(g) } });
      else if (g.currentGroup) details.push({ key: 'anyconnect.gateway.no-groups', params: { group: g.currentGroup } });
      else details.push({ key: 'anyconnect.gateway.no-groups-default' });
      if (g.clientCertRequested) details.push({ key: 'anyconnect.gateway.wants-client-cert' });
      if (g.errorMessage) details.push({ key: 'anyconnect.gateway.error-in-reply', params: { message: g.errorMessage } });
      const product = g.product === 'other' || g.product === null ? msgRef('anyconnect.product.other') : g.product;
      return outcome(
        'pass',
        'anyconnect',
        'anyconnect.gateway.anyconnect',
        { host, product, version: g.serverVersion ?? '?', auth: authOf(g) },
        { evidence, details },
      );
    }
    if (g.why === 'too-large') {
      // Never read as if whole: the part that was cut off could change what the rest means.
      return outcome('warn', 'reply-too-large', 'anyconnect.gateway.too-large', { url: g.url, limit: '256 KiB' }, {
        evidence,
        details,
        fixes: [{ id: 'anyconnect.check-url' }, { id: 'tls.gateway-config' }],
      });
    }
    const key =
      g.why === 'no-answer'
        ? 'anyconnect.gateway.no-answer'
        : g.why === 'redirect'
          ? 'anyconnect.gateway.redirect'
          : g.why === 'http-status'
            ? 'anyconnect.gateway.http-status'
            : 'anyconnect.gateway.not-config-auth';
    return outcome(
      'warn',
      'not-anyconnect',
      key,
      { url: g.url, status: g.status ?? 0, location: g.headers.location ?? '', detail: g.detail },
      { evidence, details, fixes: [{ id: 'anyconnect.check-url' }, { id: 'tls.gateway-config' }] },
    );
  },
};
