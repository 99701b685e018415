import type { CheckId, CheckResult } from '../checks/types';
import { t, type Lang, type MessageKey } from '../fixes/i18n';
import { displayWidth, padDisplay, paint, statusMark, type TextStyle } from './text';

/**
 * The checklist on a terminal: one line per check, ticking as each check is decided
 * (with the time it took). Only used when stdout is a TTY.
 */
export class LiveChecklist {
  private readonly done = new Map<CheckId, CheckResult>();
  private readonly titleWidth: number;
  private started = false;

  constructor(
    private readonly out: { write(s: string): unknown },
    private readonly ids: readonly CheckId[],
    private readonly lang: Lang,
    private readonly style: TextStyle,
  ) {
    this.titleWidth = Math.max(...ids.map((id) => displayWidth(this.title(id))));
  }

  start(heading: string): void {
    this.started = true;
    this.out.write(`${heading}\n\n${this.ids.map((id) => this.line(id)).join('\n')}\n`);
  }

  update(r: CheckResult): void {
    this.done.set(r.id, r);
    if (!this.started) return;
    const i = this.ids.indexOf(r.id);
    if (i < 0) return;
    const up = this.ids.length - i;
    // Move up to the check's line, rewrite it, and come back down.
    this.out.write(`\x1b[${up}A\r\x1b[2K${this.line(r.id)}\x1b[${up}B\r`);
  }

  private title(id: CheckId): string {
    return t(this.lang, `check.${id}.title` as MessageKey);
  }

  private line(id: CheckId): string {
    const r = this.done.get(id);
    const title = padDisplay(this.title(id), this.titleWidth);
    if (!r) return `  ${paint(this.style, '90', '…')} ${paint(this.style, '90', title)}`;
    const status = t(this.lang, `ui.status.${r.status}` as MessageKey);
    return `  ${statusMark(this.style, r.status)} ${title}  ${paint(this.style, '90', `${status} · ${t(this.lang, 'report.took', { ms: r.durationMs })}`)}`;
  }
}
