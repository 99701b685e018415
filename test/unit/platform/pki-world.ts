/**
 * The certificates the platform fixtures refer to, made fresh by the PKI factory: a
 * company root with an issuing CA and a gateway certificate, a public root, and an
 * unrelated CA. The names are the ones the macOS trust-settings fixtures print.
 */
import { analyzeChain, type ChainAnalysis } from '../../../src/pki/analysis';
import { CertificatePool } from '../../../src/pki/pool';
import { AnchorIndex, type StoreEntry } from '../../../src/pki/trust-store';
import { makeIntermediate, makeLeaf, makeRoot, type Issued } from '../../helpers/pki';

export interface PkiWorld {
  readonly corpRoot: Issued;
  readonly corpIntermediate: Issued;
  readonly publicRoot: Issued;
  readonly other: Issued;
  readonly gateway: Issued;
  /** For the fixtures' {{CERT:…}} / {{PEM:…}} placeholders. */
  readonly certs: Readonly<Record<string, Buffer>>;
}

export function pkiWorld(gatewayName = 'vpn.corp.example'): PkiWorld {
  const corpRoot = makeRoot('Example Corp Root CA', { o: 'Example Corp' });
  const corpIntermediate = makeIntermediate(corpRoot, 'Example Corp Issuing CA', { o: 'Example Corp' });
  const publicRoot = makeRoot('Example Public Root CA', { o: 'Example Trust Services' });
  const other = makeRoot('Example Wi-Fi CA', { o: 'Example Corp' });
  const gateway = makeLeaf(corpIntermediate, gatewayName);
  return {
    corpRoot,
    corpIntermediate,
    publicRoot,
    other,
    gateway,
    certs: {
      'corp-root': corpRoot.der,
      'corp-intermediate': corpIntermediate.der,
      'public-root': publicRoot.der,
      other: other.der,
      gateway: gateway.der,
    },
  };
}

/** The path a client would build for `chain` against these store entries. */
export function pathThrough(entries: readonly StoreEntry[], chain: readonly Issued[]): ChainAnalysis {
  const pool = new CertificatePool();
  return analyzeChain(
    chain.map((c) => c.der),
    pool,
    new AnchorIndex(entries, pool),
  );
}
