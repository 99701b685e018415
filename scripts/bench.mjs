// npm run bench: how fast the single binary diagnoses a gateway, measured against
// loopback peers this script starts itself (nothing leaves the machine).
//
//   full run     the Linux binary against a healthy gateway (TLS 1.2 + 1.3, a chain
//                to a root given with --ca-file), DNS, NTP and OCSP peers; median of
//                --runs warm runs, peak RSS, binary size
//   start-up     the binary's --version beside `node -e 0`
//   others       sslscan and testssl.sh --fast against the same gateway, when installed
//   latency      every peer behind a delaying proxy (TCP and UDP, --rtt/2 each way),
//                interleaved with the same run through the proxies without delay: how
//                much longer the diagnosis (the report's durationMs, start-up excluded)
//                takes, in round trips — the waits serialized on the critical path
//   silent       gateway, DNS, NTP and OCSP silent: the report must be out by
//                --timeout + 0.5 s
//
// Options: --runs N (10)  --rtt MS (50)  --silent-timeout S (5)  --no-others
//          --sslscan-runs N (5)  --testssl-runs N (1)  --json FILE (write the figures)
//          --serve S: only start the peers (proxies delayed by --rtt), print the
//          arguments that reach them, and keep them up S seconds (to profile a run)
import { spawn, spawnSync } from 'node:child_process';
import * as dgram from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const dnsPacket = require('dns-packet');

// ---------------------------------------------------------------- options
function options(argv) {
  const o = { runs: 10, rtt: 50, silentTimeout: 5, others: true, sslscanRuns: 5, testsslRuns: 1, json: null, serveSeconds: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a number`);
      return v;
    };
    if (a === '--runs') o.runs = Math.max(1, Math.round(num()));
    else if (a === '--rtt') o.rtt = num();
    else if (a === '--silent-timeout') o.silentTimeout = num();
    else if (a === '--no-others') o.others = false;
    else if (a === '--sslscan-runs') o.sslscanRuns = Math.round(num());
    else if (a === '--testssl-runs') o.testsslRuns = Math.round(num());
    else if (a === '--json') o.json = argv[++i];
    else if (a === '--serve') o.serveSeconds = num();
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

// ---------------------------------------------------------------- small helpers
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => `${Math.round(x)} ms`;
const mib = (b) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** Runs a command to completion (asynchronously: the peers live in this process). */
function timed(file, args, { timeoutMs = 600_000, cwd = os.tmpdir(), env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(file, args, { cwd, env: { PATH: '/usr/bin:/bin', HOME: os.tmpdir(), LANG: 'C.UTF-8', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - start });
    });
  });
}

function openssl(args, cwd) {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

function listen(server, port = 0) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server.address().port));
  });
}

async function freePort() {
  const s = net.createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}

// ---------------------------------------------------------------- the PKI
/** A root, an intermediate and a leaf for localhost whose AIA names the OCSP URL. */
function makePki(dir, ocspUrl) {
  const days = ['-days', '365'];
  writeFileSync(
    path.join(dir, 'ext.cnf'),
    [
      '[int]',
      'basicConstraints = critical, CA:TRUE, pathlen:0',
      'keyUsage = critical, keyCertSign, cRLSign',
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid',
      '[leaf]',
      'basicConstraints = critical, CA:FALSE',
      'keyUsage = critical, digitalSignature, keyEncipherment',
      'extendedKeyUsage = serverAuth',
      'subjectAltName = DNS:localhost, IP:127.0.0.1',
      `authorityInfoAccess = OCSP;URI:${ocspUrl}`,
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid',
      '',
    ].join('\n'),
  );
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-subj', '/O=vpn-preflight bench/CN=Bench Root CA', ...days,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'int.key', '-out', 'int.csr', '-subj', '/O=vpn-preflight bench/CN=Bench Intermediate CA'], dir);
  openssl(['x509', '-req', '-in', 'int.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-set_serial', '0x1001', '-out', 'int.pem', ...days, '-extfile', 'ext.cnf', '-extensions', 'int'], dir);
  openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/O=vpn-preflight bench/CN=localhost'], dir);
  openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'int.pem', '-CAkey', 'int.key', '-set_serial', '0x2002', '-out', 'leaf.pem', ...days, '-extfile', 'ext.cnf', '-extensions', 'leaf'], dir);
  // The OCSP responder's database: the leaf, valid (openssl ca's index.txt format).
  const enddate = openssl(['x509', '-in', 'leaf.pem', '-noout', '-enddate'], dir).trim().replace('notAfter=', '');
  const d = new Date(enddate);
  const pad = (n) => String(n).padStart(2, '0');
  const asn1Time = `${pad(d.getUTCFullYear() % 100)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
  writeFileSync(path.join(dir, 'index.txt'), `V\t${asn1Time}\t\t2002\tunknown\t/O=vpn-preflight bench/CN=localhost\n`);
  writeFileSync(path.join(dir, 'index.txt.attr'), 'unique_subject = no\n');
  const read = (f) => readFileSync(path.join(dir, f), 'utf8');
  return { rootFile: path.join(dir, 'root.pem'), leafKey: read('leaf.key'), chain: read('leaf.pem') + read('int.pem') };
}

// ---------------------------------------------------------------- the peers
const closers = [];

/** The gateway: TLS 1.2 and 1.3, the chain leaf + intermediate, HTTP after the handshake. */
async function startGateway(pki) {
  const sockets = new Set();
  const httpServer = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/xml' }).end('<?xml version="1.0" encoding="UTF-8"?>\n<config-auth client="vpn" type="auth-request"></config-auth>\n');
  });
  const server = tls.createServer({ key: pki.leafKey, cert: pki.chain, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s) => {
    s.on('error', () => undefined);
    httpServer.emit('connection', s);
  });
  server.on('tlsClientError', () => undefined);
  const port = await listen(server);
  closers.push(() => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }));
  return port;
}

