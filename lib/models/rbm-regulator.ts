import type { Stream } from "../random/stream";
import { choleskyInPlace, choleskySolve } from "../linalg/cholesky";
import { SymmetricEigen } from "../linalg/symmetric-eigen";
import { gramMatrix } from "../linalg/gram";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { requireInteger, requirePositive, requireFinite, requireLength } from "../util/validate";
import { rbmExactGradientSpectrum } from "./gaussian-rbm";

// The Gaussian RBM as an ultraviolet regulator (notebook 16). The visible marginal of the RBM
// S(φ, h) = ½μ²φᵀφ + ½hᵀh − φᵀWh is N(0, K⁻¹) with K = μ²I − WWᵀ (σ_h = 1), so its kernel has the
// eigenvalues μ² − x_a of the N_h learned x_a = eig(WᵀW) and μ² on the other N_v − N_h directions.
// With data covariance C = Σ_k κ_k⁻¹ u_k u_kᵀ the log-likelihood per sample is
// ℓ(W) = −½ tr(C K) + ½ log det K − (N_v/2) log 2π, with gradient ∂ℓ/∂W = (C − K⁻¹)W.
// Fixed points: every column of W lies in a data eigenspace and each of its singular values has
// x = 0 or x = μ² − κ. Learning mode k raises ℓ by ½(t − 1 − log t), t = μ²/κ_k, which is positive
// exactly when κ_k < μ² and grows as κ_k falls: the maximum learns the N_h smallest κ below μ²
// (the infrared ones). Any other choice is a saddle: rotating a column from mode k towards mode j
// changes ℓ by ½x(cos²θ/κ_k + sin²θ/κ_j) + const, which rises towards the smaller κ.

/** What `rbmRegulatedSpectrum` predicts. */
export interface RegulatedSpectrum {
  /** Indices (into the κ given) of the learned modes, by ascending κ. */
  learned: Int32Array;
  /** The N_h eigenvalues of WᵀW at the maximum, ascending: 0 for a slot no mode can fill, μ² − κ otherwise. */
  x: Float64Array;
  /** The N_v eigenvalues of the model kernel K = μ²I − WWᵀ, ascending: κ of each learned mode, μ² elsewhere. */
  kernel: Float64Array;
  /** How many modes have κ < μ² (the most that any N_h can learn). */
  learnable: number;
  /**
   * True when the last learned and the first unlearned mode have the same κ (a degenerate pair split
   * by N_h): the learned subspace is then not unique, though `x` and `kernel` are.
   */
  ambiguous: boolean;
  /** Per mode (order as given), the log-likelihood gain per sample of learning it, ½(t − 1 − log t) with t = μ²/κ; 0 when κ ≥ μ². */
  gain: Float64Array;
  /** The μ² it was computed for. */
  mu2: number;
}

/**
 * The spectrum the likelihood's maximum learns with `hidden` = N_h hidden units and mass μ², for a
 * target whose kernel has the eigenvalues `kappa` (κ_k = 1/variance of data mode k; Infinity for a
 * direction without variance). Method: the fixed-point analysis in the file's header; N_h and μ²
 * both cut the spectrum off in the ultraviolet (large κ).
 * Errors: a RangeError for N_h outside 1…N_v, μ² ≤ 0 or not finite, or a κ ≤ 0 or NaN.
 */
export function rbmRegulatedSpectrum(kappa: ArrayLike<number>, mu2: number, hidden: number): RegulatedSpectrum {
  const V = kappa.length;
  requireInteger("visible units N_v (length of κ)", V, 1);
  requireInteger("hidden units N_h", hidden, 1, V);
  requirePositive("μ²", mu2);
  requireFinite("μ²", mu2);
  for (let k = 0; k < V; k++)
    if (!(kappa[k] > 0))
      throw new RangeError(`κ[${k}] must be > 0 (Infinity for a direction without variance), got ${kappa[k]}`);
  const order = Array.from({ length: V }, (_, k) => k).sort((a, b) => kappa[a] - kappa[b]);
  const learnableModes = order.filter((k) => kappa[k] < mu2);
  const learned = Int32Array.from(learnableModes.slice(0, hidden));
  const x = new Float64Array(hidden);
  learned.forEach((k, i) => (x[i] = mu2 - kappa[k]));
  x.sort();
  const kernel = new Float64Array(V).fill(mu2);
  learned.forEach((k, i) => (kernel[i] = kappa[k]));
  kernel.sort();
  const next = learnableModes[hidden];
  const ambiguous = next !== undefined && Math.abs(kappa[next] - kappa[learned[hidden - 1]]) <= 1e-12 * kappa[next];
  const gain = Float64Array.from(kappa, (k) => (k < mu2 ? 0.5 * (mu2 / k - 1 - Math.log(mu2 / k)) : 0));
  return { learned, x, kernel, learnable: learnableModes.length, ambiguous, gain, mu2 };
}

