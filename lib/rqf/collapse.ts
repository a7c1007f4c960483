import type { StreamSeed } from "../random/stream";
import { task } from "../parallel/pool";
import { Stream } from "../random/stream";
import { RqfFlow, uniformOnSphere } from "./flow";
import { fillScaledIncrement } from "./noise";
import { binomialPmf } from "../stats/binomial";
import { poolBins } from "../stats/pool-bins";
import { requireInteger, requirePositive } from "../util/validate";

/**
 * The collapse of m tokens onto the random attractor {a(ω), −a(ω)} (Engel & Shalova 2026,
 * Theorem 4.8), measured so that a configuration that does not collapse cannot pass for one, and
 * the drives that switch the mechanism off for notebooks' falsified settings.
 */

/**
 * What moves the tokens:
 * - "common": the RQF, every token under one noise path (the sources' setting);
 * - "independent": every token under its own noise path (each its own Brownian motion), so each
 *   token still performs the RQF's one-point motion but nothing couples them;
 * - "fixed": no noise; Q_t = A·t with a fixed symmetric A (the paper's Remark 1.1), the gradient
 *   flow of the deterministic quadratic form ½⟨x, Ax⟩, integrated by the same Heun step.
 */
export type TokenDrive = "common" | "independent" | "fixed";

/** Options of `DrivenTokens`. */
export interface DrivenTokensOptions {
  /** Ambient dimension (the sphere is S^{n−1}), ≥ 2. */
  n: number;
  /** Tokens, ≥ 1. */
  m: number;
  /** The step. */
  dt: number;
  drive: TokenDrive;
  /** The matrix A of the "fixed" drive (n×n, symmetric, row by row); required for it, refused otherwise. */
  form?: ArrayLike<number>;
  /**
   * The noise: the "common" drive draws one increment per step from it (exactly `RqfFlow.step`),
   * the "independent" drive token p's increments from its child ("token", p).
   */
  stream: Stream;
}

/**
 * m tokens on S^{n−1} advanced by the RQF's Heun step (`RqfFlow`, "half" normalisation) under one
 * of the drives of `TokenDrive`. The scheme is odd (x ↦ −x commutes with the step) under every
 * drive. No allocation per step.
 * Errors: RangeError for n < 2, m < 1, dt ≤ 0, an unknown drive, a missing, misshapen or
 * non-symmetric `form` for "fixed", or a `form` with another drive.
 */
export class DrivenTokens {
  /** The scheme's step dt. */
  readonly step: number;
  readonly n: number;
  readonly m: number;
  private readonly flow: RqfFlow;
  private readonly advanceImpl: (x: Float64Array) => void;

  constructor(o: DrivenTokensOptions) {
    requireInteger("n", o.n, 2);
    requireInteger("m (tokens)", o.m, 1);
    requirePositive("dt", o.dt);
    requireDrive(o.drive, o.form, o.n);
    const { n, m } = o;
    this.n = n;
    this.m = m;
    this.step = o.dt;
    const h = this.step;
    this.flow = new RqfFlow(n, o.drive === "independent" ? 1 : m, h);
    const flow = this.flow,
      dq = flow.dq;
    if (o.drive === "fixed") {
      for (let i = 0; i < n * n; i++) dq[i] = o.form![i] * h;
      this.advanceImpl = (x) => flow.stepPoints(x);
      return;
    }
    if (o.drive === "common") {
      const s = o.stream;
      this.advanceImpl = (x) => flow.step(s, x);
    } else {
      const streams = Array.from({ length: m }, (_, p) => o.stream.child("token", p));
      // each token's row as a view, made once per points array rather than per step
      let rowsOf: Float64Array | null = null,
        rows: Float64Array[] = [];
      this.advanceImpl = (x) => {
        if (x !== rowsOf) {
          rowsOf = x;
          rows = Array.from({ length: m }, (_, p) => x.subarray(p * n, (p + 1) * n));
        }
        for (let p = 0; p < m; p++) flow.step(streams[p], rows[p]);
      };
    }
  }

  /** One step of the scheme for the m tokens x (rows of n), in place. */
  advance(x: Float64Array): void {
    this.advanceImpl(x);
  }
}

/**
 * Validate a drive and its form: the drive must be one of `TokenDrive`; "fixed" needs a finite
 * symmetric n×n `form` (row by row), the others take none. Errors: RangeError naming what is wrong.
 */
