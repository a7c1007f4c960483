// Notebooks read like tutorials: the mathematics lives in lib/ with tests, and a cell calls it.
// These checks catch a cell that writes again what lib/stats already has, and stream indices that
// continue a loop's counter instead of naming the stream (issue 37, item 4).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..");

/** Each notebook's code cells: [file, code cell number (1-based), source without comments]. */
function codeCells(): [string, number, string][] {
  const dir = path.join(root, "notebooks");
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort()
    .flatMap((f) => {
      const nb = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
      return nb.cells
        .filter((c: { cell_type: string }) => c.cell_type === "code")
        .map((c: { source: string[] | string }, i: number) => {
          const src = Array.isArray(c.source) ? c.source.join("") : c.source;
          return [f, i + 1, withoutCommentsAndStrings(src)] as [string, number, string];
        });
    });
}

/** The source with // and /* comments removed and string literals emptied (printed formulas are not code). */
function withoutCommentsAndStrings(src: string): string {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/`(?:\\[\s\S]|\$\{[^}]*\}|[^`\\])*`/g, "``")
    .replace(/"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g, '""')
    .replace(/\/\/[^\n]*/g, "");
}

/** What lib/stats provides, and the shape of writing it again by hand. */
export const HAND_WRITTEN: { what: string; use: string; pattern: RegExp }[] = [
  // Richardson for a first-order scheme halved: 2·fine − coarse, and its error √(4se_f² + se_c²)
  {
    what: "Richardson extrapolation",
    use: "richardson (lib/stats)",
    pattern:
      /\b2\s*\*\s*[A-Za-z_$][\w$.]*(?:\[[^\]]*\])?(?:\.[\w$]+)*\s*-\s*[A-Za-z_$]|Math\.hypot\(\s*2\s*\*|Math\.sqrt\(\s*4\s*\*\s*[\w$.]*\bse\b/,
  },
  // a binomial standard error √(p(1 − p)/n)
  {
    what: "a binomial standard error",
    use: "proportion estimates (lib/stats: wilsonInterval)",
    pattern: /Math\.sqrt\(\s*\(?\s*([\w$.]+)\s*\*\s*\(\s*1\s*-\s*\1\s*\)\s*\)?\s*\//,
  },
  // a sample variance: a sum (a reduce, or squares) divided by (n − 1)
  {
    what: "a sample variance or standard error",
    use: "meanWithError (lib/stats)",
    pattern: /(?:reduce\(|\*\*\s*2)[^;\n]*\/\s*\(\s*[\w$.]+\s*-\s*1\s*\)/,
  },
];

test("no notebook cell writes again what lib/stats has (Richardson, binomial se, sample variance)", () => {
  const hits: string[] = [];
  for (const [f, k, src] of codeCells())
    for (const h of HAND_WRITTEN) {
      const m = h.pattern.exec(src);
      if (m) hits.push(`${f} code cell ${k}: ${h.what} by hand ("${m[0].trim()}"); call ${h.use}`);
    }
  assert.deepEqual(hits, []);
});

test("a stream's index never continues a loop's counter: a run outside the loop gets its own name", () => {
  const hits: string[] = [];
  for (const f of fs
    .readdirSync(path.join(root, "notebooks"))
    .filter((x) => x.endsWith(".ipynb"))
    .sort()) {
    const nb = JSON.parse(fs.readFileSync(path.join(root, "notebooks", f), "utf8"));
    const code = nb.cells
      .filter((c: { cell_type: string }) => c.cell_type === "code")
      .map((c: { source: string[] | string }) => (Array.isArray(c.source) ? c.source.join("") : c.source))
      .join("\n");
    // Stream.named(P.seed, "name", index): by name, the literal indices and whether any index is computed
    const uses = new Map<string, { literal: number[]; computed: boolean }>();
    for (const m of code.matchAll(/Stream\.named\(\s*P\.seed\s*,\s*(["'`])([^"'`]*)\1\s*(?:,\s*([^)]+?))?\s*\)/g)) {
      const u = uses.get(m[2]) ?? { literal: [], computed: false };
      const idx = m[3]?.trim();
      if (idx === undefined || /^\d+$/.test(idx)) u.literal.push(idx === undefined ? 0 : Number(idx));
      else u.computed = true;
      uses.set(m[2], u);
    }
    for (const [name, u] of uses)
      if (u.computed && u.literal.some((i) => i > 0))
        hits.push(
          `${f}: stream "${name}" is indexed by a loop and also by the literal ${u.literal.filter((i) => i > 0).join(", ")}; name that run's stream for what it is`,
        );
  }
  assert.deepEqual(hits, []);
});

test("the detectors catch what they are for and pass lib calls", () => {
  const flag = (src: string) =>
    HAND_WRITTEN.filter((h) => h.pattern.test(withoutCommentsAndStrings(src))).map((h) => h.what);
  assert.deepEqual(flag("const r = 2 * fine.p - coarse.p;"), ["Richardson extrapolation"]);
  assert.deepEqual(flag("const se = Math.hypot(2 * h2.se, h.se);"), ["Richardson extrapolation"]);
  assert.deepEqual(flag("const se = Math.sqrt((p * (1 - p)) / n);"), ["a binomial standard error"]);
  assert.deepEqual(flag("const v = dev2.reduce((a, x) => a + x, 0) / (n - 1);"), [
    "a sample variance or standard error",
  ]);
  assert.deepEqual(
    flag("const se = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1) / xs.length);"),
    ["a sample variance or standard error"],
  );
  assert.deepEqual(flag("const se = Math.sqrt(4 * fine.se ** 2 + coarse.se ** 2);"), ["Richardson extrapolation"]);
  // a grid, a finite-population factor and a formula with a 4 are not
  assert.deepEqual(flag("const etas = Array.from({ length: n }, (_, i) => 0.3 + (0.48 * i) / (n - 1));"), []);
  assert.deepEqual(flag("const f = (b: number) => (N - b) / (N - 1); const sd = Math.sqrt(4 * g ** 2 * t);"), []);
  assert.deepEqual(flag("const e = richardson(coarse, fine); const m = meanWithError(xs); // 2 * fine - coarse"), []);
  assert.deepEqual(flag('console.log(`2 * fine - coarse = ${x}`); const s = "2 * a - b";'), []);
  assert.deepEqual(flag("const mid = (lo + hi) / 2; const w = 2 * Math.PI;"), []);
});

/** Cells allowed past the length limit: the parameters cell (a list of literals) and verdict cells (one report.add per verdict). */
function exemptFromLength(cell: { metadata?: { tags?: string[] } }, src: string): boolean {
  return (cell.metadata?.tags ?? []).includes("parameters") || /\breport\.add\(/.test(src);
}

test("no notebook cell computes past 25 lines of code: longer work is a lib/ function, or cells that each do one thing", () => {
  const dir = path.join(root, "notebooks");
  const long: string[] = [];
  for (const f of fs
    .readdirSync(dir)
    .filter((x) => x.endsWith(".ipynb"))
    .sort()) {
    const nb = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
    const cells = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
    cells.forEach((c: { source: string[] | string; metadata?: { tags?: string[] } }, i: number) => {
      const src = Array.isArray(c.source) ? c.source.join("") : c.source;
      if (exemptFromLength(c, src)) return;
      const code = src.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("//")).length;
      if (code > 25) long.push(`${f} code cell ${i + 1}: ${code} lines`);
    });
  }
  assert.deepEqual(long, []);
});
