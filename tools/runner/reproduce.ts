// npm run reproduce: execute every notebook in a fresh tslab kernel, collect the verdicts, render
// the site, print one table. See USAGE in ./options.ts.
import * as fs from "fs";
import * as path from "path";
import { executeNotebook, NotebookRun } from "./execute";
import { KernelError } from "./kernel";
import { UsageError } from "./notebook";
import { parseOptions, RunOptions, USAGE } from "./options";
import { formatTable, rows, failureLines } from "./table";
import { familySummary, familyText } from "./family";
import { progress } from "./progress";
import { sweep } from "./sweep";
import { runInSlots } from "./slots";
import { cacheKey, NotebookCache } from "./cache";
import { PROJECT_ROOT } from "../kernel/spec";
import { addStaticImages, chromiumPath, figureOutputs, FigureRenderer } from "../figures/static";
import type { Notebook } from "./notebook";
import { buildSite } from "../site/build";

/** Static figure images for the run: one Chromium for all notebooks, opened on first use; skipped with one notice when Chromium is missing. */
function staticImageMaker() {
  let renderer: Promise<FigureRenderer> | undefined;
  let skipped = false;
  return {
    async add(nb: Notebook): Promise<void> {
      if (skipped || figureOutputs(nb).length === 0) return;
      if (!chromiumPath()) {
        skipped = true;
        process.stderr.write("static figure images skipped: no Chromium (apt-get install chromium, or set CHROMIUM_PATH); figures stay interactive only\n");
        return;
      }
      renderer ??= FigureRenderer.open();
      await addStaticImages(nb, await renderer);
    },
    async close(): Promise<void> {
      if (renderer) await (await renderer).close();
    },
  };
}

async function run(o: RunOptions): Promise<number> {
  const staticImages = staticImageMaker();
  const cache = new NotebookCache(path.join(o.outDir, "cache"));
  const t0 = Date.now();
  fs.mkdirSync(path.join(o.outDir, "notebooks"), { recursive: true });
  const paramText = Object.keys(o.parameters).length ? `, parameters ${Object.entries(o.parameters).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ")}` : "";
  const jobsText = o.jobs > 1 && o.notebooks.length > 1 ? `, ${Math.min(o.jobs, o.notebooks.length)} at a time` : "";
  process.stderr.write(`reproduce: ${o.notebooks.length} notebook(s)${jobsText}, ${o.mode} sizes, seed ${o.seed}${paramText}, output in ${o.outDir}\n`);
  // Notebooks run o.jobs at a time, each in its own kernel; their numbers do not depend on it
  // (every stream is seeded by the notebook), and the table keeps the notebooks' order.
  const lineProgress = o.jobs > 1 || !process.stderr.isTTY; // one line rewritten in place only when one notebook runs
  let images = Promise.resolve(); // one Chromium page: figures are rendered one notebook at a time
  const runs: NotebookRun[] = await runInSlots(o.notebooks, o.jobs, async (file, i) => {
    const name = path.basename(file, ".ipynb");
    const { key } = cacheKey({ notebookFile: file, root: PROJECT_ROOT, mode: o.mode, seed: o.seed, params: { kernel: o.kernelArgv ?? null, parameters: o.parameters } });
    const hit = o.cache ? cache.get(key) : undefined;
    let r: NotebookRun;
    if (hit) {
      r = { ...hit, file, cached: true };
      process.stderr.write(`[${i + 1}/${o.notebooks.length}] ${name}: reused from cache (unchanged notebook, lib/ files, lockfile, seed and mode; it ran in ${hit.seconds.toFixed(1)} s)\n`);
    } else {
      const p = progress(i + 1, o.notebooks.length, name, undefined, !lineProgress);
      r = await executeNotebook(file, { mode: o.mode, seed: o.seed, parameters: o.parameters, cellTimeoutMs: o.cellTimeoutMs, kernelArgv: o.kernelArgv, onProgress: (c, n, t) => p.update(c, n, t) });
      p.stop();
      if (r.failure) p.fail(r.failure.codeCell, r.executed.cells.filter((c) => c.cell_type === "code").length, r.failure.kind);
      if (!lineProgress) process.stderr.write("\n");
    }
    if (o.figures) await (images = images.then(() => staticImages.add(r.executed)));
    if (!hit && o.cache) cache.put(key, r);
    fs.writeFileSync(path.join(o.outDir, "notebooks", `${name}.ipynb`), JSON.stringify(r.executed, null, 1) + "\n");
    if (r.failure) {
      process.stderr.write(`\nFAILED ${name}.ipynb, cell ${r.failure.cellIndex} (code cell ${r.failure.codeCell}/${r.executed.cells.filter((c) => c.cell_type === "code").length}): ${r.failure.kind}:\n${r.failure.message}\n\n`);
    }
    return r;
  });
  await staticImages.close();
  const family = familySummary(runs.flatMap((r) => r.verdicts));
  const pass = !family.overBudget && runs.every((r) => !r.failure && r.verdicts.length > 0 && r.verdicts.every((v) => v.pass));
  const report = {
    mode: o.mode,
    seed: o.seed,
    parameters: o.parameters,
    pass,
    family,
    seconds: (Date.now() - t0) / 1000,
    notebooks: runs.map((r) => ({ name: r.name, parameters: o.parameters, seconds: r.seconds, cached: r.cached ?? false, failure: r.failure ?? null, verdicts: r.verdicts })),
  };
  fs.writeFileSync(path.join(o.outDir, "report.json"), JSON.stringify(report, null, 2) + "\n");
  if (o.site) {
    const index = buildSite(o.outDir);
    process.stderr.write(`site: ${index}\n`);
  }
  const table = rows(runs);
  console.log("\n" + formatTable(table));
  const nv = runs.reduce((s, r) => s + r.verdicts.length, 0);
  const nf = runs.reduce((s, r) => s + r.verdicts.filter((v) => !v.pass).length, 0);
  console.log(`\n${familyText(family)}`);
  console.log(`\n${pass ? "ALL PASS" : "FAILED"}: ${nv} verdict(s), ${nf} failed, ${runs.filter((r) => r.failure).length} notebook(s) with a failing cell; ${report.seconds.toFixed(1)} s; report ${path.join(o.outDir, "report.json")}`);
  const failing = failureLines(table);
  if (failing.length) console.log(failing.join("\n"));
  return pass ? 0 : 1;
}

async function main(): Promise<void> {
  let o: RunOptions | "help" | "listed";
  try {
    o = parseOptions(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`reproduce: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  if (o === "listed") return;
  if (o === "help") {
    console.log(USAGE);
    return;
  }
  try {
    process.exitCode = o.seeds ? await sweep(o, o.seeds) : await run(o);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof KernelError && e.kind === "start")) {
      console.error(`\nreproduce: ${e.message.split("\n")[0]}${e instanceof KernelError ? " (check `npm install`, or --kernel-cmd)" : ""}`);
      process.exit(2);
    }
    throw e;
  }
}

void main();
