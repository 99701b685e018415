/**
 * The summary a person reads first: which failing check is the root cause. The order
 * in ROOT_CAUSE_ORDER is deliberate (DNS before the connection, the clock before
 * certificate dates, a missing intermediate before "untrusted", …); these tests pin it
 * with synthetic results, then check that buildReport turns the top cause into the
 * first step for the user's own system, else the admin's.
 */
import { ROOT_CAUSE_ORDER } from '../../../src/checks/index';
import { summarize } from '../../../src/checks/runner';
import type { CheckId, CheckResult, Status } from '../../../src/checks/types';
import { buildReport } from '../../../src/report/model';
import { RUN_TIME, syntheticRun } from './synthetic';

function result(id: CheckId, status: Status, reason = 'x'): CheckResult {
  return { id, status, reason, summary: { key: 'common.check-crashed', params: { message: reason } }, durationMs: 1 };
}

describe('summarize picks the single root cause', () => {
  test.each([
    ['DNS before the connection', ['network.reach', 'dns.resolve'], 'dns.resolve'],
    ['the connection before TLS', ['tls.versions', 'network.reach'], 'network.reach'],
    ['the clock before certificate dates', ['cert.expiry', 'clock.offset'], 'clock.offset'],
    ['the clock before TLS and everything after it', ['cert.trust', 'tls.versions', 'clock.offset'], 'clock.offset'],
    ['TLS before the chain', ['cert.chain', 'tls.versions'], 'tls.versions'],
    ['a missing intermediate before "untrusted"', ['cert.trust', 'cert.chain'], 'cert.chain'],
    ['certificate dates before trust', ['cert.trust', 'cert.expiry'], 'cert.expiry'],
    ['trust before the name', ['cert.hostname', 'cert.trust'], 'cert.trust'],
    ['the name before key usage and strength', ['cert.strength', 'cert.usage', 'cert.hostname'], 'cert.hostname'],
    ['key usage before strength', ['cert.strength', 'cert.usage'], 'cert.usage'],
    ['a proxy in the way before the clock', ['clock.offset', 'proxy.intercept'], 'proxy.intercept'],
    ['revocation before trust', ['cert.trust', 'cert.revocation'], 'cert.revocation'],
    // The checks added last, each against what it explains or is explained by.
    ['TLS inspection explains an untrusted chain', ['cert.trust', 'proxy.intercept'], 'proxy.intercept'],
    ['TLS inspection explains a certificate for the wrong name or dates', ['cert.hostname', 'cert.expiry', 'proxy.intercept'], 'proxy.intercept'],
    ['the clock before revocation (answers are judged by time)', ['cert.revocation', 'clock.offset'], 'clock.offset'],
    ['the clock before expiry and revocation together', ['cert.revocation', 'cert.expiry', 'clock.offset'], 'clock.offset'],
    ['a missing intermediate before the revocation it keeps from being checked', ['cert.revocation', 'cert.chain'], 'cert.chain'],
    ['an untrusted chain before the strict policy that makes it fatal', ['anyconnect.policy', 'cert.trust'], 'cert.trust'],
    ['revocation before the local policy that requires it', ['anyconnect.policy', 'cert.revocation'], 'cert.revocation'],
    ['the gateway’s own certificate before the user’s client certificate', ['anyconnect.client-cert', 'cert.hostname'], 'cert.hostname'],
    ['a client certificate before the local policy', ['anyconnect.policy', 'anyconnect.client-cert'], 'anyconnect.client-cert'],
    ['the local policy before a gateway that does not answer like AnyConnect', ['anyconnect.gateway', 'anyconnect.policy'], 'anyconnect.policy'],
  ] as const)('%s', (_why, failing, top) => {
    const results = [...failing].map((id) => result(id, 'fail'));
    expect(summarize(results)).toEqual({ verdict: 'fail', topCause: top });
    // The order the checks finished in never matters.
    expect(summarize([...results].reverse())).toEqual({ verdict: 'fail', topCause: top });
  });

  test('a failure outranks any warning, whatever their order', () => {
    expect(summarize([result('dns.resolve', 'warn'), result('cert.strength', 'fail')])).toEqual({ verdict: 'fail', topCause: 'cert.strength' });
  });

  test('a probe that broke (error) counts as a failure, never a pass', () => {
    expect(summarize([result('cert.trust', 'error')])).toEqual({ verdict: 'fail', topCause: 'cert.trust' });
    expect(summarize([result('cert.revocation', 'error'), result('cert.strength', 'warn')]).verdict).toBe('fail');
  });

  test('a definite failure is the cause before a check that could not decide, whatever their order', () => {
    expect(summarize([result('cert.trust', 'error'), result('cert.hostname', 'fail')])).toEqual({ verdict: 'fail', topCause: 'cert.hostname' });
    expect(summarize([result('cert.revocation', 'error'), result('anyconnect.policy', 'fail')]).topCause).toBe('anyconnect.policy');
    expect(summarize([result('cert.revocation', 'error'), result('cert.expiry', 'error')]).topCause).toBe('cert.expiry');
  });

  test('warnings alone: the earliest in the order is the cause', () => {
    expect(summarize([result('cert.strength', 'warn'), result('tls.versions', 'warn'), result('cert.expiry', 'pass')])).toEqual({ verdict: 'warn', topCause: 'tls.versions' });
  });

  test('passes and skips: no cause', () => {
    expect(summarize([result('dns.resolve', 'pass'), result('cert.revocation', 'skip')])).toEqual({ verdict: 'pass', topCause: null });
  });

  test('every check id has a place in the order', () => {
    const ids: CheckId[] = ['dns.resolve', 'network.reach', 'proxy.intercept', 'clock.offset', 'tls.versions', 'cert.expiry', 'cert.hostname', 'cert.chain', 'cert.trust', 'cert.revocation', 'cert.strength', 'cert.usage', 'anyconnect.gateway', 'anyconnect.client-cert', 'anyconnect.policy'];
    expect([...ROOT_CAUSE_ORDER].sort()).toEqual([...ids].sort());
  });
});

