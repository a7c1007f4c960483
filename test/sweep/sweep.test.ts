import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { makePlan } from "../../tools/sweep/plan";
import type { SweepPlan } from "../../tools/sweep/plan";
import { shardDir, shardState } from "../../tools/sweep/shard";
import { mergeShards, mergedTable } from "../../tools/sweep/merge";
import { makeEnsemblePlan } from "../../tools/sweep/ensemble-run";
import { readShardItems, shardItemsPath, writeShardItems } from "../../tools/sweep/shard-file";
import { endedStatus, parseJobState } from "../../tools/sweep/slurm";

const root = path.resolve(__dirname, "..", "..");
const nb06 = path.join(root, "notebooks", "06-sgd-lyapunov-exponent.ipynb");

test("makePlan: the grid (first axis outermost) times the seeds (innermost), each task keyed like the runner's cache", () => {
  const plan = makePlan({
    notebookFile: nb06,
    mode: "quick",
    grid: ["eta=0.2,0.3", "batch=1,2,3"],
    params: ["maxSteps=50000"],
    seeds: [1, 2],
  });
  assert.equal(plan.tasks.length, 2 * 3 * 2);
  assert.deepEqual(
    plan.tasks.slice(0, 3).map((t) => [t.parameters.eta, t.parameters.batch, t.seed]),
    [
      [0.2, 1, 1],
      [0.2, 1, 2],
      [0.2, 2, 1],
    ],
  );
  assert.ok(plan.tasks.every((t) => t.parameters.maxSteps === 50000));
  assert.equal(new Set(plan.tasks.map((t) => t.key)).size, plan.tasks.length);
  // the same plan again gives the same keys; another mode gives other keys
  assert.deepEqual(
    makePlan({
      notebookFile: nb06,
      mode: "quick",
      grid: ["eta=0.2,0.3", "batch=1,2,3"],
      params: ["maxSteps=50000"],
      seeds: [1, 2],
    }).tasks.map((t) => t.key),
    plan.tasks.map((t) => t.key),
  );
  assert.notEqual(
    makePlan({ notebookFile: nb06, mode: "full", grid: ["eta=0.2"], params: [], seeds: [1] }).tasks[0].key,
    makePlan({ notebookFile: nb06, mode: "quick", grid: ["eta=0.2"], params: [], seeds: [1] }).tasks[0].key,
  );
});

test("makePlan: bad grids are usage errors that name the known parameters", () => {
  const plan = (grid: string[], params: string[] = []) =>
    makePlan({ notebookFile: nb06, mode: "quick", grid, params, seeds: [1] });
  assert.throws(
    () => plan(["beta=1,2"]),
    /no parameter "beta" to sweep; its parameters: .*eta \(number\), batch \(number\)/,
  );
  assert.throws(() => plan(["eta="]), /--grid eta= is empty/);
  assert.throws(() => plan(["eta=0.1,x"]), /"x" is not a finite number/);
  assert.throws(() => plan(["eta=0.1,0.1"]), /repeats a value/);
  assert.throws(() => plan(["eta=0.1", "eta=0.2"]), /names a parameter twice/);
  assert.throws(() => plan(["eta=0.1"], ["eta=0.2"]), /both fixed .* and swept/);
  assert.throws(() => plan(["eta"]), /name=v1,v2/);
});

