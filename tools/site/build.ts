import * as fs from "fs";
import * as path from "path";
import MarkdownIt from "markdown-it";
import { extractMath, restoreMath, texToPlainText } from "./math";
import { escapeHtml } from "../../lib/format/number";
import { PLOTLY_LIBRARY_ATTRIBUTE, plotlyBundlePath } from "../../lib/plot/html";
import { VERDICT_MIME, kindCounts, kindCountsText } from "../../lib/verdict/report";
import type { Verdict } from "../../lib/verdict/verdict";
import type { Notebook, NbCell } from "../runner/notebook";
import { cellSource } from "../runner/notebook";
import type { FamilySummary } from "../runner/family";
import { resolveErrata } from "./errata";
import { ensureApi, type ApiSymbol } from "../api/build";
import { runCli, UsageError, type CliSpec, type OptionSpec } from "../cli/args";

/** The README: its picture and its one-line claim per notebook go on the site's index too. */
export const README_FILE = path.join(__dirname, "..", "..", "README.md");

/** What the index takes from the README: its picture (path from the repository's root, alt text, caption) and each notebook's one-line claim. */
export interface ReadmeSummary {
  figure?: { src: string; alt: string; caption: string };
  /** Notebook name (file name without .ipynb) → its claim in plain words (markdown). */
  claims: Map<string, string>;
}

/** The README's first picture with the italic paragraph under it, and the rows of its notebook table (`| [NN Title](notebooks/NN-name.ipynb) | claim |`). */
export function readmeSummary(text: string): ReadmeSummary {
  const claims = new Map<string, string>();
  for (const m of text.matchAll(/^\| \[[^\]]+\]\(notebooks\/([^)]+)\.ipynb\) \| (.+?) \|$/gm)) claims.set(m[1], m[2]);
  const f = /^!\[([^\]]*)\]\(([^)\s]+)\)\n\n\*([\s\S]+?)\*\n/m.exec(text);
  return { claims, figure: f ? { alt: f[1], src: f[2], caption: f[3].replace(/\s*\n\s*/g, " ") } : undefined };
}

/** The errata page's source: where the sources and the measurements disagree. */
export const ERRATA_FILE = path.join(__dirname, "..", "..", "docs", "ERRATA.md");

/**
 * The rendered site: every executed notebook in OUT/notebooks as a static page, plus an index with
 * the verdict summary from OUT/report.json. Math is rendered by KaTeX at build time and its CSS and
 * fonts are copied from node_modules; plotly.js is loaded once per page from assets/. No CDN.
 * Output is deterministic: the same executed notebooks give the same bytes.
 */
const md = new MarkdownIt({ html: true, linkify: false, typographer: false });

/**
 * Links a page's first mention of each library name (a function, class, type or constant of the
 * API reference) to its reference page; later mentions stay plain. A name the page imports from
 * `./lib/<concept>` links to that concept's page; otherwise to the first concept that documents it.
 */
export class ApiLinker {
  private readonly linked = new Set<string>();
  constructor(
    private readonly symbols: Record<string, ApiSymbol[]>,
    private readonly imports: ReadonlyMap<string, string> = new Map(),
    private readonly prefix = "api/",
  ) {}

  /** The link of `name` (and `member`, an anchor on its page) at its first mention; undefined later, or for a name the reference lacks. */
  first(name: string, member?: string): string | undefined {
    const entries = this.symbols[name];
    if (!entries || this.linked.has(name)) return undefined;
    this.linked.add(name);
    const module = this.imports.get(name);
    const e = entries.find((x) => x.module === module) ?? entries[0];
    return this.prefix + e.url + (member ? `#${member.toLowerCase()}` : "");
  }

  /** Names linked so far. */
  get count(): number {
    return this.linked.size;
  }
}

