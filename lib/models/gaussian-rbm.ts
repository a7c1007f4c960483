import { Stream } from "../random/stream";
import { drawSubset } from "../random/subset";
import { orthonormalizeColumns } from "../linalg/gram-schmidt";
import { SymmetricEigen } from "../linalg/symmetric-eigen";
import { gramMatrix } from "../linalg/gram";
import { requireInteger, requirePositive, requireLength } from "../util/validate";
import { choleskyInPlace, choleskySolve } from "../linalg/cholesky";

/**
 * Spectrum of the one-dimensional lattice scalar field on a periodic chain of N sites,
 * K = (m² + 2)I − shift − shiftᵀ: κ_k = m² + 2 − 2cos(2πk/N), k = 0..N−1. Modes k and N − k are
 * degenerate (all but k = 0 and, for even N, k = N/2).
 */
export function latticeSpectrum(sites: number, mass2: number): Float64Array {
  requireInteger("sites", sites, 2);
  requirePositive("m²", mass2);
  return Float64Array.from({ length: sites }, (_, k) => mass2 + 2 - 2 * Math.cos((2 * Math.PI * k) / sites)).sort();
}

/** The lattice kernel K (N×N, row-major). */
export function latticeKernel(sites: number, mass2: number): Float64Array {
  const k = new Float64Array(sites * sites);
  for (let i = 0; i < sites; i++) {
    k[i * sites + i] = mass2 + 2;
    k[i * sites + ((i + 1) % sites)] -= 1;
    k[i * sites + ((i + sites - 1) % sites)] -= 1;
  }
  return k;
}

/**
 * The real orthonormal Fourier modes of the periodic chain, sorted by κ ascending: column k of
 * `basis` (N×N, row-major) is the eigenvector of the lattice kernel with eigenvalue kappa[k]
 * (cosine and sine partners of a degenerate pair are adjacent).
 */
export function latticeModes(sites: number, mass2: number): { basis: Float64Array; kappa: Float64Array } {
  requireInteger("sites", sites, 2);
  requirePositive("m²", mass2);
  const N = sites;
  // Order: k = 0, then (cos k, sin k) for k = 1, 2, ..., then k = N/2 for even N.
  const order: { k: number; sin: boolean }[] = [{ k: 0, sin: false }];
  for (let k = 1; 2 * k < N; k++) order.push({ k, sin: false }, { k, sin: true });
  if (N % 2 === 0) order.push({ k: N / 2, sin: false });
  const basis = new Float64Array(N * N);
  const kappa = new Float64Array(N);
  order.forEach(({ k, sin }, col) => {
    const p = (2 * Math.PI * k) / N;
    kappa[col] = mass2 + 2 - 2 * Math.cos(p);
    for (let i = 0; i < N; i++) {
      let v: number;
      if (k === 0) v = 1 / Math.sqrt(N);
      else if (2 * k === N) v = (i % 2 === 0 ? 1 : -1) / Math.sqrt(N);
      else v = Math.sqrt(2 / N) * (sin ? Math.sin(p * i) : Math.cos(p * i));
      basis[i * N + col] = v;
    }
  });
  return { basis, kappa };
}

/**
 * Weights whose singular vectors are the lattice modes: W = E diag(√x0) on the `hidden` softest
 * modes (visible×hidden). The exact gradient flow keeps this alignment, so each x_k evolves on its
 * own (see rbmExactGradientSpectrum).
 */
export function alignedRbmWeights(sites: number, mass2: number, hidden: number, x0: number): Float64Array {
  requireInteger("hidden", hidden, 1, sites);
  requirePositive("x0", x0);
  const { basis } = latticeModes(sites, mass2);
  const w = new Float64Array(sites * hidden);
  for (let i = 0; i < sites; i++)
    for (let a = 0; a < hidden; a++) w[i * hidden + a] = basis[i * sites + a] * Math.sqrt(x0);
  return w;
}

/**
 * The deterministic limit of the PCD update (exact data and model covariances) for aligned
 * weights: ξ_k' = ξ_k(1 + α(1/κ_k − 1/(μ² − ξ_k²))), i.e. for x = ξ²
 * x' = x(1 + α(1/κ − 1/(μ² − x)))², whose continuous-time limit is dx/dt = 2(1/κ − 1/(μ² − x))x.
 * With `factor` = 1 it iterates the talk's drift instead, x' = x + α(1/κ − 1/(μ² − x))x.
 */
