import type { MessageKey, Params } from '../fixes/i18n';
import type { FixId } from '../fixes/catalog';
import type { FactKey, RunFacts } from '../run-facts';
import type { ChainAnalysis } from '../pki/analysis';
import type { AnchorIndex, StoreRef } from '../pki/trust-store';

export const CHECK_IDS = [
  'dns.resolve',
  'network.reach',
  'proxy.intercept',
  'clock.offset',
  'tls.versions',
  'cert.expiry',
  'cert.hostname',
  'cert.chain',
  'cert.trust',
  'cert.revocation',
  'cert.strength',
  'cert.usage',
  'anyconnect.gateway',
  'anyconnect.client-cert',
  'anyconnect.policy',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

export type Status = 'pass' | 'warn' | 'fail' | 'skip' | 'error';

/** Message parameters: text, numbers, nested messages, durations, counts and lists (see fixes/i18n.ts). */
export type { Params };

/** A sentence for people, rendered later in the report's language. */
export interface Msg {
  readonly key: MessageKey;
  readonly params?: Params;
}

export interface FixRef {
  readonly id: FixId;
  readonly params?: Params;
}

/** What a check decides. */
export interface Outcome {
  readonly status: Status;
  /** Stable machine-readable reason, e.g. `expired`, `clock-skew`, `missing-intermediate`. */
  readonly reason: string;
  readonly summary: Msg;
  readonly details?: readonly Msg[];
  readonly evidence?: Readonly<Record<string, unknown>>;
  readonly fixes?: readonly FixRef[];
}

export interface CheckResult extends Outcome {
  readonly id: CheckId;
  /** Time from the start of the run until this check was decided. */
  readonly durationMs: number;
}

/** How a chain is built other than with every trust store of the run. */
export interface ChainOptions {
  /** Stores left out (AnyConnect's Exclude* settings), as if this computer had not them. */
  readonly withoutStores?: (store: StoreRef) => boolean;
}

/** What a check may read while it decides. */
export interface CheckContext {
  /** Facts the check declared in `needs`; reading any other throws. */
  readonly facts: RunFacts;
  /**
   * The chain from the server to a trust anchor (needs tls, trustStore, aia), judged at
   * the run's clock. Memoised without options; with them, built again from the same index.
   */
  chain(options?: ChainOptions): ChainAnalysis | null;
  /** The trust stores of this run, indexed once per run (needs trustStore). */
  anchors(): AnchorIndex;
  /** True time (local clock corrected by NTP), or null when NTP gave nothing. */
  trueNow(): Date | null;
  /** Results of the checks in `dependsOn`. */
  result(id: CheckId): CheckResult | undefined;
}

/**
 * One check: an immutable object with its id, the facts it reads, the checks it
 * depends on (it is skipped when one of them could not pass), and a pure decision.
 */
export interface Check {
  readonly id: CheckId;
  readonly needs: readonly FactKey[];
  readonly dependsOn: readonly CheckId[];
  evaluate(ctx: CheckContext): Outcome;
}
