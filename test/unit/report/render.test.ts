/**
 * What the Markdown and HTML renderers promise whatever the certificates say: names
 * from a hostile certificate are shown, escaped — never as markup, links, script or
 * invisible direction changes — and the HTML file needs nothing from outside.
 */
import { issueDemoCert } from '../../../src/demo/pki';
import { renderHtml } from '../../../src/report/html';
import { mdEscape, renderMarkdown } from '../../../src/report/markdown';
import { buildReport, type Report } from '../../../src/report/model';
import { syntheticRun } from './synthetic';

const HOSTILE_CN = '<script>alert(1)</script> *bold* [x](http://evil.example/) <img src=x onerror=alert(2)> \u202Egnp.exe | `tick`';

async function hostileReport(lang: 'en' | 'ja' = 'en'): Promise<Report> {
  // UTF8String names, so the direction override really is in the certificate.
  const now = Date.now();
  const root = issueDemoCert(null, { cn: 'Root <b>CA</b> & "Friends"', isCa: true, notBefore: new Date(now - 86_400_000), notAfter: new Date(now + 86_400_000 * 900) });
  const leaf = issueDemoCert(root, { cn: HOSTILE_CN, dns: ['vpn.example.com'], isCa: false, notBefore: new Date(now - 86_400_000), notAfter: new Date(now + 86_400_000 * 90) });
  const { run, pool } = await syntheticRun({ now: new Date(), chain: [leaf.der], anchors: [{ der: root.der }] });
  return buildReport(run, { lang, version: 't', contact: '<a href="http://phish.example/">call us</a>', pool });
}

describe('HTML', () => {
  test('hostile certificate names are escaped, direction overrides shown as \\u202E', async () => {
    const html = renderHtml(await hostileReport());
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain('<b>CA</b>');
    expect(html).not.toContain('\u202E');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('\\u202Egnp.exe');
    expect(html).toContain('Root &lt;b&gt;CA&lt;/b&gt; &amp; &quot;Friends&quot;');
    expect(html).toContain('&lt;a href=&quot;http://phish.example/&quot;&gt;call us&lt;/a&gt;');
  });

  test('self-contained: no script, no external resource, a policy that forbids loading any', async () => {
    const html = renderHtml(await hostileReport());
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    expect(html).not.toMatch(/<(script|link|iframe|object|embed|img)\b/i);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*"(?!#)/i);
    expect(html).not.toMatch(/url\(|@import/i);
  });

  test('the chain marks where verification breaks', async () => {
    const { goldenCert } = await import('./synthetic');
    const { run, pool } = await syntheticRun({ chain: [goldenCert('leaf')], aia: [{ url: 'http://pki.example.com/tls-ca-2024.cer', certificates: [goldenCert('int')] }] });
    const html = renderHtml(buildReport(run, { lang: 'en', version: 't', contact: null, pool }));
    const broken = html.match(/<div class="link broken"[^>]*>[^<]*<span[^>]*>✖<\/span>([^<]*)<\/div>/g) ?? [];
    expect(broken).toHaveLength(1);
    expect(broken[0]).toContain('the gateway does not send this certificate (it was downloaded from http://pki.example.com/tls-ca-2024.cer');
    expect(html).toContain('<div class="box store ok">');
  });

  test('Japanese reports say so to the browser', async () => {
    const html = renderHtml(await hostileReport('ja'));
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="ja"/);
    expect(html).toContain('証明書チェーン');
  });
});

describe('Markdown', () => {
  test('escapes what would format, link or open HTML', () => {
    expect(mdEscape('*a* _b_ [c](d) <e> `f` | g ~~h~~')).toBe('\\*a\\* \\_b\\_ \\[c\\](d) \\<e\\> \\`f\\` \\| g \\~\\~h\\~\\~');
    expect(mdEscape('TLS_AES_256_GCM_SHA384 & Co &amp;')).toBe('TLS_AES_256_GCM_SHA384 & Co \\&amp;');
    expect(mdEscape('RTL \u202E here')).toBe('RTL \\\\u202E here');
  });

  test('a hostile certificate cannot add markup to the ticket', async () => {
    const md = renderMarkdown(await hostileReport());
    expect(md).not.toMatch(/(^|[^\\])<(script|img|a )/);
    expect(md).not.toMatch(/(^|[^\\])\[x\]\(http/);
    expect(md).not.toContain('\u202E');
    expect(md).toContain('\\<script\\>alert(1)\\</script\\>');
  });
});

describe('terminal text wrapping', () => {
  const { wrap, wrapLabelled, displayWidth } = jest.requireActual<typeof import('../../../src/report/text')>('../../../src/report/text');
  const CLOCK_JA = 'このコンピューターの時計が 400 日進んでいるため（時計の表示は 2026-04-07 09:00 UTC、正しい時刻は 2025-03-03 09:00 UTC）、ゲートウェイの証明書が有効に見えるかどうかが変わってしまいます。';

  test('Japanese fills the line and breaks between characters, never past the width', () => {
    for (const width of [30, 37, 50, 71, 100]) {
      const lines = wrap(CLOCK_JA, width);
      expect(lines.join('').replace(/ /g, '')).toBe(CLOCK_JA.replace(/ /g, ''));
      for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(width);
      // Every line but the last is full up to the longest piece that must not be split
      // (「2026-04-07 09:00 UTC）、」 is 22 columns): no short line before a long Japanese run.
      for (const l of lines.slice(0, -1)) expect(displayWidth(l)).toBeGreaterThan(width - 22);
    }
  });

  test('no line starts with closing punctuation or ends with opening punctuation', () => {
    // From 24 columns up, the longest piece that must not be split fits on a line.
    for (let width = 24; width <= 100; width++) {
      for (const l of wrap(CLOCK_JA, width)) {
        expect(l).not.toMatch(/^[、。）」』】]/);
        expect(l).not.toMatch(/[（「『【]$/);
      }
    }
  });

  test('a date and time, a number and its unit, and an ASCII word are never split', () => {
    for (let width = 20; width <= 100; width++) {
      const text = wrap(CLOCK_JA, width).join('\n');
      expect(text).toContain('2026-04-07 09:00 UTC');
      expect(text).toContain('2025-03-03 09:00 UTC');
      expect(text).toContain('400 日');
      const en = wrap('“vpn.example.com” (the gateway’s certificate) expired on 2025-02-28 00:00 UTC (3 days ago). The VPN will refuse it until IT renews it.', width).join('\n');
      expect(en).toContain('2025-02-28 00:00 UTC');
      expect(en).toContain('3 days');
      expect(en.split(/\s+/)).toEqual(expect.arrayContaining(['“vpn.example.com”', 'certificate)', 'refuse']));
    }
  });

  test('labelled lines align their continuation under the text by display width', () => {
    const label = 'ご自身でできること: ';
    const lines = wrapLabelled(label, CLOCK_JA, 60);
    expect(lines.length).toBeGreaterThan(2);
    const indent = displayWidth(`  ${label}`);
    for (const l of lines.slice(1)) expect(l).toMatch(new RegExp(`^ {${indent}}\\S`));
  });
});
