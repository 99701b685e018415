import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { abortable, withTimeout } from '../deadline';
import { errorCode, errorMessage } from '../errors';

/**
 * SNTP (RFC 4330 / RFC 5905 client mode). The socket is connected to the server, so
 * datagrams from any other address or port never reach us; the request carries a
 * random transmit timestamp that a genuine reply must echo; replies that are short,
 * in the wrong mode, unsynchronised, kiss-of-death or with zero timestamps are refused
 * (a short one only when nothing genuine follows: it cannot echo the timestamp).
 *
 * Why not the ntp-time-sync package: it listens on an unconnected socket and takes the
 * first datagram from any address or port; it takes T1 from the reply's own origin
 * field (checked only for "not in the future"), so a forged reply sets the offset it
 * likes; it cannot be cancelled by the run's AbortSignal and retries whole rounds up
 * to three times when servers are silent; it caches a result for 16 s; and it hides
 * per-server errors behind one "unable to get any NTP response". A clock check that
 * must name the lying or silent server, inside one deadline, needs all of that right.
 */

export interface NtpSample {
  readonly server: string;
  readonly address: string;
  /** Positive when the true time is ahead of this computer's clock. */
  readonly offsetMs: number;
  readonly delayMs: number;
  readonly stratum: number;
  readonly referenceId: string;
}

export interface NtpServerResult {
  readonly server: string;
  readonly sample: NtpSample | null;
  readonly error: { readonly code: NtpErrorCode; readonly message: string } | null;
}

export type NtpErrorCode =
  | 'timeout'
  | 'unresolved'
  | 'unreachable'
  | 'short-packet'
  | 'wrong-mode'
  | 'kiss-of-death'
  | 'unsynchronized'
  | 'zero-timestamp'
  | 'other';

const NTP_EPOCH_OFFSET_S = 2_208_988_800; // 1900-01-01 to 1970-01-01

export function queryNtp(
  server: { host: string; port: number },
  timeoutMs: number,
  signal: AbortSignal,
  clock: () => number = preciseNow,
): Promise<NtpServerResult> {
  const label = server.port === 123 ? server.host : `${server.host}:${server.port}`;
  const family = isIP(server.host) === 6 ? 'udp6' : 'udp4';
  let socket: Socket | null = null;
  // A datagram too short to carry our transmit timestamp cannot be told from a forgery:
  // it is remembered, not believed, and named only if no genuine answer follows.
  let unverifiable: { code: NtpErrorCode; message: string } | null = null;
  const bounded = withTimeout(signal, timeoutMs);
  return abortable(bounded, (onAbort) =>
    new Promise<NtpServerResult>((resolve) => {
      const s = createSocket({ type: family });
      socket = s;
      onAbort(() => s.close());
      const cookie = randomBytes(8);
      let t1 = 0;
      const fail = (code: NtpErrorCode, message: string): void => {
        s.close();
        resolve({ server: label, sample: null, error: { code, message } });
      };
      s.on('error', (err) => {
        const c = errorCode(err);
        fail(c === 'ENOTFOUND' || c === 'EAI_AGAIN' ? 'unresolved' : c === 'ECONNREFUSED' ? 'unreachable' : 'other', errorMessage(err));
      });
      s.on('message', (msg, rinfo) => {
        const t4 = clock();
        const r = readReply(msg, cookie);
        if (r === 'ignore') return; // not an answer to our request: keep waiting
        if (typeof r !== 'string' && 'code' in r && r.code === 'short-packet') {
          unverifiable = r;
          return;
        }
        if (typeof r === 'string' || 'code' in r) {
          const e = typeof r === 'string' ? { code: 'other' as const, message: r } : r;
          fail(e.code, e.message);
          return;
        }
        const offsetMs = (r.t2 - t1 + (r.t3 - t4)) / 2;
        const delayMs = t4 - t1 - (r.t3 - r.t2);
        s.close();
        resolve({
          server: label,
          sample: {
            server: label,
            address: rinfo.address,
            offsetMs: Math.round(offsetMs),
            delayMs: Math.max(0, Math.round(delayMs * 10) / 10),
            stratum: r.stratum,
            referenceId: r.referenceId,
          },
          error: null,
        });
      });
      // connect() reports a name that does not resolve to its callback, not as an
      // 'error' event: sending on the unconnected socket would then throw outside
      // any handler and end the process.
      s.connect(server.port, server.host, (err?: Error) => {
        if (err) {
          const c = errorCode(err);
          fail(c === 'ENOTFOUND' || c === 'EAI_AGAIN' ? 'unresolved' : 'other', errorMessage(err));
          return;
        }
        const packet = Buffer.alloc(48);
        packet[0] = (0 << 6) | (4 << 3) | 3; // LI 0, version 4, mode 3 (client)
        cookie.copy(packet, 40);
        t1 = clock();
        s.send(packet, (sendErr) => {
          if (sendErr) fail('unreachable', errorMessage(sendErr));
        });
      });
    }),
  ).catch((err: unknown) => {
    try {
      (socket as Socket | null)?.close();
    } catch {
      // already closed
    }
    const c = errorCode(err);
    const refused = unverifiable as { code: NtpErrorCode; message: string } | null;
    if (refused && (c === 'timeout' || c === 'aborted')) return { server: label, sample: null, error: refused };
    return {
      server: label,
      sample: null,
      error: { code: c === 'timeout' || c === 'aborted' ? ('timeout' as const) : ('other' as const), message: c === 'timeout' ? 'no answer in time' : errorMessage(err) },
    };
  });
}

