import { SymmetricEigen } from "../linalg/symmetric-eigen";
import { lyapunovSpectrum, type LyapunovSpectrum } from "../lyapunov/spectrum";
import { kaplanYorkeDimension } from "../lyapunov/kaplan-yorke";
import type { TangentSystem } from "../lyapunov/tangent-system";
import { TanhMlp } from "../models/mlp";
import { allSamples, batchGradient, hessian, loss, type ResidualModel } from "../models/residual-model";
import { buildModel, type ModelSpec } from "../models/spec";
import { task } from "../parallel/pool";
import { drawSubset } from "../random/subset";
import { Stream } from "../random/stream";
import {
  requireAllFinite,
  requireBatchSize,
  requireInteger,
  requireLength,
  requirePositive,
  requireStep,
} from "../util/validate";
import { descentTangent, DivergedError } from "./descent-tangent";
import type { Estimate } from "../stats/estimate";

/** One chaos measurement of GD/SGD on a model: plain data, so that it can run on a worker thread. */
export interface DescentChaosInput {
  model: ModelSpec;
  /** Held-out data for the same network (TanhMlp models only): the test loss along the attractor. */
  test?: { data: number[]; targets: number[] };
  eta: number;
  /** Minibatch size |B| (default N: GD). */
  batch?: number;
  /**
   * The start: a given point (plus N(0, jitter²) noise from the run's stream, default jitter 0; GD
   * runs from one point are copies of each other), or N(0, scale²) weights from the run's stream.
   */
  start: { point: number[]; jitter?: number } | { scale: number };
  /**
   * Optional warm-up before the run: `steps` steps whose η ramps linearly from `from` to eta, so that
   * a run can reach an attractor whose basin a cold start at eta misses (default: none).
   */
  warmup?: { from: number; steps: number };
  /** Number of exponents (default D: the whole spectrum). */
  k?: number;
  /**
   * For large D: start from k exponents and, while their partial sums are all still ≥ 0 (so that
   * D_KY needs an exponent not yet computed), double k (up to D) and measure again with the same
   * streams (default false).
   */
  growK?: boolean;
  /** Averaged steps per run, after the warm-up and after `transient` discarded steps (as in lyapunovSpectrum). */
  steps: number;
  /** Steps discarded before the average. */
  transient: number;
  /**
   * Independent runs (default 1). With one run the exponents' standard errors come from `blocks`
   * consecutive blocks of the averaging window (see lyapunovSpectrum); with several, from their
   * spread. Runs on separate workers are pooled by `poolChaosRuns`.
   */
  runs?: number;
  /** Blocks of a single run (default 32, as in lyapunovSpectrum). */
  blocks?: number;
  /** Record the point every `every` averaging steps (all runs; default: none). */
  sampleEvery?: number;
  /** At this many recorded points (evenly spread), the full Hessian's trace and top eigenvalue (default 0). */
  curvaturePoints?: number;
  /** Running estimates of the exponents to record (default 0; see lyapunovSpectrum). */
  checkpoints?: number;
  /** ‖x‖ above this counts as divergence (default 1e6). */
  maxNorm?: number;
  /** The named stream: run r draws from Stream(seed, index).child("run", r) (run 0: the stream itself). */
  seed: string;
  index: number;
}

/** What `descentChaos` returns. A diverged run leaves every spectrum field empty, never NaN. */
export interface DescentChaosResult {
  eta: number;
  batch: number;
  dim: number;
  /** The first divergence, with its phase and step, or null. */
  diverged: { run: number; phase: "warmup" | "run"; step: number } | null;
  /** λ₁ ≥ … ≥ λ_k, mean over runs, with standard errors (runs − 1 dof, or blocks − 1 for one run). */
  exponents: number[];
  standardErrors: number[];
  dof: number;
  /** Lag-one correlation of λ₁'s block values (one run; near 0 when the blocks are long enough). */
  lag1: number;
  /** Kaplan–Yorke dimension of each run's spectrum (`perRun`), their mean (`value`) and its standard error (`se`). */
  kaplanYorke: Estimate & { perRun: number[] };
  /** The running estimate (see LyapunovSpectrum.running). */
  running: { times: number[]; values: number[] };
  /** Recorded points, row-major (count × D). */
  points: number[];
  count: number;
  /** Mean training loss and held-out loss over the recorded points (NaN without points or test data). */
  trainLoss: number;
  testLoss: number;
  /** Mean trace and top eigenvalue of Hess L over the curvature points (NaN without them). */
  hessianTrace: number;
  sharpness: number;
}

