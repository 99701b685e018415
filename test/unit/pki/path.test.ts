/**
 * Path building from what a server presents to a trust anchor, and how the server laid
 * its certificates out. Every certificate is made for the case; no network.
 */
import { X509Certificate } from 'node:crypto';
import { analyzeChain } from '../../../src/pki/analysis';
import type { Certificate } from '../../../src/pki/certificate';
import { buildPath, type CertPath } from '../../../src/pki/path';
import { AnchorIndex } from '../../../src/pki/trust-store';
import { issue, makeIntermediate, makeLeaf, makeRoot, newKey, type Issued } from '../../helpers/pki';
import { daysFromNow, entry, now, parsed, pool, storeOf } from './util';

const emptyStore = new AnchorIndex([], pool);

function chainOf(...certs: Issued[]): Certificate[] {
  return certs.map(parsed);
}

function subjects(path: CertPath): string[] {
  return path.nodes.map((n) => n.cert.subject.text);
}

function build(presented: Issued[], anchors: AnchorIndex, extras: Array<{ cert: Issued; url: string }> = []): CertPath {
  return buildPath(chainOf(...presented), anchors, extras.map((x) => ({ cert: parsed(x.cert), url: x.url })), { at: now });
}

function layout(presented: Issued[], anchors: AnchorIndex) {
  const a = analyzeChain(presented.map((c) => c.der), pool, anchors, [], { at: now });
  return { path: a.path!, layout: a.layout! };
}

const ROOT = 'CN=Test Root CA, O=vpn-preflight tests';
const INT = 'CN=Test Intermediate CA, O=vpn-preflight tests';

// One ordinary PKI shared by the cases that only rearrange it.
const root = makeRoot();
const int = makeIntermediate(root);
const leaf = makeLeaf(int, 'vpn.example.com');

describe('a well-formed chain', () => {
  test('leaf and intermediate sent in order end in the trusted root', () => {
    const path = build([leaf, int], storeOf(root));
    expect(path.end).toBe('anchor');
    expect(subjects(path)).toEqual(['CN=vpn.example.com', INT, ROOT]);
    expect(path.nodes.map((n) => n.origin)).toEqual(['presented', 'presented', 'store']);
    expect(path.nodes.map((n) => n.presentedIndex)).toEqual([0, 1, null]);
    expect(path.anchor?.cert.fingerprintSha256).toBe(parsed(root).fingerprintSha256);
    expect(path.nodes[2]!.storeEntries.map((e) => e.store.label)).toEqual(['test store']);
    expect(path.rejected).toEqual([]);
    expect(layout([leaf, int], storeOf(root)).layout).toEqual({ inOrder: true, unrelated: [], duplicates: [], superseded: [], unparsable: [], sentRoot: false });
  });

  test('a root the server also sends is taken from the store and counted as sent, in order', () => {
    const { path, layout: l } = layout([leaf, int, root], storeOf(root));
    expect(path.end).toBe('anchor');
    expect(path.nodes[2]).toMatchObject({ origin: 'store', presentedIndex: 2 });
    expect(l).toMatchObject({ inOrder: true, unrelated: [], sentRoot: true });
  });
});

describe('how the server lays out its certificates', () => {
  const upper = makeIntermediate(root, 'Upper Intermediate CA');
  const lower = makeIntermediate(upper, 'Lower Intermediate CA');
  const deepLeaf = makeLeaf(lower, 'vpn.example.com');

  test('intermediates sent in the wrong order still build, and the layout says the order is wrong', () => {
    const { path, layout: l } = layout([deepLeaf, upper, lower], storeOf(root));
    expect(path.end).toBe('anchor');
    expect(path.nodes.map((n) => n.cert.subject.text.split(',')[0])).toEqual(['CN=vpn.example.com', 'CN=Lower Intermediate CA', 'CN=Upper Intermediate CA', 'CN=Test Root CA']);
    expect(path.nodes.map((n) => n.presentedIndex)).toEqual([0, 2, 1, null]);
    expect(l.inOrder).toBe(false);
    expect(layout([deepLeaf, lower, upper], storeOf(root)).layout.inOrder).toBe(true);
  });

  test('a certificate sent twice is a duplicate, not unrelated', () => {
    const { path, layout: l } = layout([leaf, int, int], storeOf(root));
    expect(path.end).toBe('anchor');
    expect(l).toMatchObject({ duplicates: [2], unrelated: [], inOrder: true });
  });

  test('certificates from another PKI are unrelated extras', () => {
    const otherRoot = makeRoot('Some Other Root');
    const otherInt = makeIntermediate(otherRoot, 'Some Other Intermediate');
    const { path, layout: l } = layout([leaf, otherInt, int, otherRoot], storeOf(root));
    expect(path.end).toBe('anchor');
    expect(l.unrelated).toEqual([1, 3]);
    expect(l.inOrder).toBe(true);
  });

  test('an unreadable certificate in the list is reported by position and the rest still builds', () => {
    const garbage = Buffer.from('3003020100', 'hex');
    const a = analyzeChain([leaf.der, garbage, int.der], pool, storeOf(root), [], { at: now });
    expect(a.path!.end).toBe('anchor');
    expect(a.path!.nodes.map((n) => n.presentedIndex)).toEqual([0, 2, null]);
    expect(a.layout).toMatchObject({ unparsable: [1], unrelated: [] });
    expect(a.presented[1]!.error).toMatch(/not a valid X.509 certificate/);
  });

  test('an unreadable leaf leaves nothing to build', () => {
    const a = analyzeChain([Buffer.from('garbage')], pool, storeOf(root));
    expect(a).toMatchObject({ leaf: null, path: null, layout: null });
  });
});

