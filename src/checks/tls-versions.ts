import type { TlsVersionName } from '../../platform/types';
import type { Check, FixRef, Msg, Outcome } from './types';
import { factReason, list, outcome, probeError } from './util';

const ORDER: readonly TlsVersionName[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
const MODERN: readonly TlsVersionName[] = ['TLSv1.2', 'TLSv1.3'];
const LABEL: Readonly<Record<TlsVersionName, string>> = { TLSv1: 'TLS 1.0', 'TLSv1.1': 'TLS 1.1', 'TLSv1.2': 'TLS 1.2', 'TLSv1.3': 'TLS 1.3' };

export const tlsVersions: Check = {
  id: 'tls.versions',
  needs: ['tls', 'tlsVersions', 'clientTls'],
  dependsOn: ['network.reach'],
  evaluate({ facts }): Outcome {
    const err = probeError(facts.tls, 'fact.tls');
    if (err) return err;
    if (facts.tls.status !== 'ok') return outcome('skip', 'not-applicable', 'tls.versions.not-tested');
    const main = facts.tls.value;
    const matrix = facts.tlsVersions.status === 'ok' ? facts.tlsVersions.value.versions : null;
    const client = facts.clientTls.status === 'ok' ? facts.clientTls.value : null;
    const accepted = ORDER.filter((v) => matrix?.[v]?.state === 'accepted');
    const evidence = {
      negotiated: main.protocol,
      cipher: main.cipher,
      versions: matrix,
      clientAllows: client?.enabled ?? null,
      clientEvidence: client?.evidence ?? (facts.clientTls.status === 'error' ? facts.clientTls.error.message : facts.clientTls.status === 'unsupported' ? facts.clientTls.reason : null),
      clientStack: client?.stack ?? null,
      handshakeMs: main.handshakeMs,
      failure: main.failure,
    };
    const details: Msg[] = [client ? clientDetail(client) : { key: 'tls.versions.client-unknown', params: { reason: factReason(facts.clientTls) } }];
    // A handshake that broke after the ServerHello is no pass, whatever version the server
    // chose, unless it broke where a gateway that requires a client certificate ends it.
    const broken = !main.completed && main.failure !== null && main.failure.kind !== 'certificate-required' && !main.clientCertificate.requested;
    if (accepted.length === 0 || broken) {
      const kind = main.failure?.kind ?? 'other';
      const reason = kind === 'timeout' ? 'handshake-timeout' : kind === 'slow' ? 'handshake-slow' : kind === 'not-tls' ? 'not-tls' : kind === 'closed' || kind === 'reset' ? 'handshake-closed' : kind === 'protocol-version' ? 'no-common-version' : 'handshake-failed';
      return outcome('fail', reason, `tls.versions.${reason}` as 'tls.versions.handshake-failed', {
        detail: main.failure?.message ?? '',
        alert: main.failure?.code ?? '',
      }, { evidence, details, fixes: fixesFor(reason) });
    }
    const modern = accepted.filter((v) => MODERN.includes(v));
    const versions = list(accepted.map((v) => LABEL[v]));
    if (modern.length === 0) {
      return outcome('fail', 'legacy-only', 'tls.versions.legacy-only', { versions }, { evidence, details, fixes: [{ id: 'tls.enable-modern' }] });
    }
    if (client) {
      // Current AnyConnect clients need TLS 1.2+: a legacy version this computer still allows does not help.
      const usable = modern.filter((v) => client.enabled[v] !== false);
      if (usable.length === 0) {
        const onlyModern = accepted.every((v) => MODERN.includes(v));
        return outcome('fail', 'client-disallows', onlyModern ? 'tls.versions.client-disallows' : 'tls.versions.client-disallows-modern', {
          versions: list(modern.map((v) => LABEL[v])),
          source: client.evidence,
        }, { evidence, details, fixes: [{ id: 'tls.client-settings' }, { id: 'tls.enable-modern' }] });
      }
    }
    const best = main.protocol ? LABEL[main.protocol as TlsVersionName] ?? main.protocol : LABEL[modern[modern.length - 1]!];
    const cipher = main.cipher?.standardName ?? matrix?.[modern[modern.length - 1]!]?.cipher ?? '?';
    const legacy = accepted.filter((v) => !MODERN.includes(v));
    if (legacy.length > 0) {
      return outcome('warn', 'legacy-offered', 'tls.versions.legacy-offered', {
        modern: list(modern.map((v) => LABEL[v])),
        legacy: list(legacy.map((v) => LABEL[v])),
        best,
      }, { evidence, details, fixes: [{ id: 'tls.disable-legacy' }] });
    }
    return outcome('pass', 'modern', 'tls.versions.modern', { versions, best, cipher }, { evidence, details });
  },
};

/** What this computer's TLS stack allows, as one line for the report. */
function clientDetail(client: { enabled: Readonly<Record<TlsVersionName, boolean | null>>; stack?: string; evidence: string }): Msg {
  const on = ORDER.filter((v) => client.enabled[v] === true).map((v) => LABEL[v]);
  const off = ORDER.filter((v) => client.enabled[v] === false).map((v) => LABEL[v]);
  return {
    key: 'tls.versions.client-allows',
    params: { stack: client.stack ?? '?', allowed: list(on), disabled: list(off), source: client.evidence },
  };
}

/** A gateway that never finishes the handshake may be blocked on the way: another network tells. */
function fixesFor(reason: string): FixRef[] {
  if (reason === 'not-tls') return [{ id: 'tls.wrong-port' }, { id: 'proxy.captive-portal' }, { id: 'tls.gateway-config' }];
  if (reason === 'handshake-timeout' || reason === 'handshake-closed') return [{ id: 'reach.network' }, { id: 'tls.gateway-config' }, { id: 'reach.firewall' }];
  return [{ id: 'tls.gateway-config' }, { id: 'reach.firewall' }];
}
