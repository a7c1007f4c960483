import { escapeHtml } from "../../lib/format/number";

/** A verdict as report.json stores it (the fields the errata page shows). */
export interface ErrataVerdict {
  id: string;
  pass: boolean;
  prediction: string;
  measurement: string;
}

/** One reference `[[notebook#verdict-id]]` in docs/ERRATA.md. */
export interface ErrataReference {
  notebook: string;
  id: string;
}

const REFERENCE = /\[\[([0-9A-Za-z._-]+)#([0-9A-Za-z._-]+)\]\]/g;

/** Every `[[notebook#id]]` reference of an errata page, in order of appearance. */
export function errataReferences(markdown: string): ErrataReference[] {
  return [...markdown.matchAll(REFERENCE)].map((m) => ({ notebook: m[1], id: m[2] }));
}

/**
 * The errata markdown with each `[[notebook#id]]` replaced by that verdict's result from the run's
 * report: a link to the notebook's page, PASS or FAIL, the prediction and the measurement, or "not
 * in this run" when the report lacks it (a partial run). The result is still markdown (with inline
 * HTML), for the site's renderer.
 */
export function resolveErrata(markdown: string, notebooks: { name: string; verdicts: ErrataVerdict[] }[]): string {
  return markdown.replace(REFERENCE, (_, notebook: string, id: string) => {
    const v = notebooks.find((n) => n.name === notebook)?.verdicts.find((w) => w.id === id);
    const link = `<a href="${escapeHtml(notebook)}.html"><code>${escapeHtml(notebook.slice(0, 2))}#${escapeHtml(id)}</code></a>`;
    if (!v) return `<span class="erratum missing">${link}: not in this run</span>`;
    return `<span class="erratum ${v.pass ? "pass" : "fail"}">${link} <b>${v.pass ? "PASS" : "FAIL"}</b>: predicted ${escapeHtml(v.prediction)}, measured ${escapeHtml(v.measurement)}</span>`;
  });
}
