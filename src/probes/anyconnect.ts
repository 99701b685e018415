import * as http from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { PlatformId } from '../../platform/types';
import { child, childText, childrenNamed, descendants, parseXml, XmlError, type XmlElement } from '../anyconnect/xml';
import { abortable, abortReason, withTimeout } from '../deadline';
import { displaySafe } from '../pki/text';
import { tlsEnding } from './tls-failure';
import type { GatewayFacts } from '../run-facts';
import type { Target } from '../target';

/**
 * The first step of AnyConnect's login: the client POSTs a `config-auth` "init"
 * document to the group URL and the gateway answers with its login form (or, for
 * certificate-only login, straight away with `complete`). The init names the client
 * and the URL and nothing else: no user name, password or certificate is ever sent.
 */

/** The client version this probe introduces itself as (a current 4.10 release). */
export const CLIENT_VERSION = '4.10.08029';

/** How each OS's client names itself (User-Agent and X-AnyConnect-Platform). */
const PLATFORMS: Readonly<Record<PlatformId, { readonly agent: string; readonly device: string }>> = {
  windows: { agent: 'Windows', device: 'win' },
  macos: { agent: 'Darwin_i386', device: 'mac-intel' },
  linux: { agent: 'Linux_64', device: 'linux-64' },
  unsupported: { agent: 'Linux_64', device: 'linux-64' },
};

const MAX_REPLY_BYTES = 256 * 1024;
/** More tunnel groups, form fields or methods than any gateway offers: the rest is left out of the facts. */
const MAX_LISTED = 100;

export interface ConfigAuthOptions {
  /** The open TLS connection whose certificate the run examined. */
  readonly socket: TLSSocket;
  readonly target: Target;
  readonly platform: PlatformId;
  /** How long to wait for the answer; the run's deadline bounds it too. */
  readonly timeoutMs: number;
  /** The run's deadline. */
  readonly signal: AbortSignal;
  readonly now: () => Date;
  /** The handshake carried a CertificateRequest (this probe never answers it with a certificate). */
  readonly certificateRequested: boolean;
}

function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The init document, as the Cisco client and openconnect send it. */
export function initRequestBody(target: Target, platform: PlatformId): string {
  const p = PLATFORMS[platform];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<config-auth client="vpn" type="init" aggregate-auth-version="2">',
    `<version who="vpn">${CLIENT_VERSION}</version>`,
    `<device-id>${p.device}</device-id>`,
    `<group-access>${xmlEscape(target.url)}</group-access>`,
    '<capabilities><auth-method>single-sign-on-v2</auth-method></capabilities>',
    '</config-auth>',
    '',
  ].join('\n');
}

export function initRequestHeaders(target: Target, platform: PlatformId, bodyLength: number): Record<string, string> {
  const p = PLATFORMS[platform];
  const host = target.ipVersion === 6 ? `[${target.host}]` : target.host;
  return {
    Host: target.port === 443 ? host : `${host}:${target.port}`,
    'User-Agent': `AnyConnect ${p.agent} ${CLIENT_VERSION} (vpn-preflight)`,
    Accept: '*/*',
    'Accept-Encoding': 'identity',
    'X-Transcend-Version': '1',
    'X-Aggregate-Auth': '1',
    'X-AnyConnect-Platform': p.device,
    // The Cisco client labels its XML body this way; gateways expect it.
    'Content-Type': 'application/x-www-form-urlencoded',
    'Content-Length': String(bodyLength),
    Connection: 'close',
  };
}

interface RawReply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly receivedAt: Date;
  /** The reply went on past MAX_REPLY_BYTES: `body` is only its beginning. */
  readonly truncated?: boolean;
}

type NoAnswer = { noAnswer: string; timedOut: boolean; tlsError: Error | null };

/** Sends the init over `socket` and waits (bounded) for the whole reply. */
function exchange(opts: ConfigAuthOptions, path: string, body: Buffer): Promise<RawReply | NoAnswer> {
  const bound = withTimeout(opts.signal, opts.timeoutMs);
  let tlsError: Error | null = null;
  return abortable(bound, (onAbort) =>
    new Promise<RawReply | NoAnswer>((resolve) => {
      const socket = opts.socket;
      // A TLS alert (e.g. certificate_required) arrives as an error on the socket itself.
      socket.on('error', (e) => (tlsError ??= e));
      if (socket.destroyed || !socket.writable) {
        resolve({ noAnswer: 'the gateway had already closed the connection', timedOut: false, tlsError });
        return;
      }
      const req = http.request({
        method: 'POST',
        path,
        setHost: false,
        headers: initRequestHeaders(opts.target, opts.platform, body.length),
        createConnection: () => socket,
      });
      onAbort(() => req.destroy());
      req.on('error', (err) => resolve({ noAnswer: `the connection ended without an HTTP answer (${tlsError?.message ?? err.message})`, timedOut: false, tlsError }));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        res.on('data', (c: Buffer) => {
          if (truncated) return;
          if (size + c.length > MAX_REPLY_BYTES) {
            truncated = true;
            chunks.push(c.subarray(0, MAX_REPLY_BYTES - size));
            res.destroy();
            return;
          }
          size += c.length;
          chunks.push(c);
        });
        const done = (): void => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), receivedAt: opts.now(), truncated });
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      });
      req.end(body);
    }),
  ).catch((err: unknown) => {
    if (opts.signal.aborted) throw abortReason(opts.signal);
    const why = err instanceof Error ? err.message : String(err);
    return { noAnswer: why.startsWith('no answer within') ? why : `no answer within ${Math.round(opts.timeoutMs)} ms (${why})`, timedOut: true, tlsError };
  });
}

