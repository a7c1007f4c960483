import { Stream, type StreamSeed } from "../random/stream";
import { requireInteger, requirePositive, requireLength } from "../util/validate";
import { requireSymmetric, SymmetricEigen } from "../linalg/symmetric-eigen";
import type { Potential } from "./coulomb-gas";
import { choleskyInPlace, choleskySolve } from "../linalg/cholesky";

/**
 * Dyson Brownian motion in two forms that must give the same eigenvalue law.
 *
 * Matrix form: a real symmetric X with drift −Ω(X − C) (C symmetric: the target) and noise whose
 * diagonal entries have variance 2g² per unit time and off-diagonal entries g²: the GOE
 * normalisation. Only with that ratio of off-diagonal to diagonal noise do the eigenvalues obey
 * the eigenvalue SDE below with repulsion g²/(x_i − x_j) (second-order perturbation theory: the
 * shift of x_i is Σ_j |dX_ij|²/(x_i − x_j) = Σ_j g² dt/(x_i − x_j)). The talk fixes only
 * √A_ii = √2 g_i; equal variances on and off the diagonal double the off-diagonal terms and make the
 * level noise depend on the eigenvectors (only the GOE ratio is invariant under rotations), so the
 * eigenvalues no longer follow this SDE: not with repulsion g², nor with the doubled 2g²
 * (notebook 08 rejects that variant).
 *
 * Eigenvalue form: dx_i = [−V'(x_i) + Σ_{j≠i} g²/(x_i − x_j)] dt + √2 g dW_i, whose stationary law is
 * the Coulomb gas ∏|x_i − x_j| e^{−ΣV(x_i)/g²} (`CoulombGas`).
 */

/**
 * The matrix SDE dX = −Ω(X − C)dt + noise (GOE-normalised as above), on an n×n row-major state.
 * `scheme: "exact"` uses the exact Ornstein–Uhlenbeck transition (no step-size error at any dt);
 * `"euler-maruyama"` the learning-rate-like update X' = X − Ωdt(X − C) + √(2g²dt)·G (the generic
 * scheme of lib/sde on `dysonMatrixSde`, tested to agree; the class exists for the exact transition
 * and to draw the noise straight into the matrix).
 *
 * Options: `offDiagonal` "goe" (default: off-diagonal noise variance g², half the diagonal's) or
 * "equal" (the off-diagonal entries get the diagonal's variance 2g²: the talk fixes only √A_ii; with
 * this reading the eigenvalues leave Dyson's SDE, notebook 08's falsified setting).
 */
export class DysonMatrixOu {
  readonly n: number;
  readonly x: Float64Array;
  private readonly eig: SymmetricEigen;

  /** The off-diagonal noise: "goe" (variance g², the GOE ratio) or "equal" (2g², the diagonal's). */
  readonly offDiagonal: "goe" | "equal";

  constructor(
    readonly target: Float64Array,
    n: number,
    readonly omega: number,
    readonly g2: number,
    readonly scheme: "exact" | "euler-maruyama" = "exact",
    options: { offDiagonal?: "goe" | "equal" } = {},
  ) {
    requireInteger("n", n, 1);
    const offDiagonal = options.offDiagonal ?? "goe";
    if (offDiagonal !== "goe" && offDiagonal !== "equal")
      throw new RangeError(`offDiagonal must be "goe" or "equal", got "${String(offDiagonal)}"`);
    this.offDiagonal = offDiagonal;
    requireLength("target C (n·n)", target, n * n);
    requireSymmetric(target, n);
    if (scheme !== "exact" && scheme !== "euler-maruyama")
      throw new RangeError(`scheme must be "exact" or "euler-maruyama", got "${String(scheme)}"`);
    requirePositive("omega Ω", omega);
    requirePositive("g²", g2);
    this.n = n;
    this.x = Float64Array.from(target);
    this.eig = new SymmetricEigen(n);
  }

  /** Advances by `steps` steps of size dt. */
  run(stream: Stream, dt: number, steps = 1): this {
    requirePositive("dt", dt);
    const { n, x, target, omega, g2 } = this;
    let decay: number, noise: number; // noise: standard deviation of a diagonal entry's increment
    if (this.scheme === "exact") {
      decay = Math.exp(-omega * dt);
      noise = Math.sqrt((g2 * (1 - decay * decay)) / omega);
    } else {
      decay = 1 - omega * dt;
      noise = Math.sqrt(2 * g2 * dt);
    }
    const off = this.offDiagonal === "goe" ? noise / Math.SQRT2 : noise;
    for (let s = 0; s < steps; s++) {
      for (let i = 0; i < n; i++) {
        const ii = i * n + i;
        x[ii] = target[ii] + decay * (x[ii] - target[ii]) + noise * stream.normal();
        for (let j = i + 1; j < n; j++) {
          const ij = i * n + j;
          const v = target[ij] + decay * (x[ij] - target[ij]) + off * stream.normal();
          x[ij] = v;
          x[j * n + i] = v;
        }
      }
    }
    return this;
  }

