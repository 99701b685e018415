import type { TimeSyncFacts } from '../../platform/types';
import type { Fact } from '../facts';
import { msgRef, type MsgParam } from '../fixes/i18n';
import { validityAt } from '../pki/validity';
import { pathCertificates } from './cert-common';
import type { Check, FixRef, Msg, Outcome } from './types';
import { count, duration, factReason, list, outcome, technical } from './util';
import { fmtTime } from '../time-text';

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
    const details: Msg[] = [syncDetail(timeSync)];
    const syncOff = sync?.enabled === false;
    // When the OS does not set its clock from the network, that is the lasting fix.
    const withSync = (fixes: FixRef[]): FixRef[] => (syncOff ? [...fixes, { id: 'clock.enable-sync' }] : fixes);
    const offset = ntp.status === 'ok' ? ntp.value.medianOffsetMs : null;
    if (offset === null) {
      // What each time server did, in words where the probe's code is a known one.
      const why: Msg[] = servers.map((s) => ({ key: 'clock.offset.ntp-server-failed', params: { server: s.server, problem: ntpProblem(s.error) } }));
      if (ntp.status !== 'ok') why.push({ key: 'clock.offset.ntp-not-asked', params: { detail: factReason(ntp) } });
      return outcome('warn', 'ntp-unreachable', 'clock.offset.ntp-unreachable', { servers: list(servers.map((s) => s.server)) }, {
        evidence,
        details: [...why, ...details],
        fixes: withSync([{ id: 'clock.check' }]),
      });
    }
    const truth = new Date(startedAt.getTime() + offset);
    const params = {
      offset: duration(offset),
      direction: offset > 0 ? msgRef('clock.behind') : msgRef('clock.ahead'),
      local: fmtTime(startedAt),
      truth: fmtTime(truth),
      count: count(ntp.status === 'ok' ? ntp.value.usable : 0, 'time-server'),
    };
    if (ntp.status === 'ok' && ntp.value.usable >= 2 && ntp.value.spreadMs !== null && ntp.value.spreadMs >= settings.clockWarnMs) {
      details.push({ key: 'clock.offset.servers-disagree', params: { spread: duration(ntp.value.spreadMs) } });
    }
    // The rule that matters most: a clock error that changes a certificate's validity.
    const chain = ctx.facts.tls.status === 'ok' ? ctx.chain() : null;
    const flips = chain && chain.leaf ? pathCertificates(chain).some((c) => validityAt(c, startedAt) !== validityAt(c, truth)) : false;
    const fixes = withSync([{ id: 'clock.sync' }]);
    if (flips) return outcome('fail', 'flips-validity', 'clock.offset.flips-validity', params, { evidence, details, fixes });
    const abs = Math.abs(offset);
    if (abs >= settings.clockFailMs) return outcome('fail', 'skew', 'clock.offset.skew', params, { evidence, details, fixes });
    if (abs >= settings.clockWarnMs) return outcome('warn', 'skew', 'clock.offset.skew-small', params, { evidence, details, fixes });
    if (syncOff) {
      return outcome('warn', 'sync-off', 'clock.offset.sync-off', params, { evidence, details, fixes: [{ id: 'clock.enable-sync' }] });
    }
    return outcome('pass', 'in-sync', 'clock.offset.in-sync', params, { evidence, details });
  },
};

const NTP_PROBLEMS: ReadonlySet<string> = new Set(['timeout', 'unresolved', 'unreachable', 'kiss-of-death', 'unsynchronized']);

/** Why one time server gave no usable answer: a catalog sentence for the common codes, else the probe's text. */
function ntpProblem(e: { code: string; message: string } | null): MsgParam {
  if (e && NTP_PROBLEMS.has(e.code)) return { key: `ntp.problem.${e.code}` as MsgParam['key'] };
  return technical(e?.message ?? '?');
}

/** One line on the OS time-sync setting, whatever the adapter could learn. */
function syncDetail(f: Fact<TimeSyncFacts>): Msg {
  if (f.status !== 'ok') return { key: 'clock.offset.sync-unknown', params: { detail: factReason(f) } };
  const v = f.value;
  const source = v.source ?? '—';
  if (v.enabled === false) return { key: 'clock.offset.sync-state-off', params: { evidence: v.evidence } };
  if (v.enabled === true && v.synchronized === false) return { key: 'clock.offset.sync-state-not-synced', params: { source } };
  if (v.enabled === true) return { key: 'clock.offset.sync-state-on', params: { source } };
  return { key: 'clock.offset.sync-unknown', params: { detail: v.note ?? technical(v.detail ?? v.evidence) } };
}
