/**
 * The XML reader refuses what no AnyConnect file contains (DTDs, entity declarations)
 * before parsing, so entity expansion and external entities never happen.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readGivenFiles } from '../../../src/anyconnect/discover';
import { parseProfile } from '../../../src/anyconnect/profile';
import { decodeXmlBytes, parseXml, XmlError } from '../../../src/anyconnect/xml';
import { UsageError } from '../../../src/errors';
import { fixture, FIXTURES } from './fixtures';

function refusal(fn: () => unknown): XmlError {
  try {
    fn();
  } catch (err) {
    if (err instanceof XmlError) return err;
    throw err;
  }
  throw new Error('expected the document to be refused');
}

describe('parseXml', () => {
  test('reads elements, attributes, namespaces dropped, predefined and numeric entities decoded', () => {
    const root = parseXml(
      '<?xml version="1.0"?><p:Root xmlns:p="urn:x" a="1&amp;2"><Name>東京 &amp; 大阪 &#x65E5;&#26412; &lt;ok&gt;</Name><Empty/><C><![CDATA[&amp; <raw>]]></C></p:Root>',
      'doc.xml',
    );
    expect(root.name).toBe('Root');
    expect(root.attrs).toEqual({ a: '1&2' });
    expect(root.children.map((c) => [c.name, c.text])).toEqual([
      ['Name', '東京 & 大阪 日本 <ok>'],
      ['Empty', ''],
      ['C', '&amp; <raw>'],
    ]);
  });

  test('the billion-laughs profile is refused at once, naming the DOCTYPE', () => {
    const text = fixture('malicious/billion-laughs.xml');
    const start = performance.now();
    const e = refusal(() => parseProfile(text, 'billion-laughs.xml'));
    expect(performance.now() - start).toBeLessThan(200);
    expect(e.reason).toBe('doctype');
    expect(e.message).toBe(
      'billion-laughs.xml was refused: it contains a document type declaration (<!DOCTYPE …>). AnyConnect files never have one, and it can hide entity expansion ("billion laughs") or external entities that read other files; nothing in it was read.',
    );
  });

  test('an external entity is refused and the file it names is never opened', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpf-xxe-'));
    const secretPath = path.join(dir, 'secret.txt');
    fs.writeFileSync(secretPath, 'TOP-SECRET-7f3a');
    const text = fixture('malicious/external-entity.template.xml').replace('@SECRET_PATH@', secretPath);
    const opened: string[] = [];
    const spies = (['readFileSync', 'openSync', 'readFile', 'createReadStream'] as const).map((name) =>
      jest.spyOn(fs, name).mockImplementation(((p: unknown) => {
        opened.push(String(p));
        throw new Error('no file may be read');
      }) as never),
    );
    try {
      const e = refusal(() => parseProfile(text, 'xxe.xml'));
      expect(e.reason).toBe('doctype');
      expect(e.message).not.toContain('TOP-SECRET');
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
    expect(opened).toEqual([]);
  });

  test('an entity declaration without a DOCTYPE, and other declarations, are refused too', () => {
    expect(refusal(() => parseXml('<a><!ENTITY x "y"></a>', 'e.xml')).reason).toBe('entity');
    expect(refusal(() => parseXml('<a><!ELEMENT a ANY></a>', 'e.xml')).reason).toBe('markup-declaration');
  });

  test('a DOCTYPE mentioned inside a comment is only text', () => {
    expect(parseXml('<!-- do not add <!DOCTYPE …> here --><a>1</a>', 'c.xml').text).toBe('1');
  });

  test('malformed XML names the line and column', () => {
    const e = refusal(() => parseXml('<a>\n<b></a>', 'broken.xml'));
    expect(e.reason).toBe('malformed');
    expect(e.message).toMatch(/^broken\.xml is not well-formed XML \(line 2, column \d+: /);
  });

  test('UTF-8 with a byte-order mark and UTF-16 files decode to the same text', () => {
    const text = '<a>東京</a>';
    expect(decodeXmlBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe(text);
    expect(decodeXmlBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toBe(text);
    const be = Buffer.from(text, 'utf16le');
    be.swap16();
    expect(decodeXmlBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toBe(text);
  });
});

describe('--profile and --local-policy files', () => {
  test('a malicious --profile is a usage error with the reason', async () => {
    const p = path.join(FIXTURES, 'malicious/billion-laughs.xml');
    await expect(readGivenFiles([p], null)).rejects.toThrow(UsageError);
    await expect(readGivenFiles([p], null)).rejects.toThrow(`--profile ${p} was refused: it contains a document type declaration`);
  });

  test('a local policy given as --profile is refused with what it is', async () => {
    const p = path.join(FIXTURES, 'local-policy/windows-anyconnect-4.10-strict.xml');
    await expect(readGivenFiles([p], null)).rejects.toThrow('is not an AnyConnect VPN profile (its root element is <AnyConnectLocalPolicy>');
  });

  test('a missing file is a usage error', async () => {
    await expect(readGivenFiles([], '/nonexistent/lp.xml')).rejects.toThrow('cannot read --local-policy /nonexistent/lp.xml: no such file');
  });
});
