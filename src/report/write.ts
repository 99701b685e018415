import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { UsageError } from '../errors';

/**
 * Writes a report file atomically: a temporary file next to it, then a hard link (which
 * refuses to replace an existing file) or, with `force`, a rename. A reader never sees
 * half a report, and nothing is overwritten unless asked.
 */
export async function writeReportFile(file: string, content: string, force: boolean): Promise<string> {
  const full = path.resolve(file);
  const dir = path.dirname(full);
  const tmp = path.join(dir, `.${path.basename(full)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fs.writeFile(tmp, content, { flag: 'wx', mode: 0o644 });
  } catch (err) {
    throw new UsageError(`cannot write the report to ${full}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    if (force) {
      await fs.rename(tmp, full);
    } else {
      try {
        await fs.link(tmp, full);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new UsageError(`${full} already exists; use --force to overwrite it or choose another --output`);
        if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV' || code === 'EMLINK') {
          // File systems without hard links: exclusive create is the no-overwrite guarantee.
          await fs.copyFile(tmp, full, (await import('node:fs')).constants.COPYFILE_EXCL);
        } else {
          throw new UsageError(`cannot write the report to ${full}: ${code ?? String(err)}`);
        }
      }
      await fs.unlink(tmp).catch(() => undefined);
    }
  } catch (err) {
    await fs.unlink(tmp).catch(() => undefined);
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`${full} already exists; use --force to overwrite it or choose another --output`);
    throw new UsageError(`cannot write the report to ${full}: ${code ?? String(err)}`);
  }
  return full;
}
