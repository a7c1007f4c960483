/**
 * The two floating-point precisions of the kernels: "float64" (the project's default, for
 * analysis: spectra, curvature, HVPs) and "float32" (training, as PyTorch trains: four numbers per
 * v128 in the SIMD kernels). A `FloatArray` is a view of either.
 */
export type Precision = "float32" | "float64";

/** A Float32Array or a Float64Array. */
export type FloatArray = Float32Array | Float64Array;

/** The precisions by name, for validation and help texts. */
export const PRECISIONS: readonly Precision[] = ["float32", "float64"];

/** Errors: a RangeError naming `name` for anything but "float32" or "float64". */
export function requirePrecision(name: string, p: unknown): Precision {
  if (p !== "float32" && p !== "float64")
    throw new RangeError(`${name} must be "float32" or "float64", got ${JSON.stringify(p)}`);
  return p;
}

/** A zeroed array of n numbers in the precision. */
export function floatArray(precision: Precision, n: number): FloatArray {
  return precision === "float32" ? new Float32Array(n) : new Float64Array(n);
}

/** Bytes per number. */
export function bytesPer(precision: Precision): number {
  return precision === "float32" ? 4 : 8;
}

/**
 * The unit roundoff u (half the distance from 1 to the next number): 2⁻²⁴ ≈ 5.96e-8 for float32,
 * 2⁻⁵³ ≈ 1.11e-16 for float64. A correctly rounded operation's relative error is at most u.
 */
export function unitRoundoff(precision: Precision): number {
  return precision === "float32" ? 2 ** -24 : 2 ** -53;
}
