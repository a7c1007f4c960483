import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  notebookParameters,
  parseOverrides,
  injectParameters,
  parametersCellIndex,
} from "../../tools/runner/parameters";
import { readNotebook, UsageError } from "../../tools/runner/notebook";
import type { Notebook } from "../../tools/runner/notebook";

const root = path.resolve(__dirname, "..", "..");

function nb(cells: { source: string; tags?: string[] }[]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: cells.map((c) => ({
      cell_type: "code",
      metadata: c.tags ? { tags: c.tags } : {},
      source: [c.source],
      outputs: [],
      execution_count: null,
    })),
  };
}

const params = `import { runParams } from "./lib/params";
const P = runParams();
const N = P.mode === "quick" ? 10 : 100; // derived: not a parameter
const eta = 0.3, batch = 2;
let shift = -1.5;
const label = "run";
const exact = true;
const etas = [0.2, 0.3];
const names = ["a", "b"];
const mixed = [1, "a"];`;

test("notebookParameters: the literal declarations of the cell tagged parameters, typed", () => {
  const specs = notebookParameters(nb([{ source: "const before = 1;" }, { source: params, tags: ["parameters"] }]));
  assert.deepEqual(
    specs.map((s) => [s.name, s.type, s.default]),
    [
      ["eta", "number", 0.3],
      ["batch", "number", 2],
      ["shift", "number", -1.5],
      ["label", "string", "run"],
      ["exact", "boolean", true],
      ["etas", "number[]", [0.2, 0.3]],
      ["names", "string[]", ["a", "b"]],
    ],
  );
  assert.throws(
    () => parametersCellIndex(nb([{ source: params }])),
    (e: unknown) => e instanceof UsageError && /no code cell tagged "parameters"/.test(String(e)),
  );
  assert.throws(
    () =>
      parametersCellIndex(
        nb([
          { source: "", tags: ["parameters"] },
          { source: "", tags: ["parameters"] },
        ]),
      ),
    /2 cells tagged/,
  );
});

test("parseOverrides: typed from the defaults; unknown names list the known ones", () => {
  const specs = notebookParameters(nb([{ source: params, tags: ["parameters"] }]));
  assert.deepEqual(parseOverrides(["eta=0.35", "exact=false", "etas=0.1,0.2,0.4", "label=a=b", "names=x"], specs), {
    eta: 0.35,
    exact: false,
    etas: [0.1, 0.2, 0.4],
    label: "a=b",
    names: ["x"],
  });
  assert.throws(
    () => parseOverrides(["beta=1"], specs, "06.ipynb"),
    /06\.ipynb has no parameter "beta"; its parameters: eta \(number, default 0\.3\), batch/,
  );
  assert.throws(() => parseOverrides(["eta=abc"], specs), /eta is a number .* "abc" is not a finite number/);
  assert.throws(() => parseOverrides(["eta="], specs), /not a finite number/);
  assert.throws(() => parseOverrides(["exact=yes"], specs), /true or false/);
  assert.throws(() => parseOverrides(["etas=1,x"], specs), /"x" is not a finite number/);
  assert.throws(() => parseOverrides(["eta"], specs), /name=value/);
  assert.throws(() => parseOverrides(["eta=1", "eta=2"], specs), /given twice/);
});

test("injectParameters: a tagged cell right after the parameters cell, the original untouched", () => {
  const original = nb([
    { source: "// intro" },
    { source: params, tags: ["parameters"] },
    { source: "console.log(eta)" },
  ]);
  const copy = injectParameters(original, { eta: 0.35, names: ["x", "y"] });
  assert.equal(original.cells.length, 3);
  assert.equal(copy.cells.length, 4);
  assert.deepEqual(copy.cells[2].metadata, { tags: ["injected-parameters"] });
  const text = (copy.cells[2].source as string[]).join("");
  assert.match(text, /^\/\/ Parameters injected/);
  assert.match(text, /const eta = 0\.35;\nconst names = \["x","y"\];\n$/);
  assert.deepEqual(injectParameters(original, {}), original);
});

test("every notebook has exactly one parameters cell; notebook 06 takes eta and batch", () => {
  const dir = path.join(root, "notebooks");
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".ipynb"))) {
    const book = readNotebook(path.join(dir, f));
    const at = parametersCellIndex(book, f);
    assert.match(
      (book.cells[at].source as string[]).join(""),
      /runParams\(\)/,
      `${f}: the parameters cell reads the run's mode and seed`,
    );
  }
  const specs = notebookParameters(readNotebook(path.join(dir, "06-sgd-lyapunov-exponent.ipynb")));
  assert.deepEqual(
    specs.filter((s) => s.name === "eta" || s.name === "batch").map((s) => [s.name, s.default]),
    [
      ["eta", 0.3],
      ["batch", 1],
    ],
  );
});

test("reproduce --param: an unknown or ill-typed parameter exits 2 naming the known ones; --list-params prints them", () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", path.join(root, "tools", "runner", "reproduce.ts"), ...args], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
    });
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "rds-param-"));
  const unknown = run(["--quick", "06", "--param", "beta=1", "--out", out]);
  assert.equal(unknown.status, 2);
  assert.match(
    unknown.stderr,
    /no parameter "beta"; its parameters: .*eta \(number, default 0\.3\), batch \(number, default 1\)/,
  );
  const typed = run(["--quick", "06", "--param", "batch=two", "--out", out]);
  assert.equal(typed.status, 2);
  assert.match(typed.stderr, /batch is a number/);
  const many = run(["--quick", "--param", "eta=1", "--out", out]);
  assert.equal(many.status, 2);
  assert.match(many.stderr, /--param applies to one notebook/);
  const list = run(["--list-params", "06"]);
  assert.equal(list.status, 0);
  assert.match(list.stdout, /eta\s+number\s+default 0\.3/);
});
