import { test } from "node:test";
import assert from "node:assert/strict";
import { familySummary, familyText } from "../../tools/runner/family";
import { agree } from "../../lib/verdict";
import { FAMILY_ERROR, VERDICT_LEVEL } from "../../lib/params";
import { normalCdf, normalQuantile } from "../../lib/stats";

// A claim measured at 1 ± 0.01 whose alternative sits `d` standard errors away.
const control = (id: string, d: number) =>
  agree({
    id,
    kind: "claim",
    claim: "one is one",
    predicted: 1,
    measured: 1,
    standardError: 0.01,
    alternative: { value: 1 + 0.01 * d, label: "the wrong value" },
  });

test("family: the Bonferroni bound plus Σ(1 − plug-in power) of the alternatives; the weakest named", () => {
  const z = normalQuantile(1 - VERDICT_LEVEL / 2);
  const far = control("far", 40),
    near = control("near", 6);
  const f = familySummary([
    { name: "a", verdicts: [far] },
    { name: "b", verdicts: [near] },
  ]);
  assert.ok(Math.abs(f.bound - 2 * VERDICT_LEVEL) < 1e-15);
  // P(|N(6, 1)| ≤ z) ≈ Φ(z − 6): the chance a repeat misses the alternative at 6σ
  const miss = normalCdf(z - 6) - normalCdf(-z - 6);
  assert.ok(Math.abs(f.missSum - miss) < 1e-9, `${f.missSum} vs ${miss}`);
  assert.ok(Math.abs(f.falseFailure - (f.bound + f.missSum)) < 1e-15);
  assert.equal(f.underpowered, f.falseFailure > FAMILY_ERROR);
  assert.equal(f.underpowered, true); // 6σ against z = 3.9: misses ≈ 2 % of the time
  assert.equal(f.weakest[0].verdict, "b near");
  assert.match(familyText(f), /UNDERPOWERED\. Weakest alternatives: b near \(power 0\.98/);

  const good = familySummary([{ name: "a", verdicts: [far, control("also-far", 12)] }]);
  assert.equal(good.underpowered, false);
  assert.doesNotMatch(familyText(good), /UNDERPOWERED/);
});