/**
 * The chaos of GD/SGD on a ResidualModel at one step size: the Lyapunov spectrum of the training
 * map x ↦ x − η∇L_B(x), whose Jacobian is I − η Hess L_B (`descentTangent`), over `runs`
 * independent runs; the Kaplan–Yorke dimension of each; points sampled along the attractor (for
 * `correlationDimension` and `informationDimension`); and, along it, the training and held-out
 * losses and the curvature (trace and top eigenvalue of the full Hessian).
 *
 * Errors: RangeErrors naming the parameter for η ≤ 0, k outside 1..D, a negative transient, runs < 1, a bad batch, start or warm-up, and test data for a model that is
 * not a TanhMlp. A divergence is not an error: it is reported in `diverged`.
 */
export function descentChaos(input: DescentChaosInput): DescentChaosResult {
  const model = buildModel(input.model);
  const D = model.dim,
    n = model.n,
    eta = input.eta,
    batch = input.batch ?? n,
    runs = input.runs ?? 1,
    k = input.k ?? D;
  requireStep(eta);
  requireBatchSize(n, batch);
  requireInteger(`k (number of exponents, at most D = ${D})`, k, 1, D);
  requireInteger("steps (averaged, after the transient)", input.steps, 2);
  requireInteger("transient", input.transient, 0);
  requireInteger("runs", runs, 1);
  const every = input.sampleEvery ?? 0;
  requireInteger("sampleEvery", every, 0);
  const nCurv = input.curvaturePoints ?? 0;
  requireInteger("curvaturePoints", nCurv, 0);
  if ("point" in input.start) {
    requireLength("start.point", input.start.point, D);
    requireAllFinite("start.point", input.start.point);
    if (input.start.jitter !== undefined && !(input.start.jitter >= 0))
      throw new RangeError(`start.jitter must be >= 0, got ${input.start.jitter}`);
  } else requirePositive("start.scale", input.start.scale);
  if (input.warmup) {
    requirePositive("warmup.from (η at the start of the warm-up)", input.warmup.from);
    requireInteger("warmup.steps", input.warmup.steps, 1);
  }
  let testModel: ResidualModel | undefined;
  if (input.test) {
    if (!(model instanceof TanhMlp)) throw new RangeError("descentChaos: test data need a TanhMlp model");
    testModel = new TanhMlp(
      model.inputs,
      model.hidden,
      Float64Array.from(input.test.data),
      Float64Array.from(input.test.targets),
    );
  }
  const maxNorm = input.maxNorm ?? 1e6;
  const stream = new Stream(input.seed, input.index);
  let warmupFailure: number | null = null;
  const x0 = (s: Stream): Float64Array => {
    const st = input.start,
      z = s.fillNormal(new Float64Array(D));
    const x =
      "point" in st ? Float64Array.from(st.point, (p, i) => p + (st.jitter ?? 0) * z[i]) : z.map((v) => v * st.scale);
    if (input.warmup) {
      const failed = warmUp(model, x, eta, batch, input.warmup, s.child("warmup"), maxNorm);
      if (failed !== null) {
        warmupFailure = failed;
        throw new DivergedError(failed, `descentChaos: the warm-up diverged at step ${failed}`);
      }
    }
    return x;
  };
  const sys = descentTangent(model, { eta, batch, x0, maxNorm });
  const points: number[] = [];
  let run = -1;
  const recorder: TangentSystem = {
    dim: D,
    dt: 1,
    start(s, basis, kk) {
      run++;
      sys.start(s, basis, kk);
    },
    advance(basis, kk, s) {
      sys.advance(basis, kk, s);
      const t = sys.steps - input.transient;
      if (every > 0 && t > 0 && t % every === 0) for (let i = 0; i < D; i++) points.push(sys.x[i]);
    },
  };
  const empty: DescentChaosResult = {
    eta,
    batch,
    dim: D,
    diverged: null,
    exponents: [],
    standardErrors: [],
    dof: 0,
    lag1: NaN,
    kaplanYorke: { value: NaN, se: NaN, perRun: [] },
    running: { times: [], values: [] },
    points: [],
    count: 0,
    trainLoss: NaN,
    testLoss: NaN,
    hessianTrace: NaN,
    sharpness: NaN,
  };
  let sp: LyapunovSpectrum;
  try {
    for (let kk = k; ; kk = Math.min(D, 2 * kk)) {
      points.length = 0;
      run = -1;
      sp = lyapunovSpectrum(recorder, {
        k: kk,
        steps: input.steps,
        transient: input.transient,
        runs,
        blocks: input.blocks ?? 32,
        stream,
        checkpoints: input.checkpoints,
      });
      if (!input.growK || kk === D || sp.kaplanYorke < kk) break;
    }
  } catch (e) {
    if (!(e instanceof DivergedError)) throw e;
    return warmupFailure !== null
      ? { ...empty, diverged: { run, phase: "warmup", step: warmupFailure } }
      : { ...empty, diverged: { run, phase: "run", step: e.step } };
  }
  const kUsed = sp.exponents.length;
  const perRun = Array.from({ length: runs }, (_, r) =>
    kaplanYorkeDimension(sp.perRun.subarray(r * kUsed, (r + 1) * kUsed)),
  );
  const kyMean = perRun.reduce((a, b) => a + b, 0) / runs;
  const kySe = runs > 1 ? Math.sqrt(perRun.reduce((a, b) => a + (b - kyMean) ** 2, 0) / (runs - 1) / runs) : NaN;
  const count = points.length / D;
  const pts = Float64Array.from(points);
  const at = (i: number) => pts.subarray(i * D, (i + 1) * D);
  let trainLoss = NaN,
    testLoss = NaN,
    trace = NaN,
    sharp = NaN;
  if (count > 0) {
    trainLoss = 0;
    testLoss = testModel ? 0 : NaN;
    for (let i = 0; i < count; i++) {
      trainLoss += loss(model, at(i)) / count;
      if (testModel) testLoss += loss(testModel, at(i)) / count;
    }
  }
  const c = Math.min(nCurv, count);
  if (c > 0) {
    const H = new Float64Array(D * D),
      eig = new SymmetricEigen(D),
      ev = new Float64Array(D);
    trace = 0;
    sharp = 0;
    for (let j = 0; j < c; j++) {
      hessian(model, at(Math.floor(((j + 0.5) * count) / c)), H);
      let tr = 0;
      for (let i = 0; i < D; i++) tr += H[i * D + i];
      eig.values(H, ev, 1e-9);
      trace += tr / c;
      sharp += ev[D - 1] / c;
    }
  }
  return {
    eta,
    batch,
    dim: D,
    diverged: null,
    exponents: Array.from(sp.exponents),
    standardErrors: Array.from(sp.standardErrors),
    dof: sp.dof,
    lag1: sp.lag1,
    kaplanYorke: { value: kyMean, se: kySe, perRun },
    running: { times: Array.from(sp.running.times), values: Array.from(sp.running.values) },
    points,
    count,
    trainLoss,
    testLoss,
    hessianTrace: trace,
    sharpness: sharp,
  };
}

