import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { longestFirst, QUICK_SECONDS, UNKNOWN_SECONDS } from "../../tools/runner/schedule";

/** Finishing time of list scheduling on `slots` machines, items started in `order`. */
function makespan(cost: number[], order: number[], slots: number): number {
  const free = new Array(slots).fill(0);
  for (const i of order) {
    const k = free.indexOf(Math.min(...free));
    free[k] += cost[i];
  }
  return Math.max(...free);
}

test("longestFirst: a permutation, longest first, ties and unknown notebooks in list order", () => {
  const est = { a: 5, b: 50, c: 5, d: 100 };
  assert.deepEqual(longestFirst(["x/a.ipynb", "b", "c.ipynb", "d"], est), [3, 1, 0, 2]);
  // Unknown names count as UNKNOWN_SECONDS: between 50 and 5 here.
  assert.ok(UNKNOWN_SECONDS > 5 && UNKNOWN_SECONDS < 50);
  assert.deepEqual(longestFirst(["a", "new", "b"], est), [2, 1, 0]);
  assert.deepEqual(longestFirst([], est), []);
});

test("longestFirst: every notebook has an estimate, and on two slots LPT beats list order and meets Graham's 7/6", () => {
  const files = fs
    .readdirSync(path.join(__dirname, "../../notebooks"))
    .filter((f) => f.endsWith(".ipynb"))
    .sort();
  for (const f of files)
    assert.ok(path.basename(f, ".ipynb") in QUICK_SECONDS, `${f} has no estimate in QUICK_SECONDS`);
  const cost = files.map((f) => QUICK_SECONDS[path.basename(f, ".ipynb")]);
  const listOrder = files.map((_, i) => i);
  const lpt = makespan(cost, longestFirst(files), 2);
  // Exhaustive optimum over the 2^n splits into two slots (n = 17: 131 072 splits).
  const n = cost.length;
  const total = cost.reduce((s, c) => s + c, 0);
  let best = Infinity;
  for (let mask = 0; mask < 1 << (n - 1); mask++) {
    let a = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) a += cost[i];
    best = Math.min(best, Math.max(a, total - a));
  }
  assert.ok(lpt <= (4 / 3 - 1 / 6) * best + 1e-9, `LPT ${lpt} s against the optimum ${best} s`);
  assert.ok(lpt < makespan(cost, listOrder, 2), "list order leaves the longest notebook to run alone");
});
