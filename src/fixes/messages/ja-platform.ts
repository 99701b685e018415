import type { enPlatform } from './en-platform';

/** 日本語: platform messages. Same keys as en-platform.ts; the compiler refuses a missing one. */
export const jaPlatform: Readonly<Record<keyof typeof enPlatform, string>> = {
  // ---- 証明書ストア (OS での表示名)
  'store.windows.machine-root': 'Windows の「信頼されたルート証明機関」（ローカル コンピューター）',
  'store.windows.machine-ca': 'Windows の「中間証明機関」（ローカル コンピューター）',
  'store.windows.machine-disallowed': 'Windows の「信頼されていない証明書」（ローカル コンピューター）',
  'store.windows.user-root': 'Windows の「信頼されたルート証明機関」（現在のユーザー）',
  'store.windows.user-ca': 'Windows の「中間証明機関」（現在のユーザー）',
  'store.windows.user-disallowed': 'Windows の「信頼されていない証明書」（現在のユーザー）',
  'store.macos.system-roots': 'macOS の「システムルート」キーチェーン',
  'store.macos.system': 'macOS の「システム」キーチェーン',
  'store.macos.login': 'macOS の「ログイン」キーチェーン',

  'fact.proxy': 'プロキシ設定の読み取り',

  // ---- 事実が得られなかった理由 (アダプターが付けるキー)
  'fact.anyconnect.not-installed': 'このコンピューターには Cisco AnyConnect / Secure Client がインストールされていません',
  'fact.timesync.macos-needs-admin': 'macOS では、時刻を自動設定しているかどうかを管理者にしか表示しません',
  'fact.timesync.no-timedatectl': 'timedatectl がありません（このシステムは systemd を使っていません）',
  'fact.timesync.timedatectl-failed': 'timedatectl が systemd に問い合わせできませんでした（{detail}）',
  'fact.vpnlogs.syslog-unreadable': 'VPN エージェントのログを読めませんでした。{file} は root と adm グループしか読めません。adm グループに属するユーザー（または root）で vpn-preflight を実行してください。',

  // ---- cert.trust
  'cert.trust.trusted-in-store': '証明書チェーンは「{anchor}」で終わり、このコンピューターはこれを信頼しています。{store} に登録されています。',
  'cert.trust.root-not-anchor': '証明書チェーンはルート証明書「{root}」で終わります。この証明書はこのコンピューターの {store} にありますが、信頼されたルート証明書としては登録されていないため、信頼の根拠になりません。AnyConnect には「Untrusted VPN Server Certificate」と表示されます。',

  'cert.trust.windows-root-update': 'Windows は Microsoft のルート証明書プログラムに含まれるルート証明書を、初めて必要になったときにダウンロードします。「{root}」が公的な認証局であれば、Windows はそれでも信頼する可能性があります。ゲートウェイの証明書に対して `certutil -verify -urlfetch` を実行すると、Windows の判断を確認できます。',

  // ---- dns.resolve
  'dns.resolve.query-times': '{resolver}: A {a}、AAAA {aaaa}。',
  'dns.resolve.query-time': '{what}（{ms} ミリ秒）',
  'dns.resolve.no-servers-detail': 'このコンピューターには DNS サーバーが設定されていません。',
  'dns.resolve.no-servers': '{host} の名前解決（DNS）ができません。このコンピューターには DNS サーバーが設定されていません（技術情報: {detail}）。ネットワークに接続されていますか?',
  'dns.resolve.resolved-without-servers': '{host} は {addresses} に解決されましたが、このコンピューターには DNS サーバーが設定されていません。hosts ファイルかキャッシュからの回答で、ほかの名前は解決できません。',
  'dns.resolve.some-silent': '{resolvers} からは応答がありませんでした（{code}）。ほかの DNS サーバーは応答しました。',
  'dns.resolve.private-reachable': '{address} はプライベート（社内ネットワーク用）のアドレスです。ここからは接続できますが、社外のネットワークからは接続できません。',

  // ---- clock.offset
  'clock.offset.sync-state-on': '時刻同期は有効です（タイムサーバー: {source}）。',
  'clock.offset.sync-state-off': '時刻同期が無効になっています（確認元: {evidence}）。',
  'clock.offset.sync-state-not-synced': '時刻同期は有効ですが（タイムサーバー: {source}）、現在は同期できていません。',
  'clock.offset.sync-unknown': '時刻同期の設定を読み取れませんでした（{detail}）。',
  'clock.offset.servers-disagree': 'タイムサーバーどうしで時刻が {spread} 食い違っています。中央値で判断しました。',

  // ---- tls.versions
  'tls.versions.client-allows': 'このコンピューターの TLS 設定（{stack}）で使用できるバージョン: {allowed}。無効: {disabled}。根拠: {source}。',
  'tls.versions.client-unknown': 'このコンピューターの TLS 設定を読み取れませんでした（{reason}）。',
  'tls.versions.client-disallows-modern': 'ゲートウェイが対応する TLS 1.2 以降のバージョン（{versions}）が、このコンピューターでは無効になっています（{source}）。現在の AnyConnect には TLS 1.2 以降が必要です。',

  // ---- network.reach
  'network.reach.proxy-hint': 'このコンピューターにはプロキシ（{proxy}）が設定されています。プロキシ経由の通信しか許可されていないネットワークでは、このような直接の接続は遮断されます。',

  // ---- proxy.intercept
  'proxy.intercept.direct': 'このコンピューターにはプロキシが設定されておらず、ゲートウェイの証明書にも TLS インスペクション（SSL 復号）の形跡はありません（発行者「{issuer}」）。',
  'proxy.intercept.no-interception-proxy-unknown': 'ゲートウェイの証明書に TLS インスペクション（SSL 復号）の形跡はありません（発行者「{issuer}」）。このシステムのプロキシ設定は読み取っていません。',
  'proxy.intercept.proxy-bypassed': 'プロキシ（{proxy}）が設定されていますが、{host} は例外（「{pattern}」）に含まれるため、AnyConnect は直接接続します。証明書に TLS インスペクションの形跡はありません（発行者「{issuer}」）。',
  'proxy.intercept.no-proxy-no-chain': 'このコンピューターにはプロキシが設定されていません。ゲートウェイの証明書を受け取れなかったため、TLS インスペクションの有無は確認できませんでした。',
  'proxy.intercept.bypassed-no-chain': 'このコンピューターのプロキシは {host} には使われません。ゲートウェイの証明書を受け取れなかったため、TLS インスペクションの有無は確認できませんでした。',
  'proxy.intercept.inspection': 'ゲートウェイの証明書が {product}（「{issuer}」）によって再署名されています。このネットワーク上の機器が通信を復号しています（TLS インスペクション）。AnyConnect はこのような接続を拒否します:「AnyConnect cannot confirm it is connected to your secure gateway」。',
  'proxy.intercept.inspection-software': 'ゲートウェイの証明書が、このコンピューターのセキュリティソフト {product}（「{issuer}」）によって再署名されています（HTTPS スキャン）。AnyConnect はこのような接続を拒否します:「AnyConnect cannot confirm it is connected to your secure gateway」。',
  'proxy.intercept.inspection-debugging': 'ゲートウェイの証明書が、HTTPS を復号するデバッグ用プロキシ {product}（「{issuer}」）によって再署名されています。AnyConnect はこのような接続を拒否します:「AnyConnect cannot confirm it is connected to your secure gateway」。',
  'proxy.intercept.private-root-local-store': 'ゲートウェイの証明書はルート証明書「{root}」につながっていますが、このルート証明書は {store}（利用者やソフトウェアが追加する信頼ストア）にしかなく、証明書には失効確認や発行元のアドレスも記載されていません。会社が VPN ゲートウェイ用に独自の証明書を発行しているのでなければ、何かが通信に割り込んでいます。',
  'proxy.intercept.system-proxy': 'このコンピューターにはプロキシ（{proxy}、設定元: {source}）が設定されています。AnyConnect（ProxySettings「Native」）はこのプロキシを経由して接続しますが、このチェックは直接接続しました。プロキシが TLS を復号する場合、AnyConnect は「AnyConnect cannot confirm it is connected to your secure gateway」で失敗します。',
  'proxy.intercept.pac-proxy': 'プロキシの自動構成スクリプト（{pac}）が設定されています。AnyConnect（ProxySettings「Native」）がプロキシを経由するかどうかはこのスクリプトが決めます。このチェックは直接接続しました。そのプロキシが TLS を復号する場合、AnyConnect は失敗します。',
  'proxy.intercept.generic-product': 'TLS インスペクション機器',
  'proxy.intercept.detail-proxy': '使用中のプロキシ: {proxy}。',
  'proxy.intercept.detail-pac': 'プロキシの自動構成スクリプト: {pac}。',
  'proxy.intercept.detail-bypassed': 'プロキシ {proxy} はゲートウェイには使われません（例外「{pattern}」）。',

  // ---- 対処方法
  'fix.dns.no-servers.title': 'このコンピューターの DNS 設定を確認する',
  'fix.dns.no-servers.windows': '設定 › ネットワークとインターネット › Wi-Fi（またはイーサネット）› 接続のプロパティ を開き、「DNS サーバーの割り当て」を確認します。IT 部門から指定がなければ「自動（DHCP）」にします。\nコマンド プロンプトで `ipconfig /all` を実行すると、接続ごとの DNS サーバーが表示されます。\n接続をいったんオフにしてからオンに戻し、このチェックをもう一度実行してください。',
  'fix.dns.no-servers.macos': 'システム設定 › ネットワーク › 使用中のネットワーク › 詳細 › DNS を開き、DNS サーバーを確認します。IT 部門から指定がなければ、ネットワークから自動で設定されます。\nターミナルで `scutil --dns` を実行すると一覧が表示されます。\n接続をいったんオフにしてからオンに戻し、このチェックをもう一度実行してください。',
  'fix.dns.no-servers.linux': 'ネットワーク設定を確認します: `resolvectl status`（systemd-resolved）または `nmcli device show | grep DNS`（NetworkManager）。\nネットワークに接続し直してから、このチェックをもう一度実行してください。',
  'fix.trust.mark-root-trusted.title': '会社のルート証明書を信頼される場所に置く',
  'fix.trust.mark-root-trusted.windows': 'レポートに記載されたルート証明書が会社のものだと IT 部門が確認した場合にだけ行ってください。\n`certlm.msc`（コンピューター証明書の管理）を開きます（管理者権限が必要です。権限がなければ IT 部門に依頼してください）。\n「中間証明機関 › 証明書」にあるそのルート証明書を、「信頼されたルート証明機関 › 証明書」へドラッグします。\nこのチェックをもう一度実行してください。',
  'fix.trust.mark-root-trusted.macos': 'レポートに記載されたルート証明書が会社のものだと IT 部門が確認した場合にだけ行ってください。\nキーチェーンアクセスを開き、そのルート証明書を探します。\nダブルクリック › 信頼 › 「この証明書を使用するとき」を「常に信頼」にし、ウインドウを閉じてパスワードを入力します。\nこのチェックをもう一度実行してください。',
  'fix.proxy.av-https-scanning.title': 'VPN ゲートウェイを {product} の HTTPS スキャンの対象から外す',
  'fix.proxy.av-https-scanning.any': '{product} を開き、Web / HTTPS（SSL）スキャンの設定を探します。\nVPN ゲートウェイの名前を除外リストに追加し（または IT 部門に一括設定を依頼し）、このチェックをもう一度実行してください。\nIT 部門に確認せずにセキュリティソフトをアンインストールしないでください。',
  'fix.proxy.debugging-tool.title': '{product} を終了する',
  'fix.proxy.debugging-tool.any': '{product} がこのコンピューターの HTTPS 通信を復号しています。終了するか、HTTPS の復号をオフにしてください。\nその後、このチェックをもう一度実行してください。',
  'fix.proxy.inspection-network.title': 'HTTPS を復号しないネットワークから接続する',
  'fix.proxy.inspection-network.any': '別のネットワーク（スマートフォンのテザリングや自宅のネットワークなど）に切り替えて、このチェックをもう一度実行してください。このネットワーク上の何かが HTTPS 通信を復号しており（TLS インスペクション）、VPN はこれを受け付けません。\nどのネットワークでも結果が変わらない場合は、このコンピューターのセキュリティソフト（Zscaler や Netskope のクライアントなど）が復号しています。VPN ゲートウェイを対象外にするよう IT 部門に依頼してください。',
  'fix.proxy.ask-it-root.title': 'ルート証明書「{root}」について IT 部門に確認する',
  'fix.proxy.ask-it-root.any': '「{root}」が会社の認証局かどうか、IT 部門（ヘルプデスク）に確認してください。\n会社のものでなければ、この接続ではサインインしないでください。通信に何かが割り込んでいる可能性があります。このレポートをチケットに添付してください。',
};
