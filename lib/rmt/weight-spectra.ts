import { MarchenkoPastur } from "./marchenko-pastur";
import { nelderMead } from "../fit/nelder-mead";
import { Stream } from "../random/stream";
import { requireInRange, requireInteger } from "../util/validate";
import { symmetricEigenvalues } from "../linalg/symmetric-eigen";

/**
 * Statistics of small weight spectra (the RMT talk's "Transformer: empirical analysis"): each
 * matrix X = WᵀW of a 64 × 16 head has only 16 eigenvalues, so a layer's heads are pooled, the
 * Marchenko–Pastur bulk is fitted with a free area A (the weight left in the bulk; 1 − A moved into
 * a tail), errors come from resampling whole matrices, and spacings are unfolded over the ensemble.
 */

/** The fitted bulk: A·MP(r, σ²) on [0, cut], with cut = 1.15·(1 + √r)²σ² (the bulk's edge and a margin). */
export interface BulkFit {
  sigma2: number;
  area: number;
  cut: number;
}

/**
 * Binned maximum-likelihood fit of A·MP(x; r, σ²) to pooled eigenvalues, with A in (0, 1] (A = 1
 * allowed: at initialisation the whole spectrum is bulk). The bins cover [0, cut]; eigenvalues past
 * the cut count in n but fall in no bin, so they lower A. The cut follows σ² (three rounds from a
 * start matched to the median). Errors: RangeError for fewer than 8 eigenvalues or r ∉ (0, 1].
 */
export function fitBulk(eigenvalues: ArrayLike<number>, r: number, o: { bins?: number } = {}): BulkFit {
  const n = eigenvalues.length;
  requireInteger("number of eigenvalues", n, 8);
  requireInRange("r", r, Number.MIN_VALUE, 1);
  const sorted = Float64Array.from(eigenvalues).sort();
  const bins = o.bins ?? 20;
  // MP(r, 1)'s median by bisection, to start σ² from the sample median
  const unit = new MarchenkoPastur(r, 1);
  let lo = unit.support[0],
    hi = unit.support[1];
  for (let k = 0; k < 60; k++) {
    const m = 0.5 * (lo + hi);
    if (unit.cdf(m) < 0.5) lo = m;
    else hi = m;
  }
  let sigma2 = sorted[Math.floor(n / 2)] / lo,
    area = 1,
    cut = 0;
  for (let round = 0; round < 3; round++) {
    cut = 1.15 * (1 + Math.sqrt(r)) ** 2 * sigma2;
    const w = cut / bins,
      counts = new Float64Array(bins);
    for (const x of sorted) {
      const k = Math.floor(x / w);
      if (k >= 0 && k < bins) counts[k]++;
    }
    const nll = (t: Float64Array): number => {
      const s2 = t[0],
        a = Math.min(1, t[1]);
      if (!(s2 > 0 && a > 0)) return Infinity;
      const law = new MarchenkoPastur(r, s2);
      let prev = 0,
        f = 0;
      for (let k = 0; k < bins; k++) {
        const next = law.cdf((k + 1) * w),
          mu = Math.max(n * a * (next - prev), 1e-9 * n);
        f += mu - counts[k] * Math.log(mu);
        prev = next;
      }
      return f;
    };
    let best = nelderMead(nll, [sigma2, area], [0.1 * sigma2, 0.05], { maxIterations: 4000 });
    best = nelderMead(nll, best.x, [0.01 * sigma2, 0.005], { maxIterations: 4000 });
    sigma2 = best.x[0];
    area = Math.min(1, best.x[1]);
  }
  return { sigma2, area, cut };
}

/** An estimate with its bootstrap standard error and percentile interval. */
export interface BootstrapEstimate {
  value: number;
  se: number;
  lo: number;
  hi: number;
}

/**
 * `fitBulk` on the pooled eigenvalues of several matrices, with errors from resampling the matrices
 * (not the eigenvalues, which are correlated within a matrix) `reps` times (default 200) on
 * `stream`: standard errors and 95 % percentile intervals of σ² and A.
 */
