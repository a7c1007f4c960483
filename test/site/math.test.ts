import { test } from "node:test";
import assert from "node:assert/strict";
import { extractMath } from "../../tools/site/math";
import { renderMarkdown } from "../../tools/site/build";

test("math is cut out of markdown; code spans and escaped dollars are left alone", () => {
  const s = extractMath("a $x_1 * y_2$ b `$not$` c \\$5 and $$\\sum_i a_i$$");
  assert.deepEqual(
    s.formulas.map((f) => [f.tex, f.display]),
    [
      ["x_1 * y_2", false],
      ["\\sum_i a_i", true],
    ],
  );
  assert.match(s.text, /`\$not\$`/);
});

test("rendered markdown contains KaTeX and keeps underscores inside formulas", () => {
  const html = renderMarkdown("The exponent $\\lambda_1 = a_b$ and *emphasis*.");
  assert.match(html, /class="katex"/);
  assert.match(html, /<em>emphasis<\/em>/);
  assert.doesNotMatch(html, /katex-error/);
});

test("titles: math rendered inline for pages and the index, plain Unicode text for <title>", async () => {
  const { texToPlainText } = await import("../../tools/site/math");
  const { renderInline } = await import("../../tools/site/build");
  assert.equal(
    texToPlainText("The Feller test on $Z_t = \\langle X_t, Y_t\\rangle$"),
    "The Feller test on Zₜ = ⟨Xₜ, Yₜ⟩",
  );
  assert.equal(texToPlainText("$\\lambda < 0$ for the RQF"), "λ < 0 for the RQF");
  assert.equal(texToPlainText("$x^{*}$ and $\\sigma^2_{ab}$"), "x* and σ²_ab");
  const html = renderInline("The Feller test on $Z_t$");
  assert.match(html, /class="katex"/);
  assert.doesNotMatch(html, /<p>/);
});
