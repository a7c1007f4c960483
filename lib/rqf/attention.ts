import type { StreamSeed } from "../random/stream";
import { task } from "../parallel/pool";
import { Stream } from "../random/stream";
import { field, pairWithInnerProduct, uniformOnSphere } from "./flow";
import { fillScaledIncrement } from "./noise";
import { requireInRange, requireInteger, requireNonNegative, requirePositive } from "../util/validate";
import { stoppingTimeRate } from "./decay-rate";
import { pairDistance } from "./tasks";

/**
 * Tokens on the sphere moved by self-attention (Geshkovski, Letrouit, Polyanskiy & Rigollet,
 * "A mathematical perspective on transformers", 2023/2025, arXiv:2312.10794), with the RQF's
 * common noise and a random bias added (Engel & Shalova 2026, §1.2 and §5.2):
 *
 *   dx_i = P_{x_i} [ a_i(x) dt + σ ∘dQ x_i + ε ∘dW ],   a_i(x) = Σ_j e^{β⟨x_i,x_j⟩} x_j / Σ_j e^{β⟨x_i,x_j⟩},
 *
 * with Q the RQF's symmetric matrix noise ("half" normalisation: Var dQ_ii = dt, Var dQ_ij = dt/2)
 * and W a Brownian motion in Rⁿ (Var dW_k = dt), both common to all tokens. The attention uses
 * Q = K = V = I, the setting of Geshkovski et al.
 */

/** a_i(x) for every token, projected: out_i = P_{x_i} a_i(x). Points and output are m rows of n. */
export function attentionField(x: Float64Array, n: number, m: number, beta: number, out: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const oi = i * n;
    // softmax weights relative to the largest logit (the token itself, ⟨x_i, x_i⟩ = 1) for stability
    let norm = 0;
    for (let k = 0; k < n; k++) out[oi + k] = 0;
    for (let j = 0; j < m; j++) {
      const oj = j * n;
      let ip = 0;
      for (let k = 0; k < n; k++) ip += x[oi + k] * x[oj + k];
      const wgt = Math.exp(beta * (ip - 1));
      norm += wgt;
      for (let k = 0; k < n; k++) out[oi + k] += wgt * x[oj + k];
    }
    let s = 0;
    for (let k = 0; k < n; k++) {
      out[oi + k] /= norm;
      s += out[oi + k] * x[oi + k];
    }
    for (let k = 0; k < n; k++) out[oi + k] -= s * x[oi + k];
  }
}

/** Input of `tokenDynamicsRun`. */
export interface TokenDynamicsInput {
  /** Ambient dimension (the sphere is S^{n−1}), ≥ 2. */
  n: number;
  /** Tokens, ≥ 2. */
  m: number;
  dt: number;
  T: number;
  /** Attention's inverse temperature β > 0; omit for no attention. */
  beta?: number;
  /** Strength σ ≥ 0 of the RQF's common quadratic noise (default 0). */
  sigma?: number;
  /** Strength ε ≥ 0 of the common random bias (default 0). */
  bias?: number;
  /** Start a pair (m = 2) at inner product z0 (e₁ and z0·e₁ + √(1 − z0²)·e₂); default uniform starts. */
  z0?: number;
  /** Distance below which two tokens count as one cluster (default 1e-2). */
  clusterTol?: number;
  /**
   * "common" (default): one noise path (dQ and dW) for all tokens, the model of this file;
   * "independent": every token draws its own dQ and dW (the falsified setting: the same one-token
   * law with no common noise; token p's from the run stream's child ("token", p)).
   */
  noise?: "common" | "independent";
  seed: StreamSeed;
  index: number;
}

/** Output of `tokenDynamicsRun`. */
export interface TokenDynamics {
  /** ⟨x_0, x_1⟩ at the end. */
  z: number;
  /** Clusters at the end: connected components of |x_i − x_j| < clusterTol (antipodes are distinct). */
  clusters: number;
  /** Tokens within clusterTol of token 0 (token 0 included). */
  withFirst: number;
  /** The first time every token is within clusterTol of token 0 or of its antipode (Infinity if never). */
  clusterTime: number;
}

/**
 * Run the model of this file (see its first comment) for `time` by Heun's scheme (`tokenStepper`).
 * Run `index` of family `seed`: starts, then the noise, from Stream(seed, index).
 * Errors: RangeError for m < 2, n < 2, dt ≤ 0, time ≤ 0, β ≤ 0 (when given), σ < 0, ε < 0, an
 * unknown noise, and for z0 with m ≠ 2.
 */
