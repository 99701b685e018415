import type { Fact } from './facts';
import type {
  ClientIdentity,
  ClientTlsFacts,
  DnsConfigFacts,
  OsFacts,
  PlatformId,
  ProxyFacts,
  TimeSyncFacts,
  TlsVersionName,
  TrustStoreFacts,
  VpnLogEntry,
} from '../platform/types';
import type { AiaFetch } from './probes/aia';
import type { DnsAnswer } from './probes/dns';
import type { NtpServerResult } from './probes/ntp';
import type { HandshakeResult } from './probes/tls';
import type { Target } from './target';

/**
 * Everything a run learns, each fact with its own status. Probes and adapters fill
 * it; checks only read it.
 */
export interface RunFacts {
  readonly target: Target;
  /** `--connect-to`: the address to use instead of what DNS says. */
  readonly connectTo: string | null;
  /** This computer's clock when the run started. */
  readonly startedAt: Date;
  readonly platform: PlatformId;
  readonly settings: CheckSettings;
  readonly os: Fact<OsFacts>;
  readonly dns: Fact<DnsFacts>;
  readonly reach: Fact<ReachFacts>;
  readonly tls: Fact<TlsFacts>;
  readonly tlsVersions: Fact<TlsVersionsFacts>;
  readonly clientTls: Fact<ClientTlsFacts>;
  readonly ntp: Fact<NtpFacts>;
  readonly timeSync: Fact<TimeSyncFacts>;
  readonly trustStore: Fact<TrustStoreFacts>;
  readonly dnsConfig: Fact<DnsConfigFacts>;
  readonly proxy: Fact<ProxyFacts>;
  readonly aia: Fact<AiaFacts>;
  readonly revocation: Fact<RevocationFacts>;
  readonly anyconnect: Fact<AnyConnectFacts>;
  readonly gateway: Fact<GatewayFacts>;
  readonly clientIdentities: Fact<readonly ClientIdentity[]>;
  readonly vpnLogs: Fact<readonly VpnLogEntry[]>;
}

export type FactKey = Exclude<keyof RunFacts, 'target' | 'connectTo' | 'startedAt' | 'platform' | 'settings'>;

export interface CheckSettings {
  readonly clockWarnMs: number;
  readonly clockFailMs: number;
  readonly expiryWarnDays: number;
}

export const DEFAULT_SETTINGS: CheckSettings = {
  clockWarnMs: 60_000,
  clockFailMs: 5 * 60_000,
  expiryWarnDays: 30,
};

export interface DnsFacts {
  /** How the address to connect to was chosen. */
  readonly mode: 'ip-literal' | 'connect-to' | 'dns-server' | 'system';
  readonly system: DnsAnswer | null;
  readonly direct: readonly DnsAnswer[];
  /** The OS's configured DNS servers, asked directly for comparison. */
  readonly configured?: readonly DnsAnswer[];
  /** Addresses the tool connects to, in order. */
  readonly addresses: readonly string[];
  /** The resolver whose answer gave `addresses` (null: --connect-to, an IP literal, or no answer). */
  readonly resolvedBy?: string | null;
}

export interface ReachFacts {
  readonly port: number;
  readonly attempts: ReadonlyArray<{
    readonly address: string;
    readonly rttMs: number | null;
    readonly error: { readonly code: string; readonly message: string } | null;
  }>;
  readonly connected: { readonly address: string; readonly rttMs: number; readonly localAddress: string | null } | null;
}

export type TlsFacts = Omit<HandshakeResult, 'socket'> & {
  readonly address: string;
  readonly servername: string | null;
};

export interface VersionProbe {
  readonly state: 'accepted' | 'rejected' | 'error';
  readonly cipher: string | null;
  readonly reason: string | null;
  /** Whether the answer came from the main handshake or its own probe. */
  readonly via: 'main-handshake' | 'probe';
}

export interface TlsVersionsFacts {
  readonly versions: Readonly<Record<TlsVersionName, VersionProbe>>;
}

export interface NtpFacts {
  readonly servers: readonly NtpServerResult[];
  readonly medianOffsetMs: number | null;
  readonly spreadMs: number | null;
  readonly usable: number;
}

export interface AiaFacts {
  /** Whether the path needed an issuer the server did not send. */
  readonly needed: boolean;
  readonly fetches: readonly AiaFetch[];
}

