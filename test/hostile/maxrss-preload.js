// Loaded with `node --require` in front of the CLI by the hostile-peer tests: writes the
// process's peak resident memory (KiB) to the file named in VPF_TEST_MAXRSS_FILE when it
// exits. VmHWM of /proc/self/status, not getrusage: on Linux ru_maxrss survives exec, so it
// would count the test runner the process was forked from. Test code only; the product
// never loads it.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');

const file = process.env.VPF_TEST_MAXRSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      const hwm = /^VmHWM:\s*(\d+)\s*kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
      writeFileSync(file, hwm ? hwm[1] : String(process.resourceUsage().maxRSS));
    } catch {
      // the test reports a missing measurement itself
    }
  });
}