  /** Eigenvalues of the current state, ascending (into `out`). */
  eigenvalues(out: Float64Array = new Float64Array(this.n)): Float64Array {
    return this.eig.values(this.x, out, Infinity); // symmetric by construction
  }
}

/**
 * Dyson's eigenvalue SDE with repulsion strength `repulsion`·g² (1 is the GOE value), by a
 * drift-implicit Euler step: the confining drift and the noise are explicit,
 * y = x − V'(x)h + √(2g²h)·η, and the repulsion is implicit,
 *   x'_i = y_i + c h Σ_{j≠i} 1/(x'_i − x'_j),  c = repulsion·g².
 * Why implicit: explicit Euler gives two levels at distance d a kick ch/d, unbounded as d → 0, and
 * the gap of a pair (a two-dimensional Bessel process) comes close to 0 often, so explicit steps
 * cross and blow up. x' is the unique minimiser of the strictly convex
 * ½|z − y|² − ch Σ_{i<j} log(z_j − z_i) on ordered z, found by Newton's method with a line search
 * that keeps the order: the levels never cross, for any h. Weak order 1 like Euler elsewhere.
 *
 * `repulsion` = 0 switches the Coulomb term off: the levels are then independent diffusions in the
 * potential (uncorrelated, "Poisson" levels), stepped explicitly and re-sorted after each step.
 */
export class DysonEigenvalueSde {
  readonly n: number;
  /** Newton iterations used so far (for diagnostics: a few per step). */
  newtonIterations = 0;
  private readonly y: Float64Array;
  private readonly z: Float64Array;
  private readonly grad: Float64Array;
  private readonly hess: Float64Array;
  private readonly dz: Float64Array;

  constructor(
    n: number,
    readonly potential: Potential,
    readonly g2: number,
    readonly repulsion = 1,
  ) {
    requireInteger("n", n, 1);
    requirePositive("g²", g2);
    if (!(repulsion >= 0 && Number.isFinite(repulsion)))
      throw new RangeError(`repulsion must be a finite number ≥ 0, got ${repulsion}`);
    this.n = n;
    this.y = new Float64Array(n);
    this.z = new Float64Array(n);
    this.grad = new Float64Array(n);
    this.hess = new Float64Array(n * n);
    this.dz = new Float64Array(n);
  }

  /** Advances the strictly ascending levels x (length n) by `steps` steps of size dt, in place (ascending after each step). */
  run(x: Float64Array, stream: Stream, dt: number, steps = 1): Float64Array {
    requirePositive("dt", dt);
    requireLength("x", x, this.n);
    for (let i = 1; i < this.n; i++)
      if (!(x[i] > x[i - 1])) throw new RangeError("DysonEigenvalueSde: levels must be strictly ascending");
    const { n, y, potential } = this;
    const noise = Math.sqrt(2 * this.g2 * dt);
    for (let s = 0; s < steps; s++) {
      let shift = 0;
      for (let i = 0; i < n; i++) {
        y[i] = x[i] - potential.derivative(x[i]) * dt + noise * stream.normal();
        shift += y[i] - x[i];
      }
      if (this.repulsion === 0) {
        // Independent levels: the explicit step is exact in the drift's Euler sense; keep them sorted.
        x.set(y);
        x.sort();
        continue;
      }
      // Start Newton from the old levels moved with the centre of mass: strictly ordered.
      shift /= n;
      for (let i = 0; i < n; i++) x[i] += shift;
      this.solveImplicit(x, this.repulsion * this.g2 * dt);
    }
    return x;
  }

  /** ½|v − y|² − a Σ_{i<j} log(v_j − v_i), +∞ off the ordered cone. */
  private objective(v: Float64Array, a: number): number {
    const { n, y } = this;
    let f = 0;
    for (let i = 0; i < n; i++) {
      f += 0.5 * (v[i] - y[i]) ** 2;
      for (let j = 0; j < i; j++) {
        const d = v[i] - v[j];
        if (!(d > 0)) return Infinity;
        f -= a * Math.log(d);
      }
    }
    return f;
  }