export function tokenDynamicsRun(o: TokenDynamicsInput): TokenDynamics {
  const tol = o.clusterTol ?? 1e-2;
  requirePositive("clusterTol", tol);
  const { n, m, dt } = o;
  const { x, step } = tokenStepper(o);
  const steps = Math.round(o.T / dt);
  let clusterTime = Infinity;
  for (let k = 1; k <= steps; k++) {
    step();
    if (clusterTime === Infinity && spreadModAntipode(x, n, m) < tol) clusterTime = k * dt;
  }
  let z = 0;
  for (let k = 0; k < n; k++) z += x[k] * x[n + k];
  let withFirst = 0;
  for (let p = 0; p < m; p++) if (distance(x, p, 0, n) < tol) withFirst++;
  return { z: z, clusters: countClusters(x, n, m, tol), withFirst: withFirst, clusterTime: clusterTime };
}

/**
 * The top Lyapunov exponent of `tokenDynamicsRun`'s model from one pair (m = 2, started at z0), by
 * the stopping-time estimator `stoppingTimeRate` on dist(x, ±y) (start default 1e-3).
 */
export function tokenDecayRun(
  o: Omit<TokenDynamicsInput, "m" | "T" | "clusterTol"> & {
    z0: number;
    maxTime: number;
    window: number;
    start?: number;
  },
): { rate: number; tau: number } {
  requirePositive("window", o.window);
  requirePositive("maxTime", o.maxTime);
  const start = o.start ?? 1e-3;
  const { x, step } = tokenStepper({ ...o, m: 2, T: o.maxTime });
  const n = o.n;
  return stoppingTimeRate(
    () => {
      step();
      return pairDistance(x, n);
    },
    { dt: o.dt, maxTime: o.maxTime, window: o.window, start: start },
  );
}

/**
 * The stepper of `tokenDynamicsRun` and `tokenDecayRun`: validated starts `x` (m rows of n; drawn first
 * from Stream(seed, index) unless z0 is given) and `step()`, one Heun step (the Stratonovich solution)
 * of the model with renormalisation onto the sphere after it, advancing `x` in place. Each step draws,
 * per noise source (one, or one per token p from the stream's child ("token", p)), the n(n+1)/2
 * normals of dQ if σ > 0, then the n of dW if ε > 0; the attention drift is evaluated at the start
 * and at the predictor, like the noise. It is Heun on `attentionSde` with renormalisation, on the
 * same increments (tested to rounding). Hand-written on Float64Array without allocation per step:
 * this is the inner loop of every run (npm run bench: the ratio to the generic integrator).
 * Errors: as `tokenDynamicsRun`.
 */
