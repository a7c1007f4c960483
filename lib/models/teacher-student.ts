import { Stream } from "../random/stream";
import { drawSubset } from "../random/subset";
import { orthonormalizeColumns } from "../linalg/gram-schmidt";
import { SymmetricEigen } from "../linalg/symmetric-eigen";
import { requireInteger, requirePositive, requireNonNegative, requireLength } from "../util/validate";
import { meanWithError } from "../stats/summary";
import { degeneratePairs } from "../rmt/degenerate-pairs";

/** What `teacherStudentData` returns. */
export interface TeacherStudentData {
  inputs: number;
  outputs: number;
  samples: number;
  /** n×inputs, row-major. */
  x: Float64Array;
  /** n×outputs, row-major. */
  y: Float64Array;
  /** The teacher W*, outputs×inputs, row-major. */
  teacher: Float64Array;
  /** Eigenvalues of W*ᵀW*, as given (ascending). */
  target: Float64Array;
  noise: number;
  /**
   * The teacher's SVD W* = U diag(√levels) Vᵀ: `left` U (outputs×inputs) and `right` V
   * (inputs×inputs), row-major, with columns in the order of `levels` (the target as passed).
   */
  left: Float64Array;
  right: Float64Array;
  levels: Float64Array;
}

/**
 * Options of `teacherStudentData`: sizes, the target spectrum of the teacher, the label noise and the
 * data seed.
 */
export interface TeacherStudentOptions {
  inputs: number;
  outputs: number;
  samples: number;
  /** The eigenvalues of W*ᵀW* (squared singular values), length = inputs, each ≥ 0. */
  target: ArrayLike<number>;
  /** Label-noise scale s. */
  noise: number;
  stream: Stream;
}

/**
 * Teacher–student linear regression: a student y = W x (W outputs×inputs) learns from n samples
 * (x_b, y_b) of a teacher y = W* x + ε by minibatch SGD on L_b = ½|W x_b − y_b|².
 *
 * The data set is built so that the minimum of the full loss is exactly the teacher, whose
 * spectrum of X* = W*ᵀW* we choose (e.g. with degenerate pairs): the inputs are whitened,
 * XᵀX/n = I, and the label noise is orthogonal to them and white, EᵀX = 0 and EᵀE/n = s²I. Then
 * the least-squares solution is (YᵀX)(XᵀX)⁻¹ = W* + EᵀX/n = W*, while every minibatch gradient
 * at W* is −|B|⁻¹ Σ_b ε_b x_bᵀ ≠ 0: SGD keeps fluctuating around W*. Near W*,
 * Δ = W − W* obeys Δ' = Δ(I − αΣ_B) + (α/|B|)Σ_b ε_b x_bᵀ, so to leading order each entry has
 * stationary variance v = (α/|B|)s²/2, and a degenerate pair x* = ξ² of X = WᵀW splits like a
 * 2×2 GOE block ξ(Δ̃ + Δ̃ᵀ) with σ² = 4ξ²v = 2x*s²(α/|B|) (notebook 09).
 */
export function teacherStudentData(o: TeacherStudentOptions): TeacherStudentData {
  const { inputs: N, outputs: M, samples: n } = o;
  requireInteger("inputs", N, 1);
  requireInteger("outputs", M, N);
  requireInteger("samples", n, N + M);
  requireLength("target", o.target, N);
  requirePositive("noise", o.noise);
  for (let i = 0; i < N; i++) requireNonNegative(`target[${i}]`, o.target[i]);
  const x = orthonormalizeColumns(o.stream.fillNormal(new Float64Array(n * N)), n, N);
  const e = orthonormalizeColumns(o.stream.fillNormal(new Float64Array(n * M)), n, M, { q: x, cols: N });
  const rootN = Math.sqrt(n);
  for (let k = 0; k < x.length; k++) x[k] *= rootN;
  for (let k = 0; k < e.length; k++) e[k] *= rootN * o.noise;
  const u = orthonormalizeColumns(o.stream.fillNormal(new Float64Array(M * N)), M, N);
  const v = orthonormalizeColumns(o.stream.fillNormal(new Float64Array(N * N)), N, N);
  const teacher = new Float64Array(M * N); // U diag(ξ) Vᵀ
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < N; k++) s += u[i * N + k] * Math.sqrt(o.target[k]) * v[j * N + k];
      teacher[i * N + j] = s;
    }
  const y = new Float64Array(n * M);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < M; i++) {
      let s = e[b * M + i];
      for (let j = 0; j < N; j++) s += teacher[i * N + j] * x[b * N + j];
      y[b * M + i] = s;
    }
  return {
    inputs: N,
    outputs: M,
    samples: n,
    x,
    y,
    teacher,
    target: Float64Array.from(o.target).sort(),
    noise: o.noise,
    left: u,
    right: v,
    levels: Float64Array.from(o.target),
  };
}

