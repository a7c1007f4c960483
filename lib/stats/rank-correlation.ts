import { sampleRankCorrelation } from "simple-statistics";
import type { Stream } from "../random/stream";
import { requireAllFinite, requireInRange, requireInteger } from "../util/validate";

/** What `rankCorrelation` returns. */
export interface RankCorrelation {
  /** Spearman's ρ of the sample (ties get their mid-rank). */
  rho: number;
  /** The percentile bootstrap interval at `confidence`. */
  low: number;
  high: number;
  confidence: number;
  /** Resamples used (those in which one variable came out constant are redrawn). */
  resamples: number;
}

/**
 * Spearman's rank correlation of paired values (simple-statistics' `sampleRankCorrelation`, which
 * gives ties their mid-rank) with a percentile bootstrap interval: `resamples` = 4000 resamples of
 * the n pairs drawn with replacement from `stream`, and the (1 ± confidence)/2 quantiles of their ρ
 * (Efron & Tibshirani 1993, ch. 13; default confidence 0.95). A resample in which x or y is
 * constant has no ρ and is redrawn.
 *
 * Errors: RangeErrors for unequal lengths, fewer than 4 pairs, non-finite values, a constant
 * variable, or a bad confidence.
 */
export function rankCorrelation(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  o: { stream: Stream; resamples?: number; confidence?: number },
): RankCorrelation {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`rankCorrelation: x has ${n} values and y ${y.length}`);
  requireInteger("number of pairs", n, 4);
  requireAllFinite("x", x);
  requireAllFinite("y", y);
  const B = o.resamples ?? 4000,
    conf = o.confidence ?? 0.95;
  requireInteger("resamples", B, 100);
  requireInRange("confidence", conf, 0, 1);
  const xs = Array.from(x),
    ys = Array.from(y);
  const constant = (a: number[]) => a.every((v) => v === a[0]);
  if (constant(xs) || constant(ys))
    throw new RangeError("rankCorrelation: a constant variable has no rank correlation");
  const rho = sampleRankCorrelation(xs, ys);
  const boot = new Float64Array(B),
    bx = new Array<number>(n),
    by = new Array<number>(n);
  for (let b = 0; b < B; b++) {
    do {
      for (let i = 0; i < n; i++) {
        const j = o.stream.int(n);
        bx[i] = xs[j];
        by[i] = ys[j];
      }
    } while (constant(bx) || constant(by));
    boot[b] = sampleRankCorrelation(bx, by);
  }
  boot.sort();
  const at = (p: number) => boot[Math.min(B - 1, Math.max(0, Math.floor(p * B)))];
  return { rho, low: at((1 - conf) / 2), high: at((1 + conf) / 2), confidence: conf, resamples: B };
}