/**
 * The ultraviolet fixed point: the fixed point of training that learns the N_h *largest* κ below μ²
 * (x = μ² − κ for each, ascending), with the kernel κ on those modes and μ² elsewhere. Training
 * reaches it from weights aligned with those modes, but it is a saddle (notebook 16): the wrong
 * alternative to `rbmRegulatedSpectrum`'s infrared maximum. Fields as there, except `gain`
 * (all zeros) and `ambiguous` (false). Errors: as `rbmRegulatedSpectrum`.
 */
export function ultravioletFixedPoint(kappa: ArrayLike<number>, mu2: number, hidden: number): RegulatedSpectrum {
  const ir = rbmRegulatedSpectrum(kappa, mu2, hidden); // validates
  const learnableModes = Array.from({ length: kappa.length }, (_, k) => k)
    .filter((k) => kappa[k] < mu2)
    .sort((a, b) => kappa[b] - kappa[a]);
  const learned = Int32Array.from(learnableModes.slice(0, hidden)).sort((a, b) => kappa[a] - kappa[b]);
  const x = new Float64Array(hidden);
  learned.forEach((k, i) => (x[i] = mu2 - kappa[k]));
  x.sort();
  const kernel = new Float64Array(kappa.length).fill(mu2);
  learned.forEach((k, i) => (kernel[i] = kappa[k]));
  kernel.sort();
  return { learned, x, kernel, learnable: ir.learnable, ambiguous: false, gain: new Float64Array(kappa.length), mu2 };
}

/**
 * The data's modes from its covariance C (N_v×N_v, row-major): the eigen-decomposition of C by
 * ml-matrix's EigenvalueDecomposition, with variance λ_k, κ_k = 1/λ_k (Infinity where λ_k ≤ 1e-12
 * λ_max: a direction without variance), the eigenvectors as the columns of `basis` (row-major), and
 * a bound on each κ's rounding error, 100·N_v·ε·λ_max/λ_k² (κ = 1/λ amplifies the eigenvalue's
 * absolute error ~N_v·ε·λ_max; Infinity for κ = ∞). Errors: a RangeError for a covariance of the
 * wrong length.
 */
export function covarianceModes(
  covariance: ArrayLike<number>,
  visible: number,
): { variance: number[]; kappa: number[]; basis: Float64Array; kappaError: number[] } {
  requireInteger("visible units N_v", visible, 1);
  requireLength("covariance (N_v·N_v entries)", covariance, visible * visible);
  const V = visible;
  const eig = new EigenvalueDecomposition(
    new Matrix(Array.from({ length: V }, (_, i) => Array.from({ length: V }, (_, j) => covariance[i * V + j]))),
  );
  const variance = eig.realEigenvalues;
  const lambdaMax = Math.max(...variance);
  const kappa = variance.map((v) => (v > 1e-12 * lambdaMax ? 1 / v : Infinity));
  const basis = new Float64Array(V * V);
  for (let i = 0; i < V; i++) for (let k = 0; k < V; k++) basis[i * V + k] = eig.eigenvectorMatrix.get(i, k);
  const kappaError = variance.map((v, k) =>
    kappa[k] === Infinity ? Infinity : (100 * V * Number.EPSILON * lambdaMax) / v ** 2,
  );
  return { variance, kappa, basis, kappaError };
}

/**
 * The weight of W in each mode: x_k = ‖u_kᵀW‖² = u_kᵀWWᵀu_k for the columns u_k of `basis` (N_v×N_v,
 * row-major, orthonormal columns), with W N_v×N_h row-major. They sum to ‖W‖²_F = Σ_a x_a; at a fixed
 * point of training (WWᵀ diagonal in the data's modes) x_k is the level learned on mode k.
 * Errors: a RangeError for wrong lengths.
 */
