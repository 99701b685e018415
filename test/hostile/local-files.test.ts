/**
 * Files named on the command line (or found by the adapters) that are not files: a FIFO
 * nobody writes, a device that never ends. Each is refused at once as a usage error; none
 * hangs the run, fills memory, or keeps the program from exiting.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { readRegularFile } from '../../src/read-file';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/scenario';

const dir = tempDir('vpf-files-');
const fifo = path.join(dir, 'profile.xml');
execFileSync('mkfifo', [fifo]);

test.each([
  ['--profile', fifo, `cannot read --profile ${fifo}: not a regular file`],
  ['--local-policy', fifo, `cannot read --local-policy ${fifo}: not a regular file`],
  ['--ca-file', fifo, `cannot read --ca-file ${fifo}: not a regular file`],
  ['--ca-file', '/dev/zero', 'cannot read --ca-file /dev/zero: not a regular file'],
  ['--profile', dir, `cannot read --profile ${dir}: it is a folder, not a file (EISDIR)`],
])('%s %s is refused at once (exit 3)', async (option, file, words) => {
  const r = await runCli(['localhost:1', option, file, '--no-report', '--timeout', '5'], { killAfterMs: 15_000 });
  expect(r.exitCode).toBe(3);
  expect(r.stderr).toContain(words);
  expect(r.durationMs).toBeLessThan(5000);
});

test('a --log-file FIFO that nobody reads is refused instead of blocking the start', async () => {
  const logFifo = path.join(dir, 'log.fifo');
  execFileSync('mkfifo', [logFifo]);
  const r = await runCli(['localhost:1', '--log-file', logFifo, '--no-report', '--timeout', '5'], { killAfterMs: 15_000 });
  expect(r.exitCode).toBe(3);
  expect(r.stderr).toContain(`cannot write --log-file ${logFifo}: ENXIO`);
});

test('the one file reader: at most the limit, growing files cut off, devices refused', async () => {
  await expect(readRegularFile('/dev/zero')).rejects.toMatchObject({ code: 'ENOTREG' });
  await expect(readRegularFile(fifo)).rejects.toMatchObject({ code: 'ENOTREG' });
  const big = path.join(dir, 'big.pem');
  require('node:fs').writeFileSync(big, Buffer.alloc(2048, 0x41));
  await expect(readRegularFile(big, 1024)).rejects.toMatchObject({ code: 'EFBIG' });
  expect((await readRegularFile(big, 4096)).length).toBe(2048);
});
