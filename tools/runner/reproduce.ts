// npm run reproduce: execute every notebook in a fresh tslab kernel, collect the verdicts, render
// the site, print one table. See USAGE in ./options.ts; the command line follows tools/cli/args.
import * as fs from "fs";
import * as path from "path";
import type { NotebookRun } from "./execute";
import { KernelError } from "./kernel";
import { cellSeconds, UsageError } from "./notebook";
import { REPRODUCE_CLI, runOptions, RunOptions } from "./options";
import { runCli } from "../cli/args";
import { formatTable, rows, failureLines } from "./table";
import { familySummary, familyText } from "./family";
import { sweep } from "./sweep";
import { runInSlots } from "./slots";
import { longestFirst } from "./schedule";
import { runContext, runNotebook } from "./run-notebook";
import { falsifyRun } from "./falsify";
import { buildSite } from "../site/build";
import { kindCounts, kindCountsText } from "../../lib/verdict/report";

async function run(o: RunOptions): Promise<number> {
  const ctx = runContext(o);
  const t0 = Date.now();
  fs.mkdirSync(path.join(o.outDir, "notebooks"), { recursive: true });
  const paramText = Object.keys(o.parameters).length
    ? `, parameters ${Object.entries(o.parameters)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(" ")}`
    : "";
  const jobsText = o.jobs > 1 && o.notebooks.length > 1 ? `, ${Math.min(o.jobs, o.notebooks.length)} at a time` : "";
  process.stderr.write(
    `reproduce: ${o.notebooks.length} notebook(s)${jobsText}, ${o.mode} sizes, seed ${o.seed}${paramText}, output in ${o.outDir}\n`,
  );
  // Notebooks run o.jobs at a time, each in its own kernel, the longest first; their numbers do
  // not depend on either (every stream is seeded by the notebook), and the table keeps the
  // notebooks' order.
  const runs: NotebookRun[] = await runInSlots(
    o.notebooks,
    o.jobs,
    (file, i) =>
      runNotebook(
        ctx,
        file,
        o.parameters,
        path.basename(file, ".ipynb"),
        i,
        o.notebooks.length,
        path.join(o.outDir, "notebooks"),
      ),
    longestFirst(o.notebooks),
  );
  await ctx.close();
  const family = familySummary(runs);
  const pass =
    !family.overBudget && runs.every((r) => !r.failure && r.verdicts.length > 0 && r.verdicts.every((v) => v.pass));
  const report = {
    mode: o.mode,
    seed: o.seed,
    parameters: o.parameters,
    pass,
    family,
    kinds: kindCounts(runs.flatMap((r) => r.verdicts)),
    seconds: (Date.now() - t0) / 1000,
    notebooks: runs.map((r) => ({
      name: r.name,
      parameters: o.parameters,
      seconds: r.seconds,
      cells: cellSeconds(r.executed),
      cached: r.cached ?? false,
      failure: r.failure ?? null,
      verdicts: r.verdicts,
    })),
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
  console.log(`\nverdicts: ${kindCountsText(runs.flatMap((r) => r.verdicts))}.`);
  console.log(`${familyText(family)}`);
  console.log(
    `\n${pass ? "ALL PASS" : "FAILED"}: ${nv} verdict(s), ${nf} failed, ${runs.filter((r) => r.failure).length} notebook(s) with a failing cell; ${report.seconds.toFixed(1)} s; report ${path.join(o.outDir, "report.json")}`,
  );
  const failing = failureLines(table);
  if (failing.length) console.log(failing.join("\n"));
  return pass ? 0 : 1;
}

if (require.main === module) {
  void runCli(REPRODUCE_CLI, async (args) => {
    const o = runOptions(args);
    if (o === "listed") return 0;
    try {
      return o.seeds ? await sweep(o, o.seeds) : o.falsify ? await falsifyRun(o) : await run(o);
    } catch (e) {
      if (e instanceof KernelError && e.kind === "start") {
        const lines = e.message.split("\n");
        if (lines.length > 1) console.error(lines.slice(1).join("\n")); // the kernel's own output and earlier attempts
        throw new UsageError(`${lines[0]} (check \`npm install\`, or --kernel-cmd)`);
      }
      throw e;
    }
  });
}
