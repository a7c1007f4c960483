import type { Figure } from "./figure";
import { figureHtml, plotlyLibraryHtml, plotlyJson, PLOTLY_MIME } from "./html";

/**
 * The tslab display helper: the one module of lib/ that talks to the kernel.
 *
 * plotly.js is injected once per kernel session, with the first figure; the flag and the figure
 * counter live on globalThis because tslab may evaluate a module more than once in a session.
 * Outside a tslab kernel (plain node, tests) the functions throw a clear error.
 */
interface DisplaySession {
  plotlyInjected: boolean;
  figures: number;
}

function session(): DisplaySession {
  const g = globalThis as unknown as { __rdsDisplay?: DisplaySession };
  if (!g.__rdsDisplay) g.__rdsDisplay = { plotlyInjected: false, figures: 0 };
  return g.__rdsDisplay;
}

type WriteDisplayData = (
  data: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: Record<string, unknown> },
  update: boolean,
) => void;

function tslabWriter(): WriteDisplayData {
  let jupyter: { lastWriteDisplayData: WriteDisplayData | null };
  try {
    // tslab's public `display` sends one MIME type per output; a bundle (HTML + text + JSON in one
    // output, as Jupyter intends) needs the writer behind it. Inside the kernel, require("tslab")
    // resolves to the running kernel's own instance, so this is the live writer.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    jupyter = require("tslab/dist/jupyter");
  } catch {
    throw new Error("lib/plot/display: tslab is not installed; run `npm install`");
  }
  const write = jupyter.lastWriteDisplayData;
  if (!write) {
    throw new Error(
      "lib/plot/display: not running inside a tslab kernel (use the figure/html builders outside notebooks)",
    );
  }
  return write;
}

/** Display a MIME bundle ({ "text/html": …, "text/plain": …, … }) as one output. */
export function showBundle(bundle: Record<string, unknown>): void {
  tslabWriter()({ data: bundle, metadata: {}, transient: {} }, false);
}

/** Display a Plotly figure inline; the first figure of a session also carries plotly.js. */
export function show(fig: Figure): void {
  const s = session();
  const parts: string[] = [];
  if (!s.plotlyInjected) parts.push(plotlyLibraryHtml());
  s.figures += 1;
  parts.push(figureHtml(fig, s.figures));
  // The figure itself travels in the same output as Plotly's MIME type: a front end with a Plotly
  // renderer draws it natively, and the runner renders a static image from it (tools/figures).
  showBundle({
    "text/html": parts.join("\n"),
    [PLOTLY_MIME]: plotlyJson(fig),
    "text/plain": `<Plotly figure ${s.figures}: ${describe(fig)}>`,
  });
  s.plotlyInjected = true;
}

function describe(fig: Figure): string {
  const t = fig.layout?.title;
  const title = typeof t === "string" ? t : t?.text;
  return `${fig.data.length} trace(s)${title ? `, "${title}"` : ""}`;
}

/** A text line that a later call replaces in place: progress for long cells. */
export interface ProgressLine {
  update(text: string): void;
}

/**
 * A one-line progress display for long notebook cells: one tslab display, overwritten by each
 * `update` (needs the tslab kernel).
 */
export function progressLine(): ProgressLine {
  // newDisplay keeps one display id and overwrites it on each call.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tslab = require("tslab") as typeof import("tslab");
  const d = tslab.newDisplay();
  return { update: (text: string) => d.text(text) };
}