export function rbmExactGradientSpectrum(
  kappa: ArrayLike<number>,
  mu2: number,
  x0: ArrayLike<number>,
  alpha: number,
  steps: number,
  factor: 1 | 2 = 2,
): Float64Array {
  requirePositive("learning rate α", alpha);
  requireInteger("steps", steps, 0);
  requireLength("x0", x0, kappa.length);
  const x = Float64Array.from(x0);
  for (let s = 0; s < steps; s++)
    for (let k = 0; k < x.length; k++) {
      const g = 1 / kappa[k] - 1 / (mu2 - x[k]);
      x[k] = factor === 2 ? x[k] * (1 + alpha * g) ** 2 : x[k] * (1 + alpha * g);
    }
  return x;
}

/**
 * A data set of n field configurations whose empirical covariance is exactly K⁻¹ of the lattice
 * field: Z (n×N) with orthonormal columns, scaled by √n, times K^{-1/2} (from the Fourier modes of
 * the periodic chain). Then ⟨φφᵀ⟩_data = K⁻¹ exactly and the RBM's exact fixed point is the
 * target spectrum, so that the spread after training is due to SGD alone.
 */
export function latticeFieldData(sites: number, mass2: number, samples: number, stream: Stream): Float64Array {
  requireInteger("samples", samples, sites);
  const z = orthonormalizeColumns(stream.fillNormal(new Float64Array(samples * sites)), samples, sites);
  // K^{-1/2} = Σ_k κ_k^{-1/2} e_k e_kᵀ over the real orthonormal Fourier basis e_k.
  const N = sites;
  const { basis, kappa } = latticeModes(sites, mass2);
  const root = new Float64Array(N * N);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < N; k++) s += (basis[i * N + k] * basis[j * N + k]) / Math.sqrt(kappa[k]);
      root[i * N + j] = s;
    }
  const out = new Float64Array(samples * N);
  const rootN = Math.sqrt(samples);
  for (let b = 0; b < samples; b++)
    for (let i = 0; i < N; i++) {
      let s = 0;
      for (let j = 0; j < N; j++) s += z[b * N + j] * root[j * N + i];
      out[b * N + i] = rootN * s;
    }
  return out;
}

/**
 * Options of `GaussianRbm`: learning rate, minibatch size, Gibbs steps of the persistent chains,
 * initialisation.
 */
export interface RbmOptions {
  visible: number;
  hidden: number;
  /** μ²: the visible layer's mass; the model kernel is K = μ²I − WWᵀ (σ_h = 1, no biases). */
  mu2: number;
  /** Training data, samples × visible, row-major. */
  data: Float64Array;
  alpha: number;
  batch: number;
  stream: Stream;
  /** Gibbs sweeps of the persistent chains per update (default 1). */
  gibbs?: number;
  /** Scale c of the Marchenko–Pastur initialisation W_ij ~ N(0, c²/visible) (default 0.5). */
  initScale?: number;
  /** Start from these weights (visible×hidden, row-major) instead of the random initialisation. */
  initWeights?: ArrayLike<number>;
  /**
   * Train by Langevin dynamics at this temperature T instead of PCD: the exact gradient
   * (C_data − (μ²I − WWᵀ)⁻¹)W of the whole data set plus isotropic noise,
   * W ← W + α·grad + √(2αT)·ξ, whose stationary law is ∝ exp(L(W)/T) whatever α and |B| (|B| is
   * then unused; no chains). Notebook 09's falsified setting "langevin": noise of a fixed temperature
   * in place of the minibatches' and the chains'. Default: PCD.
   */
  langevin?: number;
}

/**
 * Gaussian–Gaussian restricted Boltzmann machine S(φ, h) = ½μ²φᵀφ + ½hᵀh − φᵀWh, trained by
 * persistent contrastive divergence (PCD). Its visible marginal is N(0, K⁻¹) with K = μ²I − WWᵀ.
 * The log-likelihood gradient is ∂/∂W = (⟨φφᵀ⟩_data − ⟨φφᵀ⟩_model) W: the data term from a
 * minibatch of |B| samples, the model term from |B| persistent Gibbs chains (h|φ ~ N(Wᵀφ, I),
 * φ|h ~ N(Wh/μ², I/μ²)). In the eigenbasis the eigenvalues x = ξ² of WᵀW follow
 * dx/dt = 2(1/κ − 1/(μ² − x))x (the talk's drift K(x) carries no factor 2: notebook 09 checks
 * which is right), with fixed point x* = μ² − κ.
 *
 * The update needs K positive definite; if an eigenvalue of WWᵀ reaches μ² the chains blow up and
 * `run` throws.
 */
export class GaussianRbm {
  readonly visible: number;
  readonly hidden: number;
  readonly w: Float64Array;
  readonly chains: Float64Array;
  private readonly hid: Float64Array;
  private readonly cov: Float64Array;
  private readonly grad: Float64Array;
  private readonly perm: Int32Array;
  private readonly eig: SymmetricEigen;
  private readonly wwt: Float64Array;
  private readonly samples: number;
  /** Langevin mode: the data covariance C_data (V×V), the kernel K and its factor, K⁻¹W, the noise. */
  private readonly langevin?: {
    temperature: number;
    dataCov: Float64Array;
    kernel: Float64Array;
    solved: Float64Array;
    column: Float64Array;
  };

