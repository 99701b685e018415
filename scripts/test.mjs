// The test command (npm test): type-check, lint, build the single binaries (test/binary
// smoke-tests those very files; an unchanged binary is not rebuilt), then every jest suite.
import { spawnSync } from 'node:child_process';

const steps = [
  ['type-check', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['lint', 'npx', ['eslint', '--config', 'scripts/eslint.config.mjs', '--max-warnings', '0', '.']],
  ['binaries', process.execPath, ['scripts/build-binary.mjs']],
  ['tests', 'npx', ['jest', '--ci', ...process.argv.slice(2)]],
];

for (const [name, cmd, args] of steps) {
  const t0 = Date.now();
  process.stdout.write(`\n== ${name}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  process.stdout.write(`== ${name}: ${r.status === 0 ? 'ok' : `FAILED (${r.status ?? r.signal})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  if (r.status !== 0) process.exit(r.status ?? 1);
}
