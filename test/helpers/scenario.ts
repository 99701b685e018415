/**
 * Glue for end-to-end scenarios: write certificates to a temp folder, start a gateway,
 * run the CLI with a truthful local NTP server, and return the parsed JSON report.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { jsonOf, runCli, type CliOptions, type CliResult } from './cli';
import type { Issued } from './pki';
import { expectValidReport } from './schema';

export function tempDir(prefix = 'vpf-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Writes PEM certificates to a file and returns its path. */
export function pemFile(dir: string, name: string, ...certs: Issued[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, certs.map((c) => c.pem).join(''));
  return file;
}

export interface Diagnosis {
  readonly result: CliResult;
  readonly report: Record<string, any>;
}

/** Runs `vpn-preflight <gateway> --json …` and validates the report against the schema. */
export async function diagnoseJson(gateway: string, args: readonly string[], opts: CliOptions = {}): Promise<Diagnosis> {
  const result = await runCli([gateway, '--json', '--no-report', ...args], opts);
  const report = jsonOf(result);
  expectValidReport(report);
  return { result, report };
}
