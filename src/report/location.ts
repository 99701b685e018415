import * as path from 'node:path';

/** What choosing a report folder may look at. */
export interface LocationInputs {
  readonly platform: NodeJS.Platform;
  readonly homeDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly tmpDir: string;
  /** Contents of ~/.config/user-dirs.dirs on Linux (localized Desktop names), or null. */
  readonly xdgUserDirs: string | null;
}

/**
 * Where the default report file goes, best first; the caller takes the first folder
 * it can write to. A person who is not technical finds a file on the Desktop (and a
 * helpdesk can say "it is on your Desktop"); when there is none, Downloads, where
 * files from e-mail land; then the current folder, then the temporary folder.
 * Windows keeps the Desktop under OneDrive when folder backup is on; Linux desktops
 * name it in the user's language (~/デスクトップ), as user-dirs.dirs records.
 * `override` (config file `reportDir`, or VPN_PREFLIGHT_REPORT_DIR) replaces the list.
 */
export function reportDirCandidates(inputs: LocationInputs, override: string | null): string[] {
  if (override) return [override];
  const home = inputs.homeDir;
  const out: string[] = [];
  if (home) {
    if (inputs.platform === 'win32') {
      const oneDrive = inputs.env.OneDrive ?? inputs.env.OneDriveConsumer ?? inputs.env.OneDriveCommercial;
      if (oneDrive) out.push(path.win32.join(oneDrive, 'Desktop'));
      out.push(path.win32.join(home, 'Desktop'), path.win32.join(home, 'Downloads'));
    } else if (inputs.platform === 'linux') {
      const xdg = parseUserDirs(inputs.xdgUserDirs ?? '', home);
      out.push(xdg.XDG_DESKTOP_DIR ?? path.join(home, 'Desktop'), xdg.XDG_DOWNLOAD_DIR ?? path.join(home, 'Downloads'));
    } else {
      out.push(path.join(home, 'Desktop'), path.join(home, 'Downloads'));
    }
  }
  out.push(inputs.cwd, inputs.tmpDir);
  return [...new Set(out)].filter((d) => d.length > 0);
}

/** XDG_*_DIR="$HOME/…" lines of user-dirs.dirs, with $HOME expanded. */
export function parseUserDirs(text: string, home: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(XDG_[A-Z]+_DIR)\s*=\s*"([^"]*)"\s*$/.exec(line);
    if (!m) continue;
    const value = m[2]!.replace(/^\$HOME(?=\/|$)/, home);
    // "$HOME/" alone means the feature is off: the home folder itself is not a Desktop.
    if (path.isAbsolute(value) && path.resolve(value) !== path.resolve(home)) out[m[1]!] = value;
  }
  return out;
}

/**
 * `vpn-preflight-<gateway>-<yyyymmdd-hhmmss>.html`, in local time (what the user's
 * clock showed), with only characters every file system accepts.
 */
export function reportFileName(gateway: string, at: Date, ext: string): string {
  const safe = gateway.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'gateway';
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
  return `vpn-preflight-${safe}-${stamp}.${ext}`;
}
