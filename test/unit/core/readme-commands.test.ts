/**
 * The README's first screen is what a newcomer and CI both run: the test command there is
 * the one .ci/run runs, word for word, and the demo command names a script that exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
/** The lines of the README's first code block, as written. */
const firstBlockLines = /```sh\n([\s\S]*?)```/.exec(readme)![1]!.split('\n').filter((l) => l.trim());
/** The same commands without their comments. */
const firstBlock = firstBlockLines.map((l) => l.replace(/\s+#.*$/, '').trim());

test('the first screen has the run command, then the test command', () => {
  expect(firstBlock[0]).toBe('scripts/setup.sh && node dist/cli.js --demo');
  expect(firstBlock[1]).toBe('scripts/setup.sh --test && npm test');
  expect(existsSync(path.join(root, 'scripts/setup.sh'))).toBe(true);
});

test('.ci/run runs exactly the README’s test command, its line copied as written', () => {
  const commands = readFileSync(path.join(root, '.ci/run'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#') && l !== 'set -eu' && !l.startsWith('cd '));
  expect(commands).toEqual([firstBlockLines[1]]);
  expect(commands[0]!.replace(/\s+#.*$/, '')).toBe('scripts/setup.sh --test && npm test');
});
