/**
 * The checklist runner: dependency order, skip with the reason, one check's crash never
 * stops the others, undeclared facts are refused, and one top cause for the summary.
 */
import { runChecklist, summarize, type FactSource } from '../../../src/checks/runner';
import type { Check, CheckId, CheckResult, Outcome, Status } from '../../../src/checks/types';
import { ok } from '../../../src/facts';
import { CertificatePool } from '../../../src/pki/pool';
import { DEFAULT_SETTINGS, type RunFacts } from '../../../src/run-facts';
import { parseTarget } from '../../../src/target';

function fixed(status: Status, reason: string = status): Outcome {
  return { status, reason, summary: { key: 'common.probe-error', params: {} } };
}

function check(id: CheckId, dependsOn: CheckId[], evaluate: Check['evaluate'], needs: Check['needs'] = []): Check {
  return { id, needs, dependsOn, evaluate };
}

function source(delays: Partial<Record<string, Promise<void>>> = {}): FactSource {
  return {
    base: { target: parseTarget('vpn.example.com'), connectTo: null, startedAt: new Date(), platform: 'linux', settings: DEFAULT_SETTINGS },
    get: async (key) => {
      await delays[key];
      return ok({ key }) as RunFacts[typeof key];
    },
  };
}

async function run(checks: Check[], src = source()): Promise<{ results: CheckResult[]; order: CheckId[] }> {
  const order: CheckId[] = [];
  const results = await runChecklist(checks, src, { pool: new CertificatePool(), elapsed: () => 0, onResult: (r) => order.push(r.id) });
  return { results, order };
}

const byId = (results: CheckResult[]) => Object.fromEntries(results.map((r) => [r.id, r]));

describe('dependencies', () => {
  test('a check whose dependency failed is skipped, naming the blocker', async () => {
    const { results } = await run([
      check('network.reach', [], () => fixed('fail', 'refused')),
      check('tls.versions', ['network.reach'], () => fixed('pass')),
      check('cert.chain', ['network.reach'], () => fixed('pass')),
    ]);
    const r = byId(results);
    expect(r['tls.versions']).toMatchObject({ status: 'skip', reason: 'dependency', evidence: { blockedBy: 'network.reach', blockerStatus: 'fail' } });
    expect(r['tls.versions']!.summary).toEqual({ key: 'common.skipped-because', params: { check: 'network.reach', title: { key: 'check.network.reach.title' } } });
    expect(r['cert.chain']!.status).toBe('skip');
  });

  test('an error or a skip blocks too; a warning does not', async () => {
    const { results } = await run([
      check('dns.resolve', [], () => fixed('warn')),
      check('network.reach', ['dns.resolve'], () => fixed('error')),
      check('tls.versions', ['network.reach'], () => fixed('pass')),
      check('cert.chain', ['tls.versions'], () => fixed('pass')),
    ]);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['dns.resolve', 'warn'],
      ['network.reach', 'error'],
      ['tls.versions', 'skip'],
      ['cert.chain', 'skip'],
    ]);
    expect(byId(results)['cert.chain']!.evidence).toMatchObject({ blockedBy: 'tls.versions', blockerStatus: 'skip' });
  });

  test('a check is decided only after its dependency, whatever the list order', async () => {
    let releaseReach!: () => void;
    const reachFact = new Promise<void>((r) => (releaseReach = r));
    const running = run(
      [
        check('cert.chain', ['network.reach'], () => fixed('pass')),
        check('network.reach', [], () => fixed('pass'), ['reach']),
        check('clock.offset', [], () => fixed('pass')),
      ],
      source({ reach: reachFact }),
    );
    await new Promise((r) => setImmediate(r));
    releaseReach();
    const { order } = await running;
    expect(order).toEqual(['clock.offset', 'network.reach', 'cert.chain']);
  });
});

