// Builds the single binaries named in pkg.config.json, offline.
//
// Each binary is an official Node.js runtime with the CLI bundle embedded as a Node
// Single Executable Application (SEA):
//   1. bundle src/cli.ts into one minified CommonJS file (scripts/build.mjs);
//   2. write the SEA blob with `node --experimental-sea-config`. For a target that
//      matches this machine (a V8 code cache only loads in the same platform,
//      architecture and Node version) the blob holds a small entry script, the bundle
//      and a code cache taken after a training run of the bundle: V8 then neither
//      parses nor compiles the functions a run uses. The others get the bundle alone;
//   3. copy each target's runtime from scripts/runtimes/node_modules (npm packages
//      installed by scripts/setup.sh, never downloaded here), strip the Linux one,
//      and inject the blob with postject, flipping Node's SEA fuse.
// Output: build/<output> per target and build/manifest.json (sizes, SHA-256).
//
//   node scripts/build-binary.mjs                 every target (a binary whose inputs did
//                                                 not change is kept as it is)
//   node scripts/build-binary.mjs linux-x64 ...   only these target ids
//   node scripts/build-binary.mjs --force         rebuild even what is up to date
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const MACHO_SEGMENT = 'NODE_SEA';
const RUNTIMES = path.join(root, 'scripts', 'runtimes');

class BuildError extends Error {}

function readConfig() {
  const config = JSON.parse(readFileSync(path.join(root, 'pkg.config.json'), 'utf8'));
  if (!config.nodeVersion || !Array.isArray(config.targets) || config.targets.length === 0) {
    throw new BuildError('pkg.config.json needs "nodeVersion" and a non-empty "targets" list');
  }
  return config;
}

/** The runtime binary of a target, from the npm package installed under scripts/runtimes. */
function runtimeOf(target, nodeVersion) {
  const pkgDir = path.join(RUNTIMES, 'node_modules', target.runtimePackage);
  const binary = path.join(pkgDir, target.runtimeBinary);
  if (!existsSync(binary)) {
    throw new BuildError(
      `the ${target.id} runtime is not installed (${path.relative(root, binary)}).\n` +
        'Install the runtimes from the npm registry once: scripts/setup.sh --binary (or: npm ci --prefix scripts/runtimes --force --ignore-scripts --no-bin-links)',
    );
  }
  const version = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  if (version !== nodeVersion) {
    throw new BuildError(`${target.runtimePackage} is ${version}, pkg.config.json wants ${nodeVersion}: run npm ci --prefix scripts/runtimes --force`);
  }
  return binary;
}

/** Can this machine's node make a code cache the target will accept? */
function codeCacheFits(target, nodeVersion) {
  return Boolean(target.codeCache) && process.platform === target.platform && process.arch === target.arch && process.version === `v${nodeVersion}`;
}

