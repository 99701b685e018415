/**
 * Golden files of the Markdown and text reports for realistic scenarios, in English and
 * Japanese. The run is synthetic and fixed (time, ids, durations, certificates from
 * test/golden/certs), evaluated by the real checks. To accept a change on purpose:
 * UPDATE_GOLDEN=1 npx jest test/unit/report/golden.test.ts, then read the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { toJson } from '../../../src/report/model';
import { renderMarkdown } from '../../../src/report/markdown';
import { renderText } from '../../../src/report/text';
import { expectValidReport } from '../../helpers/schema';
import { scenarioReport, SCENARIOS } from './scenarios';

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
    golden(`${name}.${lang}.txt`, renderText(report, { color: false, width: 100 }));
  });
});

describe('the first screen names the right cause and the right first step for the OS', () => {
  test.each([
    ['healthy', 'pass', null, null, null],
    ['expired-leaf', 'fail', 'cert.expiry', 'admin', /renew the gateway certificate/],
    ['clock-skew', 'fail', 'clock.offset', 'user', /Set this computer’s clock from the internet: Open Settings › Time & language › Date & time/],
    ['missing-intermediate', 'fail', 'cert.chain', 'user', /Nothing to fix on your computer/],
    ['hostname-mismatch', 'fail', 'cert.hostname', 'user', /Use exactly the gateway name IT gave you/],
  ] as const)('%s', async (name, verdict, topCause, actor, step) => {
    const report = await scenarioReport(name, 'en');
    expect(report.verdict).toBe(verdict);
    expect(report.topCause).toBe(topCause);
    expect(report.headline.firstStepActor).toBe(actor);
    if (step) expect(report.headline.firstStep).toMatch(step);
    else expect(report.headline.firstStep).toBeNull();
    // The first lines of the text report carry the verdict, the cause and the step.
    const firstScreen = renderText(report, { color: false, width: 100 }).split('\n').slice(0, 20).join('\n');
    expect(firstScreen).toContain(report.headline.verdict);
    if (report.headline.cause) expect(firstScreen).toContain(report.headline.cause.slice(0, 40));
  });

  test('the clock scenario says the certificate only looks expired, and the Markdown shows the timeline', async () => {
    const report = await scenarioReport('clock-skew', 'en');
    expect(report.checks.find((c) => c.id === 'cert.expiry')).toMatchObject({ status: 'fail', reason: 'clock-skew' });
    const md = renderMarkdown(report);
    expect(md).toContain('## Certificate dates against the clock');
    expect(md).toMatch(/\| vpn\.example\.com \(gateway certificate\) \| 2024-09-01 00:00 UTC \| 2025-09-01 00:00 UTC \| expired \| valid \|/);
  });

  test('the Windows user sees the Windows steps first, macOS and Linux after', async () => {
    const report = await scenarioReport('clock-skew', 'en');
    const md = renderMarkdown(report);
    const win = md.indexOf('**Windows (this computer)**');
    expect(win).toBeGreaterThan(0);
    expect(md.indexOf('*macOS*')).toBeGreaterThan(win);
    expect(md).toContain('`w32tm /resync`');
  });
});
