/**
 * A per-request time limit must fire whatever the garbage collector does. In Node 20 the
 * signal AbortSignal.any returns is only weakly held by its sources: a collection in the
 * middle of a request dropped it with its listeners, and a silent peer then held the run
 * until its whole deadline (seen with openssl s_server, which serves one connection at a
 * time: the AnyConnect request's 2 s limit never fired and every version probe timed out).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Deadline, withTimeout } from '../../src/deadline';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Resolves 'fired' when `signal` aborts, 'missed' if it has not within `boundMs`. */
function outcome(arm: (fired: () => void) => void, boundMs: number): Promise<'fired' | 'missed'> {
  return new Promise((resolve) => {
    const bound = setTimeout(() => resolve('missed'), boundMs);
    arm(() => {
      clearTimeout(bound);
      resolve('fired');
    });
  });
}

test('withTimeout fires after a garbage collection', async () => {
  const run = new AbortController();
  const result = outcome((fired) => withTimeout(run.signal, 100).addEventListener('abort', fired, { once: true }), 2000);
  gc();
  expect(await result).toBe('fired');
});

test('a deadline’s child signal fires after a garbage collection', async () => {
  const deadline = new Deadline(10_000);
  const result = outcome((fired) => deadline.child(100).addEventListener('abort', fired, { once: true }), 2000);
  gc();
  expect(await result).toBe('fired');
  deadline.dispose();
});

test('the run’s own deadline still ends what withTimeout bounds', async () => {
  const run = new AbortController();
  const result = outcome((fired) => withTimeout(run.signal, 60_000).addEventListener('abort', fired, { once: true }), 2000);
  gc();
  run.abort(new Error('deadline'));
  expect(await result).toBe('fired');
});
