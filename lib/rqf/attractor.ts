import type { StreamSeed } from "../random/stream";
import { task } from "../parallel/pool";
import { Stream } from "../random/stream";
import { RqfFlow, pairWithInnerProduct, uniformOnSphere } from "./flow";
import { fillScaledIncrement, timeScale } from "./noise";
import type { RqfNormalisation } from "./noise";
import { requireInteger, requirePositive } from "../util/validate";

/**
 * The random attractor of the RQF seen from two sides (Engel & Shalova 2026, §3 and §4.2):
 * the two-point motion's limit law, and pullback against forward images of a set of tokens.
 */

/**
 * One two-point run from X₀ = e₁, Y₀ = z0·e₁ + √(1 − z0²)·e₂ for `time`: the final inner product
 * Z = ⟨X, Y⟩ and the final X. Run `index` of family `seed` draws its noise from Stream(seed, index).
 * Over runs, (X, Y) approaches the mixture p(z0)·(uniform on the diagonal) + (1 − p(z0))·(uniform on
 * the antidiagonal) (Proposition 4.10), p the splitting probability.
 */
export function twoPointEndRun(o: { n: number; z0: number; dt: number; time: number; seed: StreamSeed; index: number; normalisation?: RqfNormalisation }): { z: number; x: number[] } {
  requirePositive("time", o.time);
  const f = new RqfFlow(o.n, 2, o.dt, o.normalisation ?? "half");
  const s = new Stream(o.seed, o.index);
  const x = pairWithInnerProduct(o.n, o.z0);
  const steps = Math.round(o.time / o.dt);
  for (let k = 0; k < steps; k++) f.step(s, x);
  let z = 0;
  for (let i = 0; i < o.n; i++) z += x[i] * x[o.n + i];
  return { z: z, x: Array.from(x.subarray(0, o.n)) };
}

/** Input of `pullbackForwardRun`. */
export interface PullbackForwardInput {
  /** Ambient dimension (the sphere is S^{n−1}), ≥ 2. */
  n: number;
  /** Tokens, ≥ 1; their starts are uniform on the sphere. */
  m: number;
  /** Step of the coarse scheme; the fine scheme uses dt/2 on the same Brownian path. */
  dt: number;
  /** Integer times 1, 2, …, T at which the images are taken (T = `horizon`). */
  horizon: number;
  /** true: run at dt/2; false: run at dt, each step's dQ the sum of two fine increments. */
  fine: boolean;
  seed: StreamSeed;
  index: number;
  normalisation?: RqfNormalisation;
}

/**
 * Pullback and forward images of one set of m uniform starts, under one noise path, at the integer
 * times t = 1 … horizon.
 *
 * - Pullback: φ(t, θ_{−t}ω)x, the solution started at time −t and observed at time 0. The noise on
 *   (−∞, 0] is fixed once: fine increment j covers [−(j+1)h, −jh], h = dt/2, so extending t reuses
 *   the increments already drawn, as the definition requires. Each t is a fresh run from −t to 0.
 * - Forward: φ(t, ω)x, one run from time 0 on an independent noise on [0, ∞).
 *
 * Both schemes use the same Brownian path: with `fine` false a step of dt uses the sum of two fine
 * increments (an exact Brownian increment over dt), so the two runs differ only by the
 * discretisation, and a Richardson extrapolation over them has the variance of a difference.
 * Streams: the starts, the pullback noise and the forward noise come from Stream(seed, index)
 * children "starts", "pullback", "forward".
 *
 * Returns, per time t, the images (m rows of n, flattened) for both.
 * Errors: RangeError for n < 2, m < 1, horizon < 2 or dt ≤ 0.
 */