// A plan over a fake notebook name with hand-written shards: the merge's bookkeeping alone.
function fakePlan(): SweepPlan {
  const key = (i: number) => createHash("sha256").update(`task ${i}`).digest("hex");
  return {
    format: 1,
    notebook: "notebooks/x.ipynb",
    name: "x",
    mode: "quick",
    grid: [{ name: "eta", values: [0.1, 0.2] }],
    fixed: {},
    seeds: [1],
    tasks: [0, 1].map((i) => ({ index: i, parameters: { eta: [0.1, 0.2][i] }, seed: 1, key: key(i) })),
  };
}
function writeShard(out: string, plan: SweepPlan, i: number, o: { complete: boolean; measured: number }) {
  const t = plan.tasks[i];
  const dir = shardDir(out, t);
  fs.mkdirSync(dir, { recursive: true });
  const report = {
    seconds: 12.3 + i,
    notebooks: [
      {
        name: "x",
        seconds: 11 + i,
        failure: o.complete ? null : { codeCell: 2, kind: "error" },
        verdicts: [
          {
            id: "v",
            claim: "c",
            prediction: "p",
            measurement: String(o.measured),
            uncertainty: "u",
            pass: o.measured < 1,
            measured: o.measured,
            stochastic: true,
          },
        ],
      },
    ],
  };
  fs.writeFileSync(path.join(dir, "report.json"), JSON.stringify(report));
  const sha = createHash("sha256")
    .update(fs.readFileSync(path.join(dir, "report.json")))
    .digest("hex");
  fs.writeFileSync(
    path.join(dir, "shard.json"),
    JSON.stringify({
      index: i,
      key: t.key,
      seed: 1,
      parameters: t.parameters,
      exit: o.complete ? 0 : 1,
      reportSha256: sha,
      complete: o.complete,
    }),
  );
}

test("mergeShards: merges in task order without timings; names failed, missing and tampered shards and then writes nothing", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "rds-merge-"));
  const plan = fakePlan();
  writeShard(out, plan, 0, { complete: true, measured: 0.5 });
  let r = mergeShards(plan, out);
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.problems.join("\n") : "", /task 1 \(eta=0\.2, seed 1\): missing/);
  assert.equal(fs.existsSync(path.join(out, "merged.json")), false);
  writeShard(out, plan, 1, { complete: true, measured: 2 });
  r = mergeShards(plan, out);
  assert.ok(r.ok);
  const first = fs.readFileSync(path.join(out, "merged.json"), "utf8");
  assert.doesNotMatch(first, /seconds/);
  assert.deepEqual(
    JSON.parse(first).tasks.map((t: { pass: boolean }) => t.pass),
    [true, false],
  );
  assert.match(mergedTable(JSON.parse(first)), /eta\s+seed\s+v\n.*\n0\.1\s+1\s+0\.5\n0\.2\s+1\s+2 ✗/);
  assert.match(fs.readFileSync(path.join(out, "sweep.html"), "utf8"), /<td class="fail" title="p">2 ✗<\/td>/);
  // timings differ between machines, the merge does not
  writeShard(out, plan, 0, { complete: true, measured: 0.5 });
  assert.ok(mergeShards(plan, out).ok);
  // a failed task (a cell stopped the notebook): named, exit non-zero upstream, the earlier merge kept
  writeShard(out, plan, 1, { complete: false, measured: 2 });
  r = mergeShards(plan, out);
  assert.equal(r.ok, false);
  assert.match(
    !r.ok ? r.problems[0] : "",
    /task 1 \(eta=0\.2, seed 1\): failed: exit 1, the notebook stopped at a failing cell/,
  );
  assert.equal(fs.readFileSync(path.join(out, "merged.json"), "utf8"), first);
  // a report changed after its shard was written is stale, not done
  writeShard(out, plan, 1, { complete: true, measured: 2 });
  fs.appendFileSync(path.join(shardDir(out, plan.tasks[1]), "report.json"), " ");
  assert.equal(shardState(out, plan.tasks[1]).state, "stale");
});

test("makeEnsemblePlan: consecutive shards covering every run once; keys depend on the range", () => {
  const p = makeEnsemblePlan("rbm-wall", 3, 1003, 250);
  assert.deepEqual(
    p.tasks.map((t) => [t.first, t.count]),
    [
      [0, 250],
      [250, 250],
      [500, 250],
      [750, 250],
      [1000, 3],
    ],
  );
  assert.equal(new Set(p.tasks.map((t) => t.key)).size, 5);
  assert.throws(() => makeEnsemblePlan("nope", 1, 10, 5), /unknown ensemble "nope"; available: rbm-wall/);
  assert.throws(() => makeEnsemblePlan("rbm-wall", 1, 0, 5), /--runs/);
});