/** Minibatch SGD on the teacher–student loss; `run` allocates nothing. */
export class TeacherStudentSgd {
  readonly w: Float64Array;
  private readonly grad: Float64Array;
  private readonly resid: Float64Array;
  private readonly perm: Int32Array;
  private readonly xtx: Float64Array;
  private readonly eig: SymmetricEigen;

  /** Langevin mode: the temperature and the full data's moments XᵀX/n (N×N) and YᵀX/n (M×N). */
  private readonly langevin?: { temperature: number; sxx: Float64Array; syx: Float64Array };

  /**
   * Options: `langevin`, a temperature T: train by Langevin dynamics instead of SGD, the full-batch
   * gradient plus isotropic noise, W ← W − α∇L(W) + √(2αT)ξ, whose stationary per-entry variance
   * 2T/(2 − α) does not depend on |B| (notebook 09's falsified setting "langevin"). Default: SGD.
   */
  constructor(
    readonly data: TeacherStudentData,
    readonly alpha: number,
    readonly batch: number,
    readonly stream: Stream,
    options: { langevin?: number } = {},
  ) {
    requirePositive("learning rate α", alpha);
    requireInteger("batch size |B|", batch, 1, data.samples);
    const { inputs: N, outputs: M } = data;
    this.w = Float64Array.from(data.teacher);
    this.grad = new Float64Array(M * N);
    this.resid = new Float64Array(M);
    this.perm = Int32Array.from({ length: data.samples }, (_, i) => i);
    this.xtx = new Float64Array(N * N);
    this.eig = new SymmetricEigen(N);
    if (options.langevin !== undefined) {
      requirePositive("Langevin temperature T", options.langevin);
      const { x, y, samples: n } = data;
      const sxx = new Float64Array(N * N),
        syx = new Float64Array(M * N);
      for (let b = 0; b < n; b++) {
        for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) sxx[i * N + j] += (x[b * N + i] * x[b * N + j]) / n;
        for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) syx[i * N + j] += (y[b * M + i] * x[b * N + j]) / n;
      }
      this.langevin = { temperature: options.langevin, sxx, syx };
    }
  }

  /** Sets W (outputs×inputs). */
  setWeights(w: ArrayLike<number>): this {
    requireLength("W", w, this.w.length);
    this.w.set(w);
    return this;
  }

  /** `steps` SGD steps W ← W − (α/|B|) Σ_{b∈B} (W x_b − y_b) x_bᵀ with i.i.d. minibatches (Langevin steps with `langevin` set). */
  run(steps: number): this {
    requireInteger("steps", steps, 0);
    const { inputs: N, outputs: M, x, y } = this.data;
    const { w, grad, resid, perm, batch } = this;
    const c = this.alpha / batch;
    if (this.langevin) {
      const { temperature, sxx, syx } = this.langevin,
        sd = Math.sqrt(2 * this.alpha * temperature);
      for (let s = 0; s < steps; s++) {
        // ∇L = W·XᵀX/n − YᵀX/n, the full data's gradient
        for (let i = 0; i < M; i++)
          for (let j = 0; j < N; j++) {
            let g = -syx[i * N + j];
            for (let k = 0; k < N; k++) g += w[i * N + k] * sxx[k * N + j];
            grad[i * N + j] = g;
          }
        for (let k = 0; k < w.length; k++) w[k] += -this.alpha * grad[k] + sd * this.stream.normal();
      }
      return this;
    }
    for (let s = 0; s < steps; s++) {
      drawSubset(this.stream, perm, batch);
      grad.fill(0);
      for (let t = 0; t < batch; t++) {
        const b = perm[t];
        const xb = b * N,
          yb = b * M;
        for (let i = 0; i < M; i++) {
          let r = -y[yb + i];
          for (let j = 0; j < N; j++) r += w[i * N + j] * x[xb + j];
          resid[i] = r;
        }
        for (let i = 0; i < M; i++) {
          const r = resid[i];
          for (let j = 0; j < N; j++) grad[i * N + j] += r * x[xb + j];
        }
      }
      for (let k = 0; k < w.length; k++) w[k] -= c * grad[k];
      if (!(Math.abs(w[0]) < 1e100))
        throw new RangeError(`TeacherStudentSgd diverged (α = ${this.alpha} too large for these data)`);
    }
    return this;
  }

  /**
   * The first-order gap of the degenerate pair at x*: with Δ̃ = Uᵀ(W − W*)V in the teacher's
   * singular bases and a, b the pair's columns, 2√x*·|(Δ̃_aa − Δ̃_bb, Δ̃_ab + Δ̃_ba)|, the gap of the
   * block √x*(Δ̃ + Δ̃ᵀ) restricted to the pair (exact to first order in Δ; see `pairSpacingCorrection`).
   */
  firstOrderGap(xStar: number): number {
    const { inputs: N, outputs: M, levels, left, right, teacher } = this.data;
    const cols: number[] = [];
    for (let k = 0; k < N; k++) if (levels[k] === xStar) cols.push(k);
    if (cols.length !== 2) throw new RangeError(`x* = ${xStar} must be a degenerate pair of the target`);
    const d = (i: number, j: number) => {
      let s = 0;
      for (let r = 0; r < M; r++) {
        let t = 0;
        for (let c = 0; c < N; c++) t += (this.w[r * N + c] - teacher[r * N + c]) * right[c * N + j];
        s += left[r * N + i] * t;
      }
      return s;
    };
    const [a, b] = cols;
    return 2 * Math.sqrt(xStar) * Math.hypot(d(a, a) - d(b, b), d(a, b) + d(b, a));
  }

  /**
   * The diagonal of X = WᵀW in the teacher's right singular basis, (VᵀXV)_kk = |Wv_k|², in the order
   * of the target as passed (`data.levels`): what first-order perturbation theory of non-degenerate
   * levels calls the learned levels. Notebook 09's falsified setting "uncorrelated-levels" reads these
   * instead of the eigenvalues: the two values of a degenerate pair are then uncorrelated.
   */
  modeDiagonal(out: Float64Array = new Float64Array(this.data.inputs)): Float64Array {
    const { inputs: N, outputs: M, right } = this.data;
    for (let k = 0; k < N; k++) {
      let s = 0;
      for (let r = 0; r < M; r++) {
        let p = 0;
        for (let c = 0; c < N; c++) p += this.w[r * N + c] * right[c * N + k];
        s += p * p;
      }
      out[k] = s;
    }
    return out;
  }

  /** Eigenvalues of X = WᵀW, ascending, into out. */
  spectrum(out: Float64Array = new Float64Array(this.data.inputs)): Float64Array {
    const { inputs: N, outputs: M } = this.data;
    const { w, xtx } = this;
    xtx.fill(0);
    for (let k = 0; k < M; k++)
      for (let i = 0; i < N; i++) {
        const wi = w[k * N + i];
        for (let j = 0; j < N; j++) xtx[i * N + j] += wi * w[k * N + j];
      }
    return this.eig.values(xtx, out, Infinity);
  }
}

