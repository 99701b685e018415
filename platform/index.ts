import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import { readRegularFile, readRegularFileTail } from '../src/read-file';
import { realExec } from './exec';
import { linuxAdapter } from './linux';
import { macosAdapter } from './macos';
import { unsupportedAdapter } from './unsupported';
import type { PlatformAdapter, PlatformDeps } from './types';
import { windowsAdapter } from './windows';

type AdapterFactory = (deps: PlatformDeps) => PlatformAdapter;

/** One adapter per OS, keyed by `process.platform`. */
const ADAPTERS: Readonly<Partial<Record<NodeJS.Platform, AdapterFactory>>> = {
  linux: linuxAdapter,
  darwin: macosAdapter,
  win32: windowsAdapter,
};

export function adapterFor(platform: NodeJS.Platform, deps: PlatformDeps): PlatformAdapter {
  const factory = ADAPTERS[platform];
  return factory ? factory(deps) : unsupportedAdapter(deps, platform);
}

/** The real outside world, read once. `env` is the snapshot the options parser took. */
export function realDeps(env: Readonly<Record<string, string | undefined>>): PlatformDeps {
  let userName = '';
  try {
    userName = os.userInfo().username;
  } catch {
    userName = env.USER ?? env.USERNAME ?? '';
  }
  const intl = Intl.DateTimeFormat().resolvedOptions();
  return {
    exec: realExec,
    // Never a FIFO, a device or an endless file: see readRegularFile.
    readFile: (p) => readRegularFile(p),
    readFileTail: (p, maxBytes) => readRegularFileTail(p, maxBytes),
    readDir: (p) => fs.readdir(p),
    env,
    now: () => new Date(),
    homeDir: os.homedir(),
    hostname: os.hostname(),
    userName,
    arch: os.arch(),
    kernelRelease: os.release(),
    intlLocale: intl.locale,
    timeZone: intl.timeZone,
  };
}

export type { PlatformAdapter, PlatformDeps } from './types';
