import type { AnyConnectInstallFacts, FileText } from '../../platform/types';
import { failed, ok, unsupported, type Fact } from '../facts';
import type { AnyConnectFacts, ParsedLocalPolicy, ParsedPreferences, ParsedProfile } from '../run-facts';
import { parseLocalPolicy, parsePreferences } from './local-policy';
import { parseProfile } from './profile';
import { XmlError } from './xml';

/** `--profile` and `--local-policy`: files to read instead of the installed ones. */
export interface GivenFiles {
  readonly profiles: readonly FileText[];
  readonly localPolicy: FileText | null;
}

export const NO_GIVEN_FILES: GivenFiles = { profiles: [], localPolicy: null };

type Problem = AnyConnectFacts['problems'][number];

function reasonOf(err: unknown): string {
  return err instanceof XmlError ? err.reason : 'unreadable';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Parses profiles, keeping the ones that can be read and saying why the others cannot. */
export function parseProfiles(files: readonly FileText[], problems: Problem[]): ParsedProfile[] {
  const out: ParsedProfile[] = [];
  for (const f of files) {
    try {
      out.push(parseProfile(f.text, f.path));
    } catch (err) {
      problems.push({ path: f.path, reason: reasonOf(err), message: messageOf(err) });
    }
  }
  return out;
}

function parsePolicy(file: FileText | null, problems: Problem[]): ParsedLocalPolicy | null {
  if (!file) return null;
  try {
    return parseLocalPolicy(file.text, file.path);
  } catch (err) {
    problems.push({ path: file.path, reason: reasonOf(err), message: messageOf(err) });
    return null;
  }
}

function parsePrefs(files: readonly FileText[], problems: Problem[]): ParsedPreferences[] {
  const out: ParsedPreferences[] = [];
  for (const f of files) {
    const scope = /global/i.test(f.path) ? 'global' : 'user';
    try {
      out.push(parsePreferences(f.text, f.path, scope));
    } catch (err) {
      problems.push({ path: f.path, reason: reasonOf(err), message: messageOf(err) });
    }
  }
  return out;
}

/**
 * The AnyConnect facts of a run: the installed files, with `--profile` /
 * `--local-policy` replacing the installed profiles / local policy. Not installed and
 * nothing given is `unsupported`; a broken discovery with nothing given stays an error.
 */
export function anyconnectFacts(install: Fact<AnyConnectInstallFacts>, given: GivenFiles = NO_GIVEN_FILES): Fact<AnyConnectFacts> {
  const inst = install.status === 'ok' ? install.value : null;
  const hasGiven = given.profiles.length > 0 || given.localPolicy !== null;
  if (!inst && !hasGiven) {
    if (install.status === 'error') return failed(install.error.code, install.error.message, install.durationMs);
    if (install.status === 'unsupported') return unsupported(install.reason, install.durationMs, install.note);
    return unsupported('no AnyConnect files', install.durationMs);
  }
  const problems: Problem[] = [];
  const profileFiles = given.profiles.length ? given.profiles : (inst?.profiles ?? []);
  const policyFile = given.localPolicy ?? inst?.localPolicy ?? null;
  return ok(
    {
      install: inst ? { product: inst.product, version: inst.version, evidence: inst.evidence } : null,
      profileSource: given.profiles.length ? 'given' : inst && inst.profiles.length ? 'installed' : 'none',
      localPolicySource: given.localPolicy ? 'given' : inst?.localPolicy ? 'installed' : 'none',
      profiles: parseProfiles(profileFiles, problems),
      localPolicy: parsePolicy(policyFile, problems),
      preferences: parsePrefs(inst?.preferences ?? [], problems),
      problems,
    },
    install.durationMs,
  );
}