describe('a broken check', () => {
  test('a check that throws is an error, never a pass, and the others still run', async () => {
    const { results } = await run([
      check('cert.expiry', [], () => {
        throw new Error('cannot read notAfter\nat line 2');
      }),
      check('cert.hostname', [], () => fixed('pass')),
    ]);
    expect(byId(results)['cert.expiry']).toMatchObject({ status: 'error', reason: 'check-crashed', summary: { key: 'common.check-crashed', params: { message: 'cannot read notAfter' } } });
    expect(byId(results)['cert.hostname']!.status).toBe('pass');
  });

  test('reading a fact the check did not declare is refused (it would race the probe)', async () => {
    const { results } = await run([check('cert.usage', [], (ctx) => fixed(ctx.facts.tls.status === 'ok' ? 'pass' : 'fail'), ['reach'])]);
    expect(results[0]).toMatchObject({ status: 'error', reason: 'check-crashed' });
    expect(results[0]!.summary.params!.message).toBe('check cert.usage read fact "tls" without declaring it in needs');
  });

  test('declared facts and the run basics are readable', async () => {
    const { results } = await run([check('cert.usage', [], (ctx) => fixed(ctx.facts.tls.status === 'ok' && ctx.facts.target.host === 'vpn.example.com' ? 'pass' : 'fail'), ['tls'])]);
    expect(results[0]!.status).toBe('pass');
  });
});

describe('verdict and top cause', () => {
  const result = (id: CheckId, status: Status): CheckResult => ({ id, status, reason: status, summary: { key: 'common.probe-error' }, durationMs: 0 });

  test('all passing (or skipped) is a pass with no top cause', () => {
    expect(summarize([result('dns.resolve', 'pass'), result('cert.usage', 'pass')])).toEqual({ verdict: 'pass', topCause: null });
  });

  test('the failure that explains the others is the top cause, whatever the list order', () => {
    expect(summarize([result('cert.hostname', 'fail'), result('cert.trust', 'fail'), result('cert.chain', 'fail')])).toEqual({ verdict: 'fail', topCause: 'cert.chain' });
    expect(summarize([result('cert.expiry', 'fail'), result('clock.offset', 'fail')])).toEqual({ verdict: 'fail', topCause: 'clock.offset' });
  });

  test('a check that could not run counts as a failure, never as a pass', () => {
    expect(summarize([result('cert.trust', 'error'), result('cert.strength', 'warn')])).toEqual({ verdict: 'fail', topCause: 'cert.trust' });
  });

  test('a failure outranks any warning', () => {
    expect(summarize([result('dns.resolve', 'warn'), result('cert.strength', 'fail')])).toEqual({ verdict: 'fail', topCause: 'cert.strength' });
  });

  test('warnings only: warn, with the first warning by root-cause order', () => {
    expect(summarize([result('cert.strength', 'warn'), result('cert.hostname', 'warn'), result('cert.usage', 'pass')])).toEqual({ verdict: 'warn', topCause: 'cert.hostname' });
  });
});

describe('the checklist itself', () => {
  test('checks that wait on each other are refused at once instead of hanging', async () => {
    await expect(
      run([check('cert.chain', ['cert.trust'], () => fixed('pass')), check('cert.trust', ['cert.chain'], () => fixed('pass'))]),
    ).rejects.toThrow('checks depend on each other: cert.chain → cert.trust → cert.chain');
  });

  test('the shipped checklist has no cycle and names only known checks', async () => {
    const { CHECKLIST } = await import('../../../src/checks/index');
    const { CHECK_IDS } = await import('../../../src/checks/types');
    const ids = new Set<string>(CHECK_IDS);
    for (const c of CHECKLIST) {
      expect(ids.has(c.id)).toBe(true);
      for (const d of c.dependsOn) expect(ids.has(d)).toBe(true);
    }
    const blank = CHECKLIST.map((c) => ({ ...c, needs: [], evaluate: () => fixed('pass') }));
    const { results } = await run(blank);
    expect(results.map((r) => r.status)).toEqual(CHECKLIST.map(() => 'pass'));
  });
});