export function requireDrive(drive: TokenDrive, form: ArrayLike<number> | undefined, n: number): void {
  if (drive !== "common" && drive !== "independent" && drive !== "fixed")
    throw new RangeError(`drive must be "common", "independent" or "fixed", got "${String(drive)}"`);
  if (drive !== "fixed") {
    if (form !== undefined) throw new RangeError(`form is the "fixed" drive's matrix; the "${drive}" drive takes none`);
    return;
  }
  if (form === undefined) throw new RangeError(`the "fixed" drive needs form (the matrix A of Q_t = A·t)`);
  if (form.length !== n * n) throw new RangeError(`form must have n² = ${n * n} entries, got ${form.length}`);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const a = form[i * n + j],
        b = form[j * n + i];
      if (!(Number.isFinite(a) && a === b))
        throw new RangeError(`form must be a finite symmetric matrix: A[${i}][${j}] = ${a}, A[${j}][${i}] = ${b}`);
    }
}

/** Starts of m tokens: uniform on S^{n−1}, or normalise(e₁ + width·g) with g standard normal. */
export function tokenStarts(stream: Stream, n: number, m: number, width?: number): Float64Array {
  if (width === undefined) return uniformOnSphere(stream, n, m);
  requirePositive("start width", width);
  const x = stream.fillNormal(new Float64Array(n * m));
  for (let p = 0; p < m; p++) {
    let norm = 0;
    for (let i = 0; i < n; i++) {
      x[p * n + i] = (i === 0 ? 1 : 0) + width * x[p * n + i];
      norm += x[p * n + i] ** 2;
    }
    for (let i = 0; i < n; i++) x[p * n + i] /= Math.sqrt(norm);
  }
  return x;
}

/** dist(x_p, ±x_0) = min(|x_p − x_0|, |x_p + x_0|) for token p of x (rows of n). */
function distanceToPoles(x: Float64Array, n: number, p: number): number {
  let dm = 0,
    dp = 0;
  for (let i = 0; i < n; i++) {
    const a = x[p * n + i],
      b = x[i];
    dm += (a - b) ** 2;
    dp += (a + b) ** 2;
  }
  return Math.sqrt(Math.min(dm, dp));
}

/**
 * D = max_p dist(x_p, ±x_0): the largest distance of a token to the nearer of token 0's two poles
 * (0 when the tokens sit on two antipodal points; of order 1 for uniform points).
 */
export function largestPoleDistance(x: Float64Array, n: number, m: number): number {
  let worst = 0;
  for (let p = 1; p < m; p++) worst = Math.max(worst, distanceToPoles(x, n, p));
  return worst;
}

/** Options of `collapseStatistics`. */
export interface CollapseOptions {
  /** The collapse threshold δ: τ is the first step at which D < δ (default 1e-3). */
  threshold?: number;
  /** The window w (time) over which the distances' rate is measured from τ. */
  window: number;
  /** τ is capped here: a configuration that has not collapsed by maxTime gets τ = maxTime. */
  maxTime: number;
}

/** What `collapseStatistics` measures. */
export interface Collapse {
  /** D at the start (of order 1 for uniform starts). */
  spreadAtStart: number;
  /** Whether D fell below δ by maxTime. */
  collapsed: boolean;
  /** τ: the first time D < δ, or maxTime if it never was. */
  tau: number;
  /** (log d_q(τ + w) − log d_q(τ))/w for the token q farthest from token 0's poles at τ (d_q(τ) = D(τ)), d_p = dist(x_p, ±x_0). */
  rate: number;
  /** (log D(τ + w) − log D(τ))/w, the largest distance's own rate. */
  spreadRate: number;
  /** Tokens within δ of token 0 at τ, token 0 included: the size of token 0's cluster. */
  cluster: number;
  /** D at τ + w. */
  spreadAtEnd: number;
  /** Token 0 at τ + w: one of the two poles (to within D). */
  pole: number[];
}

