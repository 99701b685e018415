/** English messages for the revocation checks and reports. Merged into the catalog by en.ts. */
export const enRevocation = {
  'fact.revocation': 'the revocation check (OCSP/CRL)',

  // ---- how an answer was obtained
  'revocation.method.ocsp-stapled': 'the OCSP response the gateway staples',
  'revocation.method.ocsp': 'the CA’s OCSP responder',
  'revocation.method.crl': 'the CA’s revocation list (CRL)',
  'revocation.clock.ntp': 'the real time from the time servers',
  'revocation.clock.local': 'this computer’s clock (no time server answered)',

  // ---- RFC 5280 reason codes
  'revocation.reason.none': 'no reason given',
  'revocation.reason.unspecified': 'unspecified',
  'revocation.reason.keyCompromise': 'the private key was compromised (keyCompromise)',
  'revocation.reason.cACompromise': 'the CA was compromised (cACompromise)',
  'revocation.reason.affiliationChanged': 'the owner’s details changed (affiliationChanged)',
  'revocation.reason.superseded': 'replaced by a newer certificate (superseded)',
  'revocation.reason.cessationOfOperation': 'no longer in use (cessationOfOperation)',
  'revocation.reason.certificateHold': 'temporarily on hold (certificateHold)',
  'revocation.reason.removeFromCRL': 'removed from the list (removeFromCRL)',
  'revocation.reason.privilegeWithdrawn': 'the right to use it was withdrawn (privilegeWithdrawn)',
  'revocation.reason.aACompromise': 'the attribute authority was compromised (aACompromise)',

  // ---- why an answer cannot be used
  'revocation.problem.bad-signature': 'its signature does not verify with the CA’s key',
  'revocation.problem.responder-not-authorized': 'it is signed by a certificate that may not answer for this CA',
  'revocation.problem.responder-expired': 'the responder certificate that signed it is not valid at this time',
  'revocation.problem.no-matching-response': 'it is about another certificate',
  'revocation.problem.nonce-mismatch': 'it belongs to another request (replayed)',
  'revocation.problem.malformed': 'it cannot be read (not OCSP/CRL data)',
  'revocation.problem.not-basic': 'it is of a kind clients do not accept',
  'revocation.problem.responder-error': 'the responder answered with an error',
  'revocation.problem.unsupported-algorithm': 'it is signed with an algorithm this tool cannot check',
  'revocation.problem.expired': 'it is out of date (past its “next update” time)',
  'revocation.problem.not-yet-valid': 'it is dated in the future',
  'revocation.problem.issuer-mismatch': 'the list is published by another CA',
  'revocation.problem.issuer-cannot-sign-crls': 'the CA’s certificate does not allow it to sign revocation lists',
  'revocation.problem.delta-crl': 'it is only a partial (delta) list',
  'revocation.problem.unsupported-crl': 'the list does not cover this certificate in a way clients follow',
  'revocation.problem.other': 'it does not verify',
  'revocation.fetch.bad-url': 'not a usable address',
  'revocation.fetch.refused-scheme': 'not asked: only http and https addresses are used',
  'revocation.fetch.refused-address': 'not asked: a local or private address',
  'revocation.fetch.too-many-redirects': 'too many redirects',
  'revocation.fetch.too-large': 'the answer was too large',
  'revocation.fetch.http-status': 'the server answered with an HTTP error',
  'revocation.fetch.network': 'no connection',
  'revocation.fetch.timeout': 'no answer in time',

  // ---- cert.revocation
  'cert.revocation.revoked':
    '“{name}” ({role}) was revoked by its certificate authority on {date}, according to {method}. Reason given: {reason}. Clients that check revocation refuse it (“Peer’s Certificate has been revoked”). This cannot be fixed on your computer: the gateway admin must install a new certificate.',
  'cert.revocation.invalid': 'The revocation answer for “{name}” ({role}) from {method} cannot be trusted: {problem}.',
  'cert.revocation.unknown': 'The CA’s OCSP responder does not know “{name}” ({role}): it answers “unknown”. Either the responder is not kept up to date, or the certificate was not issued by this CA.',
  'cert.revocation.unreachable': 'Could not find out whether “{name}” ({role}) is revoked: no revocation server answered. Tried: {tried}.',
  'cert.revocation.issuer-missing': 'The revocation of “{name}” ({role}) could not be checked, because its issuer’s certificate was not found (see “{check}”).',
  'cert.revocation.partly-invalid': 'Not revoked, according to {method}; but {badMethod} gives an answer that cannot be trusted: {problem}.',
  'cert.revocation.good': 'Not revoked: {method} confirms the gateway’s certificate ({count} checked in all).',
  'cert.revocation.good-intermediate-only': 'Not revoked ({count} checked); the gateway’s certificate itself names no OCSP responder or CRL.',
  'cert.revocation.no-info': 'No certificate in the chain names an OCSP responder or a revocation list, so there is nothing to check. This is common with a company’s own CA.',
  'cert.revocation.self-signed': 'The gateway’s certificate is self-signed: there is no certificate authority that could revoke it.',
  'cert.revocation.not-checked': 'Revocation was not checked ({reason}).',
  'cert.revocation.line-good': '“{name}” ({role}): not revoked, according to {method} ({url}).',
  'cert.revocation.line-no-pointer': '“{name}” ({role}) names no OCSP responder or revocation list; it was not checked.',
  'cert.revocation.line-tried': '{url}: {detail}',
  'cert.revocation.tried-item': '{url} ({problem})',
  'cert.revocation.window': 'The answer was issued {thisUpdate} and valid until {nextUpdate}; it was judged at {at}, by {clock}.',
  'cert.revocation.technical': 'Technical detail: {detail}',
  'cert.revocation.anyconnect-optin':
    'AnyConnect only checks revocation when its local policy turns it on (OCSPRevocation or EnableCRLCheck in AnyConnectLocalPolicy.xml); web browsers and the operating system may check it anyway.',
  'cert.revocation.anyconnect-revoked':
    'Even where AnyConnect’s local policy leaves revocation checking off, the certificate must be replaced: other clients, and AnyConnect with OCSPRevocation or EnableCRLCheck turned on, refuse it.',
  'cert.revocation.anyconnect-unreachable':
    'If AnyConnect’s local policy turns revocation checking on (OCSPRevocation or EnableCRLCheck), the connection may fail while these addresses cannot be reached. They must be reachable from where users connect, before the VPN is up.',

  // ---- cert.chain, AIA
  'cert.chain.issuer-missing-aia-failed': 'The chain stops at “{name}”: its issuer “{issuer}” was not found, and the download address in the certificate ({url}) failed: {error}.',
  'cert.chain.aia-not-issuer': 'The issuer “{issuer}” of “{name}” was not found: the certificate downloaded from {url} ({got}) is not the one that signed it.',

  // ---- fixes
  'fix.admin.revoked-intermediate.title': 'Gateway admin: replace the revoked intermediate certificate',
  'fix.admin.revoked-intermediate.any':
    'An intermediate certificate in the gateway’s chain has been revoked by its CA.\nGet a new certificate for the gateway issued under a current (not revoked) intermediate, and install it together with that intermediate.',
  'fix.admin.revocation-unknown.title': 'Gateway admin: check the certificate with its CA',
  'fix.admin.revocation-unknown.any':
    'The CA’s OCSP responder answers “unknown” for this certificate.\nAsk the CA whether it issued the certificate and whether its responder is up to date; if it did not issue it, replace the certificate.',
  'fix.admin.revocation-reachable.title': 'Gateway admin: make the OCSP/CRL addresses reachable',
  'fix.admin.revocation-reachable.any':
    'Clients must reach the OCSP and CRL addresses in the certificate from outside the company network, before the VPN is up.\nPublish them on a public address (or staple OCSP on the gateway), or use a certificate whose CA does.',
} as const;
