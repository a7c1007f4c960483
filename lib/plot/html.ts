import * as fs from "fs";
import type { Figure } from "./figure";

/**
 * HTML for Plotly figures that works offline: plotly.js comes from node_modules, never a CDN.
 * The functions here are pure (no tslab), so the site renderer and the tests use them too.
 */

/** Marker attribute on the script that carries plotly.js, so the site renderer can recognise it. */
export const PLOTLY_LIBRARY_ATTRIBUTE = "data-rds-plotly-library";

let plotlySource: string | undefined;

/** Absolute path of plotly.min.js in node_modules. */
export function plotlyBundlePath(): string {
  return require.resolve("plotly.js-dist-min/plotly.min.js");
}

/**
 * A <script> that defines window.Plotly unless it is already defined. `module` and `exports` are
 * shadowed so that the UMD wrapper takes its browser branch even on pages that define them.
 */
export function plotlyLibraryHtml(): string {
  if (plotlySource === undefined) {
    plotlySource = fs.readFileSync(plotlyBundlePath(), "utf8").replace(/<\/script/gi, "<\\/script");
  }
  return (
    `<script type="text/javascript" ${PLOTLY_LIBRARY_ATTRIBUTE}="1">` +
    `if (!window.Plotly) { (function (module, exports) {\n${plotlySource}\n}).call(window, undefined, undefined); }` +
    `</script>`
  );
}

/** JSON for embedding in a <script>: typed arrays become arrays; "</" and line separators are escaped. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v))
    .replace(/<\//g, "<\\/")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Plotly's MIME type for a figure in a notebook output (as plotly.py writes it). */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** The figure as plain JSON under PLOTLY_MIME: { data, layout } with typed arrays as arrays, and the height. */
export function plotlyJson(fig: Figure): { data: unknown[]; layout: Record<string, unknown> } {
  const layout = { ...(fig.layout ?? {}), height: fig.height ?? 420 };
  return JSON.parse(scriptJson({ data: fig.data, layout })) as { data: unknown[]; layout: Record<string, unknown> };
}

/** Class of the static image that the runner puts inside a plot container (tools/figures); the figure's script removes it when it draws. */
export const STATIC_IMAGE_CLASS = "rds-static";

/** FNV-1a hash of a string, as 8 hex digits: a deterministic id suffix. */
export function hash32(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/**
 * A plot container and the script that draws the figure into it. The id is derived from the
 * figure's content and its sequence number, so the same notebook gives byte-identical HTML.
 * The script waits (briefly) for Plotly, in case the library script is still being evaluated.
 */
export function figureHtml(fig: Figure, sequence: number): string {
  const json = scriptJson({ data: fig.data, layout: fig.layout });
  const id = `rds-plot-${sequence}-${hash32(json)}`;
  const height = fig.height ?? 420;
  return (
    `<div id="${id}" class="rds-plot" style="width:100%;height:${height}px;"></div>\n` +
    `<script type="text/javascript">(function () {\n` +
    `  var fig = ${json};\n` +
    `  var tries = 0;\n` +
    `  function draw() {\n` +
    `    var el = document.getElementById("${id}");\n` +
    `    if (!el || !window.Plotly) {\n` +
    `      if (++tries < 200) { setTimeout(draw, 50); return; }\n` +
    `      if (el) el.textContent = "Plotly did not load: run the notebook's first figure cell again.";\n` +
    `      return;\n` +
    `    }\n` +
    `    var still = el.querySelectorAll(".${STATIC_IMAGE_CLASS}");\n` +
    `    for (var i = 0; i < still.length; i++) still[i].remove();\n` +
    `    window.Plotly.newPlot(el, fig.data, fig.layout, { responsive: true, displaylogo: false });\n` +
    `  }\n` +
    `  draw();\n` +
    `})();</script>`
  );
}
