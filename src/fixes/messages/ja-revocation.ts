import type { enRevocation } from './en-revocation';

/** 日本語: revocation messages. Same keys as en-revocation.ts; the compiler refuses a missing one. */
export const jaRevocation: Readonly<Record<keyof typeof enRevocation, string>> = {
  'fact.revocation': '失効確認（OCSP/CRL）',

  'revocation.method.ocsp-stapled': 'ゲートウェイが添付（ステープル）した OCSP 応答',
  'revocation.method.ocsp': '認証局の OCSP レスポンダー',
  'revocation.method.crl': '認証局の失効リスト（CRL）',
  'revocation.clock.ntp': 'タイムサーバーから得た正確な時刻',
  'revocation.clock.local': 'このコンピューターの時計（タイムサーバーが応答しなかったため）',

  'revocation.reason.none': '理由の記載なし',
  'revocation.reason.unspecified': '理由の指定なし（unspecified）',
  'revocation.reason.keyCompromise': '秘密鍵の漏洩（keyCompromise）',
  'revocation.reason.cACompromise': '認証局の侵害（cACompromise）',
  'revocation.reason.affiliationChanged': '所有者の登録情報の変更（affiliationChanged）',
  'revocation.reason.superseded': '新しい証明書への置き換え（superseded）',
  'revocation.reason.cessationOfOperation': '運用の終了（cessationOfOperation）',
  'revocation.reason.certificateHold': '一時停止中（certificateHold）',
  'revocation.reason.removeFromCRL': '失効リストからの削除（removeFromCRL）',
  'revocation.reason.privilegeWithdrawn': '利用権限の取り消し（privilegeWithdrawn）',
  'revocation.reason.aACompromise': '属性認証局の侵害（aACompromise）',

  'revocation.problem.bad-signature': '署名が認証局の鍵で検証できません',
  'revocation.problem.responder-not-authorized': 'この認証局に代わって応答する権限のない証明書で署名されています',
  'revocation.problem.responder-expired': '応答に署名した OCSP レスポンダーの証明書が、この時点で有効ではありません',
  'revocation.problem.no-matching-response': '別の証明書についての応答です',
  'revocation.problem.nonce-mismatch': '別の要求に対する応答です（再送された応答）',
  'revocation.problem.malformed': '内容を読み取れません（OCSP/CRL のデータではありません）',
  'revocation.problem.not-basic': 'クライアントが受け付けない形式の応答です',
  'revocation.problem.responder-error': 'レスポンダーがエラーを返しました',
  'revocation.problem.unsupported-algorithm': 'このツールでは確認できない署名アルゴリズムで署名されています',
  'revocation.problem.expired': '有効期限切れです（次回更新日時を過ぎています）',
  'revocation.problem.not-yet-valid': '発行日時が未来になっています',
  'revocation.problem.issuer-mismatch': '別の認証局が発行した失効リストです',
  'revocation.problem.issuer-cannot-sign-crls': '認証局の証明書に、失効リストへの署名が許可されていません',
  'revocation.problem.delta-crl': '差分（デルタ）の失効リストしかありません',
  'revocation.problem.unsupported-crl': 'この証明書を対象とした、クライアントが扱える失効リストではありません',
  'revocation.problem.other': '検証できません',
  'revocation.fetch.bad-url': '使えないアドレスです',
  'revocation.fetch.refused-scheme': 'http と https 以外のアドレスのため問い合わせていません',
  'revocation.fetch.refused-address': 'ローカルまたはプライベートなアドレスのため問い合わせていません',
  'revocation.fetch.too-many-redirects': 'リダイレクトが多すぎます',
  'revocation.fetch.too-large': '応答が大きすぎます',
  'revocation.fetch.http-status': 'サーバーが HTTP エラーを返しました',
  'revocation.fetch.network': '接続できませんでした',
  'revocation.fetch.timeout': '時間内に応答がありませんでした',

  'cert.revocation.revoked':
    '「{name}」（{role}）は、{date} に認証局によって失効されています。失効の理由: {reason}。{method}で確認しました。失効確認を行うクライアントはこの証明書を拒否します（“Peer’s Certificate has been revoked”）。お使いのコンピューターでは解決できません。ゲートウェイ管理者が新しい証明書をインストールする必要があります。',
  'cert.revocation.invalid': '「{name}」（{role}）について {method} から得た失効情報は信頼できません: {problem}。',
  'cert.revocation.unknown':
    '認証局の OCSP レスポンダーは「{name}」（{role}）を把握していません（「unknown」と応答）。レスポンダーの情報が更新されていないか、この証明書がこの認証局から発行されたものではない可能性があります。',
  'cert.revocation.unreachable': '「{name}」（{role}）が失効しているかどうかを確認できませんでした。失効確認用のサーバーがどれも応答しませんでした。試したアドレス: {tried}。',
  'cert.revocation.issuer-missing': '「{name}」（{role}）の発行元の証明書が見つからないため、失効確認ができませんでした（「{check}」の結果を参照してください）。',
  'cert.revocation.partly-invalid': '{method} によると失効していません。ただし、{badMethod} から得た応答は信頼できません: {problem}。',
  'cert.revocation.good': '失効していません。ゲートウェイの証明書は{method}で確認しました（確認した証明書: {count}）。',
  'cert.revocation.good-intermediate-only': '失効していません（確認した証明書: {count}）。ゲートウェイの証明書自体には OCSP レスポンダーも失効リストも記載されていません。',
  'cert.revocation.no-info':
    '証明書チェーン内のどの証明書にも OCSP レスポンダーや失効リスト（CRL）の記載がないため、失効確認の対象がありません。社内の認証局（プライベート CA）ではよくある構成です。',
  'cert.revocation.self-signed': 'ゲートウェイの証明書は自己署名証明書です。失効させることのできる認証局がありません。',
  'cert.revocation.not-checked': '失効確認は行われませんでした（{reason}）。',
  'cert.revocation.line-good': '「{name}」（{role}）: 失効していません（{method}、{url}）。',
  'cert.revocation.line-no-pointer': '「{name}」（{role}）には OCSP レスポンダーも失効リストも記載されていないため、確認していません。',
  'cert.revocation.line-tried': '{url}（技術情報: {detail}）',
  'cert.revocation.tried-item': '{url}（{problem}）',
  'cert.revocation.window': 'この応答の発行日時は {thisUpdate}、有効期限は {nextUpdate} です。判定は {at} の時点で、{clock}を基準に行いました。',
  'cert.revocation.technical': '技術情報: {detail}',
  'cert.revocation.anyconnect-optin':
    'AnyConnect が失効確認を行うのは、ローカルポリシー（AnyConnectLocalPolicy.xml の OCSPRevocation または EnableCRLCheck）で有効にしている場合だけです。Web ブラウザーや OS は、これとは関係なく確認することがあります。',
  'cert.revocation.anyconnect-revoked':
    'AnyConnect のローカルポリシーで失効確認が無効になっていても、証明書の交換は必要です。他のクライアントや、OCSPRevocation / EnableCRLCheck を有効にした AnyConnect はこの証明書を拒否します。',
  'cert.revocation.anyconnect-unreachable':
    'AnyConnect のローカルポリシーで失効確認（OCSPRevocation または EnableCRLCheck）を有効にしている場合、これらのアドレスに接続できない間は VPN 接続に失敗することがあります。これらのアドレスには、VPN 接続前に利用者のネットワークから到達できる必要があります。',

  'cert.chain.issuer-missing-aia-failed': '証明書チェーンが「{name}」で止まっています。発行元「{issuer}」が見つからず、証明書に記載されたダウンロード先（{url}）からの取得にも失敗しました（技術情報: {error}）。',
  'cert.chain.aia-not-issuer': '「{name}」の発行元「{issuer}」が見つかりません。{url} からダウンロードした証明書（{got}）は、これに署名した証明書ではありません。',

  'fix.admin.revoked-intermediate.title': '【ゲートウェイ管理者】失効した中間証明書を交換する',
  'fix.admin.revoked-intermediate.any':
    'ゲートウェイの証明書チェーンにある中間証明書が、認証局によって失効されています。\n失効していない現行の中間証明書から発行された新しいゲートウェイ証明書を取得し、その中間証明書と一緒にインストールしてください。',
  'fix.admin.revocation-unknown.title': '【ゲートウェイ管理者】証明書について認証局に確認する',
  'fix.admin.revocation-unknown.any':
    '認証局の OCSP レスポンダーが、この証明書について「unknown」（不明）と応答しています。\nこの証明書を発行したかどうか、レスポンダーの情報が最新かどうかを認証局に確認してください。発行元でない場合は証明書を交換してください。',
  'fix.admin.revocation-reachable.title': '【ゲートウェイ管理者】OCSP/CRL のアドレスに到達できるようにする',
  'fix.admin.revocation-reachable.any':
    'クライアントは VPN 接続前に、社外のネットワークから証明書に記載された OCSP と CRL のアドレスに到達できる必要があります。\nこれらを公開アドレスで提供する（またはゲートウェイで OCSP ステープリングを有効にする）か、そのような認証局の証明書を使用してください。',
};
