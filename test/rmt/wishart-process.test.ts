import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import { wishartTraceMoments, brownianGramSamples, dysonGramSamples, bruDrift } from "../../lib/rmt";
import { varianceWithError } from "../../lib/stats";

test("wishartTraceMoments: the 1×1 case is (w₀ + g√t z)², with mean w₀² + g²t and variance 4w₀²g²t + 2g⁴t²", () => {
  const m = wishartTraceMoments(0.49, 1, 1, 0.5, 2);
  assert.ok(Math.abs(m.mean - (0.49 + 0.5)) < 1e-15);
  assert.ok(Math.abs(m.variance - (4 * 0.49 * 0.5 + 2 * 0.25)) < 1e-15);
  assert.throws(() => wishartTraceMoments(-1, 2, 2, 1, 1), /tr X₀/);
  assert.throws(() => wishartTraceMoments(1, 2, 2, 0, 1), /g/);
});

test("brownianGramSamples: sample moments of tr X(t) match the exact ones; levels are ≥ 0; seeded", () => {
  const rows = 4,
    cols = 3,
    g = 0.7,
    t = 0.3;
  const w0 = Float64Array.from({ length: rows * cols }, (_, k) => Math.sin(k + 1));
  const tr0 = w0.reduce((a, v) => a + v * v, 0);
  const n = 40000;
  const out = brownianGramSamples({ w0, rows, cols, g, t, samples: n, stream: new Stream(5) });
  const mean = out.traces.reduce((a, v) => a + v, 0) / n;
  const variance = out.traces.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  const exact = wishartTraceMoments(tr0, rows, cols, g, t);
  // 5 standard errors of the mean and of the variance (the fourth central moment from the sample)
  const m4 = out.traces.reduce((a, v) => a + (v - mean) ** 4, 0) / n;
  assert.ok(Math.abs(mean - exact.mean) < 5 * Math.sqrt(exact.variance / n), `mean ${mean} vs ${exact.mean}`);
  assert.ok(
    Math.abs(variance - exact.variance) < 5 * Math.sqrt((m4 - variance ** 2) / n),
    `variance ${variance} vs ${exact.variance}`,
  );
  assert.ok(out.spectra.every((v) => v > -1e-12));
  for (let s = 0; s < 5; s++)
    assert.ok(
      Math.abs(out.spectra.subarray(s * cols, (s + 1) * cols).reduce((a, v) => a + v, 0) - out.traces[s]) < 1e-12,
    );
  const again = brownianGramSamples({ w0, rows, cols, g, t, samples: 5, stream: new Stream(5) });
  assert.deepEqual(Array.from(again.traces), Array.from(out.traces.subarray(0, 5)));
  assert.throws(() => brownianGramSamples({ w0, rows, cols: 2, g, t, samples: 5, stream: new Stream(5) }), /w0/);
});

test("dysonGramSamples (noise on X, the Dyson alternative): tr X(t) has mean tr X₀ and variance 2·cols·g²t whatever X₀; seeded; bruDrift is g²[rows + Σ(x_i + x_j)/(x_i − x_j)]", () => {
  const cols = 3,
    g = 0.7,
    t = 0.3,
    n = 40000,
    exactVar = 2 * cols * g * g * t;
  for (const c of [0.5, 4]) {
    const x0 = Float64Array.of(c, 0.1, 0, 0.1, 2 * c, 0, 0, 0, 3 * c);
    const out = dysonGramSamples({ x0, cols, g, t, samples: n, stream: Stream.named(6, `test/dyson-gram/c=${c}`) });
    const v = varianceWithError(out.traces);
    assert.ok(Math.abs(v.mean.value - 6 * c) < 5 * v.mean.se, `mean ${v.mean.value} vs ${6 * c}`);
    assert.ok(Math.abs(v.variance.value - exactVar) < 5 * v.variance.se, `variance ${v.variance.value} vs ${exactVar}`);
  }
  const a = dysonGramSamples({ x0: new Float64Array(9), cols, g, t, samples: 3, stream: new Stream(7) });
  const b = dysonGramSamples({ x0: new Float64Array(9), cols, g, t, samples: 3, stream: new Stream(7) });
  assert.deepEqual(Array.from(a.spectra), Array.from(b.spectra));
  assert.throws(
    () => dysonGramSamples({ x0: Float64Array.of(1, 2, 3, 4), cols: 2, g, t, samples: 3, stream: new Stream(7) }),
    /symmetric/,
  );
  assert.ok(Math.abs(bruDrift([1, 3], 1, 4, 0.5) - 0.25 * (4 + 4 / 2)) < 1e-15);
  assert.throws(() => bruDrift([1, 1], 0, 4, 0.5), /coincide/);
});
