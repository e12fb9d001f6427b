/**
 * ncap.swimmer — "Neural circuit architectural priors for embodied control" (Bhattasali,
 * Zador & Engel, NeurIPS 2022), PAPERS.md §3: the C. elegans-inspired NCAP circuit, or an MLP
 * baseline, controlling dm_control's N-link swimmer in DeepMind's MuJoCo, trained by
 * evolution strategies.
 *
 * Method: (1) the body — the N-link swimmer's MJCF generated after dm_control, compiled in
 * MuJoCo (WebAssembly); its swim task rewards forward head speed (0 at ≤ 0, 1 at ≥ 0.1 m/s) at
 * each of 1000 control steps of 0.03 s; (2) the controller — NCAP (4 shared weights, signed,
 * +1/−1) or MLP 64-64 on the same body, wired with the body in closed loop; (3) the return at
 * initialisation over `evaluation.episodes` random starts; (4) ES: antithetic population,
 * rank-centred fitness, clipped gradient, Adam — every member one episode, the episodes spread
 * over worker threads — with the current parameters' return after each generation as the
 * learning curve; (5) the final parameters' return over `evaluation.episodes` starts; (6)
 * NCAP with shared weights, zero-shot on other body lengths; (7) a recorded episode of the
 * best parameters: the pose as a trace and artifacts/trajectory.json.
 */
import { z } from 'zod';
import { mean, variance } from '../core/stats';
import { MAX_LINKS, MIN_LINKS } from '../bodies/swimmer-mjcf';
import { EPISODE_STEPS } from '../bodies/swimmer';
import { defaultThreads } from '../dense/session';
import { initialParameters, parameterCount, runEpisode, type ControllerSpec, type EpisodeTask } from '../models/ncap/episode';
import { evolve } from '../models/ncap/es';
import { BodyCache, episodeRunner } from '../models/ncap/pool';
import { learningCurveTrace, trajectoryOutputs, transferTrace, type CurvePoint } from '../models/ncap/traces';
import type { Experiment, ExperimentResult } from './experiment';
import { defineSpec } from './spec';

const links = z.int().min(MIN_LINKS).max(MAX_LINKS);

export const ncapSpec = defineSpec('ncap.swimmer', {
  body: z
    .strictObject({ links: links.default(6).describe(`Links of the swimmer (${MIN_LINKS}–${MAX_LINKS}); links − 1 actuated joints.`) })
    .prefault({})
    .describe("dm_control's N-link swimmer."),
  controller: z
    .strictObject({
      kind: z.enum(['ncap', 'mlp']).default('ncap').describe('NCAP circuit or MLP baseline.'),
      init: z.enum(['constant', 'random']).default('constant').describe('NCAP: +1/−1 by sign (random ±1 when unsigned), or uniform [0, 1]/[−1, 0] ([−1, 1] unsigned). The MLP is always Xavier-uniform.'),
      shared: z.boolean().default(true).describe('NCAP: one weight per role for every joint (4 parameters) instead of per joint and side (6 per joint).'),
      signs: z.boolean().default(true).describe('NCAP: excitatory weights ≥ 0, inhibitory ≤ 0 (false: the unsigned ablation).'),
      period: z.int().min(2).max(1000).default(60).describe('NCAP: head oscillator period, control steps.'),
      hidden: z.array(z.int().min(1).max(1024)).max(4).default([64, 64]).describe('MLP: hidden layer widths (tanh).'),
    })
    .prefault({}),
  es: z
    .strictObject({
      population: z.int().min(2).max(4096).multipleOf(2).default(16).describe('Members per generation (even: antithetic pairs).'),
      generations: z.int().min(1).max(100_000).default(20),
      sigma: z.number().gt(0).max(10).default(0.02).describe('Perturbation standard deviation.'),
      lr: z.number().gt(0).max(10).default(0.01).describe('Adam learning rate.'),
      weightDecay: z.number().min(0).max(1).default(0.005).describe("L2 weight decay in Adam (the authors' ES script: 0.005)."),
      clip: z.number().gt(0).default(1).describe('Elementwise clip of the search gradient.'),
      evalEpisodes: z.int().min(1).max(100).default(1).describe('Episodes of the current parameters after each generation (the learning curve; the authors: 1).'),
    })
    .prefault({})
    .describe('Evolution strategies (PAPERS.md §3).'),
  episode: z
    .strictObject({ steps: z.int().min(1).max(100_000).default(EPISODE_STEPS).describe('Control steps of 0.03 s per episode (the task: 1000).') })
    .prefault({}),
  evaluation: z
    .strictObject({
      episodes: z.int().min(1).max(1000).default(10).describe('Random starts for the returns at initialisation, at the end, and per transfer body.'),
      transferLinks: z.array(links).max(10).default([4, 5, 6, 7, 8, 9, 10]).describe('Body lengths the trained NCAP is run on, unchanged (shared weights only).'),
      trajectorySteps: z.int().min(0).max(10_000).default(300).describe('Control steps recorded of the best parameters (0: none).'),
      poseEvery: z.int().min(1).max(1000).default(10).describe('Control steps between the drawn poses.'),
    })
    .prefault({}),
  workers: z.int().min(1).max(256).optional().describe('Episode worker threads; default $NEURITE_THREADS, else one per core. Results do not depend on it.'),
});

