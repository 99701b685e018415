/**
 * What every fuzz target promises, checked for each input: it returns or throws only
 * its documented typed error; it ends within a bound; it pollutes no prototype; what it
 * returns has the documented shape. Shared by the short run in `npm test`
 * (test/fuzz/*.test.ts) and the long one in `npm run fuzz` (scripts/fuzz.mjs).
 */
import fc from 'fast-check';

export interface FuzzTarget<T = any> {
  readonly name: string;
  /** What is fuzzed, for the report. */
  readonly about: string;
  /** Built on first use: some targets make certificates for their seeds. */
  readonly arbitrary: () => fc.Arbitrary<T>;
  /** Runs the parser on one input; throws when a promise is broken. */
  readonly run: (input: T) => void | Promise<void>;
}

/** The longest one input may take (a parser that backtracks or loops breaks it by far). */
export const MAX_MS_PER_INPUT = 1000;

type ErrorClass = abstract new (...args: any[]) => Error;

/**
 * Calls `fn`; an exception other than one of `allowed` is a broken promise. Returns the
 * result, or undefined when an allowed error was thrown.
 */
export function expectOnly<R>(what: string, allowed: readonly ErrorClass[], fn: () => R): R | undefined {
  try {
    return fn();
  } catch (err) {
    if (allowed.some((c) => err instanceof c)) return undefined;
    const e = err instanceof Error ? err : new Error(String(err));
    throw new Error(`${what} threw an undocumented ${e.name}: ${e.message}`, { cause: e });
  }
}

export async function expectOnlyAsync<R>(what: string, allowed: readonly ErrorClass[], fn: () => Promise<R>): Promise<R | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (allowed.some((c) => err instanceof c)) return undefined;
    const e = err instanceof Error ? err : new Error(String(err));
    throw new Error(`${what} threw an undocumented ${e.name}: ${e.message}`, { cause: e });
  }
}

/** Fails with `message` unless `ok`. */
export function must(ok: unknown, message: string): asserts ok {
  if (!ok) throw new Error(message);
}

/** Every object in `v` is a plain object (or array, Buffer, Date, Map, Set): no prototype smuggled in. */
export function expectPlain(v: unknown, where = 'the result', seen = new Set<unknown>()): void {
  if (v === null || typeof v !== 'object' || seen.has(v)) return;
  seen.add(v);
  if (Array.isArray(v)) {
    v.forEach((x, i) => expectPlain(x, `${where}[${i}]`, seen));
    return;
  }
  if (v instanceof Uint8Array || v instanceof Date || v instanceof RegExp) return;
  if (v instanceof Map) {
    for (const [k, x] of v) expectPlain(x, `${where}.get(${String(k)})`, seen);
    return;
  }
  if (v instanceof Set) return;
  const proto: unknown = Object.getPrototypeOf(v);
  // Class instances the parsers return on purpose (a parsed certificate's X509Certificate,
  // asn1 schema objects) are left alone; a plain object must keep Object.prototype.
  if (proto !== Object.prototype && proto !== null && (proto as { constructor?: unknown }).constructor === Object) {
    throw new Error(`${where} has a replaced prototype`);
  }
  if (proto !== Object.prototype && proto !== null) return;
  for (const [k, x] of Object.entries(v)) expectPlain(x, `${where}.${k}`, seen);
}

const PROTOTYPES: ReadonlyArray<readonly [string, object]> = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['String.prototype', String.prototype],
  ['Function.prototype', Function.prototype],
];
const BASELINE = new Map(PROTOTYPES.map(([n, p]) => [n, Object.getOwnPropertyNames(p).sort().join(',')]));

/** Fails when any parser has added a property to a built-in prototype. */
export function expectNoPollution(): void {
  for (const [name, proto] of PROTOTYPES) {
    if (Object.getOwnPropertyNames(proto).sort().join(',') !== BASELINE.get(name)) {
      throw new Error(`${name} was polluted: ${Object.getOwnPropertyNames(proto).filter((k) => !BASELINE.get(name)!.split(',').includes(k)).join(', ')}`);
    }
  }
  if (({} as Record<string, unknown>).polluted !== undefined) throw new Error('Object.prototype.polluted appeared');
}

/** The property a target makes: the promises above, for one input. */
export function propertyOf<T>(target: FuzzTarget<T>): fc.IPropertyWithHooks<[T]> | fc.IAsyncPropertyWithHooks<[T]> {
  const check = (elapsed: number): void => {
    expectNoPollution();
    must(elapsed <= MAX_MS_PER_INPUT, `${target.name}: one input took ${Math.round(elapsed)} ms (the bound is ${MAX_MS_PER_INPUT} ms)`);
  };
  return fc.asyncProperty(target.arbitrary(), async (input) => {
    const t0 = performance.now();
    await target.run(input);
    check(performance.now() - t0);
  });
}

// ---------------------------------------------------------------------------------------
// Mutations: what a fuzzer does to valid input to find the edges.

type ByteOp =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'set'; readonly at: number; readonly value: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'duplicate'; readonly at: number; readonly length: number };

/** Bytes that matter in DER and TLS framing: lengths, tags, the sign bit. */
const INTERESTING_BYTES = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x16, 0x17, 0x18, 0x30, 0x31, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0xa0, 0xa3, 0xff];

const byteOp: fc.Arbitrary<ByteOp> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.oneof(fc.constantFrom(...INTERESTING_BYTES), fc.integer({ min: 0, max: 255 })) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 512 }) }),
);

