import { displaySafe } from '../pki/text';
import { t, type Lang, type MessageKey } from '../fixes/i18n';
import type { ChainBox, TimelineView } from './chain-view';
import { buildDocument, STATUS_SYMBOL, type Block } from './document';
import { codeSpans } from './format';
import { fmtTime } from '../time-text';
import type { Report } from './model';

/**
 * The report as one self-contained HTML file: no script, no external asset, no
 * network (a Content-Security-Policy forbids it), inline CSS that also prints and
 * survives mail clients. The chain is drawn as linked boxes with the broken link in
 * red; when the clock is involved, a timeline shows each certificate's dates against
 * this computer's clock and the true time. Every value is escaped.
 */
export function renderHtml(reports: Report | readonly Report[]): string {
  const list = Array.isArray(reports) ? (reports as readonly Report[]) : [reports as Report];
  const doc = buildDocument(list);
  const body = doc.blocks.map((b) => block(b, doc.lang)).join('\n');
  return `<!DOCTYPE html>
<html lang="${doc.lang}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="vpn-preflight">
<title>${h(doc.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main class="report">
${body}
</main>
</body>
</html>
`;
}

/** HTML-escapes text after making control and bidi characters visible. */
export function h(text: string): string {
  return displaySafe(String(text), 4096).replace(/[&<>"']/g, (c) => ENTITY[c]!);
}

const ENTITY: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes each line of preformatted text (the line breaks are the only control characters kept). */
function lines(text: string): string {
  return text.split('\n').map(h).join('\n');
}

function rich(line: string): string {
  return codeSpans(line)
    .map((p) => (p.code ? `<code>${h(p.text)}</code>` : h(p.text)))
    .join('');
}

function block(b: Block, lang: Lang): string {
  switch (b.kind) {
    case 'heading': {
      const tag = `h${b.level}`;
      const id = b.anchor ? ` id="${h(b.anchor)}"` : '';
      const cls = b.status ? ` class="st-${b.status}"` : '';
      return `<${tag}${id}${cls}>${h(b.text)}</${tag}>`;
    }
    case 'verdict':
      return `<section class="verdict st-${b.status}" aria-label="${h(t(lang, 'report.summary'))}">
<p class="verdict-text"><span class="mark" aria-hidden="true">${STATUS_SYMBOL[b.status]}</span> ${h(b.text)}</p>
${b.rows.length ? `<dl>${b.rows.map((r) => `<dt>${h(r.label)}</dt><dd>${h(r.text)}</dd>`).join('')}</dl>` : ''}
</section>`;
    case 'para':
      return `<p${b.tone ? ` class="${b.tone}"` : ''}>${h(b.text)}</p>`;
    case 'fields':
      return `<table class="fields"><tbody>${b.rows.map((r) => `<tr><th scope="row">${h(r.label)}</th><td${r.mono ? ' class="mono"' : ''}>${h(r.value)}</td></tr>`).join('')}</tbody></table>`;
    case 'table':
      return `<table class="grid"><thead><tr>${b.head.map((c) => `<th scope="col">${h(c)}</th>`).join('')}</tr></thead><tbody>
${b.rows
  .map(
    (r) =>
      `<tr${r.status ? ` class="st-${r.status}"` : ''}>${r.cells
        .map((c, i) => `<td${i === 0 ? ' class="status"' : ''}>${i === 1 && r.link ? `<a href="#${h(r.link)}">${h(c)}</a>` : h(c)}</td>`)
        .join('')}</tr>`,
  )
  .join('\n')}
</tbody></table>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${rich(i)}</li>`).join('')}</ul>`;
    case 'fix': {
      const systems = b.systems.map((s) => {
        const steps = `<ol>${s.lines.map((l) => `<li>${rich(l)}</li>`).join('')}</ol>`;
        if (!s.label) return `<div class="os">${steps}</div>`;
        if (s.mine) return `<div class="os mine"><h5>${h(s.label)}</h5>${steps}</div>`;
        return `<details class="os"><summary>${h(s.label)}</summary>${steps}</details>`;
      });
      return `<div class="fix ${b.actor}"><h4>${h(b.title)}</h4><p class="for">${h(b.checks)}</p>${systems.join('')}</div>`;
    }
    case 'pre':
      return b.summary
        ? `<details class="evidence"><summary>${h(b.summary)}</summary><pre>${lines(b.text)}</pre></details>`
        : `<pre class="trail">${lines(b.text)}</pre>`;
    case 'chain': {
      const v = b.view;
      const parts: string[] = [];
      v.boxes.forEach((box, i) => {
        parts.push(chainBox(box, lang));
        const link = v.links[i];
        if (link) {
          parts.push(
            link.ok
              ? `<div class="link ok"><span class="arrow" aria-hidden="true">▼</span> ${h(link.text)}</div>`
              : `<div class="link broken" role="note"><span class="arrow" aria-hidden="true">✖</span> ${h(link.text)}</div>`,
          );
        }
      });
      const extra = v.unrelated.length
        ? `<div class="unrelated"><p>${h(t(lang, 'report.chain.also-sent'))}</p>${v.unrelated.map((u) => chainBox(u, lang)).join('')}</div>`
        : '';
      return `<figure class="chain${v.broken ? ' has-broken' : ''}"><figcaption>${h(b.caption)}</figcaption>${parts.join('\n')}${extra}</figure>`;
    }
    case 'timeline':
      return `<figure class="timeline"><figcaption>${h(b.caption)}</figcaption>${timelineSvg(b.view, b.labels, lang)}</figure>`;
  }
}

function chainBox(box: ChainBox, lang: Lang): string {
  if (box.kind !== 'cert') {
    return `<div class="box ${box.kind}${box.ok ? ' ok' : ' bad'}">${box.ok ? '' : '<span class="mark" aria-hidden="true">✖</span> '}${h(box.label)}</div>`;
  }
  const bad = box.state !== 'valid' || box.stateAtTruth !== null;
  const flagged = box.badges.some((x) => x.tone === 'bad');
  const state = t(lang, `report.state.${box.state}` as MessageKey);
  const badges = box.badges.length ? `<div class="badges">${box.badges.map((x) => `<span class="badge ${x.tone}">${h(x.text)}</span>`).join(' ')}</div>` : '';
  return `<div class="box cert${bad ? ` ${box.state === 'valid' ? 'hidden-problem' : box.state}` : ''}${flagged ? ' flagged' : ''}">
<div class="role">${h(box.role)}</div>
<div class="name">${h(box.name)}</div>
${badges}
<div class="dn">${h(box.subject)}</div>
<div class="dates">${h(fmtTime(box.notBefore))} → ${h(fmtTime(box.notAfter))} · <span class="state">${h(state)}</span></div>
${box.mark ? `<div class="datemark">${h(box.mark)}</div>` : ''}
<div class="src">${h(box.source)}</div>
</div>`;
}

/** Bars from notBefore to notAfter on one time axis, with this computer's clock and the true time. */
function timelineSvg(v: TimelineView, labels: { local: string; truth: string }, lang: Lang): string {
  // The axis frames the gateway's certificate and both clocks; longer CA bars run off its edges.
  const leaf = v.bars[0]!;
  const times = [Date.parse(leaf.notBefore), Date.parse(leaf.notAfter), Date.parse(v.localTime), Date.parse(v.trueTime)];
  const pad = Math.max(86_400_000, (Math.max(...times) - Math.min(...times)) * 0.12);
  const min = Math.min(...times) - pad;
  const max = Math.max(...times) + pad;
  const span = Math.max(1, max - min);
  const clip = (ms: number): number => Math.min(max, Math.max(min, ms));
  const width = 720;
  const left = 180;
  const right = 20;
  const rowH = 30;
  const top = 34;
  const height = top + v.bars.length * rowH + 52;
  const x = (ms: number): number => Math.round((left + ((ms - min) / span) * (width - left - right)) * 10) / 10;
  const rows = v.bars.map((b, i) => {
    const y = top + i * rowH;
    const x1 = x(clip(Date.parse(b.notBefore)));
    const x2 = x(clip(Date.parse(b.notAfter)));
    const okAtTruth = (b.stateAtTruth ?? b.state) === 'valid';
    return `<text x="${left - 8}" y="${y + 17}" text-anchor="end" class="lbl">${h(truncate(b.name, 26))}</text>
<rect x="${x1}" y="${y + 4}" width="${Math.max(2, x2 - x1)}" height="18" rx="3" class="${okAtTruth ? 'bar-ok' : 'bar-bad'}"><title>${h(`${b.name}: ${fmtTime(b.notBefore)} → ${fmtTime(b.notAfter)}`)}</title></rect>`;
  });
  // Labels near an edge grow inwards, so they stay inside the picture.
  const anchor = (px: number): string => (px > width * 0.7 ? 'end' : px < left + 120 ? 'start' : 'middle');
  const marker = (ms: number, cls: string, label: string, dy: number): string =>
    `<line x1="${x(ms)}" y1="${top - 4}" x2="${x(ms)}" y2="${height - 46 + dy}" class="${cls}"/><text x="${x(ms)}" y="${height - 32 + dy}" text-anchor="${anchor(x(ms))}" class="${cls}-t">${h(label)}</text>`;
  const local = Date.parse(v.localTime);
  const truth = Date.parse(v.trueTime);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${h(t(lang, 'report.timeline'))}">
<text x="${left}" y="16" class="axis">${h(fmtTime(new Date(min).toISOString()).slice(0, 10))}</text>
<text x="${width - right}" y="16" text-anchor="end" class="axis">${h(fmtTime(new Date(max).toISOString()).slice(0, 10))}</text>
${rows.join('\n')}
${marker(local, 'm-local', `${labels.local}: ${fmtTime(v.localTime)}`, 0)}
${marker(truth, 'm-true', `${labels.truth}: ${fmtTime(v.trueTime)}`, 18)}
</svg>`;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

const CSS = `
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;background:#f6f7f9;color:#1f2328;font:15px/1.5 -apple-system,"Segoe UI","Hiragino Sans","Yu Gothic UI",Meiryo,"Noto Sans CJK JP",Roboto,Helvetica,Arial,sans-serif}
.report{max-width:60rem;margin:0 auto;padding:1.5rem;background:#fff}
h1{font-size:1.5rem;margin:1.5rem 0 .75rem;border-bottom:2px solid #d0d7de;padding-bottom:.3rem}
h2{font-size:1.2rem;margin:1.75rem 0 .6rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
h4{font-size:1rem;margin:.2rem 0}
h5{font-size:.9rem;margin:.5rem 0 .2rem}
code,.mono,pre{font-family:ui-monospace,"SFMono-Regular",Consolas,"Liberation Mono",Menlo,monospace;font-size:.88em}
code{background:#eff1f3;border-radius:4px;padding:.05em .3em;overflow-wrap:anywhere}
pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:.6rem .8rem;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere}
.verdict{border:2px solid;border-radius:8px;padding:.8rem 1rem;margin:1rem 0}
.verdict-text{font-size:1.2rem;font-weight:700;margin:0 0 .4rem}
.verdict dl{margin:0;display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}
.verdict dt{font-weight:700}
.verdict dd{margin:0}
.verdict.st-pass{border-color:#1a7f37;background:#dafbe1}
.verdict.st-warn{border-color:#9a6700;background:#fff8c5}
.verdict.st-fail{border-color:#cf222e;background:#ffebe9}
.note{font-weight:600}
.warn{color:#9a6700;font-weight:700}
.muted{color:#57606a;font-size:.9em}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid #d8dee4;overflow-wrap:break-word}
td.mono{overflow-wrap:anywhere}
table.fields th{width:13rem;color:#57606a;font-weight:600}
table.grid thead th{background:#f6f8fa}
td.status{white-space:nowrap;font-weight:700}
tr.st-pass td.status,.st-pass .mark{color:#1a7f37}
tr.st-warn td.status,h3.st-warn{color:#9a6700}
tr.st-fail td.status,h3.st-fail{color:#cf222e}
tr.st-error td.status,h3.st-error{color:#8250df}
tr.st-skip td{color:#6e7781}
.fix{border:1px solid #d0d7de;border-left:4px solid #0969da;border-radius:6px;padding:.5rem .8rem;margin:.6rem 0}
.fix.admin{border-left-color:#8250df}
.fix .for{margin:.1rem 0 .3rem;color:#57606a;font-size:.85em}
.fix ol{margin:.2rem 0 .4rem;padding-left:1.6rem}
.os.mine{background:#ddf4ff;border-radius:6px;padding:.2rem .6rem .1rem}
details summary{cursor:pointer;color:#0969da}
details.os{margin:.2rem 0}
.evidence pre{max-height:30rem}
figure{margin:.6rem 0}
figcaption{color:#57606a;font-size:.9em;margin-bottom:.6rem}
.chain .box{border:2px solid #8c959f;border-radius:8px;padding:.5rem .8rem;max-width:40rem;background:#fff}
.chain .box .role{font-size:.8em;text-transform:uppercase;letter-spacing:.04em;color:#57606a}
.chain .box .name{font-weight:700;font-size:1.05rem}
.chain .box .dn,.chain .box .src{font-size:.82em;color:#57606a;overflow-wrap:anywhere}
.chain .box .dates{font-size:.88em}
.chain .box.expired,.chain .box.not-yet-valid,.chain .box.hidden-problem{border-color:#cf222e;background:#ffebe9}
.chain .box .datemark{color:#cf222e;font-weight:700}
.chain .box.flagged{border-color:#cf222e;background:#ffebe9}
.badges{margin:.2rem 0}
.badge{display:inline-block;border-radius:1rem;padding:0 .55rem;font-size:.8em;font-weight:700;border:1px solid}
.badge.ok{color:#1a7f37;border-color:#1a7f37;background:#dafbe1}
.badge.warn{color:#9a6700;border-color:#9a6700;background:#fff8c5}
.badge.bad{color:#fff;border-color:#cf222e;background:#cf222e}
.chain .box.store.ok{border-color:#1a7f37;background:#dafbe1;font-weight:700}
.chain .box.bad{border:2px dashed #cf222e;background:#ffebe9;color:#a40e26;font-weight:700}
.chain .link{margin:0 0 0 1.6rem;padding:.35rem 0 .35rem 1rem;border-left:3px solid #8c959f;font-size:.9em;color:#57606a}
.chain .link.broken{border-left:3px dashed #cf222e;color:#a40e26;font-weight:700}
.chain .link .arrow{display:inline-block;width:1.2rem}
.chain .unrelated{margin-top:1rem;opacity:.85}
.timeline svg{max-width:100%;height:auto;border:1px solid #d0d7de;border-radius:6px;background:#fff}
.timeline .lbl,.timeline .axis{font-size:12px;fill:#1f2328}
.timeline .axis{fill:#57606a}
.timeline .bar-ok{fill:#4ac26b}
.timeline .bar-bad{fill:#ff8182}
.timeline .m-local{stroke:#cf222e;stroke-width:2;stroke-dasharray:5 3}
.timeline .m-true{stroke:#1a7f37;stroke-width:2}
.timeline .m-local-t{fill:#cf222e;font-size:12px;font-weight:700}
.timeline .m-true-t{fill:#1a7f37;font-size:12px;font-weight:700}
.trail{font-size:.8em}
@media print{
  body{background:#fff;font-size:11pt}
  .report{max-width:none;padding:0}
  a{color:inherit;text-decoration:none}
  h1,h2,h3,h4{break-after:avoid}
  .verdict,.fix,.chain .box,.chain .link,tr{break-inside:avoid}
  details>summary{list-style:none;color:#1f2328;font-weight:700}
  details::details-content{content-visibility:visible;display:contents}
  .evidence pre{max-height:none}
}
`;
