import { validityAt } from '../pki/validity';
import { pathCertificates } from './cert-common';
import type { Check, Outcome } from './types';
import { fmtDuration, fmtTime, outcome } from './util';

export const clockOffset: Check = {
  id: 'clock.offset',
  needs: ['ntp', 'timeSync', 'tls', 'trustStore', 'aia'],
  dependsOn: [],
  evaluate(ctx): Outcome {
    const { ntp, timeSync, settings, startedAt } = ctx.facts;
    const sync = timeSync.status === 'ok' ? timeSync.value : null;
    const servers = ntp.status === 'ok' ? ntp.value.servers : [];
    const evidence = {
      localTime: startedAt.toISOString(),
      ntp: ntp.status === 'ok' ? ntp.value : { status: ntp.status, detail: ntp.status === 'error' ? ntp.error : ntp.reason },
      timeSync: timeSync.status === 'ok' ? timeSync.value : { status: timeSync.status, detail: timeSync.status === 'error' ? timeSync.error : timeSync.reason },
      thresholds: { warnMs: settings.clockWarnMs, failMs: settings.clockFailMs },
    };
    const offset = ntp.status === 'ok' ? ntp.value.medianOffsetMs : null;
    if (offset === null) {
      const why = servers.map((s) => `${s.server}: ${s.error?.message ?? '?'}`).join('; ') || (ntp.status === 'error' ? ntp.error.message : '');
      return outcome('warn', 'ntp-unreachable', 'clock.offset.ntp-unreachable', { servers: servers.map((s) => s.server).join(', ') || '—', detail: why }, {
        evidence,
        fixes: [{ id: 'clock.check' }],
      });
    }
    const truth = new Date(startedAt.getTime() + offset);
    const params = {
      offset: fmtDuration(offset),
      direction: offset > 0 ? '@clock.behind' : '@clock.ahead',
      local: fmtTime(startedAt),
      truth: fmtTime(truth),
      servers: String(ntp.status === 'ok' ? ntp.value.usable : 0),
    };
    // The rule that matters most: a clock error that changes a certificate's validity.
    const chain = ctx.facts.tls.status === 'ok' ? ctx.chain() : null;
    const flips = chain && chain.leaf ? pathCertificates(chain).some((c) => validityAt(c, startedAt) !== validityAt(c, truth)) : false;
    const fixes = [{ id: 'clock.sync' as const }];
    if (flips) return outcome('fail', 'flips-validity', 'clock.offset.flips-validity', params, { evidence, fixes });
    const abs = Math.abs(offset);
    if (abs >= settings.clockFailMs) return outcome('fail', 'skew', 'clock.offset.skew', params, { evidence, fixes });
    if (abs >= settings.clockWarnMs) return outcome('warn', 'skew', 'clock.offset.skew-small', params, { evidence, fixes });
    if (sync && sync.enabled === false) {
      return outcome('warn', 'sync-off', 'clock.offset.sync-off', params, { evidence, fixes: [{ id: 'clock.enable-sync' }] });
    }
    return outcome('pass', 'in-sync', 'clock.offset.in-sync', params, { evidence });
  },
};
