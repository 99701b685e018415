import * as path from 'node:path';

export interface InstallDirInputs {
  /** True inside a single executable (node:sea). */
  readonly isSea: boolean;
  /** process.execPath: the binary itself when running as a single executable. */
  readonly execPath: string;
  /** The bundle file that is running (dist/cli.js) when run by node. */
  readonly scriptFile: string;
}

/**
 * The folder the program was delivered in, where a helpdesk puts vpn-preflight.json:
 * the folder of the binary for a single executable, else the folder of dist/cli.js.
 */
export function installDirOf(inputs: InstallDirInputs): string {
  return path.dirname(inputs.isSea ? inputs.execPath : inputs.scriptFile);
}

/** True when running as a Node single executable application (Node 20.12+ can tell). */
export function runningAsSea(): boolean {
  try {
    // node:sea exists from Node 20.12; older runtimes cannot be a SEA of this build anyway.
    const sea = require('node:sea') as { isSea?: () => boolean };
    return typeof sea.isSea === 'function' && sea.isSea();
  } catch {
    return false;
  }
}

/** This process's install folder. In the bundle, __filename is dist/cli.js. */
export function installDir(): string {
  return installDirOf({ isSea: runningAsSea(), execPath: process.execPath, scriptFile: __filename });
}
