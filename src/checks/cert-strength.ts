import type { MsgParam } from '../fixes/i18n';
import type { Certificate } from '../pki/certificate';
import { strengthFindings, type StrengthFinding } from '../pki/strength';
import { chainOrOutcome, isOutcome, nameOf, pathCertificates } from './cert-common';
import type { Check, Outcome } from './types';
import { outcome } from './util';

export const certStrength: Check = {
  id: 'cert.strength',
  needs: ['tls', 'trustStore', 'aia', 'anyconnect'],
  dependsOn: ['network.reach'],
  evaluate(ctx): Outcome {
    const chain = chainOrOutcome(ctx);
    if (isOutcome(chain)) return chain;
    const certs = pathCertificates(chain);
    const anchorEnd = chain.path?.end === 'anchor' || chain.path?.end === 'distrusted';
    const rows = certs.map((c, i) => ({
      subject: c.subject.text,
      signature: c.signature.name,
      key: `${c.publicKey.type}${c.publicKey.bits ? ` ${c.publicKey.bits}` : ''}${c.publicKey.curve ? ` (${c.publicKey.curve})` : ''}`,
      // Clients never check the signature on the trust anchor (a root at the end of the path),
      // only its key; a lone self-signed gateway certificate is not exempt.
      findings: strengthFindings(c, i === certs.length - 1 && (anchorEnd || (i > 0 && c.selfIssued))),
    }));
    // Apple's TLS rules apply when AnyConnect on macOS uses the Keychain (unless the local policy excludes it).
    const policy = ctx.facts.anyconnect.status === 'ok' ? ctx.facts.anyconnect.value.localPolicy : null;
    const appleRules = ctx.facts.platform === 'macos' && policy?.excludeMacNativeCertStore !== true;
    const evidence = { certificates: rows, appleTlsRules: appleRules };
    const fatal = rows.findIndex((r) => r.findings.some((f) => f.severity === 'fatal'));
    if (fatal >= 0) {
      const f = rows[fatal]!.findings.find((x) => x.severity === 'fatal')!;
      return outcome('fail', f.issue, 'cert.strength.fatal', { name: nameOf(certs[fatal]!), detail: findingWords(f, certs[fatal]!) }, {
        evidence,
        fixes: [{ id: 'admin.replace-certificate' }],
      });
    }
    const weak = rows.findIndex((r) => r.findings.length > 0);
    if (weak >= 0) {
      const f = rows[weak]!.findings[0]!;
      // Outside Apple's rules the Cisco client's own limits are undocumented; say what is known.
      // SHA-1: current openconnect (9.01 on GnuTLS 3.7.9) rejects it; RSA-1024: it still accepts.
      const elsewhere = f.issue === 'sha1-signature' ? 'cert.strength.weak-sha1' : 'cert.strength.weak';
      return outcome(appleRules ? 'fail' : 'warn', f.issue, appleRules ? 'cert.strength.weak-macos' : elsewhere, {
        name: nameOf(certs[weak]!),
        detail: findingWords(f, certs[weak]!),
      }, { evidence, fixes: [{ id: 'admin.replace-certificate' }] });
    }
    const leaf = rows[0]!;
    return outcome('pass', 'strong', 'cert.strength.strong', { signature: leaf.signature, key: leaf.key }, { evidence });
  },
};

/** What is weak, in the report's language: the kind of signature or key with its technical name. */
function findingWords(f: StrengthFinding, c: Certificate): MsgParam {
  const bits = c.publicKey.bits ?? '?';
  switch (f.issue) {
    case 'md5-signature':
    case 'md2-signature':
    case 'sha1-signature':
    case 'unknown-signature':
      return { key: `cert.strength.detail.${f.issue}`, params: { algorithm: c.signature.name } };
    case 'rsa-key-too-small':
    case 'rsa-key-below-2048':
      return { key: 'cert.strength.detail.rsa-bits', params: { bits } };
    case 'ec-key-too-small':
      return { key: 'cert.strength.detail.ec-bits', params: { bits, curve: c.publicKey.curve ?? '?' } };
    case 'dsa-key':
      return { key: 'cert.strength.detail.dsa-key', params: { bits } };
  }
}
