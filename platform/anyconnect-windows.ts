import { unsupported, type Fact } from '../src/facts';
import type { AnyConnectInstallFacts, ClientIdentity, PlatformDeps, VpnLogEntry } from './types';

/**
 * AnyConnect 4.x / Secure Client 5.x on Windows: its files (profiles, local policy,
 * preferences), the user's client certificates and the client's own log.
 */
export async function anyconnectOnWindows(_deps: PlatformDeps, _signal: AbortSignal): Promise<Fact<AnyConnectInstallFacts>> {
  return unsupported('AnyConnect discovery on Windows is not implemented yet');
}

export async function clientIdentitiesOnWindows(_deps: PlatformDeps, _signal: AbortSignal): Promise<Fact<readonly ClientIdentity[]>> {
  return unsupported('client certificates on Windows are not read yet');
}

export async function vpnLogsOnWindows(_deps: PlatformDeps, _signal: AbortSignal, _sinceDays: number): Promise<Fact<readonly VpnLogEntry[]>> {
  return unsupported('the AnyConnect log on Windows is not read yet');
}
