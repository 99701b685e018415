import type { StoreRef } from '../src/pki/trust-store';
import type { StorePurpose } from './types';

/**
 * The certificate stores each OS has, under the names the OS itself shows (certlm.msc /
 * certmgr.msc on Windows, Keychain Access on macOS), so a report can say exactly where a
 * helpdesk engineer will find the certificate. `nameKey` names the same store in the
 * message catalogs (English and Japanese).
 */
export interface KnownStore {
  readonly ref: StoreRef;
  readonly purpose: StorePurpose;
}

export type WindowsLocation = 'LocalMachine' | 'CurrentUser';
export type WindowsStoreName = 'Root' | 'CA' | 'Disallowed';

const WINDOWS_NAMES: Readonly<Record<WindowsStoreName, string>> = {
  Root: 'Trusted Root Certification Authorities',
  CA: 'Intermediate Certification Authorities',
  Disallowed: 'Untrusted Certificates',
};
const WINDOWS_LOCATIONS: Readonly<Record<WindowsLocation, string>> = {
  LocalMachine: 'Local Computer',
  CurrentUser: 'Current User',
};
const WINDOWS_PURPOSE: Readonly<Record<WindowsStoreName, StorePurpose>> = {
  Root: 'anchors',
  CA: 'intermediates',
  Disallowed: 'distrusted',
};

/** `Cert:\LocalMachine\Root` and its siblings. */
export function windowsStore(location: WindowsLocation, name: WindowsStoreName): KnownStore {
  return {
    ref: {
      id: `windows:${location}\\${name}`,
      label: `Windows: ${WINDOWS_NAMES[name]} (${WINDOWS_LOCATIONS[location]})`,
      kind: 'os-native',
      nameKey: `store.windows.${location === 'LocalMachine' ? 'machine' : 'user'}-${name.toLowerCase()}`,
      // What a user (or a program running as the user) adds lands in CurrentUser; machine
      // stores hold Microsoft's root program plus what Group Policy / Intune deploy.
      local: location === 'CurrentUser',
    },
    purpose: WINDOWS_PURPOSE[name],
  };
}

export type MacKeychain = 'system-roots' | 'system' | 'login';

const MAC_KEYCHAINS: Readonly<Record<MacKeychain, { id: string; label: string }>> = {
  'system-roots': { id: 'keychain:SystemRoots', label: 'macOS: System Roots keychain' },
  system: { id: 'keychain:System', label: 'macOS: System keychain' },
  login: { id: 'keychain:login', label: 'macOS: login keychain' },
};

export function macKeychain(which: MacKeychain): KnownStore {
  const k = MAC_KEYCHAINS[which];
  return {
    // The System keychain is where an administrator or MDM profile deploys roots; the login keychain is the user's own.
    ref: { id: k.id, label: k.label, kind: 'os-native', nameKey: `store.macos.${which}`, local: which === 'login' },
    purpose: which === 'system-roots' ? 'anchors' : 'mixed',
  };
}

/** Every `store.*` message key an adapter can hand out (the catalogs must hold each). */
export const STORE_NAME_KEYS: readonly string[] = [
  ...(['LocalMachine', 'CurrentUser'] as const).flatMap((l) => (['Root', 'CA', 'Disallowed'] as const).map((n) => windowsStore(l, n).ref.nameKey!)),
  ...(['system-roots', 'system', 'login'] as const).map((k) => macKeychain(k).ref.nameKey!),
];
