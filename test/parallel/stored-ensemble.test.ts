import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import {
  storedEnsemble,
  ensembleKey,
  taskSources,
  readStoredEnsemble,
  requestFile,
  StoredEnsembleMissingError,
  writeStoredEnsemble,
} from "../../lib/parallel";
import { nonFiniteAt } from "../../lib/parallel/stored-ensemble";
import { splittingTask } from "../../lib/rqf";
import type { TwoPointInput } from "../../lib/rqf";

const root = path.resolve(__dirname, "..", "..");
const inputs = (n: number, z = -0.5): (TwoPointInput & { tol: number; maxTime: number })[] =>
  Array.from({ length: n }, (_, i) => ({ n: 3, z0: z + i / 12, dt: 0.01, seed: 5, index: i, tol: 1e-6, maxTime: 50 }));

test("taskSources follows the task's imports through lib/ (and only lib/); the key changes with the inputs", () => {
  const files = taskSources(splittingTask).map((f) => path.relative(root, f));
  assert.ok(files.includes("lib/rqf/tasks.ts") && files.includes("lib/random/stream.ts"), files.join(", "));
  assert.ok(files.every((f) => f.startsWith("lib/")));
  assert.equal(ensembleKey(splittingTask, inputs(3)), ensembleKey(splittingTask, inputs(3)));
  assert.notEqual(ensembleKey(splittingTask, inputs(3)), ensembleKey(splittingTask, inputs(3, -0.4)));
  assert.throws(() => taskSources({ module: "rqf/nothing-here", fn: "x" }), /no source file/);
});

test("storedEnsemble computes once, writes the request and the result, and reads it back unchanged; a stale or torn file is a miss", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rds-stored-")),
    file = path.join(dir, "e.json");
  const first = await storedEnsemble(splittingTask, inputs(4), { file, name: "test", workers: 1 });
  assert.equal(first.reused, false);
  assert.ok(fs.existsSync(requestFile(file)));
  const again = await storedEnsemble(splittingTask, inputs(4), { file, name: "test", workers: 1 });
  assert.equal(again.reused, true);
  assert.deepEqual(again.runs, first.runs);
  assert.equal(readStoredEnsemble(file, "another key", 4), undefined);
  // other inputs: a miss (computed again); with missing "request" an error that names the sweep command
  await assert.rejects(
    storedEnsemble(splittingTask, inputs(2), { file, name: "test", workers: 1, missing: "request" }),
    (e: unknown) =>
      e instanceof StoredEnsembleMissingError &&
      e instanceof RangeError &&
      e.request === requestFile(file) &&
      /npm run sweep -- --stored .*e\.request\.json/.test(e.message),
  );
  fs.writeFileSync(file, "{ torn");
  assert.equal(readStoredEnsemble(file, first.key, 4), undefined);
  await assert.rejects(storedEnsemble(splittingTask, [], { file, name: "test" }), /number of inputs/);
});

test("npm run sweep -- --stored: shards of the request merge into the same file, byte for byte, as one piece", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rds-stored-sweep-")),
    a = path.join(dir, "a.json"),
    b = path.join(dir, "b.json");
  await storedEnsemble(splittingTask, inputs(5), { file: a, name: "test", workers: 1 });
  await assert.rejects(
    storedEnsemble(splittingTask, inputs(5), { file: b, name: "test", missing: "request" }),
    /missing or stale/,
  );
  const r = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(root, "tools", "sweep", "cli.ts"),
      "--stored",
      requestFile(b),
      "--shard-runs",
      "2",
      "--workers",
      "1",
    ],
    { cwd: root, encoding: "utf8" },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.ok(
    fs.readFileSync(b).equals(fs.readFileSync(a)),
    "the merged file differs from the one computed in one piece",
  );
  assert.equal(
    (await storedEnsemble(splittingTask, inputs(5), { file: b, name: "test", missing: "request" })).reused,
    true,
  );
  // a request whose key does not match its inputs under today's code is refused
  const req = JSON.parse(fs.readFileSync(requestFile(b), "utf8"));
  fs.writeFileSync(requestFile(b), JSON.stringify({ ...req, key: "0".repeat(64) }));
  const stale = spawnSync(
    process.execPath,
    ["--import", "tsx", path.join(root, "tools", "sweep", "cli.ts"), "--stored", requestFile(b)],
    { cwd: root, encoding: "utf8" },
  );
  assert.equal(stale.status, 2);
  assert.match(stale.stderr, /written by other code/);
});

test("a stored ensemble refuses NaN and ±Infinity (JSON would write null, a silent 0), naming where it is", () => {
  assert.equal(nonFiniteAt([{ a: [1, 2], b: null, c: "x" }], "runs"), undefined);
  assert.deepEqual(nonFiniteAt([{ a: [1] }, { a: [[0, -Infinity]] }], "runs"), {
    at: "runs[1].a[0][1]",
    value: -Infinity,
  });
  assert.ok(Number.isNaN(nonFiniteAt({ s: NaN })!.value));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rds-nonfinite-")), "e.json");
  assert.throws(
    () => writeStoredEnsemble(file, "t", "k", [{ spectra: [[1, NaN]] }]),
    /runs\[0\]\.spectra\[0\]\[1\] is NaN/,
  );
  assert.equal(fs.existsSync(file), false);
  writeStoredEnsemble(file, "t", "k", [{ spectra: [[1, 2]] }]);
  assert.deepEqual(readStoredEnsemble(file, "k", 1), [{ spectra: [[1, 2]] }]);
});
