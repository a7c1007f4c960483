// Static images of the notebooks' Plotly figures, rendered by plotly.js itself in headless Chromium.
//
// Why: the interactive figure is HTML plus a script. Viewers that do not run scripts show nothing:
// GitHub, nbviewer, nbconvert's sanitised HTML, and Jupyter before a notebook is trusted. So every
// figure output also gets a PNG, in two places. It goes inside the HTML plot container, where
// viewers without scripts show it and the figure's own script removes it before drawing. It also
// goes under image/png in the same output, as nbformat allows: a front end picks the richest type
// it can show. The figure comes from the output's application/vnd.plotly.v1+json (lib/plot/display).
import * as fs from "fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { PLOTLY_MIME, STATIC_IMAGE_CLASS, plotlyBundlePath } from "../../lib/plot/html";
import type { Notebook } from "../runner/notebook";

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Where Chromium is: CHROMIUM_PATH, else Debian's /usr/bin/chromium; undefined when neither exists. */
export function chromiumPath(): string | undefined {
  const p = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  return fs.existsSync(p) ? p : undefined;
}

export interface PlotlyFigureJson {
  data: unknown[];
  layout: Record<string, unknown>;
}

/** Width of the exported images in CSS pixels (the notebooks' content width). */
export const IMAGE_WIDTH = 900;

/** A headless Chromium page with plotly.js loaded, to turn figures into images. Close it when done. */
export class FigureRenderer {
  private constructor(
    private readonly browser: Browser,
    private readonly page: Page,
  ) {}

  static async open(executablePath = chromiumPath()): Promise<FigureRenderer> {
    if (!executablePath)
      throw new Error("no Chromium: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH");
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS, headless: true });
    const page = await browser.newPage();
    await page.setContent("<!doctype html><html><body></body></html>");
    await page.addScriptTag({ path: plotlyBundlePath() });
    return new FigureRenderer(browser, page);
  }

  /** The figure as "png" (base64, no data: prefix) or "svg" (markup), IMAGE_WIDTH wide, its own height. */
  async render(fig: PlotlyFigureJson, format: "png" | "svg"): Promise<string> {
    const height = Number(fig.layout.height ?? 420);
    const url: string = await this.page.evaluate(
      async ([f, fmt, w, h]) => {
        const P = (window as unknown as { Plotly: { toImage(fig: unknown, o: unknown): Promise<string> } }).Plotly;
        return P.toImage(
          { data: (f as PlotlyFigureJson).data, layout: { ...(f as PlotlyFigureJson).layout, width: w } },
          { format: fmt, width: w, height: h },
        );
      },
      [fig, format, IMAGE_WIDTH, height] as const,
    );
    if (format === "png") return url.slice(url.indexOf(",") + 1);
    return decodeURIComponent(url.slice(url.indexOf(",") + 1));
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

type Output = { output_type: string; data?: Record<string, unknown>; [key: string]: unknown };

/** Every output of a notebook that carries a Plotly figure, in order. */
export function figureOutputs(nb: Notebook): Output[] {
  const out: Output[] = [];
  for (const c of nb.cells) for (const o of (c.outputs ?? []) as Output[]) if (o.data?.[PLOTLY_MIME]) out.push(o);
  return out;
}

/**
 * Give every figure output of `nb` its static PNG: under image/png, and as an <img> inside the HTML
 * plot container. Idempotent (an output that has one keeps it). Returns the number of figures.
 */
export async function addStaticImages(nb: Notebook, renderer: FigureRenderer): Promise<number> {
  const outputs = figureOutputs(nb);
  for (const o of outputs) {
    const data = o.data!;
    if (data["image/png"]) continue;
    const png = await renderer.render(data[PLOTLY_MIME] as PlotlyFigureJson, "png");
    data["image/png"] = png;
    const html = Array.isArray(data["text/html"])
      ? (data["text/html"] as string[]).join("")
      : String(data["text/html"] ?? "");
    const img = `<img class="${STATIC_IMAGE_CLASS}" alt="figure (static image; the interactive version needs JavaScript)" style="max-width:100%;height:auto" src="data:image/png;base64,${png}">`;
    data["text/html"] = html.replace(/(<div id="rds-plot-[^"]*" class="rds-plot"[^>]*>)(<\/div>)/, `$1${img}$2`);
  }
  return outputs.length;
}
