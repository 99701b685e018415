/**
 * English usage errors: what the command line, the gateway address or a file named on
 * it got wrong (exit code 3), one line plus an optional hint. Merged into the catalog
 * by en.ts; ja-usage.ts holds the same keys in Japanese. Parameters in quotes
 * ({input}, {value}) arrive already quoted, with control characters escaped.
 */
export const enUsage = {
  // ---- text shown as it is (yargs' own words, a settings-file message already in the run's language)
  'usage.verbatim': '{text}',
  'usage.hint.help': 'Run "vpn-preflight --help" for the options.',

  // ---- flags
  'usage.option.unknown': 'unknown option {names}',
  'usage.option.unknown-many': 'unknown options {names}',
  'usage.option.needs-value': '{option} needs a value',
  'usage.option.choices': '{option} must be one of {choices}, not {given}',
  'usage.option.repeated': '{option} was given more than once',
  'usage.option.too-many-gateways': 'give one gateway, not {count} ({gateways})',
  'usage.option.needs-ip': '{option} needs an IP address, not {value}',
  'usage.option.timeout': '--timeout must be a number of seconds between 0 and 600',
  'usage.option.json-format': '--json and --format disagree',

  // ---- the gateway address (command line, prompt, settings file, profile)
  'usage.gateway.empty': 'the gateway is empty',
  'usage.gateway.forms-hint': 'give it as vpn.example.com, vpn.example.com:8443 or https://vpn.example.com/group',
  'usage.gateway.spaces': 'the gateway {input} contains spaces or control characters',
  'usage.gateway.scheme': 'the gateway URL uses {scheme}://; AnyConnect gateways are reached over https://',
  'usage.gateway.credentials': 'the gateway URL must not contain a user name or password',
  'usage.gateway.port': 'the port "{port}" in {input} is not between 1 and 65535',
  'usage.gateway.unparsable': '{input} is not a gateway name, host:port or https:// URL',
  'usage.gateway.no-host': '{input} has no host name',
  'usage.gateway.ipv4-incomplete': '{input} is not a complete IPv4 address',
  'usage.gateway.ipv4-hint': 'write all four numbers in decimal, e.g. 192.0.2.10',
  'usage.gateway.host-name': '{input} is not a valid host name',
  'usage.gateway.path-utf8': 'the group path in {input} has a %-escape that is not valid UTF-8',
  'usage.gateway.path-control': 'the group path in {input} encodes control characters',
  'usage.host-port.form': '{what} {input} is not host[:port]',
  'usage.host-port.port': 'the port in {what} {input} is not between 1 and 65535',

  // ---- files named on the command line
  'usage.file.unreadable': 'cannot read {option} {file}: {reason}',
  'usage.file.no-such': 'no such file',
  'usage.file.not-regular': 'not a regular file',
  'usage.file.is-folder': 'it is a folder, not a file (EISDIR)',
  'usage.file.denied': 'permission denied ({code})',
  'usage.file.too-large': 'the file is too large ({code})',
  'usage.file.invalid': '{option} {detail}',
  'usage.ca-file.bad-base64': '--ca-file {file} holds a PEM block that is not valid base64',
  'usage.ca-file.not-certificate': '--ca-file {file} holds a PEM block that is not a certificate',
  'usage.ca-file.no-pem-block': '--ca-file {file} has no complete "BEGIN CERTIFICATE" block',
  'usage.ca-file.not-pem-or-der': '--ca-file {file} is neither a PEM nor a DER certificate',
  'usage.ca-file.pkcs7-empty': '--ca-file {file}: the PKCS#7 bundle holds no certificates',
  'usage.ca-file.pkcs7-unreadable': '--ca-file {file}: the PKCS#7 bundle cannot be read',
  'usage.ca-file.invalid': '--ca-file {file}: {detail}',
  'usage.output.exists': '{path} already exists; use --force to overwrite it or choose another --output',
  'usage.output.unwritable': 'cannot write the report to {path}: {detail}',
  'usage.log-file.unwritable': 'cannot write --log-file {file}: {detail}',
} as const;
