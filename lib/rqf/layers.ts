import type { StreamSeed } from "../random/stream";
import { task } from "../parallel/pool";
import { Stream } from "../random/stream";
import { pairWithInnerProduct, uniformOnSphere } from "./flow";
import { fillScaledIncrement } from "./noise";
import { antipodalClusters } from "./token-clustering";
import { requireInRange, requireInteger, requirePositive } from "../util/validate";
import { stoppingTimeRate } from "./decay-rate";
import { pairDistance } from "./tasks";
import { collapseStatistics } from "./collapse";
import type { Collapse, CollapseOptions } from "./collapse";
import type { Estimate } from "../stats/estimate";

/**
 * A transformer with random weights as the paper's §1.2 pictures it: token x passes through layers
 *   x ← normalise(x + √h·F_k(x)),
 * one random map per layer, common to all tokens. Variants of F_k:
 *   "symmetric":    F(x) = G x, G symmetric with Var G_ii = 1, Var G_ij = ½ (the RQF's "half" noise);
 *   "goe":          F(x) = G x, G symmetric with Var G_ii = 2, Var G_ij = 1 (G = (B + Bᵀ)/√2, the GOE
 *                   normalisation: the same layers at step 2h, so the RQF at κ = 2, twice as fast);
 *   "nonsymmetric": F(x) = B x, B with independent N(0, 1) entries (its symmetric part is G above,
 *                   its antisymmetric part an independent rotation generator);
 *   "tanh":         F(x) = tanh(G x) componentwise, G as in "symmetric" (an activation on the branch).
 * With t = k·h, "symmetric" and "nonsymmetric" converge weakly to the Stratonovich flows
 * dX = P_X ∘dQ X and dX = P_X ∘dB X as h → 0 (derived in notebook 14).
 */
export type LayerVariant = "symmetric" | "goe" | "nonsymmetric" | "tanh";

/** Scratch for `applyLayer`. */
export interface LayerScratch {
  g: Float64Array;
  normals: Float64Array;
  y: Float64Array;
}

/** Allocate the scratch `applyLayer` needs for dimension n. */
export function layerScratch(n: number): LayerScratch {
  return { g: new Float64Array(n * n), normals: new Float64Array(n * n), y: new Float64Array(n) };
}

/**
 * Draw one layer's random matrix from the stream and apply the layer to the m tokens x (rows of n),
 * in place. No allocation.
 */
export function applyLayer(
  stream: Stream,
  x: Float64Array,
  n: number,
  m: number,
  dt: number,
  variant: LayerVariant,
  scratch: LayerScratch,
): void {
  const { g, normals, y } = scratch;
  const rh = Math.sqrt(dt);
  if (variant === "nonsymmetric") {
    stream.drawNormals(normals, 0, n * n);
    for (let i = 0; i < n * n; i++) g[i] = rh * normals[i];
  } else if (variant === "symmetric") {
    fillScaledIncrement(stream, n, rh, rh / Math.SQRT2, g, normals);
  } else if (variant === "goe") {
    fillScaledIncrement(stream, n, Math.SQRT2 * rh, rh, g, normals);
  } else {
    fillScaledIncrement(stream, n, 1, 1 / Math.SQRT2, g, normals);
  }
  for (let p = 0; p < m; p++) {
    const o = p * n;
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let j = 0; j < n; j++) r += g[i * n + j] * x[o + j];
      y[i] = variant === "tanh" ? rh * Math.tanh(r) : r;
    }
    let norm2 = 0;
    for (let i = 0; i < n; i++) {
      x[o + i] += y[i];
      norm2 += x[o + i] * x[o + i];
    }
    const inv = 1 / Math.sqrt(norm2);
    for (let i = 0; i < n; i++) x[o + i] *= inv;
  }
}

function requireVariant(v: string): void {
  if (v !== "symmetric" && v !== "goe" && v !== "nonsymmetric" && v !== "tanh")
    throw new RangeError(`variant must be "symmetric", "goe", "nonsymmetric" or "tanh", got "${v}"`);
}

/**
 * Whose layers the tokens pass through: "common" (one random matrix per layer for all tokens, the
 * transformer's) or "independent" (every token draws its own matrices: the same one-token law, no
 * common noise, the falsified setting).
 */
