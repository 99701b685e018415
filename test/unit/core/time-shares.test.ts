/** Several gateways share one --timeout: each its turn's fair share, never more than the whole. */
import { TimeShares } from '../../../src/deadline';

test('three gateways share 9 s: a slow first one cannot take the time of the others', () => {
  let now = 0;
  const shares = new TimeShares(9_000, 3, () => now);
  const first = shares.next();
  expect(first).toBe(3_000);
  now += first; // the first gateway used all of its share
  expect(shares.next()).toBe(3_000);
  now += 1_000; // the second finished early: what it left goes to the last one
  const last = shares.next();
  expect(last).toBe(5_000);
  expect(now + last).toBe(9_000);
});

test('the shares together never pass the limit, however long each gateway takes', () => {
  let now = 0;
  const shares = new TimeShares(4_000, 4, () => now);
  for (let i = 0; i < 4; i++) now += shares.next();
  expect(now).toBeLessThanOrEqual(4_000);
  expect(shares.next()).toBe(0);
});

test('one gateway gets the whole limit', () => {
  expect(new TimeShares(14_750, 1, () => 0).next()).toBe(14_750);
});
