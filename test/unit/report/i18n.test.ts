/**
 * The message catalog: both languages have exactly the same keys, the same {params},
 * and Japanese is really translated (a value identical to the English one is allowed
 * only for commands, product names and the like, listed below). An area whose Japanese
 * file is still the English placeholder is reported as a todo until it is translated.
 */
import { en } from '../../../src/fixes/messages/en';
import { ja } from '../../../src/fixes/messages/ja';
import { enCore } from '../../../src/fixes/messages/en-core';
import { jaCore } from '../../../src/fixes/messages/ja-core';
import { enReport } from '../../../src/fixes/messages/en-report';
import { jaReport } from '../../../src/fixes/messages/ja-report';
import { enRevocation } from '../../../src/fixes/messages/en-revocation';
import { jaRevocation } from '../../../src/fixes/messages/ja-revocation';
import { enPlatform } from '../../../src/fixes/messages/en-platform';
import { jaPlatform } from '../../../src/fixes/messages/ja-platform';
import { enAnyconnect } from '../../../src/fixes/messages/en-anyconnect';
import { jaAnyconnect } from '../../../src/fixes/messages/ja-anyconnect';
import { enUsage } from '../../../src/fixes/messages/en-usage';
import { jaUsage } from '../../../src/fixes/messages/ja-usage';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../../../src/errors';
import { msgRef, t } from '../../../src/fixes/i18n';
import { parseTarget } from '../../../src/target';

/** Values that read the same in both languages: names, commands, symbols. */
const SAME_IN_BOTH = new Set<string>([
  'ui.sha256', // SHA-256
  'ui.os.windows',
  'ui.os.macos',
  'ui.os.linux',
  'ui.os.android',
  'ui.os.ios', // iPhone / iPad: product names
  'anyconnect.file.local-policy', // a file name
  'dns.resolve.query-times', // resolver, record types and times only; the ja form uses Japanese punctuation
  'report.os', // "OS" is what a Japanese helpdesk writes too
  'report.badge.method.ocsp', // protocol names
  'report.badge.method.crl',
]);

const AREAS: ReadonlyArray<[string, Record<string, string>, Record<string, string>]> = [
  ['core', enCore, jaCore],
  ['report', enReport, jaReport],
  ['revocation', enRevocation, jaRevocation],
  ['platform', enPlatform, jaPlatform],
  ['anyconnect', enAnyconnect, jaAnyconnect],
  ['usage', enUsage, jaUsage],
];

const params = (s: string): string[] => [...new Set([...s.matchAll(/\{([a-zA-Z0-9_]+)\}/g)].map((m) => m[1]!))].sort();

test('both catalogs have exactly the same keys, none empty', () => {
  const enKeys = Object.keys(en).sort();
  expect(Object.keys(ja).sort()).toEqual(enKeys);
  for (const [k, v] of Object.entries(ja)) expect([k, v.trim().length > 0]).toEqual([k, true]);
  for (const [k, v] of Object.entries(en)) expect([k, v.trim().length > 0]).toEqual([k, true]);
});

test('every {param} in English exists in Japanese and the other way round', () => {
  const jaAll = ja as Record<string, string>;
  const mismatched = Object.entries(en)
    .filter(([k, v]) => params(v).join() !== params(jaAll[k] ?? '').join())
    .map(([k, v]) => `${k}: en {${params(v).join(',')}} ja {${params(jaAll[k] ?? '').join(',')}}`);
  expect(mismatched).toEqual([]);
});

test('no key is defined by two areas (a later area would silently win)', () => {
  const seen = new Map<string, string>();
  const dupes: string[] = [];
  for (const [area, enArea] of AREAS) {
    for (const k of Object.keys(enArea)) {
      if (seen.has(k)) dupes.push(`${k} in ${seen.get(k)} and ${area}`);
      seen.set(k, area);
    }
  }
  expect(dupes).toEqual([]);
});

