import { parallelMap, type PoolOptions } from "../parallel/pool";
import { richardson } from "../stats/richardson";
import type { Estimate } from "../stats/estimate";
import { requireInteger, requirePositive } from "../util/validate";
import { rbmModeEnsembleTask, type RbmModeEnsembleInput, type ReflectedEnsembleResult } from "./reflected-ensemble";

/** Options of `rbmModeMoments`. */
export interface RbmModeMomentsOptions {
  kappa: number;
  mu2: number;
  /** 1: the talk's drift K; 2: the exact PCD gradient's (default 1). */
  factor?: number;
  g2: number;
  x0: number;
  /** Record times. Each gets its own ensemble, so the estimates at different times are independent. */
  times: number[];
  /** The two Euler–Maruyama steps [coarse, fine], coarse > fine (usually fine = coarse/2). */
  dts: [number, number];
  /** Paths per (time, step), split into `batches` batches of equal size. */
  paths: number;
  batches: number;
  /** Optional centres c_i, one per record time: also estimate E(x − c_i)² at time i. */
  centres?: number[];
  /**
   * The stream path (`Stream.path(P.seed, "NN/what")`): batch k of time i at step j draws from
   * `Stream.named(seed, "i/j", k)`, i.e. the path `<seed>/i/j` with index k.
   */
  seed: string;
}

/** One ensemble average at one record time: at both steps, and extrapolated to dτ → 0. */
export interface ExtrapolatedEstimate {
  coarse: Estimate;
  fine: Estimate;
  /** Richardson's extrapolation of order 1 (Euler–Maruyama's weak order), errors propagated. */
  extrapolated: Estimate;
}

/** What `rbmModeMoments` returns, per record time. */
export interface RbmModeMoments {
  times: number[];
  /** E x(τ_i). */
  mean: ExtrapolatedEstimate[];
  /** E (x(τ_i) − c_i)², with `centres`. */
  spread?: ExtrapolatedEstimate[];
}

/**
 * Ensemble averages of one RBM mode, dx = K(x) dτ + √(2g²) dW reflected at 0 (`rbmModeEnsemble`),
 * at record times τ_i, with Euler–Maruyama's O(dτ) bias removed: every (time, step) pair is its own
 * ensemble of `paths` paths in `batches` batches on worker threads, the batches are pooled (the mean
 * of the batch means, se = √(Σ se_b²)/B), and the two steps are combined by `richardson` (order 1,
 * ratio dts[0]/dts[1]). The estimates at different times, and at the two steps, are independent, so
 * standardised residuals over the times can enter one χ². The remainder of the extrapolation is
 * O(dτ²).
 *
 * Errors: a RangeError for paths not a multiple of batches, steps not ordered, and as
 * `rbmModeEnsemble`.
 */
export async function rbmModeMoments(o: RbmModeMomentsOptions, pool: PoolOptions = {}): Promise<RbmModeMoments> {
  requireInteger("batches", o.batches, 1);
  requireInteger("paths", o.paths, 2 * o.batches);
  if (o.paths % o.batches !== 0)
    throw new RangeError(`rbmModeMoments: paths = ${o.paths} must be a multiple of batches = ${o.batches}`);
  const [coarseDt, fineDt] = o.dts;
  requirePositive("dts[1] (the fine step)", fineDt);
  if (!(coarseDt > fineDt))
    throw new RangeError(`rbmModeMoments: dts must be [coarse, fine] with coarse > fine, got [${coarseDt}, ${fineDt}]`);
  const perBatch = o.paths / o.batches;
  const inputs: RbmModeEnsembleInput[] = o.times.flatMap((t, i) =>
    o.dts.flatMap((dt, j) =>
      Array.from({ length: o.batches }, (_, k) => ({
        kappa: o.kappa,
        mu2: o.mu2,
        factor: o.factor ?? 1,
        g2: o.g2,
        x0: o.x0,
        paths: perBatch,
        dt,
        times: [t],
        ...(o.centres ? { centres: [o.centres[i]] } : {}),
        seed: `${o.seed}/${i}/${j}`,
        index: k,
      })),
    ),
  );
  const batches = await parallelMap(rbmModeEnsembleTask, inputs, pool);
  const group = (i: number, j: number) => batches.slice((i * 2 + j) * o.batches, (i * 2 + j + 1) * o.batches);
  const pooled = (
    bs: ReflectedEnsembleResult[],
    value: (r: ReflectedEnsembleResult) => number,
    se: (r: ReflectedEnsembleResult) => number,
  ): Estimate => ({
    value: bs.reduce((a, r) => a + value(r), 0) / bs.length,
    se: Math.sqrt(bs.reduce((a, r) => a + se(r) ** 2, 0)) / bs.length,
  });
  const extrapolate = (value: (r: ReflectedEnsembleResult) => number, se: (r: ReflectedEnsembleResult) => number) =>
    o.times.map((_, i) => {
      const coarse = pooled(group(i, 0), value, se),
        fine = pooled(group(i, 1), value, se);
      return { coarse, fine, extrapolated: richardson(coarse, fine, 1, coarseDt / fineDt) };
    });
  return {
    times: o.times.slice(),
    mean: extrapolate(
      (r) => r.mean[0],
      (r) => r.standardError[0],
    ),
    ...(o.centres
      ? {
          spread: extrapolate(
            (r) => r.spread![0],
            (r) => r.spreadError![0],
          ),
        }
      : {}),
  };
}
