import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** Builds dist/cli.js once before the suites: end-to-end tests run the real CLI. */
export default function globalSetup(): void {
  const root = path.resolve(__dirname, '../..');
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
}
