import type { ProxyFacts } from '../../platform/types';
import { msgRef } from '../fixes/i18n';
import type { Certificate } from '../pki/certificate';
import { findInspectionProduct, type InspectionMatch } from '../pki/inspection-products';
import { shortName } from '../pki/names';
import { nameOf, pathCertificates, storeName } from './cert-common';
import type { Check, FixRef, Msg, Outcome } from './types';
import { outcome, probeError } from './util';

/**
 * A system proxy or a TLS-intercepting middlebox between this computer and the gateway.
 * AnyConnect rejects a re-signed chain even when the inspection CA is trusted ("AnyConnect
 * cannot confirm it is connected to your secure gateway"), so interception fails; a proxy
 * alone only warns: AnyConnect's ProxySettings "Native" goes through it, while this tool
 * connected directly and so cannot see what the proxy does.
 */
export const proxyIntercept: Check = {
  id: 'proxy.intercept',
  needs: ['proxy', 'tls', 'trustStore', 'aia'],
  dependsOn: [],
  evaluate(ctx): Outcome {
    const { proxy, tls } = ctx.facts;
    const host = ctx.facts.target.host;
    const p = proxy.status === 'ok' ? proxy.value : null;
    const chain = tls.status === 'ok' ? ctx.chain() : null;
    const certs = chain ? uniqueCerts([...chain.presented.flatMap((x) => (x.cert ? [x.cert] : [])), ...pathCertificates(chain)]) : [];
    const inspection = certs.length ? findInspectionProduct(certs) : null;
    const configured = p ? proxyInUse(p) : null;
    const bypassedBy = p && configured ? bypassPattern(host, p.bypass) : null;
    const anchor = chain?.path?.end === 'anchor' ? chain.path.anchor : null;
    const evidence = {
      proxy: p ?? { status: proxy.status, detail: proxy.status === 'error' ? proxy.error.message : proxy.status === 'unsupported' ? proxy.reason : null },
      proxyInUse: configured,
      bypassedBy,
      inspection: inspection
        ? { product: inspection.product.name, productId: inspection.product.id, kind: inspection.product.kind, matched: inspection.field, name: inspection.name, certificate: inspection.certificate.subject.text }
        : null,
      issuers: certs.map((c) => c.issuer.text),
      anchor: anchor ? { subject: anchor.cert.subject.text, stores: anchor.entries.map((e) => e.store.label) } : null,
    };
    const details: Msg[] = [];
    if (configured && !inspection) details.push(proxyDetail(configured, bypassedBy));

    if (inspection) {
      if (configured) details.push(proxyDetail(configured, bypassedBy));
      return inspected(inspection, evidence, details);
    }
    const tlsError = probeError(tls, 'fact.tls');
    if (tlsError && !configured) return { ...tlsError, evidence: { ...tlsError.evidence, ...evidence } };

    // A root only a user or a program put on this computer, on a leaf that names no CA
    // services (every public CA and every AD CS names its OCSP/CRL/issuer URLs; on-the-fly
    // inspection certificates usually name none). --ca-file is the helpdesk's own root: expected.
    if (anchor && chain?.leaf) {
      const entries = anchor.entries;
      const onlyLocal = entries.length > 0 && entries.every((e) => e.store.local === true);
      if (onlyLocal && !namesCaServices(chain.leaf)) {
        const store = entries[0]!.store;
        return outcome('warn', 'private-root-local-store', 'proxy.intercept.private-root-local-store', {
          root: nameOf(anchor.cert),
          store: storeName(store),
        }, { evidence, details, fixes: [{ id: 'proxy.ask-it-root', params: { root: nameOf(anchor.cert) } }, { id: 'proxy.bypass' }] });
      }
    }

    if (configured && !bypassedBy) {
      const fixes: FixRef[] = [{ id: 'proxy.settings' }, { id: 'proxy.bypass' }];
      if (configured.pacOnly) {
        return outcome('warn', 'pac-proxy', 'proxy.intercept.pac-proxy', { pac: configured.pac ?? '?' }, { evidence, details, fixes });
      }
      return outcome('warn', 'system-proxy', 'proxy.intercept.system-proxy', { proxy: configured.display, source: p!.evidence }, { evidence, details, fixes });
    }
    if (proxy.status === 'error') {
      const e = probeError(proxy, 'fact.proxy')!;
      return { ...e, evidence: { ...e.evidence, ...evidence } };
    }
    if (!chain || !chain.leaf) {
      return outcome('skip', 'no-chain', configured ? 'proxy.intercept.bypassed-no-chain' : 'proxy.intercept.no-proxy-no-chain', { host }, { evidence, details });
    }
    const issuer = chain.path?.nodes[1]?.cert ?? null;
    const params = { issuer: issuer ? nameOf(issuer) : chain.leaf.issuer.text, host };
    if (configured) return outcome('pass', 'proxy-bypassed', 'proxy.intercept.proxy-bypassed', { ...params, proxy: configured.display, pattern: bypassedBy ?? '' }, { evidence, details });
    if (proxy.status === 'unsupported') return outcome('pass', 'no-interception', 'proxy.intercept.no-interception-proxy-unknown', params, { evidence, details });
    return outcome('pass', 'direct', 'proxy.intercept.direct', params, { evidence, details });
  },
};

