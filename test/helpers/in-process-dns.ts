/**
 * Set up before every test file (jest setupFilesAfterEnv): in this jest worker, too, the
 * system lookups and the direct queries to this computer's configured DNS servers go to
 * a loopback server that answers as a hosts file does (hostsLikeDns), so in-process runs
 * (runApp, the probes) and the tests' own clients send no DNS query off the machine.
 * Node's dns module is shared by every test file of a worker: it is redirected once, to
 * the first file's server, which lives as long as the worker.
 */
import { hostsLikeDns } from './dns-server';

const preload = require('./system-dns-preload.js') as { install(server: string): void; installed(): boolean };

beforeAll(async () => {
  if (!preload.installed()) preload.install(await hostsLikeDns());
});
