/**
 * Asks whether each certificate on the path is revoked: the OCSP response the gateway
 * stapled (leaf only), else the OCSP responder named in the certificate's AIA, else its
 * CRL distribution points. Gathers and verifies (signature, issuer, serial) — it does
 * not judge whether an answer is still current: that needs the true time, which the
 * cert.revocation check has (see `judgeAttempt` in src/pki/revocation-judge.ts).
 */
import type { Deadline } from '../deadline';
import type { Certificate } from '../pki/certificate';
import { CrlParseError, lookupSerial, parseCrl, verifyCrl, type ParsedCrl } from '../pki/crl';
import { buildOcspRequest, ocspHttpRequest, verifyOcspResponse, type OcspVerification } from '../pki/ocsp';
import { judgeAttempt, pickDecision } from '../pki/revocation-judge';
import type { CertificateRevocation, RevocationAttempt, RevocationFacts, RevocationMethod, RevocationNotChecked } from '../run-facts';
import { FetchError, fetchUrl, type FetchResult } from './http';

export interface RevocationTarget {
  readonly cert: Certificate;
  /** The next certificate on the path; null when the path stops before it. */
  readonly issuer: Certificate | null;
  readonly role: 'leaf' | 'intermediate';
  /** Set when the certificate is its own issuer (a self-signed gateway certificate). */
  readonly selfSigned?: boolean;
}

export interface RevocationProbeOptions {
  /** The OCSP response the gateway stapled in the handshake, if any. */
  readonly stapled: Buffer | null;
  readonly deadline: Deadline;
  /** Address scopes besides public ones that URLs may point to (the gateway's own). */
  readonly allowScopes: ReadonlySet<string>;
  /**
   * The best clock the run has — the time servers' once they have answered, else this
   * computer's. Only used to decide whether to ask the next source; the check re-judges
   * every answer. It may wait for the time servers: their answer arrives long before a
   * run's end, and an answer that is current only by a wrong local clock must not stop
   * the search.
   */
  readonly now: () => Date | Promise<Date>;
  /** Per HTTP request; the deadline bounds it too. */
  readonly perRequestMs?: number;
  readonly ocspMaxBytes?: number;
  readonly crlMaxBytes?: number;
  /** URLs tried per method and certificate. */
  readonly maxUrls?: number;
  /** Longest base64 request sent by GET (RFC 5019); longer ones are POSTed. */
  readonly ocspGetMaxChars?: number;
  readonly note?: (line: string) => void;
}

export const REVOCATION_DEFAULTS = {
  perRequestMs: 3000,
  ocspMaxBytes: 64 * 1024,
  // Issuing-CA CRLs are mostly small; a public CA's full list can run to tens of MB,
  // which would not arrive within a run anyway.
  crlMaxBytes: 5 * 1024 * 1024,
  maxUrls: 2,
  maxRedirects: 3,
} as const;

type Fetched = { readonly ok: true; readonly res: FetchResult } | { readonly ok: false; readonly code: string; readonly message: string; readonly ms: number };