function run(file, args, what) {
  const r = spawnSync(file, args, { cwd: root, encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new BuildError(`${what} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  }
  return r;
}

// The bundle runs as a function of these, like a CommonJS module; the entry script and
// the training must wrap it identically, or V8 rejects the cache.
const WRAPPER = ['(function (exports, require, module, __filename, __dirname) {', '\n})'];

/** The binary's entry when it carries a trained code cache. */
const SEA_ENTRY = `'use strict';
// Runs the embedded CLI bundle with the V8 code cache taken at build time.
const { getAsset } = require('node:sea');
const { Script } = require('node:vm');
const path = require('node:path');
const script = new Script(${JSON.stringify(WRAPPER[0])} + getAsset('cli.js', 'utf8') + ${JSON.stringify(WRAPPER[1])}, {
  filename: path.join(path.dirname(process.execPath), 'vpn-preflight.js'),
  cachedData: Buffer.from(getAsset('cli.cache')),
});
const cli = { exports: {} };
script.runInThisContext()(cli.exports, require, cli, process.execPath, path.dirname(process.execPath));
cli.exports.start();
`;

/**
 * Runs the bundle in this machine's node the way users do — --version, --help, and a
 * diagnosis in text and JSON of a gateway that refuses the connection (nothing leaves
 * the machine), reading the system CA bundle as --ca-file so certificate parsing is
 * exercised — then saves V8's code cache, which now holds every function those runs
 * compiled.
 */
const TRAINING = `'use strict';
const vm = require('node:vm');
const fs = require('node:fs');
const [bundleFile, cacheFile, caFile] = process.argv.slice(2);
const script = new vm.Script(${JSON.stringify(WRAPPER[0])} + fs.readFileSync(bundleFile, 'utf8') + ${JSON.stringify(WRAPPER[1])}, { filename: 'vpn-preflight.js' });
const cli = { exports: {} };
script.runInThisContext()(cli.exports, require, cli, bundleFile, __dirname);
const sink = { write: () => true, isTTY: false };
const run = (argv) => cli.exports.main(argv, { stdout: sink, stderr: sink, env: {}, platform: process.platform });
(async () => {
  await run(['--version']);
  await run(['--help']);
  const ca = caFile ? ['--ca-file', caFile] : [];
  for (const format of ['text', 'json']) {
    await run(['127.0.0.1:9', '--ntp-server', '127.0.0.1:9', '--format', format, '--no-report', '--timeout', '3', ...ca]);
  }
  fs.writeFileSync(cacheFile, script.createCachedData());
  process.exit(0);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
`;

const SYSTEM_CA_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

function trainedCodeCache(workDir, bundleFile) {
  const trainFile = path.join(workDir, 'train.cjs');
  const cacheFile = path.join(workDir, 'cli.cache');
  writeFileSync(trainFile, TRAINING);
  const ca = SYSTEM_CA_BUNDLES.find((f) => existsSync(f));
  const r = spawnSync(process.execPath, [trainFile, bundleFile, cacheFile, ...(ca ? [ca] : [])], { cwd: workDir, encoding: 'utf8', env: {}, timeout: 60_000 });
  if (r.error || r.status !== 0) throw new BuildError(`the training run for the code cache failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout}${r.stderr}`);
  return cacheFile;
}

function writeBlob(workDir, bundleFile, withCodeCache) {
  const output = path.join(workDir, withCodeCache ? 'sea-prep.trained.blob' : 'sea-prep.blob');
  const configFile = path.join(workDir, withCodeCache ? 'sea-config.trained.json' : 'sea-config.json');
  let config;
  if (withCodeCache) {
    const entry = path.join(workDir, 'sea-entry.cjs');
    writeFileSync(entry, SEA_ENTRY);
    const assets = { 'cli.js': bundleFile, 'cli.cache': trainedCodeCache(workDir, bundleFile) };
    config = { main: entry, output, disableExperimentalSEAWarning: true, useCodeCache: true, assets };
  } else {
    config = { main: bundleFile, output, disableExperimentalSEAWarning: true, useCodeCache: false };
  }
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  run(process.execPath, ['--experimental-sea-config', configFile], 'writing the SEA blob');
  return output;
}

/** Removes symbols from a Linux runtime when binutils' strip is there (≈ 95 → 84 MiB). */
function stripElf(file) {
  const r = spawnSync('strip', ['--strip-all', file], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return `not stripped (${r.error?.code ?? r.stderr.trim()})`;
  return 'stripped';
}

async function inject(file, blob, target) {
  const { inject: postject } = require('postject');
  // postject's LIEF warns about every ELF note it cannot name; show that only on failure.
  const warnings = [];
  const warn = console.warn;
  console.warn = (...args) => warnings.push(args.join(' '));
  try {
    await postject(file, 'NODE_SEA_BLOB', readFileSync(blob), {
      sentinelFuse: SEA_FUSE,
      ...(target.platform === 'darwin' ? { machoSegmentName: MACHO_SEGMENT } : {}),
    });
  } catch (err) {
    throw new BuildError(`postject could not inject into ${path.basename(file)}: ${err?.message ?? err}\n${warnings.join('\n')}`);
  } finally {
    console.warn = warn;
  }
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function mib(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** What a binary is made of: when none of it changed, the binary on disk is still right. */
function inputsKey(bundleFile, target, runtime, useCodeCache) {
  const h = createHash('sha256');
  h.update(readFileSync(bundleFile));
  h.update(readFileSync(fileURLToPath(import.meta.url)));
  h.update(JSON.stringify({ target, useCodeCache, node: process.version, runtime: statSync(runtime).size, runtimeMtime: statSync(runtime).mtimeMs }));
  return h.digest('hex');
}

function previousManifest(outDir) {
  try {
    return JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8'));
  } catch {
    return null;
  }
}

export async function buildBinaries({ only = [], force = false, log = (s) => console.log(s) } = {}) {
  const t0 = performance.now();
  const config = readConfig();
  const targets = only.length ? config.targets.filter((t) => only.includes(t.id)) : config.targets;
  const unknown = only.filter((id) => !config.targets.some((t) => t.id === id));
  if (unknown.length) throw new BuildError(`unknown target(s) ${unknown.join(', ')}; pkg.config.json has ${config.targets.map((t) => t.id).join(', ')}`);
  const runtimes = new Map(targets.map((t) => [t.id, runtimeOf(t, config.nodeVersion)]));

  const outDir = path.join(root, config.outputDir ?? 'build');
  const previous = force ? null : previousManifest(outDir);
  const workDir = path.join(outDir, '.sea');
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });

  // Minified: less for V8 to read at every start. Without a shebang: the trained entry
  // compiles it as a function body.
  const main = await bundle({ outfile: path.join(workDir, 'cli.js'), minify: true, shebang: false });
  log(`bundle: ${path.relative(root, main)} (${(statSync(main).size / 1024).toFixed(0)} KiB)`);

  const blobs = new Map();
  const blobFor = (useCodeCache) => {
    if (!blobs.has(useCodeCache)) blobs.set(useCodeCache, writeBlob(workDir, main, useCodeCache));
    return blobs.get(useCodeCache);
  };

  const manifest = { name: config.name, version: packageVersion(), nodeVersion: config.nodeVersion, builtAt: new Date().toISOString(), targets: [] };
  for (const target of targets) {
    const t = performance.now();
    const useCodeCache = codeCacheFits(target, config.nodeVersion);
    const file = path.join(outDir, target.output);
    const key = inputsKey(main, target, runtimes.get(target.id), useCodeCache);
    const before = previous?.targets?.find((p) => p.id === target.id);
    if (before?.inputsKey === key && existsSync(file) && statSync(file).size === before.bytes && sha256(file) === before.sha256) {
      manifest.targets.push(before);
      log(`${target.id}: ${path.relative(root, file)}  ${mib(before.bytes)}  up to date`);
      continue;
    }
    const blob = blobFor(useCodeCache);
    rmSync(file, { force: true });
    copyFileSync(runtimes.get(target.id), file);
    chmodSync(file, 0o755);
    const stripped = target.platform === 'linux' ? stripElf(file) : 'not stripped (only ELF runtimes are)';
    await inject(file, blob, target);
    const size = statSync(file).size;
    manifest.targets.push({ id: target.id, file: target.output, bytes: size, sha256: sha256(file), codeCache: useCodeCache, stripped: stripped === 'stripped', inputsKey: key });
    log(`${target.id}: ${path.relative(root, file)}  ${mib(size)}  ${stripped}, code cache ${useCodeCache ? 'on' : 'off'}  (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
  rmSync(workDir, { recursive: true, force: true });

  // The binary for this machine must answer, from elsewhere, with the package's version.
  const native = targets.find((t) => t.platform === process.platform && t.arch === process.arch);
  if (native) {
    const file = path.join(outDir, native.output);
    const r = spawnSync(file, ['--version'], { cwd: outDir, encoding: 'utf8', env: { PATH: '/nonexistent' }, timeout: 30_000 });
    if (r.status !== 0 || r.stdout.trim() !== manifest.version) {
      throw new BuildError(`${native.output} --version answered ${JSON.stringify(r.stdout?.trim())} (exit ${r.status}${r.error ? `, ${r.error.message}` : ''}), expected ${manifest.version}\n${r.stderr ?? ''}`);
    }
    log(`${native.id}: --version → ${r.stdout.trim()}`);
  }
  writeFileSync(path.join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  log(`built ${targets.length} binar${targets.length === 1 ? 'y' : 'ies'} in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${path.relative(root, outDir)}/manifest.json`);
  return manifest;
}

function packageVersion() {
  return JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const args = process.argv.slice(2);
    await buildBinaries({ only: args.filter((a) => a !== '--force'), force: args.includes('--force') });
  } catch (err) {
    console.error(`build:binary: ${err instanceof BuildError ? err.message : (err?.stack ?? err)}`);
    process.exit(1);
  }
}
