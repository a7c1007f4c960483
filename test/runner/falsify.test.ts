import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readExemptions, judge, staleExemptions, falsifiedSettings } from "../../tools/runner/falsify";
import { agree } from "../../lib/verdict";

const root = path.resolve(__dirname, "..", "..");

const claim = (id: string, pass: boolean, kind: "claim" | "derived" | "check" = "claim") =>
  agree({ id, kind, claim: "c", predicted: pass ? 1 : 2, measured: 1, standardError: 0.01 });

test("readExemptions reads the rows under CONTRIBUTING.md's heading, and only those", () => {
  const md = [
    "# Contributing",
    "| a | b | c |",
    "|---|---|---|",
    "| 01 | not-this | no |",
    "## Verdicts with no falsified setting",
    "",
    "| notebook | verdict | reason |",
    "|---|---|---|",
    "| 13 | `dqf-closed-form` | a closed form of the code |",
    "| 15-fokker-planck-hamiltonian | fp-x | why |",
    "## Next",
    "| 09 | not-this-either | x |",
  ].join("\n");
  assert.deepEqual(readExemptions(md), [
    { notebook: "13", id: "dqf-closed-form", reason: "a closed form of the code" },
    { notebook: "15-fokker-planck-hamiltonian", id: "fp-x", reason: "why" },
  ]);
  assert.deepEqual(readExemptions("# nothing here"), []);
});

test("judge: a claim must fail in some falsified run; checks are exempt by kind; missing counts as not failing", () => {
  const base = [
    claim("fails", true),
    claim("survives", true),
    claim("dropped", true),
    claim("code", true, "check"),
    claim("listed", true),
  ];
  const runs = [
    {
      setting: "off",
      verdicts: [claim("fails", false), claim("survives", true), claim("code", true, "check"), claim("listed", true)],
      failure: null,
    },
    {
      setting: "ito",
      verdicts: [claim("fails", true), claim("survives", true), claim("code", true, "check"), claim("listed", true)],
      failure: null,
    },
  ];
  const rows = judge("13-x", base, runs, [{ notebook: "13", id: "listed", reason: "r" }]);
  const status = Object.fromEntries(rows.map((r) => [r.id, r.status]));
  assert.deepEqual(status, {
    fails: "fails when falsified",
    survives: "CANNOT FAIL",
    dropped: "CANNOT FAIL",
    code: "check",
    listed: "exempt",
  });
  assert.deepEqual(rows.find((r) => r.id === "dropped")!.falsified, { off: "missing", ito: "missing" });
  assert.equal(rows.find((r) => r.id === "listed")!.reason, "r");
  // a notebook with no falsified setting: every claim cannot fail unless listed
  assert.equal(judge("02-y", [claim("a", true)], [], [])[0].status, "CANNOT FAIL");
});

test("staleExemptions: a listed verdict that does fail, is a check, or does not exist is reported; other notebooks are ignored", () => {
  const rows = judge(
    "13-x",
    [claim("fails", true), claim("code", true, "check"), claim("kept", true)],
    [
      {
        setting: "off",
        verdicts: [claim("fails", false), claim("code", true, "check"), claim("kept", true)],
        failure: null,
      },
    ],
    [],
  );
  const ex = [
    { notebook: "13", id: "fails", reason: "" },
    { notebook: "13", id: "code", reason: "" },
    { notebook: "13", id: "gone", reason: "" },
    { notebook: "13", id: "kept", reason: "" },
    { notebook: "07", id: "elsewhere", reason: "" },
  ];
  const stale = staleExemptions(
    judge(
      "13-x",
      rows.map((r) => claim(r.id, true, r.kind as "claim")),
      [
        {
          setting: "off",
          verdicts: [claim("fails", false), claim("code", true, "check"), claim("kept", true)],
          failure: null,
        },
      ],
      ex,
    ),
    ex,
    ["13-x"],
  );
  assert.equal(stale.length, 3);
  assert.match(stale.join("\n"), /13 fails: .*does fail/);
  assert.match(stale.join("\n"), /13 code: .*is a check/);
  assert.match(stale.join("\n"), /13 gone: .*no such verdict/);
});

