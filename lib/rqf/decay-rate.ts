/**
 * The stopping-time estimator of a top Lyapunov exponent from one pair: advance the pair step by
 * step (`advance` takes one step of length dt and returns the pair's distance); with τ the first
 * step at which the distance is below `start`, the rate is (log d(τ + window) − log d(τ))/window.
 * τ is a stopping time, so by the strong Markov property the mean over runs is the linearised
 * growth rate λ₁ exactly, with no bias from selecting windows by level crossings (which a
 * regression between two distance levels would have). Returns rate NaN and tau Infinity if the
 * distance has not fallen below `start` by maxTime.
 */
export function stoppingTimeRate(advance: () => number, o: { dt: number; maxTime: number; window: number; start: number }): { rate: number; tau: number } {
  const maxSteps = Math.round(o.maxTime / o.dt), windowSteps = Math.round(o.window / o.dt);
  let tauStep = -1, logStart = 0;
  for (let k = 1; k <= maxSteps + windowSteps; k++) {
    const d = advance();
    if (tauStep < 0) {
      if (d < o.start) { tauStep = k; logStart = Math.log(d); }
      else if (k >= maxSteps) return { rate: NaN, tau: Infinity };
    } else if (k === tauStep + windowSteps) {
      return { rate: (Math.log(d) - logStart) / (windowSteps * o.dt), tau: tauStep * o.dt };
    }
  }
  return { rate: NaN, tau: Infinity };
}
