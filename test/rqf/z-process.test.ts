import { test } from "node:test";
import assert from "node:assert/strict";
import { measureZMoments, simulateZ, simulateCubicZ, zDrift, zDiffusion } from "../../lib/rqf";
import { Stream } from "../../lib/random";
import { richardson, replicateMean } from "../../lib/stats";

// One-step moments at dt and dt/2, Richardson-extrapolated (the estimator's O(dt) bias removed).
const moments = (n: number, z: number, noise: "common" | "independent", seed: number) => {
  const at = (dt: number) =>
    measureZMoments({ n: n, z: z, dt: dt, samples: 20000, noise: noise, stream: new Stream(seed, Math.round(1 / dt)) });
  const c = at(1e-3),
    f = at(5e-4);
  return {
    drift: richardson(c.drift, f.drift),
    qv: richardson(c.quadraticVariation, f.quadraticVariation),
  };
};

test("measureZMoments, common noise: drift −z(1−z²) and quadratic variation 2(1−z²)², for n = 2 and 5", () => {
  for (const [n, z] of [
    [2, 0.5],
    [5, -0.3],
  ] as const) {
    const m = moments(n, z, "common", 1);
    assert.ok(
      Math.abs(m.drift.value - zDrift(z)) < 5 * m.drift.se,
      `n=${n}: drift ${m.drift.value} ± ${m.drift.se} vs ${zDrift(z)}`,
    );
    assert.ok(Math.abs(m.qv.value - zDiffusion(z) ** 2) < 5 * m.qv.se, `n=${n}: qv ${m.qv.value} ± ${m.qv.se}`);
  }
});

test("measureZMoments, independent noise: drift −(n−1)z/2 (no covariation) and quadratic variation 1 − z²", () => {
  for (const [n, z] of [
    [3, 0.5],
    [5, -0.3],
  ] as const) {
    const m = moments(n, z, "independent", 2);
    assert.ok(
      Math.abs(m.drift.value - (-(n - 1) * z) / 2) < 5 * m.drift.se,
      `n=${n}: drift ${m.drift.value} ± ${m.drift.se}`,
    );
    assert.ok(Math.abs(m.qv.value - (1 - z * z)) < 5 * m.qv.se, `n=${n}: qv ${m.qv.value} ± ${m.qv.se}`);
    // and the common-noise values are excluded by the same estimates
    assert.ok(Math.abs(m.drift.value - zDrift(z)) > 5 * m.drift.se);
  }
  assert.throws(
    () => measureZMoments({ n: 3, z: 0, dt: 1e-3, samples: 10, noise: "frozen", stream: new Stream(1) }),
    /frozen/,
  );
});

test("simulateCubicZ: c = −1 is the RQF's Z (the artanh scheme of simulateZ); the scale function S (s = (1 − z²)^{c/2}) of Z is a martingale: Z for c = 0, arcsin Z for c = −1, Z − Z³/3 for c = 2", () => {
  // the same recursion as simulateZ({ …, variable: "artanh" }) up to the rounding of its drift coefficient
  const a = simulateCubicZ({ z0: 0.3, times: [0.5, 2], dt: 0.001, stream: new Stream(3), driftFactor: -1 });
  const b = simulateZ({ z0: 0.3, times: [0.5, 2], dt: 0.001, stream: new Stream(3), variable: "artanh" });
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-9, `${v} vs ${b[i]}`));
  const runs = 4000;
  const c0 = replicateMean(
    Array.from({ length: runs }, (_, r) =>
      simulateCubicZ({ z0: 0.3, times: [1], dt: 0.002, stream: new Stream(4, r), driftFactor: 0 }),
    ),
  );
  assert.ok(Math.abs(c0.value[0] - 0.3) < 4.5 * c0.se[0], `E Z_1 = ${c0.value[0]} ± ${c0.se[0]} (c = 0)`);
  const cm1 = replicateMean(
    Array.from({ length: runs }, (_, r) =>
      simulateCubicZ({ z0: 0.3, times: [1], dt: 0.002, stream: new Stream(5, r), driftFactor: -1 }).map(Math.asin),
    ),
  );
  assert.ok(
    Math.abs(cm1.value[0] - Math.asin(0.3)) < 4.5 * cm1.se[0],
    `E arcsin Z_1 = ${cm1.value[0]} ± ${cm1.se[0]} (c = −1)`,
  );
  // the talk's drift read as Itô (c = 2): S(z) = z − z³/3; Z itself is not a martingale (it drifts outward)
  const c2 = Array.from(
    { length: runs },
    (_, r) => simulateCubicZ({ z0: 0.3, times: [1], dt: 0.002, stream: new Stream(6, r), driftFactor: 2 })[0],
  );
  const s2 = replicateMean(c2.map((z) => [z - (z * z * z) / 3])),
    z2 = replicateMean(c2.map((z) => [z]));
  assert.ok(Math.abs(s2.value[0] - (0.3 - 0.009)) < 4.5 * s2.se[0], `E S(Z_1) = ${s2.value[0]} ± ${s2.se[0]} (c = 2)`);
  assert.ok(z2.value[0] - 0.3 > 4.5 * z2.se[0], `E Z_1 = ${z2.value[0]} ± ${z2.se[0]} (c = 2)`);
});

test("simulateCubicZ: bad input names the option", () => {
  const s = new Stream(1);
  assert.throws(
    () => simulateCubicZ({ z0: 1, times: [1], dt: 0.01, stream: s, driftFactor: -1 }),
    /z0 must be in \(−1, 1\)/,
  );
  assert.throws(() => simulateCubicZ({ z0: 0, times: [1], dt: 0, stream: s, driftFactor: -1 }), /dt/);
  assert.throws(() => simulateCubicZ({ z0: 0, times: [1], dt: 0.01, stream: s, driftFactor: NaN }), /driftFactor/);
});