/** The fields of a reply that was not read as config-auth (no answer, or not AnyConnect). */
const NOTHING_READ = {
    replyType: null,
    serverVersion: null,
    product: null,
    groups: [] as never[],
    currentGroup: null,
    authMethods: [] as never[],
    formInputs: [] as never[],
    ssoLoginUrl: null,
    clientCertRequested: false,
    errorMessage: null,
    message: null,
} as const;

/** Performs the config-auth init exchange and reads what the gateway answers. */
export async function configAuthInit(opts: ConfigAuthOptions): Promise<GatewayFacts> {
  const start = performance.now();
  const path = new URL(opts.target.url).pathname || '/';
  const body = Buffer.from(initRequestBody(opts.target, opts.platform), 'utf8');
  const reply = await exchange(opts, path, body);
  const ms = Math.round(performance.now() - start);
  const base = { url: opts.target.url, ...NOTHING_READ, ms };
  if ('noAnswer' in reply) {
    // Judged as the TLS probe judges a handshake's ending (tls-failure.ts), from structured
    // signals only: the certificate_required alert, or a gateway that asked for a certificate
    // in the handshake and then hung up or sent any alert. A connection that merely timed
    // out was not ended by the gateway, so only the alert counts then.
    const ending = tlsEnding(reply.tlsError, { certificateRequested: opts.certificateRequested && !reply.timedOut });
    // The first handshake was complete: an alert that ends a handshake can now only end a
    // renegotiation, which a TLS 1.2 gateway starts to ask for a client certificate once it
    // knows the URL or group (the ASA does); that CertificateRequest is encrypted, so the
    // probe never saw it.
    const renegotiationRefused = ending.alert === 'handshake_failure' || ending.alert === 'bad_certificate';
    const certRefused = ending.kind === 'certificate-required' || renegotiationRefused;
    return {
      ...base,
      status: null,
      kind: certRefused ? 'client-cert-required' : 'not-anyconnect',
      why: certRefused ? 'client-cert-required' : 'no-answer',
      headers: { server: null, contentType: null, location: null, xAggregateAuth: null },
      dateHeader: null,
      clockOffsetMs: null,
      bodyExcerpt: null,
      detail: reply.noAnswer,
    };
  }
  return { ...readReply(reply, opts.target), ms };
}

function header(h: http.IncomingHttpHeaders, name: string, hide: (s: string) => string): string | null {
  const v = h[name];
  if (v === undefined) return null;
  return displaySafe(hide(Array.isArray(v) ? v.join(', ') : String(v)), 300);
}

/**
 * The session values a reply carries (session-token and session-id elements, webvpn
 * cookies), so they can be blanked wherever else they show up — in a broken tag, an
 * error message, a header.
 */