  /** Minimises ½|z − y|² − a Σ_{i<j} log(z_j − z_i) starting from the ordered z = x; result in x. */
  private solveImplicit(x: Float64Array, a: number): void {
    const { n, y, z, grad, hess, dz } = this;
    let f = this.objective(x, a);
    for (let it = 0; it < 100; it++) {
      this.newtonIterations++;
      let gmax = 0;
      hess.fill(0);
      for (let i = 0; i < n; i++) {
        let g = x[i] - y[i];
        hess[i * n + i] = 1;
        for (let j = 0; j < n; j++) {
          if (j === i) continue;
          const d = x[i] - x[j];
          g -= a / d;
          const w = a / (d * d);
          hess[i * n + i] += w;
          hess[i * n + j] = -w;
        }
        grad[i] = g;
        gmax = Math.max(gmax, Math.abs(g));
      }
      if (gmax <= 1e-14 * (1 + Math.abs(x[0]) + Math.abs(x[n - 1]))) return;
      choleskyInPlace(hess, n); // H = I + a·(graph Laplacian): always positive definite
      choleskySolve(hess, grad, dz, n); // dz = H⁻¹ g
      let t = 1;
      for (;;) {
        for (let i = 0; i < n; i++) z[i] = x[i] - t * dz[i];
        const fz = this.objective(z, a);
        if (fz <= f - 1e-4 * t * dot(grad, dz, n) || t < 1e-12) {
          x.set(z);
          if (Math.abs(f - fz) <= 1e-16 * Math.abs(f) && t < 1) return; // no more progress possible
          f = fz;
          break;
        }
        t *= 0.5;
      }
    }
    throw new Error("DysonEigenvalueSde: the implicit step did not converge in 100 Newton iterations");
  }
}

function dot(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

/**
 * The talk's discrete eigenvalue update for SGD with learning rate α and batch size |B|,
 *   x_i → x_i + αK_i + (α²/|B|) Σ_j g̃²/(x_i − x_j) + (α/√|B|) √2 g̃ η_i,
 * is one Euler step of Dyson's SDE with dt = α and g² = (α/|B|) g̃²: the drift scales with α, the
 * noise variance with α²/|B| = dt·(α/|B|). The stationary law then has V/g² = Ṽ/((α/|B|) g̃²):
 * α and |B| enter only through their ratio (up to O(α) discretisation terms).
 */
export function sgdAsDyson(alpha: number, batch: number, gTilde2: number): { dt: number; g2: number } {
  requirePositive("learning rate α", alpha);
  requireInteger("batch size |B|", batch, 1);
  requirePositive("g̃²", gTilde2);
  return { dt: alpha, g2: (alpha / batch) * gTilde2 };
}

/**
 * Stationary variance of the Euler step of an Ornstein–Uhlenbeck entry, x' = (1 − Ωdt)x + √(2g²dt)·η:
 * the AR(1) recursion's 2g²dt/(1 − (1 − Ωdt)²) = (g²/Ω)/(1 − Ωdt/2). The SDE's g²/Ω is its limit
 * dt → 0; with dt = α and g² = (α/|B|)g̃² (`sgdAsDyson`) it is the width (α/|B|)(g̃²/Ω)/(1 − αΩ/2) of
 * a level under the talk's discrete update (notebook 08). Errors: a RangeError for Ω, g² or dt ≤ 0,
 * or Ωdt ≥ 2 (the recursion has no stationary law).
 */
export function eulerOuVariance(omega: number, g2: number, dt: number): number {
  requirePositive("omega Ω", omega);
  requirePositive("g²", g2);
  requirePositive("dt", dt);
  if (!(omega * dt < 2)) throw new RangeError(`Ω·dt must be < 2 for a stationary Euler recursion, got ${omega * dt}`);
  return g2 / omega / (1 - (omega * dt) / 2);
}

/**
 * Spacings of a two-level matrix OU process after `steps` steps from its centre: `replicates`
 * independent runs of `DysonMatrixOu` (2×2, target κI, stiffness Ω, noise g², scheme as given), run r
 * drawing from `new Stream(seed, r)`; returns x₂ − x₁ of each run. Notebook 08's learning-rate grid:
 * with the Euler scheme, dt = α and g² = (α/|B|)g̃² it is the talk's discrete update, whose spacings
 * have the surmise law of the exact width `eulerOuVariance` (a 2×2 GOE block).
 * Errors: as `DysonMatrixOu`, and a RangeError for non-integer `steps` or `replicates`.
 */
export function matrixOuPairSpacings(o: {
  kappa: number;
  omega: number;
  g2: number;
  dt: number;
  steps: number;
  replicates: number;
  seed: StreamSeed;
  scheme?: "exact" | "euler-maruyama";
}): Float64Array {
  requireInteger("steps", o.steps, 1);
  requireInteger("replicates", o.replicates, 1);
  const out = new Float64Array(o.replicates),
    e = new Float64Array(2);
  for (let r = 0; r < o.replicates; r++) {
    const m = new DysonMatrixOu(
      Float64Array.of(o.kappa, 0, 0, o.kappa),
      2,
      o.omega,
      o.g2,
      o.scheme ?? "euler-maruyama",
    ).run(new Stream(o.seed, r), o.dt, o.steps);
    m.eigenvalues(e);
    out[r] = e[1] - e[0];
  }
  return out;
}
