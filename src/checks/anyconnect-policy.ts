import { entriesForHost } from '../anyconnect/gateways';
import { interpretLogs } from '../anyconnect/logs';
import { matchPins } from '../anyconnect/pins';
import { blockUntrustedServers, normalizeThumbprint, settingsShown, storeExclusions } from '../anyconnect/policy';
import type { ChainAnalysis } from '../pki/analysis';
import type { Certificate } from '../pki/certificate';
import { matchHostname } from '../pki/hostname';
import { shortName } from '../pki/names';
import { isPublicSuffix } from '../pki/public-suffix';
import { validityAt } from '../pki/validity';
import type { AnyConnectFacts, CertificatePin } from '../run-facts';
import { logDetail } from './anyconnect-common';
import { judgeRevocation } from './cert-revocation';
import { msgRef, type MessageKey, type MsgParam } from '../fixes/i18n';
import type { Check, CheckContext, FixRef, Msg, Outcome, Status } from './types';
import { count, enumeration, factReason, list, outcome, probeError, quoted } from './util';

interface Finding {
  readonly status: Exclude<Status, 'skip' | 'error'>;
  readonly reason: string;
  readonly msg: Msg;
  readonly fixes?: readonly FixRef[];
}

/**
 * What AnyConnect shows, by case. `observed`: seen in users' reports and helpdesk
 * guides; `unconfirmed`: Cisco's wording could not be checked against a primary source.
 */
const UI_MESSAGES = {
  strict: { key: 'anyconnect.ui.strict', confidence: 'unconfirmed', source: 'Cisco admin guide wording as recalled; not found in public copies' },
  blocked: { key: 'anyconnect.ui.blocked', confidence: 'observed', source: 'user guides for the desktop client (block untrusted servers on, the default)' },
  prompt: { key: 'anyconnect.ui.prompt', confidence: 'observed', source: 'lab guides and the Windows dialog title (block untrusted servers off)' },
  refused: { key: 'anyconnect.ui.refused', confidence: 'unconfirmed', source: 'Cisco does not document the message for a pin mismatch or a failed revocation check' },
} as const;

type UiCase = keyof typeof UI_MESSAGES;

function pathCerts(chain: ChainAnalysis): Certificate[] {
  return chain.path ? chain.path.nodes.map((n) => n.cert) : chain.leaf ? [chain.leaf] : [];
}

/** The pins AnyConnect applies to this gateway: of the profiles that list it, with pinning on. */
function pinsFor(ac: AnyConnectFacts, host: string): { enabled: boolean; pins: CertificatePin[]; listedButOff: number; files: string[] } {
  const matching = entriesForHost(ac.profiles, host);
  let enabled = false;
  let listedButOff = 0;
  const pins: CertificatePin[] = [];
  const files = new Set<string>();
  for (const m of matching) {
    const own = [...m.profile.globalPins, ...m.entry.pins];
    if (m.profile.certificatePinning === true) {
      enabled = true;
      pins.push(...own);
      files.add(m.profile.path);
    } else {
      listedButOff += own.length;
    }
  }
  return { enabled, pins, listedButOff, files: [...files] };
}

function fingerprintHex(s: string): string {
  return normalizeThumbprint(s);
}

