import { test } from "node:test";
import assert from "node:assert/strict";
import { powerLawFit } from "../../lib/stats";
import { Stream } from "../../lib/random";

test("powerLawFit: exact data give the exponents and prefactors exactly; noisy data cover them with χ² ≈ dof", () => {
  const pts = [];
  for (const a of [0.01, 0.02, 0.04])
    for (const b of [1, 2, 8])
      for (let g = 0; g < 2; g++) {
        pts.push({
          value: [1.5, 3][g] * Math.pow(a, 0.5) * Math.pow(b, -0.5) * Math.exp(0.1 * a),
          se: 1e-3,
          x: [a, b],
          group: g,
          logOffset: 0.1 * a,
        });
      }
  const f = powerLawFit(pts, { groups: 2, names: ["c1", "c2", "a", "b"] });
  [Math.log(1.5), Math.log(3), 0.5, -0.5].forEach((v, k) =>
    assert.ok(Math.abs(f.coefficients[k] - v) < 1e-10, `${f.names[k]} = ${f.coefficients[k]}`),
  );
  // 2 % noise: the exponents within 4 se (200 repetitions would fail this ~0.01 times), mean χ²/dof near 1
  const s = new Stream(3);
  let chi = 0;
  for (let rep = 0; rep < 50; rep++) {
    const noisy = pts.map((p) => {
      const y = p.value * (1 + 0.02 * s.normal());
      return { ...p, value: y, se: 0.02 * p.value };
    });
    const h = powerLawFit(noisy, { groups: 2 });
    assert.ok(Math.abs(h.coefficients[2] - 0.5) < 4.5 * h.standardErrors[2]);
    chi += h.chi2 / h.dof;
  }
  assert.ok(Math.abs(chi / 50 - 1) < 0.25, `mean χ²/dof ${chi / 50}`);
  assert.throws(() => powerLawFit([{ value: -1, se: 1, x: [1] }]), /value must be > 0/);
  assert.throws(() => powerLawFit([{ value: 1, se: 1, x: [1], group: 2 }], { groups: 2 }), /group/);
});
