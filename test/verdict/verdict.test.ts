import { normalQuantile } from "../../lib/stats";
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  agree,
  reject,
  atMost,
  exceeds,
  ksAccept,
  chiSquareAccept,
  band,
  equals,
  VerdictReport,
  VERDICT_MIME,
  kindCounts,
  kindCountsText,
} from "../../lib/verdict";
import { ksOneSample, normalCdf } from "../../lib/stats";
import { Stream } from "../../lib/random";

test("agree passes a right prediction and fails a wrong one; the tolerance is z·√(se² + sys²)", () => {
  const ok = agree({
    id: "a",
    kind: "claim",
    claim: "c",
    predicted: 1,
    measured: 1.05,
    standardError: 0.02,
    confidence: 0.999,
  });
  assert.equal(ok.pass, true);
  assert.ok(Math.abs(ok.tolerance! - 3.2905267314919255 * 0.02) < 1e-12);
  const wrong = agree({ id: "a", kind: "claim", claim: "c", predicted: 1.2, measured: 1.05, standardError: 0.02 });
  assert.equal(wrong.pass, false);
  const withSys = agree({
    id: "a",
    kind: "claim",
    claim: "c",
    predicted: 1.2,
    measured: 1.05,
    standardError: 0.02,
    systematic: 0.05,
  });
  assert.equal(withSys.pass, true);
});

test("agree and reject take the measurement as one Estimate: the same verdict as measured and standardError", async () => {
  const { meanWithError, richardson } = await import("../../lib/stats");
  const e = meanWithError([1.01, 1.07, 0.98, 1.04, 1.1]);
  const base = { id: "a", kind: "claim" as const, claim: "c", predicted: 1, dof: e.n - 1 };
  const alternative = { value: 1.3, label: "wrong" };
  assert.deepEqual(
    agree({ ...base, estimate: e, alternative }),
    agree({ ...base, measured: e.value, standardError: e.se, alternative }),
  );
  assert.deepEqual(
    reject({ ...base, predicted: 1.3, estimate: e }),
    reject({ ...base, predicted: 1.3, measured: e.value, standardError: e.se }),
  );
  // richardson's output goes in as it is
  const r = richardson({ value: 1.1, se: 0.01 }, { value: 1.05, se: 0.01 });
  assert.equal(agree({ ...base, estimate: r, systematic: 0.001 }).measured, r.value);
  // one form, not both, not neither (a caller without the type checker)
  const loose = (o: object) => agree({ ...base, ...o } as Parameters<typeof agree>[0]);
  assert.throws(() => loose({ estimate: e, measured: e.value, standardError: e.se }), /not both/);
  assert.throws(() => loose({}), /give measured and standardError, or estimate/);
  assert.throws(() => loose({ estimate: { value: NaN, se: 0.1 } }), /measured/);
  assert.throws(() => loose({ estimate: { value: 1, se: -1 } }), /standardError/);
});

test("with few replicates the multiplier is Student's t, which widens the tolerance", () => {
  const z = agree({
    id: "a",
    kind: "claim",
    claim: "c",
    predicted: 0,
    measured: 0.1,
    standardError: 0.025,
    confidence: 0.999,
  });
  const t = agree({
    id: "a",
    kind: "claim",
    claim: "c",
    predicted: 0,
    measured: 0.1,
    standardError: 0.025,
    dof: 11,
    confidence: 0.999,
  });
  assert.equal(z.pass, false);
  assert.equal(t.pass, true);
  assert.match(t.uncertainty, /t11=4\.4/);
});

test("reject is the converse of agree", () => {
  const base = { id: "r", kind: "claim" as const, claim: "c", measured: 0.26, standardError: 0.01 };
  assert.equal(reject({ ...base, predicted: 0.75 }).pass, true);
  assert.equal(reject({ ...base, predicted: 0.25 }).pass, false);
});

test("atMost and exceeds", () => {
  assert.equal(atMost({ id: "m", kind: "claim", claim: "c", measured: 0, bound: 0, boundRule: "r" }).pass, true);
  assert.equal(atMost({ id: "m", kind: "claim", claim: "c", measured: 1e-300, bound: 0, boundRule: "r" }).pass, false);
  assert.equal(exceeds({ id: "e", kind: "claim", claim: "c", measured: 2, bound: 1, boundRule: "r" }).pass, true);
  assert.equal(exceeds({ id: "e", kind: "claim", claim: "c", measured: 1, bound: 1, boundRule: "r" }).pass, false);
  // a named alternative is recorded (a negative control) and must sit on the failing side of the bound
  assert.equal(
    exceeds({
      id: "e",
      kind: "claim",
      claim: "c",
      measured: 2,
      bound: 1,
      boundRule: "r",
      alternative: { value: 0, label: "none" },
    }).alternative,
    "none = 0",
  );
  // an alternative on the passing side cannot be told apart: the verdict fails (it never throws,
  // so that a notebook run in a falsified setting still reaches its verdict table)
  const blind = exceeds({
    id: "e",
    kind: "claim",
    claim: "c",
    measured: 2,
    bound: 1,
    boundRule: "r",
    alternative: { value: 3, label: "bigger" },
  });
  assert.equal(blind.pass, false);
  assert.match(blind.margin!, /passes the bound too/);
  assert.equal(
    atMost({
      id: "m",
      kind: "claim",
      claim: "c",
      measured: 0,
      bound: 1,
      boundRule: "r",
      alternative: { value: 0.5, label: "small" },
    }).pass,
    false,
  );
});