  constructor(readonly o: RbmOptions) {
    requireInteger("visible", o.visible, 1);
    requireInteger("hidden", o.hidden, 1, o.visible);
    requirePositive("μ²", o.mu2);
    requirePositive("learning rate α", o.alpha);
    requireInteger("gibbs sweeps", o.gibbs ?? 1, 1);
    if (o.data.length % o.visible !== 0)
      throw new RangeError(`data length ${o.data.length} is not a multiple of visible = ${o.visible}`);
    this.samples = o.data.length / o.visible;
    requireInteger("batch size |B|", o.batch, 1, this.samples);
    const V = (this.visible = o.visible),
      H = (this.hidden = o.hidden);
    const c = o.initScale ?? 0.5;
    requirePositive("initScale", c);
    if (o.initWeights !== undefined) {
      requireLength("initWeights", o.initWeights, V * H);
      this.w = Float64Array.from(o.initWeights);
    } else this.w = o.stream.fillNormal(new Float64Array(V * H)).map((z) => (c * z) / Math.sqrt(V));
    this.chains = o.stream.fillNormal(new Float64Array(o.batch * V)).map((z) => z / Math.sqrt(o.mu2));
    this.hid = new Float64Array(H);
    this.cov = new Float64Array(V * V);
    this.grad = new Float64Array(V * H);
    this.perm = Int32Array.from({ length: this.samples }, (_, i) => i);
    this.eig = new SymmetricEigen(H);
    this.wwt = new Float64Array(H * H);
    if (this.maxKernelEigenvalueOfWWt() >= o.mu2)
      throw new RangeError("initial W has an eigenvalue of WWᵀ ≥ μ²: lower initScale");
    if (o.langevin !== undefined) {
      requirePositive("Langevin temperature T", o.langevin);
      const dataCov = new Float64Array(V * V),
        n = this.samples;
      for (let b = 0; b < n; b++)
        for (let i = 0; i < V; i++)
          for (let j = 0; j < V; j++) dataCov[i * V + j] += (o.data[b * V + i] * o.data[b * V + j]) / n;
      this.langevin = {
        temperature: o.langevin,
        dataCov,
        kernel: new Float64Array(V * V),
        solved: new Float64Array(V * H),
        column: new Float64Array(V),
      };
    }
  }

  /** One Langevin step (see `RbmOptions.langevin`): W ← W + α(C_data − K⁻¹)W + √(2αT)ξ, K = μ²I − WWᵀ. */
  private langevinStep(): void {
    const { visible: V, hidden: H, w, grad } = this;
    const { temperature, dataCov, kernel, solved, column } = this.langevin!;
    const { alpha, mu2, stream } = this.o;
    for (let i = 0; i < V; i++)
      for (let j = 0; j <= i; j++) {
        let y = 0;
        for (let a = 0; a < H; a++) y += w[i * H + a] * w[j * H + a];
        kernel[i * V + j] = kernel[j * V + i] = (i === j ? mu2 : 0) - y;
      }
    if (!choleskyInPlace(kernel, V))
      throw new RangeError(
        `GaussianRbm (Langevin): K = μ²I − WWᵀ lost positivity (α = ${alpha}, T = ${temperature} too noisy)`,
      );
    for (let a = 0; a < H; a++) {
      for (let i = 0; i < V; i++) column[i] = w[i * H + a];
      choleskySolve(kernel, column, column, V);
      for (let i = 0; i < V; i++) solved[i * H + a] = column[i];
    }
    for (let i = 0; i < V; i++)
      for (let a = 0; a < H; a++) {
        let m = 0;
        for (let j = 0; j < V; j++) m += dataCov[i * V + j] * w[j * H + a];
        grad[i * H + a] = m - solved[i * H + a];
      }
    const sd = Math.sqrt(2 * alpha * temperature);
    for (let k = 0; k < w.length; k++) w[k] += alpha * grad[k] + sd * stream.normal();
  }

