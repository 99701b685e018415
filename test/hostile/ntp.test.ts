/**
 * Time servers that lie, stammer or refuse. The clock check must never pass on a reply it
 * cannot trust, never be steered by a forged one, and always end inside the deadline.
 */
import { standardChain } from '../helpers/pki';
import { pemFile, tempDir } from '../helpers/scenario';
import { Servers, startNtpServer, startTlsServer, type NtpBehaviour } from '../helpers/servers';
import { check } from '../helpers/cli';
import { expectCalm, runHostile, type HostileRun } from './harness';

const servers = new Servers();
const dir = tempDir('vpf-hostile-ntp-');
let gateway: string;
let caArgs: string[];

beforeAll(async () => {
  const { root, intermediate, leaf } = standardChain('localhost');
  gateway = `localhost:${servers.track(await startTlsServer({ key: leaf.keyPem, chain: [leaf, intermediate] })).port}`;
  caArgs = ['--ca-file', pemFile(dir, 'root.pem', root), '--connect-to', '127.0.0.1'];
});
afterAll(() => servers.closeAll());

async function withNtp(...behaviours: NtpBehaviour[]): Promise<HostileRun> {
  const ntpArgs: string[] = [];
  for (const b of behaviours) ntpArgs.push('--ntp-server', `127.0.0.1:${servers.track(await startNtpServer({ behaviour: b })).port}`);
  const run = await runHostile(gateway, [...caArgs, ...ntpArgs], 5);
  expectCalm(run, 5);
  return run;
}

const refusals: Array<[NtpBehaviour, string, RegExp]> = [
  ['short', 'short-packet', /reply of 20 bytes \(an NTP reply has at least 48\)/],
  ['wrong-mode', 'wrong-mode', /reply in mode 3 \(a server answers in mode 4\)/],
  ['kiss-of-death', 'kiss-of-death', /it refused to answer \(rate limit or access rule\)/],
  ['zero-timestamps', 'zero-timestamp', /the reply carries zero timestamps/],
  ['wrong-port', 'timeout', /no answer in time/],
  ['wrong-origin', 'timeout', /no answer in time/],
];

describe('replies that cannot be trusted: the clock could not be checked (warn), never a pass', () => {
  test.concurrent.each(refusals)('%s → %s', async (behaviour, code, words) => {
    const run = await withNtp(behaviour);
    const c = check(run.report, 'clock.offset');
    expect(c).toMatchObject({ status: 'warn', reason: 'ntp-unreachable' });
    expect(c.evidence.ntp.usable).toBe(0);
    expect(c.evidence.ntp.servers[0].error.code).toBe(code);
    expect(c.summary).toMatch(/^No time server answered \(127\.0\.0\.1:\d+\), so the clock could not be checked\.$/);
    // What the server did is said on the server's own line.
    expect(c.details.join('\n')).toMatch(words);
    expect(run.report.verdict).toBe('warn');
    expect(run.result.exitCode).toBe(1);
  });
});

describe('forged and repeated replies', () => {
  test.concurrent('a forged reply a year ahead (wrong origin timestamp) before the genuine one: the genuine one counts', async () => {
    const run = await withNtp('spoofed-then-true');
    const c = check(run.report, 'clock.offset');
    expect(c).toMatchObject({ status: 'pass', reason: 'in-sync' });
    expect(Math.abs(c.evidence.ntp.medianOffsetMs)).toBeLessThan(2000);
    expect(run.result.exitCode).toBe(0);
  });

  test.concurrent('twenty copies of one reply: one sample, no crash', async () => {
    const run = await withNtp('many-replies');
    const c = check(run.report, 'clock.offset');
    expect(c).toMatchObject({ status: 'pass', reason: 'in-sync' });
    expect(c.evidence.ntp.usable).toBe(1);
  });

  test.concurrent('a stammering server beside a truthful one: the truthful one decides, the other is named', async () => {
    const run = await withNtp('short', 'truthful');
    const c = check(run.report, 'clock.offset');
    expect(c).toMatchObject({ status: 'pass', reason: 'in-sync' });
    expect(c.evidence.ntp.usable).toBe(1);
    expect(c.evidence.ntp.servers.map((s: { error: { code: string } | null }) => s.error?.code ?? 'ok')).toEqual(['short-packet', 'ok']);
  });
});
