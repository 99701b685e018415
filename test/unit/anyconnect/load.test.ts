/**
 * Reading the installed AnyConnect files before a no-argument run: bounded, and what went
 * wrong is said as it was.
 */
import type { PlatformAdapter } from '../../../platform/types';
import { loadAnyConnect } from '../../../src/anyconnect/discover';

const NO_FILES = { profiles: [], localPolicy: null };

function adapterWith(anyconnect: PlatformAdapter['anyconnect']): PlatformAdapter {
  return { anyconnect } as unknown as PlatformAdapter;
}

test('files that take too long: a timeout error within the bound, and the reader is told to stop', async () => {
  let given: AbortSignal | undefined;
  const never = adapterWith((signal) => {
    given = signal;
    return new Promise(() => undefined);
  });
  const started = Date.now();
  const f = await loadAnyConnect(never, NO_FILES, 50);
  expect(f).toMatchObject({ status: 'error', error: { code: 'timeout', message: 'reading the AnyConnect files took too long' } });
  expect(Date.now() - started).toBeLessThan(5000);
  expect(given?.aborted).toBe(true);
});

test('a reader that fails is reported with its own error, not as a timeout', async () => {
  const denied = adapterWith(() => Promise.reject(Object.assign(new Error('EACCES: permission denied, open /opt/cisco/anyconnect/profile'), { code: 'EACCES' })));
  const f = await loadAnyConnect(denied, NO_FILES, 5000);
  expect(f).toMatchObject({ status: 'error', error: { code: 'EACCES', message: 'EACCES: permission denied, open /opt/cisco/anyconnect/profile' } });
});
