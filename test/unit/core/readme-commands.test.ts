/**
 * The README's first screen is what a newcomer and CI both run: the test command there is
 * the one .ci/run runs, word for word, and the demo command names a script that exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
/** The commands of the README's first code block, without their comments. */
const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)![1]!.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);

test('the first screen has the run command, then the test command', () => {
  expect(firstBlock[0]).toBe('scripts/setup.sh && node dist/cli.js --demo');
  expect(firstBlock[1]).toBe('scripts/setup.sh --test && npm test');
  expect(existsSync(path.join(root, 'scripts/setup.sh'))).toBe(true);
});

test('.ci/run runs exactly the README’s test command', () => {
  const commands = readFileSync(path.join(root, '.ci/run'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && l !== 'set -eu' && !l.startsWith('cd '));
  expect(commands).toEqual([firstBlock[1]]);
});
