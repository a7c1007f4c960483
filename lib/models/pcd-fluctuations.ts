import type { Stream } from "../random/stream";
import { SymmetricEigen } from "../linalg/symmetric-eigen";
import { requireInteger, requirePositive, requireAllFinite, requireLength } from "../util/validate";

// The fluctuations of a Gaussian RBM trained by PCD around its fixed point, to linear order
// (notebook 09, "The wall pair and its neighbour"). Work in the data eigenbasis, where
// C = diag(v_k), v_k = 1/κ_k, and write Y = WWᵀ = diag(x*) + δY with x*_k = μ² − κ_k. One update is
//   chains: φ' = (Y/μ²)φ + ζ, Cov ζ = Y/μ⁴ + I/μ²  (one Gibbs sweep h|φ, φ|h with the current W),
//   weights: W ← W + α(Ĉ − M̂)W, so Y ← Y + α[(Ĉ − M̂)Y + Y(Ĉ − M̂)] + O(α²),
// with Ĉ the minibatch covariance and M̂ = (1/|B|)Σ_c φ_c φ_cᵀ over the |B| chains. Linearised, each
// element (i, j) of δY is a two-state linear system with its own chain moment δM_ij (elements do
// not couple: Gaussian fourth moments make the noises of different elements uncorrelated):
//   δM_n   = r δM_{n−1} + c δY_n + ν_n,           r = ρ_iρ_j, ρ_k = x*_k/μ²,
//   δY_n+1 = δY_n + g(δĈ_n − δM_n),                g = α(x*_i + x*_j),
// where c = (x*_i v_i + x*_j v_j + 1)/μ⁴ is the linear response of the chains' second moment
// (quasi-statically c/(1 − r) = 1/(κ_iκ_j), the response of (μ² − Y)⁻¹), the innovation ν has
// Var ν = (1 + δ_ij) v_iv_j (1 − r²)/|B| (so that M̂_ij alone has variance (1 + δ_ij)v_iv_j/|B| and
// autocorrelation r^lag), and Var δĈ = (1 + δ_ij) v_iv_j (n − |B|)/((n − 1)|B|) for minibatches
// drawn without replacement from n samples. The stationary covariance of (δY_n, δM_{n−1}) solves
// the discrete Lyapunov equation Σ = AΣAᵀ + Q. For α → 0 it reduces to
// Var δY_ii = 2αx*_i (f + τ_i)/|B| with f the finite-population factor and τ_i = (1 + ρ_i²)/(1 − ρ_i²)
// the chains' integrated autocorrelation time: slow chains (x* near μ²) multiply the noise, which
// is why the pairs nearest the wall are the widest.

/** The training set-up whose linear fluctuations `pcdElementVariance` and `pcdGaussianSpectra` describe. */
export interface PcdFluctuationOptions {
  /** κ_k of each data mode (its variance is 1/κ_k); every κ_k must lie in (0, μ²). */
  kappa: ArrayLike<number>;
  /** The RBM's visible mass μ². */
  mu2: number;
  /** Learning rate α. */
  alpha: number;
  /** Minibatch size |B|, also the number of persistent chains. */
  batch: number;
  /** Size n of the data set the minibatches are drawn from without replacement (default Infinity). */
  samples?: number;
}

function check(o: PcdFluctuationOptions): void {
  requirePositive("μ²", o.mu2);
  requirePositive("learning rate α", o.alpha);
  requireInteger("batch size |B|", o.batch, 1);
  requireAllFinite("κ", o.kappa);
  if (o.kappa.length < 1) throw new RangeError("κ: at least one mode is needed");
  for (let k = 0; k < o.kappa.length; k++)
    if (!(o.kappa[k] > 0 && o.kappa[k] < o.mu2))
      throw new RangeError(
        `κ[${k}] = ${o.kappa[k]} must lie in (0, μ² = ${o.mu2}): only such modes have a fixed point x* = μ² − κ > 0`,
      );
  if (o.samples !== undefined && o.samples !== Infinity) requireInteger("samples n", o.samples, o.batch);
}

