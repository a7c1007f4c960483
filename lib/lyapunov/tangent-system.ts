import type { Stream } from "../random/stream";

/**
 * A dynamical system together with its linearisation, as `lyapunovSpectrum` needs it: a state
 * that moves one step at a time, and k tangent vectors carried along by the derivative of that
 * step. This is the one interface every Lyapunov computation of the project goes through
 * (deterministic maps, i.i.d. random matrix products, SDEs through their variational equation, the
 * RQF's tangent flow, the SGD linearisation at a minimum).
 *
 * Tangent vectors are stored column by column: vector c occupies `basis[c·dim, (c+1)·dim)`.
 * `advance` must change them in place and must not re-orthonormalise: the caller does that (every
 * `reorthonormalizeEvery` steps) and books the stretching factors.
 *
 * Implementations hold their own state (the current point) and their scratch arrays; `start`
 * (re)initialises both, so one system object can serve several runs in turn (not concurrently).
 */
export interface TangentSystem {
  /** Length of a tangent vector. */
  readonly dim: number;
  /** The largest meaningful number of exponents (default `dim`; `dim − 1` on a sphere in R^dim). */
  readonly maxExponents?: number;
  /** Time advanced by one step: 1 for maps and matrix products, dt for SDEs. */
  readonly dt: number;
  /**
   * Start a run: set the state (drawing it from `stream` if the system's initial condition is
   * random) and, if the tangent space is not all of R^dim, replace the k generic starting vectors
   * in `basis` by admissible ones (they are orthonormalised afterwards).
   */
  start(stream: Stream, basis: Float64Array, k: number): void;
  /** One step: advance the state, and the k tangent vectors through the step's derivative. */
  advance(basis: Float64Array, k: number, stream: Stream): void;
}
