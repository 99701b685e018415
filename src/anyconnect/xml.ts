import { decodeTextFile } from '../read-file';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * The one XML reader for AnyConnect files (profiles, local policy, preferences) and
 * the gateway's config-auth replies.
 *
 * AnyConnect's files never carry a document type declaration, so any DTD or entity
 * declaration is refused before the parser sees the text: entity expansion ("billion
 * laughs") and external entities (which could name files on this computer) are
 * impossible, and nothing is ever read from disk on a document's behalf. Only the
 * five predefined XML entities and numeric character references are decoded.
 */

/** An element: its local name (namespace prefix dropped), attributes, children and text. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The element's own text (CDATA included), trimmed; '' when it has none. */
  readonly text: string;
}

export type XmlRefusal = 'doctype' | 'entity' | 'markup-declaration' | 'too-large' | 'malformed' | 'empty' | 'binary';

/** The document was refused or cannot be read; `message` says why in plain words. */
export class XmlError extends Error {
  override readonly name = 'XmlError';
  constructor(
    readonly reason: XmlRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** Larger than any AnyConnect profile or gateway reply. */
export const MAX_XML_CHARS = 2 * 1024 * 1024;

/** Profile and policy files: UTF-8 or UTF-16 with a byte-order mark. */
export const decodeXmlBytes = decodeTextFile;

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeReferences(value: string): string {
  return value.replace(/&(lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/g, (whole, ref: string) => {
    const named = PREDEFINED[ref];
    if (named !== undefined) return named;
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

/**
 * Refuses what no AnyConnect document contains and what makes XML dangerous:
 * `<!DOCTYPE`, `<!ENTITY` and any other markup declaration. Comments and CDATA
 * sections are the only `<!` constructs allowed.
 */
export function refuseDeclarations(text: string, what: string): void {
  const withoutComments = text.replace(/<!--[\s\S]*?-->/g, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  if (/<!DOCTYPE/i.test(withoutComments)) {
    throw new XmlError(
      'doctype',
      `${what} was refused: it contains a document type declaration (<!DOCTYPE …>). AnyConnect files never have one, and it can hide entity expansion ("billion laughs") or external entities that read other files; nothing in it was read.`,
    );
  }
  if (/<!ENTITY/i.test(withoutComments)) {
    throw new XmlError('entity', `${what} was refused: it declares an entity (<!ENTITY …>), which AnyConnect files never do; nothing in it was read.`);
  }
  const other = /<!([A-Za-z]+)/.exec(withoutComments);
  if (other) {
    throw new XmlError('markup-declaration', `${what} was refused: it contains a markup declaration (<!${other[1]} …>), which AnyConnect files never do; nothing in it was read.`);
  }
}

interface OrderedNode {
  readonly [key: string]: unknown;
}

const PARSER = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Entities are decoded by decodeReferences (predefined and numeric only); the
  // parser itself never expands anything.
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
});

/**
 * Parses `text` into its root element. Throws XmlError for a refused or malformed
 * document, naming `what` (a file path, "the gateway's reply").
 */
export function parseXml(text: string, what: string): XmlElement {
  if (text.length > MAX_XML_CHARS) throw new XmlError('too-large', `${what} is larger than ${MAX_XML_CHARS} characters; it is not an AnyConnect file`);
  const body = text.replace(/^\uFEFF/, '');
  if (!body.trim()) throw new XmlError('empty', `${what} is empty`);
  if (body.includes('\u0000')) throw new XmlError('binary', `${what} is not a text file (it contains NUL bytes)`);
  refuseDeclarations(body, what);
  const valid = XMLValidator.validate(body, { allowBooleanAttributes: true });
  if (valid !== true) {
    const e = valid.err;
    throw new XmlError('malformed', `${what} is not well-formed XML (line ${e.line}, column ${e.col}: ${e.msg})`);
  }
  let ordered: OrderedNode[];
  try {
    ordered = PARSER.parse(body) as OrderedNode[];
  } catch (err) {
    throw new XmlError('malformed', `${what} is not well-formed XML (${err instanceof Error ? err.message : String(err)})`);
  }
  const roots = ordered.map(toElement).filter((e): e is XmlElement => e !== null);
  if (roots.length !== 1) throw new XmlError('malformed', `${what} has ${roots.length} root elements, not one`);
  return roots[0]!;
}

function toElement(node: OrderedNode): XmlElement | null {
  const name = Object.keys(node).find((k) => k !== ':@' && k !== '#text' && k !== '#cdata');
  if (!name) return null;
  const rawAttrs = (node[':@'] ?? {}) as Record<string, unknown>;
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawAttrs)) {
    // xmlns declarations are not attributes of the document's data.
    if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
    attrs[k.replace(/^[^:]+:/, '')] = decodeReferences(String(v));
  }
  const children: XmlElement[] = [];
  let text = '';
  for (const child of (node[name] ?? []) as OrderedNode[]) {
    if ('#text' in child) {
      text += decodeReferences(String(child['#text']));
      continue;
    }
    if ('#cdata' in child) {
      for (const c of child['#cdata'] as OrderedNode[]) text += String(c['#text'] ?? '');
      continue;
    }
    const el = toElement(child);
    if (el) children.push(el);
  }
  return { name, attrs, children, text: text.trim() };
}

/** The first child element called `name`, or undefined. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** Every child element called `name`. */
export function childrenNamed(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** The text of the first child called `name`; null when absent or empty. */
export function childText(el: XmlElement | undefined, name: string): string | null {
  const c = child(el, name);
  return c && c.text !== '' ? c.text : null;
}

/** Every element called `name` anywhere below `el` (depth first). */
export function descendants(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}

/** `true`/`false` (any case) as a boolean; null when absent; 'invalid' for anything else. */
export function parseBoolean(text: string | null): boolean | null | 'invalid' {
  if (text === null) return null;
  const t = text.trim().toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  return 'invalid';
}