export type LayerNoise = "common" | "independent";

/**
 * One layer for all m tokens under the given noise: `applyLayer` on every token with one matrix
 * ("common", from `stream`) or on each token with its own (token p's from `stream.child("token", p)`).
 */
function layerStepper(
  stream: Stream,
  n: number,
  m: number,
  dt: number,
  variant: LayerVariant,
  noise: LayerNoise,
): (x: Float64Array) => void {
  if (noise !== "common" && noise !== "independent")
    throw new RangeError(`noise must be "common" or "independent", got "${String(noise)}"`);
  const scratch = layerScratch(n);
  if (noise === "common") return (x) => applyLayer(stream, x, n, m, dt, variant, scratch);
  const streams = Array.from({ length: m }, (_, p) => stream.child("token", p));
  let rowsOf: Float64Array | null = null,
    rows: Float64Array[] = [];
  return (x) => {
    if (x !== rowsOf) {
      rowsOf = x;
      rows = Array.from({ length: m }, (_, p) => x.subarray(p * n, (p + 1) * n));
    }
    for (let p = 0; p < m; p++) applyLayer(streams[p], rows[p], n, 1, dt, variant, scratch);
  };
}

/** Input of `layerRun`. */
export interface LayerRunInput {
  n: number;
  /** Tokens, ≥ 2. */
  m: number;
  /** Layer step dt > 0 (the discretised RQF's time step); depth = round(T/dt) layers. */
  dt: number;
  /** Duration in model time. */
  T: number;
  variant: LayerVariant;
  /** Start a pair (m = 2) at inner product z0; default uniform starts. */
  z0?: number;
  /** Common layers (default) or every token its own (`LayerNoise`). */
  noise?: LayerNoise;
  seed: StreamSeed;
  index: number;
}

/** Validated starts of a layer run: the pair at z0, or m uniform tokens drawn from s. */
function layerStarts(
  o: { n: number; m: number; dt: number; variant: LayerVariant; z0?: number },
  s: Stream,
): Float64Array {
  requireInteger("n", o.n, 2);
  requireInteger("m (tokens)", o.m, 2);
  requirePositive("dt (layer step)", o.dt);
  requireVariant(o.variant);
  if (o.z0 === undefined) return uniformOnSphere(s, o.n, o.m);
  if (o.m !== 2) throw new RangeError(`z0 starts a pair: m must be 2, got ${o.m}`);
  requireInRange("z0", o.z0, -1, 1);
  return pairWithInnerProduct(o.n, o.z0);
}

/**
 * Tokens through round(time/h) random layers (see the file's comment). Returns ⟨x_0, x_1⟩ at the
 * end and the antipodal clusters relative to token 0 (`antipodalClusters`). Run `index` of family
 * `seed`: starts, then the layers, from Stream(seed, index) (with independent noise, token p's
 * layers from its child ("token", p)).
 * Errors: RangeError for m < 2, h ≤ 0, an unknown variant or noise, z0 with m ≠ 2.
 */
export function layerRun(o: LayerRunInput): { z: number; withFirst: number; spread: number } {
  requirePositive("T", o.T);
  const s = new Stream(o.seed, o.index);
  const x = layerStarts(o, s);
  const layer = layerStepper(s, o.n, o.m, o.dt, o.variant, o.noise ?? "common");
  const depth = Math.round(o.T / o.dt);
  for (let k = 0; k < depth; k++) layer(x);
  let z = 0;
  for (let i = 0; i < o.n; i++) z += x[i] * x[o.n + i];
  return { z: z, ...antipodalClusters(x, o.n, o.m) };
}

/**
 * The top Lyapunov exponent per unit time t = k·h of the layers, from one pair started at inner
 * product z0, by the stopping-time estimator `stoppingTimeRate` on dist(x, ±y) (start default 1e-3),
 * with τ capped at maxTime (a pair that never comes within `start` of its partner, or of its
 * antipode, gives the rate of what it does from maxTime on, and `capped`): its mean over runs is the
 * layers' linearised growth rate per unit time when every pair approaches.
 */
