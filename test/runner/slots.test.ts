import { test } from "node:test";
import assert from "node:assert/strict";
import { runInSlots } from "../../tools/runner/slots";

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("runInSlots: results in list order, at most `slots` calls in flight, all slots used", async () => {
  for (const slots of [1, 2, 3, 10]) {
    let inFlight = 0,
      most = 0;
    const started: number[] = [];
    // Later items finish sooner, so completion order differs from list order.
    const out = await runInSlots([5, 4, 3, 2, 1, 0], slots, async (x, i) => {
      started.push(i);
      most = Math.max(most, ++inFlight);
      await tick(3 * x);
      inFlight--;
      return x * x;
    });
    assert.deepEqual(out, [25, 16, 9, 4, 1, 0]);
    assert.equal(most, Math.min(slots, 6), `slots ${slots}`);
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5], "calls start in list order");
  }
  assert.deepEqual(await runInSlots([], 2, async () => 1), []);
});

test("runInSlots: a failing call stops new starts and its error is rethrown after the calls in flight settle", async () => {
  const settled: number[] = [];
  await assert.rejects(
    runInSlots([0, 1, 2, 3, 4], 2, async (x) => {
      if (x === 1) throw new Error("boom at 1");
      await tick(20);
      settled.push(x);
      return x;
    }),
    /boom at 1/,
  );
  assert.deepEqual(settled, [0], "item 0 (in flight) settles; nothing after the failure starts");
  for (const bad of [0, 1.5, -1, NaN])
    await assert.rejects(
      runInSlots([1], bad, async () => 1),
      RangeError,
    );
});

test("runInSlots: startOrder sets which items start first, results stay in list order", async () => {
  const started: number[] = [];
  const out = await runInSlots(
    ["a", "b", "c", "d"],
    1,
    async (x, i) => {
      started.push(i);
      return x.toUpperCase();
    },
    [2, 0, 3, 1],
  );
  assert.deepEqual(started, [2, 0, 3, 1]);
  assert.deepEqual(out, ["A", "B", "C", "D"]);
  for (const bad of [
    [0, 1, 2],
    [0, 0, 1, 2],
    [0, 1, 2, 4],
    [0, 1, 2, 2.5],
  ])
    await assert.rejects(
      runInSlots([1, 2, 3, 4], 2, async () => 1, bad),
      RangeError,
    );
});
