import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { defaultJobs, parseOptions, parseSeedList, type RunOptions } from "../../tools/runner/options";
import { defaultWorkers } from "../../lib/parallel/pool";

const root = path.resolve(__dirname, "..", "..");

function reproduce(args: string[]) {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", path.join(root, "tools", "runner", "reproduce.ts"), ...args],
    { cwd: root, encoding: "utf8", timeout: 120_000 },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function notebook(cells: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "rds-tslab", display_name: "t", language: "typescript" } },
    cells: [
      { cell_type: "markdown", metadata: {}, source: ["# test"] },
      ...cells.map((c) => ({ cell_type: "code", metadata: {}, source: [c], outputs: [], execution_count: null })),
    ],
  });
}

const verdictCell = (predicted: number) =>
  `import { VerdictReport, agree } from "./lib/verdict";\n` +
  `const r = new VerdictReport("t"); r.add(agree({ id: "x", kind: "claim", claim: "one is one", predicted: ${predicted}, measured: 1, standardError: 0.01 })); r.show();`;

function tmpdir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rds-nb-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function digest(dir: string): string {
  const h = createHash("sha256");
  for (const f of fs.readdirSync(dir).sort()) h.update(f).update(fs.readFileSync(path.join(dir, f)));
  return h.digest("hex");
}