/** What `teacherStudentPairWidth` returns. */
export interface TeacherStudentPairWidth {
  /** Leading order σ² = 2x*s²(α/|B|). */
  leading: (xStar: number) => number;
  /** σ² = 4x*v, exact in the step to first order in Δ. */
  discrete: (xStar: number) => number;
  /** The per-entry stationary variance v of Δ. */
  v: number;
  /** δ(x*): the relative second-order correction of the pair's mean spacing (x* must be a degenerate pair of the target). */
  spacingCorrection: (xStar: number) => number;
  /** ⟨S⟩ = √(π σ²)(1 + δ(x*)) of the degenerate pair at x*. */
  meanSpacing: (xStar: number) => number;
  q: number;
  k4: number;
  f: number;
}

/**
 * The stationary width σ² of a degenerate pair x* of WᵀW under minibatch SGD (sampling without
 * replacement), to first order in the fluctuation Δ = W − W* but exact in the step:
 *
 *   Δ' = Δ(I − αΣ_B) + αξ_B,  Σ_B = |B|⁻¹Σ_b x_b x_bᵀ,  ξ_B = |B|⁻¹Σ_b ε_b x_bᵀ.
 *
 * With an isotropic per-entry variance v: v = (1 − α)²v + α²Var(Σ_B)v + α²Var(ξ_B), where, with
 * f = (n − |B|)/(n − 1) the finite-population factor, Var(ξ_B) = f q/|B|, q = ⟨|ε|²|x|²⟩/(MN) (≈ s²),
 * and Var(Σ_B)_jj = f k₄/|B|, k₄ = ⟨|x|⁴⟩/N − 1 (≈ N + 1 for Gaussian inputs). Hence
 *
 *   v = (α/|B|) f q / (2 − α − α f k₄/|B|),   σ² = 4x* v  (the 2×2 block ξ(Δ̃ + Δ̃ᵀ)),
 *
 * which reduces to the leading order σ² = 2x*s²(α/|B|) as α → 0, n → ∞.
 *
 * `meanSpacing(x*)` goes one order further, in Δ rather than in α: the mean spacing of the pair is
 * √π σ (the surmise of the first-order 2×2 block) times 1 + δ, with
 *
 *   δ(x*) = v [ (1 + M − N)/(4x*) + ½ Σ_{k∉pair} (x* − 3x_k)/(x* − x_k)² ],   v = σ²/(4x*),
 *
 * the sum running over the other N − 2 levels x_k of the target. Derivation (notebook 09): in the
 * teacher's singular bases Δ̃ has i.i.d. entries of variance v; the Feshbach reduction of
 * X = (W* + Δ)ᵀ(W* + Δ) onto the pair gives (i) within the pair, the exact 2×2 gap
 * = first-order gap × |(2ξ + p + s, q − r)|/2ξ, a factor 1 + v/(4x*) on average (and one v/(4x*)
 * per extra output row, M > N); (ii) second-order couplings to level k, independent of the
 * first-order block, which widen the gap on average by v(x* + x_k)/(2(x* − x_k)²); (iii) third-order
 * terms whose conditional mean is proportional to the block itself: +v/(x* − x_k) from
 * E1_{Pk}E2_{kP}, and −v(x* + x_k)/(x* − x_k)² from the normalisation of the pair's eigenvectors.
 * δ is O(α/|B|) and negative for pairs inside the spectrum: −1 % to −3 % at α/|B| = 0.0025–0.005
 * for the target 1, 1, 2, 2, 3, 3, 4, 4 (tested against Gaussian Δ and against SGD ensembles).
 */
