/**
 * Argument checks for the public boundary of lib/. Each throws a RangeError or TypeError that names
 * the parameter, the value received and what was expected, so that a bad input never turns into a
 * silent NaN further down.
 */
export function requireFinite(name: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number, got ${String(value)}`);
  }
}

/** Throws a RangeError naming `name` unless value is a finite number > 0. */
export function requirePositive(name: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a finite number > 0, got ${String(value)}`);
  }
}

/** Throws a RangeError naming `name` unless value is a finite number ≥ 0. */
export function requireNonNegative(name: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${String(value)}`);
  }
}

/** Throws a RangeError naming `name` unless value is an integer in [min, max]. */
export function requireInteger(name: string, value: number, min = -Infinity, max = Infinity): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${name} must be an integer ${range}, got ${String(value)}`);
  }
}

/**
 * Throws a RangeError naming `name` unless value is finite and lo ≤ value ≤ hi (`what` describes
 * the range in the message).
 */
export function requireInRange(name: string, value: number, lo: number, hi: number, what = `in [${lo}, ${hi}]`): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < lo || value > hi) {
    throw new RangeError(`${name} must be ${what}, got ${String(value)}`);
  }
}

/** Throws a RangeError naming `name` unless the array has exactly `length` entries. */
export function requireLength(name: string, arr: ArrayLike<number>, length: number): void {
  if (arr.length !== length) {
    throw new RangeError(`${name} must have length ${length}, got ${arr.length}`);
  }
}

/** Throws a RangeError naming `name` and the first bad index unless every entry is finite. */
export function requireAllFinite(name: string, arr: ArrayLike<number>): void {
  for (let i = 0; i < arr.length; i++) {
    if (!Number.isFinite(arr[i])) {
      throw new RangeError(`${name}[${i}] must be finite, got ${String(arr[i])}`);
    }
  }
}

/** A learning rate (step size) η must be a finite number > 0. Shared by every optimiser. */
export function requireStep(eta: number): void {
  requirePositive("eta (learning rate)", eta);
}

/** A minibatch size must be an integer in 1..N (`n` samples). */
export function requireBatchSize(n: number, batch: number): void {
  requireInteger(`batch size (samples per step, N = ${n})`, batch, 1, n);
}
