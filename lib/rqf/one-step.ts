import { gaussQuadrature } from "../linalg/gauss-quadrature";
import { requireInteger, requirePositive } from "../util/validate";
import type { LayerVariant } from "./layers";

/**
 * Exact constants of the discrete schemes, from the law of one step.
 *
 * The RQF's Heun step (`RqfFlow`) and the random layers (`applyLayer`, variants "symmetric", "goe"
 * and "nonsymmetric") are equivariant: rotating the points and conjugating the random matrix by the
 * same orthogonal O gives the rotated step, and the matrix's law is invariant under conjugation. So
 * - the one-step operator P f(x) = E f(step(x)) commutes with rotations and acts on each space of
 *   spherical harmonics of degree l as a number μ_l(dt): after k steps E Y(x_k) = μ_l^k Y(x₀) for a
 *   harmonic Y of degree l, exactly;
 * - the log-growth log|J v| of a tangent vector under one step has the same law for every unit
 *   tangent vector v at every point (rotations act transitively on them), independently from step to
 *   step: the discrete top Lyapunov exponent is λ(dt) = E log|J e₂|/dt at x = e₁, exactly.
 * Both are expectations over the few Gaussians one step uses, computed here by tensor Gauss–Hermite
 * quadrature: deterministic, and exact up to the quadrature error (the integrands are smooth; tested
 * against Monte Carlo and against the continuum limits μ_l → e^{−l(l+n−2)dt/4}, λ → −1).
 * They give the schemes' systematic errors without any run: a Richardson extrapolation's remainder,
 * say, is 2c(dt/2) − c(dt) − c(0).
 */

/** E over independent standard normals g_1..g_d of f(g) (a vector), by tensor Gauss–Hermite quadrature with `nodes` points per dimension. */
function gaussHermiteExpectation(
  d: number,
  nodes: number,
  out: number,
  f: (g: Float64Array, acc: Float64Array, w: number) => void,
): Float64Array {
  // probabilists' Hermite rule: the Jacobi matrix of N(0, 1) has zero diagonal and off-diagonal √k
  const rule = gaussQuadrature(
    new Float64Array(nodes),
    Float64Array.from({ length: nodes - 1 }, (_, k) => Math.sqrt(k + 1)),
  );
  const g = new Float64Array(d),
    idx = new Int32Array(d),
    acc = new Float64Array(out);
  for (;;) {
    let w = 1;
    for (let j = 0; j < d; j++) {
      g[j] = rule.nodes[idx[j]];
      w *= rule.weights[idx[j]];
    }
    f(g, acc, w);
    let j = 0;
    while (j < d && ++idx[j] === nodes) idx[j++] = 0;
    if (j === d) return acc;
  }
}

/** The RQF Heun step's exact constants at step dt (`rqfStepConstants`). */
export interface RqfStepConstants {
  n: number;
  dt: number;
  /** λ(dt) = E log|J e₂|/dt at e₁: the scheme's top Lyapunov exponent per unit time (continuum: −κ(n−1)/4·… = −1 for "half"). */
  lyapunov: number;
  /** μ₁(dt) = E⟨step(x), x⟩: the first harmonics' one-step factor (continuum e^{−(n−1)dt/4}). */
  harmonic1: number;
  /** μ₂(dt): the second harmonics' one-step factor (continuum e^{−n·dt/2}). */
  harmonic2: number;
}

/**
 * The exact one-step constants of the RQF's Heun scheme (`RqfFlow`, "half" normalisation: Var dQ_ii
 * = dt, Var dQ_ij = dt/2) on S^{n−1}: its Lyapunov exponent and the factors by which one step
 * multiplies spherical harmonics of degree 1 and 2 (see the file's comment for why these are
 * exact). The step at x = e₁: y = x + G(x), z = x + ½(G(x) + G(y)), x′ = z/|z|, G(x) = dQx −
 * x⟨x, dQx⟩; its derivative applied to e₂ as in `rqfTangent`.
 *
 * Method: tensor Gauss–Hermite quadrature over the n(n+1)/2 Gaussians of dQ, `nodes` per dimension
 * (default 8: 2.6·10⁵ points for n = 3, a fraction of a second; against 12 nodes the exponent
 * agrees to 1e-10 at dt = 0.01, 2e-8 at 0.02, 2e-5 at 0.04). Errors: RangeError for n ∉ [2, 4],
 * dt ≤ 0, nodes < 2.
 */