export function pullbackForwardRun(o: PullbackForwardInput): { pullback: number[][]; forward: number[][] } {
  requireInteger("n", o.n, 2);
  requireInteger("m (tokens)", o.m, 1);
  requireInteger("horizon (last integer time)", o.horizon, 2);
  requirePositive("dt", o.dt);
  const stepsPerUnit = Math.round(1 / o.dt);
  if (Math.abs(stepsPerUnit * o.dt - 1) > 1e-12) throw new RangeError(`dt must divide 1, got ${o.dt}`);
  const { n, m } = o;
  const kappa = timeScale(o.normalisation ?? "half");
  const h = o.dt / 2;
  const root = new Stream(o.seed, o.index);
  const starts = uniformOnSphere(root.child("starts", 0), n, m);
  const fineSteps = 2 * stepsPerUnit * o.horizon;
  // every fine increment of both noises, drawn once (n² doubles each): the pullback needs them in
  // reverse order and many times over
  const draw = (s: Stream): Float64Array => {
    const all = new Float64Array(fineSteps * n * n);
    const dq = new Float64Array(n * n), normals = new Float64Array((n * (n + 1)) / 2);
    for (let j = 0; j < fineSteps; j++) {
      fillScaledIncrement(s, n, Math.sqrt(kappa * h), Math.sqrt((kappa * h) / 2), dq, normals);
      all.set(dq, j * n * n);
    }
    return all;
  };
  const back = draw(root.child("pullback", 0));
  const ahead = draw(root.child("forward", 0));
  const flow = new RqfFlow(n, m, o.fine ? h : o.dt, o.normalisation ?? "half");
  const nn = n * n;
  // load the scheme's increment number k (fine: increment k; coarse: fine 2k + 2k+1) into flow.dq
  const load = (noise: Float64Array, k: number): void => {
    if (o.fine) { flow.dq.set(noise.subarray(k * nn, (k + 1) * nn)); return; }
    for (let i = 0; i < nn; i++) flow.dq[i] = noise[2 * k * nn + i] + noise[(2 * k + 1) * nn + i];
  };
  const perUnit = o.fine ? 2 * stepsPerUnit : stepsPerUnit;
  const pullback: number[][] = [], forward: number[][] = [];
  const x = new Float64Array(n * m);
  for (let t = 1; t <= o.horizon; t++) {
    x.set(starts);
    // from −t to 0: scheme increment k covers [−(k+1)·step, −k·step], applied from the earliest
    for (let k = t * perUnit - 1; k >= 0; k--) { load(back, k); flow.stepPoints(x); }
    pullback.push(Array.from(x));
  }
  x.set(starts);
  for (let t = 1, k = 0; t <= o.horizon; t++) {
    for (; k < t * perUnit; k++) { load(ahead, k); flow.stepPoints(x); }
    forward.push(Array.from(x));
  }
  return { pullback: pullback, forward: forward };
}

/**
 * What changes between consecutive integer times, token by token, for images from
 * `pullbackForwardRun`: the distance modulo the antipode, min(|a − b|, |a + b|), between the images
 * at t and t + 1 (entry t − 1), and the inner product ⟨a, b⟩ itself.
 */
export function consecutiveImages(images: number[][], n: number, m: number): { distance: number[][]; inner: number[][] } {
  requireInteger("n", n, 2);
  requireInteger("m", m, 1);
  const distance: number[][] = [], inner: number[][] = [];
  for (let t = 0; t + 1 < images.length; t++) {
    const a = images[t], b = images[t + 1];
    if (a.length !== n * m || b.length !== n * m) throw new RangeError(`each image must have m·n = ${m * n} entries`);
    const d: number[] = [], c: number[] = [];
    for (let p = 0; p < m; p++) {
      let dm = 0, dp = 0, ip = 0;
      for (let i = 0; i < n; i++) {
        const u = a[p * n + i], v = b[p * n + i];
        dm += (u - v) ** 2; dp += (u + v) ** 2; ip += u * v;
      }
      d.push(Math.sqrt(Math.min(dm, dp)));
      c.push(ip);
    }
    distance.push(d);
    inner.push(c);
  }
  return { distance: distance, inner: inner };
}

/** Worker-task handle of `twoPointEndRun`. */
export const twoPointEndTask = task("rqf/attractor", twoPointEndRun);
/** Worker-task handle of `pullbackForwardRun`. */
export const pullbackForwardTask = task("rqf/attractor", pullbackForwardRun);