export function modeLevels(
  w: ArrayLike<number>,
  visible: number,
  hidden: number,
  basis: ArrayLike<number>,
): Float64Array {
  requireInteger("visible units N_v", visible, 1);
  requireInteger("hidden units N_h", hidden, 1, visible);
  requireLength("W (N_v·N_h entries)", w, visible * hidden);
  requireLength("basis (N_v·N_v entries)", basis, visible * visible);
  const out = new Float64Array(visible);
  for (let k = 0; k < visible; k++) {
    let s = 0;
    for (let a = 0; a < hidden; a++) {
      let p = 0;
      for (let i = 0; i < visible; i++) p += basis[i * visible + k] * w[i * hidden + a];
      s += p * p;
    }
    out[k] = s;
  }
  return out;
}

/**
 * The fraction of ‖W‖²_F in each mode: f_k = ‖u_kᵀW‖² / ‖W‖²_F (`modeLevels` normalised). The
 * fractions sum to 1; a W whose columns lie in the span of a set S of modes has Σ_{k∈S} f_k = 1.
 * Errors: a RangeError for wrong lengths or W = 0.
 */
export function modeWeightFractions(
  w: ArrayLike<number>,
  visible: number,
  hidden: number,
  basis: ArrayLike<number>,
): Float64Array {
  const out = modeLevels(w, visible, hidden, basis);
  let total = 0;
  for (let k = 0; k < visible; k++) total += out[k];
  if (!(total > 0)) throw new RangeError("modeWeightFractions: W is zero");
  for (let k = 0; k < visible; k++) out[k] /= total;
  return out;
}

/** One eigenspace of the data (its modes share one κ) and how much a trained W learned in it. */
export interface LearnedEigenspace {
  kappa: number;
  /** Indices of its modes (into κ and the basis' columns). */
  modes: number[];
  /** Σ_{k∈E} ‖u_kᵀW‖²: the sum of the levels learned in this eigenspace (basis-independent within it). */
  weight: number;
  /** The same sum at the predicted maximum: Σ (μ² − κ) over its predicted learned modes, 0 if none. */
  predicted: number;
  /** Half of what separates learned from unlearned here (see `classifyLearnedModes`). */
  threshold: number;
  /** weight > threshold. */
  learned: boolean;
}

/**
 * Which of the data's eigenspaces a trained RBM has learned, against a prediction. The modes are
 * grouped by equal κ (relative 1e-9), so that a degenerate pair counts once whatever basis spans it,
 * and each eigenspace E is called learned when its weight ‖P_E W‖²_F exceeds a threshold halfway
 * between "unlearned" (weight 0) and "learned": half its predicted weight if the prediction learns
 * it; half of one level μ² − κ_E if it could be learned but is predicted not to be; and half the
 * smallest predicted level if κ_E ≥ μ² (it cannot be learned at this μ²). `mismatches` counts the
 * eigenspaces whose classification differs from the prediction's; `deviation` is the largest
 * |weight − predicted|/threshold: below 1 no eigenspace can be misclassified, so it says how far a
 * noisy run stays from changing the count.
 * Errors: a RangeError for wrong lengths, or a prediction with nothing learned.
 */