describe('a missing intermediate', () => {
  test('without it the path stops at the leaf and names the issuer it looked for', () => {
    const path = build([leaf], storeOf(root));
    expect(path).toMatchObject({ end: 'issuer-not-found', missingIssuer: INT });
    expect(path.nodes).toHaveLength(1);
  });

  test('fetched from the AIA URL it completes the path, marked as downloaded', () => {
    const path = build([leaf], storeOf(root), [{ cert: int, url: 'http://pki.example.com/int.cer' }]);
    expect(path.end).toBe('anchor');
    expect(path.nodes[1]).toMatchObject({ origin: 'aia', fetchedFrom: 'http://pki.example.com/int.cer', presentedIndex: null });
  });

  test('a copy cached in a store completes the path, marked as from that store', () => {
    const anchors = storeOf(root, entry(int, { role: 'intermediate', label: 'cached intermediates' }));
    const path = build([leaf], anchors);
    expect(path.end).toBe('anchor');
    expect(path.nodes[1]).toMatchObject({ origin: 'store', presentedIndex: null });
    expect(path.nodes[1]!.storeEntries.map((e) => e.store.label)).toEqual(['cached intermediates']);
  });

  test('when the server sends it too, the server’s copy is used: the intermediate is not missing', () => {
    const anchors = storeOf(root, entry(int, { role: 'intermediate', label: 'cached intermediates' }));
    const path = build([leaf, int], anchors);
    expect(path.nodes[1]).toMatchObject({ origin: 'presented', presentedIndex: 1 });
    expect(path.nodes[1]!.storeEntries).toHaveLength(1);
  });

  test('a store root with the right name but another key is not the issuer: it is still missing', () => {
    const impostor = makeRoot('Test Root CA');
    const path = build([leaf, int], storeOf(impostor));
    expect(path).toMatchObject({ end: 'issuer-not-found', missingIssuer: ROOT });
    expect(path.rejected.map((r) => ({ for: r.forSubject, reason: r.reason, origin: r.origin }))).toEqual([{ for: INT, reason: 'key-id-mismatch', origin: 'store' }]);
  });
});

describe('where the path ends', () => {
  test('a chain to a root nobody trusts ends self-signed', () => {
    const path = build([leaf, int, root], emptyStore);
    expect(path).toMatchObject({ end: 'self-signed', anchor: null });
    expect(subjects(path)).toEqual(['CN=vpn.example.com', INT, ROOT]);
  });

  test('a self-signed leaf ends at once; trusted on purpose it is its own anchor', () => {
    const selfSigned = issue(null, { cn: 'vpn.example.com' });
    expect(build([selfSigned], emptyStore)).toMatchObject({ end: 'self-signed' });
    expect(build([selfSigned], emptyStore).nodes).toHaveLength(1);
    const trusted = build([selfSigned], storeOf(selfSigned));
    expect(trusted.end).toBe('anchor');
    expect(trusted.nodes).toHaveLength(1);
  });

  test('an intermediate that is itself the trust anchor ends the path there', () => {
    const path = build([leaf, int], storeOf(int));
    expect(path.end).toBe('anchor');
    expect(subjects(path)).toEqual(['CN=vpn.example.com', INT]);
    expect(path.anchor?.cert.subject.text).toBe(INT);
    // The server need not even send it.
    expect(build([leaf], storeOf(int)).end).toBe('anchor');
  });

  test('a distrusted root or intermediate ends the path as distrusted', () => {
    const distrustedRoot = build([leaf, int], storeOf(entry(root, { trust: 'distrusted' })));
    expect(distrustedRoot.end).toBe('distrusted');
    expect(distrustedRoot.anchor?.cert.subject.text).toBe(ROOT);
    const distrustedInt = build([leaf, int], storeOf(root, entry(int, { trust: 'distrusted', role: 'intermediate' })));
    expect(distrustedInt.end).toBe('distrusted');
    expect(subjects(distrustedInt)).toEqual(['CN=vpn.example.com', INT]);
  });

  test('a leaf whose signature does not verify with the sent issuer ends with bad-signature', () => {
    const forged = makeLeaf(int, 'vpn.example.com', { signWith: newKey() });
    const path = build([forged, int], storeOf(root));
    expect(path.end).toBe('bad-signature');
    expect(path.rejected).toHaveLength(1);
    expect(path.rejected[0]).toMatchObject({ forSubject: 'CN=vpn.example.com', origin: 'presented', reason: 'bad-signature' });
    expect(path.rejected[0]!.candidate.subject.text).toBe(INT);
  });
});

