import { msgRef, t } from '../../../src/fixes/i18n';
import { enCore } from '../../../src/fixes/messages/en-core';
import { jaCore } from '../../../src/fixes/messages/ja-core';

type CoreKey = keyof typeof enCore;

const en: Readonly<Record<string, string>> = enCore;
const ja: Readonly<Record<string, string>> = jaCore;
const enKeys = Object.keys(en) as CoreKey[];

/** Keys whose Japanese text is, correctly, the same as the English: names of systems and algorithms. */
const SAME_IN_JAPANESE: ReadonlySet<string> = new Set([
  'ui.sha256',
  'ui.os.windows',
  'ui.os.macos',
  'ui.os.linux',
  'ui.os.ios',
  'ui.os.android',
]);

/** Hiragana, katakana or a CJK ideograph. */
const JAPANESE = /[\u3040-\u309f\u30a0-\u30ff\u4e00-\u9fff]/;

function params(s: string): string[] {
  return [...new Set([...s.matchAll(/\{([a-zA-Z0-9_]+)\}/g)].map((m) => m[1]!))].sort();
}

function inlineCode(s: string): string[] {
  return [...s.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
}

describe('Japanese core catalog', () => {
  it('has every key of the English core catalog and no other', () => {
    expect(Object.keys(ja).sort()).toEqual([...enKeys].sort());
    for (const k of enKeys) expect(typeof ja[k]).toBe('string');
  });

  it('keeps exactly the {param} placeholders of each English message', () => {
    const differing = enKeys.filter((k) => params(ja[k]!).join(',') !== params(en[k]!).join(','));
    expect(differing).toEqual([]);
  });

  it('translates every message except names that are the same in Japanese', () => {
    const untranslated = enKeys.filter((k) => ja[k] === en[k] && !SAME_IN_JAPANESE.has(k));
    expect(untranslated).toEqual([]);
    const notJapanese = enKeys.filter((k) => !SAME_IN_JAPANESE.has(k) && !JAPANESE.test(ja[k]!));
    expect(notJapanese).toEqual([]);
  });

  it('keeps commands in backticks exactly as in English', () => {
    const changed = enKeys.filter((k) => inlineCode(ja[k]!).join('\n') !== inlineCode(en[k]!).join('\n'));
    expect(changed).toEqual([]);
  });

  it('keeps one fix step per line, as many steps as in English', () => {
    const fixKeys = enKeys.filter((k) => k.startsWith('fix.') && !k.endsWith('.title'));
    expect(fixKeys.length).toBeGreaterThan(0);
    const differing = fixKeys.filter((k) => ja[k]!.split('\n').length !== en[k]!.split('\n').length);
    expect(differing).toEqual([]);
    const titlesWithNewline = enKeys.filter((k) => k.endsWith('.title') && ja[k]!.includes('\n'));
    expect(titlesWithNewline).toEqual([]);
  });

  it('keeps AnyConnect’s own messages in English, as the client shows them', () => {
    for (const k of enKeys) {
      for (const m of ['Untrusted VPN Server Certificate', 'Unable to lookup host names']) {
        if (en[k]!.includes(m)) expect(ja[k]).toContain(`「${m}」`);
      }
    }
  });
});

describe('Japanese sentences composed from other messages', () => {
  it('says which way the clock is off', () => {
    const base = { offset: { durationMs: 600_000 }, local: '2025-01-01 09:00 UTC', truth: '2025-01-01 09:10 UTC', count: 2 };
    expect(t('ja', 'clock.offset.skew', { ...base, direction: msgRef('clock.behind') })).toBe(
      'このコンピューターの時計が 10 分遅れています。時計の表示は 2025-01-01 09:00 UTC、正しい時刻は 2025-01-01 09:10 UTC です。',
    );
    expect(t('ja', 'clock.offset.skew-small', { ...base, direction: msgRef('clock.ahead') })).toMatch(/^このコンピューターの時計が 10 分進んでいます。/);
    expect(t('ja', 'clock.offset.flips-validity', { ...base, direction: msgRef('clock.ahead') })).toMatch(/^このコンピューターの時計が 10 分進んでいるため/);
  });

  it('names the certificate’s role', () => {
    const s = t('ja', 'cert.expiry.expired', { name: 'Example Issuing CA', role: msgRef('role.intermediate'), notAfter: '2024-05-01 00:00 UTC', ago: { durationMs: 3 * 86_400_000 } });
    expect(s).toMatch(/^「Example Issuing CA」（中間証明書）は 2024-05-01 00:00 UTC に有効期限が切れています/);
    expect(t('ja', 'cert.expiry.expires-soon', { name: 'vpn.example.com', role: msgRef('role.leaf'), notAfter: '2025-02-01 00:00 UTC', days: 9 })).toBe(
      '「vpn.example.com」（ゲートウェイの証明書）は 2025-02-01 00:00 UTC に有効期限が切れます（あと 9 日）。',
    );
  });

  it('names the address scope, the resolver, the failed step and the blocking check', () => {
    expect(t('ja', 'dns.resolve.private-unreachable', { host: 'vpn.example.com', address: '10.1.2.3', scope: msgRef('scope.private') })).toBe(
      'vpn.example.com は社内ネットワーク用のプライベートアドレス 10.1.2.3 に解決されましたが、ここからはそのアドレスに接続できませんでした。',
    );
    expect(t('ja', 'dns.resolve.private-unreachable', { host: 'vpn.example.com', address: '100.64.0.9', scope: msgRef('scope.cgnat') })).toContain('キャリアグレード NAT 用のアドレス 100.64.0.9');
    expect(t('ja', 'dns.resolve.nxdomain', { host: 'vpn.example.com', resolver: msgRef('dns.system-resolver') })).toContain('（NXDOMAIN、問い合わせ先: このコンピューターの DNS 設定）');
    expect(t('ja', 'common.probe-error', { what: msgRef('fact.tls'), code: 'ETIMEDOUT', message: 'timed out' })).toBe(
      '確認できませんでした。TLS ハンドシェイクに失敗しました（技術情報: ETIMEDOUT: timed out）。',
    );
    expect(t('ja', 'common.skipped-because', { check: 'network.reach', title: msgRef('check.network.reach.title') })).toBe(
      '「ゲートウェイへの接続」が合格しなかったため、このチェックは行っていません。',
    );
  });
});
