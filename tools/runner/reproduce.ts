// npm run reproduce: execute every notebook in a fresh tslab kernel, collect the verdicts, render
// the site, print one table. See USAGE in ./options.ts.
import * as fs from "fs";
import * as path from "path";
import { executeNotebook, NotebookRun } from "./execute";
import { KernelError } from "./kernel";
import { UsageError } from "./notebook";
import { parseOptions, RunOptions, USAGE } from "./options";
import { formatTable, rows } from "./table";
import { buildSite } from "../site/build";

function progress(i: number, n: number, name: string) {
  const tty = process.stderr.isTTY;
  let last = "";
  return (cell: number, cells: number, elapsed: number) => {
    const msg = `[${i}/${n}] ${name}: cell ${cell}/${cells}, ${elapsed.toFixed(1)} s`;
    if (tty) process.stderr.write(`\r${msg.padEnd(last.length)}`);
    else if (cell === cells || cell === 1) process.stderr.write(`${msg}\n`);
    last = msg;
  };
}

async function run(o: RunOptions): Promise<number> {
  const runs: NotebookRun[] = [];
  const t0 = Date.now();
  fs.mkdirSync(path.join(o.outDir, "notebooks"), { recursive: true });
  process.stderr.write(`reproduce: ${o.notebooks.length} notebook(s), ${o.mode} sizes, seed ${o.seed}, output in ${o.outDir}\n`);
  for (let i = 0; i < o.notebooks.length; i++) {
    const file = o.notebooks[i];
    const name = path.basename(file, ".ipynb");
    const r = await executeNotebook(file, { mode: o.mode, seed: o.seed, cellTimeoutMs: o.cellTimeoutMs, kernelArgv: o.kernelArgv, onProgress: progress(i + 1, o.notebooks.length, name) });
    if (process.stderr.isTTY) process.stderr.write("\n");
    fs.writeFileSync(path.join(o.outDir, "notebooks", `${name}.ipynb`), JSON.stringify(r.executed, null, 1) + "\n");
    if (r.failure) {
      process.stderr.write(`\nFAILED ${name}.ipynb, cell ${r.failure.cellIndex} (code cell ${r.failure.codeCell}/${r.executed.cells.filter((c) => c.cell_type === "code").length}): ${r.failure.kind}:\n${r.failure.message}\n\n`);
    }
    runs.push(r);
  }
  const pass = runs.every((r) => !r.failure && r.verdicts.length > 0 && r.verdicts.every((v) => v.pass));
  const report = {
    mode: o.mode,
    seed: o.seed,
    pass,
    seconds: (Date.now() - t0) / 1000,
    notebooks: runs.map((r) => ({ name: r.name, seconds: r.seconds, failure: r.failure ?? null, verdicts: r.verdicts })),
  };
  fs.writeFileSync(path.join(o.outDir, "report.json"), JSON.stringify(report, null, 2) + "\n");
  if (o.site) {
    const index = buildSite(o.outDir);
    process.stderr.write(`site: ${index}\n`);
  }
  console.log("\n" + formatTable(rows(runs)));
  const nv = runs.reduce((s, r) => s + r.verdicts.length, 0);
  const nf = runs.reduce((s, r) => s + r.verdicts.filter((v) => !v.pass).length, 0);
  console.log(`\n${pass ? "ALL PASS" : "FAILED"}: ${nv} verdict(s), ${nf} failed, ${runs.filter((r) => r.failure).length} notebook(s) with a failing cell; ${report.seconds.toFixed(1)} s; report ${path.join(o.outDir, "report.json")}`);
  return pass ? 0 : 1;
}

async function main(): Promise<void> {
  let o: RunOptions | "help";
  try {
    o = parseOptions(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`reproduce: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  if (o === "help") {
    console.log(USAGE);
    return;
  }
  try {
    process.exitCode = await run(o);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof KernelError && e.kind === "start")) {
      console.error(`\nreproduce: ${e.message.split("\n")[0]}${e instanceof KernelError ? " (check `npm install`, or --kernel-cmd)" : ""}`);
      process.exit(2);
    }
    throw e;
  }
}

void main();