/**
 * The collapse of m tokens x (rows of n, moved in place by `advance`, one step of length `step`):
 * τ is the first step at which D = max_p dist(x_p, ±x_0) < δ (capped at maxTime); then the tokens
 * run for the window w, and the rate is the log-distance increment per unit time of the token q
 * that sets D(τ), the last to arrive.
 *
 * Why this estimator: from τ on every token is within δ of a pole, where the flow is linear, so
 * log d_q grows by the linearised cocycle applied to token q's offset. For an isotropic flow (the
 * RQF: its law is invariant under rotations, which act transitively on unit tangent vectors) the
 * log-growth of any tangent vector is a process with independent stationary increments of mean λ₁
 * per unit time, and q and its offset are fixed by the past (τ is a stopping time): the rate's mean
 * is λ₁ of the scheme exactly, up to O(δ) from the non-linearity. Tokens that collapsed long before
 * τ are not used: their distances would reach rounding (1e-16) within the window. The largest
 * distance's own rate, `spreadRate`, is biased upwards by up to the top singular direction's excess
 * (≈ log 2/w). A configuration that does not collapse gets τ = maxTime and the rate of whatever it
 * does then (≈ 0 for tokens that do not approach each other), so it cannot pass for a collapse.
 *
 * Errors: RangeError for m < 2, step, window or maxTime ≤ 0, δ outside (0, 1).
 */
export function collapseStatistics(
  x: Float64Array,
  n: number,
  m: number,
  advance: () => void,
  step: number,
  o: CollapseOptions,
): Collapse {
  requireInteger("m (tokens)", m, 2);
  requirePositive("step", step);
  requirePositive("window", o.window);
  requirePositive("maxTime", o.maxTime);
  const delta = o.threshold ?? 1e-3;
  if (!(delta > 0 && delta < 1)) throw new RangeError(`threshold must be in (0, 1), got ${delta}`);
  const maxSteps = Math.round(o.maxTime / step),
    windowSteps = Math.max(1, Math.round(o.window / step));
  const spreadAtStart = largestPoleDistance(x, n, m);
  let k = 0;
  let spread = spreadAtStart;
  while (!(spread < delta) && k < maxSteps) {
    advance();
    k++;
    spread = largestPoleDistance(x, n, m);
  }
  const collapsed = spread < delta;
  let q = 1;
  for (let p = 2; p < m; p++) if (distanceToPoles(x, n, p) > distanceToPoles(x, n, q)) q = p;
  const logStart = Math.log(distanceToPoles(x, n, q));
  let cluster = 0;
  for (let p = 0; p < m; p++) {
    let d = 0;
    for (let i = 0; i < n; i++) d += (x[p * n + i] - x[i]) ** 2;
    if (Math.sqrt(d) < delta) cluster++;
  }
  const logSpread = Math.log(spread);
  for (let j = 0; j < windowSteps; j++) advance();
  const w = windowSteps * step;
  const rate = (Math.log(distanceToPoles(x, n, q)) - logStart) / w;
  const spreadAtEnd = largestPoleDistance(x, n, m);
  return {
    spreadAtStart,
    collapsed,
    tau: k * step,
    rate,
    spreadRate: (Math.log(spreadAtEnd) - logSpread) / w,
    cluster,
    spreadAtEnd,
    pole: Array.from(x.subarray(0, n)),
  };
}

/** Input of `tokenCollapseRun`. */
export interface TokenCollapseInput extends CollapseOptions {
  n: number;
  m: number;
  dt: number;
  drive: TokenDrive;
  /** A of the "fixed" drive. */
  form?: number[];
  /** Start width around e₁ (default: uniform starts). */
  startWidth?: number;
  seed: StreamSeed;
  index: number;
}

/**
 * m tokens from uniform starts (or a cluster around e₁) under one drive until they collapse onto
 * two antipodal points, then a window (`collapseStatistics`). Streams of run `index` of family
 * `seed`: the starts from child "starts", the noise from child "noise" (common) or its children
 * ("token", p) (independent).
 */
export function tokenCollapseRun(o: TokenCollapseInput): Collapse {
  const root = new Stream(o.seed, o.index);
  const x = tokenStarts(root.child("starts", 0), o.n, o.m, o.startWidth);
  const tokens = new DrivenTokens({
    n: o.n,
    m: o.m,
    dt: o.dt,
    drive: o.drive,
    form: o.form,
    stream: root.child("noise", 0),
  });
  return collapseStatistics(x, o.n, o.m, () => tokens.advance(x), tokens.step, o);
}