export function classifyLearnedModes(
  w: ArrayLike<number>,
  visible: number,
  hidden: number,
  basis: ArrayLike<number>,
  kappa: ArrayLike<number>,
  predicted: RegulatedSpectrum,
): { eigenspaces: LearnedEigenspace[]; mismatches: number; deviation: number } {
  requireLength("κ (one per visible unit)", kappa, visible);
  const levels = modeLevels(w, visible, hidden, basis);
  const positive = Array.from(predicted.x).filter((v) => v > 0);
  if (positive.length === 0) throw new RangeError("classifyLearnedModes: the prediction learns no mode");
  const smallest = Math.min(...positive),
    mu2 = predicted.mu2;
  const learnedSet = new Set(Array.from(predicted.learned));
  const order = Array.from({ length: visible }, (_, k) => k).sort((a, b) => kappa[a] - kappa[b]);
  const eigenspaces: LearnedEigenspace[] = [];
  for (const k of order) {
    const last = eigenspaces[eigenspaces.length - 1];
    const same =
      last !== undefined && (kappa[k] === last.kappa || Math.abs(kappa[k] - last.kappa) <= 1e-9 * Math.abs(last.kappa));
    const space = same
      ? last
      : { kappa: kappa[k], modes: [] as number[], weight: 0, predicted: 0, threshold: 0, learned: false };
    if (!same) eigenspaces.push(space);
    space.modes.push(k);
    space.weight += levels[k];
    if (learnedSet.has(k)) space.predicted += mu2 - kappa[k];
  }
  for (const e of eigenspaces) {
    e.threshold = e.predicted > 0 ? e.predicted / 2 : e.kappa < mu2 ? (mu2 - e.kappa) / 2 : smallest / 2;
    e.learned = e.weight > e.threshold;
  }
  const mismatches = eigenspaces.filter((e) => e.learned !== e.predicted > 0).length;
  const deviation = Math.max(...eigenspaces.map((e) => Math.abs(e.weight - e.predicted) / e.threshold));
  return { eigenspaces, mismatches, deviation };
}

/** Options of `ExactGradientRbm`. */
export interface ExactRbmOptions {
  /** The data covariance ⟨φφᵀ⟩ (N_v×N_v, row-major, symmetric positive semi-definite; centre the data first). */
  covariance: ArrayLike<number>;
  visible: number;
  hidden: number;
  /** μ², the visible mass: K = μ²I − WWᵀ. */
  mu2: number;
  /** Learning rate α of W ← W + α(C − K⁻¹)W. */
  alpha: number;
  /** Start from these weights (N_v×N_h, row-major) … */
  initWeights?: ArrayLike<number>;
  /** … or from W_ia ~ N(0, c²/N_v) drawn from this stream (Marchenko–Pastur initialisation, as GaussianRbm). */
  stream?: Stream;
  /** c of the random initialisation (default 0.5). */
  initScale?: number;
}

/**
 * A Gaussian RBM trained by full-batch gradient ascent on the exact log-likelihood of a data
 * covariance: W ← W + α(C − K⁻¹)W with K = μ²I − WWᵀ. This is the mean of the PCD update
 * (GaussianRbm), without its minibatch and chain noise, so the fixed point it reaches is the
 * deterministic one of `rbmRegulatedSpectrum`; which fixed point it reaches from a random start is
 * what the stability analysis predicts and this class measures.
 *
 * Why hand-written: one step is a few N_v²·N_h products and one Cholesky factorisation of K, on
 * preallocated Float64Arrays, repeated thousands of times; ml-matrix would allocate per product.
 * Errors: a RangeError for bad sizes, α ≤ 0, a start with an eigenvalue of WWᵀ ≥ μ², or a step that
 * makes K lose positive definiteness (α too large for the stiffest mode, rate 2(μ² − κ)/κ²).
 */
export class ExactGradientRbm {
  readonly visible: number;
  readonly hidden: number;
  readonly w: Float64Array;
  /** Updates taken so far. */
  steps = 0;
  private readonly c: Float64Array;
  private readonly k: Float64Array;
  private readonly y: Float64Array;
  private readonly col: Float64Array;
  private readonly eigH: SymmetricEigen;
  private readonly eigV: SymmetricEigen;
  private readonly mu2: number;
  private readonly alpha: number;

  constructor(o: ExactRbmOptions) {
    const V = (this.visible = o.visible),
      H = (this.hidden = o.hidden);
    requireInteger("visible units N_v", V, 1);
    requireInteger("hidden units N_h", H, 1, V);
    requirePositive("μ²", o.mu2);
    requirePositive("learning rate α", o.alpha);
    requireLength("covariance (N_v·N_v entries)", o.covariance, V * V);
    this.mu2 = o.mu2;
    this.alpha = o.alpha;
    this.c = Float64Array.from(o.covariance);
    if (o.initWeights !== undefined) {
      requireLength("initWeights (N_v·N_h entries)", o.initWeights, V * H);
      this.w = Float64Array.from(o.initWeights);
    } else if (o.stream) {
      const scale = o.initScale ?? 0.5;
      requirePositive("initScale", scale);
      this.w = o.stream.fillNormal(new Float64Array(V * H)).map((z) => (scale * z) / Math.sqrt(V));
    } else throw new RangeError("ExactGradientRbm: give initWeights or a stream for the random initialisation");
    this.k = new Float64Array(V * V);
    this.y = new Float64Array(V * H);
    this.col = new Float64Array(V);
    this.eigH = new SymmetricEigen(H);
    this.eigV = new SymmetricEigen(V);
    if (!this.factorKernel())
      throw new RangeError(`ExactGradientRbm: the initial W has an eigenvalue of WWᵀ ≥ μ² = ${o.mu2}; lower initScale`);
  }

