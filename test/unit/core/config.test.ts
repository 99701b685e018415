/** The settings file's CA certificates are checked when the file is read, with the file's place in both languages. */
import { parseConfig } from '../../../src/config';
import { UsageError } from '../../../src/errors';
import { makeRoot } from '../../helpers/pki';

const FILE = '/opt/vpn-preflight/vpn-preflight.json';
// Valid PEM and valid DER, but a SEQUENCE holding one INTEGER: not a certificate.
const NOT_A_CERTIFICATE = '-----BEGIN CERTIFICATE-----\\nMAMCAQE=\\n-----END CERTIFICATE-----';

async function problem(text: string, lang: 'en' | 'ja', files: Record<string, Buffer> = {}): Promise<string> {
  const err = await parseConfig(text, FILE, lang, async (p) => files[p] ?? Promise.reject(Object.assign(new Error('missing'), { code: 'ENOENT' }))).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  return (err as Error).message;
}

describe('caCertificates', () => {
  const text = `{\n  "gateway": "vpn.example.com",\n  "caCertificates": ["${NOT_A_CERTIFICATE}"]\n}\n`;

  test('an inline PEM that is no certificate is a settings error naming the file, line and column', async () => {
    expect(await problem(text, 'en')).toMatch(/^The settings file \/opt\/vpn-preflight\/vpn-preflight\.json, line 3, column 22: a certificate in caCertificates\[0\] cannot be read \(.+\)\.$/);
  });

  test('in Japanese too', async () => {
    expect(await problem(text, 'ja')).toMatch(/^設定ファイル \/opt\/vpn-preflight\/vpn-preflight\.json の 3 行目 22 文字目: caCertificates\[0\] の中に読み取れない証明書があります（技術情報: .+）。$/);
  });

  test('a certificate file beside the settings holding no certificate is reported the same way', async () => {
    const files = { '/opt/vpn-preflight/corp-root.pem': Buffer.from(NOT_A_CERTIFICATE.replace(/\\n/g, '\n')) };
    expect(await problem('{ "gateway": "vpn.example.com",\n  "caCertificates": "corp-root.pem" }', 'en', files)).toContain(
      'line 2, column 21: a certificate in /opt/vpn-preflight/corp-root.pem cannot be read',
    );
  });

  test('a real certificate is accepted', async () => {
    const root = makeRoot('Corp Root');
    const config = await parseConfig(JSON.stringify({ gateway: 'vpn.example.com', caCertificates: [root.pem] }), FILE, 'en', async () => Buffer.alloc(0));
    expect(config.caCertificates).toEqual([{ label: 'caCertificates[0]', ders: [root.der] }]);
  });
});

describe('a bad value in the settings file', () => {
  test('the gateway’s problem is told in the file’s language too', async () => {
    const text = '{ "gateway": "vpn.example.com:99999" }';
    expect(await problem(text, 'en')).toBe('The settings file /opt/vpn-preflight/vpn-preflight.json, line 1, column 14: “gateway”: the port "99999" in "vpn.example.com:99999" is not between 1 and 65535.');
    expect(await problem(text, 'ja')).toBe('設定ファイル /opt/vpn-preflight/vpn-preflight.json の 1 行目 14 文字目: 「gateway」の値が正しくありません: "vpn.example.com:99999" のポート番号「99999」が 1～65535 の範囲にありません。');
  });
});

describe('the language of the settings file’s own problems', () => {
  const text = '{ "language": "ja", "gateway": "vpn.example.com:99999" }';
  const run = (fileMayChoose: boolean): Promise<string> =>
    parseConfig(text, FILE, 'en', async () => Buffer.alloc(0), fileMayChoose).then(
      () => '',
      (e: unknown) => (e as Error).message,
    );

  test('without --lang, the file’s "language" is the language of its problems', async () => {
    expect(await run(true)).toMatch(/^設定ファイル .* の 1 行目 32 文字目: 「gateway」の値が正しくありません: /);
  });

  test('with --lang en, English wins', async () => {
    expect(await run(false)).toMatch(/^The settings file .*, line 1, column 32: “gateway”: the port "99999"/);
  });
});