describe('issuers that may not issue', () => {
  test('a certificate signed by a leaf (not a CA) ends with not-a-ca', () => {
    const notCa = makeLeaf(int, 'server.example.com');
    const child = makeLeaf(notCa, 'vpn.example.com');
    const path = build([child, notCa, int], storeOf(root));
    expect(path.end).toBe('not-a-ca');
    expect(path.rejected.map((r) => r.reason)).toEqual(['not-a-ca']);
    expect(path.rejected[0]!.candidate.subject.text).toBe('CN=server.example.com');
  });

  test('a CA whose key usage lacks keyCertSign may not sign certificates', () => {
    const noSign = makeIntermediate(root, 'No Signing CA', { ku: ['digitalSignature', 'cRLSign'] });
    const child = makeLeaf(noSign, 'vpn.example.com');
    const path = build([child, noSign], storeOf(root));
    expect(path.end).toBe('not-a-ca');
    expect(path.rejected.map((r) => r.reason)).toEqual(['no-keycertsign']);
  });

  test('pathLenConstraint 0 on an intermediate forbids another CA below it', () => {
    const limited = makeIntermediate(root, 'Limited CA', { pathLen: 0 });
    const below = makeIntermediate(limited, 'Below Limited CA');
    const child = makeLeaf(below, 'vpn.example.com');
    const path = build([child, below, limited], storeOf(root));
    expect(path.end).toBe('path-length');
    expect(path.rejected.map((r) => [r.forSubject, r.candidate.subject.text, r.reason])).toEqual([
      ['CN=Below Limited CA, O=vpn-preflight tests', 'CN=Limited CA, O=vpn-preflight tests', 'path-length'],
    ]);
    // A leaf directly below it is fine.
    expect(build([makeLeaf(limited, 'vpn.example.com'), limited], storeOf(root)).end).toBe('anchor');
  });

  test('pathLenConstraint 1 allows exactly one CA below', () => {
    const limited = makeIntermediate(root, 'One Below CA', { pathLen: 1 });
    const one = makeIntermediate(limited, 'First Below CA');
    const two = makeIntermediate(one, 'Second Below CA');
    expect(build([makeLeaf(one, 'vpn.example.com'), one, limited], storeOf(root)).end).toBe('anchor');
    expect(build([makeLeaf(two, 'vpn.example.com'), two, one, limited], storeOf(root)).end).toBe('path-length');
  });

  test('a root in the store with pathLenConstraint 0 forbids any intermediate', () => {
    const strictRoot = makeRoot('Strict Root CA', { pathLen: 0 });
    const strictInt = makeIntermediate(strictRoot, 'Under Strict Root CA');
    const path = build([makeLeaf(strictInt, 'vpn.example.com'), strictInt], storeOf(strictRoot));
    expect(path.end).toBe('path-length');
    expect(path.rejected[0]).toMatchObject({ origin: 'store', reason: 'path-length' });
  });
});

