/**
 * cert.revocation as a pure function of facts: the cases the loopback scenarios do not
 * reach — no time server, a broken or absent probe, a self-signed gateway, and an
 * intermediate that is checked while the leaf names nothing.
 */
import { certRevocation } from '../../../src/checks/cert-revocation';
import type { CheckContext } from '../../../src/checks/types';
import { failed, ok, unsupported, type Fact } from '../../../src/facts';
import { t } from '../../../src/fixes/i18n';
import { analyzeChain } from '../../../src/pki/analysis';
import { CertificatePool } from '../../../src/pki/pool';
import { AnchorIndex } from '../../../src/pki/trust-store';
import type { CertificateRevocation, RevocationAttempt, RevocationFacts, RunFacts } from '../../../src/run-facts';
import { issue, makeIntermediate, makeLeaf, makeRoot, type Issued } from '../../helpers/pki';

const STARTED = new Date();
const hour = 3_600_000;

function context(chain: Issued[], revocation: Fact<RevocationFacts>, trueNow: Date | null): CheckContext {
  const pool = new CertificatePool();
  const tls = ok({ chain: chain.map((c) => c.der) });
  const facts = { tls, revocation, startedAt: STARTED, aia: ok({ needed: false, fetches: [] }) } as unknown as RunFacts;
  return {
    facts,
    chain: () => analyzeChain(chain.map((c) => c.der), pool, new AnchorIndex([], pool)),
    anchors: () => new AnchorIndex([], pool),
    trueNow: () => trueNow,
    result: () => undefined,
  };
}

function entry(cert: Issued, role: CertificateRevocation['role'], attempts: RevocationAttempt[], notChecked: CertificateRevocation['notChecked'] = null): CertificateRevocation {
  return {
    fingerprint: '',
    subject: `CN=${cert.name}`,
    role,
    serialNumber: cert.cert.serialNumber,
    issuer: null,
    ocspUrls: [],
    crlUrls: [],
    notChecked,
    state: notChecked ? 'not-checked' : (attempts[0]?.state ?? 'not-checked'),
    decidedBy: attempts[0]?.method ?? null,
    attempts,
  };
}

/** A good CRL answer valid from thisUpdateMs to nextUpdateMs around the run's start. */
const goodCrl = (url: string, nextUpdateMs: number, thisUpdateMs = -hour): RevocationAttempt => ({
  method: 'crl',
  url,
  state: 'good',
  detail: 'not listed in a CRL of 0 entries',
  thisUpdate: new Date(STARTED.getTime() + thisUpdateMs).toISOString(),
  nextUpdate: new Date(STARTED.getTime() + nextUpdateMs).toISOString(),
});