export function bootstrapBulk(
  matrices: ArrayLike<number>[],
  r: number,
  stream: Stream,
  o: { reps?: number; bins?: number } = {},
): { sigma2: BootstrapEstimate; area: BootstrapEstimate; cut: number } {
  requireInteger("number of matrices", matrices.length, 2);
  const reps = o.reps ?? 200;
  requireInteger("reps", reps, 10);
  const pool = (pick: number[]) => pick.flatMap((i) => Array.from(matrices[i]));
  const fit = fitBulk(pool(matrices.map((_, i) => i)), r, o);
  const s2: number[] = [],
    a: number[] = [];
  for (let b = 0; b < reps; b++) {
    const f = fitBulk(pool(matrices.map(() => stream.int(matrices.length))), r, o);
    s2.push(f.sigma2);
    a.push(f.area);
  }
  return { sigma2: summarise(fit.sigma2, s2), area: summarise(fit.area, a), cut: fit.cut };
}

/**
 * A statistic of several bulk fits with a paired bootstrap over matrices: `sets[k]` holds the
 * matrices (spectra) of one group (e.g. the 16 K heads of a run at one iteration), every set the
 * same matrices in the same order (head i of every set is the same head, at another iteration or
 * in a run from the same initialisation), so each replicate resamples one list of indices and uses
 * it for every set: correlations between the sets are kept. `statistic` maps the sets' fits (in
 * order) to a number. Returns the value on the data, the bootstrap standard error and the 95 %
 * percentile interval over `reps` (default 200) replicates; a replicate whose statistic is not
 * finite is counted in `nonFinite` and left out. Errors: RangeError for fewer than 2 matrices, sets
 * of different sizes, or reps < 10.
 */
export function pairedBulkBootstrap(
  sets: ArrayLike<number>[][],
  r: number,
  stream: Stream,
  statistic: (fits: BulkFit[]) => number,
  o: { reps?: number; bins?: number } = {},
): BootstrapEstimate & { nonFinite: number } {
  requireInteger("number of sets", sets.length, 1);
  const m = sets[0].length;
  requireInteger("number of matrices", m, 2);
  for (const [k, set] of sets.entries())
    if (set.length !== m)
      throw new RangeError(`pairedBulkBootstrap: set ${k} has ${set.length} matrices, set 0 has ${m}`);
  const reps = o.reps ?? 200;
  requireInteger("reps", reps, 10);
  const stat = (pick: number[]) =>
    statistic(
      sets.map((set) =>
        fitBulk(
          pick.flatMap((i) => Array.from(set[i])),
          r,
          o,
        ),
      ),
    );
  const value = stat(sets[0].map((_, i) => i));
  const out: number[] = [];
  let nonFinite = 0;
  for (let b = 0; b < reps; b++) {
    const x = stat(Array.from({ length: m }, () => stream.int(m)));
    if (Number.isFinite(x)) out.push(x);
    else nonFinite++;
  }
  if (out.length < 2) return { value, se: Infinity, lo: -Infinity, hi: Infinity, nonFinite };
  return { ...summarise(value, out), nonFinite };
}

/** One group of matrices (e.g. the 16 K heads of a run) at its start and later: every set the same matrices in the same order. */
export interface BulkSeries {
  initial: ArrayLike<number>[];
  final: ArrayLike<number>[];
}

/**
 * The change of the fitted bulk between two sets of the same matrices, `quantity` ("sigma2", the
 * default, or "area") at `final` minus at `initial`, averaged over the series, with a paired
 * bootstrap over matrices (`pairedBulkBootstrap`: one resampled list of matrix indices for every
 * set, so the correlation between start and end is kept). Errors: as `pairedBulkBootstrap`, and a
 * RangeError for no series.
 */
