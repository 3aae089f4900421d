/**
 * Target ansible-core versions. Settings name a release line ("2.14" .. "2.19") or an exact release
 * ("2.17.5"). A bare line means its newest patch release, since that is what users of the line run;
 * so "2.17" already has the 2.17.5 behaviour.
 */

export const DEFAULT_CORE_VERSION = '2.19';
export const SUPPORTED_CORE_LINES = ['2.14', '2.15', '2.16', '2.17', '2.18', '2.19'] as const;

export interface CoreVersion {
  major: number;
  minor: number;
  /** Infinity when only the line was given */
  patch: number;
}

const parsed = new Map<string, CoreVersion>();

export function parseCoreVersion(version: string | undefined): CoreVersion {
  const key = version ?? DEFAULT_CORE_VERSION;
  let v = parsed.get(key);
  if (!v) {
    v = parseUncached(key);
    if (parsed.size < 100) parsed.set(key, v);
  }
  return v;
}

function parseUncached(version: string): CoreVersion {
  const m = /^\s*(\d+)\.(\d+)(?:\.(\d+))?/.exec(version);
  if (!m) return parseUncached(DEFAULT_CORE_VERSION);
  return { major: Number(m[1]), minor: Number(m[2]), patch: m[3] === undefined ? Infinity : Number(m[3]) };
}

/** true when `version` is at least `than` ("2.17.5", "2.16") */
export function coreAtLeast(version: string | undefined, than: string): boolean {
  const a = parseCoreVersion(version);
  const b = parseCoreVersion(than);
  const bPatch = b.patch === Infinity ? 0 : b.patch;
  if (a.major !== b.major) return a.major > b.major;
  if (a.minor !== b.minor) return a.minor > b.minor;
  return a.patch >= bPatch;
}