export const anyconnectPolicy: Check = {
  id: 'anyconnect.policy',
  needs: ['anyconnect', 'tls', 'trustStore', 'aia', 'revocation', 'vpnLogs', 'ntp'],
  dependsOn: [],
  evaluate(ctx: CheckContext): Outcome {
    const fact = ctx.facts.anyconnect;
    if (fact.status === 'error') return probeError(fact, 'fact.anyconnect')!;
    if (fact.status === 'unsupported') {
      if (fact.note?.key === 'fact.anyconnect.not-installed') return outcome('skip', 'not-installed', 'anyconnect.policy.not-installed', {}, { evidence: { reason: fact.reason } });
      return outcome('skip', 'not-installed', 'anyconnect.policy.not-read', { detail: factReason(fact) }, { evidence: { reason: fact.reason } });
    }
    const ac = fact.value;
    const facts = ctx.facts;
    const host = facts.target.host;
    const policy = ac.localPolicy;
    const findings: Finding[] = [];
    const details: Msg[] = [];
    const settings = settingsShown(ac);
    const evidence: Record<string, unknown> = {
      install: ac.install,
      files: {
        profiles: ac.profiles.map((p) => p.path),
        profileSource: ac.profileSource,
        localPolicy: policy?.path ?? null,
        localPolicySource: ac.localPolicySource,
        preferences: ac.preferences.map((p) => p.path),
      },
      settings,
      problems: ac.problems,
    };

    // Files AnyConnect could not use, and settings in the wrong place or with wrong values.
    for (const p of ac.problems) {
      findings.push({
        status: 'warn',
        reason: p.reason === 'doctype' || p.reason === 'entity' || p.reason === 'markup-declaration' ? 'file-refused' : 'file-unreadable',
        msg: { key: `anyconnect.policy.file-${p.reason === 'doctype' || p.reason === 'entity' || p.reason === 'markup-declaration' ? 'refused' : 'unreadable'}`, params: { file: p.path, detail: p.message } },
        fixes: [{ id: 'anyconnect.fix-profile' }],
      });
    }
    for (const prof of ac.profiles) {
      for (const m of prof.misplaced) {
        findings.push({
          status: 'warn',
          reason: 'misplaced-setting',
          msg: { key: 'anyconnect.policy.misplaced', params: { element: m.element, value: m.value, file: prof.path, belongs: msgRef(`anyconnect.file.${m.belongsIn}`) } },
          fixes: [{ id: 'anyconnect.fix-profile' }],
        });
      }
    }
    for (const inv of [...(policy?.invalid ?? []).map((i) => ({ ...i, file: policy!.path })), ...ac.profiles.flatMap((p) => p.invalid.map((i) => ({ ...i, file: p.path })))]) {
      findings.push({ status: 'warn', reason: 'invalid-value', msg: { key: 'anyconnect.policy.invalid-value', params: inv }, fixes: [{ id: 'anyconnect.fix-profile' }] });
    }

    const logs = facts.vpnLogs.status === 'ok' ? interpretLogs(facts.vpnLogs.value) : null;
    evidence.log = logs
      ? { entriesRead: logs.entriesRead, lastGatewayCertificateFailure: logs.lastGatewayCertificateFailure }
      : { unavailable: facts.vpnLogs.status === 'unsupported' ? facts.vpnLogs.reason : facts.vpnLogs.status === 'error' ? facts.vpnLogs.error.message : null };
    if (logs?.lastGatewayCertificateFailure) details.push(logDetail(logs.lastGatewayCertificateFailure));

    const full = ctx.chain();
    if (!full || !full.leaf) {
      return decide(findings, details, evidence, () => outcome('skip', 'no-certificate', 'anyconnect.policy.no-certificate', {}, { evidence, details }));
    }
    const leaf = full.leaf;

    // 1. Trust stores the local policy takes away.
    const exclusions = storeExclusions(policy, facts.platform);
    // The chain built again without the stores the policy takes away, at the same clock.
    const underPolicy = exclusions.length ? ctx.chain({ withoutStores: (s) => exclusions.some((x) => x.excludes(s)) }) : full;
    const trustedAll = full.path?.end === 'anchor';
    const trustedPolicy = underPolicy?.path?.end === 'anchor';
    evidence.trust = {
      excluded: exclusions.map((x) => ({ setting: x.setting, file: x.file, confirmed: x.confirmed })),
      pathEndAllStores: full.path?.end ?? null,
      pathEndUnderPolicy: underPolicy?.path?.end ?? null,
      anchorStores: full.path?.anchor?.entries.map((e) => ({ id: e.store.id, label: e.store.label, kind: e.store.kind })) ?? [],
    };
    if (trustedAll && !trustedPolicy) {
      const anchor = full.path!.anchor!;
      const culprit = exclusions.find((x) => anchor.entries.some((e) => x.excludes(e.store))) ?? exclusions[0]!;
      findings.push({
        status: 'fail',
        reason: culprit.confirmed ? 'excluded-store' : 'restricted-store',
        msg: {
          key: culprit.confirmed ? 'anyconnect.policy.excluded-store' : 'anyconnect.policy.restricted-store',
          params: { root: shortName(anchor.cert.subject), store: list([...new Set(anchor.entries.map((e) => e.store.label))]), setting: culprit.setting, file: culprit.file, ui: uiRef(uiFor(ac)) },
        },
        fixes: [{ id: 'anyconnect.policy-store' }, { id: 'trust.install-root' }],
      });
    }

    // 2. Would AnyConnect call this certificate untrusted (its own clock, its trust stores, the name)?
    const at = facts.startedAt;
    const validity = validityAt(leaf, at);
    const name = matchHostname(leaf, host, isPublicSuffix);
    const untrusted = !trustedPolicy || validity !== 'valid' || !name.matched;
    const strict = policy?.strictCertificateTrust === true;
    const block = blockUntrustedServers(ac.preferences);
    const uiCase: UiCase = strict ? 'strict' : block.value ? 'blocked' : 'prompt';
    evidence.untrusted = { untrusted, trustedUnderPolicy: trustedPolicy, validityAtLocalClock: validity, nameMatches: name.matched };
    evidence.blockUntrustedServers = block;
    const thumbs = ac.preferences.flatMap((p) => p.serverCertificateThumbprints.map((t) => ({ t: normalizeThumbprint(t), file: p.path })));
    const accepted = thumbs.find((x) => x.t === fingerprintHex(leaf.fingerprintSha1) || x.t === fingerprintHex(leaf.fingerprintSha256));
    evidence.acceptedBefore = accepted ? { file: accepted.file } : null;
    if (untrusted) {
      evidence.anyconnectMessage = { case: uiCase, ...UI_MESSAGES[uiCase] };
      if (strict) {
        findings.push({
          status: 'fail',
          reason: 'strict-trust',
          msg: { key: 'anyconnect.policy.strict-untrusted', params: { file: policy!.path, ui: uiRef(UI_MESSAGES.strict) } },
          fixes: [{ id: 'anyconnect.policy-strict' }],
        });
      } else {
        findings.push({
          status: 'warn',
          reason: block.value ? 'untrusted-blocked' : 'untrusted-prompt',
          msg: { key: block.value ? 'anyconnect.policy.untrusted-blocked' : 'anyconnect.policy.untrusted-prompt', params: { ui: uiRef(UI_MESSAGES[uiCase]), file: block.file ?? '—' } },
          fixes: block.value ? [{ id: 'anyconnect.fix-trust-first' }] : [{ id: 'anyconnect.fix-trust-first' }, { id: 'anyconnect.block-untrusted' }],
        });
      }
      if (accepted) details.push({ key: 'anyconnect.policy.accepted-before', params: { file: accepted.file } });
    }

    // 3. Certificate pins.
    const pinInfo = pinsFor(ac, host);
    const certs = pathCerts(underPolicy ?? full);
    const pinResult = matchPins(pinInfo.pins, certs);
    evidence.pins = {
      enabled: pinInfo.enabled,
      files: pinInfo.files,
      configured: pinInfo.pins.map((p) => ({ subject: p.subject, issuer: p.issuer, hash: p.hash })),
      matches: pinResult.matches,
      unreadable: pinResult.unreadable,
      ignoredBecausePinningOff: pinInfo.listedButOff,
      chainSpkiSha512: certs.map((c) => ({ subject: c.subject.text, base64: c.publicKey.spkiSha512, hex: Buffer.from(c.publicKey.spkiSha512, 'base64').toString('hex') })),
      method:
        'SHA-512 of the SubjectPublicKeyInfo of the gateway certificate or an issuer; hex and base64 pins are both accepted because the encoding AnyConnect uses is not documented (unconfirmed)',
    };
    if (pinInfo.enabled && pinInfo.pins.length > 0) {
      if (pinResult.matches.length === 0) {
        findings.push({
          status: 'fail',
          reason: 'pin-mismatch',
          msg: { key: 'anyconnect.policy.pin-mismatch', params: { count: count(pinInfo.pins.length, 'public-key'), file: list(pinInfo.files), ui: uiRef(UI_MESSAGES.refused) } },
          fixes: [{ id: 'anyconnect.pin' }, { id: 'user.not-your-fault' }],
        });
      } else {
        const m = pinResult.matches[0]!;
        findings.push({ status: 'pass', reason: 'pin-matches', msg: { key: 'anyconnect.policy.pin-matches', params: { name: shortName(certs[m.index]!.subject), encoding: m.encoding, file: list(pinInfo.files) } } });
      }
      if (pinResult.unreadable.length) details.push({ key: 'anyconnect.policy.pin-unreadable', params: { count: count(pinResult.unreadable.length, 'pin') } });
    } else if (pinInfo.enabled) {
      details.push({ key: 'anyconnect.policy.pinning-without-pins', params: { file: list(pinInfo.files) } });
    } else if (pinInfo.listedButOff > 0) {
      details.push({ key: 'anyconnect.policy.pins-ignored', params: { count: count(pinInfo.listedButOff, 'pin') } });
    }

    // 4. Revocation made mandatory by the local policy.
    const needsCrl = policy?.enableCRLCheck === true;
    const needsOcsp = policy?.ocspRevocation === true;
    if (needsCrl || needsOcsp) {
      const setting = [needsCrl ? 'EnableCRLCheck' : null, needsOcsp ? 'OCSPRevocation' : null].filter(Boolean).join(' + ');
      const rev = facts.revocation;
      // The root is a trust anchor; nobody checks its revocation.
      const checked = certs.filter((c, i) => !(i === certs.length - 1 && c.selfIssued && i > 0));
      if (rev.status !== 'ok') {
        const why = rev.status === 'unsupported' ? rev.reason : rev.error.message;
        evidence.revocation = { required: setting, available: false, why };
        findings.push({
          status: 'warn',
          reason: 'revocation-not-checked',
          msg: { key: 'anyconnect.policy.revocation-not-checked', params: { setting, file: policy!.path, detail: factReason(rev) } },
          fixes: [{ id: 'user.run-again' }, { id: 'admin.revocation-reachable' }],
        });
      } else {
        // Judged like cert.revocation judges them: at the true time, answers outside their window do not count.
        const judged = judgeRevocation(rev.value, ctx.trueNow() ?? facts.startedAt);
        const byFp = new Map(judged.map((j) => [fingerprintHex(j.cert.fingerprint), { state: j.state, decidedBy: j.decisive?.method ?? null }]));
        const states = checked.map((c) => ({ cert: c, r: byFp.get(fingerprintHex(c.fingerprintSha256)) ?? null }));
        evidence.revocation = { required: setting, available: true, states: states.map((s) => ({ subject: s.cert.subject.text, state: s.r?.state ?? 'not-checked', decidedBy: s.r?.decidedBy ?? null })) };
        const revoked = states.find((s) => s.r?.state === 'revoked');
        const open = states.filter((s) => s.r?.state !== 'good');
        if (revoked) {
          findings.push({
            status: 'fail',
            reason: 'revoked',
            msg: { key: 'anyconnect.policy.revoked', params: { name: shortName(revoked.cert.subject), setting, file: policy!.path } },
            fixes: [{ id: 'admin.revoked' }, { id: 'user.not-your-fault' }],
          });
        } else if (open.length) {
          findings.push({
            status: 'fail',
            reason: 'revocation-required',
            msg: {
              key: 'anyconnect.policy.revocation-required',
              // Each certificate's state is in the evidence and in cert.revocation's own finding.
              params: { setting, file: policy!.path, names: list(open.map((s) => quoted(shortName(s.cert.subject)))), ui: uiRef(UI_MESSAGES.refused) },
            },
            fixes: [{ id: 'revocation.network' }, { id: 'admin.ocsp-responder' }],
          });
        } else {
          details.push({ key: 'anyconnect.policy.revocation-ok', params: { setting } });
        }
      }
    }
    // One line per file: the settings that decide, and where they were read.
    for (const file of [...new Set(settings.map((s) => s.file))]) {
      details.push({ key: 'anyconnect.policy.settings', params: { file, settings: enumeration(settings.filter((s) => s.file === file).map((s) => `${s.name}=${s.value}`)) } });
    }

    return decide(findings, details, evidence, () => {
      const where = policy ? policy.path : msgRef('anyconnect.policy.no-local-policy');
      return outcome('pass', 'no-effect', 'anyconnect.policy.no-effect', { file: where }, { evidence, details });
    });
  },
};