  /** K = μ²I − WWᵀ (N_v×N_v, both triangles) into `out`. */
  private kernelInto(out: Float64Array): Float64Array {
    const { visible: V, hidden: H, w, mu2 } = this;
    for (let i = 0; i < V; i++)
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let a = 0; a < H; a++) s -= w[i * H + a] * w[j * H + a];
        if (i === j) s += mu2; // in this order, as the training step always summed it
        out[i * V + j] = s;
        out[j * V + i] = s;
      }
    return out;
  }

  /** K into this.k, then its Cholesky factor in place; false when K is not positive definite. */
  private factorKernel(): boolean {
    return choleskyInPlace(this.kernelInto(this.k), this.visible);
  }

  /** `steps` updates W ← W + α(C − K⁻¹)W. Returns this. */
  run(steps: number): this {
    requireInteger("steps", steps, 0);
    const { visible: V, hidden: H, w, c, k, y, col, alpha } = this;
    for (let t = 0; t < steps; t++) {
      if (!this.factorKernel())
        throw new RangeError(
          `ExactGradientRbm: K = μ²I − WWᵀ lost positive definiteness at step ${this.steps}; lower α = ${alpha}`,
        );
      // y = K⁻¹W, column by column through the Cholesky factor.
      for (let a = 0; a < H; a++) {
        for (let i = 0; i < V; i++) col[i] = w[i * H + a];
        choleskySolve(k, col, col, V);
        for (let i = 0; i < V; i++) y[i * H + a] = col[i];
      }
      // y ← CW − K⁻¹W, then W += αy (y is complete before W changes).
      for (let i = 0; i < V; i++)
        for (let a = 0; a < H; a++) {
          let s = 0;
          for (let m = 0; m < V; m++) s += c[i * V + m] * w[m * H + a];
          y[i * H + a] = s - y[i * H + a];
        }
      for (let n = 0; n < V * H; n++) w[n] += alpha * y[n];
      this.steps++;
    }
    return this;
  }

  /** The learned spectrum: eigenvalues of WᵀW (N_h), ascending. */
  spectrum(): Float64Array {
    const H = this.hidden;
    return this.eigH.values(
      gramMatrix(this.w, this.visible, H, new Float64Array(H * H)),
      new Float64Array(H),
      Infinity,
    );
  }

  /** The model kernel's spectrum: eigenvalues of K = μ²I − WWᵀ (N_v), ascending. */
  kernelSpectrum(): Float64Array {
    const V = this.visible;
    return this.eigV.values(this.kernelInto(new Float64Array(V * V)), new Float64Array(V), Infinity);
  }

  /** The log-likelihood per sample, ℓ = −½ tr(CK) + ½ log det K − (N_v/2) log 2π. */
  logLikelihood(): number {
    const { visible: V, c, k } = this;
    // tr(CK) from K itself, before the factorisation overwrites it
    this.kernelInto(k);
    let tr = 0;
    for (let n = 0; n < V * V; n++) tr += c[n] * k[n];
    if (!choleskyInPlace(k, V)) return -Infinity;
    let logDet = 0;
    for (let i = 0; i < V; i++) logDet += 2 * Math.log(k[i * V + i]);
    return -0.5 * tr + 0.5 * logDet - 0.5 * V * Math.log(2 * Math.PI);
  }

  /**
   * `count` draws from the model's visible marginal N(0, K⁻¹): φ = L⁻ᵀz with K = LLᵀ and z standard
   * normal from `stream`. Returns count × N_v, row-major.
   */
  sample(stream: Stream, count: number): Float64Array {
    requireInteger("count", count, 1);
    const { visible: V, k } = this;
    if (!this.factorKernel()) throw new RangeError("ExactGradientRbm.sample: K is not positive definite");
    const out = new Float64Array(count * V);
    const z = new Float64Array(V);
    for (let s = 0; s < count; s++) {
      stream.fillNormal(z);
      for (let i = V - 1; i >= 0; i--) {
        let v = z[i];
        for (let m = i + 1; m < V; m++) v -= k[m * V + i] * z[m];
        z[i] = v / k[i * V + i];
      }
      out.set(z, s * V);
    }
    return out;
  }
}

