import { test } from "node:test";
import assert from "node:assert/strict";
import { extractMath } from "../../tools/site/math";
import { renderMarkdown } from "../../tools/site/build";

test("math is cut out of markdown; code spans and escaped dollars are left alone", () => {
  const s = extractMath("a $x_1 * y_2$ b `$not$` c \\$5 and $$\\sum_i a_i$$");
  assert.deepEqual(s.formulas.map((f) => [f.tex, f.display]), [["x_1 * y_2", false], ["\\sum_i a_i", true]]);
  assert.match(s.text, /`\$not\$`/);
});

test("rendered markdown contains KaTeX and keeps underscores inside formulas", () => {
  const html = renderMarkdown("The exponent $\\lambda_1 = a_b$ and *emphasis*.");
  assert.match(html, /class="katex"/);
  assert.match(html, /<em>emphasis<\/em>/);
  assert.doesNotMatch(html, /katex-error/);
});
