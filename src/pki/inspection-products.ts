import type { Certificate } from './certificate';

/**
 * Products that decrypt TLS by re-signing the server's certificate with their own CA,
 * recognised by the names their CAs carry (defaults as the vendors ship them; an admin
 * can rename a CA, so a miss proves nothing). No public CA uses these names, so a
 * match on an issuer or on a CA's subject means the chain was minted on the way.
 *
 * `kind` says who can act: `network` (a gateway or cloud proxy: IT must exempt the VPN),
 * `endpoint` (security software on this computer: its HTTPS scanning can exclude the
 * gateway), `debugging` (a developer tool the user started).
 */
export interface InspectionProduct {
  readonly id: string;
  readonly name: string;
  readonly kind: 'network' | 'endpoint' | 'debugging';
  readonly pattern: RegExp;
}

export const INSPECTION_PRODUCTS: readonly InspectionProduct[] = [
  { id: 'zscaler', name: 'Zscaler', kind: 'network', pattern: /zscaler/i },
  { id: 'netskope', name: 'Netskope', kind: 'network', pattern: /netskope|goskope/i },
  { id: 'palo-alto', name: 'Palo Alto Networks', kind: 'network', pattern: /palo ?alto networks/i },
  { id: 'fortinet', name: 'Fortinet FortiGate', kind: 'network', pattern: /fortinet|fortigate/i },
  // Symantec also ran a public CA (distrusted in 2018): only its web-proxy names count.
  { id: 'bluecoat', name: 'Blue Coat / Symantec ProxySG', kind: 'network', pattern: /blue ?coat|proxysg|symantec web security service|symantec wss/i },
  { id: 'cisco-umbrella', name: 'Cisco Umbrella', kind: 'network', pattern: /cisco umbrella|opendns/i },
  { id: 'cisco-wsa', name: 'Cisco Secure Web Appliance (IronPort)', kind: 'network', pattern: /ironport|cisco (secure )?web (security|appliance)/i },
  { id: 'sophos', name: 'Sophos', kind: 'network', pattern: /sophos/i },
  { id: 'checkpoint', name: 'Check Point', kind: 'network', pattern: /check ?point/i },
  { id: 'skyhigh', name: 'McAfee Web Gateway / Skyhigh Security', kind: 'network', pattern: /mcafee|skyhigh/i },
  { id: 'forcepoint', name: 'Forcepoint / Websense', kind: 'network', pattern: /forcepoint|websense/i },
  { id: 'barracuda', name: 'Barracuda', kind: 'network', pattern: /barracuda/i },
  { id: 'iboss', name: 'iboss', kind: 'network', pattern: /\biboss\b/i },
  // Cloudflare also issues public certificates ("Cloudflare Inc ECC CA-3"): only Gateway's CA names count.
  { id: 'cloudflare-gateway', name: 'Cloudflare Gateway (Zero Trust)', kind: 'network', pattern: /cloudflare for teams|gateway ca - cloudflare|cloudflare (zero trust|gateway)/i },
  { id: 'menlo', name: 'Menlo Security', kind: 'network', pattern: /menlo security/i },
  { id: 'trend-micro', name: 'Trend Micro', kind: 'network', pattern: /trend ?micro/i },
  { id: 'smoothwall', name: 'Smoothwall', kind: 'network', pattern: /smoothwall/i },
  { id: 'lightspeed', name: 'Lightspeed Systems', kind: 'network', pattern: /lightspeed systems/i },
  { id: 'securly', name: 'Securly', kind: 'network', pattern: /securly/i },
  { id: 'contentkeeper', name: 'ContentKeeper', kind: 'network', pattern: /contentkeeper/i },
  { id: 'untangle', name: 'Untangle / Arista Edge Threat Management', kind: 'network', pattern: /untangle/i },
  { id: 'kaspersky', name: 'Kaspersky', kind: 'endpoint', pattern: /kaspersky/i },
  { id: 'eset', name: 'ESET', kind: 'endpoint', pattern: /\beset\b/i },
  { id: 'avast', name: 'Avast / AVG', kind: 'endpoint', pattern: /avast|\bavg\b/i },
  { id: 'bitdefender', name: 'Bitdefender', kind: 'endpoint', pattern: /bitdefender/i },
  { id: 'fiddler', name: 'Fiddler', kind: 'debugging', pattern: /fiddler/i },
  { id: 'charles', name: 'Charles Proxy', kind: 'debugging', pattern: /charles proxy/i },
  { id: 'mitmproxy', name: 'mitmproxy', kind: 'debugging', pattern: /mitmproxy/i },
  { id: 'burp', name: 'Burp Suite', kind: 'debugging', pattern: /portswigger|burp suite/i },
  { id: 'proxyman', name: 'Proxyman', kind: 'debugging', pattern: /proxyman/i },
  // What admins name the CA when they make their own.
  { id: 'generic', name: 'a TLS inspection device', kind: 'network', pattern: /ssl[ -]?(inspection|decryption|decrypt)|tls[ -]?(inspection|decryption)|forward[ -]?trust|ssl[ -]?proxy/i },
];

export interface InspectionMatch {
  readonly product: InspectionProduct;
  /** The certificate whose name matched, and which name. */
  readonly certificate: Certificate;
  readonly field: 'issuer' | 'subject';
  readonly name: string;
}

/**
 * The first inspection product named in the chain: any certificate's issuer, and the
 * subject of every certificate but the leaf (whose subject is the gateway's own name).
 */
export function findInspectionProduct(certs: readonly Certificate[]): InspectionMatch | null {
  for (const product of INSPECTION_PRODUCTS) {
    for (let i = 0; i < certs.length; i++) {
      const c = certs[i]!;
      const fields: Array<['issuer' | 'subject', string]> = [['issuer', namesOf(c.issuer.attributes)]];
      if (i > 0) fields.push(['subject', namesOf(c.subject.attributes)]);
      for (const [field, text] of fields) {
        if (product.pattern.test(text)) return { product, certificate: c, field, name: field === 'issuer' ? c.issuer.text : c.subject.text };
      }
    }
  }
  return null;
}

/** The organisation and name attributes (not the country or locality, which may say anything). */
function namesOf(attributes: ReadonlyArray<{ readonly type: string; readonly value: string }>): string {
  return attributes
    .filter((a) => a.type === 'CN' || a.type === 'O' || a.type === 'OU')
    .map((a) => a.value)
    .join(' | ');
}
