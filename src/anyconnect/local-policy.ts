import type { ParsedLocalPolicy, ParsedPreferences } from '../run-facts';
import { child, childText, parseBoolean, parseXml, XmlError } from './xml';

/** The boolean settings of AnyConnectLocalPolicy.xml this tool applies, by element name. */
export const LOCAL_POLICY_BOOLEANS = [
  'StrictCertificateTrust',
  'ExcludePemFileCertStore',
  'ExcludeWinNativeCertStore',
  'ExcludeMacNativeCertStore',
  'ExcludeFirefoxNSSCertStore',
  'RestrictServerCertStore',
  'EnableCRLCheck',
  'OCSPRevocation',
  'FipsMode',
] as const;

export type LocalPolicySetting = (typeof LOCAL_POLICY_BOOLEANS)[number];

/**
 * Reads AnyConnectLocalPolicy.xml (AnyConnectLocalPolicy.xsd, 4.10 / 5.1). Every element
 * is optional; an absent one is null (the client's default applies), a value other
 * than true/false is reported, not guessed.
 */
export function parseLocalPolicy(text: string, path: string): ParsedLocalPolicy {
  const root = parseXml(text, path);
  if (root.name !== 'AnyConnectLocalPolicy') {
    throw new XmlError('malformed', `${path} is not an AnyConnect local policy (its root element is <${root.name}>, not <AnyConnectLocalPolicy>)`);
  }
  const settings: Partial<Record<LocalPolicySetting, boolean | null>> = {};
  const invalid: Array<{ element: string; value: string }> = [];
  for (const name of LOCAL_POLICY_BOOLEANS) {
    const raw = childText(root, name);
    const v = parseBoolean(raw);
    if (v === 'invalid') {
      invalid.push({ element: name, value: raw ?? '' });
      settings[name] = null;
    } else {
      settings[name] = v;
    }
  }
  return {
    path,
    acversion: root.attrs.acversion ?? null,
    strictCertificateTrust: settings.StrictCertificateTrust ?? null,
    excludePemFileCertStore: settings.ExcludePemFileCertStore ?? null,
    excludeWinNativeCertStore: settings.ExcludeWinNativeCertStore ?? null,
    excludeMacNativeCertStore: settings.ExcludeMacNativeCertStore ?? null,
    excludeFirefoxNSSCertStore: settings.ExcludeFirefoxNSSCertStore ?? null,
    restrictServerCertStore: settings.RestrictServerCertStore ?? null,
    enableCRLCheck: settings.EnableCRLCheck ?? null,
    ocspRevocation: settings.OCSPRevocation ?? null,
    fipsMode: settings.FipsMode ?? null,
    restrictPreferenceCaching: childText(root, 'RestrictPreferenceCaching'),
    invalid,
  };
}

/**
 * Reads a preferences file (`preferences.xml`, `.anyconnect`, `.anyconnect_global`):
 * the user's "Block connections to untrusted servers" choice and the thumbprints of
 * server certificates the user accepted before.
 */
export function parsePreferences(text: string, path: string, scope: ParsedPreferences['scope']): ParsedPreferences {
  const root = parseXml(text, path);
  if (root.name !== 'AnyConnectPreferences') {
    throw new XmlError('malformed', `${path} is not an AnyConnect preferences file (its root element is <${root.name}>)`);
  }
  const controllable = child(root, 'ControllablePreferences');
  const block = parseBoolean(childText(controllable, 'BlockUntrustedServers') ?? childText(root, 'BlockUntrustedServers'));
  const thumbprints = [...root.children, ...(controllable?.children ?? [])]
    .filter((c) => c.name === 'ServerCertificateThumbprint' && c.text !== '')
    .map((c) => c.text);
  return {
    path,
    scope,
    blockUntrustedServers: block === 'invalid' ? null : block,
    serverCertificateThumbprints: thumbprints,
    defaultHostName: childText(root, 'DefaultHostName'),
    defaultHostAddress: childText(root, 'DefaultHostAddress'),
  };
}
