import { constants, promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { UsageError } from '../errors';
import { msgRef } from '../fixes/i18n';

/** The target exists and overwriting was not asked for. */
export class ReportFileExists extends Error {
  override readonly name = 'ReportFileExists';
  constructor(readonly file: string) {
    super(`${file} already exists`);
  }
}

/**
 * Writes a report file atomically: a temporary file next to it, then a hard link (which
 * refuses to replace an existing file) or, with `force`, a rename. A reader never sees
 * half a report, and nothing is overwritten unless asked. Throws ReportFileExists, or
 * the file system's error.
 */
export async function writeAtomic(file: string, content: string, force: boolean): Promise<string> {
  const full = path.resolve(file);
  const dir = path.dirname(full);
  const tmp = path.join(dir, `.${path.basename(full)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  await fs.writeFile(tmp, content, { flag: 'wx', mode: 0o644 });
  try {
    if (force) {
      await fs.rename(tmp, full);
      return full;
    }
    try {
      await fs.link(tmp, full);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new ReportFileExists(full);
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'EMLINK' && code !== 'ENOSYS') throw err;
      // File systems without hard links (FAT, some network shares): exclusive copy is the no-overwrite guarantee.
      try {
        await fs.copyFile(tmp, full, constants.COPYFILE_EXCL);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new ReportFileExists(full);
        throw e;
      }
    }
  } finally {
    await fs.unlink(tmp).catch(() => undefined);
  }
  return full;
}

/** The usage error for an --output file that exists (without --force). */
export function outputExists(full: string): UsageError {
  return new UsageError(msgRef('usage.output.exists', { path: full }));
}

/** `--output`: the file the user named. Errors are usage errors (exit 3), said plainly. */
export async function writeReportFile(file: string, content: string, force: boolean): Promise<string> {
  try {
    return await writeAtomic(file, content, force);
  } catch (err) {
    const full = path.resolve(file);
    if (err instanceof ReportFileExists) throw outputExists(full);
    throw new UsageError(msgRef('usage.output.unwritable', { path: full, detail: (err as NodeJS.ErrnoException).code ?? String(err) }));
  }
}

/**
 * The default report file: in the first of `dirs` that takes it, under `name`, or
 * `name-2`, `name-3` … when a file of that name exists (never overwritten).
 * Returns the path, or throws the last error when no folder could be written.
 */
export async function writeNewReportFile(dirs: readonly string[], name: string, content: string): Promise<string> {
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  let last: unknown = new Error('no folder to write the report to');
  for (const dir of dirs) {
    for (let n = 1; n <= 50; n++) {
      try {
        return await writeAtomic(path.join(dir, n === 1 ? name : `${stem}-${n}${ext}`), content, false);
      } catch (err) {
        last = err;
        if (err instanceof ReportFileExists) continue;
        break; // not writable here (missing, read-only, refused by the OS): next folder
      }
    }
  }
  throw last;
}
