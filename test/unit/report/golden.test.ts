/**
 * Golden files of the Markdown and text reports for realistic scenarios, in English and
 * Japanese. The run is synthetic and fixed (time, ids, durations, certificates from
 * test/golden/certs), evaluated by the real checks. To accept a change on purpose:
 * UPDATE_GOLDEN=1 npx jest test/unit/report/golden.test.ts, then read the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { toJson, type Report } from '../../../src/report/model';
import { renderMarkdown } from '../../../src/report/markdown';
import { renderText } from '../../../src/report/text';
import { shortFromText } from '../../../src/report/format';
import { expectValidReport } from '../../helpers/schema';
import { scenarioReport, SCENARIOS } from './scenarios';
import { t } from '../../../src/fixes/i18n';

const GOLDEN = path.resolve(__dirname, '../../golden');
function golden(file: string, actual: string): void {
  const full = path.join(GOLDEN, file);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(full)) {
    writeFileSync(full, actual);
    if (process.env.UPDATE_GOLDEN !== '1') throw new Error(`${file} did not exist and was written; check it and run again`);
    return;
  }
  expect(actual).toBe(readFileSync(full, 'utf8'));
}

describe.each(Object.keys(SCENARIOS))('%s', (name) => {
  test.each(['en', 'ja'] as const)('Markdown and text in %s match the golden files', async (lang) => {
    const report = await scenarioReport(name, lang);
    expectValidReport(JSON.parse(toJson(report)));
    golden(`${name}.${lang}.md`, renderMarkdown(report));
    golden(`${name}.${lang}.txt`, renderText(report, { color: false, width: 100 }, { includeChecklist: true, verdictFirst: true }));
  });
});

/**
 * English a Japanese report may keep: what is not a sentence of ours. Names the report
 * quotes from elsewhere (certificate names, the helpdesk's contact line, file paths), and
 * product and folder names as their makers spell them.
 */
const KEPT_IN_ENGLISH: readonly string[] = [
  'Cisco AnyConnect Secure Mobility Client', // the installation folder in Windows paths
  'Cisco AnyConnect / Secure Client', // the product, as Cisco names it
];