export function teacherStudentPairWidth(
  data: TeacherStudentData,
  alpha: number,
  batch: number,
): TeacherStudentPairWidth {
  requirePositive("learning rate α", alpha);
  requireInteger("batch size |B|", batch, 1, data.samples);
  const { inputs: N, outputs: M, samples: n, x, y, teacher } = data;
  let q = 0,
    k4 = 0;
  for (let b = 0; b < n; b++) {
    let x2 = 0,
      e2 = 0;
    for (let j = 0; j < N; j++) x2 += x[b * N + j] ** 2;
    for (let i = 0; i < M; i++) {
      let e = y[b * M + i];
      for (let j = 0; j < N; j++) e -= teacher[i * N + j] * x[b * N + j];
      e2 += e * e;
    }
    q += e2 * x2;
    k4 += x2 * x2;
  }
  q /= n * M * N;
  k4 = k4 / (n * N) - 1;
  const f = (n - batch) / (n - 1);
  const rho = alpha / batch;
  const denom = 2 - alpha - (alpha * f * k4) / batch;
  if (!(denom > 0))
    throw new RangeError(`α = ${alpha}, |B| = ${batch}: SGD has no stationary variance here (2 − α − αf k₄/|B| ≤ 0)`);
  const v = (rho * f * q) / denom;
  const discrete = (xs: number) => 4 * xs * v;
  const spacingCorrection = (xs: number) => pairSpacingCorrection(data.target, data.outputs, xs, v);
  return {
    leading: (xs) => 2 * xs * data.noise ** 2 * rho,
    discrete,
    v,
    spacingCorrection,
    meanSpacing: (xs) => Math.sqrt(Math.PI * discrete(xs)) * (1 + spacingCorrection(xs)),
    q,
    k4,
    f,
  };
}