  /** `steps` PCD updates W ← W + α(C_data − C_model)W (Langevin steps with `langevin` set). */
  run(steps: number): this {
    requireInteger("steps", steps, 0);
    const { visible: V, hidden: H, w, chains, hid, cov, grad, perm } = this;
    const { data, batch, alpha, stream, mu2 } = this.o;
    const gibbs = this.o.gibbs ?? 1;
    const inv = 1 / batch,
      sdPhi = 1 / Math.sqrt(mu2);
    if (this.langevin) {
      for (let s = 0; s < steps; s++) this.langevinStep();
      return this;
    }
    for (let s = 0; s < steps; s++) {
      // Persistent chains: Gibbs sweeps h|φ then φ|h.
      for (let g = 0; g < gibbs; g++) {
        for (let c = 0; c < batch; c++) {
          const phi = c * V;
          for (let a = 0; a < H; a++) {
            let m = 0;
            for (let i = 0; i < V; i++) m += chains[phi + i] * w[i * H + a];
            hid[a] = m + stream.normal();
          }
          for (let i = 0; i < V; i++) {
            let m = 0;
            for (let a = 0; a < H; a++) m += w[i * H + a] * hid[a];
            chains[phi + i] = m / mu2 + sdPhi * stream.normal();
          }
        }
      }
      // cov = C_data − C_model on the minibatch and the chains.
      cov.fill(0);
      drawSubset(stream, perm, batch);
      for (let t = 0; t < batch; t++) {
        const d = perm[t] * V,
          c = t * V;
        for (let i = 0; i < V; i++) {
          const di = data[d + i],
            ci = chains[c + i];
          for (let j = 0; j <= i; j++) cov[i * V + j] += di * data[d + j] - ci * chains[c + j];
        }
      }
      for (let i = 0; i < V; i++) for (let j = 0; j < i; j++) cov[j * V + i] = cov[i * V + j];
      for (let i = 0; i < V; i++)
        for (let a = 0; a < H; a++) {
          let m = 0;
          for (let j = 0; j < V; j++) m += cov[i * V + j] * w[j * H + a];
          grad[i * H + a] = m;
        }
      for (let k = 0; k < w.length; k++) w[k] += alpha * inv * grad[k];
      if (!(Math.abs(chains[0]) < 1e12)) {
        throw new RangeError(
          `GaussianRbm: the persistent chains diverged (K = μ²I − WWᵀ lost positivity; α = ${alpha}, |B| = ${batch} too noisy)`,
        );
      }
    }
    return this;
  }

  /** Eigenvalues of WᵀW (hidden×hidden), ascending: the learned x_i, targets μ² − κ_i. */
  spectrum(out: Float64Array = new Float64Array(this.hidden)): Float64Array {
    return this.eig.values(gramMatrix(this.w, this.visible, this.hidden, this.wwt), out, Infinity);
  }

  private maxKernelEigenvalueOfWWt(): number {
    const s = this.spectrum();
    return s[s.length - 1];
  }
}

/**
 * The diagonal of WWᵀ in the lattice modes' basis, (EᵀWWᵀE)_kk = |Wᵀe_k|², one value per mode of
 * `latticeModes` (columns k, κ ascending): what first-order perturbation theory of non-degenerate
 * levels calls the learned levels. Notebook 09's falsified setting "uncorrelated-levels" reads these
 * instead of the eigenvalues: the two values of a degenerate pair are then uncorrelated, with no
 * repulsion between them. `w` is sites × hidden, row-major. Errors: a RangeError for a w of the wrong
 * size.
 */
export function rbmModeDiagonal(w: ArrayLike<number>, sites: number, hidden: number, mass2: number): Float64Array {
  requireLength("W (sites·hidden)", w, sites * hidden);
  const { basis } = latticeModes(sites, mass2);
  const out = new Float64Array(sites);
  for (let k = 0; k < sites; k++) {
    let s = 0;
    for (let a = 0; a < hidden; a++) {
      let p = 0;
      for (let i = 0; i < sites; i++) p += basis[i * sites + k] * w[i * hidden + a];
      s += p * p;
    }
    out[k] = s;
  }
  return out;
}

/**
 * Y = WWᵀ in the lattice modes' basis, EᵀWWᵀE (sites × sites, row-major, modes in `latticeModes`'
 * order): the start that `pcdMeanMatrix` relaxes. Errors: as `rbmModeDiagonal`.
 */
export function rbmModeMatrix(w: ArrayLike<number>, sites: number, hidden: number, mass2: number): Float64Array {
  requireLength("W (sites·hidden)", w, sites * hidden);
  const { basis } = latticeModes(sites, mass2);
  const p = new Float64Array(sites * hidden); // EᵀW
  for (let k = 0; k < sites; k++)
    for (let a = 0; a < hidden; a++) {
      let s = 0;
      for (let i = 0; i < sites; i++) s += basis[i * sites + k] * w[i * hidden + a];
      p[k * hidden + a] = s;
    }
  const out = new Float64Array(sites * sites);
  for (let k = 0; k < sites; k++)
    for (let l = 0; l <= k; l++) {
      let s = 0;
      for (let a = 0; a < hidden; a++) s += p[k * hidden + a] * p[l * hidden + a];
      out[k * sites + l] = out[l * sites + k] = s;
    }
  return out;
}
