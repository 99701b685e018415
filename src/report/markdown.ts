import { displaySafe } from '../pki/text';
import { t } from '../fixes/i18n';
import { buildDocument, STATUS_SYMBOL, type Block } from './document';
import { codeSpans } from './format';
import { fmtTime } from '../time-text';
import type { Report } from './model';

/**
 * The report as Markdown that pastes into a ticket: the verdict, cause and first step
 * first, then checks, findings, fixes (yours, then IT's), the chain, the certificates
 * and the trail. Every value is escaped: a certificate name cannot add formatting,
 * links or HTML, and control characters are shown as \uXXXX.
 */
export function renderMarkdown(reports: Report | readonly Report[]): string {
  const list = Array.isArray(reports) ? (reports as readonly Report[]) : [reports as Report];
  const doc = buildDocument(list);
  const out: string[] = [];
  for (const b of doc.blocks) out.push(block(b, doc.lang), '');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

/**
 * Escapes text for Markdown: whatever could format, link or open HTML. Underscores
 * inside words and ampersands that start no entity are left alone, so the raw text
 * stays readable in a ticket system that shows Markdown as typed.
 */
export function mdEscape(text: string): string {
  return displaySafe(text, 4096)
    .replace(/[\\`*[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
    .replace(/(^|[^A-Za-z0-9])_|_(?=[^A-Za-z0-9]|$)/g, (m) => m.replace('_', '\\_'));
}

/** Escapes text that starts a line: also what would make it a heading or a list item. */
function mdLine(text: string): string {
  return mdEscape(text)
    .replace(/^(\s*)([-=#+])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/** A fix step: `code` spans stay code, everything else is escaped. */
function rich(line: string): string {
  return codeSpans(line)
    .map((p) => (p.code ? codeSpan(displaySafe(p.text, 4096)) : mdEscape(p.text)))
    .join('');
}

function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((s) => s.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function fenced(text: string, info = ''): string {
  const safe = text
    .split('\n')
    .map((l) => displaySafe(l, 4096))
    .join('\n');
  const longest = Math.max(2, ...(safe.match(/`+/g) ?? []).map((s) => s.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${safe}\n${fence}`;
}

function cell(text: string): string {
  return mdEscape(text).replace(/\r?\n/g, ' ');
}

function block(b: Block, lang: 'en' | 'ja'): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${mdEscape(b.text)}`;
    case 'verdict': {
      const lines = [`> **${STATUS_SYMBOL[b.status]} ${mdEscape(b.text)}**`];
      for (const r of b.rows) lines.push('>', `> **${mdEscape(r.label)}:** ${mdEscape(r.text)}`);
      return lines.join('\n');
    }
    case 'para':
      return b.tone === 'muted' ? `*${mdEscape(b.text)}*` : b.tone === 'warn' ? `**${mdEscape(b.text)}**` : mdLine(b.text);
    case 'fields':
      return ['| | |', '|---|---|', ...b.rows.map((r) => `| ${cell(r.label)} | ${r.mono ? codeSpan(displaySafe(r.value, 4096)) : cell(r.value)} |`)].join('\n');
    case 'table':
      return [
        `| ${b.head.map(cell).join(' | ')} |`,
        `|${b.head.map(() => '---').join('|')}|`,
        ...b.rows.map((r) => `| ${r.cells.map(cell).join(' | ')} |`),
      ].join('\n');
    case 'list':
      return b.items.map((i) => `- ${i.includes('`') ? rich(i) : mdLine(i)}`).join('\n');
    case 'fix': {
      const lines = [`#### ${mdEscape(b.title)}`, '', `*${mdEscape(b.checks)}*`];
      for (const s of b.systems) {
        lines.push('');
        if (s.label) lines.push(s.mine ? `**${mdEscape(s.label)}**` : `*${mdEscape(s.label)}*`, '');
        s.lines.forEach((l, i) => lines.push(`${i + 1}. ${rich(l)}`));
      }
      return lines.join('\n');
    }
    case 'pre':
      return b.summary ? `${mdLine(b.summary)}\n\n${fenced(b.text, 'json')}` : fenced(b.text);
    case 'chain': {
      const v = b.view;
      const lines = [`*${mdEscape(b.caption)}*`, ''];
      v.boxes.forEach((box, i) => {
        if (box.kind === 'cert') {
          const notes = [...(box.mark ? [box.mark] : []), ...box.badges.filter((x) => x.tone !== 'ok').map((x) => x.text)];
          const mark = [...notes.map((n) => ` — **${mdEscape(n)}**`), ...box.badges.filter((x) => x.tone === 'ok').map((x) => ` — ${mdEscape(x.text)}`)].join('');
          lines.push(`${i + 1}. **${mdEscape(box.name)}** · ${mdEscape(box.role)} · ${mdEscape(box.source)}${mark}`);
        } else {
          lines.push(`${i + 1}. ${box.ok ? '' : '✖ '}**${mdEscape(box.label)}**`);
        }
        const link = v.links[i];
        if (link) lines.push(`   ${link.ok ? '↓' : '✖'} ${link.ok ? mdEscape(link.text) : `**${mdEscape(link.text)}**`}`);
      });
      if (v.unrelated.length) {
        lines.push('', `*${mdEscape(t(lang, 'report.chain.also-sent'))}:*`, '');
        for (const u of v.unrelated) if (u.kind === 'cert') lines.push(`- ${mdEscape(u.name)} (${mdEscape(u.source)})`);
      }
      return lines.join('\n');
    }
    case 'timeline': {
      const v = b.view;
      const state = (s: string): string => t(lang, `report.state.${s}` as 'report.state.valid');
      return [
        `*${mdEscape(b.caption)}*`,
        '',
        `| ${[t(lang, 'report.cert.subject'), t(lang, 'report.cert.not-before'), t(lang, 'report.cert.not-after'), b.labels.local, b.labels.truth].map(cell).join(' | ')} |`,
        '|---|---|---|---|---|',
        ...v.bars.map((bar) => `| ${[`${bar.name} · ${bar.role}`, fmtTime(bar.notBefore), fmtTime(bar.notAfter), state(bar.state), state(bar.stateAtTruth ?? bar.state)].map(cell).join(' | ')} |`),
      ].join('\n');
    }
  }
}
