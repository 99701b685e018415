/**
 * Fix steps, per fix and per OS, and who does them. The words live in the message
 * catalogs under `fix.<id>.title` and `fix.<id>.<os>` (one step per line). No fix
 * ever turns certificate checking off.
 */
export type FixOs = 'windows' | 'macos' | 'linux' | 'ios' | 'android' | 'any';
export type Actor = 'user' | 'admin';

export interface FixDef {
  readonly actor: Actor;
  /** The OS variants that have steps; `any` applies everywhere. */
  readonly os: readonly FixOs[];
}

const ALL_USER: readonly FixOs[] = ['windows', 'macos', 'linux', 'ios', 'android'];

export const FIXES = {
  // user side
  'clock.sync': { actor: 'user', os: ALL_USER },
  'clock.enable-sync': { actor: 'user', os: ALL_USER },
  'clock.check': { actor: 'user', os: ['any'] },
  'dns.check-name': { actor: 'user', os: ['any'] },
  'dns.network': { actor: 'user', os: ALL_USER },
  'dns.corporate-dns': { actor: 'admin', os: ['any'] },
  'reach.check-port': { actor: 'user', os: ['any'] },
  'reach.network': { actor: 'user', os: ['any'] },
  'reach.firewall': { actor: 'admin', os: ['any'] },
  'reach.gateway-down': { actor: 'admin', os: ['any'] },
  'proxy.captive-portal': { actor: 'user', os: ['any'] },
  'proxy.bypass': { actor: 'admin', os: ['any'] },
  'proxy.settings': { actor: 'user', os: ALL_USER },
  'tls.wrong-port': { actor: 'user', os: ['any'] },
  'tls.client-settings': { actor: 'user', os: ['windows', 'linux'] },
  'trust.install-root': { actor: 'user', os: ALL_USER },
  'trust.remove-distrust': { actor: 'user', os: ALL_USER },
  'hostname.check-address': { actor: 'user', os: ['any'] },
  'hostname.use-name': { actor: 'user', os: ['any'] },
  'user.not-your-fault': { actor: 'user', os: ['any'] },
  'revocation.network': { actor: 'user', os: ['any'] },
  'clientcert.install': { actor: 'user', os: ALL_USER },
  'clientcert.renew': { actor: 'user', os: ['any'] },
  'anyconnect.policy-strict': { actor: 'admin', os: ['any'] },
  'anyconnect.policy-store': { actor: 'admin', os: ['any'] },
  'anyconnect.pin': { actor: 'admin', os: ['any'] },
  'anyconnect.fix-profile': { actor: 'admin', os: ['any'] },
  'anyconnect.check-url': { actor: 'user', os: ['any'] },
  'anyconnect.fix-trust-first': { actor: 'user', os: ['any'] },
  'anyconnect.block-untrusted': { actor: 'admin', os: ['any'] },
  'user.send-report': { actor: 'user', os: ['any'] },
  'user.run-again': { actor: 'user', os: ['any'] },
  // gateway admin side
  'admin.renew-certificate': { actor: 'admin', os: ['any'] },
  'admin.renew-ca': { actor: 'admin', os: ['any'] },
  'admin.reissue-dates': { actor: 'admin', os: ['any'] },
  'admin.add-san': { actor: 'admin', os: ['any'] },
  'admin.send-intermediate': { actor: 'admin', os: ['any'] },
  'admin.fix-chain': { actor: 'admin', os: ['any'] },
  'admin.public-ca': { actor: 'admin', os: ['any'] },
  'admin.replace-certificate': { actor: 'admin', os: ['any'] },
  'admin.reissue-server-auth': { actor: 'admin', os: ['any'] },
  'admin.revoked': { actor: 'admin', os: ['any'] },
  'admin.ocsp-responder': { actor: 'admin', os: ['any'] },
  'admin.revoked-intermediate': { actor: 'admin', os: ['any'] },
  'admin.revocation-unknown': { actor: 'admin', os: ['any'] },
  'admin.revocation-reachable': { actor: 'admin', os: ['any'] },
  'admin.issue-client-cert': { actor: 'admin', os: ['any'] },
  'tls.gateway-config': { actor: 'admin', os: ['any'] },
  'tls.enable-modern': { actor: 'admin', os: ['any'] },
  'tls.disable-legacy': { actor: 'admin', os: ['any'] },
  // platform: this computer's stores, DNS settings and what sits between it and the gateway
  'dns.no-servers': { actor: 'user', os: ALL_USER },
  'trust.mark-root-trusted': { actor: 'user', os: ['windows', 'macos'] },
  'proxy.av-https-scanning': { actor: 'user', os: ['any'] },
  'proxy.debugging-tool': { actor: 'user', os: ['any'] },
  'proxy.ask-it-root': { actor: 'user', os: ['any'] },
  'proxy.inspection-network': { actor: 'user', os: ['any'] },
  'admin.review': { actor: 'admin', os: ['any'] },
} as const satisfies Record<string, FixDef>;

export type FixId = keyof typeof FIXES;

/**
 * What the report offers when a check that did not pass names no fix of its own (a
 * probe that broke, or a check added without fixes): never leave a person without a
 * next step.
 */
export const FALLBACK_FIXES: Readonly<Record<'fail' | 'warn' | 'error', readonly FixId[]>> = {
  fail: ['user.send-report', 'admin.review'],
  warn: ['user.send-report', 'admin.review'],
  error: ['user.run-again', 'user.send-report'],
};
