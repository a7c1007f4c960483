import type { Stream } from "../random/stream";
import { requireAllFinite, requireInRange, requireInteger } from "../util/validate";

/** What `pairedBootstrap` returns: the statistic of the sample and its percentile interval. */
export interface PairedBootstrapInterval {
  estimate: number;
  /** The percentile bootstrap interval at `confidence`. */
  low: number;
  high: number;
  confidence: number;
  /** Resamples used (those in which one variable came out constant are redrawn). */
  resamples: number;
}

/**
 * A statistic of paired values (a correlation) with a percentile bootstrap interval: `resamples`
 * (default 4000) resamples of the n pairs drawn with replacement from `stream` (n draws of
 * `stream.int(n)` each), the statistic of each, and the (1 ± confidence)/2 quantiles (default
 * confidence 0.95; Efron & Tibshirani 1993, ch. 13). A resample in which x or y is constant is
 * redrawn, since a correlation has no value there. `name` names the caller in errors
 * (`pearsonCorrelation`, `rankCorrelation`).
 *
 * Errors: RangeErrors for unequal lengths, fewer than 4 pairs, non-finite values, a constant
 * variable, fewer than 100 resamples, or a confidence outside (0, 1).
 */
export function pairedBootstrap(
  name: string,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  statistic: (x: number[], y: number[]) => number,
  o: { stream: Stream; resamples?: number; confidence?: number },
): PairedBootstrapInterval {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`${name}: x has ${n} values and y ${y.length}`);
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
  if (constant(xs) || constant(ys)) throw new RangeError(`${name}: a constant variable has no correlation`);
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
    boot[b] = statistic(bx, by);
  }
  boot.sort();
  const at = (p: number) => boot[Math.min(B - 1, Math.max(0, Math.floor(p * B)))];
  return {
    estimate: statistic(xs, ys),
    low: at((1 - conf) / 2),
    high: at((1 + conf) / 2),
    confidence: conf,
    resamples: B,
  };
}