export type RevocationMethod = 'ocsp-stapled' | 'ocsp' | 'crl';
export type RevocationState = 'good' | 'revoked' | 'unknown' | 'unreachable' | 'invalid' | 'not-checked';
/** Why a certificate was not asked about: it names no OCSP/CRL, its issuer is missing, or it signed itself. */
export type RevocationNotChecked = 'no-pointer' | 'no-issuer' | 'self-signed';

/** One source asked about one certificate, as verified by the probe (time windows not yet judged). */
export interface RevocationAttempt {
  readonly method: RevocationMethod;
  readonly url: string | null;
  /** What the source said: signature, issuer and serial verified. */
  readonly state: Exclude<RevocationState, 'not-checked'>;
  readonly detail: string;
  /** For unreachable and invalid: a FetchError code, an OCSP or CRL problem (e.g. `timeout`, `bad-signature`). */
  readonly problem?: string | null;
  readonly revokedAt?: string | null;
  /** RFC 5280 reason name (keyCompromise …); null when none was given. */
  readonly reason?: string | null;
  readonly thisUpdate?: string | null;
  readonly nextUpdate?: string | null;
  readonly producedAt?: string | null;
  /** Who signed an OCSP answer; a delegated responder's own validity is judged with the answer. */
  readonly responder?: { readonly kind: 'issuer' | 'delegated'; readonly subject: string; readonly notBefore: string | null; readonly notAfter: string | null } | null;
  readonly httpMethod?: 'GET' | 'POST' | null;
  /** The same URL (and request) was already fetched in this run; its answer was reused. */
  readonly cached?: boolean;
  readonly bytes?: number;
  readonly ms?: number;
}

/**
 * One certificate of the path (leaf and intermediates; trust anchors are not checked).
 * `state`/`decidedBy` are what the sources said before time windows are judged; a check
 * judges them at the true time with `pickDecision` (src/pki/revocation-judge.ts).
 */
export interface CertificateRevocation {
  /** SHA-256 fingerprint of the certificate checked. */
  readonly fingerprint: string;
  readonly subject: string;
  readonly role: 'leaf' | 'intermediate';
  readonly serialNumber: string;
  /** Subject of the issuer used to verify answers; null when the path stops before it. */
  readonly issuer: string | null;
  readonly ocspUrls: readonly string[];
  readonly crlUrls: readonly string[];
  readonly notChecked: RevocationNotChecked | null;
  readonly state: RevocationState;
  readonly decidedBy: RevocationMethod | null;
  readonly attempts: readonly RevocationAttempt[];
}

export interface RevocationFacts {
  readonly certificates: readonly CertificateRevocation[];
  /** Whether the gateway stapled an OCSP response in the handshake. */
  readonly stapled: boolean;
}

/** What the AnyConnect files on this machine (or given ones) say. */
export interface AnyConnectFacts {
  /** The installed client, when one was found. */
  readonly install: { readonly product: 'AnyConnect' | 'Secure Client' | null; readonly version: string | null; readonly evidence: string } | null;
  /** Where the profiles came from: the installation, `--profile`, or nowhere. */
  readonly profileSource: 'installed' | 'given' | 'none';
  readonly localPolicySource: 'installed' | 'given' | 'none';
  readonly profiles: readonly ParsedProfile[];
  readonly localPolicy: ParsedLocalPolicy | null;
  readonly preferences: readonly ParsedPreferences[];
  /** Files that could not be used, and why (refused, malformed, unreadable). */
  readonly problems: ReadonlyArray<{ readonly path: string; readonly reason: string; readonly message: string }>;
}

export interface HostEntry {
  readonly hostName: string | null;
  readonly hostAddress: string | null;
  readonly userGroup: string | null;
  readonly backupServers: readonly string[];
  readonly loadBalancingServers: readonly string[];
  readonly primaryProtocol: string | null;
  readonly pins: readonly CertificatePin[];
}

export interface CertificatePin {
  readonly subject: string | null;
  readonly issuer: string | null;
  /** As written in the profile (hex or base64; the encoding is not documented). */
  readonly hash: string;
}

/** CertificateMatch of a profile: which client certificates AnyConnect may pick. */
export interface CertificateMatchRule {
  /** Any of these key usages (e.g. Digital_Signature). */
  readonly keyUsage: readonly string[];
  /** All of these extended key usages (e.g. ClientAuth). */
  readonly extendedKeyUsage: readonly string[];
  readonly customExtendedKeyUsage: readonly string[];
  readonly distinguishedName: ReadonlyArray<{
    readonly name: string;
    readonly pattern: string;
    readonly operator: 'Equal' | 'NotEqual';
    readonly wildcard: boolean;
    readonly matchCase: boolean;
  }>;
  readonly matchOnlyCertsWithEku: boolean;
  readonly matchOnlyCertsWithKu: boolean;
}

