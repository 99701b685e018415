/**
 * Is `domain` a public suffix (com, co.uk, …)? A wildcard directly under one would
 * cover unrelated organisations, so no client honours it. Uses the ICANN section of
 * the Public Suffix List (tldts), loaded only when a wildcard needs it.
 */
export function isPublicSuffix(domain: string): boolean {
  const tldts = require('tldts') as typeof import('tldts');
  const parsed = tldts.parse(domain, { allowPrivateDomains: false });
  return parsed.isIcann === true && parsed.domain === null;
}
