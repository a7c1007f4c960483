import { requireInteger, requireLength } from "../util/validate";

/**
 * Orthonormalises the columns of a rows×cols row-major matrix in place, by modified Gram–Schmidt
 * applied twice ("twice is enough": orthogonal to rounding), optionally also against the columns
 * of `against` (rows×k, orthonormal). Applied to a Gaussian matrix it gives Haar-distributed
 * orthonormal columns (it is the QR factorisation with a positive diagonal of R).
 * Throws if a column is (numerically) in the span of the previous ones.
 */
export function orthonormalizeColumns(
  a: Float64Array,
  rows: number,
  cols: number,
  against?: { q: Float64Array; cols: number },
): Float64Array {
  requireInteger("rows", rows, 1);
  requireInteger("cols", cols, 1, rows);
  requireLength("matrix", a, rows * cols);
  const k0 = against?.cols ?? 0;
  if (against) requireLength("against", against.q, rows * k0);
  if (cols + k0 > rows) throw new RangeError(`cannot have ${cols + k0} orthonormal columns in dimension ${rows}`);
  const project = (c: number, q: Float64Array, qc: number, qcols: number): void => {
    let d = 0;
    for (let i = 0; i < rows; i++) d += a[i * cols + c] * q[i * qcols + qc];
    for (let i = 0; i < rows; i++) a[i * cols + c] -= d * q[i * qcols + qc];
  };
  for (let c = 0; c < cols; c++) {
    let norm0 = 0;
    for (let i = 0; i < rows; i++) norm0 += a[i * cols + c] ** 2;
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < k0; k++) project(c, against!.q, k, k0);
      for (let k = 0; k < c; k++) project(c, a, k, cols);
    }
    let norm = 0;
    for (let i = 0; i < rows; i++) norm += a[i * cols + c] ** 2;
    if (!(norm > 1e-20 * norm0) || norm === 0)
      throw new RangeError(`column ${c} is linearly dependent on the previous ones`);
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < rows; i++) a[i * cols + c] *= inv;
  }
  return a;
}
