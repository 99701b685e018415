import { anyconnectClientCert } from './anyconnect-client-cert';
import { anyconnectGateway } from './anyconnect-gateway';
import { anyconnectPolicy } from './anyconnect-policy';
import { certChain } from './cert-chain';
import { certExpiry } from './cert-expiry';
import { certHostname } from './cert-hostname';
import { certRevocation } from './cert-revocation';
import { certStrength } from './cert-strength';
import { certTrust } from './cert-trust';
import { certUsage } from './cert-usage';
import { clockOffset } from './clock-offset';
import { dnsResolve } from './dns-resolve';
import { networkReach } from './network-reach';
import { proxyIntercept } from './proxy-intercept';
import { tlsVersions } from './tls-versions';
import type { Check, CheckId } from './types';

/** The checklist, in the order a person reads it. One explicit list; nothing registers itself. */
export const CHECKLIST: readonly Check[] = [
  dnsResolve,
  networkReach,
  proxyIntercept,
  clockOffset,
  tlsVersions,
  certChain,
  certTrust,
  certRevocation,
  certExpiry,
  certHostname,
  certStrength,
  certUsage,
  anyconnectGateway,
  anyconnectClientCert,
  anyconnectPolicy,
];

/**
 * Which failing check explains the others, first to last. DNS before the network,
 * the network before TLS, the clock before certificate dates, a missing intermediate
 * before "untrusted", trust before the name. TLS inspection comes before everything the
 * certificate says (a re-signed chain explains an untrusted root, a wrong name or odd
 * dates); the clock before revocation (answers are judged by time); a strict local
 * policy only makes an untrusted chain fatal, so the chain stays the cause and
 * anyconnect.policy comes after every certificate check.
 */
export const ROOT_CAUSE_ORDER: readonly CheckId[] = [
  'dns.resolve',
  'network.reach',
  'proxy.intercept',
  'clock.offset',
  'tls.versions',
  'cert.chain',
  'cert.expiry',
  'cert.revocation',
  'cert.trust',
  'cert.hostname',
  'cert.usage',
  'cert.strength',
  'anyconnect.client-cert',
  'anyconnect.policy',
  'anyconnect.gateway',
];
