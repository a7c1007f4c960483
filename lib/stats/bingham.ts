import { chiSquareSurvival } from "./chi-square";
import { requireInteger } from "../util/validate";

/** What `binghamTest` returns. */
export interface BinghamTest {
  /** S = (n(n+2)/2)·N·tr((T − I/n)²) with T the scatter matrix of the axes. */
  statistic: number;
  /** (n − 1)(n + 2)/2, the number of free entries of a traceless symmetric n×n matrix. */
  dof: number;
  /** χ²_dof survival function at S (asymptotic in N). */
  pValue: number;
  /** T = (1/N) Σ p pᵀ, row-major n×n. */
  scatter: Float64Array;
}

/**
 * Bingham's test of uniformity for axial data: N unit vectors p ∈ S^{n−1} taken as axes ±p (points
 * of projective space, so the sign of each is irrelevant). Under uniformity E ppᵀ = I/n, and the
 * scatter matrix T = (1/N)Σ ppᵀ has N·tr((T − I/n)²)·n(n+2)/2 → χ² with (n−1)(n+2)/2 degrees of
 * freedom, because the entries of ppᵀ − I/n have the fourth moments E p_i²p_j² = 1/(n(n+2)) (i ≠ j)
 * and E p_i⁴ = 3/(n(n+2)). It detects axial concentration (a bipolar or girdle law), not every
 * departure from uniformity. Reference: C. Bingham, Ann. Statist. 2 (1974) 1201; K. Mardia &
 * P. Jupp, *Directional Statistics* (2000), §10.7.1. Errors: a RangeError for N < 2, n < 2, or a
 * vector that is not of unit length (to 1e-9).
 */
export function binghamTest(axes: ArrayLike<number>[], n: number): BinghamTest {
  const { residuals, scatter } = binghamResiduals(axes, n);
  const statistic = residuals.reduce((a, r) => a + r * r, 0);
  return { statistic, dof: residuals.length, pValue: chiSquareSurvival(statistic, residuals.length), scatter };
}

/**
 * The (n−1)(n+2)/2 standardised components of Bingham's statistic: T − C (C = I/n by default, or
 * the `center` given, for a distance from another hypothesis in the uniform law's units) on the
 * Frobenius-orthonormal basis of traceless symmetric matrices (off-diagonal (e_ie_jᵀ + e_je_iᵀ)/√2,
 * diagonal Helmert contrasts), times √(N·n(n+2)/2). Under uniformity they are asymptotically
 * independent standard normals, because E[(pᵀBp)(pᵀB'p)] = 2⟨B, B'⟩/(n(n+2)) for traceless B, B';
 * their squares sum to the statistic of `binghamTest`. Errors: as `binghamTest`.
 */
export function binghamResiduals(
  axes: ArrayLike<number>[],
  n: number,
  center?: ArrayLike<number>,
): { residuals: number[]; scatter: Float64Array } {
  requireInteger("n", n, 2);
  requireInteger("number of axes N", axes.length, 2);
  const t = new Float64Array(n * n);
  axes.forEach((p, k) => {
    if (p.length !== n) throw new RangeError(`axis ${k} has ${p.length} entries, expected n = ${n}`);
    let s = 0;
    for (let i = 0; i < n; i++) s += p[i] * p[i];
    if (!(Math.abs(s - 1) <= 1e-9)) throw new RangeError(`axis ${k} is not a unit vector: |p|² = ${s}`);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[i * n + j] += (p[i] * p[j]) / axes.length;
  });
  if (center !== undefined && center.length !== n * n) throw new RangeError(`center must have n·n = ${n * n} entries`);
  const d = (i: number, j: number) => t[i * n + j] - (center !== undefined ? center[i * n + j] : i === j ? 1 / n : 0);
  const scale = Math.sqrt((axes.length * n * (n + 2)) / 2);
  const residuals: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) residuals.push(scale * Math.SQRT2 * d(i, j));
  for (let k = 1; k < n; k++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += d(i, i);
    residuals.push((scale * (s - k * d(k, k))) / Math.sqrt(k * (k + 1)));
  }
  return { residuals, scatter: t };
}
