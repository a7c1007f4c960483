import { sampleRankCorrelation } from "simple-statistics";
import type { Stream } from "../random/stream";
import { pairedBootstrap } from "./paired-bootstrap";

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
  const b = pairedBootstrap("rankCorrelation", x, y, sampleRankCorrelation, o);
  return { rho: b.estimate, low: b.low, high: b.high, confidence: b.confidence, resamples: b.resamples };
}