export function tokenStepper(o: TokenDynamicsInput): { x: Float64Array; step: () => void } {
  requireInteger("n", o.n, 2);
  requireInteger("m (tokens)", o.m, 2);
  requirePositive("dt", o.dt);
  requirePositive("T", o.T);
  if (o.beta !== undefined && !(o.beta > 0))
    throw new RangeError(`beta (the attention's inverse temperature) must be > 0, got ${o.beta}`);
  const sigma = o.sigma ?? 0,
    eps = o.bias ?? 0;
  requireNonNegative("sigma (quadratic noise strength)", sigma);
  requireNonNegative("bias (random bias strength)", eps);
  const noiseKind = o.noise ?? "common";
  if (noiseKind !== "common" && noiseKind !== "independent")
    throw new RangeError(`noise must be "common" or "independent", got "${String(o.noise)}"`);
  const { n, m, dt } = o;
  const s = new Stream(o.seed, o.index);
  let x: Float64Array;
  if (o.z0 !== undefined) {
    if (m !== 2) throw new RangeError(`z0 starts a pair: m must be 2, got ${m}`);
    requireInRange("z0", o.z0, -1, 1);
    x = pairWithInnerProduct(n, o.z0);
  } else x = uniformOnSphere(s, n, m);
  // the increments: one dQ and dW for all tokens (common), or one per token (independent)
  const sources = noiseKind === "common" ? 1 : m;
  const streams = noiseKind === "common" ? [s] : Array.from({ length: m }, (_, p) => s.child("token", p));
  const dqs = Array.from({ length: sources }, () => new Float64Array(n * n)),
    dbs = Array.from({ length: sources }, () => new Float64Array(n));
  const normals = new Float64Array((n * (n + 1)) / 2);
  const a0 = new Float64Array(n * m),
    a1 = new Float64Array(n * m),
    g0 = new Float64Array(n * m),
    g1 = new Float64Array(n * m),
    xp = new Float64Array(n * m),
    g = new Float64Array(n);
  const sd = sigma * Math.sqrt(dt),
    sb = eps * Math.sqrt(dt);
  // the noise part of the step for every token: P_y(σ dQ y + ε dW), written into out
  const noise = (y: Float64Array, out: Float64Array): void => {
    for (let p = 0; p < m; p++) {
      const o2 = p * n,
        dq = dqs[sources === 1 ? 0 : p],
        db = dbs[sources === 1 ? 0 : p];
      if (sigma > 0) field(dq, y, o2, n, g);
      else g.fill(0);
      if (eps > 0) {
        let ip = 0;
        for (let k = 0; k < n; k++) ip += y[o2 + k] * db[k];
        for (let k = 0; k < n; k++) g[k] += db[k] - ip * y[o2 + k];
      }
      for (let k = 0; k < n; k++) out[o2 + k] = g[k];
    }
  };
  const step = (): void => {
    for (let q = 0; q < sources; q++) {
      if (sigma > 0) fillScaledIncrement(streams[q], n, sd, sd / Math.SQRT2, dqs[q], normals);
      if (eps > 0) {
        const db = dbs[q];
        streams[q].drawNormals(db, 0, n);
        for (let k = 0; k < n; k++) db[k] *= sb;
      }
    }
    if (o.beta !== undefined) attentionField(x, n, m, o.beta, a0);
    else a0.fill(0);
    noise(x, g0);
    for (let i = 0; i < n * m; i++) xp[i] = x[i] + a0[i] * dt + g0[i];
    if (o.beta !== undefined) attentionField(xp, n, m, o.beta, a1);
    else a1.fill(0);
    noise(xp, g1);
    for (let p = 0; p < m; p++) {
      let norm2 = 0;
      for (let k = 0; k < n; k++) {
        const i = p * n + k;
        x[i] += 0.5 * ((a0[i] + a1[i]) * dt + g0[i] + g1[i]);
        norm2 += x[i] * x[i];
      }
      const inv = 1 / Math.sqrt(norm2);
      for (let k = 0; k < n; k++) x[p * n + k] *= inv;
    }
  };
  return { x: x, step: step };
}

function distance(x: Float64Array, p: number, q: number, n: number): number {
  let d = 0;
  for (let k = 0; k < n; k++) d += (x[p * n + k] - x[q * n + k]) ** 2;
  return Math.sqrt(d);
}

function spreadModAntipode(x: Float64Array, n: number, m: number): number {
  let worst = 0;
  for (let p = 1; p < m; p++) {
    let dm = 0,
      dp = 0;
    for (let k = 0; k < n; k++) {
      dm += (x[p * n + k] - x[k]) ** 2;
      dp += (x[p * n + k] + x[k]) ** 2;
    }
    worst = Math.max(worst, Math.sqrt(Math.min(dm, dp)));
  }
  return worst;
}

/** Connected components of the graph |x_i − x_j| < tol (m rows of n). */
export function countClusters(x: Float64Array, n: number, m: number, tol: number): number {
  const label = new Int32Array(m).fill(-1);
  let count = 0;
  for (let p = 0; p < m; p++) {
    if (label[p] >= 0) continue;
    label[p] = count;
    const stack = [p];
    while (stack.length > 0) {
      const q = stack.pop() as number;
      for (let r = 0; r < m; r++)
        if (label[r] < 0 && distance(x, q, r, n) < tol) {
          label[r] = count;
          stack.push(r);
        }
    }
    count++;
  }
  return count;
}

