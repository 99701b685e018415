/**
 * --timeout bounds the program's own work: the time a person takes to answer a question
 * does not count against it.
 */
import { linuxAdapter } from '../../platform/linux';
import { runApp } from '../../src/app';
import { parseArgs } from '../../src/options';
import { check } from '../helpers/cli';
import { standardChain } from '../helpers/pki';
import { pemFile, tempDir } from '../helpers/scenario';
import { expectValidReport } from '../helpers/schema';
import { Servers, startNtpServer, startTlsServer } from '../helpers/servers';
import { fakeDeps } from '../unit/anyconnect/fixtures';

const servers = new Servers();
const dir = tempDir('vpf-time-limit-');
afterAll(() => servers.closeAll());

test('the time a person takes to type the gateway does not shorten the run', async () => {
  const { root, intermediate, leaf } = standardChain('localhost');
  const port = servers.track(await startTlsServer({ key: leaf.keyPem, chain: [leaf, intermediate] })).port;
  // A time server that never answers: asking it takes its own bound (3 s), well inside the limit.
  const ntp = servers.track(await startNtpServer({ behaviour: 'silent' }));
  const parsed = await parseArgs(['--json', '--no-report', '--ca-file', pemFile(dir, 'root.pem', root), '--ntp-server', `127.0.0.1:${ntp.port}`, '--timeout', '10'], {
    env: { LANG: 'en_US.UTF-8' },
    stdoutIsTty: false,
    version: '0.0.0',
    intlLocale: 'en-US',
  });
  // The program's clock: start-up took 0.1 s, then the person took 9.8 s of the 10 s to answer.
  let sinceStart = 100;
  let out = '';
  await runApp(parsed.options!, '0.0.0', {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: () => true },
    platform: 'linux',
    adapter: linuxAdapter(fakeDeps({})),
    sinceStartMs: () => sinceStart,
    prompt: async () => {
      sinceStart += 9_800;
      return `localhost:${port}`;
    },
  });
  const report = JSON.parse(out) as Record<string, any>;
  expectValidReport(report);
  // Before, the run had 0.2 s left and was cut short while the time server was still being asked.
  expect(report.complete).toBe(true);
  expect(check(report, 'clock.offset')).toMatchObject({ status: 'warn', reason: 'ntp-unreachable' });
  expect(check(report, 'cert.trust')).toMatchObject({ status: 'pass' });
});
