import { test } from "node:test";
import assert from "node:assert/strict";
import { parallelMap } from "../../lib/parallel";
import type { TwoPointInput } from "../../lib/rqf";

test("an ensemble on 2 worker threads gives exactly the single-threaded results, in order", async () => {
  const inputs: (TwoPointInput & { tol: number; maxTime: number })[] = Array.from({ length: 12 }, (_, i) => ({ n: 3, z0: -0.5 + i / 12, dt: 0.01, seed: 7, index: i, tol: 1e-6, maxTime: 50 }));
  const task = { module: "rqf/tasks", fn: "splittingRun" };
  const one = await parallelMap<typeof inputs[number], { pole: number; time: number }>(task, inputs, { workers: 1 });
  const two = await parallelMap(task, inputs, { workers: 2 });
  assert.deepEqual(two, one);
  assert.ok(one.every((r) => r.pole === 1 || r.pole === -1));
});

test("a wrong task is reported before any thread starts", async () => {
  await assert.rejects(parallelMap({ module: "rqf/tasks", fn: "nope" }, [1], { workers: 2 }), /no exported function "nope"/);
  await assert.rejects(parallelMap({ module: "../etc", fn: "x" }, [1]), /under lib/);
});