describe('several certificates with the issuer’s name', () => {
  test('an expired copy of the intermediate loses to a valid one, and the report keeps why', () => {
    const key = newKey();
    const expired = makeIntermediate(root, 'Reissued CA', { key, notBefore: daysFromNow(-800), notAfter: daysFromNow(-1) });
    const current = makeIntermediate(root, 'Reissued CA', { key });
    const child = makeLeaf(current, 'vpn.example.com');
    const { path, layout: l } = layout([child, expired, current], storeOf(root));
    expect(path.end).toBe('anchor');
    expect(path.nodes[1]!.cert.fingerprintSha256).toBe(parsed(current).fingerprintSha256);
    expect(path.nodes[1]!.presentedIndex).toBe(2);
    expect(path.rejected.map((r) => ({ candidate: r.candidate.fingerprintSha256, reason: r.reason, origin: r.origin }))).toEqual([
      { candidate: parsed(expired).fingerprintSha256, reason: 'expired', origin: 'presented' },
    ]);
    // Off the path, but a stale copy rather than an unrelated certificate.
    expect(l).toMatchObject({ superseded: [1], unrelated: [] });
  });

  test('a copy that is not valid yet loses the same way', () => {
    const key = newKey();
    const future = makeIntermediate(root, 'Future CA', { key, notBefore: daysFromNow(10), notAfter: daysFromNow(900) });
    const current = makeIntermediate(root, 'Future CA', { key });
    const path = build([makeLeaf(current, 'vpn.example.com'), future, current], storeOf(root));
    expect(path.nodes[1]!.cert.fingerprintSha256).toBe(parsed(current).fingerprintSha256);
    expect(path.rejected.map((r) => r.reason)).toEqual(['not-yet-valid']);
  });

  test('when the only copy is expired it is still used (the date check reports it)', () => {
    const old = makeIntermediate(root, 'Old CA', { notBefore: daysFromNow(-800), notAfter: daysFromNow(-1) });
    const path = build([makeLeaf(old, 'vpn.example.com'), old], storeOf(root));
    expect(path.end).toBe('anchor');
    expect(path.rejected).toEqual([]);
  });

  test('a copy whose own signature is broken leads nowhere; the builder goes back and uses the good one', () => {
    const key = newKey();
    const broken = makeIntermediate(root, 'Twin CA', { key, signWith: newKey() });
    const good = makeIntermediate(root, 'Twin CA', { key });
    const path = build([makeLeaf(good, 'vpn.example.com'), broken, good], storeOf(root));
    expect(path.end).toBe('anchor');
    expect(path.nodes[1]!.cert.fingerprintSha256).toBe(parsed(good).fingerprintSha256);
    const why = path.rejected.map((r) => ({ for: r.forSubject, candidate: r.candidate.fingerprintSha256, reason: r.reason }));
    expect(why).toContainEqual({ for: 'CN=Twin CA, O=vpn-preflight tests', candidate: parsed(root).fingerprintSha256, reason: 'bad-signature' });
    expect(why).toContainEqual({ for: 'CN=vpn.example.com', candidate: parsed(broken).fingerprintSha256, reason: 'dead-end' });
  });

  test('a same-named intermediate with another key is rejected by key identifier', () => {
    const stranger = makeIntermediate(makeRoot('Test Root CA'), 'Test Intermediate CA');
    const path = build([leaf, stranger, int], storeOf(root));
    expect(path.end).toBe('anchor');
    expect(path.nodes[1]!.presentedIndex).toBe(2);
    expect(path.rejected.map((r) => [r.origin, r.reason])).toEqual([['presented', 'key-id-mismatch']]);
  });

  test('a cross-signed root: old clients reach the old root through the cross-certificate', () => {
    const oldRoot = makeRoot('Old Root CA');
    const newRootKey = newKey();
    const newRoot = makeRoot('New Root CA', { key: newRootKey });
    const cross = makeIntermediate(oldRoot, 'New Root CA', { key: newRootKey });
    const newInt = makeIntermediate(newRoot, 'New Intermediate CA');
    const child = makeLeaf(newInt, 'vpn.example.com');

    const oldClient = layout([child, newInt, cross], storeOf(oldRoot));
    expect(oldClient.path.end).toBe('anchor');
    expect(oldClient.path.nodes.map((n) => n.cert.subject.text.split(',')[0])).toEqual(['CN=vpn.example.com', 'CN=New Intermediate CA', 'CN=New Root CA', 'CN=Old Root CA']);
    expect(oldClient.layout).toMatchObject({ unrelated: [], inOrder: true });

    // A client that has the new root stops there; the cross-certificate is still part of the chain.
    const newClient = layout([child, newInt, cross], storeOf(oldRoot, newRoot));
    expect(newClient.path.end).toBe('anchor');
    expect(newClient.path.anchor?.cert.fingerprintSha256).toBe(parsed(newRoot).fingerprintSha256);
    expect(newClient.path.nodes).toHaveLength(3);
    expect(newClient.layout.unrelated).toEqual([]);
  });

  test('a cross-certificate to an expired old root loses to the new root when the store has both', () => {
    const newRootKey = newKey();
    const expiredOldRoot = makeRoot('Expired Old Root', { notBefore: daysFromNow(-4000), notAfter: daysFromNow(-2) });
    const newRoot = makeRoot('Newer Root CA', { key: newRootKey });
    const cross = makeIntermediate(expiredOldRoot, 'Newer Root CA', { key: newRootKey });
    const newInt = makeIntermediate(newRoot, 'Newer Intermediate CA');
    const path = build([makeLeaf(newInt, 'vpn.example.com'), newInt, cross], storeOf(expiredOldRoot, newRoot));
    expect(path.end).toBe('anchor');
    expect(path.anchor?.cert.fingerprintSha256).toBe(parsed(newRoot).fingerprintSha256);
  });
});