// Inline code that names a library function (`lyapunovSpectrum`, `Stream.named`, `lanczosTop(...)`)
// links to the reference at its first mention on the page (markdown-it's env carries the page's linker).
const plainCodeInline = md.renderer.rules.code_inline!;
md.renderer.rules.code_inline = (tokens, idx, options, env, self) => {
  const html = plainCodeInline(tokens, idx, options, env, self);
  const linker = (env as { linker?: ApiLinker } | undefined)?.linker;
  if (!linker) return html;
  let open = 0; // inside a link already: leave it
  for (let i = 0; i < idx; i++) open += tokens[i].type === "link_open" ? 1 : tokens[i].type === "link_close" ? -1 : 0;
  const m = /^([A-Za-z_$][\w$]*)(?:\.([A-Za-z_$][\w$]*))?(?:\(.*\))?$/s.exec(tokens[idx].content.trim());
  const href = open === 0 && m ? linker.first(m[1], m[2]) : undefined;
  return href ? `<a class="api" href="${escapeHtml(href)}">${html}</a>` : html;
};

/** `import { a, b as c, type T } from "./lib/<concept>"` in a notebook's code: each imported name and its concept. */
const LIB_IMPORT = /import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*"\.\/lib\/([\w-]+)"/g;

/** The names a notebook imports from lib/, with their concepts. */
export function libImports(code: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of code.matchAll(LIB_IMPORT)) {
    for (const part of m[1].split(",")) {
      const name = part
        .trim()
        .replace(/^type\s+/, "")
        .split(/\s+as\s+/)[0]
        .trim();
      if (/^[A-Za-z_$][\w$]*$/.test(name)) out.set(name, m[2]);
    }
  }
  return out;
}

/** A code cell's source as HTML, the names of its lib/ imports linked where the page mentions them first. */
export function codeHtml(code: string, linker?: ApiLinker): string {
  if (!linker) return escapeHtml(code);
  let html = "",
    at = 0;
  for (const m of code.matchAll(LIB_IMPORT)) {
    const braceStart = m.index! + m[0].indexOf("{") + 1;
    html += escapeHtml(code.slice(at, braceStart));
    html += m[1].replace(/[A-Za-z_$][\w$]*|[^A-Za-z_$]+/g, (tok) => {
      if (!/^[A-Za-z_$]/.test(tok) || tok === "type" || tok === "as") return escapeHtml(tok);
      const href = linker.first(tok);
      return href ? `<a class="api" href="${escapeHtml(href)}">${tok}</a>` : tok;
    });
    at = braceStart + m[1].length;
  }
  return html + escapeHtml(code.slice(at));
}

const LIBRARY_SCRIPT = new RegExp(`<script[^>]*${PLOTLY_LIBRARY_ATTRIBUTE}[^>]*>[\\s\\S]*?</script>`, "g");

export function renderMarkdown(src: string, linker?: ApiLinker): string {
  const { text, formulas } = extractMath(src);
  return restoreMath(md.render(text, { linker }), formulas);
}

/** One line of markdown with math (a title), without the paragraph around it. */
export function renderInline(src: string): string {
  const { text, formulas } = extractMath(src);
  return restoreMath(md.renderInline(text), formulas);
}

function joinText(v: unknown): string {
  return Array.isArray(v) ? v.join("") : String(v ?? "");
}

