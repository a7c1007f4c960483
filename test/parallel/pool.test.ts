import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { parallelMap, task } from "../../lib/parallel";
import { splittingTask } from "../../lib/rqf";
import type { TwoPointInput } from "../../lib/rqf";

test("an ensemble on 2 worker threads gives exactly the single-threaded results, in order", async () => {
  const inputs: (TwoPointInput & { tol: number; maxTime: number })[] = Array.from({ length: 12 }, (_, i) => ({
    n: 3,
    z0: -0.5 + i / 12,
    dt: 0.01,
    seed: 7,
    index: i,
    tol: 1e-6,
    maxTime: 50,
  }));
  const one = await parallelMap(splittingTask, inputs, { workers: 1 });
  const two = await parallelMap(splittingTask, inputs, { workers: 2 });
  assert.deepEqual(two, one);
  assert.ok(one.every((r) => r.pole === 1 || r.pole === -1));
});

test("a wrong task is reported before any thread starts", async () => {
  await assert.rejects(
    parallelMap(
      task("rqf/tasks", function nope(x: number) {
        return x;
      }),
      [1],
      { workers: 2 },
    ),
    /no exported function "nope"/,
  );
  await assert.rejects(
    parallelMap(
      task("../etc", function x(v: number) {
        return v;
      }),
      [1],
    ),
    /under lib/,
  );
  assert.throws(
    () =>
      task(
        "rqf/tasks",
        (
          () => (v: number) =>
            v
        )(),
      ),
    /named export/,
  );
});

test("every task handle exported by lib/ resolves to its own module and function", async () => {
  const lib = path.resolve(__dirname, "..", "..", "lib");
  let handles = 0;
  for (const f of fs.readdirSync(lib).filter((n) => n.endsWith(".ts"))) {
    const mod = await import(path.join(lib, f));
    for (const [name, v] of Object.entries(mod)) {
      const h = v as { module?: unknown; fn?: unknown; run?: unknown };
      if (
        !h ||
        typeof h !== "object" ||
        typeof h.module !== "string" ||
        typeof h.fn !== "string" ||
        typeof h.run !== "function"
      )
        continue;
      handles++;
      // parallelMap loads the task by module and name before it runs anything: an empty map checks that
      await assert.doesNotReject(parallelMap(h as never, [], { workers: 1 }), `${f}: ${name}`);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const target = require(path.join(lib, h.module))[h.fn];
      assert.equal(target?.name, (h.run as { name: string }).name, `${f}: ${name} names ${h.module}.${h.fn}`);
    }
  }
  assert.ok(handles >= 8, `found ${handles} handles`);
});
