/**
 * The macOS binary cannot run here, so this proves what can be proven on Linux: it is
 * a 64-bit x86_64 Mach-O executable (Apple silicon runs it through Rosetta) that
 * carries the application in the NODE_SEA segment, with Node's SEA fuse flipped so
 * the runtime starts the application instead of a plain Node.
 */
import { readFileSync } from 'node:fs';
import { PACKAGE_VERSION, binaryOf } from './harness';

const MH_MAGIC_64 = 0xfeedfacf;
const CPU_TYPE_X86_64 = 0x01000007;
const MH_EXECUTE = 0x2;
const LC_SEGMENT_64 = 0x19;

interface MachO {
  readonly magic: number;
  readonly cpuType: number;
  readonly fileType: number;
  /** Segment name → its section names. */
  readonly segments: Map<string, string[]>;
}

/** Walks a thin Mach-O header and its LC_SEGMENT_64 load commands (mach-o/loader.h). */
function readMachO(buf: Buffer): MachO {
  const cstr = (off: number, len: number): string => buf.toString('latin1', off, off + len).replace(/\0.*$/s, '');
  const magic = buf.readUInt32LE(0);
  const cpuType = buf.readUInt32LE(4);
  const fileType = buf.readUInt32LE(12);
  const ncmds = buf.readUInt32LE(16);
  const segments = new Map<string, string[]>();
  let off = 32; // sizeof(mach_header_64)
  for (let i = 0; i < ncmds; i++) {
    const cmd = buf.readUInt32LE(off);
    const size = buf.readUInt32LE(off + 4);
    if (cmd === LC_SEGMENT_64) {
      const nsects = buf.readUInt32LE(off + 64);
      const sections: string[] = [];
      for (let s = 0; s < nsects; s++) sections.push(cstr(off + 72 + s * 80, 16));
      segments.set(cstr(off + 8, 16), sections);
    }
    off += size;
  }
  return { magic, cpuType, fileType, segments };
}

const file = binaryOf('macos-x64');
const bytes = readFileSync(file);

test('the macOS binary is an x86_64 Mach-O executable', () => {
  const m = readMachO(bytes);
  expect({ magic: m.magic, cpuType: m.cpuType, fileType: m.fileType }).toEqual({ magic: MH_MAGIC_64, cpuType: CPU_TYPE_X86_64, fileType: MH_EXECUTE });
  expect([...m.segments.keys()]).toEqual(expect.arrayContaining(['__TEXT', '__LINKEDIT']));
});

test('it carries the application in the NODE_SEA segment, with the SEA fuse flipped', () => {
  const m = readMachO(bytes);
  expect(m.segments.get('NODE_SEA')).toEqual(['__NODE_SEA_BLOB']);
  expect(bytes.includes('NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1')).toBe(true);
  // The embedded bundle knows its own version without a package.json beside it.
  expect(bytes.includes(`"version":"${PACKAGE_VERSION}"`) || bytes.includes(`version:"${PACKAGE_VERSION}"`)).toBe(true);
});
