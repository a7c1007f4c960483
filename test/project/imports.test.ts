import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { runParams, bySize } from "../../lib/params";

const root = path.resolve(__dirname, "..", "..");

function walk(dir: string, ext: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name), ext) : e.name.endsWith(ext) ? [path.join(dir, e.name)] : [],
    );
}

// tslab resolves a local import by appending ".js" to the path, so "./lib/random" must be a file
// (lib/random.ts), never a folder's index.ts. This keeps lib/ and the notebooks loadable in tslab.
test("every relative import in lib/ and notebooks/ names a .ts file, not a folder", () => {
  const sources: [string, string][] = walk(path.join(root, "lib"), ".ts").map((f) => [f, fs.readFileSync(f, "utf8")]);
  for (const nb of walk(path.join(root, "notebooks"), ".ipynb")) {
    const cells = JSON.parse(fs.readFileSync(nb, "utf8")).cells.filter(
      (c: { cell_type: string }) => c.cell_type === "code",
    );
    // notebook imports resolve from the project root (the kernel's working directory)
    sources.push([
      path.join(root, "notebook-cell.ts"),
      cells.map((c: { source: string[] }) => c.source.join("")).join("\n"),
    ]);
  }
  for (const [file, text] of sources) {
    for (const m of text.matchAll(/from\s+"(\.{1,2}\/[^"]+)"/g)) {
      const target = path.resolve(path.dirname(file), m[1]);
      assert.ok(
        fs.existsSync(target + ".ts"),
        `${path.relative(root, file)} imports "${m[1]}", which is not a .ts file`,
      );
    }
  }
});

test("nothing in lib/ imports tslab except the display helper", () => {
  for (const f of walk(path.join(root, "lib"), ".ts")) {
    if (f.endsWith(path.join("plot", "display.ts"))) continue;
    assert.doesNotMatch(fs.readFileSync(f, "utf8"), /require\("tslab|from "tslab/, path.relative(root, f));
  }
});

test("run parameters: defaults, quick mode, and clear errors", () => {
  assert.deepEqual(runParams({}), { mode: "full", seed: 1 });
  const p = runParams({ RDS_MODE: "quick", RDS_SEED: "7" });
  assert.deepEqual(p, { mode: "quick", seed: 7 });
  assert.equal(bySize(p, { quick: 1, full: 2 }), 1);
  assert.throws(() => runParams({ RDS_MODE: "fast" }), /RDS_MODE/);
  assert.throws(() => runParams({ RDS_SEED: "-3" }), /RDS_SEED/);
});

test("notebooks call worker tasks through typed handles, never by string names", () => {
  const dir = path.resolve(__dirname, "..", "..", "notebooks");
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".ipynb"))) {
    const code = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"))
      .cells.filter((c: { cell_type: string }) => c.cell_type === "code")
      .map((c: { source: string[] | string }) => (Array.isArray(c.source) ? c.source.join("") : c.source))
      .join("\n");
    assert.doesNotMatch(code, /\bmodule\s*:\s*"/, `${f} names a task module by string`);
  }
});

test("notebooks name their random streams: no numeric stream offsets, no bare root seed handed to a worker", () => {
  const dir = path.resolve(__dirname, "..", "..", "notebooks");
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".ipynb"))) {
    const code = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"))
      .cells.filter((c: { cell_type: string }) => c.cell_type === "code")
      .map((c: { source: string[] | string }) => (Array.isArray(c.source) ? c.source.join("") : c.source))
      .join("\n");
    assert.doesNotMatch(
      code,
      /new Stream\(/,
      `${f}: use Stream.named(P.seed, "NN/what", i) instead of new Stream(seed, offset)`,
    );
    assert.doesNotMatch(
      code,
      /\bfirstIndex\s*:/,
      `${f}: give the ensemble a named seed (Stream.path) instead of an index range`,
    );
    assert.doesNotMatch(code, /\b(index|first)\s*:\s*[^,}]*\d[\d_]*\s*[+*]/, `${f}: an index computed from offsets`);
    assert.doesNotMatch(code, /\bfirst\s*:\s*[1-9]/, `${f}: a numeric first index (an offset)`);
    assert.doesNotMatch(
      code,
      /\bseed\s*:\s*P\.seed\b/,
      `${f}: a worker input with the bare root seed; use Stream.path(P.seed, "NN/what")`,
    );
  }
});

test("every export of lib/ (outside the facade files) carries a doc comment", () => {
  const root = path.resolve(__dirname, "..", "..", "lib");
  const missing: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (depth > 0 && e.name.endsWith(".ts")) {
        const lines = fs.readFileSync(p, "utf8").split("\n");
        lines.forEach((l, i) => {
          const m = /^export (?:async )?(?:function|class|const|interface|type|abstract class) (\w+)/.exec(l);
          if (!m) return;
          let j = i - 1;
          while (j >= 0 && lines[j].trim() === "") j--;
          if (j < 0 || !lines[j].trim().endsWith("*/")) missing.push(`${path.relative(root, p)}: ${m[1]}`);
        });
      }
    }
  };
  walk(root, 0);
  assert.deepEqual(missing, [], `exports without a doc comment:\n${missing.join("\n")}`);
});
