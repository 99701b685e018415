import { createInterface } from 'node:readline';
import type { PlatformAdapter } from '../../platform/types';
import { abortable, timeoutSignal } from '../deadline';
import { errorCode, errorMessage, UsageError } from '../errors';
import { readRegularFile, unreadableFile } from '../read-file';
import { failed, type Fact } from '../facts';
import { msgRef, t, type Lang } from '../fixes/i18n';
import type { AnyConnectFacts } from '../run-facts';
import type { Target } from '../target';
import { anyconnectFacts, type GivenFiles } from './facts';
import { gatewaysFromProfiles } from './gateways';
import { parseLocalPolicy } from './local-policy';
import { parseProfile } from './profile';
import { decodeXmlBytes, XmlError } from './xml';

/**
 * The no-argument run: when neither the command line nor the config file names a
 * gateway, the gateways come from the AnyConnect profiles (installed, or given with
 * `--profile`), each saying which profile and host entry it came from.
 */

async function readGiven(file: string, option: string): Promise<string> {
  try {
    return decodeXmlBytes(await readRegularFile(file));
  } catch (err) {
    throw unreadableFile(option, file, err);
  }
}

/**
 * Reads `--profile` and `--local-policy`. A file that is missing, malformed, or refused
 * (a DTD or entity declaration) is a usage error with the reason, before anything else runs.
 */
export async function readGivenFiles(profiles: readonly string[], localPolicy: string | null): Promise<GivenFiles> {
  const out: GivenFiles = { profiles: [], localPolicy: null };
  const list: Array<{ path: string; text: string }> = [];
  for (const p of profiles) {
    const text = await readGiven(p, '--profile');
    try {
      parseProfile(text, p);
    } catch (err) {
      throw new UsageError(msgRef('usage.file.invalid', { option: '--profile', detail: err instanceof XmlError ? err.message : String(err) }));
    }
    list.push({ path: p, text });
  }
  let policy: { path: string; text: string } | null = null;
  if (localPolicy) {
    const text = await readGiven(localPolicy, '--local-policy');
    try {
      parseLocalPolicy(text, localPolicy);
    } catch (err) {
      throw new UsageError(msgRef('usage.file.invalid', { option: '--local-policy', detail: err instanceof XmlError ? err.message : String(err) }));
    }
    policy = { path: localPolicy, text };
  }
  return { ...out, profiles: list, localPolicy: policy };
}

/** The AnyConnect facts for a run, read once (bounded) before the gateways are diagnosed. */
export async function loadAnyConnect(adapter: PlatformAdapter, given: GivenFiles, timeoutMs: number): Promise<Fact<AnyConnectFacts>> {
  const signal = timeoutSignal(Math.max(1, timeoutMs));
  const install = await abortable(signal, () => adapter.anyconnect(signal)).catch((err: unknown) =>
    signal.aborted ? failed<never>('timeout', 'reading the AnyConnect files took too long') : failed<never>(errorCode(err), errorMessage(err)),
  );
  return anyconnectFacts(install, given);
}

export interface FoundGateways {
  readonly targets: readonly Target[];
  /** Why nothing was found, for the usage error. */
  readonly why: string | null;
}

export function gatewaysFromAnyConnect(ac: Fact<AnyConnectFacts>): FoundGateways {
  if (ac.status !== 'ok') return { targets: [], why: ac.status === 'unsupported' ? ac.reason : ac.error.message };
  const found = gatewaysFromProfiles(ac.value.profiles);
  if (found.targets.length) return { targets: found.targets, why: null };
  const reasons = [
    ...ac.value.problems.map((p) => `${p.path}: ${p.message}`),
    ...found.skipped.map((s) => `${s.path}${s.hostName ? ` (“${s.hostName}”)` : ''}: ${s.message}`),
  ];
  return { targets: [], why: ac.value.profiles.length || reasons.length ? reasons.join('; ') || 'the AnyConnect profiles list no gateway' : 'no AnyConnect profile was found' };
}

/** `''` → all; `2` → the second; `1,3` or `1 3` → those; anything else → null. */
export function parseChoice(answer: string, count: number): number[] | null {
  const a = answer.trim();
  if (a === '' || /^(a|all|すべて)$/i.test(a)) return [...Array(count).keys()];
  const parts = a.split(/[\s,、]+/).filter(Boolean);
  const picked: number[] = [];
  for (const p of parts) {
    if (!/^\d+$/.test(p)) return null;
    const n = Number(p);
    if (n < 1 || n > count) return null;
    if (!picked.includes(n - 1)) picked.push(n - 1);
  }
  return picked.length ? picked : null;
}

export interface PickIo {
  readonly stdout: { write(s: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(s: string): unknown };
  readonly stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
}

/** A person at a terminal gets to wait this long before every gateway is checked. */
const PICK_WAIT_MS = 120_000;

/**
 * Several gateways: a person at a terminal picks (Enter: all); otherwise all of them
 * are checked and stderr says where they came from.
 */
export async function pickGateways(targets: readonly Target[], io: PickIo, lang: Lang, announce: boolean): Promise<Target[]> {
  const list = targets.map((g, i) => `  ${i + 1}. ${g.url}  — ${g.origin}`).join('\n');
  const interactive = targets.length > 1 && io.stdin?.isTTY === true && io.stdout.isTTY === true;
  if (!interactive) {
    if (announce) io.stderr.write(`${t(lang, 'anyconnect.pick.using', { count: targets.length })}\n${list}\n`);
    return [...targets];
  }
  io.stdout.write(`${t(lang, 'anyconnect.pick.title', { count: targets.length })}\n${list}\n`);
  const rl = createInterface({ input: io.stdin!, terminal: false });
  // Lines typed ahead of a prompt wait in the iterator's queue instead of being lost.
  const lines = rl[Symbol.asyncIterator]();
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      io.stdout.write(`${t(lang, 'anyconnect.pick.prompt')} `);
      let timer: NodeJS.Timeout | undefined;
      const answer = await Promise.race([
        lines.next().then((r) => (r.done ? null : r.value)),
        new Promise<null>((resolve) => {
          timer = setTimeout(() => resolve(null), PICK_WAIT_MS);
          timer.unref();
        }),
      ]);
      clearTimeout(timer);
      if (answer === null) return [...targets];
      const picked = parseChoice(answer, targets.length);
      if (picked) return picked.map((i) => targets[i]!);
      io.stdout.write(`${t(lang, 'anyconnect.pick.invalid', { count: targets.length })}\n`);
    }
    return [...targets];
  } finally {
    rl.close();
  }
}