test("bad input: one-line error and exit code 2", () => {
  const cases: [string[], RegExp][] = [
    [["--frobnicate"], /unknown option "--frobnicate"/],
    [["no-such-notebook", "--no-site"], /unknown notebook "no-such-notebook"; available:/],
    [["--seed", "x"], /--seed must be a non-negative integer/],
    [["--cell-timeout", "0"], /--cell-timeout/],
    [["--seeds", "1-x"], /--seeds must be a list of seeds and ranges such as 1-20/],
    [["--seeds", "5-2"], /--seeds range "5-2" is empty/],
    [["--seeds", ""], /--seeds needs a value|--seeds must be/],
    [["--jobs", "0"], /--jobs must be an integer ≥ 1, got "0"/],
    [["--jobs", "two"], /--jobs must be an integer ≥ 1, got "two"/],
    [["--falsify", "--seeds", "1-2"], /--falsify runs at one seed/],
    [["--falsify", "--param", "x=1", "01"], /--falsify sets each notebook's falsify parameter itself/],
  ];
  for (const [args, msg] of cases) {
    const r = reproduce(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
    assert.match(r.err, msg);
    assert.equal(r.err.trim().split("\n").length, 1, r.err);
  }
});

test("a notebook that is not valid JSON: exit 2 naming the file", () => {
  const dir = tmpdir({ "broken.ipynb": "{ not json" });
  const r = reproduce(["--notebooks", dir, "--out", path.join(dir, "..", path.basename(dir) + "-out"), "--no-site"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /broken\.ipynb is not valid JSON/);
});

test("a kernel that cannot start: exit 2 with a hint", () => {
  const dir = tmpdir({ "a.ipynb": notebook(["1"]) });
  for (const cmd of [
    "/nonexistent/kernel {connection_file}",
    `${process.execPath} -e process.exit(3) {connection_file}`,
  ]) {
    const r = reproduce(["--notebooks", dir, "--out", dir + "-out", "--no-site", "--kernel-cmd", cmd]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /tslab kernel did not start/);
  }
});

test("a kernel that cannot bind its ports: found at once from its log, retried with fresh ports, then exit 2", () => {
  // tslab logs a failed bind and lives on with a dead socket; the client must not wait 60 s per try.
  const dir = tmpdir({ "a.ipynb": notebook(["1"]) });
  const fake = path.join(dir, "fake-kernel.js");
  fs.writeFileSync(
    fake,
    `console.error("UnhandledPromiseRejection: Error: Address already in use"); setInterval(() => {}, 1000);`,
  );
  const t0 = Date.now();
  const r = reproduce([
    "--notebooks",
    dir,
    "--out",
    dir + "-out",
    "--no-site",
    "--kernel-cmd",
    `${process.execPath} ${fake} {connection_file}`,
  ]);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /could not bind its ports/);
  assert.match(r.err, /3 attempts/);
  assert.ok(Date.now() - t0 < 30_000, `took ${Date.now() - t0} ms`);
});

test("end to end: passing and failing verdicts, a failing cell, and notebooks left untouched", () => {
  const dir = tmpdir({
    "a-pass.ipynb": notebook([verdictCell(1)]),
    "b-fail.ipynb": notebook([verdictCell(2)]),
    "c-error.ipynb": notebook(["const x = 1;", "throw new Error('boom in cell two')", "console.log('never')"]),
  });
  const before = digest(dir);
  const out = dir + "-out";
  const ok = reproduce(["--notebooks", dir, "--out", out, "--no-site", "a-pass"]);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /a-pass\s+x\s+claim\s+1\s+1\s+se 0\.01.*0σ ≤ 3\.9σ\s+PASS/);
  assert.match(
    ok.out,
    /family-wise error: 1 stochastic verdict\(s\), each at level 0\.000083 \(Bonferroni: 0\.01 over a budget of 120\)/,
  );
  const report = JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8"));
  assert.equal(report.pass, true);
  assert.equal(report.notebooks[0].verdicts[0].id, "x");
  const executed = JSON.parse(fs.readFileSync(path.join(out, "notebooks", "a-pass.ipynb"), "utf8"));
  assert.ok(executed.cells[1].outputs.length > 0);
  // each code cell's timing, in JupyterLab's keys, and read back into report.json
  const timing = executed.cells[1].metadata.execution;
  assert.ok(
    Date.parse(timing["shell.execute_reply"]) >= Date.parse(timing["iopub.execute_input"]),
    JSON.stringify(timing),
  );
  const cells = report.notebooks[0].cells as { cell: number; seconds: number }[];
  assert.deepEqual(
    cells.map((c) => c.cell),
    [1],
  );
  assert.ok(cells[0].seconds >= 0 && cells[0].seconds <= report.notebooks[0].seconds, JSON.stringify(cells));

  const all = reproduce(["--notebooks", dir, "--out", out, "--no-site"]);
  assert.equal(all.code, 1);
  assert.match(all.out, /b-fail\s+x.*FAIL/);
  assert.match(all.out, /^ {2}b-fail x: predicted 2, measured 1 \(se 0\.01/m); // the summary names each failing verdict
  assert.match(all.err, /c-error: cell 2\/3 FAILED \(error\)/);
  assert.match(all.err, /FAILED c-error\.ipynb, cell 2 \(code cell 2\/3\): error:\n[\s\S]*boom in cell two/);
  assert.equal(digest(dir), before, "a run must never write into the notebook folder");
});

test("--jobs defaults: two notebooks at a time (one on a one-core machine), a seed sweep one seed per core; an explicit N wins", () => {
  const jobs = (args: string[]) => (parseOptions(args) as RunOptions).jobs;
  assert.equal(defaultJobs(), Math.min(2, defaultWorkers()));
  assert.equal(jobs(["--no-site"]), defaultJobs());
  assert.equal(jobs(["--seeds", "1-3"]), defaultWorkers());
  assert.equal(jobs(["--jobs", "3"]), 3);
  assert.equal(jobs(["--seeds", "1-3", "--jobs", "1"]), 1);
});

test("--jobs 2: two notebooks run at the same time in two kernels, the table keeps their order", () => {
  // Each notebook leaves a flag file and waits for the other's: they can only both finish when
  // they run together (one at a time, the first would wait out its 60 s and fail).
  const dir = tmpdir({});
  const handshake = (me: string, other: string) =>
    `import * as fs from "fs";\n` +
    `fs.writeFileSync(${JSON.stringify(path.join(dir, me))}, "");\n` +
    `const t0 = Date.now();\n` +
    `while (!fs.existsSync(${JSON.stringify(path.join(dir, other))})) { if (Date.now() - t0 > 60_000) throw new Error("the other notebook never started"); await new Promise((r) => setTimeout(r, 50)); }`;
  fs.writeFileSync(path.join(dir, "a-first.ipynb"), notebook([handshake("a.flag", "b.flag"), verdictCell(1)]));
  fs.writeFileSync(path.join(dir, "b-second.ipynb"), notebook([handshake("b.flag", "a.flag"), verdictCell(1)]));
  const out = dir + "-out";
  const r = reproduce(["--notebooks", dir, "--out", out, "--no-site", "--no-figures", "--jobs", "2"]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /2 notebook\(s\), 2 at a time/);
  const report = JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8"));
  assert.deepEqual(
    report.notebooks.map((n: { name: string }) => n.name),
    ["a-first", "b-second"],
  );
  assert.ok(
    report.notebooks.every((n: { verdicts: { pass: boolean }[] }) => n.verdicts.length === 1 && n.verdicts[0].pass),
  );
});

test("progress off a terminal: a heartbeat every 10 s names notebook, cell and time; a failing cell is named", async () => {
  const { progress } = await import("../../tools/runner/progress");
  const lines: string[] = [];
  const { mock } = await import("node:test");
  mock.timers.enable({ apis: ["setInterval", "Date"] });
  try {
    const p = progress(2, 9, "nb", (s) => lines.push(s), false);
    p.update(1, 8, 0);
    p.update(3, 8, 1.5);
    mock.timers.tick(10_000);
    mock.timers.tick(10_000);
    mock.timers.tick(5_000);
    p.fail(3, 8, "error");
    p.stop();
    mock.timers.tick(30_000);
  } finally {
    mock.timers.reset();
  }
  assert.equal(lines[0], "[2/9] nb: cell 1/8, 0.0 s\n");
  assert.deepEqual(lines.slice(1, 3), [
    "[2/9] nb: cell 3/8, 11.5 s (running)\n",
    "[2/9] nb: cell 3/8, 21.5 s (running)\n",
  ]);
  assert.equal(lines[3], "[2/9] nb: cell 3/8 FAILED (error)\n");
  assert.equal(lines.length, 4, "no heartbeat after stop");
});

test("seed sweep: the suite once per seed, per-verdict failure counts, summary.json", () => {
  assert.deepEqual(parseSeedList("1-3,7,2"), [1, 2, 3, 7]);
  const dir = tmpdir({ "a-pass.ipynb": notebook([verdictCell(1)]), "b-fail.ipynb": notebook([verdictCell(2)]) });
  const out = dir + "-out";
  const r = reproduce(["--notebooks", dir, "--out", out, "--quick", "--seeds", "1-2"]);
  assert.equal(r.code, 1, r.err);
  assert.match(r.out, /a-pass x\s+0\/2/);
  assert.match(r.out, /b-fail x\s+2\/2 {2}1 \(1\); 2 \(1\)/);
  assert.match(r.out, /0 of 2 seed\(s\) passed every verdict; failed: 1, 2/);
  const summary = JSON.parse(fs.readFileSync(path.join(out, "seeds", "summary.json"), "utf8"));
  assert.deepEqual(summary.failedSeeds, [1, 2]);
  assert.ok(fs.existsSync(path.join(out, "seeds", "seed-2", "report.json")));
});