/** A TCP server that accepts and never says a word. */
async function startSilentTcp() {
  const sockets = new Set();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  const port = await listen(server);
  closers.push(() => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }));
  return port;
}

async function udpSocket(onMessage) {
  const sock = dgram.createSocket('udp4');
  if (onMessage) sock.on('message', (msg, rinfo) => onMessage(sock, msg, rinfo));
  await new Promise((r) => sock.bind(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => sock.close(() => r())));
  return sock;
}

/** NTP (RFC 5905) with this machine's clock: a truthful time server. */
async function startNtp() {
  const ntpTime = (t) => {
    const b = Buffer.alloc(8);
    b.writeUInt32BE((Math.floor(t / 1000) + 2_208_988_800) >>> 0, 0);
    b.writeUInt32BE(Math.floor(((t % 1000) / 1000) * 2 ** 32) >>> 0, 4);
    return b;
  };
  const sock = await udpSocket((s, msg, rinfo) => {
    if (msg.length < 48) return;
    const now = Date.now();
    const reply = Buffer.alloc(48);
    reply[0] = (4 << 3) | 4;
    reply[1] = 2;
    reply[2] = 4;
    reply[3] = 0xec;
    Buffer.from('GPS\0', 'latin1').copy(reply, 12);
    ntpTime(now - 10_000).copy(reply, 16);
    msg.copy(reply, 24, 40, 48);
    ntpTime(now).copy(reply, 32);
    ntpTime(now).copy(reply, 40);
    s.send(reply, rinfo.port, rinfo.address);
  });
  return sock.address().port;
}

