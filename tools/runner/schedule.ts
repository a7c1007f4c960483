// Which notebook starts first: the longest ones, so that no long notebook runs alone at the end.
import * as path from "path";

/**
 * Seconds each notebook took in quick mode at seed 1 on the 2-core CI machine, two notebooks at a
 * time, longest first, on a first run (2026-12-07; notebook 12 trains two seeds, one thread per
 * run). Only the order matters: `longestFirst` starts the longest notebooks first. Full mode
 * keeps the same order (its sizes grow roughly in proportion). A notebook missing here counts as
 * `UNKNOWN_SECONDS`.
 */
export const QUICK_SECONDS: Readonly<Record<string, number>> = {
  "01-random-dynamical-systems-and-cocycles": 15,
  "02-rqf-tokens-cluster": 19,
  "03-feller-test-on-z": 17,
  "04-rqf-lyapunov-exponents": 20,
  "05-gd-hessian-threshold": 21,
  "06-sgd-lyapunov-exponent": 17,
  "07-marchenko-pastur-initialization": 11,
  "08-dyson-brownian-motion": 19,
  "09-wigner-surmise-after-sgd": 122, // 400 RBM runs per grid point (CI, 2026-12-07, beside notebook 12); 96 s with 200
  "10-edge-of-stability": 58,
  "11-chaos-at-the-edge-of-stability": 46,
  "12-gpt-weight-spectra": 413,
  "13-rqf-random-attractor": 17,
  "14-transformer-tokens": 63,
  "15-fokker-planck-hamiltonian": 15,
  "16-rbm-ultraviolet-regulator": 25,
  "17-chaos-in-overparameterized-networks": 54,
};

/** The estimate for a notebook that `QUICK_SECONDS` does not list: a typical short notebook. */
export const UNKNOWN_SECONDS = 30;

/**
 * The start order that puts the longest notebooks first (longest processing time first, LPT).
 *
 * With N slots, LPT's finishing time is at most 4/3 − 1/(3N) of the best possible (Graham 1969);
 * list order can be far worse: notebook 12, the longest, is twelfth in the list, so it would start
 * when the others are nearly done and then train alone on one core. The order changes wall time
 * only: each notebook seeds its own streams, so its numbers do not depend on what runs beside it.
 * Ties keep list order.
 * @param files notebook paths (or names); the estimate is looked up by the name without `.ipynb`
 * @param seconds estimated seconds by notebook name (default `QUICK_SECONDS`)
 * @returns a permutation of 0…files.length − 1 for `runInSlots`' startOrder
 * @see R. L. Graham, Bounds on multiprocessing timing anomalies, SIAM J. Appl. Math. 17, 416 (1969)
 */
export function longestFirst(
  files: readonly string[],
  seconds: Readonly<Record<string, number>> = QUICK_SECONDS,
): number[] {
  const cost = files.map((f) => seconds[path.basename(f, ".ipynb")] ?? UNKNOWN_SECONDS);
  return files.map((_, i) => i).sort((a, b) => cost[b] - cost[a] || a - b);
}
