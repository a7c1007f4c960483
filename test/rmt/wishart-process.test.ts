import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import { wishartTraceMoments, brownianGramSamples } from "../../lib/rmt";

test("wishartTraceMoments: the 1×1 case is (w₀ + g√t z)², with mean w₀² + g²t and variance 4w₀²g²t + 2g⁴t²", () => {
  const m = wishartTraceMoments(0.49, 1, 1, 0.5, 2);
  assert.ok(Math.abs(m.mean - (0.49 + 0.5)) < 1e-15);
  assert.ok(Math.abs(m.variance - (4 * 0.49 * 0.5 + 2 * 0.25)) < 1e-15);
  assert.throws(() => wishartTraceMoments(-1, 2, 2, 1, 1), /tr X₀/);
  assert.throws(() => wishartTraceMoments(1, 2, 2, 0, 1), /g/);
});

test("brownianGramSamples: sample moments of tr X(t) match the exact ones; levels are ≥ 0; seeded", () => {
  const rows = 4, cols = 3, g = 0.7, t = 0.3;
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
  assert.ok(Math.abs(variance - exact.variance) < 5 * Math.sqrt((m4 - variance ** 2) / n), `variance ${variance} vs ${exact.variance}`);
  assert.ok(out.spectra.every((v) => v > -1e-12));
  for (let s = 0; s < 5; s++) assert.ok(Math.abs(out.spectra.subarray(s * cols, (s + 1) * cols).reduce((a, v) => a + v, 0) - out.traces[s]) < 1e-12);
  const again = brownianGramSamples({ w0, rows, cols, g, t, samples: 5, stream: new Stream(5) });
  assert.deepEqual(Array.from(again.traces), Array.from(out.traces.subarray(0, 5)));
  assert.throws(() => brownianGramSamples({ w0, rows, cols: 2, g, t, samples: 5, stream: new Stream(5) }), /w0/);
});
