import { unsupported, type Fact } from '../src/facts';
import type { AnyConnectInstallFacts, ClientIdentity, PlatformDeps, VpnLogEntry } from './types';

/**
 * AnyConnect 4.x / Secure Client 5.x on macOS: its files (profiles, local policy,
 * preferences), the user's client certificates and the client's own log.
 */
export async function anyconnectOnMacos(_deps: PlatformDeps, _signal: AbortSignal): Promise<Fact<AnyConnectInstallFacts>> {
  return unsupported('AnyConnect discovery on macOS is not implemented yet');
}

export async function clientIdentitiesOnMacos(_deps: PlatformDeps, _signal: AbortSignal): Promise<Fact<readonly ClientIdentity[]>> {
  return unsupported('client certificates on macOS are not read yet');
}

export async function vpnLogsOnMacos(_deps: PlatformDeps, _signal: AbortSignal, _sinceDays: number): Promise<Fact<readonly VpnLogEntry[]>> {
  return unsupported('the AnyConnect log on macOS is not read yet');
}