describe('paths that never end', () => {
  test('two CAs that sign each other make a loop, not an endless search', () => {
    const keyA = newKey();
    const keyB = newKey();
    const selfA = makeRoot('Loop CA A', { key: keyA });
    const selfB = makeRoot('Loop CA B', { key: keyB });
    const aByB = issue(selfB, { cn: 'Loop CA A', o: 'vpn-preflight tests', isCa: true, key: keyA });
    const bByA = issue(selfA, { cn: 'Loop CA B', o: 'vpn-preflight tests', isCa: true, key: keyB });
    const child = makeLeaf(aByB, 'vpn.example.com');
    const path = build([child, aByB, bByA], emptyStore);
    expect(path.end).toBe('loop');
    expect(path.nodes.map((n) => n.cert.subject.text.split(',')[0])).toEqual(['CN=vpn.example.com', 'CN=Loop CA A', 'CN=Loop CA B']);
    // With A's self-signed root trusted, the same certificates lead to it.
    expect(build([child, aByB, bByA], storeOf(selfA)).end).toBe('anchor');
  });

  describe('long chains', () => {
    const ints: Issued[] = [];
    let parent = root;
    for (let i = 1; i <= 11; i++) {
      parent = makeIntermediate(parent, `Level ${i} CA`);
      ints.push(parent);
    }
    const sent = [...ints].reverse();

    test('ten intermediates still build', () => {
      const path = build([makeLeaf(ints[9]!, 'vpn.example.com'), ...sent.slice(1)], storeOf(root));
      expect(path.end).toBe('anchor');
      expect(path.nodes).toHaveLength(12);
    });

    test('eleven are longer than any client accepts', () => {
      const path = build([makeLeaf(ints[10]!, 'vpn.example.com'), ...sent], storeOf(root));
      expect(path.end).toBe('too-long');
    });
  });

  test('a broken intermediate under a root the store holds is a bad signature, not a missing root', () => {
    const broken = makeIntermediate(root, 'Broken CA', { signWith: newKey() });
    const path = build([makeLeaf(broken, 'vpn.example.com'), broken], storeOf(root));
    expect(path.end).toBe('bad-signature');
    expect(path.rejected.map((r) => [r.origin, r.reason])).toEqual([['store', 'bad-signature']]);
  });

  test('many same-named certificates on several levels that all lead nowhere keep the search bounded', () => {
    // Three levels of eight look-alikes: 8^3 ways down, every one failing at the root.
    const level3Key = newKey();
    const level3 = Array.from({ length: 8 }, () => makeIntermediate(root, 'Crowd 3 CA', { key: level3Key, signWith: newKey() }));
    const level2Key = newKey();
    const level2 = Array.from({ length: 8 }, () => makeIntermediate(level3[0]!, 'Crowd 2 CA', { key: level2Key }));
    const level1Key = newKey();
    const level1 = Array.from({ length: 8 }, () => makeIntermediate(level2[0]!, 'Crowd 1 CA', { key: level1Key }));
    const child = makeLeaf(level1[0]!, 'vpn.example.com');
    const presented = chainOf(child, ...level1, ...level2, ...level3);
    const verify = jest.spyOn(X509Certificate.prototype, 'verify');
    try {
      const path = buildPath(presented, storeOf(root), [], { at: now });
      expect(path.end).toBe('bad-signature');
      expect(path.nodes).toHaveLength(4);
      // An exhaustive search verifies over a thousand signatures here.
      expect(verify.mock.calls.length).toBeLessThan(600);
    } finally {
      verify.mockRestore();
    }
  });
});
