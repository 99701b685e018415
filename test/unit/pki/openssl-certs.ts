/**
 * Certificates with keys node-forge cannot make (EC, Ed25519, DSA, RSA-PSS signatures),
 * made by the openssl command (installed by scripts/setup.sh --test). Self-signed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Certificate } from '../../../src/pki/certificate';
import { splitCertificates } from '../../../src/pki/pem';
import { newKey } from '../../helpers/pki';
import { parsed } from './util';

const dir = mkdtempSync(path.join(tmpdir(), 'vpf-openssl-'));

function req(args: readonly string[]): Certificate {
  const pem = execFileSync('openssl', ['req', '-x509', '-subj', '/CN=vpn.example.com', '-days', '30', '-nodes', '-keyout', path.join(dir, 'key.pem'), ...args], {
    timeout: 10_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parsed(splitCertificates(pem)[0]!);
}

/** A self-signed certificate with a fresh key of this kind: `ec:P-256`, `ec:secp224r1`, `ed25519`, `dsa`. */
export function opensslCert(kind: string, extra: readonly string[] = []): Certificate {
  if (kind.startsWith('ec:')) return req(['-newkey', 'ec', '-pkeyopt', `ec_paramgen_curve:${kind.slice(3)}`, ...extra]);
  if (kind === 'dsa') {
    const params = path.join(dir, 'dsa.param');
    execFileSync('openssl', ['genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:1024', '-out', params], { timeout: 10_000, stdio: 'ignore' });
    return req(['-newkey', `dsa:${params}`, ...extra]);
  }
  return req(['-newkey', kind, ...extra]);
}

/** An RSA-2048 certificate signed with RSASSA-PSS over `hash`. */
export function pssCert(hash: 'sha256' | 'sha1'): Certificate {
  const keyFile = path.join(dir, `rsa-${hash}.pem`);
  writeFileSync(keyFile, newKey().privateKeyPem, { mode: 0o600 });
  const pem = execFileSync(
    'openssl',
    ['req', '-x509', '-key', keyFile, '-subj', '/CN=vpn.example.com', '-days', '30', `-${hash}`, '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'],
    { timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return parsed(splitCertificates(pem)[0]!);
}
