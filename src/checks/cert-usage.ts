import { msgRef, type ListParam, type MsgParam } from '../fixes/i18n';
import type { Certificate } from '../pki/certificate';
import { extensionFindings, leafUsageFindings, type UsageFinding } from '../pki/usage';
import { chainOrOutcome, isOutcome, nameOf, pathCertificates } from './cert-common';
import type { Check, Outcome, Params } from './types';
import { list, outcome, technical } from './util';

export const certUsage: Check = {
  id: 'cert.usage',
  needs: ['tls', 'trustStore', 'aia'],
  dependsOn: ['network.reach'],
  evaluate(ctx): Outcome {
    const chain = chainOrOutcome(ctx);
    if (isOutcome(chain)) return chain;
    const leaf = chain.leaf!;
    const findings = leafUsageFindings(leaf);
    const caFindings = pathCertificates(chain)
      .slice(1)
      .flatMap((c) => extensionFindings(c).map((f) => ({ ...f, name: nameOf(c), cert: c })));
    const evidence = {
      keyUsage: leaf.keyUsage,
      extendedKeyUsage: leaf.extKeyUsage,
      basicConstraints: leaf.basicConstraints,
      findings,
      issuerFindings: caFindings.map(({ cert: _cert, ...f }) => f),
    };
    const fail = findings.find((f) => f.severity === 'fail');
    if (fail) {
      return outcome('fail', fail.issue, `cert.usage.${fail.issue}` as 'cert.usage.eku-without-server-auth', findingParams(fail, leaf), {
        evidence,
        fixes: [{ id: 'admin.reissue-server-auth' }],
      });
    }
    const caFail = caFindings[0];
    if (caFail) {
      return outcome('fail', caFail.issue, `cert.usage.${caFail.issue}` as 'cert.usage.unparsable-extension', findingParams(caFail, caFail.cert), {
        evidence,
        fixes: [{ id: 'admin.replace-certificate' }],
      });
    }
    const warn = findings.find((f) => f.severity === 'warn');
    if (warn) {
      return outcome('warn', warn.issue, `cert.usage.${warn.issue}` as 'cert.usage.eku-any-only', findingParams(warn, leaf), {
        evidence,
        fixes: [{ id: 'admin.reissue-server-auth' }],
      });
    }
    return outcome('pass', 'ok', 'cert.usage.ok', { eku: list(leaf.extKeyUsage ?? []), ku: list(leaf.keyUsage ?? []) }, { evidence });
  },
};

/**
 * The words of a finding: the usage names as the certificate lists them (technical names
 * a helpdesk searches for), an empty list in words, and an extension's problem as a
 * technical detail beside its OID.
 */
function findingParams(f: UsageFinding, c: Certificate): Params {
  const usages = (names: readonly string[] | null): ListParam | MsgParam => (names && names.length ? list(names) : msgRef('cert.usage.empty-list'));
  switch (f.issue) {
    case 'eku-without-server-auth':
    case 'eku-any-only':
      return { name: nameOf(c), detail: usages(c.extKeyUsage) };
    case 'ku-rsa-key-exchange-only':
    case 'ku-no-tls-usage':
      return { name: nameOf(c), detail: usages(c.keyUsage) };
    case 'unknown-critical-extension':
    case 'unparsable-extension': {
      const p = c.extensionProblems.find((x) => f.detail.startsWith(x.oid)) ?? null;
      return { name: nameOf(c), oid: p?.oid ?? '?', detail: technical(p?.message ?? f.detail) };
    }
  }
}