test("ksAccept fails when the law is wrong", () => {
  const x = new Stream(7).fillNormal(new Float64Array(50000));
  assert.equal(
    ksAccept({ id: "k", kind: "claim", claim: "c", law: "N(0,1)", result: ksOneSample(x, normalCdf) }).pass,
    true,
  );
  assert.equal(
    ksAccept({
      id: "k",
      kind: "claim",
      claim: "c",
      law: "N(0.05,1)",
      result: ksOneSample(x, (v) => normalCdf(v - 0.05)),
    }).pass,
    false,
  );
});

test("bad inputs throw instead of producing NaN verdicts", () => {
  assert.throws(
    () => agree({ id: "a", kind: "claim", claim: "c", predicted: NaN, measured: 1, standardError: 0.1 }),
    /predicted/,
  );
  assert.throws(
    () => agree({ id: "a", kind: "claim", claim: "c", predicted: 1, measured: 1, standardError: -1 }),
    /standardError/,
  );
  assert.throws(
    () => agree({ id: "a", kind: "claim", claim: "c", predicted: 1, measured: 1, standardError: 1, confidence: 2 }),
    /confidence/,
  );
});

test("a report carries the verdicts as JSON for the runner and refuses duplicate ids", () => {
  const r = new VerdictReport("nb");
  r.add(agree({ id: "a", kind: "claim", claim: "c", predicted: 1, measured: 1, standardError: 0.1 }));
  assert.throws(
    () => r.add(agree({ id: "a", kind: "claim", claim: "c", predicted: 1, measured: 1, standardError: 0.1 })),
    /already used/,
  );
  const bundle = r.mimeBundle() as Record<string, { verdicts: unknown[] }>;
  assert.equal(bundle[VERDICT_MIME].verdicts.length, 1);
  assert.match(String(r.mimeBundle()["text/html"]), /PASS/);
  assert.equal(r.allPass, true);
});

test("chiSquareAccept passes residuals of the right model and fails those of a wrong one", () => {
  const s = new Stream(9);
  const right = Array.from({ length: 12 }, () => s.normal());
  assert.equal(
    chiSquareAccept({ id: "c", kind: "claim", claim: "c", residuals: right, predictionLabel: "model" }).pass,
    true,
  );
  // every point off by 2 standard errors: E χ² = 12 + 48, p ~ 1e-8 (at 1.5σ the power at α = 1e-3 is only ~50%)
  const wrong = right.map((r) => r + 2);
  assert.equal(
    chiSquareAccept({ id: "c", kind: "claim", claim: "c", residuals: wrong, predictionLabel: "model" }).pass,
    false,
  );
  assert.throws(
    () => chiSquareAccept({ id: "c", kind: "claim", claim: "c", residuals: [1], fitted: 1, predictionLabel: "m" }),
    /degree of freedom/,
  );
  // expectReject turns it around: a competing model must be excluded
  assert.equal(
    chiSquareAccept({ id: "c", kind: "claim", claim: "c", residuals: wrong, predictionLabel: "m", expectReject: true })
      .pass,
    true,
  );
  assert.equal(
    chiSquareAccept({ id: "c", kind: "claim", claim: "c", residuals: right, predictionLabel: "m", expectReject: true })
      .pass,
    false,
  );
});

test("chiSquareAccept with estimated standard errors: t residuals keep the test's level", () => {
  // 28 residuals, each a mean of 8 normal draws over its own estimated se: t with 7 dof.
  let rejectedRaw = 0,
    rejectedT = 0;
  const trials = 300;
  for (let k = 0; k < trials; k++) {
    const s = new Stream(10, k);
    const res = Array.from({ length: 28 }, () => {
      const x = Array.from({ length: 8 }, () => s.normal());
      const m = x.reduce((a, b) => a + b) / 8;
      const sd = Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / 7);
      return m / (sd / Math.sqrt(8));
    });
    if (
      !chiSquareAccept({ id: "c", kind: "claim", claim: "c", residuals: res, predictionLabel: "m", alpha: 0.01 }).pass
    )
      rejectedRaw++;
    if (
      !chiSquareAccept({
        id: "c",
        kind: "claim",
        claim: "c",
        residuals: res,
        predictionLabel: "m",
        alpha: 0.01,
        dof: 7,
      }).pass
    )
      rejectedT++;
  }
  // at α = 0.01 about 3 of 300 should be rejected; treating t residuals as normal rejects far more
  assert.ok(rejectedT <= 10, `with dof: ${rejectedT} rejections`);
  assert.ok(rejectedRaw > 3 * Math.max(rejectedT, 3), `without dof: ${rejectedRaw} rejections`);
});

