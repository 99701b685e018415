import { constants, promises as fs, type Stats } from 'node:fs';
import { UsageError } from './errors';
import { msgRef } from './fixes/i18n';

/** Larger than any trust bundle, profile or settings file the tool reads. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

/**
 * Reads a regular file, at most `maxBytes`. Every file the tool reads goes through here:
 * a FIFO, a device (/dev/zero) or a file that never ends is refused instead of hanging
 * the run or filling memory — a blocked read would even keep the program from exiting.
 * The file is opened without blocking (a FIFO with no writer does not stop the open),
 * then checked to be a regular file before a byte is read. Errors carry a `code`:
 * the file system's, or ENOTREG / EFBIG.
 */
export async function readRegularFile(file: string, maxBytes = MAX_FILE_BYTES): Promise<Buffer> {
  const { handle, st } = await openRegularFile(file);
  try {
    if (st.size > maxBytes) throw fileError('EFBIG', `${file} is larger than ${maxBytes} bytes`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // The size the file says it has (plus one byte, to see it end), then small steps.
      const want = total === 0 ? Math.max(st.size + 1, 4096) : 64 * 1024;
      const buf = Buffer.allocUnsafe(Math.min(want, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      // A file that grows while it is read is cut off, not followed.
      if (total > maxBytes) throw fileError('EFBIG', `${file} is larger than ${maxBytes} bytes`);
    }
    return Buffer.concat(chunks);
  } finally {
    await handle.close();
  }
}

/** The usage error for a file named with `option` (--ca-file, --profile …) that cannot be read. */
export function unreadableFile(option: string, file: string, err: unknown): UsageError {
  const code = (err as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? msgRef('usage.file.no-such')
      : code === 'ENOTREG'
        ? msgRef('usage.file.not-regular')
        : code === 'EISDIR'
          ? msgRef('usage.file.is-folder')
          : code === 'EACCES' || code === 'EPERM'
            ? msgRef('usage.file.denied', { code })
            : code === 'EFBIG'
              ? msgRef('usage.file.too-large', { code })
              : (code ?? String(err));
  return new UsageError(msgRef('usage.file.unreadable', { option, file, reason }));
}

/**
 * The last `maxBytes` bytes of a regular file (all of it when smaller), for logs that grow
 * without bound: only the end is read, whatever the file's size. The first line of the
 * result is usually cut; the caller decides what to do with it.
 */
export async function readRegularFileTail(file: string, maxBytes: number): Promise<Buffer> {
  const { handle, st } = await openRegularFile(file);
  try {
    const size = st.size;
    const length = Math.max(0, Math.min(size, Math.floor(maxBytes)));
    const buf = Buffer.alloc(length);
    let total = 0;
    // A file cut shorter meanwhile (log rotation) reads fewer bytes: what was read is kept.
    while (total < length) {
      const { bytesRead } = await handle.read(buf, total, length - total, size - length + total);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    return buf.subarray(0, total);
  } finally {
    await handle.close();
  }
}

/** Opens without blocking (a FIFO with no writer does not stop the open) and refuses anything but a regular file. */
async function openRegularFile(file: string): Promise<{ handle: fs.FileHandle; st: Stats }> {
  const handle = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = await handle.stat();
    if (st.isDirectory()) throw fileError('EISDIR', `${file} is a folder, not a file`);
    if (!st.isFile()) throw fileError('ENOTREG', `${file} is not a regular file`);
    return { handle, st };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

function fileError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

/**
 * Text as Windows and macOS editors save it: UTF-8 with or without a byte-order mark, or
 * UTF-16 with one (Notepad's "Unicode"). A UTF-16 file of odd length loses its last byte
 * instead of failing.
 */
export function decodeTextFile(data: Buffer): string {
  if (data.length >= 2 && data[0] === 0xff && data[1] === 0xfe) return data.subarray(2).toString('utf16le');
  if (data.length >= 2 && data[0] === 0xfe && data[1] === 0xff) {
    const body = data.subarray(2, 2 + ((data.length - 2) & ~1));
    return Buffer.from(body).swap16().toString('utf16le');
  }
  if (data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return data.subarray(3).toString('utf8');
  return data.toString('utf8');
}
