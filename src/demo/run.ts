import type { AppResult, Io } from '../app';
import { diagnose, emit, finalReports, liveWanted, saveDefaultReport, terminalStyle, timeShares } from '../app';
import type { CheckId } from '../checks/types';
import { t, type MessageKey } from '../fixes/i18n';
import { nullLogger } from '../log';
import type { Options } from '../options';
import type { StoreEntry } from '../pki/trust-store';
import type { Report } from '../report/model';
import { checkLine, displayWidth, paint, verdictBlock, wrap } from '../report/text';
import { parseTarget } from '../target';
import { adapterFor, realDeps } from '../../platform/index';
import { issueDemoCert, type DemoCert } from './pki';
import { startDemoAia, startDemoGateway, startDemoNtp, type DemoServer } from './servers';

const DAY = 86_400_000;

interface Scenario {
  readonly id: 'healthy' | 'expired' | 'missing-intermediate' | 'wrong-host' | 'inspected';
  readonly leaf: DemoCert;
  readonly chain: readonly DemoCert[];
  /** What the diagnosis must find for the demo to have run as designed. */
  readonly expected: { readonly verdicts: readonly Report['verdict'][]; readonly topCause: CheckId | null };
}

/**
 * `--demo`: five gateways on 127.0.0.1 with certificates made now — healthy, expired,
 * missing intermediate, wrong name, and a connection re-signed by a TLS inspection CA
 * this computer trusts — plus a truthful NTP server, diagnosed exactly as a
 * real gateway would be, with a short explanation of each for a newcomer. Offline, and
 * nothing read from disk. Exit code 0 when every gateway came out as designed (the
 * faulty ones failing for their own reason), 4 when one did not.
 */
