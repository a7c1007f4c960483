import type { StreamSeed } from "../random/stream";
import { task } from "../parallel/pool";
import { Stream } from "../random/stream";
import { RqfFlow, pairWithInnerProduct, uniformOnSphere } from "./flow";
import { fillScaledIncrement, timeScale } from "./noise";
import type { RqfNormalisation } from "./noise";
import { requireInteger, requirePositive } from "../util/validate";
import { DrivenTokens, requireDrive } from "./collapse";
import { zExpectation, logPoleDistance, onePointCorrelationDensity } from "./z-law";
import type { ZExpectationOptions } from "./z-law";
import { fitLine } from "../stats/linear-fit";
import type { TokenDrive } from "./collapse";

/**
 * The random attractor of the RQF seen from two sides (Engel & Shalova 2026, §3 and §4.2):
 * the two-point motion's limit law, and pullback against forward images of a set of tokens.
 */

/**
 * One two-point run from X₀ = e₁, Y₀ = z0·e₁ + √(1 − z0²)·e₂ for `time`: the final inner product
 * Z = ⟨X, Y⟩ and the final X. Run `index` of family `seed` draws its noise from Stream(seed, index).
 * Over runs, (X, Y) approaches the mixture p(z0)·(uniform on the diagonal) + (1 − p(z0))·(uniform on
 * the antidiagonal) (Proposition 4.10), p the splitting probability. `drive` (default "common")
 * switches the common noise off for falsified settings (`TokenDrive`; "half" normalisation only).
 */
export function twoPointEndRun(o: {
  n: number;
  z0: number;
  dt: number;
  T: number;
  seed: StreamSeed;
  index: number;
  normalisation?: RqfNormalisation;
  drive?: TokenDrive;
  form?: number[];
}): { z: number; x: number[] } {
  requirePositive("T", o.T);
  const s = new Stream(o.seed, o.index);
  const x = pairWithInnerProduct(o.n, o.z0);
  const steps = Math.round(o.T / o.dt);
  if ((o.drive ?? "common") === "common") {
    const f = new RqfFlow(o.n, 2, o.dt, o.normalisation ?? "half");
    for (let k = 0; k < steps; k++) f.step(s, x);
  } else {
    if ((o.normalisation ?? "half") !== "half")
      throw new RangeError(`drive "${o.drive}" runs the "half" normalisation only, got "${o.normalisation}"`);
    const tokens = new DrivenTokens({ n: o.n, m: 2, dt: o.dt, drive: o.drive!, form: o.form, stream: s });
    for (let k = 0; k < steps; k++) tokens.advance(x);
  }
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
  /** Integer times 1, 2, …, T at which the images are taken (the duration T). */
  T: number;
  /** true: run at dt/2; false: run at dt, each step's dQ the sum of two fine increments. */
  fine: boolean;
  seed: StreamSeed;
  index: number;
  normalisation?: RqfNormalisation;
  /**
   * What drives the tokens (default "common", the RQF): "independent" gives token p its own past and
   * future noise (children ("pullback", p), ("forward", p)); "fixed" replaces the noise by Q_t = A·t
   * with A = `form` (the deterministic quadratic form, for which pullback and forward coincide).
   */
  drive?: TokenDrive;
  form?: number[];
}

/**
 * Pullback and forward images of one set of m uniform starts, under one noise path, at the integer
 * times t = 1 … T.
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
 * Errors: RangeError for n < 2, m < 1, T < 2 or dt ≤ 0, an unknown drive, a "fixed" drive
 * without a symmetric n×n form.
 */