export function rqfStepConstants(n: number, dt: number, nodes = 8): RqfStepConstants {
  requireInteger("n (the quadrature's cost grows like nodes^(n(n+1)/2))", n, 2, 4);
  requirePositive("dt", dt);
  requireInteger("nodes", nodes, 2);
  const d = (n * (n + 1)) / 2;
  const sDiag = Math.sqrt(dt),
    sOff = Math.sqrt(dt / 2);
  const dq = new Float64Array(n * n),
    x = new Float64Array(n),
    y = new Float64Array(n),
    g0 = new Float64Array(n),
    g1 = new Float64Array(n);
  const v = new Float64Array(n),
    dv0 = new Float64Array(n),
    vp = new Float64Array(n),
    dv1 = new Float64Array(n);
  x[0] = 1;
  const acc = gaussHermiteExpectation(d, nodes, 3, (g, sum, w) => {
    let p = 0;
    for (let i = 0; i < n; i++) {
      dq[i * n + i] = sDiag * g[p++];
      for (let j = i + 1; j < n; j++) {
        const u = sOff * g[p++];
        dq[i * n + j] = u;
        dq[j * n + i] = u;
      }
    }
    field(dq, x, n, g0);
    for (let i = 0; i < n; i++) y[i] = x[i] + g0[i];
    field(dq, y, n, g1);
    v.fill(0);
    v[1] = 1;
    fieldDerivative(dq, x, v, n, dv0);
    for (let i = 0; i < n; i++) vp[i] = v[i] + dv0[i];
    fieldDerivative(dq, y, vp, n, dv1);
    let z2 = 0;
    for (let i = 0; i < n; i++) {
      y[i] = x[i] + 0.5 * (g0[i] + g1[i]);
      z2 += y[i] * y[i];
      v[i] += 0.5 * (dv0[i] + dv1[i]);
    }
    const len = Math.sqrt(z2);
    let xv = 0;
    for (let i = 0; i < n; i++) {
      y[i] /= len;
      xv += y[i] * v[i];
    }
    let jv2 = 0;
    for (let i = 0; i < n; i++) jv2 += (v[i] - xv * y[i]) ** 2;
    sum[0] += w * (0.5 * Math.log(jv2) - Math.log(len));
    sum[1] += w * y[0];
    sum[2] += w * y[0] * y[0];
  });
  return { n, dt, lyapunov: acc[0] / dt, harmonic1: acc[1], harmonic2: (acc[2] - 1 / n) / (1 - 1 / n) };
}

/** g = dQ y − y⟨y, dQ y⟩. */
function field(dq: Float64Array, y: Float64Array, n: number, g: Float64Array): void {
  let s = 0;
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let j = 0; j < n; j++) r += dq[i * n + j] * y[j];
    g[i] = r;
    s += y[i] * r;
  }
  for (let i = 0; i < n; i++) g[i] -= y[i] * s;
}

/** out = DG(x)[v] = dQ v − v⟨x, dQx⟩ − 2x⟨x, dQv⟩ (dQ symmetric). */
function fieldDerivative(dq: Float64Array, x: Float64Array, v: Float64Array, n: number, out: Float64Array): void {
  let s = 0,
    t = 0;
  for (let i = 0; i < n; i++) {
    let rv = 0,
      rx = 0;
    for (let j = 0; j < n; j++) {
      rv += dq[i * n + j] * v[j];
      rx += dq[i * n + j] * x[j];
    }
    out[i] = rv;
    s += x[i] * rx;
    t += x[i] * rv;
  }
  for (let i = 0; i < n; i++) out[i] -= v[i] * s + 2 * x[i] * t;
}

