/** The realistic scenarios of the golden files and the browser check. */
import type { Lang } from '../../../src/fixes/i18n';
import { buildReport, type Report } from '../../../src/report/model';
import { goldenCert, RUN_TIME, syntheticRun, type Synthetic } from './synthetic';

const DAY = 86_400_000;
export const CONTACT = 'IT Helpdesk · ext. 4321 · helpdesk@example.com';

export const SCENARIOS: Readonly<Record<string, Synthetic>> = {
  healthy: { platform: 'linux' },
  'expired-leaf': { platform: 'windows', chain: [goldenCert('expired'), goldenCert('int')] },
  // This computer's clock is 400 days ahead: the valid certificate only looks expired.
  'clock-skew': { platform: 'windows', now: new Date(RUN_TIME.getTime() + 400 * DAY), ntpOffsetMs: -400 * DAY },
  'missing-intermediate': {
    platform: 'macos',
    chain: [goldenCert('aia-leaf')],
    aia: [{ url: 'http://pki.example.com/tls-ca-2024.cer', certificates: [goldenCert('int')] }],
  },
  'hostname-mismatch': { platform: 'linux', chain: [goldenCert('other'), goldenCert('int')] },
};

export async function scenarioReport(name: string, lang: Lang): Promise<Report> {
  const { run, pool } = await syntheticRun(SCENARIOS[name]);
  return buildReport(run, { lang, version: '0.1.0', contact: CONTACT, pool, reportId: '7d0c6f5e-2b1a-4c3d-9e8f-000000000001' });
}

