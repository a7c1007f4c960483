/**
 * The largest eigenvalue of a real Wishart matrix X = WᵀW (W M×N, i.i.d. N(0, 1) entries) sits
 * near the Marchenko–Pastur edge (√M + √N)² with fluctuations of order N^{-2/3} relative:
 * (λ_max − μ)/σ → Tracy–Widom (β = 1), with Johnstone's (2001) centring and scaling
 *   μ = (√(M − ½) + √(N − ½))²,  σ = (√(M − ½) + √(N − ½))·(1/√(M − ½) + 1/√(N − ½))^{1/3}.
 * For entries of variance v multiply both by v.
 */
export function johnstoneEdge(rows: number, cols: number, variance = 1): { center: number; scale: number } {
  if (!(rows >= 1 && cols >= 1)) throw new RangeError(`johnstoneEdge: sizes must be >= 1, got ${rows}×${cols}`);
  const a = Math.sqrt(rows - 0.5),
    b = Math.sqrt(cols - 0.5);
  return { center: variance * (a + b) ** 2, scale: variance * (a + b) * Math.cbrt(1 / a + 1 / b) };
}

/** Mean and standard deviation of the Tracy–Widom law for β = 1 (Bornemann 2010, to 10 digits). */
export const TRACY_WIDOM_1 = { mean: -1.206533574582, sd: 1.268034058 } as const;