/**
 * Stationary variance of the element δY_ij of WWᵀ (in the data eigenbasis) under PCD, to linear
 * order in the fluctuations: the solution of the discrete Lyapunov equation of the two-state
 * system in the file's header (finite α, one Gibbs sweep per update, chains correlated across
 * steps). For i = j it is σ_i², the width of level i; for a degenerate pair the off-diagonal
 * variance is σ²/2, the GOE relation behind the Wigner surmise.
 * Errors: a RangeError for bad options or indices, or if α is so large that the linearised update
 * is unstable (a root of A on or outside the unit circle).
 */
export function pcdElementVariance(o: PcdFluctuationOptions, i: number, j: number): number {
  check(o);
  const n = o.kappa.length;
  requireInteger("i", i, 0, n - 1);
  requireInteger("j", j, 0, n - 1);
  return elementVariance(o, i, j);
}

function elementVariance(o: PcdFluctuationOptions, i: number, j: number): number {
  return elementSystem(o, i, j).s;
}

/**
 * The two-state linear system of element (i, j) (the header) and its stationary covariance
 * [[s, t], [t, u]] of (δY_n, δM_{n−1}): s = Var δY, t = Cov(δY_n, δM_{n−1}), u = Var δM.
 */
function elementSystem(o: PcdFluctuationOptions, i: number, j: number) {
  const { mu2, alpha, batch } = o;
  const vi = 1 / o.kappa[i],
    vj = 1 / o.kappa[j];
  const xi = mu2 - o.kappa[i],
    xj = mu2 - o.kappa[j];
  const r = (xi / mu2) * (xj / mu2);
  const c = (xi * vi + xj * vj + 1) / (mu2 * mu2);
  const n = o.samples ?? Infinity;
  const fpc = n === Infinity ? 1 : (n - batch) / (n - 1);
  const f = i === j ? 2 : 1;
  const varC = (f * vi * vj * fpc) / batch;
  const varNu = (f * vi * vj * (1 - r * r)) / batch;
  const g = alpha * (xi + xj);
  // State s = (δY_n, δM_{n−1}); s' = A s + noise.
  const a11 = 1 - g * c,
    a12 = -g * r,
    a21 = c,
    a22 = r;
  // Roots of A: |λ| < 1 for both (trace/determinant criterion of a real 2×2 matrix).
  const tr = a11 + a22,
    det = a11 * a22 - a12 * a21;
  if (!(Math.abs(det) < 1 && Math.abs(tr) < 1 + det)) {
    throw new RangeError(
      `pcdElementVariance: the linearised PCD update of element (${i}, ${j}) is unstable at α = ${alpha} (trace ${tr.toPrecision(4)}, determinant ${det.toPrecision(4)}): lower α`,
    );
  }
  const q11 = g * g * (varC + varNu),
    q12 = -g * varNu,
    q22 = varNu;
  // Σ = AΣAᵀ + Q for symmetric Σ = [[s, t], [t, u]]: three linear equations, solved by Cramer's rule.
  const m = [
    [1 - a11 * a11, -2 * a11 * a12, -a12 * a12],
    [-a11 * a21, 1 - (a11 * a22 + a12 * a21), -a12 * a22],
    [-a21 * a21, -2 * a21 * a22, 1 - a22 * a22],
  ];
  const rhs = [q11, q12, q22];
  const d3 = (x: number[][]) =>
    x[0][0] * (x[1][1] * x[2][2] - x[1][2] * x[2][1]) -
    x[0][1] * (x[1][0] * x[2][2] - x[1][2] * x[2][0]) +
    x[0][2] * (x[1][0] * x[2][1] - x[1][1] * x[2][0]);
  const col0 = m.map((row, k) => [rhs[k], row[1], row[2]]);
  const col1 = m.map((row, k) => [row[0], rhs[k], row[2]]);
  const col2 = m.map((row, k) => [row[0], row[1], rhs[k]]);
  const det3 = d3(m);
  return { r, c, g, varC, a11, a12, a21, a22, s: d3(col0) / det3, t: d3(col1) / det3, u: d3(col2) / det3 };
}

