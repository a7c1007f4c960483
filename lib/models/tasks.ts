import type { StreamSeed } from "../random/stream";
import { task } from "../parallel/pool";
import { Stream } from "../random/stream";
import { teacherStudentData, TeacherStudentSgd, type TeacherStudentData } from "./teacher-student";
import { GaussianRbm, latticeFieldData, latticeModes, rbmModeDiagonal } from "./gaussian-rbm";
import { requireInteger } from "../util/validate";
import { degeneratePairs, levelsByTarget } from "../rmt/degenerate-pairs";

/**
 * Work items for lib/parallel: blocks of independent training runs of the two models of notebook
 * 09, so that ensembles of hundreds of runs use every core. A block carries the data's recipe
 * (rebuilt, bit for bit, in each worker from `dataSeed`), the hyperparameters, and the random
 * streams of its runs: run i of a block uses Stream(seed, first + i). The result is therefore the
 * same whatever the number of workers or the size of the blocks.
 */
export interface TeacherStudentSpec {
  inputs: number;
  outputs: number;
  samples: number;
  target: number[];
  noise: number;
  dataSeed: number;
}

/** A block of runs of an ensemble: stream indices first … first + count − 1 (see runBlocks). */
export interface RunBlock {
  alpha: number;
  batch: number;
  /** SGD steps per run. */
  steps: number;
  /** Stream family: a root seed or a `Stream.path(seed, name)`; run i draws from `new Stream(seed, index)`. */
  seed: StreamSeed;
  /** Index of the block's first run (its stream index). */
  first: number;
  count: number;
  /** Also record the spectrum after each of these step counts (ascending, ≤ steps). */
  checkpoints?: number[];
  /** Also return each run's final weights (e.g. to branch new runs from a trained state). */
  keepWeights?: boolean;
  /**
   * Train by Langevin dynamics at this temperature instead of minibatch SGD/PCD (the model's
   * `langevin` option; notebook 09's falsified setting "langevin"). Default: SGD/PCD.
   */
  langevin?: number;
}

/**
 * What a spectrum task returns per block: each run's learned spectrum (and its history at the
 * checkpoints), and the same runs read as uncoupled levels.
 */
export interface RunSpectra {
  /** The final spectrum of each run (ascending eigenvalues of WᵀW). */
  spectra: number[][];
  /** spectra at each checkpoint: [run][checkpoint][level]. */
  history: number[][][];
  /**
   * The same runs' levels without their mutual coupling: the diagonal of WᵀW in the target's
   * eigenbasis, in the order of the sorted target, each degenerate pair ascending (what first-order
   * perturbation theory of non-degenerate levels calls the levels; notebook 09's falsified setting
   * "uncorrelated-levels" reads these instead of `spectra`). Both readings come from every run, so
   * that the two settings share their runs (and a stored ensemble).
   */
  diagonals: number[][];
  /** diagonals at each checkpoint: [run][checkpoint][level]. */
  diagonalHistory: number[][][];
  /** Final weights of each run, row-major, when keepWeights is set. */
  weights?: number[][];
}

// Each worker rebuilds a data set once per recipe.
const cache = new Map<string, unknown>();
function cached<T>(key: object, make: () => T): T {
  const k = JSON.stringify(key);
  if (!cache.has(k)) {
    if (cache.size > 8) cache.clear();
    cache.set(k, make());
  }
  return cache.get(k) as T;
}

/** The teacher–student data set of a spec, drawn from its own `dataSeed` (the same on every worker). */
export function teacherStudentDataOf(spec: TeacherStudentSpec): TeacherStudentData {
  return cached(spec, () => teacherStudentData({ ...spec, stream: new Stream(spec.dataSeed, 0) }));
}

type Run = { run(steps: number): unknown; spectrum(): Float64Array; readonly w: Float64Array };

function runBlock<R extends Run>(
  block: RunBlock,
  makeRun: (stream: Stream) => R,
  diagonal: (m: R) => Float64Array,
): RunSpectra {
  requireInteger("count", block.count, 1);
  requireInteger("steps", block.steps, 0);
  const cps = block.checkpoints ?? [];
  cps.forEach((c, i) => {
    if (!(Number.isInteger(c) && c >= (i ? cps[i - 1] : 0) && c <= block.steps))
      throw new RangeError(`checkpoints must be ascending integers in [0, steps], got ${cps.join(", ")}`);
  });
  const spectra: number[][] = [],
    history: number[][][] = [],
    diagonals: number[][] = [],
    diagonalHistory: number[][][] = [],
    weights: number[][] = [];
  for (let r = 0; r < block.count; r++) {
    const stream = new Stream(block.seed, block.first + r);
    const m = makeRun(stream);
    const h: number[][] = [],
      hd: number[][] = [];
    let done = 0;
    for (const c of cps) {
      m.run(c - done);
      done = c;
      h.push(Array.from(m.spectrum()));
      hd.push(Array.from(diagonal(m)));
    }
    m.run(block.steps - done);
    spectra.push(Array.from(m.spectrum()));
    diagonals.push(Array.from(diagonal(m)));
    history.push(h);
    diagonalHistory.push(hd);
    if (block.keepWeights) weights.push(Array.from(m.w));
  }
  return block.keepWeights
    ? { spectra, history, diagonals, diagonalHistory, weights }
    : { spectra, history, diagonals, diagonalHistory };
}

/** Teacher–student runs, each from the teacher W* (the exact minimum) with its own minibatches. */
export function teacherStudentRuns(o: RunBlock & { spec: TeacherStudentSpec }): RunSpectra {
  const data = teacherStudentDataOf(o.spec);
  return runBlock(
    o,
    (stream) => new TeacherStudentSgd(data, o.alpha, o.batch, stream, { langevin: o.langevin }),
    (m) => levelsByTarget(m.modeDiagonal(), data.levels),
  );
}

