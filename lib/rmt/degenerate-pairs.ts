import { meanWithError, type MeanEstimate } from "../stats/summary";
import { requireInteger } from "../util/validate";

/**
 * Bookkeeping for degenerate pairs in an ensemble of learned spectra (notebook 09). A target with
 * degenerate pairs (x*_i = x*_{i+1}) is learned by many runs; in each run the pair splits. With the
 * spectrum sorted and pairs well separated from their neighbours (spread ≪ gap), levels i and i+1
 * of the sorted spectrum are the pair; the talk warns against ordering levels by hand *within* a
 * pair, which the spacing S = x_{i+1} − x_i does not need.
 */

/** Index i of each degenerate pair (i, i+1) of a sorted target, by relative tolerance. */
export function degeneratePairs(target: ArrayLike<number>, tol = 1e-9): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < target.length; i++) {
    const scale = Math.max(Math.abs(target[i]), Math.abs(target[i + 1]), 1e-300);
    if (Math.abs(target[i + 1] - target[i]) <= tol * scale) {
      if (i + 2 < target.length && Math.abs(target[i + 2] - target[i + 1]) <= tol * scale) {
        throw new RangeError(`target has a level of multiplicity > 2 at index ${i}: the pair statistics need pairs`);
      }
      out.push(i);
      i++;
    }
  }
  return out;
}

/** The spacing x_{i+1} − x_i of the pair at index i in each run. */
export function pairSpacings(spectra: ArrayLike<number>[], pair: number): Float64Array {
  return Float64Array.from(spectra, (e) => {
    if (pair + 1 >= e.length) throw new RangeError(`pair index ${pair} is outside a spectrum of ${e.length} levels`);
    return e[pair + 1] - e[pair];
  });
}

/** Both levels of the pair at index i, run after run (2 values per run, in run order). */
export function pairLevels(spectra: ArrayLike<number>[], pair: number): Float64Array {
  const out = new Float64Array(2 * spectra.length);
  spectra.forEach((e, r) => {
    out[2 * r] = e[pair];
    out[2 * r + 1] = e[pair + 1];
  });
  return out;
}

/** Mean spacing ⟨S⟩ of a pair with its standard error over independent runs (n = the number of runs). */
export function meanSpacing(spectra: ArrayLike<number>[], pair: number): MeanEstimate {
  requireInteger("runs", spectra.length, 2);
  return meanWithError(pairSpacings(spectra, pair));
}

/**
 * One run's statistics of its pairs and of the level above the last pair: the spacing of each
 * pair (in the order given), then the gap G = x_above − (x_p + x_{p+1})/2 from the last pair's
 * centre to the next level up (notebook 09's wall pair and its neighbour). Errors: a RangeError
 * when no pair is given or no level lies above the last pair.
 */
export function pairSpacingsAndGap(spectrum: ArrayLike<number>, pairs: number[]): number[] {
  if (pairs.length === 0) throw new RangeError("pairSpacingsAndGap needs at least one pair");
  const last = pairs[pairs.length - 1];
  if (last + 2 >= spectrum.length)
    throw new RangeError(`no level above the pair at index ${last} in a spectrum of ${spectrum.length} levels`);
  return [
    ...pairs.map((p) => spectrum[p + 1] - spectrum[p]),
    spectrum[last + 2] - (spectrum[last] + spectrum[last + 1]) / 2,
  ];
}

/**
 * Values per target level (e.g. the diagonal of a learned matrix in the target's eigenbasis) put in
 * the order of a sorted spectrum: by target ascending, and by value within levels of equal target,
 * so that a degenerate pair occupies indices i, i+1 with the smaller value first, as in a sorted
 * spectrum. Errors: a RangeError for lengths that differ.
 */
export function levelsByTarget(values: ArrayLike<number>, target: ArrayLike<number>): Float64Array {
  if (values.length !== target.length)
    throw new RangeError(`levelsByTarget: ${values.length} values for ${target.length} target levels`);
  const idx = Array.from({ length: values.length }, (_, i) => i);
  idx.sort((a, b) => target[a] - target[b] || values[a] - values[b]);
  return Float64Array.from(idx, (i) => values[i]);
}
