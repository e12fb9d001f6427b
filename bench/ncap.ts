/**
 * Episodes per second of the 6-link swimmer (MuJoCo WebAssembly) with the NCAP controller:
 * 1000 control steps = 15,000 physics steps per episode, random starts, weights +1/−1. On one
 * thread (in-process) and on one worker thread per core. Target: ≥ 10 episodes/s per core.
 *
 * Wall-clock rates are what a run sees; "per CPU-second" divides by the CPU time the process
 * (all its threads) used, which stays meaningful on a machine shared with other work.
 *
 *   npm run bench -- ncap [episodes per round, default 40] [rounds, default 3]
 */
import { cores } from '../kernel/core/cores';
import { episodeRunner } from '../kernel/models/ncap/pool';
import type { ControllerSpec, EpisodeTask } from '../kernel/models/ncap/episode';
import { median, printTable, writeResults, type Row } from './_table';

const episodes = Number(process.argv[2] ?? 40);
const rounds = Number(process.argv[3] ?? 3);
const ncap: ControllerSpec = { kind: 'ncap', shared: true, signed: true, period: 60 };
const cpuSeconds = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

async function measure(workers: number): Promise<Row> {
  const runner = episodeRunner(workers);
  const tasks = (round: number): EpisodeTask[] => Array.from({ length: episodes }, (_, i) => ({ controller: ncap, links: 6, params: [1, 1, 1, -1], seed: 1000 * round + i, steps: 1000 }));
  const wall: number[] = [], perCpu: number[] = [];
  let meanReturn = 0;
  try {
    await runner.run(tasks(99).slice(0, workers)); // load MuJoCo in every thread, compile the model
    for (let r = 0; r < rounds; r++) {
      const [t0, c0] = [performance.now(), cpuSeconds()];
      const out = await runner.run(tasks(r));
      const [dt, dc] = [(performance.now() - t0) / 1000, cpuSeconds() - c0];
      wall.push(episodes / dt);
      perCpu.push(episodes / dc);
      meanReturn = out.reduce((s, o) => s + o.return, 0) / out.length;
    }
  } finally {
    await runner.close();
  }
  const w = median(wall);
  return { workers, 'episodes/s': w, 'episodes/s per core': w / workers, 'episodes per CPU-second': median(perCpu), 'physics steps/s': w * 15000, 'mean return': meanReturn };
}

async function main() {
  const rows = [await measure(1)];
  if (cores() > 1) rows.push(await measure(cores()));
  printTable(`6-link swimmer + NCAP, ${episodes} episodes × ${rounds} rounds (median); target ≥ 10 episodes/s per core`, rows);
  writeResults('ncap', { episodes, rounds, cores: cores(), rows });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
