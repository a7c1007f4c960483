/**
 * The stopping-time estimator of a top Lyapunov exponent from one pair: advance the pair step by
 * step (`advance` takes one step of length dt and returns the pair's distance); with τ the first
 * step at which the distance is below `start`, the rate is (log d(τ + window) − log d(τ))/window.
 * τ is a stopping time, so by the strong Markov property the mean over runs is the linearised
 * growth rate λ₁ exactly, with no bias from selecting windows by level crossings (which a
 * regression between two distance levels would have). Returns rate NaN and tau Infinity if the
 * distance has not fallen below `start` by maxTime, unless `cap` is set: then τ is capped at maxTime
 * (min(τ, maxTime) is a stopping time too) and the rate is that of whatever the pair does from there,
 * with `capped` true. A pair that never approaches its partner then yields a rate near 0 rather
 * than no rate, so a falsified run still produces a number; when every pair does approach, capping
 * changes nothing.
 */
export function stoppingTimeRate(
  advance: () => number,
  o: { dt: number; maxTime: number; window: number; start: number; cap?: boolean },
): { rate: number; tau: number; capped: boolean } {
  const maxSteps = Math.round(o.maxTime / o.dt),
    windowSteps = Math.round(o.window / o.dt);
  let tauStep = -1,
    logStart = 0;
  for (let k = 1; k <= maxSteps + windowSteps; k++) {
    const d = advance();
    if (tauStep < 0) {
      if (d < o.start || (o.cap && k >= maxSteps)) {
        tauStep = k;
        logStart = Math.log(d);
      } else if (k >= maxSteps) return { rate: NaN, tau: Infinity, capped: false };
    } else if (k === tauStep + windowSteps) {
      return {
        rate: (Math.log(d) - logStart) / (windowSteps * o.dt),
        tau: tauStep * o.dt,
        capped: !(Math.exp(logStart) < o.start),
      };
    }
  }
  return { rate: NaN, tau: Infinity, capped: false };
}