/** Checks every target in parallel; each target's sources one after another. */
export async function checkRevocation(targets: readonly RevocationTarget[], opts: RevocationProbeOptions): Promise<RevocationFacts> {
  // One download per URL and request body per run, shared by every certificate that needs it.
  const cache = new Map<string, Promise<Fetched>>();
  const crls = new Map<string, ParsedCrl | CrlParseError>();
  const fetchOnce = (key: string, start: () => Promise<FetchResult>): { promise: Promise<Fetched>; cached: boolean } => {
    const hit = cache.get(key);
    if (hit) return { promise: hit, cached: true };
    const t0 = performance.now();
    const promise = start().then(
      (res): Fetched => ({ ok: true, res }),
      (err: unknown): Fetched => ({
        ok: false,
        code: err instanceof FetchError ? err.code : 'network',
        message: err instanceof Error ? err.message : String(err),
        ms: Math.round(performance.now() - t0),
      }),
    );
    cache.set(key, promise);
    return { promise, cached: false };
  };
  const httpOpts = (maxBytes: number) => ({
    maxBytes,
    maxRedirects: REVOCATION_DEFAULTS.maxRedirects,
    timeoutMs: Math.max(1, Math.min(opts.deadline.remaining(), opts.perRequestMs ?? REVOCATION_DEFAULTS.perRequestMs)),
    signal: opts.deadline.signal,
    allowScopes: opts.allowScopes,
  });
  const maxUrls = opts.maxUrls ?? REVOCATION_DEFAULTS.maxUrls;

  const one = async (t: RevocationTarget): Promise<CertificateRevocation> => {
    const { cert, issuer } = t;
    const ocspUrls = [...cert.aia.ocsp];
    const crlUrls = [...cert.crlDistributionPoints];
    const base = {
      fingerprint: cert.fingerprintSha256,
      subject: cert.subject.text,
      role: t.role,
      serialNumber: cert.serialNumber,
      issuer: issuer?.subject.text ?? null,
      ocspUrls,
      crlUrls,
    };
    const stapled = t.role === 'leaf' ? opts.stapled : null;
    // Nothing to ask comes before a missing issuer: without pointers the issuer would not help.
    const notChecked: RevocationNotChecked | null = t.selfSigned
      ? 'self-signed'
      : !stapled && ocspUrls.length === 0 && crlUrls.length === 0
        ? 'no-pointer'
        : !issuer
          ? 'no-issuer'
          : null;
    if (notChecked || !issuer) {
      return { ...base, notChecked: notChecked ?? 'no-issuer', state: 'not-checked', decidedBy: null, attempts: [] };
    }
    const attempts: RevocationAttempt[] = [];
    const settled = async (a: RevocationAttempt): Promise<boolean> => {
      attempts.push(a);
      opts.note?.(`revocation: ${cert.subject.text}: ${a.method}${a.url ? ` ${a.url}` : ''} → ${a.state}${a.problem ? ` (${a.problem})` : ''}`);
      // Ask the next source unless this answer settles it at the best clock known.
      const judged = judgeAttempt(a, await opts.now());
      return judged.state === 'revoked' || judged.state === 'good';
    };

    if (stapled && (await settled(ocspAttempt('ocsp-stapled', null, verifyOcspResponse(stapled, cert, issuer), 0, false, null)))) {
      return finish(base, attempts);
    }
    for (const url of ocspUrls.slice(0, maxUrls)) {
      if (opts.deadline.signal.aborted) break;
      if (!isHttp(url)) {
        if (await settled(notHttp('ocsp', url))) break;
        continue;
      }
      // No nonce: public responders serve pre-signed answers through CDNs and ignore or
      // refuse one (RFC 5019); the answer's signature, CertID and dates are what count.
      const request = buildOcspRequest(cert, issuer);
      const how = ocspHttpRequest(url, request, opts.ocspGetMaxChars);
      const t0 = performance.now();
      const { promise, cached } = fetchOnce(`ocsp ${how.url} ${how.method === 'POST' ? how.body.toString('base64') : ''}`, () =>
        fetchUrl(how.url, {
          ...httpOpts(opts.ocspMaxBytes ?? REVOCATION_DEFAULTS.ocspMaxBytes),
          method: how.method,
          ...(how.method === 'POST' ? { body: how.body } : {}),
          headers: { accept: 'application/ocsp-response', ...(how.method === 'POST' ? { 'content-type': 'application/ocsp-request' } : {}) },
        }),
      );
      const got = await promise;
      const ms = Math.round(performance.now() - t0);
      let a: RevocationAttempt;
      if (!got.ok) a = unreachable('ocsp', url, got.code, got.message, ms, cached, how.method);
      else if (got.res.status !== 200) a = unreachable('ocsp', url, 'http-status', `the responder answered HTTP ${got.res.status}`, ms, cached, how.method);
      else a = ocspAttempt('ocsp', url, verifyOcspResponse(got.res.body, cert, issuer), ms, cached, how.method);
      if (await settled(a)) return finish(base, attempts);
    }
    for (const url of crlUrls.slice(0, maxUrls)) {
      if (opts.deadline.signal.aborted) break;
      if (!isHttp(url)) {
        if (await settled(notHttp('crl', url))) break;
        continue;
      }
      const t0 = performance.now();
      const { promise, cached } = fetchOnce(`crl ${url}`, () => fetchUrl(url, httpOpts(opts.crlMaxBytes ?? REVOCATION_DEFAULTS.crlMaxBytes)));
      const got = await promise;
      const ms = Math.round(performance.now() - t0);
      let a: RevocationAttempt;
      if (!got.ok) a = unreachable('crl', url, got.code, got.message, ms, cached, 'GET');
      else if (got.res.status !== 200) a = unreachable('crl', url, 'http-status', `the server answered HTTP ${got.res.status}`, ms, cached, 'GET');
      else {
        let parsed = crls.get(url);
        if (!parsed) {
          try {
            parsed = parseCrl(got.res.body);
          } catch (err) {
            parsed = err instanceof CrlParseError ? err : new CrlParseError(String(err));
          }
          crls.set(url, parsed);
        }
        a = crlAttempt(url, parsed, cert, issuer, ms, cached, got.res.body.length);
      }
      if (await settled(a)) return finish(base, attempts);
    }
    if (attempts.length === 0) {
      const first = ocspUrls[0] !== undefined ? { method: 'ocsp' as const, url: ocspUrls[0] } : crlUrls[0] !== undefined ? { method: 'crl' as const, url: crlUrls[0] } : null;
      if (first) {
        // The run's time ran out before the first request: a source that was never asked, not a missing one.
        attempts.push(unreachable(first.method, first.url, 'timeout', 'not asked: the time limit of the run was reached first', 0, false, first.method === 'ocsp' ? 'POST' : 'GET'));
        return finish(base, attempts);
      }
      return { ...base, notChecked: 'no-pointer', state: 'not-checked', decidedBy: null, attempts };
    }
    return finish(base, attempts);
  };

  const certificates = await Promise.all(targets.map(one));
  return { certificates, stapled: opts.stapled !== null };
}

