import { extensionFindings, leafUsageFindings } from '../pki/usage';
import { chainOrOutcome, isOutcome, nameOf, pathCertificates } from './cert-common';
import type { Check, Outcome } from './types';
import { outcome } from './util';

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
      .flatMap((c) => extensionFindings(c).map((f) => ({ ...f, name: nameOf(c) })));
    const evidence = {
      keyUsage: leaf.keyUsage,
      extendedKeyUsage: leaf.extKeyUsage,
      basicConstraints: leaf.basicConstraints,
      findings,
      issuerFindings: caFindings,
    };
    const fail = findings.find((f) => f.severity === 'fail');
    if (fail) {
      return outcome('fail', fail.issue, `cert.usage.${fail.issue}` as 'cert.usage.eku-without-server-auth', { detail: fail.detail, name: nameOf(leaf) }, {
        evidence,
        fixes: [{ id: 'admin.reissue-server-auth' }],
      });
    }
    const caFail = caFindings[0];
    if (caFail) {
      return outcome('fail', caFail.issue, `cert.usage.${caFail.issue}` as 'cert.usage.unparsable-extension', { detail: caFail.detail, name: caFail.name }, {
        evidence,
        fixes: [{ id: 'admin.replace-certificate' }],
      });
    }
    const warn = findings.find((f) => f.severity === 'warn');
    if (warn) {
      return outcome('warn', warn.issue, `cert.usage.${warn.issue}` as 'cert.usage.eku-any-only', { detail: warn.detail, name: nameOf(leaf) }, {
        evidence,
        fixes: [{ id: 'admin.reissue-server-auth' }],
      });
    }
    return outcome('pass', 'ok', 'cert.usage.ok', { eku: leaf.extKeyUsage?.join(', ') ?? '—', ku: leaf.keyUsage?.join(', ') ?? '—' }, { evidence });
  },
};