function renderOutput(o: Record<string, unknown>): string {
  switch (o.output_type) {
    case "stream":
      return `<pre class="output stream ${o.name === "stderr" ? "stderr" : ""}">${escapeHtml(joinText(o.text))}</pre>`;
    case "error":
      // eslint-disable-next-line no-control-regex -- strips ANSI colour codes (ESC [ … m)
      return `<pre class="output error">${escapeHtml(`${o.ename}: ${o.evalue}\n${joinText((o.traceback as string[]) ?? []).replace(/\u001b\[[0-9;]*m/g, "")}`)}</pre>`;
    case "display_data":
    case "execute_result": {
      const data = (o.data ?? {}) as Record<string, unknown>;
      const cls = data[VERDICT_MIME] ? "output html verdicts" : "output html";
      if (data["text/html"] !== undefined)
        return `<div class="${cls}">${joinText(data["text/html"]).replace(LIBRARY_SCRIPT, "")}</div>`;
      if (data["image/svg+xml"] !== undefined) return `<div class="output">${joinText(data["image/svg+xml"])}</div>`;
      if (data["image/png"] !== undefined)
        return `<div class="output"><img alt="figure" src="data:image/png;base64,${joinText(data["image/png"]).trim()}"></div>`;
      if (data["text/markdown"] !== undefined)
        return `<div class="output">${renderMarkdown(joinText(data["text/markdown"]))}</div>`;
      if (data["text/plain"] !== undefined)
        return `<pre class="output">${escapeHtml(joinText(data["text/plain"]))}</pre>`;
      return "";
    }
    default:
      return "";
  }
}

function renderCell(c: NbCell, linker?: ApiLinker): string {
  if (c.cell_type === "markdown") return `<section class="markdown">${renderMarkdown(cellSource(c), linker)}</section>`;
  if (c.cell_type === "raw") return `<pre class="raw">${escapeHtml(cellSource(c))}</pre>`;
  const label = c.execution_count ? `[${c.execution_count}]` : "[ ]";
  const outputs = (c.outputs ?? []).map((o) => renderOutput(o as Record<string, unknown>)).join("\n");
  return (
    `<section class="code-cell"><details class="source" open><summary>In ${label}</summary>` +
    `<pre class="code"><code>${codeHtml(cellSource(c), linker)}</code></pre></details>\n${outputs}</section>`
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(texToPlainText(title))}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="assets/katex/katex.min.css">
<link rel="stylesheet" href="assets/site.css">
<script src="assets/plotly.min.js"></script>
</head><body><main>
${body}
</main></body></html>
`;
}

function notebookTitle(nb: Notebook, fallback: string): string {
  for (const c of nb.cells) {
    if (c.cell_type !== "markdown") continue;
    const m = /^#\s+(.+)$/m.exec(cellSource(c));
    if (m) return m[1].trim();
  }
  return fallback;
}

interface ReportNotebook {
  name: string;
  seconds: number;
  failure: { cellIndex: number; codeCell?: number; kind: string } | null;
  verdicts: Verdict[];
}

function copyAssets(siteDir: string): void {
  const assets = path.join(siteDir, "assets");
  fs.mkdirSync(path.join(assets, "katex"), { recursive: true });
  fs.copyFileSync(plotlyBundlePath(), path.join(assets, "plotly.min.js"));
  const katexDist = path.join(path.dirname(require.resolve("katex/package.json")), "dist");
  fs.copyFileSync(path.join(katexDist, "katex.min.css"), path.join(assets, "katex", "katex.min.css"));
  fs.cpSync(path.join(katexDist, "fonts"), path.join(assets, "katex", "fonts"), { recursive: true });
  fs.copyFileSync(path.join(__dirname, "site.css"), path.join(assets, "site.css"));
}

/** Render OUT/site from OUT/notebooks and OUT/report.json; returns the index page's path. */
export function buildSite(outDir: string, o: { api?: boolean } = {}): string {
  const nbDir = path.join(outDir, "notebooks");
  const siteDir = path.join(outDir, "site");
  if (!fs.existsSync(nbDir)) throw new Error(`no executed notebooks in ${nbDir}: run \`npm run reproduce\` first`);
  // Everything but the API reference is rendered anew; the reference is rebuilt only when lib/ changed.
  if (fs.existsSync(siteDir))
    for (const f of fs.readdirSync(siteDir))
      if (f !== "api") fs.rmSync(path.join(siteDir, f), { recursive: true, force: true });
  fs.mkdirSync(siteDir, { recursive: true });
  copyAssets(siteDir);
  const api = o.api === false ? undefined : ensureApi(path.join(siteDir, "api"));
  const readme = fs.existsSync(README_FILE)
    ? readmeSummary(fs.readFileSync(README_FILE, "utf8"))
    : { claims: new Map<string, string>() };
  let picture = "";
  if (readme.figure && fs.existsSync(path.join(path.dirname(README_FILE), readme.figure.src))) {
    const name = path.basename(readme.figure.src);
    fs.copyFileSync(path.join(path.dirname(README_FILE), readme.figure.src), path.join(siteDir, "assets", name));
    picture = `<figure class="index-figure"><img src="assets/${escapeHtml(name)}" alt="${escapeHtml(readme.figure.alt)}"><figcaption>${renderInline(readme.figure.caption)}</figcaption></figure>`;
  }
  const reportFile = path.join(outDir, "report.json");
  const report: { mode?: string; seed?: number; notebooks?: ReportNotebook[]; family?: FamilySummary } = fs.existsSync(
    reportFile,
  )
    ? JSON.parse(fs.readFileSync(reportFile, "utf8"))
    : {};
  const rows: string[] = [];
  const failing: string[] = [];
  const files = fs
    .readdirSync(nbDir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort();
  const notebooks = files.map((file) => {
    const name = path.basename(file, ".ipynb");
    const nb: Notebook = JSON.parse(fs.readFileSync(path.join(nbDir, file), "utf8"));
    return { name, nb, title: notebookTitle(nb, name) };
  });
  notebooks.forEach(({ name, nb, title }, i) => {
    const prev = notebooks[i - 1],
      next = notebooks[i + 1];
    const link = (n: { name: string; title: string } | undefined, rel: string, arrow: string) =>
      n
        ? `<a rel="${rel}" href="${n.name}.html">${rel === "prev" ? arrow + " " : ""}${renderInline(n.title)}${rel === "next" ? " " + arrow : ""}</a>`
        : "<span></span>";
    const nav = `<nav class="top"><a href="index.html">↑ all notebooks</a></nav>`;
    const pager = `<nav class="pager">${link(prev, "prev", "←")}${link(next, "next", "→")}</nav>`;
    const code = nb.cells
      .filter((c) => c.cell_type === "code")
      .map(cellSource)
      .join("\n");
    const linker = api ? new ApiLinker(api.symbols, libImports(code)) : undefined;
    fs.writeFileSync(
      path.join(siteDir, `${name}.html`),
      page(title, nav + pager + nb.cells.map((c) => renderCell(c, linker)).join("\n") + pager),
    );
    const r = report.notebooks?.find((n) => n.name === name);
    const passed = r ? r.verdicts.filter((v) => v.pass).length : 0;
    const ok = r ? !r.failure && r.verdicts.length > 0 && passed === r.verdicts.length : false;
    const c = r ? kindCounts(r.verdicts) : undefined;
    const kinds = c
      ? ` (${c.claim.total} claim, ${c.derived.total} derived, ${c.check.total} check${c.unset.total ? `, ${c.unset.total} without a kind` : ""})`
      : "";
    const status = !r
      ? "not in report"
      : r.failure
        ? `cell ${r.failure.cellIndex} ${r.failure.kind}`
        : `${passed}/${r.verdicts.length} verdicts pass${kinds}`;
    if (r?.failure)
      failing.push(
        `<li><a href="${name}.html">${escapeHtml(name)}</a>: cell ${r.failure.codeCell ?? r.failure.cellIndex} ${escapeHtml(r.failure.kind)}</li>`,
      );
    for (const v of r?.verdicts.filter((w) => !w.pass) ?? [])
      failing.push(
        `<li><a href="${name}.html">${escapeHtml(name)}</a> <code>${escapeHtml(v.id)}</code>: predicted ${escapeHtml(v.prediction)}, measured ${escapeHtml(v.measurement)}</li>`,
      );
    const claim = readme.claims.get(name);
    rows.push(
      `<tr class="${ok ? "pass" : "fail"}"><td><a href="${name}.html">${renderInline(title)}</a></td>` +
        `<td>${escapeHtml(status)}</td><td>${r ? r.seconds.toFixed(1) + " s" : ""}</td><td class="claim">${claim ? renderInline(claim) : ""}</td></tr>`,
    );
  });
  const intro = renderMarkdown(
    `# Random dynamical systems in deep learning: notebooks\n\nExecuted ${report.mode ? `in **${report.mode}** mode with seed ${report.seed}` : ""}. ` +
      `Each notebook reproduces a claim of the sources numerically and ends with a verdict table ($\\text{prediction} \\pm \\text{tolerance}$ from the measurement's own uncertainty).`,
  );
  const fam = report.family;
  const family = fam
    ? `<p class="family">How often a correct theory fails here: each of the run's ${fam.stochastic} stochastic verdicts is tested at level ${fam.verdictLevel} ` +
      `(Bonferroni: ${fam.familyError * 100} % over a budget of ${fam.budget}), so a run in which every claim is true fails anywhere with probability at most ${fam.bound.toPrecision(2)}. ` +
      `${fam.controls} verdicts reject a named wrong alternative${fam.minPower === null ? "" : ` (smallest power ${fam.minPower.toPrecision(4)})`}. Deterministic checks are not counted.` +
      (fam.falseFailure === undefined
        ? ""
        : ` Counting also the chance that an alternative is not rejected (1 − its plug-in power), the estimated chance of a false failure is ${fam.falseFailure.toPrecision(2)}${fam.underpowered ? `, over the ${fam.familyError * 100} % promise: the weakest alternatives are ${escapeHtml(fam.weakest.map((w) => `${w.verdict} (power ${w.power.toPrecision(3)})`).join(", "))}` : ""}.`) +
      `</p>` +
      `<p class="kinds">Verdicts: ${escapeHtml(kindCountsText((report.notebooks ?? []).flatMap((n) => n.verdicts)))}. A <em>claim</em> is a source's statement, measured; <em>derived</em> is our own derivation, measured; a <em>check</em> is an identity of the code. Every claim and derived verdict fails in its notebook's falsified setting (<code>npm run reproduce -- --falsify</code>).</p>`
    : "";
  const reference = api
    ? `<p class="api-reference">The library behind the notebooks, <code>rds-solvers</code>: its <a href="api/index.html">API reference</a>, every exported function with its method, options, errors and references. On each notebook page, the first mention of a library function links to it.</p>`
    : "";
  const failures = failing.length ? `<h2>Failing</h2><ul class="failing">${failing.join("\n")}</ul>` : "";
  const table = `<table class="index"><thead><tr><th>notebook</th><th>verdicts</th><th>time</th><th>what it shows</th></tr></thead><tbody>${rows.join("\n")}</tbody></table>`;
  let errata = "";
  if (fs.existsSync(ERRATA_FILE)) {
    const body = renderMarkdown(resolveErrata(fs.readFileSync(ERRATA_FILE, "utf8"), report.notebooks ?? []));
    fs.writeFileSync(
      path.join(siteDir, "errata.html"),
      page("Errata", `<nav class="top"><a href="index.html">↑ all notebooks</a></nav>` + body),
    );
    errata = `<p class="errata"><a href="errata.html">Errata</a>: where the sources and our measurements disagree, each item with the verdicts of this run.</p>`;
  }
  const index = path.join(siteDir, "index.html");
  fs.writeFileSync(index, page("RDS notebooks", intro + picture + family + errata + reference + failures + table));
  return index;
}

/** The command line of `npm run site` (tools/cli/args: the rules every CLI shares). */
export const SITE_CLI = {
  name: "site",
  usage: `usage: npm run site [-- OUT]

Re-renders the static site (OUT/site, default out/site) from an earlier reproduce run's executed
notebooks and report.json in OUT. Exit 2 when OUT holds no run.

options:
  -h, --help            this text`,
  positionals: { name: "output folder", max: 1 },
  options: {},
} satisfies CliSpec<Record<string, OptionSpec<unknown>>>;

// npm run site [-- OUT]: re-render the site from an earlier reproduce run.
if (require.main === module) {
  void runCli(SITE_CLI, (args) => {
    const out = path.resolve(args.positionals[0] ?? path.join(__dirname, "..", "..", "out"));
    try {
      console.log(buildSite(out));
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  });
}
