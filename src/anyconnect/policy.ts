import type { PlatformId } from '../../platform/types';
import type { StoreRef } from '../pki/trust-store';
import type { AnyConnectFacts, ParsedLocalPolicy, ParsedPreferences } from '../run-facts';

/** A local-policy setting that takes trust stores away from AnyConnect on this OS. */
export interface StoreExclusion {
  readonly setting: 'ExcludeWinNativeCertStore' | 'ExcludeMacNativeCertStore' | 'ExcludePemFileCertStore' | 'ExcludeFirefoxNSSCertStore' | 'RestrictServerCertStore';
  readonly file: string;
  /** Whether Cisco documents what the setting excludes (RestrictServerCertStore: not publicly). */
  readonly confirmed: boolean;
  excludes(store: StoreRef): boolean;
}

/**
 * User-level stores: the Windows CurrentUser stores, the macOS login keychain and
 * the user's own AnyConnect PEM store (~/.cisco).
 */
export function isUserStore(store: StoreRef): boolean {
  return /currentuser|(^|[:\\/])login(\b|$)|:user$/i.test(store.id);
}

/**
 * The store families the local policy excludes on this OS. The trust-store facts
 * carry each store's kind: `os-native` (Windows CryptoAPI, macOS Keychain),
 * `anyconnect-pem` (/opt/.cisco and ~/.cisco), `firefox-nss`.
 */
export function storeExclusions(policy: ParsedLocalPolicy | null, platform: PlatformId): StoreExclusion[] {
  if (!policy) return [];
  const out: StoreExclusion[] = [];
  const kind = (k: StoreRef['kind']) => (s: StoreRef) => s.kind === k;
  if (policy.excludeWinNativeCertStore && platform === 'windows') {
    out.push({ setting: 'ExcludeWinNativeCertStore', file: policy.path, confirmed: true, excludes: kind('os-native') });
  }
  if (policy.excludeMacNativeCertStore && platform === 'macos') {
    out.push({ setting: 'ExcludeMacNativeCertStore', file: policy.path, confirmed: true, excludes: kind('os-native') });
  }
  if (policy.excludePemFileCertStore) out.push({ setting: 'ExcludePemFileCertStore', file: policy.path, confirmed: true, excludes: kind('anyconnect-pem') });
  if (policy.excludeFirefoxNSSCertStore) out.push({ setting: 'ExcludeFirefoxNSSCertStore', file: policy.path, confirmed: true, excludes: kind('firefox-nss') });
  if (policy.restrictServerCertStore) {
    // Cisco's text on this setting could not be read; the reading here is that server
    // certificates are then verified against machine-wide stores only.
    out.push({ setting: 'RestrictServerCertStore', file: policy.path, confirmed: false, excludes: isUserStore });
  }
  return out;
}

/** "Block connections to untrusted servers": on unless the user's preferences turn it off. */
export function blockUntrustedServers(prefs: readonly ParsedPreferences[]): { readonly value: boolean; readonly file: string | null } {
  const set = [...prefs].sort((a, b) => (a.scope === b.scope ? 0 : a.scope === 'user' ? -1 : 1)).find((p) => p.blockUntrustedServers !== null);
  return set ? { value: set.blockUntrustedServers!, file: set.path } : { value: true, file: null };
}

export interface SettingShown {
  readonly name: string;
  readonly value: string;
  readonly file: string;
}

const SHOWN: ReadonlyArray<readonly [keyof ParsedLocalPolicy, string]> = [
  ['strictCertificateTrust', 'StrictCertificateTrust'],
  ['excludeWinNativeCertStore', 'ExcludeWinNativeCertStore'],
  ['excludeMacNativeCertStore', 'ExcludeMacNativeCertStore'],
  ['excludePemFileCertStore', 'ExcludePemFileCertStore'],
  ['excludeFirefoxNSSCertStore', 'ExcludeFirefoxNSSCertStore'],
  ['restrictServerCertStore', 'RestrictServerCertStore'],
  ['enableCRLCheck', 'EnableCRLCheck'],
  ['ocspRevocation', 'OCSPRevocation'],
  ['fipsMode', 'FipsMode'],
  ['restrictPreferenceCaching', 'RestrictPreferenceCaching'],
];

/** Every certificate-related setting that is set, with the file it is set in. */
export function settingsShown(ac: AnyConnectFacts): SettingShown[] {
  const out: SettingShown[] = [];
  const lp = ac.localPolicy;
  if (lp) {
    for (const [field, name] of SHOWN) {
      const v = lp[field];
      if (v !== null && v !== undefined) out.push({ name, value: String(v), file: lp.path });
    }
  }
  for (const p of ac.preferences) {
    if (p.blockUntrustedServers !== null) out.push({ name: 'BlockUntrustedServers', value: String(p.blockUntrustedServers), file: p.path });
  }
  for (const p of ac.profiles) {
    if (p.certificatePinning !== null) out.push({ name: 'CertificatePinning', value: String(p.certificatePinning), file: p.path });
  }
  return out;
}

/** Hex of a thumbprint however it is written (colons, spaces, case). */
export function normalizeThumbprint(s: string): string {
  return s.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
}
