/**
 * The entry `npm run fuzz` bundles (scripts/fuzz.mjs): runs one target for many inputs in
 * a worker thread, counting each input in shared memory so the parent sees progress and
 * can tell a stalled parser from a slow one.
 */
import fc from 'fast-check';
import { propertyOf, type FuzzTarget } from './fuzz';
import { TARGETS } from './targets';

export const TARGET_NAMES: readonly string[] = TARGETS.map((t) => t.name);

function targetNamed(name: string): FuzzTarget {
  const t = TARGETS.find((x) => x.name === name);
  if (!t) throw new Error(`no fuzz target ${name} (there are: ${TARGET_NAMES.join(', ')})`);
  return t;
}

export async function runTarget(name: string, seed: number, runs: number, progress: Int32Array): Promise<{ failed: boolean; report: string; numRuns: number }> {
  const target = targetNamed(name);
  const counted: FuzzTarget = {
    ...target,
    run: (input: unknown) => {
      Atomics.add(progress, 0, 1);
      return target.run(input);
    },
  };
  const details = await fc.check(propertyOf(counted), { numRuns: runs, seed });
  return { failed: details.failed, report: details.failed ? (fc.defaultReportMessage(details) ?? 'failed') : '', numRuns: details.numRuns };
}

/** The input number `index` a run with `seed` generates (what a stalled worker was given). */
export function inputAt(name: string, seed: number, index: number): string {
  const values = fc.sample(targetNamed(name).arbitrary(), { seed, numRuns: index + 1 });
  return fc.stringify(values[index]);
}
