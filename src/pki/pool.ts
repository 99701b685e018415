import { createHash } from 'node:crypto';
import { parseCertificate, type Certificate } from './certificate';
import { CertificateParseError } from './pem';

/**
 * Parses each distinct certificate once per run, whoever asks (the TLS probe, the
 * trust store, AIA). Parse failures are remembered too.
 */
export class CertificatePool {
  private readonly byDigest = new Map<string, Certificate | CertificateParseError>();

  /** The parsed certificate, or the reason it cannot be parsed. */
  get(der: Buffer): Certificate | CertificateParseError {
    const digest = createHash('sha1').update(der).digest('base64');
    let c = this.byDigest.get(digest);
    if (c === undefined) {
      try {
        c = parseCertificate(der);
      } catch (err) {
        c = err instanceof CertificateParseError ? err : new CertificateParseError(String(err));
      }
      this.byDigest.set(digest, c);
    }
    return c;
  }

  /** The parsed certificate, or undefined when it cannot be parsed. */
  tryGet(der: Buffer): Certificate | undefined {
    const c = this.get(der);
    return c instanceof CertificateParseError ? undefined : c;
  }
}