describe('cert.revocation from facts', () => {
  test('without a time server, answers are judged at this computer’s clock, and the report says so', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost');
    const facts = ok<RevocationFacts>({ stapled: false, certificates: [entry(leaf, 'leaf', [goodCrl('http://crl.example.test/a.crl', -2 * hour)])] });
    const o = certRevocation.evaluate(context([leaf], facts, null));
    expect(o).toMatchObject({ status: 'error', reason: 'invalid-response', evidence: { clock: 'local', judgedAt: STARTED.toISOString() } });
    const detail = o.details![0]!;
    expect(t('en', detail.key, detail.params)).toMatch(/judged at .* UTC, by this computer’s clock \(no time server answered\)\.$/);
    expect(t('ja', detail.key, detail.params)).toContain('このコンピューターの時計（タイムサーバーが応答しなかったため）を基準に');
  });

  test('an answer outdated at the local clock is current at the true time: pass', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost');
    const facts = ok<RevocationFacts>({ stapled: false, certificates: [entry(leaf, 'leaf', [goodCrl('http://crl.example.test/a.crl', -2 * hour, -5 * hour)])] });
    const o = certRevocation.evaluate(context([leaf], facts, new Date(STARTED.getTime() - 3 * hour)));
    expect(o).toMatchObject({ status: 'pass', reason: 'good', evidence: { clock: 'ntp' } });
  });

  test('only the intermediate can be checked: a pass that says the leaf names nothing', () => {
    const root = makeRoot();
    const int = makeIntermediate(root);
    const leaf = makeLeaf(int, 'localhost');
    const facts = ok<RevocationFacts>({
      stapled: false,
      certificates: [entry(leaf, 'leaf', [], 'no-pointer'), entry(int, 'intermediate', [goodCrl('http://crl.example.test/root.crl', hour)])],
    });
    const o = certRevocation.evaluate(context([leaf, int], facts, STARTED));
    expect(o).toMatchObject({ status: 'pass', reason: 'good', summary: { key: 'cert.revocation.good-intermediate-only', params: { count: { count: 1, noun: 'certificate' } } } });
    expect(t('ja', o.summary.key, o.summary.params)).toBe('失効していません（確認した証明書: 1 枚）。ゲートウェイの証明書自体には OCSP レスポンダーも失効リストも記載されていません。');
  });

  test('a self-signed gateway certificate is skipped with the reason', () => {
    const leaf = issue(null, { cn: 'localhost' });
    const facts = ok<RevocationFacts>({ stapled: false, certificates: [entry(leaf, 'leaf', [], 'self-signed')] });
    expect(certRevocation.evaluate(context([leaf], facts, STARTED))).toMatchObject({ status: 'skip', reason: 'self-signed' });
  });

  test('a broken probe is an error, never a pass; an absent one is skipped', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost');
    expect(certRevocation.evaluate(context([leaf], failed('EIO', 'boom'), STARTED))).toMatchObject({ status: 'error', reason: 'probe-error' });
    expect(certRevocation.evaluate(context([leaf], unsupported('no certificate was received'), STARTED))).toMatchObject({ status: 'skip', reason: 'not-checked' });
  });

  test('no source answered: what was tried and why it failed is said in the report’s language, not as internal codes', () => {
    const root = makeRoot();
    const leaf = makeLeaf(root, 'localhost');
    const tried: RevocationAttempt[] = [
      { method: 'ocsp', url: 'http://ocsp.example.test', state: 'unreachable', problem: 'timeout', detail: 'no answer from ocsp.example.test in time' },
      { method: 'crl', url: 'http://crl.example.test/a.crl', state: 'unreachable', problem: 'network', detail: 'connect ECONNREFUSED' },
      { method: 'crl', url: 'ldap://ldap.example.test/a.crl', state: 'unreachable', problem: 'refused-scheme', detail: 'not fetched' },
    ];
    const o = certRevocation.evaluate(context([leaf], ok({ stapled: false, certificates: [entry(leaf, 'leaf', tried)] }), STARTED));
    expect(o).toMatchObject({ status: 'warn', reason: 'unreachable' });
    expect(t('en', o.summary.key, o.summary.params)).toContain(
      'Tried: http://ocsp.example.test (no answer in time), http://crl.example.test/a.crl (no connection), and ldap://ldap.example.test/a.crl (not asked: only http and https addresses are used).',
    );
    const ja = t('ja', o.summary.key, o.summary.params);
    expect(ja).toContain('http://ocsp.example.test（時間内に応答がありませんでした）、http://crl.example.test/a.crl（接続できませんでした）、');
    expect(ja).not.toMatch(/\((timeout|network|refused-scheme)\)/);
  });

  test('unknown outranks unreachable; revoked outranks everything', () => {
    const root = makeRoot();
    const int = makeIntermediate(root);
    const leaf = makeLeaf(int, 'localhost');
    const unreachable: RevocationAttempt = { method: 'ocsp', url: 'http://ocsp.example.test', state: 'unreachable', problem: 'timeout', detail: 'no answer' };
    const unknown: RevocationAttempt = { ...goodCrl('http://crl.example.test/i.crl', hour), method: 'ocsp', state: 'unknown' };
    const revoked: RevocationAttempt = { ...goodCrl('http://crl.example.test/r.crl', hour), state: 'revoked', revokedAt: STARTED.toISOString(), reason: 'aACompromise' };
    const facts = (a: RevocationAttempt, b: RevocationAttempt): Fact<RevocationFacts> =>
      ok({ stapled: false, certificates: [entry(leaf, 'leaf', [a]), entry(int, 'intermediate', [b])] });
    expect(certRevocation.evaluate(context([leaf, int], facts(unreachable, unknown), STARTED))).toMatchObject({ status: 'warn', reason: 'unknown' });
    const o = certRevocation.evaluate(context([leaf, int], facts(unreachable, revoked), STARTED));
    expect(o).toMatchObject({ status: 'fail', reason: 'revoked', fixes: [{ id: 'admin.revoked-intermediate' }, { id: 'user.not-your-fault' }] });
    expect(t('ja', o.summary.key, o.summary.params)).toContain('失効の理由: 属性認証局の侵害（aACompromise）。');
  });
});
