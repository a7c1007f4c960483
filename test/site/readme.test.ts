import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { README_FILE, readmeSummary } from "../../tools/site/build";

const root = path.resolve(__dirname, "..", "..");
const text = fs.readFileSync(README_FILE, "utf8");

test("the README stays a five-minute read: at most about 150 lines", () => {
  const lines = text.split("\n").length;
  assert.ok(lines <= 160, `README.md has ${lines} lines; move detail to docs/`);
});

test("the README has one line per notebook, which the site's index shows, and its picture exists", () => {
  const { claims, figure } = readmeSummary(text);
  const notebooks = fs
    .readdirSync(path.join(root, "notebooks"))
    .filter((f) => f.endsWith(".ipynb"))
    .map((f) => f.slice(0, -6))
    .sort();
  assert.deepEqual([...claims.keys()].sort(), notebooks, "one README row per notebook, linking its file");
  for (const [name, claim] of claims)
    assert.ok(
      claim.length > 20 && claim.length < 200,
      `${name}: one line in plain words, got ${claim.length} characters`,
    );
  assert.ok(figure, "a picture with an italic caption under it");
  assert.ok(fs.existsSync(path.join(root, figure.src)), `${figure.src} exists (npm run figures:readme makes it)`);
  assert.match(figure.caption, /Notebook 03/);
});

test("every relative link in the README and in docs/ points at a file of the repository", () => {
  for (const file of [
    README_FILE,
    ...fs
      .readdirSync(path.join(root, "docs"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => path.join(root, "docs", f)),
  ]) {
    for (const m of fs.readFileSync(file, "utf8").matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
      if (/^[a-z]+:/.test(m[1])) continue;
      assert.ok(
        fs.existsSync(path.resolve(path.dirname(file), m[1])),
        `${path.relative(root, file)} links to ${m[1]}, which does not exist`,
      );
    }
  }
});
