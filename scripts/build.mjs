// Bundles the CLI into one CommonJS file, dist/cli.js: what `npx vpn-preflight`
// runs and what the single binary embeds.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function bundle({ outfile = path.join(root, 'dist/cli.js'), minify = false, shebang = true } = {}) {
  await build({
    entryPoints: [path.join(root, 'src/cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    ...(shebang ? { banner: { js: '#!/usr/bin/env node' } } : {}),
    sourcemap: false,
    minify,
    legalComments: 'none',
    // jsonc-parser's "main" is a UMD wrapper whose inner requires a bundler cannot follow.
    alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
    logLevel: 'warning',
  });
  chmodSync(outfile, 0o755);
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await bundle();
  console.log(`built ${path.relative(root, out)}`);
}