export function applyByteOps(seed: Buffer, ops: readonly ByteOp[]): Buffer {
  let b = Buffer.from(seed);
  for (const op of ops) {
    const n = b.length;
    const at = n === 0 ? 0 : op.at % n;
    switch (op.kind) {
      case 'flip':
        if (n) b[at] = b[at]! ^ (1 << op.bit);
        break;
      case 'set':
        if (n) b[at] = op.value;
        break;
      case 'insert':
        b = Buffer.concat([b.subarray(0, at), Buffer.from(op.bytes), b.subarray(at)]);
        break;
      case 'delete':
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + op.length)]);
        break;
      case 'truncate':
        b = b.subarray(0, at);
        break;
      case 'duplicate':
        b = Buffer.concat([b.subarray(0, at + op.length), b.subarray(at, at + op.length), b.subarray(at + op.length)]);
        break;
    }
  }
  return b;
}

/** A seed with a few byte-level mutations, or (now and then) the seed itself or random bytes. */
export function mutatedBytes(seeds: readonly Buffer[], maxRandom = 512): fc.Arbitrary<Buffer> {
  const seed = fc.integer({ min: 0, max: seeds.length - 1 }).map((i) => seeds[i]!);
  return fc.oneof(
    { weight: 8, arbitrary: fc.tuple(seed, fc.array(byteOp, { minLength: 1, maxLength: 5 })).map(([s, ops]) => applyByteOps(s, ops)) },
    { weight: 1, arbitrary: seed },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: maxRandom }).map((u) => Buffer.from(u)) },
  );
}

type TextOp =
  | { readonly kind: 'drop-line'; readonly at: number }
  | { readonly kind: 'dup-line'; readonly at: number }
  | { readonly kind: 'swap-lines'; readonly a: number; readonly b: number }
  | { readonly kind: 'insert-line'; readonly at: number; readonly line: string }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'replace-char'; readonly at: number; readonly text: string };

/** Characters that upset parsers of text and markup: separators, quotes, controls, bidi, surrogates. */
export const TRICKY = ['\u0000', '\r', '\n', '\t', ' ', ':', '=', ';', ',', '"', "'", '<', '>', '&', '#', '{', '}', '[', ']', '\\', '/', '%', '$', '`', '\u202e', '\ufeff', '\ud800', 'é', '漢', '__proto__', 'constructor', 'prototype', '-', '*', '.', '0x', '999999999999', '-1'];

export function trickyText(maxLength = 40): fc.Arbitrary<string> {
  return fc.oneof(
    fc.array(fc.constantFrom(...TRICKY), { maxLength: 6 }).map((a) => a.join('')),
    fc.string({ maxLength, unit: 'grapheme' }),
    fc.string({ maxLength, unit: 'binary' }),
  );
}

const textOp = (tokens: readonly string[]): fc.Arbitrary<TextOp> => {
  const piece = fc.oneof(trickyText(), fc.constantFrom(...tokens));
  return fc.oneof(
    fc.record({ kind: fc.constant('drop-line' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('dup-line' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('swap-lines' as const), a: fc.nat(), b: fc.nat() }),
    fc.record({ kind: fc.constant('insert-line' as const), at: fc.nat(), line: piece }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: piece }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ kind: fc.constant('replace-char' as const), at: fc.nat(), text: piece }),
  );
};

export function applyTextOps(seed: string, ops: readonly TextOp[]): string {
  let s = seed;
  for (const op of ops) {
    const lines = s.split('\n');
    const li = (i: number): number => (lines.length ? i % lines.length : 0);
    const ci = (i: number): number => (s.length ? i % (s.length + 1) : 0);
    switch (op.kind) {
      case 'drop-line':
        lines.splice(li(op.at), 1);
        s = lines.join('\n');
        break;
      case 'dup-line':
        lines.splice(li(op.at), 0, lines[li(op.at)] ?? '');
        s = lines.join('\n');
        break;
      case 'swap-lines': {
        const [a, b] = [li(op.a), li(op.b)];
        [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
        s = lines.join('\n');
        break;
      }
      case 'insert-line':
        lines.splice(li(op.at), 0, op.line);
        s = lines.join('\n');
        break;
      case 'insert':
        s = s.slice(0, ci(op.at)) + op.text + s.slice(ci(op.at));
        break;
      case 'delete':
        s = s.slice(0, ci(op.at)) + s.slice(ci(op.at) + op.length);
        break;
      case 'replace-char':
        s = s.slice(0, ci(op.at)) + op.text + s.slice(ci(op.at) + 1);
        break;
    }
  }
  return s;
}

/** A seed text with a few line- and character-level mutations, the seed itself, or noise. */
export function mutatedText(seeds: readonly string[], tokens: readonly string[] = ['x']): fc.Arbitrary<string> {
  const seed = fc.integer({ min: 0, max: seeds.length - 1 }).map((i) => seeds[i]!);
  return fc.oneof(
    { weight: 8, arbitrary: fc.tuple(seed, fc.array(textOp(tokens), { minLength: 1, maxLength: 6 })).map(([s, ops]) => applyTextOps(s, ops)) },
    { weight: 1, arbitrary: seed },
    { weight: 1, arbitrary: fc.array(fc.oneof(trickyText(80), fc.constantFrom(...tokens)), { maxLength: 30 }).map((a) => a.join('\n')) },
  );
}