/** What `trainRbmToFixedPoint` returns. */
export interface RbmFixedPointRun {
  rbm: ExactGradientRbm;
  /** Updates taken. */
  steps: number;
  /** Learned spectrum (eigenvalues of WᵀW) and log-likelihood per sample at the end of each block, for plots. */
  history: { step: number; x: Float64Array; logLikelihood: number }[];
  /** Bound on ‖W_∞ − W_T‖_F from the weights' displacements between blocks (Infinity if they do not contract). */
  weightRemainder: number;
  /** Bound on max_a |x_a(∞) − x_a(T)|: the largest of the levels' own tail bounds (ComponentTails). */
  levelRemainder: number;
  /** The slowest of the levels' measured contraction factors per block. */
  contraction: number;
  /** True when the level remainder fell below the tolerance before maxSteps. */
  converged: boolean;
  /** The tolerance of the level remainder that the run aimed at. */
  tolerance: number;
}

/**
 * The tail bound of a linearly converging sequence from its displacements d_b between block ends:
 * with ρ = max(d_b/d_{b−1}, d_{b−1}/d_{b−2}) < 1 (two ratios, so that one lucky block cannot fake
 * convergence), Σ_{j>b} d_j ≤ d_b ρ/(1 − ρ). Ratios are trusted only while the displacements are
 * well above rounding (> 10·floor); once they are not, the last trusted ρ is used with
 * max(d_b, floor), plus the floor for the rounding of the measured value itself. The tail is
 * doubled: while faster components die out the measured ratio approaches the slowest rate from
 * below, and the undoubled bound then sits just under the true remainder (seen in the tests).
 * Infinity until a ratio has been trusted, or while ρ ≥ 1.
 */
class GeometricTail {
  private d1 = Infinity;
  private d2 = Infinity;
  rho = Infinity;
  push(d: number, floor: number): number {
    if (d > 10 * floor) {
      this.rho = this.d2 === Infinity ? Infinity : Math.max(d / this.d1, this.d1 / this.d2);
      this.d2 = this.d1;
      this.d1 = d;
      return this.rho < 1 ? (2 * d * this.rho) / (1 - this.rho) + floor : Infinity;
    }
    return this.rho < 1 ? (2 * Math.max(d, floor) * this.rho) / (1 - this.rho) + floor : Infinity;
  }
}

/**
 * One GeometricTail per component of a vector sequence (the learned levels), and the largest of
 * their bounds: a bound on max_a |v_a(∞) − v_a(T)|. One tail on max_a |Δv_a| is not enough: when
 * the components relax at different rates, the largest displacement can belong to a fast component
 * for many blocks while a slower one, smaller but with a longer tail, is still moving, and the
 * ratio of the maxima is then the fast rate (measured: notebook 16's MNIST run with N_h = 4 at seed
 * 398, where the ratio held at 0.577 per block for 25 blocks while the level nearest the cutoff
 * relaxed at 0.770, and the single tail bound fell 4 % short of the true remainder).
 * `rho` is the slowest trusted contraction over the components.
 */
class ComponentTails {
  private readonly tails: GeometricTail[];
  constructor(components: number) {
    this.tails = Array.from({ length: components }, () => new GeometricTail());
  }
  get rho(): number {
    return this.tails.reduce((r, t) => Math.max(r, t.rho), 0);
  }
  /** Pushes the displacements |v_a(T) − v_a(T − block)| and returns the bound on max_a |v_a(∞) − v_a(T)|. */
  push(next: ArrayLike<number>, prev: ArrayLike<number>, floor: number): number {
    let bound = 0;
    for (let a = 0; a < this.tails.length; a++)
      bound = Math.max(bound, this.tails[a].push(Math.abs(next[a] - prev[a]), floor));
    return bound;
  }
}

