/** Glue for the pure PKI tests: factory certificates parsed the way a run parses them. */
import type { Certificate } from '../../../src/pki/certificate';
import { CertificateParseError } from '../../../src/pki/pem';
import { CertificatePool } from '../../../src/pki/pool';
import { AnchorIndex, type StoreEntry } from '../../../src/pki/trust-store';
import type { Issued } from '../../helpers/pki';

export const pool = new CertificatePool();

/** The parsed certificate; fails the test when it cannot be parsed. */
export function parsed(issued: Issued | Buffer): Certificate {
  const c = pool.get(Buffer.isBuffer(issued) ? issued : issued.der);
  if (c instanceof CertificateParseError) throw c;
  return c;
}

export function entry(issued: Issued, opts: Partial<Pick<StoreEntry, 'trust' | 'role'>> & { label?: string } = {}): StoreEntry {
  return {
    der: issued.der,
    store: { id: 'test', label: opts.label ?? 'test store', kind: 'ca-file' },
    trust: opts.trust ?? 'trusted',
    ...(opts.role ? { role: opts.role } : {}),
  };
}

/** A trust store holding these certificates as trusted anchors. */
export function storeOf(...certs: Array<Issued | StoreEntry>): AnchorIndex {
  return new AnchorIndex(
    certs.map((c) => ('store' in c ? c : entry(c))),
    pool,
  );
}

export const DAY = 86_400_000;
export const now = new Date();
export const daysFromNow = (d: number): Date => new Date(now.getTime() + d * DAY);