test("npm run sweep: bad input exits 2 with one line", () => {
  const run = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
    spawnSync(process.execPath, ["--import", "tsx", path.join(root, "tools", "sweep", "cli.ts"), ...args], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
      env,
    });
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "rds-sweep-"));
  const cases: [string[], RegExp][] = [
    [["06", "--grid", "beta=1,2", "--out", out], /no parameter "beta" to sweep; its parameters: .*eta/],
    [["06", "--grid", "eta=", "--out", out], /--grid eta= is empty/],
    [["06", "--grid", "eta=0.2", "--seeds", "5-3", "--out", out], /--seeds range "5-3" is empty/],
    [["06", "--grid", "eta=0.2", "--seeds", "1-x", "--out", out], /--seeds must be a list/],
    [["06", "--out", out], /nothing to sweep/],
    [["99", "--grid", "eta=0.2", "--out", out], /unknown notebook "99"/],
    [["06", "--grid", "eta=0.2", "--wait", "--out", out], /need --slurm/],
    [["--ensemble", "nope", "--runs", "4", "--out", out], /unknown ensemble "nope"/],
  ];
  for (const [args, re] of cases) {
    const r = run(args);
    assert.equal(r.status, 2, `${args.join(" ")}: exit ${r.status}, ${r.stderr}`);
    assert.match(r.stderr, re, args.join(" "));
  }
  // sbatch not on PATH
  const r = run(["06", "--grid", "eta=0.2", "--quick", "--slurm", "--out", out], {
    ...process.env,
    PATH: path.dirname(process.execPath),
  });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /sbatch not found/);
});

test("shard files: written atomically and read back; a tampered, foreign or short shard reads as missing", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "rds-shard-"));
  const t = { index: 3, first: 30, count: 2, key: "ab".repeat(32) };
  writeShardItems(out, t, "runs", [{ a: 1 }, { a: 2 }]);
  assert.deepEqual(readShardItems(out, t, "runs"), [{ a: 1 }, { a: 2 }]);
  assert.deepEqual(fs.readdirSync(path.join(out, "shards")), [path.basename(shardItemsPath(out, t))]); // no temporary left
  assert.equal(readShardItems(out, t, "spectra"), undefined); // another field
  assert.equal(readShardItems(out, { ...t, count: 3 }, "runs"), undefined); // short
  const f = shardItemsPath(out, t);
  fs.writeFileSync(f, fs.readFileSync(f, "utf8").replace('"a":2', '"a":3'));
  assert.equal(readShardItems(out, t, "runs"), undefined); // tampered: the hash no longer matches
  writeShardItems(out, t, "runs", [{ a: 1 }, { a: 2 }]);
  const other = { ...t, key: "ab".repeat(6) + "cd".repeat(26) }; // same file name, another plan's key
  assert.equal(readShardItems(out, other, "runs"), undefined);
});

test("a Slurm job's end from scontrol: its exit code, 128 + a signal, 1 for an end without a code; none while it may run", () => {
  const line = (state: string, code: string) =>
    `JobId=7 JobName=rds-06-merge UserId=root(0) JobState=${state} Reason=None Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 ExitCode=${code} RunTime=00:00:12`;
  assert.deepEqual(parseJobState(line("COMPLETED", "0:0")), {
    state: "COMPLETED",
    exitCode: 0,
    signal: 0,
    reason: "None",
  });
  assert.equal(endedStatus(parseJobState(line("COMPLETED", "0:0"))), 0);
  assert.equal(endedStatus(parseJobState(line("FAILED", "3:0"))), 3);
  assert.equal(endedStatus(parseJobState(line("CANCELLED", "0:15"))), 143);
  assert.equal(endedStatus(parseJobState(line("TIMEOUT", "0:0"))), 1);
  assert.equal(endedStatus(parseJobState(line("REVOKED", "0:0"))), 1);
  for (const s of ["PENDING", "RUNNING", "COMPLETING", "CONFIGURING", "SUSPENDED"])
    assert.equal(endedStatus(parseJobState(line(s, "0:0"))), undefined, s);
  assert.throws(() => parseJobState("JobId=7 JobName=x"), /no JobState or ExitCode/);
});