/**
 * Trains an ExactGradientRbm in blocks of `block` steps until the remainder of its learned levels
 * falls below `tolerance` or `maxSteps` is reached. Remainders are tail bounds of linearly converging
 * sequences (GeometricTail): one per learned level x_a(T), each with its own contraction
 * (ComponentTails), and one on the weights ‖W(T) − W(T − block)‖_F, with a rounding floor of 100·ε
 * times their size.
 * Options: block (default 100), maxSteps (default 20 000), tolerance (default 1e-10·max(1, x_max)).
 * Errors: as ExactGradientRbm; a RangeError for non-integer block or maxSteps.
 */
export function trainRbmToFixedPoint(
  o: ExactRbmOptions & { block?: number; maxSteps?: number; tolerance?: number },
): RbmFixedPointRun {
  const block = o.block ?? 100,
    maxSteps = o.maxSteps ?? 20000;
  requireInteger("block", block, 1);
  requireInteger("maxSteps", maxSteps, block);
  const rbm = new ExactGradientRbm(o);
  const history: RbmFixedPointRun["history"] = [{ step: 0, x: rbm.spectrum(), logLikelihood: rbm.logLikelihood() }];
  const prevW = Float64Array.from(rbm.w);
  let prevX = history[0].x,
    weightRemainder = Infinity,
    levelRemainder = Infinity,
    converged = false,
    tolerance = NaN;
  const wTail = new GeometricTail(),
    xTail = new ComponentTails(rbm.hidden);
  while (rbm.steps < maxSteps) {
    rbm.run(block);
    let dw = 0,
      norm = 0;
    for (let n = 0; n < rbm.w.length; n++) {
      dw += (rbm.w[n] - prevW[n]) ** 2;
      norm += rbm.w[n] ** 2;
    }
    prevW.set(rbm.w);
    const x = rbm.spectrum();
    history.push({ step: rbm.steps, x, logLikelihood: rbm.logLikelihood() });
    const scale = Math.max(1, x[x.length - 1]);
    weightRemainder = wTail.push(Math.sqrt(dw), 100 * Number.EPSILON * Math.sqrt(norm));
    levelRemainder = xTail.push(x, prevX, 100 * Number.EPSILON * scale);
    prevX = x;
    tolerance = o.tolerance ?? 1e-10 * scale;
    if (levelRemainder <= tolerance) {
      converged = true;
      break;
    }
  }
  return {
    rbm,
    steps: rbm.steps,
    history,
    weightRemainder,
    levelRemainder,
    contraction: xTail.rho,
    converged,
    tolerance,
  };
}

/** How far a trained RBM lies from a predicted fixed point, with the bounds its convergence allows. */
export interface RegulatedComparison {
  /** max_i |K_i − K_pred,i| over the N_v eigenvalues of the kernel K = μ²I − WWᵀ, both ascending. */
  kernelError: number;
  /**
   * What kernelError may be if the run's limit is the prediction: the level remainder if the run
   * converged, its tolerance if it did not (a run that has not settled must already sit within the
   * tolerance), plus the prediction's own rounding.
   */
  kernelBound: number;
  /** The fraction of ‖W‖²_F outside the predicted learned modes (`modeWeightFractions`). */
  outside: number;
  /**
   * What `outside` may be if the run's limit lies in those modes: (weight remainder/‖W‖)² when the
   * run converged (‖P_out W‖ ≤ ‖W − W_∞‖), 0 when it did not; plus 1e-15 for rounding.
   */
  outsideBound: number;
  /** max(kernelError/kernelBound, outside/outsideBound): at most 1 when the run confirms the prediction. */
  ratio: number;
}

/**
 * Compares a trained run (`trainRbmToFixedPoint`) with a predicted fixed point (`rbmRegulatedSpectrum`
 * or `ultravioletFixedPoint`) of the same N_v: the kernel spectra, and the weight outside the
 * predicted modes (given by `basis`, the data's modes as columns), each against the bound the run's
 * convergence allows. The run may have another N_h or μ² than the prediction (a falsified setting);
 * the comparison is then still defined, and fails. Option: predictionRounding, a bound on the
 * predicted kernel's own rounding (e.g. `covarianceModes`' kappaError of the learned modes; default 0).
 * Errors: a RangeError when the run's N_v differs from the prediction's, or for a basis of the wrong length.
 */