/** Input of `tokenSnapshotRun`. */
export interface TokenSnapshotInput {
  n: number;
  m: number;
  dt: number;
  drive: TokenDrive;
  form?: number[];
  startWidth?: number;
  /** Times (increasing, rounded to the scheme's step) at which token 0 is recorded. */
  times: number[];
  seed: StreamSeed;
  index: number;
}

/**
 * Token 0's start and its positions at the given times, for m tokens under one drive. Run `index`
 * of family `seed` draws the starts, then the noise, from Stream(seed, index) (under the common
 * drive, the draws of the former `clusterRun`).
 */
export function tokenSnapshotRun(o: TokenSnapshotInput): { start: number[]; positions: number[][] } {
  const s = new Stream(o.seed, o.index);
  const x = tokenStarts(s, o.n, o.m, o.startWidth);
  const start = Array.from(x.subarray(0, o.n));
  const tokens = new DrivenTokens({ n: o.n, m: o.m, dt: o.dt, drive: o.drive, form: o.form, stream: s });
  const positions: number[][] = [];
  let k = 0;
  for (const t of o.times) {
    const target = Math.round(t / tokens.step);
    if (target < k) throw new RangeError(`times must increase, got ${o.times.join(", ")}`);
    for (; k < target; k++) tokens.advance(x);
    positions.push(Array.from(x.subarray(0, o.n)));
  }
  return { start, positions };
}

/** Worker-task handle of `tokenCollapseRun`. */
export const tokenCollapseTask = task("rqf/collapse", tokenCollapseRun);
/** Worker-task handle of `tokenSnapshotRun`. */
export const tokenSnapshotTask = task("rqf/collapse", tokenSnapshotRun);

/**
 * A symmetric n×n matrix with the law of the RQF's increment over unit time ("half": Var A_ii = 1,
 * Var A_ij = ½, a GOE matrix), row by row: the form A of the "fixed" drive. Its top eigenvalue is
 * simple with probability one (Remark 2.2 of the paper), so the deterministic flow has the two
 * attracting points ±v_max.
 */
export function quadraticForm(stream: Stream, n: number): number[] {
  requireInteger("n", n, 2);
  const a = new Float64Array(n * n);
  fillScaledIncrement(stream, n, 1, Math.SQRT1_2, a, new Float64Array((n * (n + 1)) / 2));
  return Array.from(a);
}

/** One bin of `clusterSizeBins`: cluster sizes K = from + 1 … to + 1 pooled. */
export interface ClusterSizeBin {
  observed: number;
  expected: number;
  from: number;
  to: number;
  /** "K" or "K₁–K₂". */
  label: string;
}

/**
 * The cluster sizes K of token 0 (one per run, 1 ≤ K ≤ m) against K − 1 ~ Binomial(m − 1, ½), the
 * law the flow's oddness gives two antipodal clusters of uniform starts: counts per K, bins pooled
 * until each expects at least 5 (`poolBins`), the standardised residuals (observed − expected)/√expected
 * for Pearson's χ², and the residuals of complete synchronisation (every run K = m) in the same
 * units. Errors: RangeError for m < 2, no runs, or a size outside 1…m.
 */
export function clusterSizeBins(
  clusters: ArrayLike<number>,
  m: number,
): { bins: ClusterSizeBin[]; residuals: number[]; synchronisedResiduals: number[] } {
  requireInteger("m (tokens)", m, 2);
  if (clusters.length < 1) throw new RangeError("clusterSizeBins needs at least one run");
  const observed = new Array<number>(m).fill(0);
  for (let i = 0; i < clusters.length; i++) {
    const k = clusters[i];
    if (!(Number.isInteger(k) && k >= 1 && k <= m))
      throw new RangeError(`cluster sizes must be integers in 1…${m}, got ${k} for run ${i}`);
    observed[k - 1]++;
  }
  const runs = clusters.length;
  const expected = observed.map((_, k) => runs * binomialPmf(k, m - 1, 0.5));
  const bins = poolBins(observed, expected).map((b) => ({
    ...b,
    label: b.from === b.to ? `${b.from + 1}` : `${b.from + 1}–${b.to + 1}`,
  }));
  return {
    bins,
    residuals: bins.map((b) => (b.observed - b.expected) / Math.sqrt(b.expected)),
    synchronisedResiduals: bins.map((b) => (b.observed - (b.to === m - 1 ? runs : 0)) / Math.sqrt(b.expected)),
  };
}
