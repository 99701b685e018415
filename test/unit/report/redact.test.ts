/**
 * --redact: the user name, the computer name, home folders and local addresses leave
 * every format (text, Markdown, HTML, JSON) — summaries, evidence and the trail
 * included — while the gateway and its certificates stay. Same value, same placeholder.
 */
import { renderHtml } from '../../../src/report/html';
import { renderMarkdown } from '../../../src/report/markdown';
import { buildReport, toJson, type Report } from '../../../src/report/model';
import { Redactor } from '../../../src/report/redact';
import { renderText } from '../../../src/report/text';
import { expectValidReport } from '../../helpers/schema';
import { syntheticRun } from './synthetic';

const SECRET = {
  user: 'h.tanaka',
  host: 'WS-TANAKA-0421',
  home: '/home/h.tanaka',
  winHome: 'C:\\Users\\h.tanaka',
  lan: '192.168.1.23',
  router: '10.20.30.40',
  linkLocal: 'fe80::1c2b:3aff:fe4d:5e6f',
  publicOwn: '198.51.100.77',
};

async function sensitiveReport(): Promise<Report> {
  const { run, pool } = await syntheticRun({ platform: 'linux', os: { hostname: SECRET.host, userName: SECRET.user } });
  const report = buildReport(run, { lang: 'en', version: 't', contact: 'IT desk', pool, reportId: 'a1b2c3d4-0000-4000-8000-000000000000' });
  // What real runs put in the trail and evidence: paths under the home folder, the LAN, the router.
  return {
    ...report,
    trail: [
      ...report.trail,
      `ca-file: ${SECRET.home}/Downloads/corp-root.pem`,
      `ca-file: ${SECRET.winHome}\\Desktop\\corp-root.pem`,
      `dns config: nameserver ${SECRET.router}; interface ${SECRET.linkLocal}%en0`,
      `local address ${SECRET.lan}:53122 (public ${SECRET.publicOwn})`,
      `user ${SECRET.user} on ${SECRET.host.toLowerCase()}.corp.example.com`,
    ],
    checks: report.checks.map((c) => (c.id === 'network.reach' ? { ...c, evidence: { ...c.evidence, note: `bound to ${SECRET.lan}`, profile: `${SECRET.home}/.cisco/profile.xml` } } : c)),
  };
}

function allFormats(r: Report): Record<string, string> {
  return {
    text: renderText(r, { color: false, width: 100 }),
    markdown: renderMarkdown(r),
    html: renderHtml(r),
    json: toJson(r),
  };
}

describe('--redact', () => {
  test('none of the redacted values appears in any format', async () => {
    const original = await sensitiveReport();
    // The unredacted report does hold them all (so this test can fail).
    const plain = allFormats(original).json;
    for (const v of [SECRET.user, SECRET.host, SECRET.home, SECRET.lan, SECRET.router, SECRET.linkLocal]) expect(plain).toContain(v.replace(/\\/g, '\\\\'));
    const redacted = new Redactor({ userNames: [SECRET.user], hostnames: [SECRET.host], homeDirs: [SECRET.home], localAddresses: [SECRET.lan, SECRET.publicOwn], caseInsensitive: false }).redact(original);
    expectValidReport(JSON.parse(toJson(redacted)));
    expect(redacted.redacted).toBe(true);
    expect(redacted.machine).toMatchObject({ userName: '[user]', hostname: '[computer]' });
    for (const [format, out] of Object.entries(allFormats(redacted))) {
      for (const [what, v] of Object.entries(SECRET)) {
        expect([format, what, out.toLowerCase().includes(v.toLowerCase())]).toEqual([format, what, false]);
        expect([format, what, out.includes(v.replace(/\\/g, '\\\\'))]).toEqual([format, what, false]);
      }
      expect(out).toContain(format === 'json' ? '"redacted": true' : 'local network addresses are hidden');
    }
  });

  test('the gateway, its addresses and the certificates stay; same value, same placeholder', async () => {
    const original = await sensitiveReport();
    const redacted = new Redactor({ userNames: [SECRET.user], hostnames: [SECRET.host], homeDirs: [SECRET.home], localAddresses: [SECRET.lan], caseInsensitive: false }).redact(original);
    const json = toJson(redacted);
    expect(json).toContain('vpn.example.com');
    expect(json).toContain('203.0.113.10');
    expect(redacted.certificates).toEqual(original.certificates);
    expect(redacted.path).toEqual(original.path);
    // 192.168.1.23 gets one placeholder wherever it appears (which one depends on where it
    // is met first); the router gets a different one.
    const trail = redacted.trail.join('\n');
    const lan = /local address (\[address(?:-\d+)?\]):53122/.exec(trail)?.[1];
    const router = /nameserver (\[address(?:-\d+)?\])/.exec(trail)?.[1];
    expect(lan).toBeDefined();
    expect(router).toBeDefined();
    expect(router).not.toBe(lan);
    expect((redacted.checks.find((c) => c.id === 'network.reach')!.evidence as { note: string }).note).toBe(`bound to ${lan}`);
    expect(trail).toContain('ca-file: [home]/Downloads/corp-root.pem');
    expect(trail).toContain('user [user] on [computer].corp.example.com');
    // The HTML and Markdown say the report is redacted.
    expect(renderMarkdown(redacted)).toContain('User name, computer name, home folders and local network addresses are hidden');
  });

  test('generic account names (root, admin) are not words to hide: the report stays readable', async () => {
    const { run, pool } = await syntheticRun({ os: { userName: 'root', hostname: 'localhost' } });
    const report = buildReport(run, { lang: 'en', version: 't', contact: null, pool });
    const redacted = new Redactor({ userNames: ['root'], hostnames: ['localhost'], homeDirs: ['/root'], localAddresses: [], caseInsensitive: false }).redact(report);
    expect(renderMarkdown(redacted)).toContain('Example Corp Root CA · root');
    expect(redacted.machine.userName).toBe('[user]');
  });

  test('on Windows, user names and home folders match without case', async () => {
    const original = await sensitiveReport();
    const redacted = new Redactor({ userNames: ['H.TANAKA'], hostnames: [SECRET.host], homeDirs: ['c:\\users\\H.Tanaka'], localAddresses: [], caseInsensitive: true }).redact(original);
    expect(toJson(redacted).toLowerCase()).not.toContain('tanaka');
  });
});