/**
 * The N×N matrix of stationary variances Var δY_ij (row-major), from `pcdElementVariance`. With
 * `coupling: "blocks"` the elements between modes of different κ are set to zero: independent
 * degenerate blocks, each a GOE of its own width (the picture in which every pair is an isolated
 * two-level system; the named wrong alternative of notebook 09's wall-pair verdict).
 * Errors: as `pcdElementVariance`.
 */
export function pcdElementVariances(o: PcdFluctuationOptions, coupling: "full" | "blocks" = "full"): Float64Array {
  check(o);
  const n = o.kappa.length;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const same = Math.abs(o.kappa[i] - o.kappa[j]) <= 1e-12 * o.mu2;
      out[i * n + j] = out[j * n + i] = coupling === "blocks" && !same ? 0 : elementVariance(o, i, j);
    }
  return out;
}

/**
 * Draws `runs` spectra of the Gaussian matrix model of PCD fluctuations, Y = diag(μ² − κ) + G, with
 * G symmetric and its elements independent normals of the variances `pcdElementVariances` gives:
 * the learned spectrum of WᵀW predicted to linear order, including the mixing of nearby levels of
 * different κ. Each row of the result holds one spectrum, ascending (the convention of the RBM
 * ensembles). Options: `coupling` "full" (default) or "blocks" (see `pcdElementVariances`); `mean`,
 * the N×N mean of Y (default diag(μ² − κ), the linear theory's; `pcdMeanMatrix` gives the second
 * order and the memory of a start).
 * Errors: as `pcdElementVariance`; `runs` must be a positive integer, `mean` finite with N·N entries.
 */
export function pcdGaussianSpectra(
  o: PcdFluctuationOptions,
  runs: number,
  stream: Stream,
  coupling: "full" | "blocks" = "full",
  options: { mean?: ArrayLike<number> } = {},
): Float64Array[] {
  requireInteger("runs", runs, 1);
  const variances = pcdElementVariances(o, coupling);
  const n = o.kappa.length;
  const sd = variances.map(Math.sqrt);
  const mean = options.mean;
  if (mean !== undefined) {
    requireLength("mean (N·N entries)", mean, n * n);
    requireAllFinite("mean", mean);
  }
  const y = new Float64Array(n * n);
  const eig = new SymmetricEigen(n);
  const out: Float64Array[] = [];
  for (let run = 0; run < runs; run++) {
    for (let i = 0; i < n; i++) {
      y[i * n + i] = (mean === undefined ? o.mu2 - o.kappa[i] : mean[i * n + i]) + sd[i * n + i] * stream.normal();
      for (let j = 0; j < i; j++)
        y[i * n + j] = y[j * n + i] = (mean === undefined ? 0 : mean[i * n + j]) + sd[i * n + j] * stream.normal();
    }
    out.push(eig.values(y, new Float64Array(n), Infinity));
  }
  return out;
}

// Second order: the mean of the fluctuations (notebook 09, "The learned levels sit below their
// targets"). The linear theory has E δY = 0. Its exact mean equations, kept to second order in the
// fluctuations, are (per diagonal element, in the data eigenbasis, Y* = diag(x*), M* = diag(v)):
//   chains:  E M̂_n = E[(Y_n/μ²) M̂_{n−1} (Y_n/μ²)] + E Y_n/μ⁴ + I/μ²  (exact: Gibbs is linear in φ),
//   weights: 0 = E[D Y + Y D] + α E[D Y D],  D = Ĉ − M̂  (Y' = (I + αD) Y (I + αD) exactly).
// With y = δY, m = δM̂ and E Ĉ = C = M*, and y_n independent of Ĉ_n and of the chains' innovation:
//   (1 − ρ_i²) E m_ii = c_ii E y_ii + (2ρ_i/μ²) Σ_j E[y_{n,ij} m_{n−1,ij}] + μ⁻⁴ Σ_j v_j E y_ij²,
//   2x_i E m_ii = −2 Σ_j E[m_{n,ij} y_{n,ij}] + α Σ_j (Var δĈ_ij + Var m_ij) x_j,
// where the second moments come from each element's linear system: E y² = s, E[y_n m_{n−1}] = t,
// E m² = u, E[m_n y_n] = r t + c s. Solving for E y_ii gives the level's mean shift. Quasi-statically
// (α → 0, chains in equilibrium) it is −(μ²/x_i) Σ_j Var δY_ij/κ_j, from the curvature of the model
// covariance (μ² − Y)⁻¹, less the Itô-like push α Σ_j Var D_ij x_j of the product (I + αD)Y(I + αD):
// every level sits below its target by O(α/|B|), the lowest (smallest x*, largest κ) the most.

