import type { Stream } from "../random/stream";
import { requireInRange, requireInteger, requireNonNegative, requireStep } from "../util/validate";

/** An optimizer: updates θ in place from the gradient g (same length), keeping its own state. */
export interface Optimizer {
  readonly name: string;
  step(theta: Float64Array, g: Float64Array): void;
}

/** Plain gradient descent θ ← θ − ηg (GD on full batches, SGD on minibatches). Errors: η ≤ 0. */
export function gradientDescent(o: { eta: number }): Optimizer {
  requireStep(o.eta);
  return {
    name: `GD(η = ${o.eta})`,
    step(theta, g) {
      for (let i = 0; i < theta.length; i++) theta[i] -= o.eta * g[i];
    },
  };
}

/**
 * Heavy-ball momentum in PyTorch's convention: v ← βv + g, θ ← θ − ηv (v starts at 0).
 * Errors: η ≤ 0, β outside [0, 1).
 */
export function momentum(o: { eta: number; beta?: number }): Optimizer {
  requireStep(o.eta);
  const beta = o.beta ?? 0.9;
  requireInRange("beta", beta, 0, 1);
  if (beta === 1) throw new RangeError("beta must be < 1");
  let v: Float64Array | null = null;
  return {
    name: `momentum(η = ${o.eta}, β = ${beta})`,
    step(theta, g) {
      v ??= new Float64Array(theta.length);
      for (let i = 0; i < theta.length; i++) {
        v[i] = beta * v[i] + g[i];
        theta[i] -= o.eta * v[i];
      }
    },
  };
}

/**
 * Adam (Kingma & Ba 2015) with bias correction, and, with weightDecay > 0, AdamW's decoupled
 * weight decay (Loshchilov & Hutter 2019): θ ← θ − ηλθ before the Adam update, never through the
 * moments. Step t (from 1): m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
 * θ ← θ − η m̂/(√v̂ + ε), m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ).
 * Defaults: η = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, weightDecay = 0 (0.01 in `adamW`).
 */
export function adam(
  o: { eta?: number; beta1?: number; beta2?: number; eps?: number; weightDecay?: number } = {},
): Optimizer {
  const eta = o.eta ?? 1e-3,
    b1 = o.beta1 ?? 0.9,
    b2 = o.beta2 ?? 0.999,
    eps = o.eps ?? 1e-8,
    wd = o.weightDecay ?? 0;
  requireStep(eta);
  requireInRange("beta1", b1, 0, 1);
  requireInRange("beta2", b2, 0, 1);
  if (b1 === 1 || b2 === 1) throw new RangeError("beta1 and beta2 must be < 1");
  requireNonNegative("eps", eps);
  requireNonNegative("weightDecay", wd);
  let m: Float64Array | null = null,
    v: Float64Array | null = null,
    t = 0;
  return {
    name: wd > 0 ? `AdamW(η = ${eta}, λ = ${wd})` : `Adam(η = ${eta})`,
    step(theta, g) {
      m ??= new Float64Array(theta.length);
      v ??= new Float64Array(theta.length);
      t++;
      const c1 = 1 - Math.pow(b1, t),
        c2 = 1 - Math.pow(b2, t);
      for (let i = 0; i < theta.length; i++) {
        if (wd > 0) theta[i] -= eta * wd * theta[i];
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        theta[i] -= (eta * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
      }
    },
  };
}

/** AdamW: `adam` with decoupled weight decay (default λ = 0.01). */
export function adamW(
  o: { eta?: number; beta1?: number; beta2?: number; eps?: number; weightDecay?: number } = {},
): Optimizer {
  return adam({ ...o, weightDecay: o.weightDecay ?? 0.01 });
}

/**
 * One epoch of minibatches without replacement: a uniformly random permutation of 0…n−1 (Fisher–
 * Yates on `stream`) cut into consecutive batches of `batch` (the last one shorter if batch does
 * not divide n). Errors: a RangeError for a batch size outside 1…n.
 */
export function epochBatches(n: number, batch: number, stream: Stream): Int32Array[] {
  requireInteger("n (samples)", n, 1);
  requireInteger(`batch size (samples per step, N = ${n})`, batch, 1, n);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = stream.int(i + 1);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  const out: Int32Array[] = [];
  for (let s = 0; s < n; s += batch) out.push(perm.slice(s, Math.min(n, s + batch)));
  return out;
}
