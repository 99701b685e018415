/**
 * The realistic scenarios of the golden files and the browser check: one per kind of
 * failure a helpdesk meets, each on the system where it is typical.
 */
import type { Lang } from '../../../src/fixes/i18n';
import { buildReport, type Report } from '../../../src/report/model';
import { goldenCert, RUN_TIME, subjectDer, syntheticRun, type Synthetic } from './synthetic';

const DAY = 86_400_000;
export const CONTACT = 'IT Helpdesk · ext. 4321 · helpdesk@example.com';

export const SCENARIOS: Readonly<Record<string, Synthetic>> = {
  // Everything as it should be, on Linux with AnyConnect installed.
  healthy: { platform: 'linux' },
  // The gateway's certificate ran out three days ago.
  'expired-leaf': { platform: 'windows', chain: [goldenCert('expired'), goldenCert('int')] },
  // This computer's clock is 400 days ahead: the valid certificate only looks expired.
  // Automatic time is off, which is how a clock gets this far off.
  'clock-skew': { platform: 'windows', now: new Date(RUN_TIME.getTime() + 400 * DAY), ntpOffsetMs: -400 * DAY, timeSyncEnabled: false },
  // The gateway sends only its own certificate; the intermediate is at its AIA address.
  // A Mac without AnyConnect: a colleague checking the gateway from their own computer.
  'missing-intermediate': {
    platform: 'macos',
    chain: [goldenCert('leaf')],
    aia: [{ url: 'http://pki.example.com/tls-ca-2024.cer', certificates: [goldenCert('int')] }],
    anyconnect: 'not-installed',
  },
  // The certificate was issued for the web portal, not the VPN name.
  'hostname-mismatch': { platform: 'linux', chain: [goldenCert('other'), goldenCert('int')] },
  // The CA's OCSP responder says the gateway's certificate was revoked (key compromise).
  revoked: { platform: 'windows', revocation: 'revoked' },
  // Zscaler decrypts the connection; its root is deployed, so the chain is even trusted.
  'tls-inspection': {
    platform: 'windows',
    chain: [goldenCert('zscaler-leaf'), goldenCert('zscaler-int')],
    anchors: [{ der: goldenCert('root') }, { der: goldenCert('zscaler-root') }],
  },
  // A new computer without the company's root, and a local policy that forbids "Connect Anyway".
  'strict-policy': { platform: 'windows', anchors: [{ der: goldenCert('zscaler-root') }], anyconnect: { localPolicy: 'strict' } },
  // The gateway's tunnel group logs in with a client certificate, and this Mac has none.
  'client-cert-missing': { platform: 'macos', clientCertRequest: [subjectDer(goldenCert('user-ca'))] },
};

export async function scenarioReport(name: string, lang: Lang): Promise<Report> {
  const { run, pool } = await syntheticRun(SCENARIOS[name]);
  return buildReport(run, { lang, version: '0.1.0', contact: CONTACT, pool, reportId: '7d0c6f5e-2b1a-4c3d-9e8f-000000000001' });
}