test("ksReject passes exactly when the KS test rejects at alpha", async () => {
  const { ksReject } = await import("../../lib/verdict");
  const base = { id: "k", kind: "claim" as const, claim: "c", law: "L" };
  assert.equal(ksReject({ ...base, result: { statistic: 0.3, pValue: 1e-6, n: 100 } }).pass, true);
  assert.equal(ksReject({ ...base, result: { statistic: 0.05, pValue: 0.4, n: 100 } }).pass, false);
});

test("family-wise default: each stochastic verdict at VERDICT_LEVEL = FAMILY_ERROR / budget (1 %/120 = 8.3e-5, z = 3.9346)", async () => {
  const { VERDICT_LEVEL, FAMILY_ERROR, STOCHASTIC_VERDICT_BUDGET } = await import("../../lib/params");
  assert.equal(VERDICT_LEVEL, FAMILY_ERROR / STOCHASTIC_VERDICT_BUDGET);
  assert.ok(FAMILY_ERROR <= 0.01);
  const v = agree({ id: "a", kind: "claim", claim: "c", predicted: 0, measured: 0.03, standardError: 0.01 });
  // two-sided normal quantile of the level (1 − 4.17e-5 for the budget of 120)
  assert.ok(Math.abs(v.tolerance! - normalQuantile(1 - VERDICT_LEVEL / 2) * 0.01) < 1e-12, `tolerance ${v.tolerance}`);
  assert.ok(Math.abs(v.tolerance! - 3.93461 * 0.01) < 1e-6, `tolerance ${v.tolerance}`);
  assert.equal(v.stochastic, true);
  assert.ok(Math.abs(v.level! - 0.01 / 120) < 1e-15);
  assert.match(v.margin!, /^3σ ≤ 3\.9σ/);
  assert.equal(
    atMost({ id: "m", kind: "claim", claim: "c", measured: 0, bound: 1, boundRule: "rounding" }).stochastic,
    false,
  );
  const ks = ksAccept({
    id: "k",
    kind: "claim",
    claim: "c",
    result: { statistic: 0.1, pValue: 2e-4, n: 100 },
    law: "U",
  });
  assert.equal(ks.pass, true); // would fail at the old 1e-3
});

test("agree with a named alternative: passes only if the alternative is rejected too; the power is the plug-in P(|N(d, 1)| > z)", () => {
  const base = {
    id: "a",
    kind: "claim" as const,
    claim: "c",
    predicted: 0.5,
    measured: 0.51,
    standardError: 0.01,
    confidence: 0.999,
  };
  const far = agree({ ...base, alternative: { value: 0.25, label: "square-root rule" } });
  assert.equal(far.pass, true);
  assert.ok(far.power! > 0.999999);
  assert.match(far.margin!, /square-root rule at 26σ/);
  // d = 3.29 = z: the rejection is a coin flip, and the verdict fails (the alternative is not excluded)
  const near = agree({ ...base, measured: 0.5, alternative: { value: 0.5 - 0.032905267314919255, label: "near" } });
  assert.ok(Math.abs(near.power! - 0.5) < 1e-6, `power ${near.power}`);
  const close = agree({ ...base, alternative: { value: 0.52, label: "close" } });
  assert.equal(close.pass, false);
  const r = reject({
    id: "r",
    kind: "claim",
    claim: "c",
    predicted: 0.25,
    measured: 0.5,
    standardError: 0.01,
    confidence: 0.999,
  });
  assert.ok(r.power! > 0.999999 && r.level! < 1e-6 && r.alternative === "0.25");
});