function finish(base: Omit<CertificateRevocation, 'state' | 'decidedBy' | 'attempts' | 'notChecked'>, attempts: RevocationAttempt[]): CertificateRevocation {
  // Without a clock: what the sources said, verified; time windows are the check's to judge.
  const d = pickDecision(attempts, null);
  return { ...base, notChecked: null, state: d.state, decidedBy: d.index === null ? null : attempts[d.index]!.method, attempts };
}

function isHttp(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

function notHttp(method: RevocationMethod, url: string): RevocationAttempt {
  return {
    method,
    url,
    state: 'unreachable',
    problem: 'refused-scheme',
    detail: `not fetched: only http and https addresses are used (${url.split(':')[0]})`,
    ms: 0,
  };
}

function unreachable(method: RevocationMethod, url: string, code: string, message: string, ms: number, cached: boolean, httpMethod: 'GET' | 'POST'): RevocationAttempt {
  return { method, url, state: 'unreachable', problem: code, detail: message, ms, cached, httpMethod };
}

function ocspAttempt(method: RevocationMethod, url: string | null, v: OcspVerification, ms: number, cached: boolean, httpMethod: 'GET' | 'POST' | null): RevocationAttempt {
  if (!v.ok) {
    // A responder that says "try later" or fails internally is up but cannot answer now.
    const transient = v.problem === 'responder-error' && (v.responderStatus === 'tryLater' || v.responderStatus === 'internalError');
    return { method, url, state: transient ? 'unreachable' : 'invalid', problem: v.problem, detail: v.message, ms, cached, httpMethod };
  }
  const a = v.answer;
  return {
    method,
    url,
    state: a.certStatus,
    problem: null,
    detail:
      a.certStatus === 'revoked'
        ? `revoked at ${a.revokedAt?.toISOString() ?? '?'}${a.reason ? ` (${a.reason})` : ''}`
        : a.certStatus === 'good'
          ? 'good'
          : 'the responder does not know this certificate',
    revokedAt: a.revokedAt?.toISOString() ?? null,
    reason: a.reason,
    thisUpdate: a.thisUpdate.toISOString(),
    nextUpdate: a.nextUpdate?.toISOString() ?? null,
    producedAt: a.producedAt.toISOString(),
    responder: {
      kind: a.signer.kind,
      subject: a.signer.subject,
      notBefore: a.signer.notBefore?.toISOString() ?? null,
      notAfter: a.signer.notAfter?.toISOString() ?? null,
    },
    ms,
    cached,
    httpMethod,
  };
}

function crlAttempt(url: string, crl: ParsedCrl | CrlParseError, cert: Certificate, issuer: Certificate, ms: number, cached: boolean, bytes: number): RevocationAttempt {
  const common = { method: 'crl' as const, url, ms, cached, httpMethod: 'GET' as const, bytes };
  if (crl instanceof CrlParseError) return { ...common, state: 'invalid', problem: 'malformed', detail: crl.message };
  const v = verifyCrl(crl, cert, issuer);
  const window = { thisUpdate: crl.thisUpdate.toISOString(), nextUpdate: crl.nextUpdate?.toISOString() ?? null };
  if (!v.ok) return { ...common, ...window, state: 'invalid', problem: v.problem, detail: v.message };
  const entry = lookupSerial(crl, cert.serialNumber);
  if (entry) {
    return {
      ...common,
      ...window,
      state: 'revoked',
      problem: null,
      detail: `listed as revoked at ${entry.revokedAt.toISOString()}${entry.reason ? ` (${entry.reason})` : ''} in a CRL of ${crl.entries.length} entries`,
      revokedAt: entry.revokedAt.toISOString(),
      reason: entry.reason,
    };
  }
  return { ...common, ...window, state: 'good', problem: null, detail: `not listed in a CRL of ${crl.entries.length} entries` };
}
