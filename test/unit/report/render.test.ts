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
    const { run, pool } = await syntheticRun({ chain: [goldenCert('aia-leaf')], aia: [{ url: 'http://pki.example.com/tls-ca-2024.cer', certificates: [goldenCert('int')] }] });
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
