// Long ensembles that `npm run sweep -- --ensemble NAME` can split into shards (here or as Slurm
// array tasks). An ensemble is a typed lib/parallel task over blocks of runs whose run i draws from
// the stream (seed path, i): any split into shards and blocks gives the same runs, bit for bit, so
// the merge is the ensemble a single machine would have computed.
import { Stream } from "../../lib/random";
import { rbmRuns, rbmTask, latticeModes, pcdGaussianSpectra } from "../../lib/models";
import type { RunSpectra, RbmSpec } from "../../lib/models";
import { degeneratePairs, pairSpacingsAndGap } from "../../lib/rmt";
import { replicateMean } from "../../lib/stats";
import type { Task } from "../../lib/parallel";

/** One shardable ensemble. */
export interface EnsembleDefinition<I> {
  name: string;
  /** One line for --ensemble help. */
  describe: string;
  /** The typed worker task of a block of runs. */
  task: Task<I, RunSpectra>;
  /** Shared set-up computed once per process (for instance the parent state runs branch from). */
  setup(seed: number): unknown;
  /** The input of runs first … first + count − 1. */
  block(seed: number, first: number, count: number, setup: unknown): I;
  /** Deterministic statistics of all spectra, in run order. */
  summarize(spectra: number[][], seed: number): Record<string, unknown>;
}

// Notebook 09's RBM set-up at its largest α/|B| (α = 0.02, |B| = 32): runs branch from one parent
// trained for 15 000 steps and train for time 12 (600 steps).
const rbmSpec: RbmSpec = { sites: 10, mass2: 1, mu2: 8, samples: 4096, dataSeed: 3 };
const wall = { alpha: 0.02, batch: 32, steps: 600 };

function rbmWallSummary(spectra: number[][], seed: number): Record<string, unknown> {
  const modes = latticeModes(rbmSpec.sites, rbmSpec.mass2);
  const target = Array.from(modes.kappa, (k) => rbmSpec.mu2 - k).sort((a, b) => a - b);
  const pairs = degeneratePairs(target);
  const stats = (e: ArrayLike<number>) => pairSpacingsAndGap(e, pairs);
  const names = [...pairs.map((p) => `S(x*=${target[p].toFixed(2)})`), "G"];
  const data = replicateMean(spectra.map(stats));
  const setup = {
    kappa: modes.kappa,
    mu2: rbmSpec.mu2,
    alpha: wall.alpha,
    batch: wall.batch,
    samples: rbmSpec.samples,
  };
  const model = replicateMean(pcdGaussianSpectra(setup, 40_000, Stream.named(seed, "sweep/rbm-wall/model")).map(stats));
  const blocks = replicateMean(
    pcdGaussianSpectra(setup, 40_000, Stream.named(seed, "sweep/rbm-wall/blocks"), "blocks").map(stats),
  );
  const row = (i: number) => ({
    measured: data.value[i],
    se: data.se[i],
    coupledModel: model.value[i],
    coupledModelSe: model.se[i],
    independentBlocks: blocks.value[i],
    z: (data.value[i] - model.value[i]) / Math.hypot(data.se[i], model.se[i]),
  });
  return {
    runs: spectra.length,
    alpha: wall.alpha,
    batch: wall.batch,
    statistics: Object.fromEntries(names.map((n, i) => [n, row(i)])),
  };
}

type RbmInput = Parameters<typeof rbmRuns>[0];

/** The wall pair of notebook 09 with many more runs: the coupled model tested at sub-percent precision. */
export const rbmWall: EnsembleDefinition<RbmInput> = {
  name: "rbm-wall",
  describe:
    "notebook 09's Gaussian RBM at α = 0.02, |B| = 32 (600 steps from a common parent): the four pairs' spacings and the gap G against the linear PCD model",
  task: rbmTask,
  setup(seed) {
    const parent = rbmRuns({
      spec: rbmSpec,
      alpha: 0.01,
      batch: 32,
      steps: 15_000,
      seed: Stream.path(seed, "sweep/rbm-wall/parent"),
      first: 0,
      count: 1,
      keepWeights: true,
    });
    return parent.weights![0];
  },
  block(seed, first, count, setup) {
    return {
      spec: rbmSpec,
      alpha: wall.alpha,
      batch: wall.batch,
      steps: wall.steps,
      seed: Stream.path(seed, "sweep/rbm-wall/runs"),
      first,
      count,
      initWeights: setup as number[],
    };
  },
  summarize: rbmWallSummary,
};

/** Every ensemble by name. */
export const ENSEMBLES: Record<string, EnsembleDefinition<RbmInput>> = { [rbmWall.name]: rbmWall };