export function bulkChange(
  series: BulkSeries[],
  r: number,
  stream: Stream,
  o: { quantity?: "sigma2" | "area"; reps?: number; bins?: number } = {},
): BootstrapEstimate & { nonFinite: number } {
  requireInteger("number of series", series.length, 1);
  const q = o.quantity ?? "sigma2";
  const sets = series.flatMap((s) => [s.initial, s.final]);
  return pairedBulkBootstrap(
    sets,
    r,
    stream,
    (f) => {
      let d = 0;
      for (let k = 0; k < series.length; k++) d += f[2 * k + 1][q] - f[2 * k][q];
      return d / series.length;
    },
    o,
  );
}

/**
 * The ratio R of two σ² growths at equal η·t (Brownian motion against drift, notebook 12): for
 * every series k (e.g. K heads, Q heads) with `initial` (iteration 0) and, pair by pair, the sets
 * `numerator[k][i]` (the run at the smaller rate after 2t_i: η/2, or η against 2η) and
 * `denominator[k][i]` (the run at twice that rate after t_i), from the same initial weights,
 *   R = Σ_k Σ_i (σ²(numerator[k][i]) − σ²(initial[k])) / Σ_k Σ_i (σ²(denominator[k][i]) − σ²(initial[k])),
 * with a paired bootstrap over matrices. Drift (a function of ηt) gives R = 1, a random walk with
 * steps ∝ η (growth ∝ η²t) gives R = 1/2. Where the denominator's growth is not positive R is NaN
 * (no growth to compare); such replicates are counted in `nonFinite`. Errors: RangeError for no
 * series, a series whose numerator and denominator differ in length or are empty, or as
 * `pairedBulkBootstrap`.
 */
export function bulkGrowthRatio(
  series: { initial: ArrayLike<number>[]; numerator: ArrayLike<number>[][]; denominator: ArrayLike<number>[][] }[],
  r: number,
  stream: Stream,
  o: { reps?: number; bins?: number } = {},
): BootstrapEstimate & { nonFinite: number } {
  requireInteger("number of series", series.length, 1);
  for (const [k, s] of series.entries()) {
    if (s.numerator.length !== s.denominator.length || s.numerator.length === 0)
      throw new RangeError(
        `bulkGrowthRatio: series ${k} has ${s.numerator.length} numerator and ${s.denominator.length} denominator sets; expected the same number, at least 1`,
      );
  }
  const sets = series.flatMap((s) => [s.initial, ...s.numerator, ...s.denominator]);
  return pairedBulkBootstrap(
    sets,
    r,
    stream,
    (f) => {
      let num = 0,
        den = 0,
        o0 = 0;
      for (const s of series) {
        const p = s.numerator.length,
          s0 = f[o0].sigma2;
        for (let i = 0; i < p; i++) {
          num += f[o0 + 1 + i].sigma2 - s0;
          den += f[o0 + 1 + p + i].sigma2 - s0;
        }
        o0 += 1 + 2 * p;
      }
      return den > 0 ? num / den : NaN;
    },
    o,
  );
}

function summarise(value: number, reps: number[]): BootstrapEstimate {
  const m = reps.reduce((p, q) => p + q, 0) / reps.length;
  const se = Math.sqrt(reps.reduce((p, q) => p + (q - m) ** 2, 0) / (reps.length - 1));
  const s = [...reps].sort((p, q) => p - q);
  return { value, se, lo: s[Math.floor(0.025 * (s.length - 1))], hi: s[Math.ceil(0.975 * (s.length - 1))] };
}

/**
 * Level spacings unfolded over an ensemble: the pooled eigenvalues (those ≤ cut, default all) give
 * the ensemble's cumulative distribution F (linear between order statistics); each matrix's level λ
 * maps to ξ = (N/M)·F(λ), N pooled levels over M matrices, and the spacings are scaled to unit mean. Suited to many small
 * matrices of one ensemble, where a fitted limit law would misplace the finite-size edges.
 */