export function pullbackForwardRun(o: PullbackForwardInput): { pullback: number[][]; forward: number[][] } {
  requireInteger("n", o.n, 2);
  requireInteger("m (tokens)", o.m, 1);
  requireInteger("T (last integer time)", o.T, 2);
  requirePositive("dt", o.dt);
  const stepsPerUnit = Math.round(1 / o.dt);
  if (Math.abs(stepsPerUnit * o.dt - 1) > 1e-12) throw new RangeError(`dt must divide 1, got ${o.dt}`);
  const { n, m } = o;
  const kappa = timeScale(o.normalisation ?? "half");
  const h = o.dt / 2;
  const root = new Stream(o.seed, o.index);
  const starts = uniformOnSphere(root.child("starts", 0), n, m);
  const fineSteps = 2 * stepsPerUnit * o.T;
  // every fine increment of both noises, drawn once (n² doubles each): the pullback needs them in
  // reverse order and many times over
  const draw = (s: Stream): Float64Array => {
    const all = new Float64Array(fineSteps * n * n);
    const dq = new Float64Array(n * n),
      normals = new Float64Array((n * (n + 1)) / 2);
    for (let j = 0; j < fineSteps; j++) {
      fillScaledIncrement(s, n, Math.sqrt(kappa * h), Math.sqrt((kappa * h) / 2), dq, normals);
      all.set(dq, j * n * n);
    }
    return all;
  };
  const drive = o.drive ?? "common";
  requireDrive(drive, o.form, n);
  // the increments: one array for the common noise, one per token for independent noise, none for
  // the fixed form (its increment is A times the step)
  const streams = drive === "common" ? 1 : drive === "independent" ? m : 0;
  const back = Array.from({ length: streams }, (_, p) => draw(root.child("pullback", p)));
  const ahead = Array.from({ length: streams }, (_, p) => draw(root.child("forward", p)));
  const perToken = drive === "independent";
  const step = o.fine ? h : o.dt;
  const flow = new RqfFlow(n, perToken ? 1 : m, step, o.normalisation ?? "half");
  const nn = n * n;
  if (drive === "fixed") for (let i = 0; i < nn; i++) flow.dq[i] = o.form![i] * step;
  // load the scheme's increment number k (fine: increment k; coarse: fine 2k + 2k+1) into flow.dq
  const load = (noise: Float64Array, k: number): void => {
    if (o.fine) {
      flow.dq.set(noise.subarray(k * nn, (k + 1) * nn));
      return;
    }
    for (let i = 0; i < nn; i++) flow.dq[i] = noise[2 * k * nn + i] + noise[(2 * k + 1) * nn + i];
  };
  const x = new Float64Array(n * m);
  const views = Array.from({ length: m }, (_, p) => x.subarray(p * n, (p + 1) * n));
  // one step of every token with the scheme's increment k of `noise` (per token when independent)
  const advance = (noise: Float64Array[], k: number): void => {
    if (drive === "fixed") flow.stepPoints(x);
    else if (!perToken) {
      load(noise[0], k);
      flow.stepPoints(x);
    } else
      for (let p = 0; p < m; p++) {
        load(noise[p], k);
        flow.stepPoints(views[p]);
      }
  };
  const perUnit = o.fine ? 2 * stepsPerUnit : stepsPerUnit;
  const pullback: number[][] = [],
    forward: number[][] = [];
  for (let t = 1; t <= o.T; t++) {
    x.set(starts);
    // from −t to 0: scheme increment k covers [−(k+1)·step, −k·step], applied from the earliest
    for (let k = t * perUnit - 1; k >= 0; k--) advance(back, k);
    pullback.push(Array.from(x));
  }
  x.set(starts);
  for (let t = 1, k = 0; t <= o.T; t++) {
    for (; k < t * perUnit; k++) advance(ahead, k);
    forward.push(Array.from(x));
  }
  return { pullback: pullback, forward: forward };
}

/**
 * What changes between consecutive integer times, token by token, for images from
 * `pullbackForwardRun`: the distance modulo the antipode, min(|a − b|, |a + b|), between the images
 * at t and t + 1 (entry t − 1), and the inner product ⟨a, b⟩ itself.
 */