function sessionValues(text: string, headers: http.IncomingHttpHeaders): string[] {
  const cookies = ([] as string[]).concat(headers['set-cookie'] ?? []).join('; ');
  const values = [
    // The closing `<` is looked at, not taken: it may open the next session element.
    ...[...text.matchAll(/<(?:session-token|session-id)\b[^>]*>([^<]+)(?=<)/gi)].map((m) => m[1]!.trim()),
    ...[...`${cookies}; ${text}`.matchAll(/\bwebvpn\w*=([^;&\s"'<>]+)/gi)].map((m) => m[1]!),
  ];
  // Values too short to be a secret would blank ordinary words.
  return [...new Set(values.filter((v) => v.length >= 4))].sort((a, b) => b.length - a.length);
}

/**
 * A gateway's answer may carry a session: a `session-token` element, a `webvpn` cookie, a
 * token in a redirect URL. Whatever of it the facts keep (an excerpt, a Location) has the
 * values blanked, so no report or log ever holds a credential.
 */
export function withoutSecrets(text: string): string {
  return text
    // An element's text, also where the markup around it is broken (`session-token>…` without its `<`).
    .replace(/((?:session-token|session-id|password|passwd|cookie|webvpn[\w-]*)\b[^<>]*>)[^<]*/gi, '$1[redacted]')
    .replace(/\b(webvpn\w*|session[-_]?(?:token|id)?|token|sid|cookie|password|passwd|pwd|auth[-_]?token|ticket)=([^;&\s"'<>]+)/gi, '$1=[redacted]');
}

/** Classifies an HTTP reply to the init. Pure; exported for tests. */
export function readReply(reply: RawReply, target: Target): GatewayFacts {
  const secrets = sessionValues(reply.body.toString('utf8'), reply.headers);
  const hide = (t: string): string => secrets.reduce((acc, v) => acc.split(v).join('[redacted]'), withoutSecrets(t));
  const shown = (t: string, maxLength: number): string => displaySafe(hide(t), maxLength);
  const dateHeader = header(reply.headers, 'date', hide);
  const dateMs = dateHeader ? Date.parse(dateHeader) : NaN;
  const text = reply.body.toString('utf8');
  const common = {
    url: target.url,
    status: reply.status,
    headers: {
      server: header(reply.headers, 'server', hide),
      contentType: header(reply.headers, 'content-type', hide),
      location: header(reply.headers, 'location', hide),
      xAggregateAuth: header(reply.headers, 'x-aggregate-auth', hide),
    },
    dateHeader,
    clockOffsetMs: Number.isFinite(dateMs) ? dateMs - reply.receivedAt.getTime() : null,
    ms: 0,
  };
  const excerpt = text ? displaySafe(hide(text.slice(0, 240)).replace(/\s+/g, ' ').trim(), 240) : null;
  const notAnyconnect = (why: string, detail: string): GatewayFacts => ({ ...common, ...NOTHING_READ, kind: 'not-anyconnect', why, bodyExcerpt: excerpt, detail: shown(detail, 600) });
  if (reply.truncated) {
    // A login form is a few KiB; what was cut off may change what the beginning means.
    return notAnyconnect('too-large', `the reply is larger than ${MAX_REPLY_BYTES / 1024} KiB; only that much was read`);
  }
  if (reply.status >= 300 && reply.status < 400) {
    return notAnyconnect('redirect', `HTTP ${reply.status} redirect to ${common.headers.location ?? '(no Location)'}`);
  }
  if (!/<config-auth[\s>]/.test(text)) {
    return reply.status === 200
      ? notAnyconnect('not-config-auth', `HTTP 200, but the reply is not an AnyConnect config-auth document (${common.headers.contentType ?? 'no Content-Type'})`)
      : notAnyconnect('http-status', `HTTP ${reply.status}`);
  }
  let root: XmlElement;
  try {
    root = parseXml(text, 'the gateway’s reply');
  } catch (err) {
    return notAnyconnect(err instanceof XmlError && err.reason !== 'malformed' ? 'refused-xml' : 'not-xml', err instanceof Error ? err.message : String(err));
  }
  if (root.name !== 'config-auth') return notAnyconnect('not-config-auth', `the reply's root element is <${root.name}>`);
  const version = childrenNamed(root, 'version').find((v) => v.attrs.who === 'sg')?.text ?? null;
  const opaque = child(root, 'opaque');
  const auth = child(root, 'auth');
  const form = auth ? child(auth, 'form') : undefined;
  const groupSelect = form ? childrenNamed(form, 'select').find((s) => s.attrs.name === 'group_list') : undefined;
  const groups = childrenNamed(groupSelect, 'option').slice(0, MAX_LISTED).map((o) => ({
    value: o.attrs.value ?? o.text,
    label: o.text || (o.attrs.value ?? ''),
    selected: o.attrs.selected === 'true',
  }));
  const inputs = form
    ? childrenNamed(form, 'input').slice(0, MAX_LISTED).map((i) => ({ name: i.attrs.name ?? '', type: i.attrs.type ?? 'text', label: i.attrs.label ?? null }))
    : [];
  const authMethods = [...new Set(descendants(root, 'auth-method').map((m) => m.text).filter(Boolean))].slice(0, MAX_LISTED);
  const sso = descendants(root, 'sso-v2-login')[0]?.text ?? null;
  const error = auth ? child(auth, 'error') : undefined;
  const safe = (s: string | null | undefined, n = 200): string | null => (s ? shown(s, n) : null);
  return {
    ...common,
    kind: 'anyconnect',
    why: null,
    replyType: root.attrs.type === undefined ? null : shown(root.attrs.type, 60),
    serverVersion: safe(version, 60),
    product: productOf(version),
    groups: groups.map((g) => ({ value: shown(g.value, 120), label: shown(g.label, 120), selected: g.selected })),
    currentGroup: safe(childText(opaque, 'group-alias') ?? childText(opaque, 'tunnel-group') ?? groups.find((g) => g.selected)?.value, 120),
    authMethods: authMethods.map((m) => shown(m, 60)),
    formInputs: inputs.map((i) => ({ name: shown(i.name, 60), type: shown(i.type, 30), label: safe(i.label, 120) })),
    ssoLoginUrl: safe(sso, 300),
    clientCertRequested: descendants(root, 'client-cert-request').length > 0,
    errorMessage: safe(error?.text),
    message: safe(auth ? childText(auth, 'message') : null),
    bodyExcerpt: null,
    detail: shown(`config-auth type="${root.attrs.type ?? '?'}"${version ? `, gateway version ${version}` : ''}`, 300),
  };
}

/** ocserv answers `0.1(1)`; Cisco ASA / FTD software versions look like `9.16(4)`. */
function productOf(version: string | null): GatewayFacts['product'] {
  if (!version) return 'other';
  if (version === '0.1(1)') return 'ocserv';
  if (/^\d+\.\d+\(\d+\)/.test(version)) return 'Cisco ASA/FTD';
  return 'other';
}