export function ensembleSpacings(matrices: ArrayLike<number>[], cut = Infinity): Float64Array {
  const levels = matrices.map((m) =>
    Array.from(m)
      .filter((x) => x <= cut)
      .sort((p, q) => p - q),
  );
  const pooled = levels.flat().sort((p, q) => p - q);
  const N = pooled.length;
  if (N < 4) throw new RangeError(`ensembleSpacings: only ${N} levels below the cut`);
  const F = (x: number): number => {
    // fraction of pooled levels below x, interpolated between order statistics
    let lo = 0,
      hi = N - 1;
    if (x <= pooled[0]) return 0;
    if (x >= pooled[N - 1]) return 1;
    while (hi - lo > 1) {
      const m = (lo + hi) >> 1;
      if (pooled[m] <= x) lo = m;
      else hi = m;
    }
    const t = pooled[hi] > pooled[lo] ? (x - pooled[lo]) / (pooled[hi] - pooled[lo]) : 0;
    return (lo + 0.5 + t) / N;
  };
  const out: number[] = [];
  const perMatrix = N / levels.length;
  for (const m of levels) for (let i = 1; i < m.length; i++) out.push(perMatrix * (F(m[i]) - F(m[i - 1])));
  const mean = out.reduce((p, q) => p + q, 0) / out.length;
  return Float64Array.from(out, (s) => s / mean);
}

/**
 * The eigenvalues, ascending, of the Gram matrix X = WᵀW of the `width` columns of W starting at
 * column c0 (W row-major [rows, cols], at `offset` in `data`): X[a, b] = Σ_r W[r, c0 + a]·W[r, c0 + b],
 * r ascending, in float64 (data of either precision). A head's K, Q or V in a GPT is such a column
 * block of its [d, h·s] projection. Errors: a RangeError for a block outside the matrix.
 */
export function columnGramSpectrum(
  data: ArrayLike<number>,
  offset: number,
  rows: number,
  cols: number,
  c0: number,
  width: number,
): number[] {
  requireInteger("width", width, 1, cols);
  requireInteger("c0 (first column)", c0, 0, cols - width);
  if (offset + rows * cols > data.length)
    throw new RangeError(
      `columnGramSpectrum: a [${rows}, ${cols}] matrix at ${offset} runs past the ${data.length} numbers`,
    );
  const x = new Float64Array(width * width);
  for (let a = 0; a < width; a++)
    for (let b = a; b < width; b++) {
      let acc = 0;
      for (let r = 0; r < rows; r++) acc += data[offset + r * cols + c0 + a] * data[offset + r * cols + c0 + b];
      x[a * width + b] = acc;
      x[b * width + a] = acc;
    }
  return Array.from(symmetricEigenvalues(x, width)).sort((p, q) => p - q);
}

/**
 * The eigenvalues, ascending, of the smaller Gram matrix of W (row-major [rows, cols] at `offset`):
 * W·Wᵀ ([rows, rows], sums over columns ascending) when rows ≤ cols, else WᵀW (sums over rows). Its
 * nonzero spectrum is that of WᵀW either way: the squared singular values. In float64.
 */
export function gramSpectrum(data: ArrayLike<number>, offset: number, rows: number, cols: number): number[] {
  if (rows > cols) return columnGramSpectrum(data, offset, rows, cols, 0, cols);
  if (offset + rows * cols > data.length)
    throw new RangeError(`gramSpectrum: a [${rows}, ${cols}] matrix at ${offset} runs past the ${data.length} numbers`);
  const x = new Float64Array(rows * rows);
  for (let a = 0; a < rows; a++)
    for (let b = a; b < rows; b++) {
      let acc = 0;
      for (let c = 0; c < cols; c++) acc += data[offset + a * cols + c] * data[offset + b * cols + c];
      x[a * rows + b] = acc;
      x[b * rows + a] = acc;
    }
  return Array.from(symmetricEigenvalues(x, rows)).sort((p, q) => p - q);
}
