import * as path from 'node:path';
import { getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { UsageError } from './errors';
import { decodeTextFile, readRegularFile } from './read-file';
import { msgRef, t, type Lang } from './fixes/i18n';
import { CertificateParseError, splitCertificates } from './pki/pem';
import { CertificatePool } from './pki/pool';
import { parseHostPort, parseTarget, type HostPort, type Target } from './target';

/** The name of the settings file a helpdesk puts next to the program. */
export const CONFIG_FILE_NAME = 'vpn-preflight.json';

/** What the settings file says, checked and resolved (paths are relative to the file). */
export interface ConfigFile {
  readonly path: string;
  readonly gateways: readonly Target[];
  /** Extra trust anchors: each entry's certificates (DER) and where they came from. */
  readonly caCertificates: ReadonlyArray<{ readonly label: string; readonly ders: readonly Buffer[] }>;
  readonly ntpServers: readonly HostPort[];
  readonly language: Lang | null;
  /** The helpdesk's contact line, printed in every report. */
  readonly contact: string | null;
  /** Where the default report file goes. */
  readonly reportDir: string | null;
}

const KEYS = ['gateway', 'gateways', 'caCertificates', 'ntpServers', 'language', 'contact', 'reportDir'] as const;

/**
 * Reads `vpn-preflight.json` from `dir`: null when there is none; a UsageError (exit 3)
 * naming the line and column when it is malformed or holds a wrong value.
 * JSON with comments and trailing commas is accepted: helpdesks annotate their files.
 */
export async function loadConfig(dir: string, lang: Lang, fileMayChoose = false): Promise<ConfigFile | null> {
  const file = path.join(dir, CONFIG_FILE_NAME);
  let raw: Buffer;
  try {
    raw = await readRegularFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw settingsError(t(lang, 'config.read-error', { file, detail: code ?? String(err) }));
  }
  return parseConfig(decodeTextFile(raw), file, lang, (p) => readRegularFile(p), fileMayChoose);
}

/**
 * A problem with the settings file, already in the language it was read for (the run's
 * language, as far as it is known without the file): shown as it is.
 */
function settingsError(text: string): UsageError {
  return new UsageError(msgRef('usage.verbatim', { text }));
}

/**
 * Parses and checks the settings text; `readFile` reads CA files named in it.
 * `fileMayChoose`: no --lang was given, so a valid "language" in the file is the language
 * of its own problems too (once the file could be parsed at all).
 */
export async function parseConfig(text: string, file: string, outerLang: Lang, readFile: (p: string) => Promise<Buffer>, fileMayChoose = false): Promise<ConfigFile> {
  let lang = outerLang;
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const at = (offset: number): { line: number; column: number } => lineColumn(text, offset);
  const fail = (offset: number, problem: string): never => {
    throw settingsError(t(lang, 'config.invalid', { file, ...at(offset), problem }));
  };
  if (errors.length > 0) {
    const e = errors[0]!;
    const name = printParseErrorCode(e.error);
    const atEnd = e.offset >= text.trimEnd().length || name.startsWith('UnexpectedEnd');
    const problem = `${t(lang, atEnd ? 'config.problem.end' : 'config.problem.syntax')} [${name}]`;
    throw settingsError(t(lang, 'config.malformed', { file, ...at(e.offset), problem }));
  }
  if (!root || root.type !== 'object') fail(root?.offset ?? 0, t(lang, 'config.problem.not-object'));
  const chosen = (root!.children ?? []).find((p) => p.children?.[0]?.value === 'language')?.children?.[1];
  if (fileMayChoose && chosen?.type === 'string' && (chosen.value === 'en' || chosen.value === 'ja')) lang = chosen.value;
  const dir = path.dirname(file);
  const props = new Map<string, Node>();
  for (const prop of root!.children ?? []) {
    const [keyNode, valueNode] = prop.children ?? [];
    const key = String(keyNode?.value ?? '');
    if (key.startsWith('$')) continue; // $schema, $comment
    if (!(KEYS as readonly string[]).includes(key)) {
      fail(keyNode?.offset ?? prop.offset, t(lang, 'config.problem.unknown-key', { key, known: KEYS.join(', ') }));
    }
    if (valueNode) props.set(key, valueNode);
  }
  const str = (key: string): { value: string; node: Node } | null => {
    const n = props.get(key);
    if (!n) return null;
    if (n.type !== 'string' || String(n.value).trim() === '') fail(n.offset, t(lang, 'config.problem.type', { key, expected: t(lang, 'config.expect.string') }));
    return { value: String(n.value).trim(), node: n };
  };
  const strings = (key: string): Array<{ value: string; node: Node }> => {
    const n = props.get(key);
    if (!n) return [];
    if (n.type === 'string') return [{ value: String(n.value), node: n }];
    if (n.type !== 'array' || (n.children ?? []).some((c) => c.type !== 'string' || String(c.value).trim() === '')) {
      fail(n.offset, t(lang, 'config.problem.type', { key, expected: t(lang, 'config.expect.strings') }));
    }
    return (n.children ?? []).map((c) => ({ value: String(getNodeValue(c)), node: c }));
  };
  const checked = <T>(key: string, node: Node, make: () => T): T => {
    try {
      return make();
    } catch (err) {
      // In the file's language; the sentence's own full stop gives way to the settings message's.
      if (err instanceof UsageError) return fail(node.offset, t(lang, 'config.problem.value', { key, detail: err.text(lang).line.replace(/[。.]$/, '') }));
      if (err instanceof CertificateParseError) return fail(node.offset, t(lang, 'config.problem.value', { key, detail: err.message }));
      throw err;
    }
  };

  const origin = `${CONFIG_FILE_NAME} (${file})`;
  const gateways = [...strings('gateway'), ...strings('gateways')].map(({ value, node }) => checked('gateway', node, () => parseTarget(value, origin)));
  const ntpServers = strings('ntpServers').map(({ value, node }) => checked('ntpServers', node, () => parseHostPort(value, 123, 'ntpServers')));
  const language = str('language');
  if (language && language.value !== 'en' && language.value !== 'ja') {
    fail(language.node.offset, t(lang, 'config.problem.type', { key: 'language', expected: t(lang, 'config.expect.language') }));
  }
  const caCertificates: Array<{ label: string; ders: Buffer[] }> = [];
  // Each certificate is read now, so a broken one is reported with its place in the file.
  const pool = new CertificatePool();
  const certificatesOf = (node: Node, source: string, ders: Buffer[]): Buffer[] => {
    for (const der of ders) {
      const c = pool.get(der);
      if (c instanceof CertificateParseError) fail(node.offset, t(lang, 'config.problem.ca-invalid', { source, detail: c.message }));
    }
    return ders;
  };
  for (const { value, node } of strings('caCertificates')) {
    if (value.includes('-----BEGIN')) {
      const label = `caCertificates[${caCertificates.length}]`;
      const ders = checked('caCertificates', node, () => splitCertificates(value, label));
      caCertificates.push({ label, ders: certificatesOf(node, label, ders) });
      continue;
    }
    const p = path.resolve(dir, value);
    let data: Buffer;
    try {
      data = await readFile(p);
    } catch (err) {
      return fail(node.offset, t(lang, 'config.problem.ca-read', { path: p, detail: (err as NodeJS.ErrnoException).code ?? String(err) }));
    }
    let ders: Buffer[];
    try {
      ders = splitCertificates(data, p);
    } catch (err) {
      return fail(node.offset, t(lang, 'config.problem.ca-parse', { source: p, detail: err instanceof Error ? err.message : String(err) }));
    }
    caCertificates.push({ label: p, ders: certificatesOf(node, p, ders) });
  }
  const reportDir = str('reportDir');
  return {
    path: file,
    gateways,
    caCertificates,
    ntpServers,
    language: (language?.value as Lang | undefined) ?? null,
    contact: str('contact')?.value ?? null,
    reportDir: reportDir ? path.resolve(dir, reportDir.value) : null,
  };
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

