import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { errataReferences, resolveErrata } from "../../tools/site/errata";
import { ERRATA_FILE } from "../../tools/site/build";

const NOTEBOOKS = path.join(__dirname, "..", "..", "notebooks");

test("every verdict the errata page cites exists in that notebook (a renamed verdict or notebook breaks this test, not the page)", () => {
  const refs = errataReferences(fs.readFileSync(ERRATA_FILE, "utf8"));
  assert.ok(refs.length >= 10, `only ${refs.length} references`);
  for (const r of refs) {
    const file = path.join(NOTEBOOKS, `${r.notebook}.ipynb`);
    assert.ok(fs.existsSync(file), `no notebook ${r.notebook}`);
    const src = JSON.parse(fs.readFileSync(file, "utf8"))
      .cells.map((c: { source: string[] }) => c.source.join(""))
      .join("\n");
    assert.ok(src.includes(`id: "${r.id}"`), `${r.notebook} has no verdict ${r.id}`);
  }
});

test("references resolve to the run's verdicts: PASS/FAIL with prediction and measurement, escaped; a missing one says so", () => {
  const md = "A [[03-x#a]] and [[04-y#b]] and [[05-z#c]].";
  const out = resolveErrata(md, [
    { name: "03-x", verdicts: [{ id: "a", pass: true, prediction: "λ < 1", measurement: "0.5" }] },
    { name: "04-y", verdicts: [{ id: "b", pass: false, prediction: "= 2", measurement: "3 <b>" }] },
  ]);
  assert.match(out, /href="03-x.html".*<b>PASS<\/b>: predicted λ &lt; 1, measured 0.5/);
  assert.match(out, /class="erratum fail".*<b>FAIL<\/b>.*measured 3 &lt;b&gt;/);
  assert.match(out, /href="05-z.html".*not in this run/);
  assert.deepEqual(
    errataReferences(md).map((r) => r.notebook + "#" + r.id),
    ["03-x#a", "04-y#b", "05-z#c"],
  );
});
