import type { enUsage } from './en-usage';

/** 日本語: usage errors. Same keys as en-usage.ts; the compiler refuses a missing one. */
export const jaUsage: Readonly<Record<keyof typeof enUsage, string>> = {
  // ---- そのまま表示する文字列
  'usage.verbatim': '{text}',
  'usage.hint.help': 'オプションの一覧は "vpn-preflight --help" で表示できます。',

  // ---- オプション
  'usage.option.unknown': '{names} というオプションはありません。',
  'usage.option.unknown-many': '{names} というオプションはありません。',
  'usage.option.needs-value': '{option} には値を指定してください。',
  'usage.option.choices': '{option} には {choices} のいずれかを指定してください（指定された値: {given}）。',
  'usage.option.repeated': '{option} が 2 回以上指定されています。1 回だけ指定してください。',
  'usage.option.too-many-gateways': 'VPN のアドレスは 1 つだけ指定してください（{count} 個指定されています: {gateways}）。',
  'usage.option.needs-ip': '{option} には IP アドレスを指定してください（指定された値: {value}）。',
  'usage.option.timeout': '--timeout には 0 より大きく 600 以下の秒数を指定してください。',
  'usage.option.json-format': '--json と --format の指定が食い違っています。',

  // ---- VPN のアドレス
  'usage.gateway.empty': 'VPN のアドレスが空です。',
  'usage.gateway.forms-hint': 'vpn.example.com、vpn.example.com:8443、https://vpn.example.com/group のように指定してください。',
  'usage.gateway.spaces': 'VPN のアドレス {input} に空白か制御文字が含まれています。',
  'usage.gateway.scheme': 'VPN のアドレスが {scheme}:// で始まっています。AnyConnect のゲートウェイには https:// で接続します。',
  'usage.gateway.credentials': 'VPN のアドレスにユーザー名やパスワードを含めないでください。',
  'usage.gateway.port': '{input} のポート番号「{port}」が 1～65535 の範囲にありません。',
  'usage.gateway.unparsable': '{input} は VPN のアドレス（ホスト名、ホスト名:ポート番号、https:// の URL）として読み取れません。',
  'usage.gateway.no-host': '{input} にはホスト名がありません。',
  'usage.gateway.ipv4-incomplete': '{input} は IPv4 アドレスとして不完全です。',
  'usage.gateway.ipv4-hint': '4 つの数字をすべて 10 進数で書いてください（例: 192.0.2.10）。',
  'usage.gateway.host-name': '{input} はホスト名として正しくありません。',
  'usage.gateway.path-utf8': '{input} のグループパスに、UTF-8 として正しくない %エスケープがあります。',
  'usage.gateway.path-control': '{input} のグループパスに制御文字がエンコードされています。',
  'usage.host-port.form': '{what} {input} が host[:port] の形式になっていません。',
  'usage.host-port.port': '{what} {input} のポート番号が 1～65535 の範囲にありません。',

  // ---- コマンドラインで指定されたファイル
  'usage.file.unreadable': '{option} {file} を読み取れません（{reason}）。',
  'usage.file.no-such': 'ファイルがありません',
  'usage.file.not-regular': '通常のファイルではありません',
  'usage.file.is-folder': 'ファイルではなくフォルダーです（EISDIR）',
  'usage.file.denied': '読み取る権限がありません（{code}）',
  'usage.file.too-large': 'ファイルが大きすぎます（{code}）',
  'usage.file.invalid': '{option} に指定したファイルは使えません（技術情報: {detail}）。',
  'usage.ca-file.bad-base64': '--ca-file {file} の PEM ブロックが正しい Base64 になっていません。',
  'usage.ca-file.not-certificate': '--ca-file {file} の PEM ブロックは証明書ではありません。',
  'usage.ca-file.no-pem-block': '--ca-file {file} に完全な "BEGIN CERTIFICATE" ブロックがありません。',
  'usage.ca-file.not-pem-or-der': '--ca-file {file} は PEM 形式の証明書でも DER 形式の証明書でもありません。',
  'usage.ca-file.pkcs7-empty': '--ca-file {file} の PKCS#7 バンドルに証明書が入っていません。',
  'usage.ca-file.pkcs7-unreadable': '--ca-file {file} の PKCS#7 バンドルを読み取れません。',
  'usage.ca-file.invalid': '--ca-file {file} の中に読み取れない証明書があります（技術情報: {detail}）。',
  'usage.output.exists': '{path} はすでにあります。上書きするには --force を付けるか、--output に別のファイル名を指定してください。',
  'usage.output.unwritable': 'レポートを {path} に保存できません（技術情報: {detail}）。',
  'usage.log-file.unwritable': '--log-file {file} に書き込めません（技術情報: {detail}）。',
};
