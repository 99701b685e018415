import { AsnConvert } from '@peculiar/asn1-schema';
import { Name } from '@peculiar/asn1-x509';
import type { ClientIdentity } from '../../platform/types';
import type { Certificate } from '../pki/certificate';
import { EXTENDED_KEY_USAGES } from '../pki/oids';
import { fromAsnName, shortName, type DistinguishedName } from '../pki/names';
import type { CertificatePool } from '../pki/pool';
import { validityAt, type ValidityState } from '../pki/validity';
import type { CertificateMatchRule } from '../run-facts';

/** Why a client certificate on this computer cannot be used for this gateway. */
export type IdentityProblem =
  | 'unparsable'
  | 'expired'
  | 'not-yet-valid'
  | 'no-client-auth'
  | 'no-private-key'
  | 'issuer-not-accepted'
  | 'profile-mismatch';

export interface IdentityVerdict {
  readonly subject: string;
  readonly name: string;
  readonly issuer: string;
  readonly store: string;
  readonly notBefore: string | null;
  readonly notAfter: string | null;
  readonly validity: ValidityState | null;
  /** `yes`: EKU lists clientAuth (or any purpose); `no-eku`: no EKU extension (any purpose). */
  readonly clientAuth: 'yes' | 'no' | 'no-eku' | null;
  readonly hasPrivateKey: boolean | null;
  /** Whether the gateway named its issuer (or a CA above it); null when the gateway named none. */
  readonly issuerAccepted: boolean | null;
  /** Whether the profile's CertificateMatch selects it; null without a rule. */
  readonly matchesProfile: boolean | null;
  readonly fingerprintSha256: string | null;
  readonly problems: readonly IdentityProblem[];
  readonly usable: boolean;
}

/** The CA names of a CertificateRequest as text and as comparison keys. */
export function caNamesOf(ders: readonly Buffer[]): DistinguishedName[] {
  const out: DistinguishedName[] = [];
  for (const der of ders) {
    try {
      out.push(fromAsnName(AsnConvert.parse(der, Name)));
    } catch {
      // an unreadable name accepts nothing we can name
    }
  }
  return out;
}

/** Issuer names from the certificate up through the CA certificates this computer holds. */
function issuerKeys(cert: Certificate, issuersOf: (c: Certificate) => readonly Certificate[]): string[] {
  const keys: string[] = [];
  let cur: Certificate | undefined = cert;
  for (let i = 0; cur && i < 6; i++) {
    if (keys.includes(cur.issuer.key)) break;
    keys.push(cur.issuer.key);
    if (cur.selfIssued) break;
    const self: Certificate = cur;
    cur = issuersOf(self).find((h) => h.fingerprintSha256 !== self.fingerprintSha256);
  }
  return keys;
}

const EKU_NAMES: Readonly<Record<string, string>> = {
  serverauth: 'serverAuth',
  clientauth: 'clientAuth',
  codesign: 'codeSigning',
  emailprotect: 'emailProtection',
  ipsecendsystem: 'ipsecEndSystem',
  ipsectunnel: 'ipsecTunnel',
  ipsecuser: 'ipsecUser',
  timestamp: 'timeStamping',
  ocspsign: 'OCSPSigning',
  ikeintermediate: 'ikeIntermediate',
};

const KU_NAMES: Readonly<Record<string, string>> = {
  digital_signature: 'digitalSignature',
  non_repudiation: 'nonRepudiation',
  key_encipherment: 'keyEncipherment',
  data_encipherment: 'dataEncipherment',
  key_agreement: 'keyAgreement',
  key_cert_sign: 'keyCertSign',
  crl_sign: 'cRLSign',
  encipher_only: 'encipherOnly',
  decipher_only: 'decipherOnly',
};

/** CertificateMatch DN names (CN, ISSUER-CN, EA …) to our attribute names. */
const DN_ATTRS: Readonly<Record<string, string>> = {
  CN: 'CN',
  DC: 'DC',
  SN: 'SN',
  GN: 'GN',
  C: 'C',
  L: 'L',
  SP: 'ST',
  ST: 'ST',
  O: 'O',
  OU: 'OU',
  T: 'title',
  EA: 'emailAddress',
  UID: 'UID',
};

