import type { CertificateMatchRule, CertificatePin, HostEntry, MisplacedSetting, ParsedProfile } from '../run-facts';
import { child, childText, childrenNamed, parseBoolean, parseXml, XmlError, type XmlElement } from './xml';

/**
 * Reads an AnyConnect / Secure Client VPN profile (AnyConnectProfile.xsd): every
 * HostEntry with its backup servers and pins, the client-initialisation settings that
 * matter for certificates, and the settings that sit in the wrong file (the client
 * ignores them there).
 */
export function parseProfile(text: string, path: string): ParsedProfile {
  const root = parseXml(text, path);
  if (root.name !== 'AnyConnectProfile') {
    throw new XmlError('malformed', `${path} is not an AnyConnect VPN profile (its root element is <${root.name}>, not <AnyConnectProfile>)`);
  }
  const init = child(root, 'ClientInitialization');
  const serverList = child(root, 'ServerList');
  const hosts = childrenNamed(serverList, 'HostEntry').map(hostEntry);
  const pinning = parseBoolean(childText(init, 'CertificatePinning'));
  const override = parseBoolean(childText(init, 'CertificateStoreOverride'));
  const autoSelect = parseBoolean(childText(init, 'AutomaticCertSelection'));
  const invalid: Array<{ element: string; value: string }> = [];
  const bool = (name: string, v: boolean | null | 'invalid'): boolean | null => {
    if (v === 'invalid') {
      invalid.push({ element: name, value: childText(init, name) ?? '' });
      return null;
    }
    return v;
  };
  return {
    path,
    hosts,
    certificatePinning: bool('CertificatePinning', pinning),
    globalPins: pins(child(init, 'CertificatePinList')),
    certificateStore: childText(init, 'CertificateStore'),
    certificateStoreLinux: childText(init, 'CertificateStoreLinux'),
    certificateStoreMac: childText(init, 'CertificateStoreMac'),
    certificateStoreOverride: bool('CertificateStoreOverride', override),
    automaticCertSelection: bool('AutomaticCertSelection', autoSelect),
    certificateMatch: certificateMatch(child(init, 'CertificateMatch')),
    misplaced: misplaced(init),
    invalid,
  };
}

function hostEntry(e: XmlElement): HostEntry {
  const list = (name: string): string[] =>
    childrenNamed(child(e, name), 'HostAddress')
      .map((h) => h.text)
      .filter(Boolean);
  return {
    hostName: childText(e, 'HostName'),
    hostAddress: childText(e, 'HostAddress'),
    userGroup: childText(e, 'UserGroup'),
    backupServers: list('BackupServerList'),
    loadBalancingServers: list('LoadBalancingServerList'),
    primaryProtocol: childText(e, 'PrimaryProtocol'),
    pins: pins(child(e, 'CertificatePinList')),
  };
}

function pins(list: XmlElement | undefined): CertificatePin[] {
  return childrenNamed(list, 'Pin')
    .filter((p) => p.text !== '')
    .map((p) => ({ subject: p.attrs.Subject ?? null, issuer: p.attrs.Issuer ?? null, hash: p.text }));
}

function certificateMatch(m: XmlElement | undefined): CertificateMatchRule | null {
  if (!m) return null;
  const dn = childrenNamed(child(m, 'DistinguishedName'), 'DistinguishedNameDefinition').map((d) => ({
    name: childText(d, 'Name') ?? '',
    pattern: childText(d, 'Pattern') ?? '',
    operator: (d.attrs.Operator ?? 'Equal') === 'NotEqual' ? ('NotEqual' as const) : ('Equal' as const),
    wildcard: (d.attrs.Wildcard ?? 'Disabled') === 'Enabled',
    matchCase: (d.attrs.MatchCase ?? 'Enabled') === 'Enabled',
  }));
  return {
    keyUsage: childrenNamed(child(m, 'KeyUsage'), 'MatchKey').map((k) => k.text),
    extendedKeyUsage: childrenNamed(child(m, 'ExtendedKeyUsage'), 'ExtendedMatchKey').map((k) => k.text),
    customExtendedKeyUsage: childrenNamed(child(m, 'ExtendedKeyUsage'), 'CustomExtendedMatchKey').map((k) => k.text),
    distinguishedName: dn.filter((d) => d.name !== ''),
    matchOnlyCertsWithEku: parseBoolean(childText(m, 'MatchOnlyCertsWithEKU')) === true,
    matchOnlyCertsWithKu: parseBoolean(childText(m, 'MatchOnlyCertsWithKU')) === true,
  };
}

/**
 * Settings people put into a profile that AnyConnect reads only from the local policy
 * or the user's preferences (the profile schema has no such elements).
 */
const BELONGS_ELSEWHERE: Readonly<Record<string, MisplacedSetting['belongsIn']>> = {
  StrictCertificateTrust: 'local-policy',
  ExcludePemFileCertStore: 'local-policy',
  ExcludeWinNativeCertStore: 'local-policy',
  ExcludeMacNativeCertStore: 'local-policy',
  ExcludeFirefoxNSSCertStore: 'local-policy',
  RestrictServerCertStore: 'local-policy',
  EnableCRLCheck: 'local-policy',
  OCSPRevocation: 'local-policy',
  RestrictPreferenceCaching: 'local-policy',
  RestrictTunnelProtocols: 'local-policy',
  BypassDownloader: 'local-policy',
  FipsMode: 'local-policy',
  BlockUntrustedServers: 'preferences',
  ServerCertificateThumbprint: 'preferences',
};

function misplaced(init: XmlElement | undefined): MisplacedSetting[] {
  if (!init) return [];
  return init.children
    .filter((c) => BELONGS_ELSEWHERE[c.name] !== undefined)
    .map((c) => ({ element: c.name, value: c.text, belongsIn: BELONGS_ELSEWHERE[c.name]! }));
}