/** GD/SGD with η ramped linearly from w.from to eta over w.steps steps, in place; the failing step or null. */
function warmUp(
  model: ResidualModel,
  x: Float64Array,
  eta: number,
  b: number,
  w: { from: number; steps: number },
  stream: Stream,
  maxNorm: number,
): number | null {
  const n = model.n,
    D = model.dim,
    g = new Float64Array(D),
    scratch = new Float64Array(D);
  const perm = Int32Array.from({ length: n }, (_, i) => i),
    batch = b < n ? perm.subarray(0, b) : allSamples(n);
  for (let t = 0; t < w.steps; t++) {
    const e = w.from + ((eta - w.from) * (t + 1)) / w.steps;
    if (b < n) drawSubset(stream, perm, b);
    batchGradient(model, x, batch, g, scratch);
    let norm2 = 0;
    for (let i = 0; i < D; i++) {
      x[i] -= e * g[i];
      norm2 += x[i] * x[i];
    }
    if (!(norm2 <= maxNorm * maxNorm)) return t + 1;
  }
  return null;
}

/** What `poolChaosRuns` returns. */
export interface PooledChaos {
  /** Runs pooled (diverged ones are counted, not pooled). */
  runs: number;
  diverged: number;
  /** Mean exponents over runs; standard error √(Σ se_r²)/R with Σ dof_r degrees of freedom (independent runs). */
  exponents: number[];
  standardErrors: number[];
  dof: number;
  /** D_KY: mean of the runs' values (`value`), standard error from their spread (`se`, R − 1 dof). */
  kaplanYorke: Estimate & { dof: number; perRun: number[] };
  /** All runs' recorded points, concatenated, and their count. */
  points: Float64Array;
  count: number;
  trainLoss: number;
  testLoss: number;
  hessianTrace: number;
  sharpness: number;
}

