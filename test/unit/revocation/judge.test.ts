/** Judging recorded answers at a given time: the rule the check applies with the true time. */
import { judgeAttempt, pickDecision, type AnswerLike } from '../../../src/pki/revocation-judge';
import { reasonName, updateWindowAt } from '../../../src/pki/revocation';

const T = new Date('2025-06-01T12:00:00Z');
const min = 60_000;
const iso = (ms: number): string => new Date(T.getTime() + ms).toISOString();

describe('update windows', () => {
  test('inside, before and after, with 5 minutes of tolerance either side', () => {
    expect(updateWindowAt(new Date(iso(-60 * min)), new Date(iso(60 * min)), T)).toBe('current');
    expect(updateWindowAt(new Date(iso(4 * min)), new Date(iso(60 * min)), T)).toBe('current');
    expect(updateWindowAt(new Date(iso(6 * min)), new Date(iso(60 * min)), T)).toBe('not-yet-valid');
    expect(updateWindowAt(new Date(iso(-60 * min)), new Date(iso(-4 * min)), T)).toBe('current');
    expect(updateWindowAt(new Date(iso(-60 * min)), new Date(iso(-6 * min)), T)).toBe('expired');
    expect(updateWindowAt(new Date(iso(-600 * min)), null, T)).toBe('current');
  });

  test('reason codes by number; 7 is not a reason', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 8, 9, 10].map(reasonName)).toEqual([
      'unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold', 'removeFromCRL', 'privilegeWithdrawn', 'aACompromise',
    ]);
    expect(reasonName(7)).toBeNull();
  });
});

describe('judging one answer', () => {
  const good: AnswerLike = { state: 'good', thisUpdate: iso(-60 * min), nextUpdate: iso(60 * min) };

  test('a current good answer stays good; without a time it is not judged', () => {
    expect(judgeAttempt(good, T)).toEqual({ state: 'good', problem: null, window: 'current' });
    expect(judgeAttempt({ ...good, nextUpdate: iso(-60 * min) }, null)).toEqual({ state: 'good', problem: null, window: null });
  });

  test('an outdated or future good answer is invalid', () => {
    expect(judgeAttempt({ ...good, nextUpdate: iso(-30 * min) }, T)).toEqual({ state: 'invalid', problem: 'expired', window: 'expired' });
    expect(judgeAttempt({ ...good, thisUpdate: iso(30 * min) }, T)).toEqual({ state: 'invalid', problem: 'not-yet-valid', window: 'not-yet-valid' });
  });

  test('a revoked answer stays revoked even when outdated', () => {
    expect(judgeAttempt({ ...good, state: 'revoked', nextUpdate: iso(-3000 * min) }, T)).toMatchObject({ state: 'revoked', window: 'expired' });
  });

  test('a delegated responder whose certificate has expired makes the answer invalid', () => {
    const a: AnswerLike = { ...good, responder: { kind: 'delegated', notBefore: iso(-9000 * min), notAfter: iso(-10 * min) } };
    expect(judgeAttempt(a, T)).toMatchObject({ state: 'invalid', problem: 'responder-expired' });
    expect(judgeAttempt({ ...a, responder: { kind: 'issuer', notBefore: null, notAfter: null } }, T)).toMatchObject({ state: 'good' });
  });
});

describe('deciding from several answers', () => {
  const current = { thisUpdate: iso(-60 * min), nextUpdate: iso(60 * min) };

  test('revoked from any source wins, then a current good, then invalid, unknown, unreachable', () => {
    expect(pickDecision([{ state: 'good', ...current }, { state: 'revoked', ...current }], T)).toMatchObject({ state: 'revoked', index: 1 });
    expect(pickDecision([{ state: 'invalid', problem: 'bad-signature' }, { state: 'good', ...current }], T)).toMatchObject({ state: 'good', index: 1 });
    expect(pickDecision([{ state: 'unreachable', problem: 'timeout' }, { state: 'unknown', ...current }], T)).toMatchObject({ state: 'unknown', index: 1 });
    expect(pickDecision([{ state: 'unknown', ...current }, { state: 'invalid', problem: 'bad-signature' }], T)).toMatchObject({ state: 'invalid', index: 1 });
    expect(pickDecision([{ state: 'unreachable', problem: 'timeout' }], T)).toMatchObject({ state: 'unreachable', index: 0 });
    expect(pickDecision([], T)).toMatchObject({ state: 'not-checked', index: null });
  });

  test('the same answers judged at two times: good now, invalid once the true time is past nextUpdate', () => {
    const answers: AnswerLike[] = [{ state: 'good', ...current }];
    expect(pickDecision(answers, T).state).toBe('good');
    expect(pickDecision(answers, new Date(T.getTime() + 3 * 3_600_000))).toMatchObject({ state: 'invalid', judged: [{ problem: 'expired' }] });
  });
});
