import { test } from "node:test";
import assert from "node:assert/strict";
import { figure, line, figureHtml, plotlyLibraryHtml, scriptJson } from "../../lib/plot";

test("the same figure gives byte-identical HTML; typed arrays become JSON arrays", () => {
  const f = () => figure([line(Float64Array.of(0, 1, 2), Float64Array.of(1, 4, 9), "sq")], { title: "t" });
  assert.equal(figureHtml(f(), 3), figureHtml(f(), 3));
  assert.match(figureHtml(f(), 3), /"x":\[0,1,2\]/);
  assert.notEqual(figureHtml(f(), 3), figureHtml(f(), 4));
});

test("script JSON cannot close the script element", () => {
  assert.equal(scriptJson({ a: "</script><b>" }).includes("</script"), false);
});

test("plotly.js is inlined from node_modules: no network URL to load it from, one closing tag", () => {
  const html = plotlyLibraryHtml();
  assert.ok(html.length > 1_000_000);
  assert.equal(/<script[^>]+src=/.test(html), false);
  assert.equal(html.match(/<\/script/gi)!.length, 1);
  assert.match(html, /if \(!window\.Plotly\)/);
});

test("figure text: braced scripts become Plotly <sup>/<sub>, nested ones too; titles, axes and trace names", async () => {
  const { plotText, figure, line } = await import("../../lib/plot");
  assert.equal(plotText("Poisson e^{−s}"), "Poisson e<sup>−s</sup>");
  assert.equal(plotText("φ^{n−m}_{θ^{m} ω}"), "φ<sup>n−m</sup><sub>θ<sup>m</sup> ω</sub>");
  assert.equal(plotText("x_1 and a^b"), "x_1 and a^b");
  const f = figure([line([0], [0], "e^{−t}")], { title: "S^{n−1}", yTitle: "θ_{s}" });
  assert.equal(f.data[0].name, "e<sup>−t</sup>");
  assert.deepEqual(
    [(f.layout.title as { text: string }).text, (f.layout.yaxis as { title: { text: string } }).title.text],
    ["S<sup>n−1</sup>", "θ<sub>s</sub>"],
  );
});