export async function runDemo(opts: Options, version: string, io: Io): Promise<AppResult> {
  const L = opts.lang;
  const style = terminalStyle(opts, io);
  const talk = opts.format === 'text' && !opts.output;
  const say = (s: string): void => {
    if (talk) io.stdout.write(s);
  };
  const para = (s: string): string => `${wrap(s, Math.max(40, style.width - 2)).join('\n')}\n`;
  const now = Date.now();
  const root = issueDemoCert(null, { cn: 'vpn-preflight Demo Root CA', o: 'vpn-preflight demo', isCa: true, notBefore: new Date(now - DAY), notAfter: new Date(now + 3650 * DAY) });
  const intermediate = issueDemoCert(root, { cn: 'vpn-preflight Demo Intermediate CA', o: 'vpn-preflight demo', isCa: true, notBefore: new Date(now - DAY), notAfter: new Date(now + 1825 * DAY) });
  const servers: DemoServer[] = [];
  const started = async <T extends DemoServer>(p: Promise<T>): Promise<T> => {
    const s = await p;
    servers.push(s);
    return s;
  };
  try {
    const ntp = await started(startDemoNtp());
    const aia = await started(startDemoAia(intermediate.der));
    const leaf = (cn: string, extra: { dns?: string[]; notBefore?: Date; notAfter?: Date; caIssuersUrl?: string } = {}): DemoCert =>
      issueDemoCert(intermediate, { cn, isCa: false, notBefore: extra.notBefore ?? new Date(now - DAY), notAfter: extra.notAfter ?? new Date(now + 200 * DAY), ...extra });
    const healthy = leaf('localhost');
    const expired = leaf('localhost', { notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - 3 * DAY) });
    const orphan = leaf('localhost', { caIssuersUrl: `http://127.0.0.1:${aia.port}/demo-intermediate.cer` });
    const elsewhere = leaf('vpn.example.com', { dns: ['vpn.example.com'] });
    // What a TLS inspection proxy presents: a certificate for the gateway's name, minted by its own CA.
    const inspectionCa = issueDemoCert(null, { cn: 'vpn-preflight Demo TLS Inspection CA', o: 'vpn-preflight demo', isCa: true, notBefore: new Date(now - DAY), notAfter: new Date(now + 3650 * DAY) });
    const minted = issueDemoCert(inspectionCa, { cn: 'localhost', isCa: false, notBefore: new Date(now - DAY), notAfter: new Date(now + 90 * DAY) });
    const scenarios: Scenario[] = [
      { id: 'healthy', leaf: healthy, chain: [healthy, intermediate], expected: { verdicts: ['pass', 'warn'], topCause: null } },
      { id: 'expired', leaf: expired, chain: [expired, intermediate], expected: { verdicts: ['fail'], topCause: 'cert.expiry' } },
      { id: 'missing-intermediate', leaf: orphan, chain: [orphan], expected: { verdicts: ['fail'], topCause: 'cert.chain' } },
      { id: 'wrong-host', leaf: elsewhere, chain: [elsewhere, intermediate], expected: { verdicts: ['fail'], topCause: 'cert.hostname' } },
      { id: 'inspected', leaf: minted, chain: [minted], expected: { verdicts: ['fail'], topCause: 'proxy.intercept' } },
    ];
    const adapter = io.adapter ?? adapterFor(io.platform, realDeps(opts.env));
    // The inspection CA is trusted, as a company deploys it: AnyConnect refuses the connection anyway.
    const demoStore = { id: 'demo', label: 'vpn-preflight demo roots', kind: 'ca-file' } as const;
    const anchors: StoreEntry[] = [root, inspectionCa].map((c) => ({ der: c.der, store: demoStore, trust: 'trusted' }));
    const input = { connectTo: '127.0.0.1', extraAnchors: anchors, ntpServers: [{ host: '127.0.0.1', port: ntp.port }], dnsServers: [] };
    // Each scenario gets its share of --timeout.
    const shares = timeShares(opts, io.sinceStartMs?.() ?? 0, scenarios.length);
    say(para(t(L, 'demo.intro', { count: scenarios.length })));
    const reports: Report[] = [];
    const unexpected: string[] = [];
    for (const [i, sc] of scenarios.entries()) {
      const gw = await started(startDemoGateway(sc.leaf.keyPem, sc.chain.map((c) => c.pem).join('')));
      const title = t(L, 'demo.scenario', { n: i + 1, total: scenarios.length, title: t(L, `demo.${sc.id}.title` as MessageKey) });
      say(`\n${paint(style, '1', title)}\n${paint(style, '1', '─'.repeat(Math.min(displayWidth(title), style.width)))}\n${para(t(L, `demo.${sc.id}.explain` as MessageKey))}`);
      if (liveWanted(opts, io)) say('\n');
      const report = await diagnose(parseTarget(`localhost:${gw.port}`, 'demo'), { ...input, timeLimitMs: shares.next() }, opts, version, io, adapter, nullLogger, 'brief');
      if (talk && !liveWanted(opts, io)) {
        const shown = finalReports([report], opts, io)[0]!;
        const w = Math.max(...shown.checks.map((c) => displayWidth(c.title)));
        say(`\n${shown.checks.map((c) => checkLine(c, style, w)).join('\n')}\n\n${verdictBlock(shown, style).join('\n')}\n`);
      }
      const asDesigned = sc.expected.verdicts.includes(report.verdict) && (sc.expected.topCause === null ? report.verdict !== 'fail' : report.topCause === sc.expected.topCause);
      if (!asDesigned) unexpected.push(`${sc.id}: ${report.verdict}, ${report.topCause ?? '-'} (${report.headline.cause ?? ''})`);
      reports.push(report);
    }
    const final = finalReports(reports, opts, io);
    if (talk) {
      if (opts.writeReport) {
        const file = await saveDefaultReport(final, opts, io, 'demo');
        if (file) say(`\n${t(L, 'demo.report', { path: file, count: scenarios.length })}\n${t(L, 'ui.report-open')}\n`);
      }
      say(`\n${para(unexpected.length ? t(L, 'demo.unexpected', { detail: unexpected.join('; ') }) : t(L, 'demo.done', { count: scenarios.length - 1 }))}${para(t(L, 'demo.next'))}`);
    } else {
      await emit(final, opts, io, 'demo');
      if (unexpected.length) io.stderr.write(`${t(L, 'demo.unexpected', { detail: unexpected.join('; ') })}\n`);
    }
    return { exitCode: unexpected.length ? 4 : 0 };
  } finally {
    await Promise.all(servers.map((s) => s.close().catch(() => undefined)));
  }
}
