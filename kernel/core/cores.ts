import * as os from 'os';

/**
 * The cores this process may use: the default thread budget of a run and the default number
 * of local sweep workers. availableParallelism respects CPU affinity (taskset, cgroups), which
 * os.cpus().length does not.
 */
export function cores(): number {
  return os.availableParallelism();
}