/** DNS: every name is 127.0.0.1 (A), with no AAAA. */
async function startDns() {
  const sock = await udpSocket((s, msg, rinfo) => {
    let q;
    try {
      q = dnsPacket.decode(msg);
    } catch {
      return;
    }
    const question = q.questions?.[0];
    if (!question) return;
    const answers = question.type === 'A' ? [{ type: 'A', name: question.name, ttl: 60, data: '127.0.0.1' }] : [];
    s.send(dnsPacket.encode({ type: 'response', id: q.id, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE, questions: q.questions, answers }), rinfo.port, rinfo.address);
  });
  return sock.address().port;
}

/** Is something listening on this TCP port (any address)? Read from /proc: a test
 * connection would leave `openssl ocsp` spinning on a request that never comes. */
function listening(port) {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].some((file) => {
    try {
      return readFileSync(file, 'utf8').split('\n').some((l) => {
        const f = l.trim().split(/\s+/);
        return f[1]?.endsWith(`:${hexPort}`) && f[3] === '0A';
      });
    } catch {
      return false;
    }
  });
}

/** openssl's OCSP responder for the intermediate's certificates. */
async function startOcsp(dir, port) {
  const child = spawn('openssl', ['ocsp', '-index', 'index.txt', '-port', String(port), '-rsigner', 'int.pem', '-rkey', 'int.key', '-CA', 'int.pem', '-ignore_err', '-timeout', '3'], { cwd: dir, stdio: 'ignore' });
  closers.push(() => new Promise((r) => { child.once('exit', () => r()); child.kill(); }));
  // Ready when it listens (bounded: 5 s).
  const until = Date.now() + 5000;
  while (Date.now() < until) {
    if (listening(port)) return port;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('openssl ocsp did not start listening within 5 s');
}

// ---------------------------------------------------------------- the delaying proxies
/** Delivers chunks in order, each no earlier than its own time. */
class DelayLine {
  constructor(deliver) {
    this.deliver = deliver;
    this.queue = [];
    this.timer = null;
  }
  push(at, item) {
    this.queue.push({ at, item });
    this.pump();
  }
  pump() {
    if (this.timer) return;
    const now = performance.now();
    while (this.queue.length && this.queue[0].at <= now) this.deliver(this.queue.shift().item);
    if (this.queue.length) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.pump();
      }, Math.max(1, this.queue[0].at - now));
    }
  }
}

/**
 * A TCP proxy that adds `delay` ms each way. The proxy accepts a connection at once,
 * so it also holds the client's first bytes until a TCP handshake's round trip has
 * passed: what the client sends arrives when it would over a real link.
 */
async function startTcpProxy(settings) {
  const sockets = new Set();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (settings.silent) return;
    const d = settings.delay;
    const openedAt = performance.now();
    const upstream = net.connect(settings.target(), '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    const toServer = new DelayLine((c) => (c === null ? upstream.end() : upstream.write(c)));
    const toClient = new DelayLine((c) => (c === null ? client.end() : client.write(c)));
    client.on('data', (c) => toServer.push(Math.max(performance.now() + d, openedAt + 3 * d), c));
    client.on('end', () => toServer.push(Math.max(performance.now() + d, openedAt + 3 * d), null));
    upstream.on('data', (c) => toClient.push(performance.now() + d, c));
    upstream.on('end', () => toClient.push(performance.now() + d, null));
    client.on('close', () => setTimeout(() => upstream.destroy(), d + 5));
    upstream.on('close', () => setTimeout(() => client.destroy(), d + 5));
  });
  const port = await listen(server);
  closers.push(() => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }));
  return port;
}

/** A UDP proxy that adds `delay` ms each way (one upstream socket per client). */
async function startUdpProxy(settings) {
  const backs = new Map();
  const front = await udpSocket((front, msg, rinfo) => {
    if (settings.silent) return;
    const key = `${rinfo.address}:${rinfo.port}`;
    let back = backs.get(key);
    if (!back) {
      back = dgram.createSocket('udp4');
      back.bind(0, '127.0.0.1');
      const toClient = new DelayLine((m) => front.send(m, rinfo.port, rinfo.address));
      back.on('message', (m) => toClient.push(performance.now() + settings.delay, m));
      back.line = new DelayLine((m) => back.send(m, settings.target(), '127.0.0.1'));
      backs.set(key, back);
    }
    back.line.push(performance.now() + settings.delay, msg);
  });
  closers.push(() => { for (const b of backs.values()) b.close(); });
  return front.address().port;
}

