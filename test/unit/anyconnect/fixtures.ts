/**
 * Fixture files and a fake outside world for the platform seams: files and folders
 * from a table, commands answered from recorded outputs.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ExecOptions, ExecResult } from '../../../platform/exec';
import type { PlatformDeps } from '../../../platform/types';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/anyconnect');

/** A fixture's text without its `#` header lines (where its format comes from). */
export function fixture(rel: string): string {
  return readFileSync(path.join(FIXTURES, rel), 'utf8').replace(/^(#[^\n]*\n)+/, '');
}

export interface ExecCall {
  readonly file: string;
  readonly args: readonly string[];
  readonly options: ExecOptions;
}

export type ExecAnswer = Partial<ExecResult> | ((call: ExecCall) => Partial<ExecResult>);

export interface FakeWorld {
  /** Path → contents. Folders are derived from the paths (and `dirs`). */
  readonly files?: Readonly<Record<string, string | Buffer>>;
  readonly dirs?: readonly string[];
  /** Program name → answer; anything else is "not installed". */
  readonly exec?: Readonly<Record<string, ExecAnswer>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly homeDir?: string;
  readonly sep?: '/' | '\\';
}

export function fakeDeps(world: FakeWorld): PlatformDeps & { readonly calls: ExecCall[]; readonly reads: string[] } {
  const sep = world.sep ?? '/';
  const files = new Map(Object.entries(world.files ?? {}));
  const dirs = new Map<string, Set<string>>();
  const addDir = (d: string): void => {
    if (!dirs.has(d)) dirs.set(d, new Set());
  };
  for (const d of world.dirs ?? []) addDir(d);
  for (const p of files.keys()) {
    const i = p.lastIndexOf(sep);
    const dir = p.slice(0, i);
    addDir(dir);
    dirs.get(dir)!.add(p.slice(i + 1));
  }
  const calls: ExecCall[] = [];
  const reads: string[] = [];
  return {
    calls,
    reads,
    exec: async (file, args, options) => {
      calls.push({ file, args, options });
      const answer = world.exec?.[file];
      if (!answer) return { code: null, stdout: '', stderr: '', spawnError: `ENOENT: spawn ${file}`, timedOut: false };
      const a = typeof answer === 'function' ? answer({ file, args, options }) : answer;
      return { code: 0, stdout: '', stderr: '', spawnError: null, timedOut: false, ...a };
    },
    readFile: async (p) => {
      reads.push(p);
      const v = files.get(p);
      if (v === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${p}'`), { code: 'ENOENT' });
      return Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8');
    },
    readFileTail: async (p, maxBytes) => {
      reads.push(p);
      const v = files.get(p);
      if (v === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${p}'`), { code: 'ENOENT' });
      const b = Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8');
      return b.subarray(Math.max(0, b.length - maxBytes));
    },
    readDir: async (p) => {
      const d = dirs.get(p);
      if (!d) throw Object.assign(new Error(`ENOENT: no such directory, scandir '${p}'`), { code: 'ENOENT' });
      return [...d];
    },
    env: world.env ?? {},
    now: () => new Date('2024-06-12T00:00:00Z'),
    homeDir: world.homeDir ?? '/home/yamada',
    hostname: 'pc-001',
    userName: 'yamada',
    arch: 'x64',
    kernelRelease: '6.1.0',
    intlLocale: 'ja-JP',
    timeZone: 'Asia/Tokyo',
  };
}

export const NEVER = new AbortController().signal;
