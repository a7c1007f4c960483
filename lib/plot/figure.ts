/**
 * Plotly figures as plain data. A figure is `{ data, layout }` exactly as Plotly.newPlot takes
 * it; the helpers here only fill in a consistent house style and accept typed arrays.
 */
export type Numeric = ArrayLike<number>;
// Plotly's trace and layout schemas are large; they are passed through untouched (hence any).
/** A Plotly trace (any trace type), as plain data. */
export type Trace = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** A Plotly layout, as plain data. */
export type Layout = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A Plotly figure: traces and layout, ready for `show`. */
export interface Figure {
  data: Trace[];
  layout: Layout;
  /** Height in pixels of the plot container (default 420). */
  height?: number;
}

/** Options of `figure`: title, axis titles, log axes, size and extra layout. */
export interface AxesOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  logX?: boolean;
  logY?: boolean;
  height?: number;
  /** Extra layout fields, merged last. */
  layout?: Layout;
}

/**
 * Scripts in figure text: "e^{−s²/4}" and "θ_{s+dt}" become Plotly's <sup>…</sup> and <sub>…</sub>,
 * which every viewer (and the static export) renders, instead of showing the braces. Only braced
 * groups are converted; a lone "^" or "_" stays as it is.
 */
export function plotText(s: string): string {
  let out = s,
    prev = "";
  // innermost groups first, so that nested scripts (φ^{n−m}_{θ^m ω}) come out right
  while (out !== prev) {
    prev = out;
    out = out.replace(/\^\{([^{}]*)\}/g, "<sup>$1</sup>").replace(/_\{([^{}]*)\}/g, "<sub>$1</sub>");
  }
  return out;
}

/** A figure with the house layout: title, axis titles, log axes, a legend that does not cover data. Text goes through `plotText`. */
export function figure(data: Trace[], o: AxesOptions = {}): Figure {
  data = data.map((t) => (typeof t.name === "string" ? { ...t, name: plotText(t.name) } : t));
  const layout: Layout = {
    title: o.title ? { text: plotText(o.title) } : undefined,
    xaxis: { title: { text: plotText(o.xTitle ?? "") }, type: o.logX ? "log" : "linear", zeroline: false },
    yaxis: { title: { text: plotText(o.yTitle ?? "") }, type: o.logY ? "log" : "linear", zeroline: false },
    margin: { l: 64, r: 24, t: o.title ? 48 : 24, b: 56 },
    legend: { orientation: "h", y: -0.2 },
    template: undefined,
    ...o.layout,
  };
  return { data, layout, height: o.height };
}

/** A line trace. */
export function line(x: Numeric, y: Numeric, name?: string, extra: Trace = {}): Trace {
  return { type: "scatter", mode: "lines", x, y, name, ...extra };
}

/** A marker trace, optionally with symmetric error bars. */
export function points(x: Numeric, y: Numeric, name?: string, errorY?: Numeric, extra: Trace = {}): Trace {
  const t: Trace = { type: "scatter", mode: "markers", x, y, name, ...extra };
  if (errorY) t.error_y = { type: "data", array: errorY, visible: true };
  return t;
}

/** A normalised histogram (probability density) of a sample. */
export function densityHistogram(x: Numeric, name?: string, extra: Trace = {}): Trace {
  return { type: "histogram", x, histnorm: "probability density", name, opacity: 0.6, ...extra };
}