/**
 * δ(x*), the relative second-order correction to the mean spacing √π σ of a degenerate pair x* of
 * the target spectrum of X* = W*ᵀW* (derivation on `teacherStudentPairWidth`), when the entries of
 * Δ = W − W* are i.i.d. with variance v:
 *
 *   δ = v [ (1 + M − N)/(4x*) + ½ Σ_{k∉pair} (x* − 3x_k)/(x* − x_k)² ].
 *
 * @param target the N eigenvalues of X*, each ≥ 0; x* must occur exactly twice
 * @param outputs M ≥ N, the number of rows of W
 * @param v the per-entry variance (> 0)
 * @throws RangeError when x* is not a degenerate pair of the target, or M < N
 */
export function pairSpacingCorrection(target: ArrayLike<number>, outputs: number, xStar: number, v: number): number {
  requirePositive("x*", xStar);
  requirePositive("v", v);
  const N = target.length;
  requireInteger("outputs M", outputs, N);
  const others = Array.from(target).filter((x) => x !== xStar);
  if (others.length !== N - 2)
    throw new RangeError(
      `x* = ${xStar} must be a degenerate pair (exactly two equal levels) of the target ${Array.from(target).join(", ")}`,
    );
  let sum = 0;
  for (const x of others) sum += (xStar - 3 * x) / (xStar - x) ** 2;
  return v * ((1 + outputs - N) / (4 * xStar) + sum / 2);
}

/** One grid point of `teacherStudentScaledSpacings`. */
export interface ScaledSpacingPoint {
  alpha: number;
  batch: number;
  /** α/|B|. */
  ratio: number;
  /** Ŝ = ⟨¼Σ_p S_p/√x*_p⟩ over runs, with its standard error (runs are the independent units). */
  s: number;
  se: number;
  /** The derived Ŝ: ¼Σ_p √π σ_p(1 + δ_p)/√x*_p (`teacherStudentPairWidth(...).meanSpacing`). */
  predicted: number;
  /** The derived finite-step and second-order factor Ŝ_pred/(√(2π) s √(α/|B|)), 1 to leading order. */
  c: number;
}

/**
 * Notebook 09's scaling statistic per grid point: each run's pairs scaled to x* = 1 and averaged,
 * Ŝ = ¼Σ_p S_p/√x*_p, then the mean over runs with its error, beside the derived prediction and the
 * factor c by which it departs from the leading order √(2π) s √(α/|B|). `points` hold each grid
 * point's (α, |B|) and its runs' sorted spectra. Errors: a RangeError for fewer than two runs.
 */
export function teacherStudentScaledSpacings(
  data: TeacherStudentData,
  points: { alpha: number; batch: number; spectra: ArrayLike<number>[] }[],
): ScaledSpacingPoint[] {
  const pairs = degeneratePairs(data.target);
  return points.map((g) => {
    const perRun = g.spectra.map(
      (e) => pairs.reduce((a, p) => a + (e[p + 1] - e[p]) / Math.sqrt(data.target[p]), 0) / pairs.length,
    );
    const m = meanWithError(perRun);
    const w = teacherStudentPairWidth(data, g.alpha, g.batch);
    const predicted =
      pairs.reduce((a, p) => a + w.meanSpacing(data.target[p]) / Math.sqrt(data.target[p]), 0) / pairs.length;
    const ratio = g.alpha / g.batch;
    return {
      alpha: g.alpha,
      batch: g.batch,
      ratio: ratio,
      s: m.value,
      se: m.se,
      predicted: predicted,
      c: predicted / (Math.sqrt(2 * Math.PI * ratio) * data.noise),
    };
  });
}
