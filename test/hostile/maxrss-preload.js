// Loaded with `node --require` in front of the CLI by the hostile-peer tests: writes the
// process's peak resident memory (getrusage ru_maxrss, KiB) to the file named in
// VPF_TEST_MAXRSS_FILE when it exits. Test code only; the product never loads it.
'use strict';
const { writeFileSync } = require('node:fs');

const file = process.env.VPF_TEST_MAXRSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      writeFileSync(file, String(process.resourceUsage().maxRSS));
    } catch {
      // the test reports a missing measurement itself
    }
  });
}
