import { DAY_MS, daysUntilExpiry, validityAt } from '../pki/validity';
import { msgRef } from '../fixes/i18n';
import { chainOrOutcome, isOutcome, nameOf, roleKey, roleOf } from './cert-common';
import type { Check, Outcome } from './types';
import { duration, outcome } from './util';
import { fmtTime } from '../time-text';

export const certExpiry: Check = {
  id: 'cert.expiry',
  needs: ['tls', 'trustStore', 'aia', 'ntp'],
  dependsOn: ['network.reach'],
  evaluate(ctx): Outcome {
    const chain = chainOrOutcome(ctx);
    if (isOutcome(chain)) return chain;
    const local = ctx.facts.startedAt;
    const truth = ctx.trueNow();
    const nodes = chain.path ? chain.path.nodes : [{ cert: chain.leaf!, origin: 'presented' as const, presentedIndex: 0, storeEntries: [], fetchedFrom: null }];
    const rows = nodes.map((n, i) => ({
      subject: n.cert.subject.text,
      role: roleKey(n, i).slice('role.'.length),
      notBefore: n.cert.notBefore.toISOString(),
      notAfter: n.cert.notAfter.toISOString(),
      atLocalClock: validityAt(n.cert, local),
      atTrueTime: truth ? validityAt(n.cert, truth) : null,
    }));
    const evidence = {
      localTime: local.toISOString(),
      trueTime: truth?.toISOString() ?? null,
      certificates: rows,
    };
    const badIndex = rows.findIndex((r) => r.atLocalClock !== 'valid');
    if (badIndex >= 0) {
      const n = nodes[badIndex]!;
      const row = rows[badIndex]!;
      const allValidAtTruth = truth !== null && rows.every((r) => r.atTrueTime === 'valid');
      const params = {
        name: nameOf(n.cert),
        role: msgRef(roleKey(n, badIndex)),
        notBefore: fmtTime(n.cert.notBefore),
        notAfter: fmtTime(n.cert.notAfter),
        local: fmtTime(local),
        truth: truth ? fmtTime(truth) : '',
        ago: duration(local.getTime() - n.cert.notAfter.getTime()),
        until: duration(n.cert.notBefore.getTime() - local.getTime()),
      };
      if (allValidAtTruth) {
        // The certificate is fine; this computer's clock is wrong. The clock is the cause.
        return outcome('fail', 'clock-skew', row.atLocalClock === 'expired' ? 'cert.expiry.clock-skew-expired' : 'cert.expiry.clock-skew-not-yet-valid', params, {
          evidence,
          fixes: [{ id: 'clock.sync' }],
        });
      }
      if (row.atLocalClock === 'expired') {
        return outcome('fail', 'expired', 'cert.expiry.expired', params, { evidence, fixes: [{ id: badIndex === 0 ? 'admin.renew-certificate' : 'admin.renew-ca' }] });
      }
      return outcome('fail', 'not-yet-valid', 'cert.expiry.not-yet-valid', params, {
        evidence,
        fixes: truth === null ? [{ id: 'clock.check' }, { id: 'admin.reissue-dates' }] : [{ id: 'admin.reissue-dates' }],
      });
    }
    if (truth) {
      const hidden = rows.findIndex((r) => r.atTrueTime !== 'valid');
      if (hidden >= 0) {
        const n = nodes[hidden]!;
        return outcome('warn', 'clock-hides-problem', 'cert.expiry.clock-hides-problem', {
          name: nameOf(n.cert),
          role: roleOf(n, hidden),
          notAfter: fmtTime(n.cert.notAfter),
          notBefore: fmtTime(n.cert.notBefore),
          truth: fmtTime(truth),
        }, { evidence, fixes: [{ id: 'clock.sync' }, { id: 'admin.renew-certificate' }] });
      }
    }
    const warnDays = ctx.facts.settings.expiryWarnDays;
    const ref = truth ?? local;
    const soon = nodes.findIndex((n) => n.cert.notAfter.getTime() - ref.getTime() < warnDays * DAY_MS);
    if (soon >= 0) {
      const n = nodes[soon]!;
      return outcome('warn', 'expires-soon', 'cert.expiry.expires-soon', {
        name: nameOf(n.cert),
        role: roleOf(n, soon),
        notAfter: fmtTime(n.cert.notAfter),
        days: daysUntilExpiry(n.cert, ref),
      }, { evidence, fixes: [{ id: soon === 0 ? 'admin.renew-certificate' : 'admin.renew-ca' }] });
    }
    const leaf = nodes[0]!.cert;
    return outcome('pass', 'valid', 'cert.expiry.valid', {
      notAfter: fmtTime(leaf.notAfter),
      days: daysUntilExpiry(leaf, ref),
    }, { evidence });
  },
};
