/**
 * Cholesky factorisation of a symmetric positive definite p×p row-major matrix, in place: on
 * return the lower triangle holds L with A = LLᵀ. Returns false (leaving `a` partly overwritten)
 * when A is not positive definite. Small dense systems only (fits, Newton steps).
 */
export function choleskyInPlace(a: Float64Array, p: number): boolean {
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * p + j];
      for (let k = 0; k < j; k++) s -= a[i * p + k] * a[j * p + k];
      if (i === j) {
        if (!(s > 0)) return false;
        a[i * p + i] = Math.sqrt(s);
      } else a[i * p + j] = s / a[j * p + j];
    }
  }
  return true;
}

/** Solves LLᵀx = b with the factor from choleskyInPlace (x may alias b). */
export function choleskySolve(l: Float64Array, b: ArrayLike<number>, x: Float64Array, p: number): Float64Array {
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * p + k] * x[k];
    x[i] = s / l[i * p + i];
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < p; k++) s -= l[k * p + i] * x[k];
    x[i] = s / l[i * p + i];
  }
  return x;
}

/**
 * The inverse A⁻¹ of the matrix whose Cholesky factor `l` choleskyInPlace left (p×p row-major),
 * column by column: column c solves LLᵀx = e_c. Written into `out` (p·p, default a new array).
 * Used for the covariance of a fit, the inverse of its Fisher information or normal matrix.
 * Errors: a RangeError when l or out is not p·p long.
 */
export function choleskyInverse(l: Float64Array, p: number, out: Float64Array = new Float64Array(p * p)): Float64Array {
  if (l.length !== p * p || out.length !== p * p)
    throw new RangeError(
      `choleskyInverse: the factor and the output must hold p·p = ${p * p} numbers, got ${l.length} and ${out.length}`,
    );
  const e = new Float64Array(p),
    col = new Float64Array(p);
  for (let c = 0; c < p; c++) {
    e.fill(0);
    e[c] = 1;
    choleskySolve(l, e, col, p);
    for (let i = 0; i < p; i++) out[i * p + c] = col[i];
  }
  return out;
}
