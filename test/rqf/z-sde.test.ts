import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import { SdeIntegrator, type SdeSystem } from "../../lib/sde";
import { simulateZ, simulateCubicZ, zSde, cubicZSde, zDrift, zDiffusion } from "../../lib/rqf";
import { pathwiseOrder } from "../sde/pathwise-order";

/**
 * Pathwise convergence of a specialised Z sampler (Euler–Maruyama in a changed variable) to
 * SdeIntegrator's Euler–Maruyama on the Z-SDE itself, on the same normals: the root-mean-square
 * difference at T over `paths` paths for dt = 0.01, 0.0025, 0.000625, and the slope of its log
 * against log dt, with an error from the paths' spread (`pathwiseOrder`).
 */
function convergence(sys: SdeSystem, sample: (dt: number, stream: Stream) => number, z0: number) {
  const T = 0.5;
  const integ = new SdeIntegrator(sys, "euler-maruyama");
  return pathwiseOrder(
    (dt, p) => {
      const steps = Math.round(T / dt),
        dW = new Float64Array(steps);
      const a = sample(dt, new Stream("test/z-sde", p));
      new Stream("test/z-sde", p).fillNormal(dW);
      for (let k = 0; k < steps; k++) dW[k] *= Math.sqrt(dt);
      return a - integ.solve(Float64Array.of(z0), dt, dW)[0];
    },
    [0.01, 0.0025, 0.000625],
    400,
  );
}

test("zSde and cubicZSde are the Z diffusions of zDrift/zDiffusion; bad input is refused", () => {
  const sys = zSde("sqrt2"),
    f = new Float64Array(1),
    g = new Float64Array(1);
  sys.drift(Float64Array.of(0.4), f);
  sys.diffusion(Float64Array.of(0.4), g);
  assert.equal(f[0], zDrift(0.4, "sqrt2"));
  assert.ok(Math.abs(g[0] - zDiffusion(0.4, "sqrt2")) < 1e-15);
  // Jacobians against central differences
  const j = new Float64Array(1),
    k = new Float64Array(1),
    h = 1e-6,
    fp = new Float64Array(1),
    fm = new Float64Array(1);
  const c = cubicZSde(2);
  c.driftJacobian(Float64Array.of(0.3), j);
  c.drift(Float64Array.of(0.3 + h), fp);
  c.drift(Float64Array.of(0.3 - h), fm);
  assert.ok(Math.abs(j[0] - (fp[0] - fm[0]) / (2 * h)) < 1e-8);
  c.diffusionJacobian(Float64Array.of(0.3), k);
  c.diffusion(Float64Array.of(0.3 + h), fp);
  c.diffusion(Float64Array.of(0.3 - h), fm);
  assert.ok(Math.abs(k[0] - (fp[0] - fm[0]) / (2 * h)) < 1e-8);
  assert.throws(() => cubicZSde(NaN), /driftFactor/);
  assert.throws(() => zSde("one" as never), /normalisation/);
});

test("simulateZ (arcsin and artanh variables) converges pathwise to Euler–Maruyama on zSde, same normals, at strong order 1/2", () => {
  for (const variable of ["arcsin", "artanh"] as const) {
    const r = convergence(
      zSde("half"),
      (dt, stream) => simulateZ({ z0: 0.3, times: [0.5], dt, stream, variable })[0],
      0.3,
    );
    // the rule of test/sde/order.test.ts: 4 fit errors plus 0.1 for pre-asymptotic curvature
    assert.ok(
      Math.abs(r.slope - 0.5) < 4 * r.slopeError + 0.1,
      `${variable}: order ${r.slope.toFixed(3)} ± ${r.slopeError.toFixed(3)}; rms ${r.levels.map((l) => l.rms.toExponential(2)).join(", ")}`,
    );
  }
});

test("simulateCubicZ converges pathwise to Euler–Maruyama on cubicZSde, same normals, at strong order 1/2 (c = −1, 0, 2)", () => {
  for (const c of [-1, 0, 2]) {
    const r = convergence(
      cubicZSde(c),
      (dt, stream) => simulateCubicZ({ z0: 0.3, times: [0.5], dt, stream, driftFactor: c })[0],
      0.3,
    );
    assert.ok(
      Math.abs(r.slope - 0.5) < 4 * r.slopeError + 0.1,
      `c = ${c}: order ${r.slope.toFixed(3)} ± ${r.slopeError.toFixed(3)}; rms ${r.levels.map((l) => l.rms.toExponential(2)).join(", ")}`,
    );
  }
});
