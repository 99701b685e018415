/**
 * English messages for the checks that look at this computer (its stores, DNS settings,
 * time sync, TLS settings, proxy) and for their fixes. Merged into the catalog by en.ts.
 */
export const enPlatform = {
  // ---- certificate stores, as the OS names them
  'store.windows.machine-root': 'the Windows store “Trusted Root Certification Authorities” (Local Computer)',
  'store.windows.machine-ca': 'the Windows store “Intermediate Certification Authorities” (Local Computer)',
  'store.windows.machine-disallowed': 'the Windows store “Untrusted Certificates” (Local Computer)',
  'store.windows.user-root': 'the Windows store “Trusted Root Certification Authorities” (Current User)',
  'store.windows.user-ca': 'the Windows store “Intermediate Certification Authorities” (Current User)',
  'store.windows.user-disallowed': 'the Windows store “Untrusted Certificates” (Current User)',
  'store.macos.system-roots': 'the macOS System Roots keychain',
  'store.macos.system': 'the macOS System keychain',
  'store.macos.login': 'the macOS login keychain',

  'fact.proxy': 'reading the proxy settings',

  // ---- why a fact has no value (notes carried by the adapters, rendered in the report's language)
  'fact.anyconnect.not-installed': 'Cisco AnyConnect / Secure Client is not installed on this computer',
  'fact.timesync.macos-needs-admin': 'macOS shows whether the clock is set automatically only to an administrator',
  'fact.timesync.no-timedatectl': 'timedatectl is not available (this system does not run systemd)',
  'fact.timesync.timedatectl-failed': 'timedatectl could not ask systemd ({detail})',
  'fact.vpnlogs.syslog-unreadable': 'the VPN agent’s log could not be read: {file} may be read only by root and the group adm. Run vpn-preflight as a user in the group adm (or as root).',

  // ---- cert.trust
  'cert.trust.trusted-in-store': 'The chain ends in “{anchor}”, which this computer trusts: it is in {store}.',
  'cert.trust.root-not-anchor': 'The chain ends in the root “{root}”. This computer has it in {store}, but not as a trusted root, so it does not count. AnyConnect shows “Untrusted VPN Server Certificate”.',

  'cert.trust.windows-root-update': 'Windows downloads the roots of Microsoft’s root program the first time it needs them: if “{root}” is a public certificate authority, Windows may still trust it. `certutil -verify -urlfetch` on the gateway’s certificate shows what Windows decides.',

  // ---- dns.resolve
  'dns.resolve.query-times': '{resolver}: A {a}; AAAA {aaaa}.',
  'dns.resolve.query-time': '{what} ({ms} ms)',
  'dns.resolve.no-servers-detail': 'This computer has no DNS server configured.',
  'dns.resolve.no-servers': 'The name {host} could not be looked up, and this computer has no DNS server configured ({detail}). Is the network connected?',
  'dns.resolve.resolved-without-servers': '{host} resolves to {addresses}, but this computer has no DNS server configured: the answer came from the hosts file or a cache, and other names will not resolve.',
  'dns.resolve.some-silent': 'No answer from {resolvers} ({code}); the other DNS servers answered.',
  'dns.resolve.private-reachable': '{address} is a private (office-network) address: it works from here, but not from outside the company network.',

  // ---- clock.offset
  'clock.offset.sync-state-on': 'Automatic time synchronisation is on (time server: {source}).',
  'clock.offset.sync-state-off': 'Automatic time synchronisation is off (read from: {evidence}).',
  'clock.offset.sync-state-not-synced': 'Automatic time synchronisation is on (time server: {source}), but the clock is not synchronised at the moment.',
  'clock.offset.sync-unknown': 'Whether this computer sets its clock automatically could not be read ({detail}).',
  'clock.offset.servers-disagree': 'The time servers disagree with each other by {spread}; the median decides.',

  // ---- tls.versions
  'tls.versions.client-allows': 'This computer’s TLS settings ({stack}) allow: {allowed}; switched off: {disabled}. Source: {source}.',
  'tls.versions.client-unknown': 'This computer’s TLS settings could not be read ({reason}).',
  'tls.versions.client-disallows-modern': 'The gateway’s TLS 1.2+ versions ({versions}) are switched off on this computer ({source}). Current AnyConnect clients need TLS 1.2 or newer.',

  // ---- network.reach
  'network.reach.proxy-hint': 'A proxy is set on this computer ({proxy}). On networks that only let traffic out through the proxy, direct connections like this one are dropped.',

  // ---- proxy.intercept
  'proxy.intercept.direct': 'No proxy is set on this computer, and the gateway’s certificate shows no sign of TLS inspection (issued by “{issuer}”).',
  'proxy.intercept.no-interception-proxy-unknown': 'The gateway’s certificate shows no sign of TLS inspection (issued by “{issuer}”). This system’s proxy settings were not read.',
  'proxy.intercept.proxy-bypassed': 'A proxy is set ({proxy}), but {host} is on its exception list (“{pattern}”), so AnyConnect connects directly. The certificate shows no sign of TLS inspection (issued by “{issuer}”).',
  'proxy.intercept.no-proxy-no-chain': 'No proxy is set on this computer. The gateway’s certificate could not be examined for TLS inspection.',
  'proxy.intercept.bypassed-no-chain': 'The proxy set on this computer is not used for {host}. The gateway’s certificate could not be examined for TLS inspection.',
  'proxy.intercept.inspection': 'The gateway’s certificate was re-signed by {product} (“{issuer}”): something on this network is decrypting the connection (TLS inspection). AnyConnect refuses such a connection: “AnyConnect cannot confirm it is connected to your secure gateway”.',
  'proxy.intercept.inspection-software': 'The gateway’s certificate was re-signed by {product} (“{issuer}”), security software on this computer that scans HTTPS. AnyConnect refuses such a connection: “AnyConnect cannot confirm it is connected to your secure gateway”.',
  'proxy.intercept.inspection-debugging': 'The gateway’s certificate was re-signed by {product} (“{issuer}”), a debugging proxy that decrypts HTTPS. AnyConnect refuses such a connection: “AnyConnect cannot confirm it is connected to your secure gateway”.',
  'proxy.intercept.private-root-local-store': 'The gateway’s certificate chains to “{root}”, a root that is only in {store} — a store that users and programs add certificates to — and the certificate names no revocation or issuer addresses. Unless your company issues its own certificate for the VPN gateway, something is intercepting the connection.',
  'proxy.intercept.system-proxy': 'A proxy is set on this computer ({proxy}, from {source}). AnyConnect (ProxySettings “Native”) connects through it, while this check connected directly. If the proxy decrypts TLS, AnyConnect will fail with “AnyConnect cannot confirm it is connected to your secure gateway”.',
  'proxy.intercept.pac-proxy': 'A proxy setup script is set ({pac}). It decides whether AnyConnect (ProxySettings “Native”) goes through a proxy; this check connected directly. If that proxy decrypts TLS, AnyConnect will fail.',
  'proxy.intercept.generic-product': 'a TLS inspection device',
  'proxy.intercept.detail-proxy': 'Proxy in use: {proxy}.',
  'proxy.intercept.detail-pac': 'Proxy setup script: {pac}.',
  'proxy.intercept.detail-bypassed': 'Proxy {proxy}, not used for the gateway (exception “{pattern}”).',

  // ---- fixes
  'fix.dns.no-servers.title': 'Check this computer’s DNS settings',
  'fix.dns.no-servers.windows': 'Open Settings › Network & internet › Wi-Fi (or Ethernet) › your connection’s properties, and check “DNS server assignment”: it should be “Automatic (DHCP)” unless IT gave you servers.\nIn a Command Prompt, `ipconfig /all` lists the DNS servers of each connection.\nSwitch the connection off and on again, then run this check again.',
  'fix.dns.no-servers.macos': 'Open System Settings › Network › your network › Details › DNS and check the DNS servers: they should come from the network unless IT gave you servers.\nIn Terminal, `scutil --dns` lists them.\nSwitch the connection off and on again, then run this check again.',
  'fix.dns.no-servers.linux': 'Check the network settings: `resolvectl status` (systemd-resolved) or `nmcli device show | grep DNS` (NetworkManager).\nReconnect to the network, then run this check again.',
  'fix.trust.mark-root-trusted.title': 'Put the company’s root certificate where it is trusted',
  'fix.trust.mark-root-trusted.windows': 'Only if IT confirms the root named in the report is the company’s own:\nOpen `certlm.msc` (Manage computer certificates; administrator rights needed — otherwise ask IT).\nIn “Intermediate Certification Authorities › Certificates”, drag the root into “Trusted Root Certification Authorities › Certificates”.\nRun this check again.',
  'fix.trust.mark-root-trusted.macos': 'Only if IT confirms the root named in the report is the company’s own:\nOpen Keychain Access and find the root.\nDouble-click it › Trust › “When using this certificate”: Always Trust, close the window and enter your password.\nRun this check again.',
  'fix.proxy.av-https-scanning.title': 'Exclude the VPN gateway from {product}’s HTTPS scanning',
  'fix.proxy.av-https-scanning.any': 'Open {product} and find its web / HTTPS (SSL) scanning settings.\nAdd the VPN gateway’s name to the exclusions (or ask IT to do it centrally), then run this check again.\nDo not uninstall the security software without asking IT.',
  'fix.proxy.debugging-tool.title': 'Close {product}',
  'fix.proxy.debugging-tool.any': '{product} decrypts this computer’s HTTPS traffic. Close it, or switch off its HTTPS decryption.\nThen run this check again.',
  'fix.proxy.inspection-network.title': 'Connect from a network that does not decrypt HTTPS',
  'fix.proxy.inspection-network.any': 'Try another network, for example your phone’s hotspot or your home network, and run this check again: something on this network decrypts HTTPS traffic (TLS inspection), which the VPN does not allow.\nIf the problem stays on every network, security software on this computer (such as a Zscaler or Netskope client) decrypts it: ask IT to exempt the VPN gateway.',
  'fix.proxy.ask-it-root.title': 'Ask IT about the root certificate “{root}”',
  'fix.proxy.ask-it-root.any': 'Ask IT whether “{root}” is the company’s own certificate authority.\nIf it is not, do not sign in over this connection: something may be intercepting it. Attach this report to your ticket.',
} as const;
