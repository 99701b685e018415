/**
 * The short fuzz run of `npm test`: a few hundred inputs per target, with a fixed seed per
 * target so the suite is deterministic (FUZZ_SEED=<n> or FUZZ_SEED=random and FUZZ_RUNS=<n>
 * explore further). The long run is `npm run fuzz` (scripts/fuzz.mjs). A failure prints the
 * seed and the path that reproduce it, and the input, shrunk.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { propertyOf } from './fuzz';
import { TARGETS } from './targets';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

function seedFor(name: string): number | undefined {
  const env = process.env.FUZZ_SEED;
  if (env === 'random') return undefined;
  if (env) return Number(env);
  return createHash('sha256').update(name).digest().readInt32BE(0);
}

test.each(TARGETS.map((t) => [t.name, t] as const))('%s: no undocumented throw, no hang, no pollution, the documented shape', async (_name, target) => {
  await fc.assert(propertyOf(target), { numRuns: RUNS, seed: seedFor(target.name), endOnFailure: false });
});
