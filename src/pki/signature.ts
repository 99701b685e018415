import { constants, verify, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { RsaSaPssParams } from '@peculiar/asn1-rsa';
import type { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { HASH_ALGORITHMS, OID, SIGNATURE_ALGORITHMS } from './oids';

/** Why a signature over an OCSP response or a CRL could not be accepted. */
export type SignatureProblem = 'bad-signature' | 'unsupported-algorithm';

/**
 * Verifies a detached signature made with `algorithm` (an X.509 AlgorithmIdentifier)
 * over `data`, the way certificates, OCSP responses and CRLs carry them. Node's crypto
 * does the work; this only maps the algorithm identifier onto its parameters.
 */
export function verifySignature(data: Buffer, algorithm: AlgorithmIdentifier, signature: Buffer, key: KeyObject): SignatureProblem | null {
  const oid = algorithm.algorithm;
  let hash: string | null;
  let keyInput: KeyObject | { key: KeyObject; padding: number; saltLength: number } = key;
  if (oid === OID.rsassaPss) {
    // RFC 4055 defaults: SHA-1 and a 20-byte salt when the parameters leave them out.
    let pss: RsaSaPssParams;
    try {
      pss = algorithm.parameters ? AsnConvert.parse(algorithm.parameters, RsaSaPssParams) : new RsaSaPssParams();
    } catch {
      return 'unsupported-algorithm';
    }
    hash = HASH_ALGORITHMS[pss.hashAlgorithm.algorithm] ?? null;
    if (!hash) return 'unsupported-algorithm';
    keyInput = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength };
  } else {
    const known = SIGNATURE_ALGORITHMS[oid];
    if (!known || known.hash === 'md2') return 'unsupported-algorithm';
    hash = known.hash;
  }
  try {
    return verify(hash, data, keyInput, signature) ? null : 'bad-signature';
  } catch {
    // A key of the wrong type for the algorithm (an EC key for an RSA signature) is a
    // signature that does not verify, not a crash.
    return 'bad-signature';
  }
}
