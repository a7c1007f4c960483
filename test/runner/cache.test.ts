import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cacheKey, notebookDependencies } from "../../tools/runner/cache";

function write(root: string, files: Record<string, string>) {
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), text);
  }
}
const nb = (code: string) =>
  JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [{ cell_type: "code", metadata: {}, source: [code], outputs: [] }],
  });

test("cache key: changing one lib/ file changes exactly the keys of the notebooks that load it, directly, transitively or as a worker task", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "rds-cache-"));
  write(root, {
    "lib/a.ts": `export { b } from "./deep/b";\n`,
    "lib/deep/b.ts": `import { c } from "../c";\nexport const b = () => parallelMap({ module: "jobs/tasks", fn: "run" }, []);\n`,
    "lib/c.ts": `export const c = 1;\n`,
    "lib/jobs/tasks.ts": `export function run() {}\n`,
    "lib/other.ts": `export const o = 2;\n`,
    "package-lock.json": "{}",
    "notebooks/x.ipynb": nb(`import { b } from "./lib/a";\nb();`),
    "notebooks/y.ipynb": nb(`import { o } from "./lib/other";`),
    "notebooks/z.ipynb": nb(`const t = await import("./lib/c");`),
  });
  const names = ["x", "y", "z"];
  const keys = () =>
    names.map(
      (n) => cacheKey({ notebookFile: path.join(root, "notebooks", `${n}.ipynb`), root, mode: "quick", seed: 1 }).key,
    );
  assert.deepEqual(
    notebookDependencies(path.join(root, "notebooks", "x.ipynb"), root).map((f) => path.relative(root, f)),
    ["lib/a.ts", "lib/c.ts", "lib/deep/b.ts", "lib/jobs/tasks.ts"],
  );
  const before = keys();
  const changed = (file: string) => {
    const k0 = keys();
    fs.appendFileSync(path.join(root, file), "// edited\n");
    const k1 = keys();
    return names.filter((_, i) => k0[i] !== k1[i]);
  };
  assert.deepEqual(changed("lib/jobs/tasks.ts"), ["x"]); // reached only through a worker-task name
  assert.deepEqual(changed("lib/c.ts"), ["x", "z"]); // x transitively, z directly
  assert.deepEqual(changed("lib/other.ts"), ["y"]);
  assert.deepEqual(changed("package-lock.json"), ["x", "y", "z"]);
  assert.notEqual(
    cacheKey({ notebookFile: path.join(root, "notebooks", "x.ipynb"), root, mode: "quick", seed: 2 }).key,
    keys()[0],
    "the seed is in the key",
  );
  assert.notEqual(
    cacheKey({ notebookFile: path.join(root, "notebooks", "x.ipynb"), root, mode: "full", seed: 1 }).key,
    keys()[0],
    "the mode is in the key",
  );
  assert.notDeepEqual(before, keys());
});

test("a second run reuses unchanged notebooks and says so; --no-cache executes again", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rds-cache-nb-"));
  const cell = `import { VerdictReport, agree } from "./lib/verdict";\nconst r = new VerdictReport("t"); r.add(agree({ id: "x", kind: "claim", claim: "c", predicted: 1, measured: 1, standardError: 0.1 })); r.show();`;
  fs.writeFileSync(
    path.join(dir, "a.ipynb"),
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [{ cell_type: "code", metadata: {}, source: [cell], outputs: [], execution_count: null }],
    }),
  );
  const out = dir + "-out";
  const run = (extra: string[]) =>
    spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        path.join(__dirname, "..", "..", "tools", "runner", "reproduce.ts"),
        "--notebooks",
        dir,
        "--out",
        out,
        "--no-site",
        "--quick",
        ...extra,
      ],
      { encoding: "utf8", timeout: 120_000 },
    );
  const first = run([]);
  assert.equal(first.status, 0, first.stderr);
  assert.doesNotMatch(first.stderr, /reused from cache/);
  const second = run([]);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stderr, /\[1\/1\] a: reused from cache/);
  assert.equal(JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8")).notebooks[0].cached, true);
  const third = run(["--no-cache"]);
  assert.doesNotMatch(third.stderr, /reused from cache/);
  const other = run(["--seed", "2"]);
  assert.doesNotMatch(other.stderr, /reused from cache/, "another seed is another key");
});