/**
 * What `teacherStudentGapRuns` returns: per run, the exact gaps of the degenerate pairs and their
 * first-order values.
 */
export interface PairGaps {
  /** Per run and pair (in the order of `pairs`): the exact gap x_{p+1} − x_p of WᵀW. */
  exact: number[][];
  /** Per run and pair: the first-order gap of the same run (`TeacherStudentSgd.firstOrderGap`). */
  first: number[][];
}

/**
 * Teacher–student runs that record, for each degenerate pair of the target, the exact gap and the
 * first-order gap of the same final weights: their paired difference measures the second-order
 * correction δ(x*) (`pairSpacingCorrection`) with far less noise than the gap itself. `langevin`
 * as for `teacherStudentRuns`. `levels`: "eigenvalues" (default) or "diagonal", the uncoupled levels
 * of `RunSpectra.diagonals` (the "exact gap" is then that of the levels as read). Errors: a
 * RangeError for another `levels`.
 */
export function teacherStudentGapRuns(
  o: RunBlock & { spec: TeacherStudentSpec; levels?: "eigenvalues" | "diagonal" },
): PairGaps {
  requireInteger("count", o.count, 1);
  if (o.levels !== undefined && o.levels !== "eigenvalues" && o.levels !== "diagonal")
    throw new RangeError(`levels must be "eigenvalues" or "diagonal", got "${String(o.levels)}"`);
  const data = teacherStudentDataOf(o.spec);
  const pairs = degeneratePairs(data.target);
  const exact: number[][] = [],
    first: number[][] = [];
  for (let r = 0; r < o.count; r++) {
    const m = new TeacherStudentSgd(data, o.alpha, o.batch, new Stream(o.seed, o.first + r), {
      langevin: o.langevin,
    }).run(o.steps);
    const x = o.levels === "diagonal" ? levelsByTarget(m.modeDiagonal(), data.levels) : m.spectrum();
    exact.push(pairs.map((p) => x[p + 1] - x[p]));
    first.push(pairs.map((p) => m.firstOrderGap(data.target[p])));
  }
  return { exact, first };
}

/** A Gaussian RBM on the lattice scalar field as plain data, for worker tasks. */
export interface RbmSpec {
  sites: number;
  mass2: number;
  mu2: number;
  samples: number;
  dataSeed: number;
  /** Hidden units (default: sites). */
  hidden?: number;
  /** Scale of the Marchenko–Pastur initialisation (default 1). */
  initScale?: number;
  gibbs?: number;
}

/**
 * The lattice-field training data of an RBM spec, drawn from its own `dataSeed` (the same on every
 * worker).
 */
export function rbmDataOf(spec: RbmSpec): Float64Array {
  return cached({ sites: spec.sites, mass2: spec.mass2, samples: spec.samples, dataSeed: spec.dataSeed }, () =>
    latticeFieldData(spec.sites, spec.mass2, spec.samples, new Stream(spec.dataSeed, 0)),
  );
}

/**
 * Gaussian-RBM runs on the lattice-field data: each from its own Marchenko–Pastur initialisation
 * (drawn from the run's stream), or from `initWeights` when given (e.g. a trained state, or
 * alignedRbmWeights), with its own minibatches and persistent chains (or Langevin steps, with
 * `langevin`). Its `diagonals` are the diagonal of WWᵀ in the lattice modes' basis
 * (`rbmModeDiagonal`) in the order of the sorted target μ² − κ.
 */
export function rbmRuns(o: RunBlock & { spec: RbmSpec; initWeights?: number[] }): RunSpectra {
  const data = rbmDataOf(o.spec);
  const hidden = o.spec.hidden ?? o.spec.sites;
  const target = Array.from(latticeModes(o.spec.sites, o.spec.mass2).kappa, (k) => o.spec.mu2 - k);
  return runBlock(
    o,
    (stream) =>
      new GaussianRbm({
        visible: o.spec.sites,
        hidden,
        mu2: o.spec.mu2,
        data,
        alpha: o.alpha,
        batch: o.batch,
        stream,
        gibbs: o.spec.gibbs,
        initScale: o.spec.initScale ?? 1,
        initWeights: o.initWeights,
        langevin: o.langevin,
      }),
    (m) => levelsByTarget(rbmModeDiagonal(m.w, o.spec.sites, hidden, o.spec.mass2), target),
  );
}

/**
 * Splits `runs` runs into blocks of at most `size` (default 25) for parallelMap; their stream
 * indices are first, first + 1, … (default first = 0). Give each ensemble of a notebook its own
 * stream family through `base.seed = Stream.path(seed, name)` rather than its own index range.
 * Errors: a RangeError for non-integer or non-positive sizes.
 */
export function runBlocks<T extends object>(
  base: T & Omit<RunBlock, "first" | "count">,
  runs: number,
  o: { size?: number; first?: number } = {},
): (T & RunBlock)[] {
  const size = o.size ?? 25,
    first = o.first ?? 0;
  requireInteger("runs", runs, 1);
  requireInteger("first", first, 0);
  requireInteger("block size", size, 1);
  const out: (T & RunBlock)[] = [];
  for (let k = 0; k < runs; k += size) out.push({ ...base, first: first + k, count: Math.min(size, runs - k) });
  return out;
}

/** Worker-task handles for `parallelMap`, one per task above. */
export const teacherStudentTask = task("models/tasks", teacherStudentRuns);
/** Worker-task handle of `rbmRuns`. */
export const rbmTask = task("models/tasks", rbmRuns);
