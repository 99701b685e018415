import { splitCertificates } from '../pki/pem';
import { fetchUrl, type FetchOptions } from './http';

export interface AiaFetch {
  readonly url: string;
  /** DER certificates the URL served (DER, PEM or PKCS#7). */
  readonly certificates: readonly Buffer[];
  readonly contentType: string | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly ms: number;
}

/** Downloads an issuer certificate from an AIA caIssuers URL. */
export async function fetchCaIssuers(url: string, opts: Omit<FetchOptions, 'method' | 'body'>): Promise<AiaFetch> {
  const start = performance.now();
  try {
    const res = await fetchUrl(url, opts);
    const ms = Math.round(performance.now() - start);
    if (res.status !== 200) {
      return { url, certificates: [], contentType: res.contentType, error: { code: 'http-status', message: `HTTP ${res.status}` }, ms };
    }
    try {
      const certificates = splitCertificates(res.body, `the file at ${url}`);
      return { url, certificates, contentType: res.contentType, error: null, ms };
    } catch (err) {
      const looksHtml = /html/i.test(res.contentType ?? '') || /^\s*</.test(res.body.subarray(0, 64).toString('latin1'));
      return {
        url,
        certificates: [],
        contentType: res.contentType,
        error: {
          code: 'not-a-certificate',
          message: looksHtml
            ? `the URL returned a web page (${res.contentType ?? 'no content type'}), not a certificate — a captive portal or proxy may be in the way`
            : err instanceof Error
              ? err.message
              : String(err),
        },
        ms,
      };
    }
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'network';
    return { url, certificates: [], contentType: null, error: { code, message: err instanceof Error ? err.message : String(err) }, ms: Math.round(performance.now() - start) };
  }
}