/**
 * Pools independent `descentChaos` results of one configuration (e.g. runs r = 0..R−1 computed on
 * separate workers): exponents averaged with their standard errors combined, Kaplan–Yorke's mean
 * and spread over runs, points concatenated, losses and curvature averaged. Diverged runs are left
 * out and counted. Errors: a RangeError if no run is left or the runs differ in size.
 */
export function poolChaosRuns(results: DescentChaosResult[]): PooledChaos {
  const ok = results.filter((r) => r.diverged === null);
  if (ok.length === 0) throw new RangeError(`poolChaosRuns: all ${results.length} runs diverged`);
  const k = ok[0].exponents.length,
    D = ok[0].dim,
    R = ok.length;
  if (ok.some((r) => r.exponents.length !== k || r.dim !== D))
    throw new RangeError("poolChaosRuns: the runs differ in dimension or number of exponents");
  const mean = (f: (r: DescentChaosResult) => number) => ok.reduce((a, r) => a + f(r), 0) / R;
  const exponents = Array.from({ length: k }, (_, c) => mean((r) => r.exponents[c]));
  const standardErrors = Array.from(
    { length: k },
    (_, c) => Math.sqrt(ok.reduce((a, r) => a + r.standardErrors[c] ** 2, 0)) / R,
  );
  const perRun = ok.flatMap((r) => r.kaplanYorke.perRun);
  const ky = perRun.reduce((a, b) => a + b, 0) / perRun.length;
  const kySe =
    perRun.length > 1
      ? Math.sqrt(perRun.reduce((a, b) => a + (b - ky) ** 2, 0) / (perRun.length - 1) / perRun.length)
      : NaN;
  const points = Float64Array.from(ok.flatMap((r) => r.points));
  return {
    runs: R,
    diverged: results.length - R,
    exponents,
    standardErrors,
    dof: ok.reduce((a, r) => a + r.dof, 0),
    kaplanYorke: { value: ky, se: kySe, dof: perRun.length - 1, perRun },
    points,
    count: points.length / D,
    trainLoss: mean((r) => r.trainLoss),
    testLoss: mean((r) => r.testLoss),
    hessianTrace: mean((r) => r.hessianTrace),
    sharpness: mean((r) => r.sharpness),
  };
}

/** Worker-task handle of `descentChaos`. */
export const descentChaosTask = task("optim/descent-chaos", descentChaos);
