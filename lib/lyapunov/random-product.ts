import { VERDICT_LEVEL } from "../params";
import { Stream } from "../random/stream";
import { studentTQuantile } from "../stats/student-t";
import { requireInRange, requireInteger } from "../util/validate";
import { QrLyapunov } from "./qr";

/**
 * Lyapunov exponents of a product of i.i.d. random linear maps M_n ⋯ M_1 on R^d (Furstenberg–Kesten:
 * (1/n) log‖M_n ⋯ M_1‖ → λ₁ almost surely), by the QR method (QrLyapunov), with error bars from
 * block means: after a transient the run is cut into `blocks` consecutive blocks, each block gives
 * an estimate Σ log R_ii / (block length), and the standard error is sd/√blocks. Consecutive blocks
 * are nearly independent once a block is much longer than the product's mixing time (a few steps
 * for the products here); `lag1` reports the correlation of consecutive block values so that a
 * reader can check.
 */
export interface ProductLyapunovOptions {
  /** Number of factors after the transient (default 100 000). */
  steps?: number;
  /** Factors applied before averaging starts (default 1000). */
  transient?: number;
  /** Number of blocks for the error bar (default 32). */
  blocks?: number;
  /** Number of exponents k ≤ d, largest first (default 1: λ₁ only). */
  exponents?: number;
  /** Random stream for the factors. */
  stream: Stream;
  /** Called after each block with (done, total) blocks. */
  onProgress?: (done: number, total: number) => void;
}

export interface LyapunovEstimate {
  /** Block-mean estimates λ₁ ≥ … ≥ λ_k. */
  exponents: number[];
  /** Their standard errors. */
  standardErrors: number[];
  /** Degrees of freedom of the t-statistic (blocks − 1). */
  dof: number;
  /** Lag-one correlation of consecutive block values of λ₁ (should be near 0). */
  lag1: number;
  /** Factors used after the transient. */
  steps: number;
}

/**
 * Low-level driver: `advance(qr, stream)` applies one random factor to the k tangent vectors of
 * `qr` and must re-orthonormalise (e.g. `qr.applyMatrix(M)`, or an in-place update of `qr.basis`
 * followed by `qr.orthonormalize()`).
 */
export function productLyapunov(dim: number, advance: (qr: QrLyapunov, stream: Stream) => void, o: ProductLyapunovOptions): LyapunovEstimate {
  requireInteger("dim", dim, 1);
  const k = o.exponents ?? 1;
  requireInteger("exponents (k)", k, 1, dim);
  const blocks = o.blocks ?? 32;
  requireInteger("blocks", blocks, 2);
  const steps = o.steps ?? 100_000;
  requireInteger("steps", steps, blocks);
  const transient = o.transient ?? 1000;
  requireInteger("transient", transient, 0);
  const perBlock = Math.floor(steps / blocks);
  const qr = new QrLyapunov(dim, k);
  for (let n = 0; n < transient; n++) advance(qr, o.stream);
  const values: number[][] = Array.from({ length: k }, () => []);
  for (let b = 0; b < blocks; b++) {
    qr.resetSums();
    for (let n = 0; n < perBlock; n++) advance(qr, o.stream);
    for (let c = 0; c < k; c++) values[c].push(qr.logSums[c] / perBlock);
    o.onProgress?.(b + 1, blocks);
  }
  const exponents: number[] = [], standardErrors: number[] = [];
  for (let c = 0; c < k; c++) {
    const v = values[c];
    const m = v.reduce((s, x) => s + x, 0) / blocks;
    const s2 = v.reduce((s, x) => s + (x - m) ** 2, 0) / (blocks - 1);
    exponents.push(m);
    standardErrors.push(Math.sqrt(s2 / blocks));
  }
  return { exponents, standardErrors, dof: blocks - 1, lag1: lagOne(values[0]), steps: perBlock * blocks };
}

/** Dense version: `sample(stream, m)` writes the next d×d factor (row-major) into m. */
export function randomMatrixProductLyapunov(dim: number, sample: (stream: Stream, m: Float64Array) => void, o: ProductLyapunovOptions): LyapunovEstimate {
  const m = new Float64Array(dim * dim);
  return productLyapunov(dim, (qr, s) => {
    sample(s, m);
    qr.applyMatrix(m);
  }, o);
}

/** Half-width of the two-sided confidence interval of exponent c (default confidence 1 − VERDICT_LEVEL, lib/params). */
export function lyapunovHalfWidth(e: LyapunovEstimate, c = 0, confidence = 1 - VERDICT_LEVEL): number {
  requireInRange("confidence", confidence, 0, 1, "in (0, 1)");
  return studentTQuantile(0.5 + confidence / 2, e.dof) * e.standardErrors[c];
}

function lagOne(v: number[]): number {
  const n = v.length;
  const m = v.reduce((s, x) => s + x, 0) / n;
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) {
    den += (v[i] - m) ** 2;
    if (i > 0) num += (v[i] - m) * (v[i - 1] - m);
  }
  return den > 0 ? num / den : 0;
}
