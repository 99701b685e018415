import { unsupported } from '../src/facts';
import type { PlatformAdapter, PlatformDeps } from './types';

/** For an OS the tool has no adapter for: every fact says so, none is guessed. */
export function unsupportedAdapter(deps: PlatformDeps, osName: string): PlatformAdapter {
  const why = `no adapter for ${osName}`;
  return {
    id: 'unsupported',
    osFacts: async () => ({
      status: 'ok',
      durationMs: 0,
      value: {
        platform: 'unsupported',
        name: osName,
        version: deps.kernelRelease,
        build: null,
        arch: deps.arch,
        hostname: deps.hostname,
        userName: deps.userName,
        locale: deps.intlLocale,
        timeZone: deps.timeZone,
      },
    }),
    trustStore: async () => unsupported(why),
    timeSync: async () => unsupported(why),
    dnsConfig: async () => unsupported(why),
    clientTls: async () => unsupported(why),
    proxy: async () => unsupported(why),
    anyconnect: async () => unsupported(why),
    clientIdentities: async () => unsupported(why),
    vpnLogs: async () => unsupported(why),
  };
}
