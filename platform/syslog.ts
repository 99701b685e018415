/**
 * Lines of the classic syslog files (/var/log/syslog, /var/log/messages) as rsyslog writes
 * them, for Linux systems whose VPN agent logs there instead of the journal. Two forms:
 *  - RFC 3164 §4.1.2: `Dec  6 09:15:02 host vpnagentd[1234]: message`, local time without
 *    a year (rsyslog's RSYSLOG_TraditionalFileFormat);
 *  - an RFC 5424 §6.2.3 (RFC 3339) timestamp: `2026-12-06T09:15:02.123456+09:00 host
 *    vpnagentd[1234]: message` (rsyslog's high-precision RSYSLOG_FileFormat).
 * Pure: text in, entries out; the caller reads the files.
 */
import type { VpnLogEntry } from './types';

export interface SyslogLine {
  /** ISO 8601 instant. */
  readonly time: string;
  /** The program name of the tag, without `[pid]` (`vpnagentd`). */
  readonly tag: string;
  readonly message: string;
}

/** What a year-less RFC 3164 time is read against: the computer's clock and time zone. */
export interface SyslogClock {
  readonly now: Date;
  readonly timeZone: string;
}

/** Longer messages are cut: the report shows at most a few hundred characters of one. */
const MAX_MESSAGE = 4096;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// An optional <PRI> (a file written by a plain relay keeps it), then the timestamp and the host.
const RFC3164 = /^(?:<\d{1,3}>)?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\S{1,255}) /;
const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})) (\S{1,255}) /;
// TAG[PID]: as rsyslog's %syslogtag% (RFC 3164 §4.1.3); the pid part is optional.
const TAG = /^([^\s[\]:]{1,64})(?:\[[^\]\s]{0,32}\])?:/;

/** One line, or null when it is not a syslog line with a timestamp and a tag. */
export function parseSyslogLine(line: string, clock: SyslogClock): SyslogLine | null {
  let time: number | null = null;
  let rest: string;
  const iso = RFC3339.exec(line);
  if (iso) {
    time = Date.parse(iso[1]!);
    rest = line.slice(iso[0].length);
  } else {
    const m = RFC3164.exec(line);
    if (!m) return null;
    const month = MONTHS.indexOf(m[1]!);
    if (month < 0) return null;
    time = rfc3164Time(month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), clock);
    rest = line.slice(m[0].length);
  }
  if (time === null || !Number.isFinite(time)) return null;
  const tag = TAG.exec(rest);
  if (!tag) return null;
  const message = rest.slice(tag[0].length).replace(/^ /, '').replace(/\r$/, '').slice(0, MAX_MESSAGE);
  return { time: new Date(time).toISOString(), tag: tag[1]!, message };
}

/**
 * The entries of `identifiers` in a syslog file's text, at or after `since`. `source` says
 * where they were read (the file), for the report.
 */
export function syslogEntries(text: string, options: { identifiers: readonly string[]; since: Date; clock: SyslogClock; source: string }): VpnLogEntry[] {
  const out: VpnLogEntry[] = [];
  const since = options.since.getTime();
  for (const line of text.split('\n')) {
    // Most lines are other programs': skip them before any parsing.
    if (!options.identifiers.some((id) => line.includes(id))) continue;
    const l = parseSyslogLine(line, options.clock);
    if (!l || !options.identifiers.includes(l.tag) || Date.parse(l.time) < since) continue;
    out.push({ time: l.time, source: `${l.tag} (${options.source})`, message: l.message });
  }
  return out;
}

/**
 * The instant of an RFC 3164 time: local wall time in `clock.timeZone`, in the clock's
 * current year, or the year before when that would be in the future (a December line
 * read in January). A day the month does not have gives null.
 */
function rfc3164Time(month: number, day: number, hour: number, minute: number, second: number, clock: SyslogClock): number | null {
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const now = clock.now.getTime();
  const year = new Date(now + zoneOffsetMs(clock.timeZone, now)).getUTCFullYear();
  // A day of slack: the clock or the zone may be a little off from the one that wrote the line.
  for (const y of [year, year - 1]) {
    const wall = Date.UTC(y, month, day, hour, minute, Math.min(second, 59));
    if (new Date(wall).getUTCDate() !== day) continue; // 29 February of a common year
    let t = wall - zoneOffsetMs(clock.timeZone, wall);
    const again = wall - zoneOffsetMs(clock.timeZone, t);
    if (again !== t) t = again; // near a daylight-saving change
    if (t <= now + 86_400_000) return t;
  }
  return null;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat | null>();

/** The zone's offset from UTC at an instant (`GMT+09:00` → 9 h); an unknown zone counts as UTC. */
function zoneOffsetMs(timeZone: string, at: number): number {
  let f = offsetFormats.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    } catch {
      f = null;
    }
    offsetFormats.set(timeZone, f);
  }
  const name = f?.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
}
