import type { Fact, FactNote } from '../src/facts';
import type { StoreEntry, StoreRef } from '../src/pki/trust-store';
import type { Exec } from './exec';

export type PlatformId = 'linux' | 'macos' | 'windows' | 'unsupported';

/** The outside world of an adapter. Tests pass recorded outputs and fixture files. */
export interface PlatformDeps {
  readonly exec: Exec;
  readFile(path: string): Promise<Buffer>;
  /** The last `maxBytes` bytes of a file that may be huge (a system log); rejects as `readFile` does. */
  readFileTail(path: string, maxBytes: number): Promise<Buffer>;
  /** Names in a directory; rejects when it does not exist. */
  readDir(path: string): Promise<string[]>;
  readonly env: Readonly<Record<string, string | undefined>>;
  now(): Date;
  readonly homeDir: string;
  readonly hostname: string;
  readonly userName: string;
  readonly arch: string;
  readonly kernelRelease: string;
  /** The locale the runtime sees (Intl), e.g. `ja-JP`. */
  readonly intlLocale: string;
  readonly timeZone: string;
}

export interface OsFacts {
  readonly platform: PlatformId;
  /** `Windows 11 Pro`, `macOS`, `Debian GNU/Linux`. */
  readonly name: string;
  readonly version: string;
  readonly build: string | null;
  readonly arch: string;
  readonly hostname: string;
  readonly userName: string;
  /** BCP 47, e.g. `ja-JP`. */
  readonly locale: string;
  readonly timeZone: string;
}

export interface TrustStoreFacts {
  readonly entries: readonly StoreEntry[];
  /** Every store looked at: how many certificates it gave, or why it could not be read. */
  readonly sources: ReadonlyArray<{
    readonly store: StoreRef;
    readonly count: number;
    readonly error: string | null;
    /** What the store's certificates are for the OS: trust anchors, path helpers only, or distrust entries. */
    readonly purpose?: StorePurpose;
  }>;
  /** What else decided trust, for the helpdesk (e.g. macOS trust settings per domain). */
  readonly notes?: readonly string[];
}

export type StorePurpose = 'anchors' | 'intermediates' | 'distrusted' | 'mixed';

export interface TimeSyncFacts {
  /** The OS is set to set its clock from the network. */
  readonly enabled: boolean | null;
  /** The OS says the clock is currently synchronised. */
  readonly synchronized: boolean | null;
  /** The configured time server(s) or service. */
  readonly source: string | null;
  /** The command or file the answer came from. */
  readonly evidence: string;
  /** Why a value is unknown, or what else the OS said (e.g. the time service is stopped). */
  readonly detail?: string | null;
  /** Why `enabled` is unknown, as a catalog sentence, when it is a common reason. */
  readonly note?: FactNote | null;
}

export interface DnsConfigFacts {
  readonly servers: readonly string[];
  readonly searchDomains: readonly string[];
  readonly evidence: string;
  /**
   * A local stub resolver the OS asks first (systemd-resolved's 127.0.0.53); `servers`
   * are then the upstream servers it forwards to, when they could be read.
   */
  readonly stub?: string | null;
}

export type TlsVersionName = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export interface ClientTlsFacts {
  /** Versions the OS's TLS stack allows for clients (null: unknown). */
  readonly enabled: Readonly<Record<TlsVersionName, boolean | null>>;
  readonly evidence: string;
  /** The TLS library these settings govern: `SChannel`, `OpenSSL`, `Apple Secure Transport / Network.framework`. */
  readonly stack?: string;
}

export interface ProxyFacts {
  readonly httpProxy: string | null;
  readonly httpsProxy: string | null;
  /** Proxy auto-config URL (PAC) or WPAD. */
  readonly pacUrl: string | null;
  readonly autoDetect: boolean | null;
  readonly bypass: readonly string[];
  readonly evidence: string;
  readonly socksProxy?: string | null;
}

/** A file read for AnyConnect, with its text. */
export interface FileText {
  readonly path: string;
  readonly text: string;
}

export interface AnyConnectInstallFacts {
  readonly product: 'AnyConnect' | 'Secure Client' | null;
  readonly version: string | null;
  readonly profiles: readonly FileText[];
  readonly localPolicy: FileText | null;
  readonly preferences: readonly FileText[];
  readonly evidence: string;
}

/** A certificate with a private key that could authenticate this user. */
export interface ClientIdentity {
  readonly der: Buffer;
  readonly store: string;
  readonly hasPrivateKey: boolean | null;
}

export interface VpnLogEntry {
  readonly time: string | null;
  /** The program or log that wrote it; a line from a syslog file also names the file: `vpnagentd (/var/log/syslog)`. */
  readonly source: string;
  readonly message: string;
}

export interface PlatformAdapter {
  readonly id: PlatformId;
  osFacts(signal: AbortSignal): Promise<Fact<OsFacts>>;
  trustStore(signal: AbortSignal): Promise<Fact<TrustStoreFacts>>;
  timeSync(signal: AbortSignal): Promise<Fact<TimeSyncFacts>>;
  dnsConfig(signal: AbortSignal): Promise<Fact<DnsConfigFacts>>;
  clientTls(signal: AbortSignal): Promise<Fact<ClientTlsFacts>>;
  proxy(signal: AbortSignal): Promise<Fact<ProxyFacts>>;
  anyconnect(signal: AbortSignal): Promise<Fact<AnyConnectInstallFacts>>;
  clientIdentities(signal: AbortSignal): Promise<Fact<readonly ClientIdentity[]>>;
  vpnLogs(signal: AbortSignal, sinceDays: number): Promise<Fact<readonly VpnLogEntry[]>>;
}