function nb(parameters: string, cells: string[]): string {
  const code = (src: string, tags: string[] = []) => ({
    cell_type: "code",
    metadata: tags.length ? { tags } : {},
    source: [src],
    outputs: [],
    execution_count: null,
  });
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "rds-tslab", display_name: "t", language: "typescript" } },
    cells: [
      { cell_type: "markdown", metadata: {}, source: ["# test"] },
      code(parameters, ["parameters"]),
      ...cells.map((c) => code(c)),
    ],
  });
}

test('falsifiedSettings reads the parameters cell and insists on falsify = "" beside the list', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rds-fals-"));
  const f = (name: string, params: string) => {
    fs.writeFileSync(path.join(dir, name), nb(params, []));
    return path.join(dir, name);
  };
  assert.deepEqual(
    falsifiedSettings(f("a.ipynb", `const falsifySettings = ["independent-noise", "ito"];\nconst falsify = "";`)),
    ["independent-noise", "ito"],
  );
  assert.deepEqual(falsifiedSettings(f("b.ipynb", `const n = 3;`)), []);
  assert.throws(() => falsifiedSettings(f("c.ipynb", `const falsifySettings = ["x"];`)), /no `const falsify = "";`/);
  assert.throws(
    () => falsifiedSettings(f("d.ipynb", `const falsifySettings = ["Bad Name"];\nconst falsify = "";`)),
    /lower-case names/,
  );
});

test("--falsify end to end: a claim that fails when falsified passes the run; one that cannot fail exits 1 and is named", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rds-fals-"));
  const params = `import { falsifySetting } from "./lib/params";\nconst falsifySettings = ["off"];\nconst falsify = "";`;
  const verdicts = (extra: string) =>
    `import { VerdictReport, agree } from "./lib/verdict";\nconst setting = falsifySetting(falsify, falsifySettings);\nconst measured = setting === "off" ? 2 : 1;\n` +
    `const r = new VerdictReport("t");\nr.add(agree({ id: "mechanism", kind: "claim", claim: "c", predicted: 1, measured: measured, standardError: 0.01 }));\n${extra}r.show();`;
  fs.writeFileSync(path.join(dir, "a-good.ipynb"), nb(params, [verdicts("")]));
  fs.writeFileSync(
    path.join(dir, "b-blind.ipynb"),
    nb(params, [
      verdicts(
        `r.add(agree({ id: "blind", kind: "claim", claim: "c", predicted: 1, measured: 1, standardError: 0.01 }));\nr.add(agree({ id: "identity", kind: "check", claim: "c", predicted: 1, measured: 1, standardError: 0.01 }));\n`,
      ),
    ]),
  );
  const run = (names: string[]) =>
    spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        path.join(root, "tools", "runner", "reproduce.ts"),
        "--falsify",
        "--notebooks",
        dir,
        "--out",
        dir + "-out",
        "--no-figures",
        "--no-site",
        ...names,
      ],
      { cwd: root, encoding: "utf8", timeout: 180_000 },
    );
  const good = run(["a-good"]);
  assert.equal(good.status, 0, good.stdout + good.stderr);
  assert.match(good.stdout, /a-good\s+mechanism\s+claim\s+PASS\s+off: FAIL\s+fails when falsified/);
  const blind = run(["b-blind"]);
  assert.equal(blind.status, 1, blind.stdout + blind.stderr);
  assert.match(blind.stdout, /cannot fail: b-blind blind \(off: pass\)/);
  assert.match(blind.stdout, /b-blind\s+identity\s+check\s+PASS\s+off: pass\s+check/);
  const report = JSON.parse(fs.readFileSync(path.join(dir + "-out", "falsify", "report.json"), "utf8"));
  assert.equal(report.pass, false);
  assert.ok(fs.existsSync(path.join(dir + "-out", "falsify", "notebooks", "b-blind--off.ipynb")));
});