describe('buildReport: the headline from real checks on synthetic facts', () => {
  test('a clock 400 days ahead: the clock is the cause, not the certificate, and the first step is the user’s', async () => {
    const { run, pool } = await syntheticRun({ platform: 'macos', now: new Date(RUN_TIME.getTime() + 400 * 86_400_000), ntpOffsetMs: -400 * 86_400_000 });
    const report = buildReport(run, { lang: 'en', version: 't', contact: null, pool });
    expect(report.topCause).toBe('clock.offset');
    expect(report.checks.find((c) => c.id === 'cert.expiry')?.reason).toBe('clock-skew');
    expect(report.headline.cause).toContain('400 days ahead');
    expect(report.headline).toMatchObject({ firstStepActor: 'user' });
    expect(report.headline.firstStep).toBe('Set this computer’s clock from the internet: Open System Settings › General › Date & Time.');
    expect(report.clock).toEqual({ localTime: '2026-04-07T09:00:00.000Z', trueTime: '2025-03-03T09:00:00.000Z', offsetMs: -400 * 86_400_000 });
  });

  test('the same clock problem on Linux starts with timedatectl', async () => {
    const { run, pool } = await syntheticRun({ platform: 'linux', now: new Date(RUN_TIME.getTime() + 400 * 86_400_000), ntpOffsetMs: -400 * 86_400_000 });
    const report = buildReport(run, { lang: 'en', version: 't', contact: null, pool });
    expect(report.headline.firstStep).toContain('`timedatectl set-ntp true`');
    expect(report.checks.find((c) => c.id === 'clock.offset')?.fixes[0]?.steps[0]?.os).toBe('linux');
  });

  test('DNS that does not resolve outranks everything after it', async () => {
    const { run, pool } = await syntheticRun({ dnsError: { code: 'NXDOMAIN', message: 'queryA ENOTFOUND' } });
    const report = buildReport(run, { lang: 'en', version: 't', contact: null, pool });
    expect(report.topCause).toBe('dns.resolve');
    expect(report.checks.find((c) => c.id === 'network.reach')?.status).toBe('skip');
    expect(report.headline.firstStep).toMatch(/^Check the gateway address: /);
  });

  test('TLS inspection whose root is trusted: inspection is the cause, not the certificate', async () => {
    const { goldenCert } = await import('./synthetic');
    const { run, pool } = await syntheticRun({ platform: 'windows', chain: [goldenCert('zscaler-leaf'), goldenCert('zscaler-int')], anchors: [{ der: goldenCert('zscaler-root') }] });
    const report = buildReport(run, { lang: 'en', version: 't', contact: null, pool });
    expect(report.topCause).toBe('proxy.intercept');
    expect(report.checks.find((c) => c.id === 'cert.trust')?.status).toBe('pass');
    expect(report.headline.cause).toContain('re-signed by Zscaler (“Zscaler Intermediate Root CA (zscaler.net)”)');
    expect(report.headline).toMatchObject({ firstStepActor: 'user' });
    expect(report.headline.firstStep).toMatch(/^Connect from a network that does not decrypt HTTPS: Try another network/);
  });

  test('a strict local policy and an untrusted chain: the chain is the cause, the policy makes it a hard failure', async () => {
    const { goldenCert } = await import('./synthetic');
    const { run, pool } = await syntheticRun({ platform: 'windows', anchors: [{ der: goldenCert('zscaler-root') }], anyconnect: { localPolicy: 'strict' } });
    const report = buildReport(run, { lang: 'en', version: 't', contact: null, pool });
    expect(report.topCause).toBe('cert.trust');
    expect(report.checks.find((c) => c.id === 'anyconnect.policy')).toMatchObject({ status: 'fail', reason: 'strict-trust' });
    expect(report.headline.firstStep).toMatch(/^Install the company’s root certificate \(only the one IT gives you\): Get the root certificate file from IT/);
  });

  test('a revoked gateway certificate: only IT can act, and the first step says what IT must do', async () => {
    const { run, pool } = await syntheticRun({ platform: 'macos', revocation: 'revoked' });
    const report = buildReport(run, { lang: 'en', version: 't', contact: null, pool });
    expect(report.topCause).toBe('cert.revocation');
    expect(report.headline).toMatchObject({ firstStepActor: 'admin', firstStep: 'Gateway admin: install a new certificate' });
  });

  test('a client certificate required and missing: the user’s step for their own system', async () => {
    const { goldenCert, subjectDer } = await import('./synthetic');
    for (const [platform, words] of [['windows', /Current User/], ['macos', /login keychain/], ['linux', /Ask IT for your personal VPN certificate and its private key/]] as const) {
      const { run, pool } = await syntheticRun({ platform, clientCertRequest: [subjectDer(goldenCert('user-ca'))] });
      const report = buildReport(run, { lang: 'en', version: 't', contact: null, pool });
      expect(report.topCause).toBe('anyconnect.client-cert');
      expect(report.headline.firstStepActor).toBe('user');
      expect(report.headline.firstStep).toMatch(words);
    }
  });

  test('an expired gateway certificate: nothing for the user, the admin’s step comes first', async () => {
    const { goldenCert } = await import('./synthetic');
    const { run, pool } = await syntheticRun({ platform: 'windows', chain: [goldenCert('expired'), goldenCert('int')] });
    const report = buildReport(run, { lang: 'en', version: 't', contact: null, pool });
    expect(report.topCause).toBe('cert.expiry');
    expect(report.headline).toMatchObject({ firstStepActor: 'admin', firstStep: 'Gateway admin: renew the gateway certificate' });
  });

  test('a check that did not pass and names no fix gets the fallback: send the report, IT reviews', async () => {
    const { run, pool } = await syntheticRun();
    const broken = { ...run, results: run.results.map((r) => (r.id === 'cert.usage' ? { ...r, status: 'warn' as const, reason: 'new', fixes: [] } : r)) };
    const report = buildReport(broken, { lang: 'en', version: 't', contact: null, pool });
    expect(report.checks.find((c) => c.id === 'cert.usage')?.fixes.map((f) => f.id)).toEqual(['user.send-report', 'admin.review']);
  });
});
