import { Stream } from "../random/stream";
import { RqfFlow, pairWithInnerProduct } from "./flow";
import type { RqfNormalisation } from "./noise";
import { requireRqfNoise, type RqfNoise } from "./noise-variants";
import { requireInteger, requireInRange } from "../util/validate";
import type { Estimate } from "../stats/estimate";

/** What `measureZMoments` returns: at (z, n, dt), the drift and the quadratic-variation rate, each an `Estimate` (ready for `richardson`). */
export interface ZMoments {
  z: number;
  n: number;
  dt: number;
  drift: Estimate;
  quadraticVariation: Estimate;
}

/**
 * One-step moments of Z = ⟨X, Y⟩ under the two-point RQF, from Z₀ = z:
 *   drift ≈ E[ΔZ]/dt,   quadratic variation rate ≈ E[ΔZ²]/dt.
 *
 * Variance reduction for the drift: the Itô martingale part of ΔZ over one step is
 * ΔM = 2 Xᵀ dQ Y − Z (Xᵀ dQ X + Yᵀ dQ Y), linear in dQ, so E[ΔM] = 0 exactly. Averaging ΔZ − ΔM
 * instead of ΔZ leaves the same mean and removes the O(√dt) noise: the standard error drops by a
 * factor ~√dt. The estimates carry an O(dt) discretisation bias; compare two step sizes.
 *
 * `noise` (RqfNoise, default "common"): "independent" drives X and Y by independent increments
 * dQ₁, dQ₂ (a falsified setting: no common noise), with the martingale part
 * ΔM = Yᵀ dQ₁ X + Xᵀ dQ₂ Y − Z (Xᵀ dQ₁ X + Yᵀ dQ₂ Y); "frozen" is refused (one step of a frozen
 * increment is the same as one step of a fresh one, so it measures nothing different).
 */
export function measureZMoments(o: {
  n: number;
  z: number;
  dt: number;
  samples: number;
  stream: Stream;
  normalisation?: RqfNormalisation;
  noise?: RqfNoise;
}): ZMoments {
  const { n, z, dt, samples, stream } = o;
  requireInRange("z", z, -1, 1);
  requireInteger("samples", samples, 2);
  const noise = o.noise ?? "common";
  requireRqfNoise(noise);
  if (noise === "frozen")
    throw new RangeError(
      'measureZMoments: noise "frozen" is one-step-identical to "common"; use "common" or "independent"',
    );
  if (noise === "independent") return independentZMoments(n, z, dt, samples, stream, o.normalisation ?? "half");
  const flow = new RqfFlow(n, 2, dt, o.normalisation ?? "half");
  const x0 = pairWithInnerProduct(n, z);
  const x = new Float64Array(2 * n);
  const dq = flow.dq;
  const sums = new MomentSums();
  for (let k = 0; k < samples; k++) {
    x.set(x0);
    flow.drawIncrement(stream);
    // ΔM from dQ at the starting points X = x0[0..n), Y = x0[n..2n)
    let xqy = 0,
      xqx = 0,
      yqy = 0;
    for (let i = 0; i < n; i++) {
      let rx = 0,
        ry = 0;
      for (let j = 0; j < n; j++) {
        rx += dq[i * n + j] * x0[j];
        ry += dq[i * n + j] * x0[n + j];
      }
      xqx += x0[i] * rx;
      xqy += x0[i] * ry;
      yqy += x0[n + i] * ry;
    }
    const dM = 2 * xqy - z * (xqx + yqy);
    flow.stepPoints(x);
    let zz = 0;
    for (let i = 0; i < n; i++) zz += x[i] * x[n + i];
    const dz = zz - z;
    sums.add(dz, dM, dt);
  }
  return sums.moments(z, n, dt, samples);
}

/** measureZMoments with X and Y on independent increments (see there). */
function independentZMoments(
  n: number,
  z: number,
  dt: number,
  samples: number,
  stream: Stream,
  norm: RqfNormalisation,
): ZMoments {
  const fx = new RqfFlow(n, 1, dt, norm),
    fy = new RqfFlow(n, 1, dt, norm);
  const x0 = pairWithInnerProduct(n, z);
  const x = new Float64Array(n),
    y = new Float64Array(n);
  const sums = new MomentSums();
  for (let k = 0; k < samples; k++) {
    x.set(x0.subarray(0, n));
    y.set(x0.subarray(n));
    fx.drawIncrement(stream);
    fy.drawIncrement(stream);
    // ΔM = ⟨dQ₁X, Y⟩ − Z XᵀdQ₁X + ⟨X, dQ₂Y⟩ − Z YᵀdQ₂Y at the starting points
    let yq1x = 0,
      xq1x = 0,
      xq2y = 0,
      yq2y = 0;
    for (let i = 0; i < n; i++) {
      let r1 = 0,
        r2 = 0;
      for (let j = 0; j < n; j++) {
        r1 += fx.dq[i * n + j] * x[j];
        r2 += fy.dq[i * n + j] * y[j];
      }
      yq1x += y[i] * r1;
      xq1x += x[i] * r1;
      xq2y += x[i] * r2;
      yq2y += y[i] * r2;
    }
    const dM = yq1x + xq2y - z * (xq1x + yq2y);
    fx.stepPoints(x);
    fy.stepPoints(y);
    let zz = 0;
    for (let i = 0; i < n; i++) zz += x[i] * y[i];
    const dz = zz - z;
    sums.add(dz, dM, dt);
  }
  return sums.moments(z, n, dt, samples);
}

/**
 * The running sums of one-step samples of (ΔZ − ΔM)/dt (the drift) and ΔZ²/dt (the quadratic
 * variation rate), and their means with standard errors from the sums of squares.
 */
class MomentSums {
  private sd = 0;
  private sd2 = 0;
  private sq = 0;
  private sq2 = 0;

  add(dz: number, dM: number, dt: number): void {
    const a = (dz - dM) / dt,
      b = (dz * dz) / dt;
    this.sd += a;
    this.sd2 += a * a;
    this.sq += b;
    this.sq2 += b * b;
  }

  moments(z: number, n: number, dt: number, samples: number): ZMoments {
    const mean = (sum: number, sum2: number): Estimate => {
      const m = sum / samples;
      return { value: m, se: Math.sqrt(Math.max(0, sum2 / samples - m * m) / (samples - 1)) };
    };
    return { z, n, dt, drift: mean(this.sd, this.sd2), quadraticVariation: mean(this.sq, this.sq2) };
  }
}
