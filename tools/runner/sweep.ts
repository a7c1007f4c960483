// `npm run reproduce -- --seeds 1-20`: the suite once per seed, as child runs of the runner, --jobs
// (default: the cores) at a time, then one table of how many seeds failed each verdict. The per-seed runs are ordinary
// reproduce runs (OUT/seeds/seed-N/report.json and a log beside it), so a failing seed can be
// inspected, or rerun alone with --seed N.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { RunOptions } from "./options";
import { runInSlots } from "./slots";

interface SeedReport {
  seed: number;
  pass: boolean;
  seconds: number;
  notebooks: {
    name: string;
    failure: { codeCell: number; kind: string } | null;
    verdicts: { id: string; pass: boolean; measurement: string }[];
  }[];
}

export interface SweepRow {
  notebook: string;
  id: string;
  runs: number;
  failed: number[];
  /** Measurements at the failing seeds. */
  failedMeasurements: string[];
}

function runSeed(o: RunOptions, seed: number, dir: string): Promise<number> {
  fs.mkdirSync(dir, { recursive: true });
  const args = [
    path.join(__dirname, "reproduce.ts"),
    "--seed",
    String(seed),
    "--out",
    dir,
    "--no-site",
    "--no-figures",
    `--${o.mode}`,
    "--cell-timeout",
    String(o.cellTimeoutMs / 1000),
    "--jobs",
    "1",
    "--notebooks",
    path.dirname(o.notebooks[0]),
    ...o.notebooks.map((f) => path.basename(f)),
  ];
  if (o.kernelArgv) args.push("--kernel-cmd", o.kernelArgv.join(" "));
  if (!o.cache) args.push("--no-cache");
  for (const p of o.paramArgs) args.push("--param", p);
  const log = fs.openSync(path.join(dir, "run.log"), "w");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], { stdio: ["ignore", log, log] });
    child.on("close", (code) => {
      fs.closeSync(log);
      resolve(code ?? 1);
    });
  });
}

/** Aggregate per-seed reports: per verdict (notebook, id) the seeds at which it failed. */
export function aggregate(reports: SeedReport[]): SweepRow[] {
  const rows = new Map<string, SweepRow>();
  for (const r of reports)
    for (const nb of r.notebooks) {
      const entries = nb.verdicts.map((v) => ({ id: v.id, pass: v.pass, measurement: v.measurement }));
      if (nb.failure)
        entries.push({
          id: `(cell ${nb.failure.codeCell}: ${nb.failure.kind})`,
          pass: false,
          measurement: nb.failure.kind,
        });
      for (const v of entries) {
        const key = `${nb.name}\u0000${v.id}`;
        const row = rows.get(key) ?? { notebook: nb.name, id: v.id, runs: 0, failed: [], failedMeasurements: [] };
        row.runs++;
        if (!v.pass) {
          row.failed.push(r.seed);
          row.failedMeasurements.push(v.measurement);
        }
        rows.set(key, row);
      }
    }
  return [...rows.values()];
}

export async function sweep(o: RunOptions, seeds: number[]): Promise<number> {
  const root = path.join(o.outDir, "seeds");
  const workers = Math.min(o.jobs, seeds.length);
  process.stderr.write(
    `sweep: ${seeds.length} seed(s) (${seeds[0]}…${seeds[seeds.length - 1]}), ${o.mode} sizes, ${o.notebooks.length} notebook(s), ${workers} seed(s) at a time (--jobs); logs in ${root}/seed-N/run.log\n`,
  );
  const t0 = Date.now();
  const codes = new Map<number, number>();
  let done = 0;
  const heartbeat = setInterval(
    () =>
      process.stderr.write(`sweep: ${done}/${seeds.length} seeds done, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`),
    30_000,
  );
  heartbeat.unref();
  // Each seed's run takes one slot and runs its notebooks one at a time (--jobs 1 in the child).
  await runInSlots(seeds, workers, async (seed) => {
    const code = await runSeed(o, seed, path.join(root, `seed-${seed}`));
    codes.set(seed, code);
    done++;
    process.stderr.write(
      `sweep: seed ${seed} ${code === 0 ? "passed" : code === 1 ? "FAILED" : `exit ${code}`} (${done}/${seeds.length}, ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`,
    );
  });
  clearInterval(heartbeat);
  const reports: SeedReport[] = [];
  for (const seed of seeds) {
    const file = path.join(root, `seed-${seed}`, "report.json");
    if (!fs.existsSync(file)) {
      process.stderr.write(
        `sweep: seed ${seed} wrote no report (exit ${codes.get(seed)}); see ${path.join(root, `seed-${seed}`, "run.log")}\n`,
      );
      continue;
    }
    reports.push({ ...JSON.parse(fs.readFileSync(file, "utf8")), seed });
  }
  const rows = aggregate(reports);
  const failedSeeds = reports.filter((r) => !r.pass).map((r) => r.seed);
  const summary = {
    mode: o.mode,
    seeds,
    seconds: (Date.now() - t0) / 1000,
    failedSeeds,
    missing: seeds.filter((s) => !reports.some((r) => r.seed === s)),
    verdicts: rows,
  };
  fs.writeFileSync(path.join(root, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
  const w = Math.max(...rows.map((r) => `${r.notebook} ${r.id}`.length), 20);
  console.log(`\n${"verdict".padEnd(w)}  failed/seeds  failing seeds (measurement)`);
  for (const r of rows) {
    const detail = r.failed.map((s, i) => `${s} (${r.failedMeasurements[i]})`).join("; ");
    console.log(`${`${r.notebook} ${r.id}`.padEnd(w)}  ${`${r.failed.length}/${r.runs}`.padStart(12)}  ${detail}`);
  }
  const nFailed = failedSeeds.length + summary.missing.length;
  console.log(
    `\nsweep: ${reports.length - failedSeeds.length} of ${seeds.length} seed(s) passed every verdict; failed: ${failedSeeds.length ? failedSeeds.join(", ") : "none"}` +
      `${summary.missing.length ? `; no report: ${summary.missing.join(", ")}` : ""}. With every claim true, each seed fails with probability ≤ 1 % (lib/params). ${((Date.now() - t0) / 1000).toFixed(0)} s; ${path.join(root, "summary.json")}`,
  );
  return nFailed === 0 ? 0 : 1;
}