/**
 * The stationary mean E δY_kk of each diagonal element of WWᵀ (data eigenbasis, the modes in the
 * order of `o.kappa`) under PCD, to second order in the fluctuations (the derivation above): the
 * shift of the learned level x_k from its target μ² − κ_k before the levels' mutual repulsion (which
 * the Gaussian matrix model adds). O(α/|B|), negative here. Off-diagonal means vanish at this order.
 * Errors: as `pcdElementVariance`.
 */
export function pcdMeanShift(o: PcdFluctuationOptions): Float64Array {
  check(o);
  const n = o.kappa.length,
    mu4 = o.mu2 * o.mu2;
  const sys = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => elementSystem(o, i, j)));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const xi = o.mu2 - o.kappa[i],
      rho = xi / o.mu2;
    let my = 0,
      dyd = 0,
      yPrevM = 0,
      yy = 0;
    for (let j = 0; j < n; j++) {
      const e = sys[i][j];
      my += e.r * e.t + e.c * e.s;
      dyd += (e.varC + e.u) * (o.mu2 - o.kappa[j]);
      yPrevM += e.t;
      yy += e.s / o.kappa[j];
    }
    const meanM = (-2 * my + o.alpha * dyd) / (2 * xi);
    const source = ((2 * rho) / o.mu2) * yPrevM + yy / mu4;
    out[i] = ((1 - rho * rho) * meanM - source) / sys[i][i].c;
  }
  return out;
}

/**
 * The mean of Y = WWᵀ (N×N, row-major, data eigenbasis, modes in the order of `o.kappa`) after a
 * PCD run, for the Gaussian matrix model (`pcdGaussianSpectra`'s `mean`): diag(μ² − κ), plus the
 * second-order shift `pcdMeanShift` when `secondOrder` is set, plus, with `start`, what is left of the
 * start's deviation after `start.steps` updates, each element relaxing by its linear system's A^steps
 * from Y = start.y with fresh chains (M̂ = I/μ², as `GaussianRbm` draws them). Errors: as
 * `pcdElementVariance`; a RangeError for a start that is not N×N, finite and symmetric, or a
 * negative number of steps.
 */
export function pcdMeanMatrix(
  o: PcdFluctuationOptions,
  options: { secondOrder?: boolean; start?: { y: ArrayLike<number>; steps: number } } = {},
): Float64Array {
  check(o);
  const n = o.kappa.length;
  const shift = options.secondOrder ? pcdMeanShift(o) : new Float64Array(n);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = o.mu2 - o.kappa[i] + shift[i];
  const start = options.start;
  if (start === undefined) return out;
  requireLength("start.y (N·N entries)", start.y, n * n);
  requireAllFinite("start.y", start.y);
  requireInteger("start.steps", start.steps, 0);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++)
      if (Math.abs(start.y[i * n + j] - start.y[j * n + i]) > 1e-9 * (1 + Math.abs(start.y[i * n + j])))
        throw new RangeError(`start.y must be symmetric: entries (${i}, ${j}) and (${j}, ${i}) differ`);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const e = elementSystem(o, i, j);
      // deviations from the stationary means (the chains' second-order mean is negligible beside 1/μ² − 1/κ)
      let y = start.y[i * n + j] - out[i * n + j],
        m = i === j ? 1 / o.mu2 - 1 / o.kappa[i] : 0;
      for (let k = 0; k < start.steps; k++) {
        const y2 = e.a11 * y + e.a12 * m;
        m = e.a21 * y + e.a22 * m;
        y = y2;
      }
      out[i * n + j] += y;
      if (j !== i) out[j * n + i] = out[i * n + j];
    }
  return out;
}
