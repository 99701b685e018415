import { analyzeChain, type ChainAnalysis } from '../pki/analysis';
import type { CertificatePool } from '../pki/pool';
import { AnchorIndex } from '../pki/trust-store';
import type { FactKey, RunFacts } from '../run-facts';
import { errorMessage } from '../errors';
import { msgRef } from '../fixes/i18n';
import { aiaExtras } from './cert-common';
import { ROOT_CAUSE_ORDER } from './index';
import type { ChainOptions, Check, CheckContext, CheckId, CheckResult, Status } from './types';

/** Where checks get their facts: each fact resolves when its probe ends. */
export interface FactSource {
  readonly base: Pick<RunFacts, 'target' | 'connectTo' | 'startedAt' | 'platform' | 'settings'>;
  get<K extends FactKey>(key: K): Promise<RunFacts[K]>;
}

export interface RunnerOptions {
  readonly pool: CertificatePool;
  /** Milliseconds since the run started, for each check's durationMs. */
  readonly elapsed: () => number;
  readonly onResult?: (r: CheckResult) => void;
}

/**
 * Evaluates every check as soon as the facts it needs are in, so a live checklist
 * can tick. A check whose dependency did not pass is skipped with the reason; a check
 * that throws is reported as `error` and never stops the others.
 */
export async function runChecklist(checks: readonly Check[], source: FactSource, opts: RunnerOptions): Promise<CheckResult[]> {
  const results = new Map<CheckId, Promise<CheckResult>>();
  const memo = new Map<string, unknown>();
  const byId = new Map(checks.map((c) => [c.id, c] as const));
  assertNoCycle(checks, byId);
  // A dependency may come later in the list: its result is started on first demand.
  const resultOf = (id: CheckId): Promise<CheckResult | undefined> => {
    const known = results.get(id);
    if (known) return known;
    const c = byId.get(id);
    if (!c) return Promise.resolve(undefined);
    const p = Promise.resolve().then(() => evaluateOne(c));
    results.set(id, p);
    return p;
  };

  const evaluateOne = async (check: Check): Promise<CheckResult> => {
    const deps = await Promise.all(check.dependsOn.map(resultOf));
    const blocker = deps.find((d): d is CheckResult => d !== undefined && blocks(d.status));
    if (blocker) {
      const r: CheckResult = {
        id: check.id,
        status: 'skip',
        reason: 'dependency',
        summary: { key: 'common.skipped-because', params: { check: blocker.id, title: msgRef(`check.${blocker.id}.title`) } },
        evidence: { blockedBy: blocker.id, blockerStatus: blocker.status },
        durationMs: Math.round(opts.elapsed()),
      };
      opts.onResult?.(r);
      return r;
    }
    const entries = await Promise.all(check.needs.map(async (k) => [k, await source.get(k)] as const));
    const allowed = new Map<string, unknown>(entries);
    const facts = new Proxy(source.base as RunFacts, {
      get(target, prop: string | symbol) {
        if (typeof prop === 'string' && prop in source.base) return (target as unknown as Record<string, unknown>)[prop];
        if (typeof prop === 'string' && allowed.has(prop)) return allowed.get(prop);
        throw new Error(`check ${check.id} read fact "${String(prop)}" without declaring it in needs`);
      },
    });
    const depResults = new Map(deps.filter((d): d is CheckResult => d !== undefined).map((d) => [d.id, d]));
    const ctx: CheckContext = {
      facts,
      chain: (options) => (options ? chainFrom(facts, opts.pool, options) : memoised(memo, 'chain', () => chainFrom(facts, opts.pool))),
      anchors: () => anchorsOf(facts, opts.pool),
      trueNow: () => {
        const ntp = facts.ntp;
        if (ntp.status !== 'ok' || ntp.value.medianOffsetMs === null) return null;
        return new Date(facts.startedAt.getTime() + ntp.value.medianOffsetMs);
      },
      result: (id) => depResults.get(id),
    };
    let r: CheckResult;
    try {
      const o = check.evaluate(ctx);
      r = { id: check.id, ...o, durationMs: Math.round(opts.elapsed()) };
    } catch (err) {
      r = {
        id: check.id,
        status: 'error',
        reason: 'check-crashed',
        summary: { key: 'common.check-crashed', params: { message: errorMessage(err) } },
        durationMs: Math.round(opts.elapsed()),
      };
    }
    opts.onResult?.(r);
    return r;
  };

  return Promise.all(checks.map((c) => resultOf(c.id) as Promise<CheckResult>));
}

/** Checks that wait on each other would never be decided: a programming error, caught at once. */
function assertNoCycle(checks: readonly Check[], byId: ReadonlyMap<CheckId, Check>): void {
  const state = new Map<CheckId, 'visiting' | 'done'>();
  const visit = (c: Check, trail: CheckId[]): void => {
    if (state.get(c.id) === 'done') return;
    if (state.get(c.id) === 'visiting') throw new Error(`checks depend on each other: ${[...trail, c.id].join(' → ')}`);
    state.set(c.id, 'visiting');
    for (const d of c.dependsOn) {
      const dep = byId.get(d);
      if (dep) visit(dep, [...trail, c.id]);
    }
    state.set(c.id, 'done');
  };
  for (const c of checks) visit(c, []);
}

function blocks(s: Status): boolean {
  return s === 'fail' || s === 'error' || s === 'skip';
}

function memoised<T>(memo: Map<string, unknown>, key: string, make: () => T): T {
  if (!memo.has(key)) memo.set(key, make());
  return memo.get(key) as T;
}

/** The run's trust stores, indexed once for `pool` however many ask. */
export function anchorsOf(facts: RunFacts, pool: CertificatePool): AnchorIndex {
  const store = facts.trustStore;
  return AnchorIndex.of(store.status === 'ok' ? store.value.entries : [], pool);
}

/** The chain analysis from the tls, trustStore and aia facts. */
export function chainFrom(facts: RunFacts, pool: CertificatePool, options: ChainOptions = {}): ChainAnalysis | null {
  const tls = facts.tls;
  if (tls.status !== 'ok' || tls.value.chain.length === 0) return null;
  const all = anchorsOf(facts, pool);
  const anchors = options.withoutStores ? all.without(options.withoutStores) : all;
  const extras = aiaExtras(facts.aia, pool);
  // Judged at the local clock, as the TLS client will: it picks issuers valid by that clock.
  return analyzeChain(tls.value.chain, pool, anchors, extras, { at: facts.startedAt });
}

export type Verdict = 'pass' | 'warn' | 'fail';

/** Verdict and top cause: errors count as failures (a broken probe is never a pass). */
export function summarize(results: readonly CheckResult[]): { verdict: Verdict; topCause: CheckId | null } {
  const rank = (id: CheckId): number => {
    const i = ROOT_CAUSE_ORDER.indexOf(id);
    return i < 0 ? ROOT_CAUSE_ORDER.length : i;
  };
  // A definite failure explains the run better than a check that could not decide: a broken
  // revocation responder (error) must not hide a certificate issued for another name (fail).
  const certainty = (r: CheckResult): number => (r.status === 'fail' ? 0 : 1);
  const failing = results.filter((r) => r.status === 'fail' || r.status === 'error').sort((a, b) => certainty(a) - certainty(b) || rank(a.id) - rank(b.id));
  if (failing.length) return { verdict: 'fail', topCause: failing[0]!.id };
  const warning = results.filter((r) => r.status === 'warn').sort((a, b) => rank(a.id) - rank(b.id));
  if (warning.length) return { verdict: 'warn', topCause: warning[0]!.id };
  return { verdict: 'pass', topCause: null };
}