/**
 * The splitting probability with self-attention and common noise: P(Z_t → +1 | Z₀ = z0) for two
 * tokens of `tokenDynamicsRun` with β > 0, σ > 0 and no bias. Their inner product is the diffusion
 * (derived in notebook 14)
 *   dZ = (1 − Z²)(2w(Z) − σ²Z) dt + √2·σ(1 − Z²) dW,   w(z) = 1/(1 + e^{β(1−z)}),
 * with scale density s′(z) = (1 − z²)^{−1/2} exp(−(2/σ²)∫₀^z w(u)/(1 − u²) du)
 *   = (1 + z)^a (1 − z)^b exp(−(2/σ²)R(z)),  a = −½ − w(−1)/σ²,  b = −½ + w(1)/σ² = −½ + 1/(2σ²),
 * R(z) = ∫₀^z ½[(w(u) − w(1))/(1 − u) + (w(u) − w(−1))/(1 + u)] du smooth. The boundary −1 is
 * reachable (attracting) only when a > −1, i.e. σ² > 2w(−1) = 2/(1 + e^{2β}); at or below that
 * threshold every pair synchronises and the function returns 1. Otherwise
 *   P = ∫_{−1}^{z0} s′ / ∫_{−1}^{1} s′.
 *
 * Method: the power singularity at each end is removed by 1 ± z = L·u^{1/(1+exponent)}, after which
 * the integrand is smooth in u; composite 5-point Gauss–Legendre in u (64 panels), and in R.
 * Accuracy about 1e-8 for |z0| ≤ 0.9 away from the threshold (tested against β → 0, where s′ is a
 * beta density and P a regularised incomplete beta function).
 * Errors: RangeError for z0 ∉ [−1, 1], β ≤ 0, σ ≤ 0.
 */
export function attentionSplittingProbability(z0: number, beta: number, sigma: number): number {
  requireInRange("z0", z0, -1, 1);
  if (!(beta > 0)) throw new RangeError(`beta (the attention's inverse temperature) must be > 0, got ${beta}`);
  requirePositive("sigma (noise strength)", sigma);
  const s2 = sigma * sigma;
  const w = (z: number): number => 1 / (1 + Math.exp(beta * (1 - z)));
  const wm = w(-1),
    wp = 0.5;
  const a = -0.5 - wm / s2,
    b = -0.5 + wp / s2;
  if (a <= -1) return 1;
  if (z0 === -1) return 0;
  if (z0 === 1) return 1;
  const r = (u: number): number => 0.5 * ((w(u) - wp) / (1 - u) + (w(u) - wm) / (1 + u));
  const R = (z: number): number => gaussLegendre(r, 0, z, 16);
  const e = (z: number): number => Math.exp((-2 / s2) * R(z));
  // ∫ over [−1, −1 + L] of (1 + z)^a G(z), G = (1 − z)^b e(z): with 1 + z = L u^q, q = 1/(1 + a),
  // (1 + z)^a dz = L^{1+a} q du
  const fromMinus = (len: number): number => {
    const q = 1 / (1 + a);
    return (
      len ** (1 + a) *
      q *
      gaussLegendre(
        (u) => {
          const z = -1 + len * u ** q;
          return (1 - z) ** b * e(z);
        },
        0,
        1,
        64,
      )
    );
  };
  const fromPlus = (len: number): number => {
    const q = 1 / (1 + b);
    return (
      len ** (1 + b) *
      q *
      gaussLegendre(
        (u) => {
          const z = 1 - len * u ** q;
          return (1 + z) ** a * e(z);
        },
        0,
        1,
        64,
      )
    );
  };
  const total = fromMinus(1) + fromPlus(1);
  const lower = z0 <= 0 ? fromMinus(1 + z0) : total - fromPlus(1 - z0);
  return lower / total;
}

/** Composite five-point Gauss–Legendre rule for ∫_lo^hi f on `panels` equal panels. */
function gaussLegendre(f: (x: number) => number, lo: number, hi: number, panels: number): number {
  const h = (hi - lo) / panels;
  let acc = 0;
  for (let k = 0; k < panels; k++) {
    const mid = lo + (k + 0.5) * h;
    for (let i = 0; i < 5; i++) acc += GL5_W[i] * f(mid + 0.5 * h * GL5_X[i]);
  }
  return 0.5 * h * acc;
}

const GL5_X = [
  0,
  -Math.sqrt(5 - 2 * Math.sqrt(10 / 7)) / 3,
  Math.sqrt(5 - 2 * Math.sqrt(10 / 7)) / 3,
  -Math.sqrt(5 + 2 * Math.sqrt(10 / 7)) / 3,
  Math.sqrt(5 + 2 * Math.sqrt(10 / 7)) / 3,
];
const GL5_W = [
  128 / 225,
  (322 + 13 * Math.sqrt(70)) / 900,
  (322 + 13 * Math.sqrt(70)) / 900,
  (322 - 13 * Math.sqrt(70)) / 900,
  (322 - 13 * Math.sqrt(70)) / 900,
];

/** Worker-task handle of `tokenDynamicsRun`. */
export const tokenDynamicsTask = task("rqf/attention", tokenDynamicsRun);
/** Worker-task handle of `tokenDecayRun`. */
export const tokenDecayTask = task("rqf/attention", tokenDecayRun);
