// The long fuzz run (npm run fuzz): every target of test/fuzz/targets.ts for many inputs
// (100,000 each by default), two at a time in worker threads. Prints, per target, how many
// inputs ran and how long it took; a failure prints fast-check's report (seed, path and the
// shrunk input) and a command that reproduces it. A worker that stops making progress
// (a parser that hangs) is ended and reported with the input it was given.
//
//   npm run fuzz                                   all targets, 100,000 inputs each, a new seed
//   npm run fuzz -- --runs 5000 --target pem,ocsp  fewer inputs, some targets
//   npm run fuzz -- --seed 1234 --target crl       reproduce a run
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

if (!isMainThread) {
  process.env.VPF_FUZZ_ROOT = workerData.root;
  const m = require(workerData.bundle);
  const progress = new Int32Array(workerData.progress);
  m.runTarget(workerData.name, workerData.seed, workerData.runs, progress).then(
    (r) => parentPort.postMessage({ kind: 'done', ...r }),
    (err) => parentPort.postMessage({ kind: 'done', failed: true, report: String(err?.stack ?? err), numRuns: Atomics.load(progress, 0) }),
  );
} else {
  await main();
}

function option(args, name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
}

async function main() {
  const args = process.argv.slice(2);
  const runs = Number(option(args, 'runs', '100000'));
  const seed = Number(option(args, 'seed', String((Date.now() ^ (Math.random() * 0x7fffffff)) | 0)));
  const jobs = Number(option(args, 'jobs', String(Math.max(1, Math.min(2, availableParallelism())))));
  const stallMs = Number(option(args, 'stall-seconds', '60')) * 1000;

  const outDir = path.join(root, 'node_modules', '.cache', 'vpn-preflight-fuzz');
  mkdirSync(outDir, { recursive: true });
  const bundle = path.join(outDir, 'long-run.cjs');
  await build({
    entryPoints: [path.join(root, 'test/fuzz/long-run.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  process.env.VPF_FUZZ_ROOT = root;
  const m = require(bundle);
  const wanted = option(args, 'target', null);
  const names = wanted ? wanted.split(',') : [...m.TARGET_NAMES];
  for (const n of names) if (!m.TARGET_NAMES.includes(n)) throw new Error(`no fuzz target ${n} (there are: ${m.TARGET_NAMES.join(', ')})`);

  console.log(`fuzzing ${names.length} target(s), ${runs} inputs each, seed ${seed}, ${jobs} at a time`);
  const results = [];
  const queue = [...names];
  const t0 = performance.now();
  await Promise.all(Array.from({ length: jobs }, async () => {
    for (let name = queue.shift(); name; name = queue.shift()) results.push(await runOne(m, bundle, name, seed, runs, stallMs));
  }));

  const order = new Map(names.map((n, i) => [n, i]));
  results.sort((a, b) => order.get(a.name) - order.get(b.name));
  console.log('\ntarget                 inputs        time    inputs/s  result');
  for (const r of results) {
    console.log(`${r.name.padEnd(20)} ${String(r.inputs).padStart(8)} ${`${(r.ms / 1000).toFixed(1)} s`.padStart(11)} ${String(Math.round(r.inputs / (r.ms / 1000))).padStart(11)}  ${r.status}`);
  }
  console.log(`total: ${results.reduce((n, r) => n + r.inputs, 0)} inputs in ${((performance.now() - t0) / 1000).toFixed(1)} s (seed ${seed})`);
  const failed = results.filter((r) => r.status !== 'ok');
  for (const r of failed) {
    console.log(`\n=== ${r.name}: ${r.status}\n${r.report}\nreproduce: npm run fuzz -- --target ${r.name} --seed ${seed} --runs ${runs}`);
  }
  process.exit(failed.length ? 1 : 0);
}

function runOne(m, bundle, name, seed, runs, stallMs) {
  return new Promise((resolve) => {
    const sab = new SharedArrayBuffer(4);
    const progress = new Int32Array(sab);
    const start = performance.now();
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { root, bundle, name, seed, runs, progress: sab } });
    let last = 0;
    let lastChange = performance.now();
    const finish = (r) => {
      clearInterval(watch);
      const ms = performance.now() - start;
      console.log(`  ${name}: ${r.inputs} inputs in ${(ms / 1000).toFixed(1)} s — ${r.status}`);
      resolve({ name, ms, ...r });
    };
    const watch = setInterval(() => {
      const now = Atomics.load(progress, 0);
      if (now !== last) {
        last = now;
        lastChange = performance.now();
        return;
      }
      if (performance.now() - lastChange > stallMs) {
        void worker.terminate();
        let input = '(could not be regenerated)';
        try {
          input = m.inputAt(name, seed, now - 1);
        } catch {
          // the report below still names the seed and the input number
        }
        finish({ inputs: now, status: 'STALLED', report: `no progress for ${stallMs / 1000} s at input #${now} (seed ${seed}); probably this input:\n${input}` });
      }
    }, 1000);
    worker.on('message', (msg) => {
      if (msg.kind !== 'done') return;
      void worker.terminate();
      finish({ inputs: Atomics.load(progress, 0), status: msg.failed ? 'FAILED' : 'ok', report: msg.report });
    });
    worker.on('error', (err) => finish({ inputs: Atomics.load(progress, 0), status: 'FAILED', report: String(err?.stack ?? err) }));
  });
}