interface Reply {
  t2: number;
  t3: number;
  stratum: number;
  referenceId: string;
}

/** Validates a reply; 'ignore' for datagrams that do not answer our request. */
export function readReply(msg: Buffer, cookie: Buffer): Reply | 'ignore' | { code: NtpErrorCode; message: string } {
  if (msg.length < 48) return { code: 'short-packet', message: `reply of ${msg.length} bytes (an NTP reply has at least 48)` };
  const li = msg[0]! >> 6;
  const version = (msg[0]! >> 3) & 7;
  const mode = msg[0]! & 7;
  const stratum = msg[1]!;
  if (!msg.subarray(24, 32).equals(cookie)) return 'ignore';
  if (mode !== 4) return { code: 'wrong-mode', message: `reply in mode ${mode} (a server answers in mode 4)` };
  if (version < 1 || version > 4) return { code: 'wrong-mode', message: `reply with NTP version ${version}` };
  const refRaw = msg.subarray(12, 16);
  if (stratum === 0) {
    const kiss = refRaw.toString('latin1').replace(/[^\x20-\x7e]/g, '?');
    return { code: 'kiss-of-death', message: `the server refused to answer (kiss code ${kiss})` };
  }
  if (li === 3 || stratum >= 16) return { code: 'unsynchronized', message: 'the server says its own clock is not synchronised' };
  const t2 = ntpToMs(msg, 32);
  const t3 = ntpToMs(msg, 40);
  if (t2 === null || t3 === null) return { code: 'zero-timestamp', message: 'the reply carries zero timestamps' };
  const referenceId = stratum === 1 ? refRaw.toString('latin1').replace(/[^\x20-\x7e]/g, '') : [...refRaw].join('.');
  return { t2, t3, stratum, referenceId };
}

function ntpToMs(buf: Buffer, at: number): number | null {
  const seconds = buf.readUInt32BE(at);
  const fraction = buf.readUInt32BE(at + 4);
  if (seconds === 0 && fraction === 0) return null;
  // Era 0 ends in 2036; timestamps with the top bit clear belong to era 1 (RFC 5905 §6).
  const era = seconds < 0x80000000 ? 2 ** 32 : 0;
  return (seconds + era - NTP_EPOCH_OFFSET_S) * 1000 + (fraction / 2 ** 32) * 1000;
}

/** Wall-clock milliseconds with sub-millisecond steps. */
function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Median and spread of the usable samples. */
export function summarizeOffsets(results: readonly NtpServerResult[]): { medianMs: number | null; spreadMs: number | null; usable: number } {
  const offsets = results.flatMap((r) => (r.sample ? [r.sample.offsetMs] : [])).sort((a, b) => a - b);
  if (offsets.length === 0) return { medianMs: null, spreadMs: null, usable: 0 };
  const mid = Math.floor(offsets.length / 2);
  const median = offsets.length % 2 ? offsets[mid]! : (offsets[mid - 1]! + offsets[mid]!) / 2;
  return { medianMs: Math.round(median), spreadMs: offsets[offsets.length - 1]! - offsets[0]!, usable: offsets.length };
}