/**
 * The exact top Lyapunov exponent per unit time t = k·h of the random layers x ← normalise(x + √h·G x)
 * (`applyLayer`), λ(h) = E log|J e₂|/h at x = e₁, for the linear variants: "symmetric" (Var G_ii = 1,
 * Var G_ij = ½: continuum λ₁ = −1), "goe" (Var G_ii = 2, Var G_ij = 1: continuum −2) and
 * "nonsymmetric" (B with independent N(0, 1) entries: continuum −1). J e₂ = P_{x′}(e₂ + √h G e₂)/|x + √h G x|
 * needs only G's first two columns: 2n − 1 Gaussians (symmetric) or 2n (non-symmetric).
 *
 * Method: tensor Gauss–Hermite quadrature, `nodes` per dimension (default 12). The integrand has
 * logarithmic singularities where a layer nearly annihilates a token (|x + √h G x| → 0, some
 * standard deviations out when √h is not small), which slows the quadrature: against 22 nodes the
 * default agrees to 1e-7 at h = 0.025 and to 1e-4 at h = 0.05 for the symmetric and non-symmetric
 * variants, and to 1e-4 at h = 0.025 for "goe" (5e-3 at 0.05: run the GOE layers at half the step). Errors: RangeError
 * for n ∉ [2, 3], h ≤ 0, nodes < 2, and for "tanh" (not equivariant: no one-step formula).
 */
export function layerStepExponent(n: number, h: number, variant: LayerVariant, nodes = 12): number {
  requireInteger("n (the quadrature's cost grows like nodes^(2n))", n, 2, 3);
  requirePositive("h (layer step)", h);
  requireInteger("nodes", nodes, 2);
  if (variant !== "symmetric" && variant !== "goe" && variant !== "nonsymmetric")
    throw new RangeError(
      `variant must be "symmetric", "goe" or "nonsymmetric" (tanh layers are not equivariant), got "${String(variant)}"`,
    );
  const sym = variant !== "nonsymmetric";
  const scale = variant === "goe" ? Math.SQRT2 : 1;
  const d = sym ? 2 * n - 1 : 2 * n;
  const rh = Math.sqrt(h);
  // the first two columns of G: c1 = G e₁, c2 = G e₂
  const c1 = new Float64Array(n),
    c2 = new Float64Array(n),
    y = new Float64Array(n),
    u = new Float64Array(n);
  const acc = gaussHermiteExpectation(d, nodes, 1, (g, sum, w) => {
    if (sym) {
      // G₁₁, G₂₁ = G₁₂, G₃₁ = G₁₃, …, G₂₂, G₃₂ = G₂₃, …: variances 1 on the diagonal, ½ off it (× scale²)
      c1[0] = scale * g[0];
      for (let i = 1; i < n; i++) c1[i] = (scale * g[i]) / Math.SQRT2;
      c2[0] = c1[1];
      c2[1] = scale * g[n];
      for (let i = 2; i < n; i++) c2[i] = (scale * g[n + i - 1]) / Math.SQRT2;
    } else {
      for (let i = 0; i < n; i++) {
        c1[i] = g[i];
        c2[i] = g[n + i];
      }
    }
    let y2 = 0;
    for (let i = 0; i < n; i++) {
      y[i] = (i === 0 ? 1 : 0) + rh * c1[i];
      y2 += y[i] * y[i];
      u[i] = (i === 1 ? 1 : 0) + rh * c2[i];
    }
    const len = Math.sqrt(y2);
    let yu = 0;
    for (let i = 0; i < n; i++) yu += (y[i] / len) * u[i];
    let p2 = 0;
    for (let i = 0; i < n; i++) p2 += (u[i] - (yu * y[i]) / len) ** 2;
    sum[0] += w * (0.5 * Math.log(p2) - Math.log(len));
  });
  return acc[0] / h;
}
