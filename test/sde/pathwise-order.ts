// Shared by the tests of hand-written SDE steppers against the generic integrator (test/rmt/dyson-sde,
// test/rqf/z-sde): the measured order at which two schemes approach each other on the same normals.
import { fitLine } from "../../lib/stats";

/**
 * For each dt, the root-mean-square of `distance(dt, path)` over `paths` paths, and the slope of
 * log rms against log dt, fitted with errors from the paths' spread (delta method on the mean
 * square). `what` prints the order and the rms values for an assertion's message.
 */
export function pathwiseOrder(distance: (dt: number, path: number) => number, dts: number[], paths: number) {
  const levels = dts.map((dt) => {
    let s = 0,
      s2 = 0;
    for (let p = 0; p < paths; p++) {
      const d2 = distance(dt, p) ** 2;
      s += d2;
      s2 += d2 * d2;
    }
    const ms = s / paths,
      msSe = Math.sqrt((s2 / paths - ms * ms) / (paths - 1));
    return { dt, rms: Math.sqrt(ms), logSe: (0.5 * msSe) / ms };
  });
  const f = fitLine(
    levels.map((l) => Math.log(l.dt)),
    levels.map((l) => Math.log(l.rms)),
    levels.map((l) => l.logSe),
  );
  const what = `order ${f.slope.toFixed(3)} ± ${f.slopeError.toFixed(3)}; rms ${levels.map((l) => l.rms.toExponential(2)).join(", ")}`;
  return { levels, slope: f.slope, slopeError: f.slopeError, what };
}