test("KS and χ² verdicts with a named alternative: pass only when the alternative is rejected too, margin shows its p", () => {
  const ok = { statistic: 0.02, pValue: 0.5, n: 1000 },
    bad = { statistic: 0.3, pValue: 1e-40, n: 1000 };
  const v = ksAccept({
    id: "k",
    kind: "claim",
    claim: "c",
    result: ok,
    law: "surmise",
    alternative: { law: "Poisson", result: bad },
  });
  assert.equal(v.pass, true);
  assert.equal(v.alternative, "Poisson");
  assert.match(v.margin!, /Poisson at p = 1e-40/);
  assert.equal(
    ksAccept({
      id: "k",
      kind: "claim",
      claim: "c",
      result: ok,
      law: "surmise",
      alternative: { law: "Poisson", result: ok },
    }).pass,
    false,
  );
  const good = [0.5, -1, 0.3, 1.2],
    off = good.map((r) => r + 6);
  const c = chiSquareAccept({
    id: "c",
    kind: "claim",
    claim: "c",
    residuals: good,
    predictionLabel: "model",
    alternative: { label: "wrong model", residuals: off },
  });
  assert.equal(c.pass, true);
  assert.match(c.margin!, /wrong model at p = /);
  assert.equal(
    chiSquareAccept({
      id: "c",
      kind: "claim",
      claim: "c",
      residuals: good,
      predictionLabel: "model",
      alternative: { label: "same", residuals: good },
    }).pass,
    false,
  );
});

test("every constructor carries its kind; an unknown or missing kind is refused", () => {
  assert.equal(
    agree({ id: "a", kind: "claim", claim: "c", predicted: 1, measured: 1, standardError: 0.1 }).kind,
    "claim",
  );
  assert.equal(
    exceeds({ id: "e", kind: "derived", claim: "c", measured: 2, bound: 1, boundRule: "r" }).kind,
    "derived",
  );
  assert.equal(
    equals({ id: "q", kind: "check", claim: "c", predicted: "x", measured: "x", method: "m" }).kind,
    "check",
  );
  assert.equal(
    reject({ id: "r", kind: "claim", claim: "c", predicted: 0, measured: 1, standardError: 0.1 }).kind,
    "claim",
  );
  assert.throws(
    () => agree({ id: "a", kind: "theorem" as never, claim: "c", predicted: 1, measured: 1, standardError: 0.1 }),
    /kind must be one of claim, derived, check/,
  );
  // a caller without the type checker (plain JavaScript) that leaves kind out is refused too
  assert.throws(
    () => agree({ id: "a", claim: "c", predicted: 1, measured: 1, standardError: 0.1 } as never),
    /a: every verdict says what it shows/,
  );
});

test("kind counts keep claims and derived results apart from checks", () => {
  const vs = [
    agree({ id: "a", kind: "claim", claim: "c", predicted: 1, measured: 1, standardError: 0.1 }),
    agree({ id: "b", kind: "claim", claim: "c", predicted: 1, measured: 2, standardError: 0.1 }),
    exceeds({ id: "d", kind: "derived", claim: "c", measured: 2, bound: 1, boundRule: "r" }),
    equals({ id: "q", kind: "check", claim: "c", predicted: "x", measured: "x", method: "m" }),
  ];
  const c = kindCounts(vs);
  assert.deepEqual(
    [c.claim, c.derived, c.check, c.unset],
    [
      { total: 2, pass: 1 },
      { total: 1, pass: 1 },
      { total: 1, pass: 1 },
      { total: 0, pass: 0 },
    ],
  );
  assert.equal(
    kindCountsText(vs),
    "2 claims and 1 derived result (2 pass); 1 check of the code (1 pass), which count toward no claim",
  );
});

test("a band passes inside the source's range only, is not stochastic and says it is a band", () => {
  const inside = band({
    id: "t",
    kind: "claim",
    claim: "c",
    measured: 0.2,
    se: 0.01,
    lo: 0.15,
    hi: 0.25,
    source: "the talk",
  });
  assert.equal(inside.pass, true);
  assert.equal(inside.stochastic, false);
  assert.equal(inside.level, undefined);
  assert.match(inside.prediction, /band/);
  assert.match(inside.uncertainty, /not a statistical tolerance/);
  // the se is shown, not added: 0.26 ± 0.05 is outside [0.15, 0.25]
  assert.equal(
    band({ id: "t", kind: "claim", claim: "c", measured: 0.26, se: 0.05, lo: 0.15, hi: 0.25, source: "s" }).pass,
    false,
  );
  assert.equal(
    band({
      id: "t",
      kind: "claim",
      claim: "c",
      measured: 0.2,
      lo: 0.15,
      hi: 0.25,
      source: "s",
      alternative: { value: 0.22, label: "alt" },
    }).pass,
    false,
  );
  assert.equal(
    band({
      id: "t",
      kind: "claim",
      claim: "c",
      measured: 0.2,
      lo: 0.15,
      hi: 0.25,
      source: "s",
      alternative: { value: 0.5, label: "alt" },
    }).pass,
    true,
  );
  assert.throws(
    () => band({ id: "t", kind: "claim", claim: "c", measured: 0.2, lo: 0.3, hi: 0.25, source: "s" }),
    /lo <= hi/,
  );
  assert.throws(
    () => band({ id: "t", kind: "claim", claim: "c", measured: NaN, lo: 0.1, hi: 0.25, source: "s" }),
    /measured/,
  );
});