export interface MisplacedSetting {
  readonly element: string;
  readonly value: string;
  /** The file the client reads this setting from. */
  readonly belongsIn: 'local-policy' | 'preferences';
}

export interface ParsedProfile {
  readonly path: string;
  readonly hosts: readonly HostEntry[];
  readonly certificatePinning: boolean | null;
  readonly globalPins: readonly CertificatePin[];
  readonly certificateStore: string | null;
  readonly certificateStoreLinux: string | null;
  readonly certificateStoreMac: string | null;
  readonly certificateStoreOverride: boolean | null;
  readonly automaticCertSelection: boolean | null;
  readonly certificateMatch: CertificateMatchRule | null;
  /** Elements the client ignores in a profile (they belong in the local policy or preferences). */
  readonly misplaced: readonly MisplacedSetting[];
  /** Elements whose value is not one the schema allows. */
  readonly invalid: ReadonlyArray<{ readonly element: string; readonly value: string }>;
}

export interface ParsedLocalPolicy {
  readonly path: string;
  readonly acversion: string | null;
  readonly strictCertificateTrust: boolean | null;
  readonly excludePemFileCertStore: boolean | null;
  readonly excludeWinNativeCertStore: boolean | null;
  readonly excludeMacNativeCertStore: boolean | null;
  readonly excludeFirefoxNSSCertStore: boolean | null;
  readonly restrictServerCertStore: boolean | null;
  readonly enableCRLCheck: boolean | null;
  readonly ocspRevocation: boolean | null;
  readonly fipsMode: boolean | null;
  readonly restrictPreferenceCaching: string | null;
  readonly invalid: ReadonlyArray<{ readonly element: string; readonly value: string }>;
}

export interface ParsedPreferences {
  readonly path: string;
  readonly scope: 'user' | 'global';
  /** "Block connections to untrusted servers"; null: not set (the client blocks by default). */
  readonly blockUntrustedServers: boolean | null;
  /** Server certificates the user accepted before (SHA-1 thumbprints as the client stores them). */
  readonly serverCertificateThumbprints: readonly string[];
  readonly defaultHostName: string | null;
  readonly defaultHostAddress: string | null;
}

/** What the gateway answered to the AnyConnect config-auth init request. */
export interface GatewayFacts {
  /** The URL the init was posted to (the group URL). */
  readonly url: string;
  /** HTTP status; null when no HTTP answer came. */
  readonly status: number | null;
  /** `client-cert-required`: the gateway ended the connection because no client certificate was sent. */
  readonly kind: 'anyconnect' | 'not-anyconnect' | 'client-cert-required';
  /** For not-anyconnect: no-answer, http-status, redirect, not-xml, refused-xml, not-config-auth. */
  readonly why: string | null;
  /** config-auth `type`: auth-request, complete, … */
  readonly replyType: string | null;
  /** `<version who="sg">`: the gateway software version. */
  readonly serverVersion: string | null;
  readonly product: 'Cisco ASA/FTD' | 'ocserv' | 'other' | null;
  readonly groups: ReadonlyArray<{ readonly value: string; readonly label: string; readonly selected: boolean }>;
  /** The tunnel group the gateway chose (opaque tunnel-group or group-alias). */
  readonly currentGroup: string | null;
  readonly authMethods: readonly string[];
  readonly formInputs: ReadonlyArray<{ readonly name: string; readonly type: string; readonly label: string | null }>;
  readonly ssoLoginUrl: string | null;
  readonly clientCertRequested: boolean;
  /** An `<error>` in the reply. */
  readonly errorMessage: string | null;
  readonly message: string | null;
  readonly headers: {
    readonly server: string | null;
    readonly contentType: string | null;
    readonly location: string | null;
    readonly xAggregateAuth: string | null;
  };
  readonly dateHeader: string | null;
  /** Gateway clock (Date header) minus this computer's clock when the answer came; 1 s resolution. */
  readonly clockOffsetMs: number | null;
  readonly ms: number;
  /** The start of a reply that was not AnyConnect (for the helpdesk), escaped. */
  readonly bodyExcerpt: string | null;
  readonly detail: string;
}