function inspected(m: InspectionMatch, evidence: Record<string, unknown>, details: Msg[]): Outcome {
  // The CA as people call it (its CN); the full name is in the evidence.
  // A CA named like an inspection device but no known product: said in the report's language.
  const product = m.product.id === 'generic' ? msgRef('proxy.intercept.generic-product') : m.product.name;
  const params = { product, name: nameOf(m.certificate), issuer: shortName(m.field === 'issuer' ? m.certificate.issuer : m.certificate.subject) };
  switch (m.product.kind) {
    case 'endpoint':
      return outcome('fail', 'inspection-software', 'proxy.intercept.inspection-software', params, {
        evidence,
        details,
        fixes: [{ id: 'proxy.av-https-scanning', params: { product: m.product.name } }, { id: 'proxy.bypass' }],
      });
    case 'debugging':
      return outcome('fail', 'inspection-debugging', 'proxy.intercept.inspection-debugging', params, {
        evidence,
        details,
        fixes: [{ id: 'proxy.debugging-tool', params: { product: m.product.name } }],
      });
    default:
      return outcome('fail', 'inspection-product', 'proxy.intercept.inspection', params, {
        evidence,
        details,
        fixes: [{ id: 'proxy.inspection-network' }, { id: 'proxy.bypass' }],
      });
  }
}

interface ProxyInUse {
  readonly display: string;
  readonly pac: string | null;
  /** Only a setup script: whether it sends the gateway through a proxy is the script's decision. */
  readonly pacOnly: boolean;
}

/**
 * The proxy AnyConnect would use, or null. Automatic detection (WPAD) alone is not
 * counted: Windows has it on by default and it only matters where a WPAD server answers.
 */
export function proxyInUse(p: ProxyFacts): ProxyInUse | null {
  const manual = p.httpsProxy ?? p.httpProxy ?? p.socksProxy ?? null;
  if (manual) return { display: manual, pac: p.pacUrl, pacOnly: false };
  if (p.pacUrl) return { display: p.pacUrl, pac: p.pacUrl, pacOnly: true };
  return null;
}

/**
 * The exception-list entry that keeps `host` off the proxy, or null. Understands the
 * WinINET ProxyOverride forms (`*.corp.example`, `<local>`), macOS ExceptionsList
 * (`*.local`, `.corp.example`) and no_proxy (`corp.example`, `.corp.example`, `*`).
 */
export function bypassPattern(host: string, patterns: readonly string[]): string | null {
  const h = host.toLowerCase().replace(/\.$/, '');
  for (const raw of patterns) {
    const p = raw.trim().toLowerCase();
    if (!p) continue;
    if (p === '*') return raw;
    if (p === '<local>') {
      if (!h.includes('.')) return raw;
      continue;
    }
    if (p.includes('*')) {
      const re = new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
      if (re.test(h)) return raw;
      continue;
    }
    const bare = p.replace(/^\./, '');
    if (h === bare || h.endsWith(`.${bare}`)) return raw;
  }
  return null;
}

function proxyDetail(c: ProxyInUse, bypassedBy: string | null): Msg {
  if (bypassedBy) return { key: 'proxy.intercept.detail-bypassed', params: { proxy: c.display, pattern: bypassedBy } };
  return c.pacOnly ? { key: 'proxy.intercept.detail-pac', params: { pac: c.pac ?? '?' } } : { key: 'proxy.intercept.detail-proxy', params: { proxy: c.display } };
}

function namesCaServices(leaf: Certificate): boolean {
  return leaf.aia.ocsp.length > 0 || leaf.aia.caIssuers.length > 0 || leaf.crlDistributionPoints.length > 0;
}

function uniqueCerts(certs: readonly Certificate[]): Certificate[] {
  const seen = new Set<string>();
  return certs.filter((c) => (seen.has(c.fingerprintSha256) ? false : (seen.add(c.fingerprintSha256), true)));
}