export function compareToRegulated(
  run: RbmFixedPointRun,
  predicted: RegulatedSpectrum,
  basis: ArrayLike<number>,
  o: { predictionRounding?: number } = {},
): RegulatedComparison {
  const { visible: V, hidden: H } = run.rbm;
  if (predicted.kernel.length !== V)
    throw new RangeError(`compareToRegulated: the run has N_v = ${V}, the prediction ${predicted.kernel.length}`);
  const kernel = run.rbm.kernelSpectrum();
  let kernelError = 0;
  for (let i = 0; i < V; i++) kernelError = Math.max(kernelError, Math.abs(kernel[i] - predicted.kernel[i]));
  const f = modeWeightFractions(run.rbm.w, V, H, basis);
  const inside = Array.from(predicted.learned).reduce((s, k) => s + f[k], 0);
  const outside = Math.max(0, 1 - inside);
  const norm2 = run.rbm.w.reduce((s, v) => s + v * v, 0);
  const kernelBound = (run.converged ? run.levelRemainder : run.tolerance) + (o.predictionRounding ?? 0);
  const outsideBound = (run.converged ? run.weightRemainder ** 2 / norm2 : 0) + 1e-15;
  return {
    kernelError,
    kernelBound,
    outside,
    outsideBound,
    ratio: Math.max(kernelError / kernelBound, outside / outsideBound),
  };
}

/** What `trainModeLevelsToFixedPoint` returns. */
export interface ModeLevelsRun {
  /** The levels at the end, ascending. */
  x: Float64Array;
  steps: number;
  /** The levels (ascending) at the end of each block, for plots. */
  history: { step: number; x: Float64Array }[];
  /** Bound on max_a |x_a(∞) − x_a(T)| (as `trainRbmToFixedPoint`). */
  levelRemainder: number;
  converged: boolean;
}

/**
 * The eigenvalue-only picture of training: each level x_a stays on its own data mode κ_a and follows
 * that mode's exact full-batch map x′ = x(1 + α(1/κ − 1/(μ² − x)))² (`rbmExactGradientSpectrum`, the
 * update of a column aligned with the mode), with no rotation of columns between modes. Each level
 * then sits in its own well at μ² − κ_a (stable when κ_a < μ²), as in a one-mode Fokker–Planck
 * description; the full matrix update (`ExactGradientRbm`) differs exactly by the rotations, which
 * make every fixed point but the infrared one a saddle. Trained in blocks until the levels' geometric
 * tail bound is below `tolerance`, as `trainRbmToFixedPoint`.
 * Options: block (default 100), maxSteps (default 20 000), tolerance (default 1e-10·max(1, x_max)).
 * Errors: a RangeError for α ≤ 0, mismatched lengths, or non-integer block or maxSteps.
 */
export function trainModeLevelsToFixedPoint(o: {
  kappa: ArrayLike<number>;
  mu2: number;
  x0: ArrayLike<number>;
  alpha: number;
  block?: number;
  maxSteps?: number;
  tolerance?: number;
}): ModeLevelsRun {
  const block = o.block ?? 100,
    maxSteps = o.maxSteps ?? 20000;
  requireInteger("block", block, 1);
  requireInteger("maxSteps", maxSteps, block);
  requirePositive("μ²", o.mu2);
  requireLength("x0 (one level per mode)", o.x0, o.kappa.length);
  const ascending = (v: Float64Array) => Float64Array.from(v).sort();
  let x: Float64Array = Float64Array.from(o.x0),
    steps = 0,
    levelRemainder = Infinity,
    converged = false;
  const history = [{ step: 0, x: ascending(x) }];
  const tail = new ComponentTails(x.length);
  while (steps < maxSteps) {
    const next = rbmExactGradientSpectrum(o.kappa, o.mu2, x, o.alpha, block, 2);
    steps += block;
    const scale = Math.max(1, ...next);
    levelRemainder = tail.push(next, x, 100 * Number.EPSILON * scale);
    x = next;
    history.push({ step: steps, x: ascending(x) });
    if (levelRemainder <= (o.tolerance ?? 1e-10 * scale)) {
      converged = true;
      break;
    }
  }
  return { x: ascending(x), steps, history, levelRemainder, converged };
}
