import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { libTypeErrorsUnderTslab, notebookTypeErrors, projectNotebooks } from "../../tools/runner/notebook-types";

const root = path.resolve(__dirname, "..", "..");

test("every notebook's code type-checks against lib/ as tslab compiles it (no run needed)", () => {
  const errors = notebookTypeErrors(root, projectNotebooks(root));
  assert.deepEqual(
    errors.map((e) => `${e.notebook} code cell ${e.codeCell}, line ${e.line}: ${e.message}`),
    [],
  );
});

test("lib/ itself compiles under tslab's settings (not strict), as the kernel compiles it for a notebook", () => {
  assert.deepEqual(libTypeErrorsUnderTslab(root), []);
});

test("a renamed option is caught with its notebook, code cell and line; repeated imports across cells are allowed", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rds-nbt-"));
  const code = (src: string) => ({
    cell_type: "code",
    metadata: {},
    source: [src],
    outputs: [],
    execution_count: null,
  });
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "markdown", metadata: {}, source: ["# t"] },
      code(`import { agree } from "./lib/verdict";\nconst x = 1;`),
      code(
        `import { agree, exceeds } from "./lib/verdict";\nconst ok = exceeds({ id: "e", kind: "check", claim: "c", measured: x, bound: 0, boundRule: "r" });\nconst bad = agree({ id: "a", kind: "check", claim: "c", predicted: 1, measured: 1, standardEror: 0.1 });`,
      ),
    ],
  };
  const file = path.join(dir, "t.ipynb");
  fs.writeFileSync(file, JSON.stringify(nb));
  const errors = notebookTypeErrors(root, [file]);
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.equal(errors[0].codeCell, 2);
  assert.equal(errors[0].line, 3);
  assert.match(errors[0].message, /standardEror/);
});