/** Does the profile's CertificateMatch select this certificate? */
export function matchesRule(cert: Certificate, rule: CertificateMatchRule): boolean {
  if (rule.extendedKeyUsage.length || rule.customExtendedKeyUsage.length) {
    const eku = cert.extKeyUsage;
    if (!eku) {
      if (rule.matchOnlyCertsWithEku) return false;
    } else {
      const want = rule.extendedKeyUsage.map((k) => EKU_NAMES[k.toLowerCase()] ?? k);
      if (!want.every((w) => eku.includes(w))) return false;
      // The certificate names the usages it knows (clientAuth …); the profile gives dotted OIDs.
      if (!rule.customExtendedKeyUsage.every((oid) => eku.includes(EXTENDED_KEY_USAGES[oid] ?? oid))) return false;
    }
  }
  if (rule.keyUsage.length) {
    const ku = cert.keyUsage;
    if (!ku) {
      if (rule.matchOnlyCertsWithKu) return false;
    } else if (!rule.keyUsage.some((k) => ku.includes((KU_NAMES[k.toLowerCase()] ?? k) as never))) {
      return false;
    }
  }
  for (const d of rule.distinguishedName) {
    const issuerSide = d.name.toUpperCase().startsWith('ISSUER-');
    const attr = DN_ATTRS[d.name.toUpperCase().replace(/^ISSUER-/, '')] ?? d.name;
    const dn = issuerSide ? cert.issuer : cert.subject;
    const values = dn.attributes.filter((a) => a.type === attr).map((a) => a.value);
    const norm = (s: string): string => (d.matchCase ? s : s.toLowerCase());
    const hit = values.some((v) => (d.wildcard ? norm(v).includes(norm(d.pattern)) : norm(v) === norm(d.pattern)));
    if (d.operator === 'Equal' ? !hit : hit) return false;
  }
  return true;
}

export interface IdentityContext {
  readonly now: Date;
  /** CA names the gateway sent in its CertificateRequest; null or [] when it named none. */
  readonly acceptedCaNames: readonly DistinguishedName[] | null;
  /** Certificates this computer holds whose subject is `cert`'s issuer (to walk up to the CA the gateway names). */
  readonly issuersOf: (cert: Certificate) => readonly Certificate[];
  readonly rule: CertificateMatchRule | null;
}

/** Judges each client certificate of this computer against this gateway. */
export function judgeIdentities(identities: readonly ClientIdentity[], pool: CertificatePool, ctx: IdentityContext): IdentityVerdict[] {
  const parsed = identities.map((id) => ({ id, cert: pool.tryGet(id.der) ?? null }));
  const own = parsed.flatMap((p) => (p.cert ? [p.cert] : []));
  const issuersOf = (c: Certificate): Certificate[] => [...ctx.issuersOf(c), ...own.filter((o) => o.subject.key === c.issuer.key)];
  const accepted = ctx.acceptedCaNames && ctx.acceptedCaNames.length ? new Set(ctx.acceptedCaNames.map((n) => n.key)) : null;
  return parsed.map(({ id, cert }): IdentityVerdict => {
    if (!cert) {
      return {
        subject: '?',
        name: '?',
        issuer: '?',
        store: id.store,
        notBefore: null,
        notAfter: null,
        validity: null,
        clientAuth: null,
        hasPrivateKey: id.hasPrivateKey,
        issuerAccepted: null,
        matchesProfile: null,
        fingerprintSha256: null,
        problems: ['unparsable'],
        usable: false,
      };
    }
    const problems: IdentityProblem[] = [];
    const validity = validityAt(cert, ctx.now);
    if (validity === 'expired') problems.push('expired');
    if (validity === 'not-yet-valid') problems.push('not-yet-valid');
    const eku = cert.extKeyUsage;
    const clientAuth = !eku ? 'no-eku' : eku.includes('clientAuth') || eku.includes('anyExtendedKeyUsage') ? 'yes' : 'no';
    if (clientAuth === 'no') problems.push('no-client-auth');
    if (id.hasPrivateKey === false) problems.push('no-private-key');
    const issuerAccepted = accepted ? issuerKeys(cert, issuersOf).some((k) => accepted.has(k)) : null;
    if (issuerAccepted === false) problems.push('issuer-not-accepted');
    const matchesProfile = ctx.rule ? matchesRule(cert, ctx.rule) : null;
    if (matchesProfile === false) problems.push('profile-mismatch');
    return {
      subject: cert.subject.text,
      name: shortName(cert.subject),
      issuer: cert.issuer.text,
      store: id.store,
      notBefore: cert.notBefore.toISOString(),
      notAfter: cert.notAfter.toISOString(),
      validity,
      clientAuth,
      hasPrivateKey: id.hasPrivateKey,
      issuerAccepted,
      matchesProfile,
      fingerprintSha256: cert.fingerprintSha256,
      problems,
      usable: problems.length === 0,
    };
  });
}