export function layerDecayRun(o: {
  n: number;
  dt: number;
  variant: LayerVariant;
  z0: number;
  maxTime: number;
  window: number;
  start?: number;
  noise?: LayerNoise;
  seed: StreamSeed;
  index: number;
}): { rate: number; tau: number; capped: boolean } {
  const start = o.start ?? 1e-3;
  const n = o.n;
  const s = new Stream(o.seed, o.index);
  const x = layerStarts({ ...o, m: 2 }, s);
  const layer = layerStepper(s, n, 2, o.dt, o.variant, o.noise ?? "common");
  return stoppingTimeRate(
    () => {
      layer(x);
      return pairDistance(x, n);
    },
    { dt: o.dt, maxTime: o.maxTime, window: o.window, start: start, cap: true },
  );
}

/**
 * A batch of pair runs for ensemble statistics: ⟨x_0, x_1⟩ after round(time/h) layers for pairs
 * started at z0, runs first … first + count − 1 of family `seed` (run i is exactly
 * `layerRun({ …, m: 2, index: i }).z`). One task per batch keeps the messages few when an
 * ensemble has 10⁵ pairs.
 */
export function layerPairs(o: {
  n: number;
  dt: number;
  T: number;
  variant: LayerVariant;
  z0: number;
  noise?: LayerNoise;
  seed: StreamSeed;
  first: number;
  count: number;
}): number[] {
  requireInteger("first", o.first, 0);
  requireInteger("count", o.count, 1);
  const out: number[] = [];
  for (let i = 0; i < o.count; i++)
    out.push(
      layerRun({
        n: o.n,
        m: 2,
        dt: o.dt,
        T: o.T,
        variant: o.variant,
        z0: o.z0,
        noise: o.noise,
        seed: o.seed,
        index: o.first + i,
      }).z,
    );
  return out;
}

/** Input of `layerCollapseRun`. */
export interface LayerCollapseInput extends CollapseOptions {
  n: number;
  /** Tokens, ≥ 2, from uniform starts. */
  m: number;
  dt: number;
  variant: LayerVariant;
  noise?: LayerNoise;
  seed: StreamSeed;
  index: number;
}

/**
 * m tokens from uniform starts through random layers until they collapse onto two antipodal points
 * (`collapseStatistics`: τ the first layer at which every token is within δ of token 0 or of its
 * antipode, capped at maxTime; the cluster of token 0 at τ; the distances' rate over a window).
 * Run `index` of family `seed`: starts, then layers, from Stream(seed, index).
 */
export function layerCollapseRun(o: LayerCollapseInput): Collapse {
  const s = new Stream(o.seed, o.index);
  const x = layerStarts(o, s);
  const layer = layerStepper(s, o.n, o.m, o.dt, o.variant, o.noise ?? "common");
  return collapseStatistics(x, o.n, o.m, () => layer(x), o.dt, o);
}

/**
 * The clustering statistic of pair runs: the fraction p of inner products z with |z| > 1 − closeTo
 * (the pair is within closeTo of the diagonal or the antidiagonal), with its binomial standard
 * error √(p(1 − p)/N). Errors: RangeError for no runs or closeTo outside (0, 1).
 */
export function clusteredFraction(zs: ArrayLike<number>, closeTo: number): Estimate {
  if (zs.length < 1) throw new RangeError("clusteredFraction needs at least one inner product");
  if (!(closeTo > 0 && closeTo < 1)) throw new RangeError(`closeTo must be in (0, 1), got ${closeTo}`);
  let hits = 0;
  for (let i = 0; i < zs.length; i++) if (Math.abs(zs[i]) > 1 - closeTo) hits++;
  const p = hits / zs.length;
  return { value: p, se: Math.sqrt((p * (1 - p)) / zs.length) };
}

/** Worker-task handle of `layerPairs`. */
export const layerPairsTask = task("rqf/layers", layerPairs);
/** Worker-task handle of `layerRun`. */
export const layerTask = task("rqf/layers", layerRun);
/** Worker-task handle of `layerDecayRun`. */
export const layerDecayTask = task("rqf/layers", layerDecayRun);
/** Worker-task handle of `layerCollapseRun`. */
export const layerCollapseTask = task("rqf/layers", layerCollapseRun);