// ---------------------------------------------------------------- measuring the binary
function binaryPath() {
  const config = JSON.parse(readFileSync(path.join(root, 'pkg.config.json'), 'utf8'));
  const target = config.targets.find((t) => t.platform === process.platform && t.arch === process.arch);
  if (!target) throw new Error(`pkg.config.json has no target for ${process.platform}-${process.arch}`);
  const file = path.join(root, config.outputDir ?? 'build', target.output);
  if (!existsSync(file)) {
    console.log(`${path.relative(root, file)} is missing: building it (npm run build:binary ${target.id})`);
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-binary.mjs'), target.id], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('building the binary failed');
  }
  return file;
}

async function runBinary(binary, args, cwd) {
  const r = await timed(binary, args, { cwd, timeoutMs: 120_000 });
  let report = null;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    // reported below with what the binary said
  }
  return { ...r, report };
}

/** Peak RSS of one run, from GNU time (Debian package `time`), in bytes; null without it. */
async function peakRss(binary, args, cwd) {
  if (!existsSync('/usr/bin/time')) return null;
  const out = path.join(cwd, 'rss.txt');
  await timed('/usr/bin/time', ['-f', '%M', '-o', out, binary, ...args], { cwd, timeoutMs: 120_000 });
  return Number(readFileSync(out, 'utf8').trim().split('\n').pop()) * 1024;
}