export function consecutiveImages(
  images: number[][],
  n: number,
  m: number,
): { distance: number[][]; inner: number[][] } {
  requireInteger("n", n, 2);
  requireInteger("m", m, 1);
  const distance: number[][] = [],
    inner: number[][] = [];
  for (let t = 0; t + 1 < images.length; t++) {
    const a = images[t],
      b = images[t + 1];
    if (a.length !== n * m || b.length !== n * m) throw new RangeError(`each image must have m·n = ${m * n} entries`);
    const d: number[] = [],
      c: number[] = [];
    for (let p = 0; p < m; p++) {
      let dm = 0,
        dp = 0,
        ip = 0;
      for (let i = 0; i < n; i++) {
        const u = a[p * n + i],
          v = b[p * n + i];
        dm += (u - v) ** 2;
        dp += (u + v) ** 2;
        ip += u * v;
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

/** What `pullbackMeasures` computes for one run of `pullbackForwardRun`. */
export interface PullbackMeasures {
  /** Per t = 1 … T − 1: the mean over tokens of log dist(φ_{t+1}x, ±φ_t x) (pullback images). */
  logDistance: number[];
  /** Its least-squares slope over t = windowStart … T − 1. */
  slope: number;
  /** The mean over t and tokens of ⟨φ(t+1, ω)x, φ(t, ω)x⟩ (forward images). */
  forwardInner: number;
  /** Distances below 1e-15 (floored there before the log: rounding, not the flow, sets them). */
  floored: number;
}

/**
 * The per-run statistics of notebook 13's pullback/forward comparison: how far consecutive pullback
 * images of each token are apart (log, averaged over tokens), the slope of that log on the window,
 * and how much consecutive forward images still move (their inner product). Distances are floored
 * at 1e-15 and counted. Errors: RangeError for windowStart outside 1 … T − 2 and as
 * `consecutiveImages`.
 */
export function pullbackMeasures(
  run: { pullback: number[][]; forward: number[][] },
  n: number,
  m: number,
  windowStart: number,
): PullbackMeasures {
  requireInteger("windowStart", windowStart, 1, run.pullback.length - 2);
  const pb = consecutiveImages(run.pullback, n, m),
    fw = consecutiveImages(run.forward, n, m);
  let floored = 0;
  const logDistance = pb.distance.map(
    (row) =>
      row.reduce((a, d) => {
        if (d < 1e-15) floored++;
        return a + Math.log(Math.max(d, 1e-15));
      }, 0) / m,
  );
  const ts = logDistance.map((_, k) => k + 1);
  const slope = fitLine(ts.slice(windowStart - 1), logDistance.slice(windowStart - 1)).slope;
  const forwardInner = fw.inner.reduce((a, row) => a + row.reduce((b, c) => b + c, 0) / m, 0) / fw.inner.length;
  return { logDistance, slope, forwardInner, floored };
}

/**
 * What the continuum RQF on S² predicts for `pullbackMeasures`: E log dist(φ_{t+1}x, ±φ_t x) at
 * t = 1 … T − 1 and the least-squares slope of these means on t = windowStart … T − 1.
 *
 * Derivation: φ_{t+1}x = φ_t(y) with y = φ(1, θ_{−t−1}ω)x, the image of x under the first unit of
 * the longer pullback, which uses noise independent of φ_t's. So the distance has the law of a
 * forward two-point distance at time t started from ⟨x, y⟩, which is distributed as ⟨X₁, X₀⟩ of the
 * one-point motion (`onePointCorrelationDensity(1)`). E log dist then comes from the backward
 * equation of Z (`zExpectation` of `logPoleDistance`), and the slope is that of a line fitted to
 * those means, because the fitted slope is linear in the data. The slope is λ₁ = −1 plus the
 * transient of the pairs that have not yet committed to a pole, which this computes rather than
 * bounds. ("half" normalisation; κ scales time.)
 */
export function pullbackSlopePrediction(
  T: number,
  windowStart: number,
  o: ZExpectationOptions = {},
): { logDistance: number[]; slope: number } {
  requireInteger("T", T, 3);
  requireInteger("windowStart", windowStart, 1, T - 2);
  const ts = Array.from({ length: T - 1 }, (_, k) => k + 1);
  const logDistance = zExpectation(logPoleDistance, ts, { density: onePointCorrelationDensity(1) }, o);
  return { logDistance, slope: fitLine(ts.slice(windowStart - 1), logDistance.slice(windowStart - 1)).slope };
}
