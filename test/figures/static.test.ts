import { test } from "node:test";
import assert from "node:assert/strict";
import { figure, line, figureHtml, plotlyJson, PLOTLY_MIME } from "../../lib/plot";
import { addStaticImages, chromiumPath, FigureRenderer, IMAGE_WIDTH } from "../../tools/figures/static";

// Needs Chromium (CI installs Debian's package); without it the test is skipped, saying why.
test(
  "static images: each figure output gets a PNG under image/png and inside its HTML container; SVG export",
  { skip: chromiumPath() ? false : "no Chromium (apt-get install chromium or CHROMIUM_PATH)" },
  async () => {
    const fig = figure([line([0, 1, 2], [1, 0, 1], "e^{−t}")], { title: "A test figure", height: 300 });
    const nb = {
      cells: [
        {
          cell_type: "code",
          source: [],
          metadata: {},
          execution_count: 1,
          outputs: [
            {
              output_type: "display_data",
              metadata: {},
              data: { "text/html": figureHtml(fig, 1), [PLOTLY_MIME]: plotlyJson(fig), "text/plain": "fig" },
            },
          ],
        },
      ],
    } as never;
    const r = await FigureRenderer.open();
    try {
      assert.equal(await addStaticImages(nb, r), 1);
      const data = (nb as { cells: { outputs: { data: Record<string, string> }[] }[] }).cells[0].outputs[0].data;
      const png = Buffer.from(data["image/png"], "base64");
      assert.deepEqual([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(""), "PNG");
      assert.equal(png.readUInt32BE(16), IMAGE_WIDTH); // IHDR width
      assert.equal(png.readUInt32BE(20), 300); // the figure's own height
      assert.match(
        data["text/html"],
        /<div id="rds-plot-1-[0-9a-f]+" class="rds-plot"[^>]*><img class="rds-static"[^>]*src="data:image\/png;base64,/,
      );
      const again = data["image/png"];
      await addStaticImages(nb, r);
      assert.equal(data["image/png"], again, "idempotent");
      const svg = await r.render(plotlyJson(fig), "svg");
      assert.match(svg, /^<svg[\s\S]*A test figure[\s\S]*<\/svg>$/);
    } finally {
      await r.close();
    }
  },
);