function describe(run) {
  if (!run.report) return `no JSON report (exit ${run.code}): ${(run.stderr || run.stdout).slice(0, 300)}`;
  const notPass = run.report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}=${c.status}`);
  return `verdict ${run.report.verdict}, exit ${run.code}${notPass.length ? ` (${notPass.join(', ')})` : ''}`;
}

async function series(label, n, fn) {
  const times = [];
  const inner = [];
  let last = null;
  for (let i = 0; i < n; i++) {
    last = await fn();
    times.push(last.ms);
    if (last.report?.durationMs !== undefined) inner.push(last.report.durationMs);
  }
  console.log(`  ${label.padEnd(34)} median ${ms(median(times)).padStart(8)}   min ${ms(Math.min(...times)).padStart(8)}   max ${ms(Math.max(...times)).padStart(8)}   (n=${n})`);
  return { median: median(times), min: Math.min(...times), max: Math.max(...times), n, last, inner };
}

// ---------------------------------------------------------------- main
async function main() {
  const o = options(process.argv.slice(2));
  const binary = binaryPath();
  const work = mkdtempSync(path.join(os.tmpdir(), 'vpf-bench-'));
  const results = { machine: machine(), binary: { file: path.relative(root, binary), bytes: statSync(binary).size }, options: o };
  console.log(`vpn-preflight bench — ${results.machine.cpu} × ${results.machine.cores}, ${results.machine.os}, Node ${process.version}`);
  console.log(`binary ${results.binary.file}: ${mib(results.binary.bytes)}`);

  // Peers: real servers, each also reachable through a delaying proxy.
  const gatewayProxy = { delay: 0, silent: false, target: () => gatewayPort };
  const dnsProxy = { delay: 0, silent: false, target: () => dnsPort };
  const ntpProxy = { delay: 0, silent: false, target: () => ntpPort };
  const ocspProxy = { delay: 0, silent: false, target: () => ocspPort };
  const ocspProxyPort = await startTcpProxy(ocspProxy);
  const pki = makePki(work, `http://127.0.0.1:${ocspProxyPort}/`);
  const gatewayPort = await startGateway(pki);
  const dnsPort = await startDns();
  const ntpPort = await startNtp();
  const ocspPort = await startOcsp(work, await freePort());
  const silentGatewayPort = await startSilentTcp();
  const via = {
    gateway: await startTcpProxy(gatewayProxy),
    dns: await startUdpProxy(dnsProxy),
    ntp: await startUdpProxy(ntpProxy),
  };
  const proxies = [gatewayProxy, dnsProxy, ntpProxy, ocspProxy];
  const setProxies = (delay, silent = false) => proxies.forEach((p) => Object.assign(p, { delay, silent }));
  const common = ['--ca-file', pki.rootFile, '--json', '--no-report'];
  const directArgs = [`localhost:${gatewayPort}`, '--dns-server', `127.0.0.1:${dnsPort}`, '--ntp-server', `127.0.0.1:${ntpPort}`, ...common, '--timeout', '15'];
  const proxiedArgs = [`localhost:${via.gateway}`, '--dns-server', `127.0.0.1:${via.dns}`, '--ntp-server', `127.0.0.1:${via.ntp}`, ...common, '--timeout', '15'];
  if (o.serveSeconds) {
    setProxies(o.rtt / 2);
    console.log(`direct:  ${directArgs.join(' ')}\nproxied: ${proxiedArgs.join(' ')}\nserving for ${o.serveSeconds} s`);
    await new Promise((r) => setTimeout(r, o.serveSeconds * 1000));
    return;
  }

  // 1. The full run, warm, interleaved with sslscan so both see the same machine load.
  console.log('\nfull run (healthy gateway, DNS, NTP and OCSP on loopback), interleaved with sslscan:');
  const warm = await runBinary(binary, directArgs, work);
  await runBinary(binary, directArgs, work);
  console.log(`  warm-up: ${describe(warm)}`);
  const sslscan = o.others && o.sslscanRuns > 0 && has('sslscan');
  const ours = [];
  const theirs = [];
  let last = warm;
  for (let i = 0; i < o.runs; i++) {
    last = await runBinary(binary, directArgs, work);
    ours.push(last.ms);
    if (sslscan && i % Math.max(1, Math.floor(o.runs / o.sslscanRuns)) === 0 && theirs.length < o.sslscanRuns) {
      theirs.push((await timed('sslscan', ['--no-colour', `127.0.0.1:${gatewayPort}`])).ms);
    }
  }
  const line = (label, xs) => console.log(`  ${label.padEnd(34)} median ${ms(median(xs)).padStart(8)}   min ${ms(Math.min(...xs)).padStart(8)}   max ${ms(Math.max(...xs)).padStart(8)}   (n=${xs.length})`);
  line('vpn-preflight (binary)', ours);
  if (theirs.length) line('sslscan', theirs);
  else console.log(`  sslscan: ${o.others ? 'not installed (Debian package sslscan)' : 'skipped'}`);
  const full = { median: median(ours), min: Math.min(...ours), max: Math.max(...ours), n: ours.length, last };
  const rssRuns = [];
  for (let i = 0; i < 3; i++) rssRuns.push(await peakRss(binary, directArgs, work));
  const rss = rssRuns.every((x) => x === null) ? null : Math.max(...rssRuns.filter((x) => x !== null));
  console.log(`  peak RSS (max of 3)                ${rss === null ? 'n/a (install Debian package time)' : mib(rss)}`);
  results.fullRun = { medianMs: full.median, minMs: full.min, maxMs: full.max, runs: full.n, peakRssBytes: rss, verdict: last.report?.verdict ?? null, trail: last.report?.trail ?? null };
  results.others = {};
  if (theirs.length) results.others.sslscan = { medianMs: median(theirs), runs: theirs.length };

  // 2. Start-up: --version beside a bare node.
  console.log('\nstart-up (interleaved):');
  const startupRuns = Math.max(o.runs, 20);
  const nodeTimes = [];
  const versionTimes = [];
  for (let i = 0; i < startupRuns; i++) {
    nodeTimes.push((await timed(process.execPath, ['-e', '0'])).ms);
    versionTimes.push((await timed(binary, ['--version'])).ms);
  }
  const helpTimes = [];
  for (let i = 0; i < Math.ceil(startupRuns / 2); i++) helpTimes.push((await timed(binary, ['--help'])).ms);
  line('node -e 0', nodeTimes);
  line('vpn-preflight --version', versionTimes);
  line('vpn-preflight --help', helpTimes);
  results.startup = { nodeMs: median(nodeTimes), versionMs: median(versionTimes), helpMs: median(helpTimes), runs: startupRuns };

  // 3. testssl.sh, against the same gateway.
  if (o.others) {
    const testssl = ['testssl', 'testssl.sh'].find(has);
    if (testssl && o.testsslRuns > 0) {
      console.log('\ntestssl.sh against the same gateway:');
      const t = await series(`${testssl} --fast`, o.testsslRuns, () =>
        timed(testssl, ['--fast', '--nodns', 'none', '--color', '0', '--warnings', 'off', '--quiet', `127.0.0.1:${gatewayPort}`], { timeoutMs: 900_000 }),
      );
      results.others.testssl = { medianMs: t.median, runs: t.n, exit: t.last.code };
      // The same minute's load for the comparison: our run again, right after.
      const again = [];
      for (let i = 0; i < 5; i++) again.push((await runBinary(binary, directArgs, work)).ms);
      line('vpn-preflight, right after', again);
      results.others.testssl.oursAfterMs = median(again);
    } else console.log('\ntestssl.sh: not installed (Debian package testssl.sh)');
  }

  // 4. Latency: every peer behind the proxies.
  console.log(`\nlatency (every peer behind a proxy adding ${o.rtt / 2} ms each way, RTT ${o.rtt} ms):`);
  const latRuns = Math.max(7, o.runs);
  setProxies(0);
  await runBinary(binary, proxiedArgs, work);
  // Interleaved, so both see the same machine load.
  const base = { wall: [], inner: [], last: null };
  const lat = { wall: [], inner: [], last: null };
  for (let i = 0; i < latRuns; i++) {
    for (const [delay, acc] of [[0, base], [o.rtt / 2, lat]]) {
      setProxies(delay);
      const r = await runBinary(binary, proxiedArgs, work);
      acc.wall.push(r.ms);
      acc.inner.push(r.report?.durationMs ?? NaN);
      acc.last = r;
    }
  }
  base.median = median(base.wall);
  lat.median = median(lat.wall);
  line('through the proxies, no delay', base.wall);
  line(`through the proxies, RTT ${o.rtt} ms`, lat.wall);
  console.log(`  last run: ${describe(lat.last)}`);
  // The report's durationMs is the diagnosis itself, without the process start-up:
  // its growth under delay is the time spent waiting on the network, serially.
  const baseInner = median(base.inner);
  const latInner = median(lat.inner);
  const roundTrips = (latInner - baseInner) / o.rtt;
  const wallTrips = (lat.median - base.median) / o.rtt;
  console.log(`  diagnosis (report durationMs): ${ms(baseInner)} undelayed → ${ms(latInner)} at RTT ${o.rtt} ms (${(latInner / o.rtt).toFixed(1)} RTT in all)`);
  console.log(`  waiting on the network, serially: ${ms(latInner - baseInner)} = ${roundTrips.toFixed(1)} round trips beyond start-up`);
  console.log(`  whole process (wall): ${ms(base.median)} → ${ms(lat.median)}: ${wallTrips.toFixed(1)} round trips`);
  results.latency = { rttMs: o.rtt, baseDiagnosisMs: baseInner, diagnosisMs: latInner, baseWallMs: base.median, wallMs: lat.median, roundTrips, wallRoundTrips: wallTrips, trail: lat.last.report?.trail ?? null };
  if (lat.last.report?.trail) console.log(lat.last.report.trail.map((l) => `    ${l}`).join('\n'));

  // 5. Silence: nothing answers (DNS, NTP, gateway, OCSP), then everything but the gateway.
  console.log(`\nsilent peers (--timeout ${o.silentTimeout}: the report must be out by ${o.silentTimeout + 0.5} s):`);
  const silentArgs = (gw) => [`localhost:${gw}`, '--connect-to', '127.0.0.1', '--dns-server', `127.0.0.1:${via.dns}`, '--ntp-server', `127.0.0.1:${via.ntp}`, ...common, '--timeout', String(o.silentTimeout)];
  setProxies(0, true);
  const allSilent = await runBinary(binary, silentArgs(silentGatewayPort), work);
  console.log(`  gateway, DNS, NTP silent:          ${ms(allSilent.ms).padStart(8)}   ${describe(allSilent)}`);
  gatewayProxy.silent = false;
  const peersSilent = await runBinary(binary, silentArgs(via.gateway), work);
  console.log(`  gateway answers; DNS, NTP, OCSP silent: ${ms(peersSilent.ms).padStart(8)}   ${describe(peersSilent)}`);
  if (process.env.BENCH_TRAIL) for (const r of [allSilent, peersSilent]) console.log(`${(r.report?.trail ?? []).map((l) => `    ${l}`).join('\n')}\n    (report duration ${r.report?.durationMs} ms)`);
  results.silent = { timeoutS: o.silentTimeout, allSilentMs: allSilent.ms, peersSilentMs: peersSilent.ms, allSilentReport: Boolean(allSilent.report), peersSilentReport: Boolean(peersSilent.report) };

  // Targets.
  const t = [];
  const check = (name, ok, detail) => t.push({ name, ok, detail });
  if (results.others.sslscan) check('full run ≤ 0.5 × sslscan', full.median <= 0.5 * results.others.sslscan.medianMs, `${(full.median / results.others.sslscan.medianMs).toFixed(3)} ×`);
  if (results.others.testssl) {
    const r = results.others.testssl.oursAfterMs / results.others.testssl.medianMs;
    check('full run ≤ 0.02 × testssl --fast', r <= 0.02, `${r.toFixed(4)} ×`);
  }
  check(`≤ 6 round trips beyond start-up at ${o.rtt} ms RTT`, roundTrips <= 6, `${roundTrips.toFixed(1)} RTT (whole process: ${wallTrips.toFixed(1)})`);
  if (rss !== null) check('peak RSS ≤ 150 MB', rss <= 150e6, mib(rss));
  check('--version ≤ 2 × node -e 0', results.startup.versionMs <= 2 * results.startup.nodeMs, `${(results.startup.versionMs / results.startup.nodeMs).toFixed(2)} ×`);
  const bound = (o.silentTimeout + 0.5) * 1000;
  check(`all silent → report by --timeout + 0.5 s`, allSilent.ms <= bound && peersSilent.ms <= bound && allSilent.report && peersSilent.report, `${ms(allSilent.ms)} / ${ms(peersSilent.ms)} ≤ ${ms(bound)}`);
  results.targets = t;
  console.log('\ntargets:');
  for (const x of t) console.log(`  ${x.ok ? 'met   ' : 'MISSED'}  ${x.name.padEnd(46)} ${x.detail}`);
  if (o.json) writeFileSync(o.json, `${JSON.stringify(results, null, 2)}\n`);
  rmSync(work, { recursive: true, force: true });
}

function machine() {
  const cpus = os.cpus();
  return { cpu: cpus[0]?.model.trim() ?? 'unknown CPU', cores: cpus.length, memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`, os: `${os.type()} ${os.release()}` };
}

const closeAll = () => Promise.all(closers.splice(0).map((c) => Promise.resolve(c()).catch(() => undefined)));
// Ctrl-C or a kill must not leave the OCSP responder behind.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => closeAll().then(() => process.exit(130)));
try {
  await main();
} finally {
  await closeAll();
}
