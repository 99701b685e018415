import { decodeXmlBytes } from '../src/anyconnect/xml';
import { ok, unsupported, type Fact } from '../src/facts';
import { splitCertificates } from '../src/pki/pem';
import type { StoreEntry, StoreRef } from '../src/pki/trust-store';
import { opensslStoreEntry } from './openssl-store';
import type { AnyConnectInstallFacts, ClientIdentity, FileText, PlatformDeps } from './types';

/** Where AnyConnect 4.x and Secure Client 5.x keep their files on a Unix system. */
export interface UnixLayout {
  readonly os: 'linux' | 'macos';
  readonly installs: ReadonlyArray<{
    readonly product: 'AnyConnect' | 'Secure Client';
    readonly root: string;
    readonly profileDir: string;
    readonly globalPrefs: string;
  }>;
  /** User preference files, relative to the home folder. */
  readonly userPrefs: readonly string[];
}

/** AnyConnect's own PEM stores (the system one and the user's). */
export function pemStoreDirs(deps: PlatformDeps, kind: 'ca' | 'client'): Array<{ dir: string; store: StoreRef }> {
  return [
    { dir: `/opt/.cisco/certificates/${kind}`, store: { id: `anyconnect-pem:system`, label: `/opt/.cisco/certificates/${kind}`, kind: 'anyconnect-pem' } },
    { dir: `${deps.homeDir}/.cisco/certificates/${kind}`, store: { id: `anyconnect-pem:user`, label: `~/.cisco/certificates/${kind}`, kind: 'anyconnect-pem' } },
  ];
}

/**
 * The CA certificates of AnyConnect's PEM stores. The agent reads them with its bundled
 * OpenSSL, so they count as the system stores do: a self-signed root is an anchor, any
 * other certificate (an intermediate dropped there) only helps build the chain.
 */
export async function pemStoreEntries(
  deps: PlatformDeps,
  kind: 'ca',
): Promise<{ entries: StoreEntry[]; sources: Array<{ store: StoreRef; count: number; error: string | null }> }> {
  const entries: StoreEntry[] = [];
  const sources: Array<{ store: StoreRef; count: number; error: string | null }> = [];
  for (const { dir, store } of pemStoreDirs(deps, kind)) {
    let names: string[];
    try {
      names = await deps.readDir(dir);
    } catch {
      continue; // AnyConnect not installed or no user store: nothing to add
    }
    let count = 0;
    for (const n of names.filter((x) => /\.(pem|crt|cer)$/i.test(x))) {
      try {
        for (const der of splitCertificates(await deps.readFile(`${dir}/${n}`), n)) {
          entries.push(opensslStoreEntry(der, store));
          count++;
        }
      } catch {
        // not a certificate file
      }
    }
    sources.push({ store, count, error: null });
  }
  return { entries, sources };
}

/** `~/.cisco/certificates/client/<name>.pem` with `private/<name>.key`. */
export async function clientIdentitiesFromPemStore(deps: PlatformDeps): Promise<ClientIdentity[]> {
  const out: ClientIdentity[] = [];
  for (const { dir, store } of pemStoreDirs(deps, 'client')) {
    let names: string[];
    try {
      names = await deps.readDir(dir);
    } catch {
      continue;
    }
    let keys: string[] = [];
    try {
      keys = await deps.readDir(`${dir}/private`);
    } catch {
      keys = [];
    }
    for (const n of names.filter((x) => /\.(pem|crt|cer)$/i.test(x))) {
      try {
        const ders = splitCertificates(await deps.readFile(`${dir}/${n}`), n);
        const base = n.replace(/\.[^.]+$/, '');
        const hasKey = keys.some((k) => k.replace(/\.[^.]+$/, '') === base);
        if (ders[0]) out.push({ der: ders[0], store: `${store.label}/${n}`, hasPrivateKey: hasKey });
      } catch {
        // not a certificate file
      }
    }
  }
  return out;
}

async function readText(deps: PlatformDeps, path: string): Promise<FileText | null> {
  try {
    return { path, text: decodeXmlBytes(await deps.readFile(path)) };
  } catch {
    return null;
  }
}

export async function anyconnectOnUnix(
  deps: PlatformDeps,
  layout: UnixLayout,
  _signal: AbortSignal,
): Promise<Fact<AnyConnectInstallFacts>> {
  for (const inst of layout.installs) {
    let profileNames: string[] | null = null;
    try {
      profileNames = await deps.readDir(inst.profileDir);
    } catch {
      profileNames = null;
    }
    const localPolicy = await readText(deps, `${inst.root}/AnyConnectLocalPolicy.xml`);
    if (profileNames === null && !localPolicy) continue;
    const profiles: FileText[] = [];
    for (const n of (profileNames ?? []).filter((x) => /\.xml$/i.test(x)).sort()) {
      const f = await readText(deps, `${inst.profileDir}/${n}`);
      if (f) profiles.push(f);
    }
    const preferences: FileText[] = [];
    for (const p of [inst.globalPrefs, ...layout.userPrefs.map((u) => `${deps.homeDir}/${u}`)]) {
      const f = await readText(deps, p);
      if (f) preferences.push(f);
    }
    const update = await readText(deps, `${inst.root}/update.txt`);
    const version = update ? update.text.trim().split(/\s+/)[0]!.replace(/,/g, '.') || null : null;
    return ok({ product: inst.product, version, profiles, localPolicy, preferences, evidence: inst.root });
  }
  return unsupported('Cisco AnyConnect / Secure Client is not installed here', 0, { key: 'fact.anyconnect.not-installed' });
}