/** AnyConnect's words for a case, as a message parameter (the evidence names the message by its key). */
function uiRef(ui: { readonly key: MessageKey }): MsgParam {
  return msgRef(ui.key);
}

/** The message AnyConnect shows for an untrusted certificate, for this machine's settings. */
function uiFor(ac: AnyConnectFacts): (typeof UI_MESSAGES)[UiCase] {
  if (ac.localPolicy?.strictCertificateTrust === true) return UI_MESSAGES.strict;
  return blockUntrustedServers(ac.preferences).value ? UI_MESSAGES.blocked : UI_MESSAGES.prompt;
}

/** Among findings of the same status, what the user meets first: the gateway itself, then the files. */
const REASON_ORDER: readonly string[] = [
  'excluded-store',
  'restricted-store',
  'pin-mismatch',
  'revoked',
  'revocation-required',
  'strict-trust',
  'untrusted-blocked',
  'untrusted-prompt',
  'revocation-not-checked',
  'file-refused',
  'file-unreadable',
  'misplaced-setting',
  'invalid-value',
  'pin-matches',
];

/** The worst finding decides; the others become details. */
function decide(findings: readonly Finding[], details: readonly Msg[], evidence: Record<string, unknown>, otherwise: () => Outcome): Outcome {
  const rank = (f: Finding): number => (f.status === 'fail' ? 0 : f.status === 'warn' ? 100 : 200) + REASON_ORDER.indexOf(f.reason);
  const worst = [...findings].sort((a, b) => rank(a) - rank(b))[0];
  evidence.effects = findings.map((f) => ({ status: f.status, reason: f.reason }));
  if (!worst) return otherwise();
  const others = findings.filter((f) => f !== worst).map((f) => f.msg);
  const fixes = [...new Map(findings.filter((f) => f.status !== 'pass').flatMap((f) => f.fixes ?? []).map((fx) => [fx.id, fx])).values()];
  return outcome(worst.status, worst.reason, worst.msg.key, worst.msg.params ?? {}, { evidence, details: [...others, ...details], fixes });
}