/** The Japanese text with everything that may be English taken out: code, URLs, quotes, technical details, names. */
function withoutKeptEnglish(text: string, report: Report): string {
  const names = [
    ...report.certificates.flatMap((c) => [c.subject, c.issuer, shortFromText(c.subject), shortFromText(c.issuer)]),
    report.contact ?? '',
    ...KEPT_IN_ENGLISH,
  ].filter(Boolean);
  let out = text
    .replace(/```[\s\S]*?```/g, ' ') // evidence JSON and the trail
    .replace(/`[^`\n]*`/g, ' ') // commands and paths
    .replace(/https?:\/\/[^\s）)」]+/g, ' ') // URLs
    .replace(/“[^”]*”/g, ' ') // AnyConnect's own messages and settings, quoted as the client shows them
    .replace(/「[\x20-\x7e’]+」/g, ' ') // the same in Japanese quotation marks, and quoted names
    .replace(/技術情報[^:：]*[:：][^）\n]*/g, ' '); // text from outside the catalog, marked as such
  for (const n of names.sort((a, b) => b.length - a.length)) out = out.split(n).join(' ');
  return out;
}

describe('a Japanese report reads in Japanese', () => {
  test.each(Object.keys(SCENARIOS))('%s: no English sentence outside code, evidence, names and quotes', async (name) => {
    const report = await scenarioReport(name, 'ja');
    for (const [format, text] of [['md', renderMarkdown(report)], ['txt', renderText(report, { color: false, width: 1000 })]] as const) {
      const rest = withoutKeptEnglish(text, report).replace(/\\/g, '');
      const english = rest.match(/[A-Za-z][\w'’.-]*(?:[ ,]+[A-Za-z][\w'’.-]*){3,}/g) ?? [];
      expect({ format, english }).toEqual({ format, english: [] });
    }
  });

  test('the net catches an English sentence that leaked', async () => {
    const report = await scenarioReport('healthy', 'ja');
    const leaked = withoutKeptEnglish(`${renderMarkdown(report)}\nThe gateway did not answer in time.`, report);
    expect(leaked.match(/[A-Za-z][\w'’.-]*(?:[ ,]+[A-Za-z][\w'’.-]*){3,}/g)).toEqual(['The gateway did not answer in time.']);
  });
});

describe('the first screen names the right cause and the right first step for the OS', () => {
  test.each([
    ['healthy', 'pass', null, null, null],
    ['expired-leaf', 'fail', 'cert.expiry', 'admin', /^Gateway admin: renew the gateway certificate$/],
    ['clock-skew', 'fail', 'clock.offset', 'user', /^Set this computer’s clock from the internet: Open Settings › Time & language › Date & time/],
    ['missing-intermediate', 'fail', 'cert.chain', 'admin', /^Gateway admin: send the intermediate certificate$/],
    ['hostname-mismatch', 'fail', 'cert.hostname', 'user', /^Use exactly the gateway name IT gave you/],
    ['revoked', 'fail', 'cert.revocation', 'admin', /^Gateway admin: install a new certificate$/],
    ['tls-inspection', 'fail', 'proxy.intercept', 'user', /^Connect from a network that does not decrypt HTTPS: Try another network/],
    ['strict-policy', 'fail', 'cert.trust', 'user', /^Install the company’s root certificate \(only the one IT gives you\): Get the root certificate file from IT/],
    ['client-cert-missing', 'fail', 'anyconnect.client-cert', 'user', /^Install your VPN user certificate: .*login keychain/],
  ] as const)('%s', async (name, verdict, topCause, actor, step) => {
    const report = await scenarioReport(name, 'en');
    expect(report.verdict).toBe(verdict);
    expect(report.topCause).toBe(topCause);
    expect(report.headline.firstStepActor).toBe(actor);
    if (step) expect(report.headline.firstStep).toMatch(step);
    else expect(report.headline.firstStep).toBeNull();
    // The lines after the checklist carry the verdict, the cause and the step.
    const firstScreen = renderText(report, { color: false, width: 100 }, { includeChecklist: true, verdictFirst: true }).split('\n').slice(0, 26).join('\n');
    expect(firstScreen).toContain(report.headline.verdict);
    if (report.headline.cause) expect(firstScreen).toContain(report.headline.cause.slice(0, 40));
  });

  test('the clock scenario says the certificate only looks expired, and the Markdown shows the timeline', async () => {
    const report = await scenarioReport('clock-skew', 'en');
    expect(report.checks.find((c) => c.id === 'cert.expiry')).toMatchObject({ status: 'fail', reason: 'clock-skew' });
    const md = renderMarkdown(report);
    expect(md).toContain('## Certificate dates against the clock');
    expect(md).toMatch(/\| vpn\.example\.com · gateway certificate \| 2024-09-01 00:00 UTC \| 2025-09-01 00:00 UTC \| expired \| valid \|/);
  });

  test('the Windows user sees the Windows steps first, macOS and Linux after', async () => {
    const report = await scenarioReport('clock-skew', 'en');
    const md = renderMarkdown(report);
    const win = md.indexOf('**Windows (this computer)**');
    expect(win).toBeGreaterThan(0);
    expect(md.indexOf('*macOS*')).toBeGreaterThan(win);
    expect(md).toContain('`w32tm /resync`');
  });

  test('the revoked and the inspected chain say so on the certificate in the picture', async () => {
    const revoked = renderMarkdown(await scenarioReport('revoked', 'en'));
    expect(revoked).toMatch(/1\. \*\*vpn\.example\.com\*\* · gateway certificate · sent by the gateway as #1 — \*\*REVOKED on 2025-02-20\*\*/);
    expect(revoked).toMatch(/2\. \*\*Example Corp TLS CA 2024\*\* · intermediate · sent by the gateway as #2 — not revoked \(OCSP\)/);
    const inspected = renderMarkdown(await scenarioReport('tls-inspection', 'ja'));
    expect(inspected).toContain('**Zscaler Intermediate Root CA (zscaler.net)** · 中間証明書 · ゲートウェイが 2 番目に送信 — **TLS インスペクション: Zscaler**');
  });

  test('the AnyConnect settings that decide are listed with the file they come from', async () => {
    const md = renderMarkdown(await scenarioReport('strict-policy', 'en'));
    expect(md).toContain('## AnyConnect on this computer');
    expect(md).toContain('| StrictCertificateTrust | true | AnyConnectLocalPolicy.xml |');
    expect(md).toContain('| Local policy | C:\\\\ProgramData\\\\Cisco\\\\Cisco AnyConnect Secure Mobility Client\\\\AnyConnectLocalPolicy.xml |');
  });
});

describe('the first screen of a saved text report', () => {
  // 24 lines of a terminal or a small viewer: the verdict, the cause and the first step are in them.
  test.each(Object.keys(SCENARIOS))('%s: verdict, cause and first step in the first 24 lines', async (name) => {
    for (const lang of ['en', 'ja'] as const) {
      const report = await scenarioReport(name, lang);
      const lines = renderText(report, { color: false, width: 100 }, { includeChecklist: true, verdictFirst: true }).split('\n');
      const first = lines.slice(0, 24).join('\n');
      // The verdict is the report's second paragraph, before any check line.
      expect(lines[2]).toMatch(/^[✔✖⚠!?–] /);
      expect(lines.findIndex((l) => /^ {2}[✔✖⚠!?–] /.test(l))).toBeGreaterThan(3);
      if (report.topCause) {
        expect(first).toContain(`${t(lang, 'ui.cause')}: `);
        expect(first).toMatch(new RegExp(`(${t(lang, 'ui.you-can')}|${t(lang, 'ui.it-must')}): `));
      }
    }
  });
});
