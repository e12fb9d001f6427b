import * as os from 'os';
import * as path from 'path';

/**
 * A path as a spec means it, made absolute: `~` is the home folder (YAML and JSON do not
 * expand it) and a relative path is relative to `baseDir` (for a run: the spec file's folder).
 */
export function resolveUserPath(p: string, baseDir = process.cwd()): string {
  return path.resolve(baseDir, p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p);
}