describe.each(AREAS)('%s: Japanese is translated', (area, enArea, jaArea) => {
  const keys = Object.keys(enArea);
  const placeholder = keys.length > 0 && keys.every((k) => jaArea[k] === enArea[k]);
  if (placeholder) {
    test.todo(`${area}: the Japanese file is still the English placeholder`);
    return;
  }
  test('no Japanese value is the English text, except the allowed ones', () => {
    const same = keys.filter((k) => jaArea[k] === enArea[k] && !SAME_IN_BOTH.has(k) && !/^[\s\p{P}\p{S}{}a-z0-9]*$/u.test(enArea[k]!));
    expect(same).toEqual([]);
  });
  test('Japanese sentences are written in Japanese (kana or kanji present)', () => {
    // Values with no letters at all (a list separator, a composition of parameters) are exempt.
    const latinOnly = keys.filter(
      (k) => !SAME_IN_BOTH.has(k) && jaArea[k] !== enArea[k] && /\p{L}/u.test(jaArea[k]!.replace(/\{[a-zA-Z0-9_]+\}/g, '')) && !/[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u.test(jaArea[k]!),
    );
    expect(latinOnly).toEqual([]);
  });
});

test('a parameter naming another message is rendered in the same language', () => {
  expect(t('ja', 'report.state.clock-only', { state: msgRef('report.state.expired') })).toContain('有効期限切れ');
  expect(t('en', 'report.state.clock-only', { state: msgRef('report.state.expired') })).toBe('looks expired only because of this computer’s clock');
});

test('a text parameter that looks like a message key is shown as it is, in both languages', () => {
  // Names come from certificates and peers: only our own code may refer to a message.
  expect(t('en', 'report.state.clock-only', { state: '@report.state.expired' })).toBe('looks @report.state.expired only because of this computer’s clock');
  expect(t('ja', 'report.state.clock-only', { state: '@report.state.expired' })).toContain('@report.state.expired');
  expect(t('ja', 'report.state.clock-only', { state: '@report.state.expired' })).not.toContain('有効期限切れ');
});

test('lists are joined the way each language lists them', () => {
  const files = { list: ['a.xml', 'b.xml', 'c.xml'] };
  expect(t('en', 'anyconnect.policy.pinning-without-pins', { file: files })).toContain('a.xml, b.xml, and c.xml');
  expect(t('ja', 'anyconnect.policy.pinning-without-pins', { file: files })).toContain('a.xml、b.xml、c.xml');
  expect(t('en', 'anyconnect.policy.pinning-without-pins', { file: { list: ['a.xml', 'b.xml'] } })).toContain('a.xml and b.xml');
  // An enumeration of settings has no conjunction.
  expect(t('en', 'anyconnect.policy.settings', { file: 'p.xml', settings: { list: ['A=1', 'B=2', 'C=3'], plain: true } })).toContain('A=1, B=2, C=3');
  expect(t('ja', 'anyconnect.policy.settings', { file: 'p.xml', settings: { list: ['A=1', 'B=2', 'C=3'], plain: true } })).toContain('A=1、B=2、C=3');
});

describe('usage errors', () => {
  const SRC = path.resolve(__dirname, '../../../src');
  const sources = (readdirSync(SRC, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.includes('messages')).map((f) => readFileSync(path.join(SRC, f), 'utf8'));
  const code = sources.join('\n');
  // The keys usage errors are made of: every 'usage.…' literal, and the message of each
  // `new UsageError(msgRef('…'` or `new UsageError({ key: '…'`.
  const literal = [...code.matchAll(/'(usage\.[a-z0-9.-]+)'/g)].map((m) => m[1]!);
  const direct = [...code.matchAll(/new UsageError\((?:msgRef\(|\{ key: )'([a-z0-9.-]+)'/g)].map((m) => m[1]!);
  // `usage.ca-file.${err.reason}`: one key per reason a certificate file is refused for.
  const reasons = /type CertificateParseReason = ([^;]+);/.exec(readFileSync(path.join(SRC, 'pki/pem.ts'), 'utf8'))![1]!;
  const byReason = [...reasons.matchAll(/'([a-z0-9-]+)'/g)].map((m) => `usage.ca-file.${m[1]}`);

  test('every key a usage error is made from exists in both catalogs', () => {
    expect(code).toContain('msgRef(`usage.ca-file.${err.reason}`');
    const keys = [...new Set([...literal, ...direct, ...byReason])].sort();
    expect(keys.length).toBeGreaterThan(40);
    expect(keys.filter((k) => !(k in en) || !(k in ja))).toEqual([]);
  });

  test('every usage message in the catalog is used', () => {
    const used = new Set([...literal, ...byReason]);
    expect(Object.keys(enUsage).filter((k) => !used.has(k))).toEqual([]);
  });

  test('a usage error keeps English in .message and shows the run\'s language', () => {
    const err = (() => {
      try {
        parseTarget('vpn.example.com:99999');
      } catch (e) {
        return e;
      }
      throw new Error('vpn.example.com:99999 was accepted');
    })() as UsageError;
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe('the port "99999" in "vpn.example.com:99999" is not between 1 and 65535');
    expect(err.text('ja')).toEqual({ line: '"vpn.example.com:99999" のポート番号「99999」が 1～65535 の範囲にありません。', hint: null });
    expect(err.text('en')).toEqual({ line: err.message, hint: null });
    const withHint = new UsageError(msgRef('usage.option.unknown', { names: { list: ['--bogus'], plain: true } }), msgRef('usage.hint.help'));
    expect([withHint.message, withHint.hint]).toEqual(['unknown option --bogus', 'Run "vpn-preflight --help" for the options.']);
    expect(withHint.text('ja').hint).toBe('オプションの一覧は "vpn-preflight --help" で表示できます。');
  });
});