export type NcapSpec = z.infer<typeof ncapSpec>;

function controllerOf(spec: NcapSpec): ControllerSpec {
  const c = spec.controller;
  return c.kind === 'ncap' ? { kind: 'ncap', shared: c.shared, signed: c.signs, period: c.period } : { kind: 'mlp', hidden: c.hidden };
}

const meanSd = (xs: number[]) => ({ mean: mean(xs), sd: xs.length > 1 ? Math.sqrt(variance(xs)) : 0 });

export const ncapExperiment: Experiment<NcapSpec> = {
  kind: 'ncap.swimmer',
  title: 'NCAP swimmer vs MLP (MuJoCo, evolution strategies)',
  description: "A C. elegans-inspired 4-parameter circuit (or an MLP 64-64) swims dm_control's swimmer in MuJoCo, trained by ES",
  paper: 'PAPERS.md §3 — Bhattasali, Zador & Engel, NeurIPS 2022',
  engine: 'event',
  schema: ncapSpec,
  async run(spec, ctx): Promise<ExperimentResult> {
    // (1–2) Body and controller.
    const N = spec.body.links;
    const controller = controllerOf(spec);
    const label = controller.kind === 'ncap' ? `NCAP${controller.shared ? '' : ' per-joint'}${controller.signed ? '' : ' unsigned'}${spec.controller.init === 'random' ? ' random-init' : ''}` : `MLP ${controller.hidden.join('-')}`;
    const theta0 = initialParameters(controller, spec.controller.init, N, ctx.rng.fork('init'));
    const params = parameterCount(controller, N);
    const workers = spec.workers ?? defaultThreads();
    const runner = episodeRunner(workers, ctx.yieldOrThrowIfCancelled);
    const steps = spec.episode.steps;
    ctx.log(`${label} on a ${N}-link swimmer: ${params} parameters; ES population ${spec.es.population} × ${spec.es.generations} generations; ${workers} episode worker${workers > 1 ? 's' : ''}`);
    const seeds = (label: string, n: number) => {
      const r = ctx.rng.fork(label);
      return Array.from({ length: n }, () => r.next());
    };
    const tasks = (p: ArrayLike<number>, s: number[], links = N): EpisodeTask[] => s.map((seed) => ({ controller, links, params: p, seed, steps }));
    const returns = async (t: EpisodeTask[]) => (await runner.run(t, ctx.signal)).map((o) => o.return);
    const t0 = performance.now();
    let episodes = 0;
    try {
      // (3) Return at initialisation.
      const evalSeeds = seeds('evaluation', spec.evaluation.episodes);
      const atInit = meanSd(await returns(tasks(theta0, evalSeeds)));
      ctx.log(`return at initialisation: ${atInit.mean.toFixed(1)} ± ${atInit.sd.toFixed(1)} (${spec.evaluation.episodes} episodes)`);

      // (4) Evolution strategies.
      const curve: CurvePoint[] = [];
      let best: { value: number; theta: Float64Array; generation: number } = { value: -Infinity, theta: Float64Array.from(theta0), generation: 0 };
      const esRng = ctx.rng.fork('es');
      const theta = await evolve(
        theta0,
        spec.es,
        esRng,
        async (members, g) => {
          const s = seeds(`generation ${g}`, members.length);
          return returns(members.map((m, i) => ({ controller, links: N, params: m, seed: s[i], steps })));
        },
        async ({ generation, returns: pop, theta: th }) => {
          episodes += pop.length;
          const current = mean(await returns(tasks(th, seeds(`curve ${generation}`, spec.es.evalEpisodes))));
          if (current > best.value) best = { value: current, theta: th, generation };
          curve.push({ episodes, current, populationMean: mean(pop), populationMax: Math.max(...pop) });
          ctx.metric(generation, { episodes, current_return: current, population_mean: mean(pop), population_max: Math.max(...pop) }, 'generation');
          ctx.progress(generation / spec.es.generations, `generation ${generation}: return ${current.toFixed(1)}`);
          learningCurveTrace(ctx, label, curve);
          await ctx.yieldOrThrowIfCancelled();
        },
      );
      const trainSeconds = (performance.now() - t0) / 1000;

      // (5) The final parameters.
      const final = meanSd(await returns(tasks(theta, evalSeeds)));
      ctx.log(`final return: ${final.mean.toFixed(1)} ± ${final.sd.toFixed(1)}; best current-θ return ${best.value.toFixed(1)} (generation ${best.generation})`);
      const metrics: Record<string, number> = {
        parameters: params,
        init_return: atInit.mean,
        init_return_sd: atInit.sd,
        final_return: final.mean,
        final_return_sd: final.sd,
        best_curve_return: best.value,
        training_episodes: episodes,
        episodes_per_s: (episodes * (1 + spec.es.evalEpisodes / spec.es.population)) / trainSeconds,
        workers,
      };

      // (6) Zero-shot transfer of a shared-weight NCAP to other body lengths.
      const transfer: { links: number; mean: number; sd: number }[] = [];
      if (controller.kind === 'ncap' && controller.shared) {
        for (const n of spec.evaluation.transferLinks) {
          const r = meanSd(await returns(tasks(theta, evalSeeds, n)));
          transfer.push({ links: n, ...r });
          metrics[`transfer_${n}_links`] = r.mean;
          ctx.log(`transfer to ${n} links: ${r.mean.toFixed(1)} ± ${r.sd.toFixed(1)}`);
        }
        if (transfer.length) transferTrace(ctx, transfer);
      }

      // (7) A recorded episode of the best parameters.
      if (spec.evaluation.trajectorySteps > 0) {
        const bodies = new BodyCache();
        try {
          const task = { controller, links: N, params: best.theta, seed: evalSeeds[0], steps: spec.evaluation.trajectorySteps };
          const rec = runEpisode(task, await bodies.get(N), true);
          trajectoryOutputs(ctx, rec.poses!, spec.evaluation.poseEvery, { controller, params: Array.from(best.theta), seed: task.seed, return: rec.return });
        } finally {
          bodies.dispose();
        }
      }
      return { metrics, result: { controller, label, parameters: params, atInit, final, best: { generation: best.generation, return: best.value, theta: Array.from(best.theta) }, theta: Array.from(theta), curve, transfer } };
    } finally {
      await runner.close();
    }
  },
};
