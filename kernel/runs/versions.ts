/** Versions recorded with every run, so a result can be traced to the code that made it. */
import pkg from '../../package.json';

export function versions(): Record<string, string> {
  return { neurite: pkg.version, node: process.version, platform: `${process.platform}-${process.arch}` };
}
