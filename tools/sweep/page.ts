// The page of a merged sweep, OUT/sweep.html: a table of every verdict's measurement at every task
// and, for each verdict with a numeric measurement, a figure of it against the first grid axis (one
// trace per value of the other axes; the mean over seeds with its standard error when there are
// several). Self-contained: plotly.js is inlined from node_modules, as in the notebooks' outputs.
import { escapeHtml } from "../../lib/format/number";
import { plotlyLibraryHtml, scriptJson } from "../../lib/plot/html";
import type { MergedSweep } from "./merge";

function label(m: MergedSweep, params: Record<string, unknown>, skipFirst: boolean): string {
  return m.grid
    .slice(skipFirst ? 1 : 0)
    .map((a) => `${a.name} = ${JSON.stringify(params[a.name])}`)
    .join(", ");
}

function figures(m: MergedSweep): { id: string; data: unknown[]; layout: unknown }[] {
  if (m.grid.length === 0) return [];
  const x0 = m.grid[0];
  const ids = [
    ...new Set(m.tasks.flatMap((t) => t.verdicts.filter((v) => typeof v.measured === "number").map((v) => v.id))),
  ];
  return ids.map((id) => {
    const groups = new Map<string, { x: unknown; values: number[] }[]>();
    for (const t of m.tasks) {
      const v = t.verdicts.find((w) => w.id === id);
      if (!v || typeof v.measured !== "number") continue;
      const key = label(m, t.parameters, true) || "all";
      const points = groups.get(key) ?? [];
      const at =
        points.find((p) => p.x === t.parameters[x0.name]) ??
        points[points.push({ x: t.parameters[x0.name], values: [] }) - 1];
      at.values.push(v.measured);
      groups.set(key, points);
    }
    const data = [...groups.entries()].map(([name, points]) => {
      const mean = points.map((p) => p.values.reduce((a, b) => a + b, 0) / p.values.length);
      const se = points.map((p, i) =>
        p.values.length > 1
          ? Math.sqrt(p.values.reduce((a, b) => a + (b - mean[i]) ** 2, 0) / (p.values.length - 1) / p.values.length)
          : 0,
      );
      return {
        type: "scatter",
        mode: "lines+markers",
        name,
        x: points.map((p) => p.x),
        y: mean,
        error_y: { type: "data", array: se, visible: m.seeds.length > 1 },
      };
    });
    return {
      id,
      data,
      layout: {
        title: { text: id },
        xaxis: { title: { text: x0.name } },
        yaxis: { title: { text: m.seeds.length > 1 ? `measured (mean of ${m.seeds.length} seeds ± se)` : "measured" } },
        height: 380,
      },
    };
  });
}

/** The HTML of the page (deterministic: the same merged result gives the same bytes). */
export function sweepPage(m: MergedSweep): string {
  const ids = [...new Set(m.tasks.flatMap((t) => t.verdicts.map((v) => v.id)))];
  const head = `<tr>${m.grid.map((a) => `<th>${escapeHtml(a.name)}</th>`).join("")}<th>seed</th>${ids.map((id) => `<th>${escapeHtml(id)}</th>`).join("")}</tr>`;
  const rows = m.tasks
    .map(
      (t) =>
        `<tr>${m.grid.map((a) => `<td>${escapeHtml(JSON.stringify(t.parameters[a.name]))}</td>`).join("")}<td>${t.seed}</td>${ids
          .map((id) => {
            const v = t.verdicts.find((w) => w.id === id);
            return v
              ? `<td class="${v.pass ? "pass" : "fail"}" title="${escapeHtml(v.prediction)}">${escapeHtml(v.measurement)}${v.pass ? "" : " ✗"}</td>`
              : "<td>—</td>";
          })
          .join("")}</tr>`,
    )
    .join("\n");
  const failed = m.tasks.reduce((n, t) => n + t.verdicts.filter((v) => !v.pass).length, 0);
  const claims = ids
    .map((id) => {
      const v = m.tasks.flatMap((t) => t.verdicts).find((w) => w.id === id)!;
      return `<li><b>${escapeHtml(id)}</b>: ${escapeHtml(v.claim)}</li>`;
    })
    .join("\n");
  const figs = figures(m);
  const divs = figs.map((f, i) => `<div id="fig-${i}" class="figure"></div>`).join("\n");
  const script = figs.length
    ? `${plotlyLibraryHtml()}\n<script>const figs = ${scriptJson(figs)};\nfigs.forEach((f, i) => Plotly.newPlot("fig-" + i, f.data, f.layout, { responsive: true }));</script>`
    : "";
  const fixed = Object.keys(m.fixed).length
    ? `; fixed: ${escapeHtml(
        Object.entries(m.fixed)
          .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
          .join(", "),
      )}`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sweep of ${escapeHtml(m.notebook)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:80em}table{border-collapse:collapse;font-size:0.85em}th,td{border:1px solid #ccc;padding:0.25em 0.5em;text-align:left}td.fail{background:#fde2e2}td.pass{background:#eef8ee}.figure{margin:1em 0}</style>
</head><body>
<h1>Sweep of ${escapeHtml(m.notebook)}</h1>
<p>${m.tasks.length} run(s), ${m.mode} sizes; grid ${escapeHtml(m.grid.map((a) => `${a.name} ∈ {${a.values.map((v) => JSON.stringify(v)).join(", ")}}`).join(" × ") || "none")}; seeds ${escapeHtml(m.seeds.join(", "))}${fixed}. ${failed} failed verdict(s) over the grid (a claim of the notebook need not hold at every parameter value).</p>
<h2>Verdicts</h2>
<p>Each claim as the first run words it (claims that quote a parameter change with it).</p>
<ul>
${claims}
</ul>
<table><thead>${head}</thead><tbody>
${rows}
</tbody></table>
<h2>Measurements across the grid</h2>
${divs}
${script}
</body></html>
`;
}
