/**
 * The live checklist on a terminal: every check is listed at once, and each line is
 * rewritten in place with its result and time as the check finishes (in any order).
 */
import { LiveChecklist } from '../../../src/report/live';
import { truncateDisplay, wrap } from '../../../src/report/text';
import { installDirOf } from '../../../src/install-dir';

test('each check ticks in place, with its status and time', () => {
  let screen = '';
  const live = new LiveChecklist({ write: (s: string) => (screen += s) }, ['dns.resolve', 'network.reach', 'cert.trust'], 'en', { color: false, width: 100 });
  live.start('vpn-preflight · Checking vpn.example.com:443');
  expect(screen.split('\n').map((l) => l.trimEnd())).toEqual(['vpn-preflight · Checking vpn.example.com:443', '', '  … Gateway name lookup (DNS)', '  … Connection to the gateway', '  … Trusted by this computer', '']);
  screen = '';
  live.update({ id: 'cert.trust', status: 'fail', reason: 'unknown-root', summary: { key: 'cert.no-certificate' }, durationMs: 312 });
  // Up one line from the bottom (the last check), rewrite it, come back down.
  expect(screen).toMatch(/^\x1b\[1A\r\x1b\[2K {2}✖ Trusted by this computer +fail · 312 ms\x1b\[1B\r$/);
  screen = '';
  live.update({ id: 'dns.resolve', status: 'pass', reason: 'resolved', summary: { key: 'cert.no-certificate' }, durationMs: 18 });
  expect(screen).toMatch(/^\x1b\[3A\r\x1b\[2K {2}✔ Gateway name lookup \(DNS\) +pass · 18 ms\x1b\[3B\r$/);
});

test('the install folder: the binary’s for a single executable, dist/ otherwise', () => {
  expect(installDirOf({ isSea: true, execPath: '/opt/tools/vpn-preflight', scriptFile: '/snapshot/cli.js' })).toBe('/opt/tools');
  expect(installDirOf({ isSea: false, execPath: '/usr/bin/node', scriptFile: '/home/u/vpn-preflight/dist/cli.js' })).toBe('/home/u/vpn-preflight/dist');
});

test('Japanese lines are cut and wrapped by their width on screen (two columns a character)', () => {
  expect(truncateDisplay('証明書の有効期限切れです', 9)).toBe('証明書の…');
  expect(truncateDisplay('short', 9)).toBe('short');
  expect(wrap('ゲートウェイの証明書は有効期限切れです', 20)).toEqual(['ゲートウェイの証明書', 'は有効期限切れです']);
});
