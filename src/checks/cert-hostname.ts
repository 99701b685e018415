import { matchHostname } from '../pki/hostname';
import { OID } from '../pki/oids';
import { isPublicSuffix } from '../pki/public-suffix';
import { chainOrOutcome, isOutcome } from './cert-common';
import type { Check, Outcome } from './types';
import { list, outcome } from './util';

export const certHostname: Check = {
  id: 'cert.hostname',
  needs: ['tls', 'trustStore', 'aia'],
  dependsOn: ['network.reach'],
  evaluate(ctx): Outcome {
    const chain = chainOrOutcome(ctx);
    if (isOutcome(chain)) return chain;
    const leaf = chain.leaf!;
    const host = ctx.facts.target.host;
    const display = ctx.facts.target.displayHost;
    if (leaf.extensionProblems.some((p) => p.oid === OID.subjectAltName)) {
      return outcome('fail', 'san-unreadable', 'cert.hostname.san-unreadable', { host: display }, {
        evidence: { host, problems: leaf.extensionProblems },
        fixes: [{ id: 'admin.replace-certificate' }],
      });
    }
    const m = matchHostname(leaf, host, isPublicSuffix);
    const evidence = {
      host,
      matched: m.matched,
      via: m.via,
      entry: m.entry,
      covered: m.covered,
      near: m.near,
      subjectAltNames: leaf.san,
      commonNames: leaf.commonNames,
    };
    const covered = list(m.covered);
    if (m.matched && m.via !== 'cn') {
      return outcome('pass', 'match', 'cert.hostname.match', { host: display, entry: m.entry ?? '' }, { evidence });
    }
    if (m.matched) {
      // Apple's TLS policy (macOS native store) ignores the CN; openconnect and Windows still use it.
      const status = ctx.facts.platform === 'macos' ? 'fail' : 'warn';
      return outcome(status, 'cn-only', 'cert.hostname.cn-only', { host: display }, { evidence, fixes: [{ id: 'admin.add-san' }] });
    }
    const near = m.near[0];
    const reason =
      near?.problem === 'wildcard-too-deep'
        ? 'wildcard-too-deep'
        : near?.problem === 'wildcard-public-suffix'
          ? 'wildcard-public-suffix'
          : near?.problem === 'wildcard-partial'
            ? 'wildcard-partial'
            : near?.problem === 'cn-ignored-san-present'
              ? 'cn-ignored'
              : near?.problem === 'unsafe-characters'
                ? 'unsafe-characters'
                : near?.problem === 'ip-as-dns-name'
                  ? 'ip-as-dns-name'
                  : 'mismatch';
    const fixes = ctx.facts.target.ipVersion
      ? [{ id: 'hostname.use-name' as const }, { id: 'admin.add-san' as const }]
      : [{ id: 'hostname.check-address' as const }, { id: 'admin.add-san' as const }];
    return outcome('fail', reason, `cert.hostname.${reason}` as 'cert.hostname.mismatch', {
      host: display,
      covered,
      entry: near?.entry ?? '',
    }, { evidence, fixes });
  },
};
