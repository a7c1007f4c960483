import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { labServerArgs } from "../../tools/jupyterlab/server";

const root = path.resolve(__dirname, "..", "..");

test("npm run lab with no Jupyter installed registers the kernel, says how to get a front end and exits 2", () => {
  // A PATH with node alone: no `jupyter`, no `python3`; JUPYTER_PYTHON names one that does not exist.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rds-lab-"));
  fs.mkdirSync(path.join(tmp, "bin"));
  fs.symlinkSync(process.execPath, path.join(tmp, "bin", "node"));
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "tools", "kernel", "lab.ts")], {
    cwd: root,
    encoding: "utf8",
    env: {
      PATH: path.join(tmp, "bin"),
      HOME: tmp,
      JUPYTER_DATA_DIR: path.join(tmp, "jupyter"),
      JUPYTER_PYTHON: path.join(tmp, "no-python3"),
    },
  });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /lab: no Jupyter front end found\. Install one, e\.g\. `pip install jupyterlab`/);
  assert.match(r.stderr, /apt-get install python3-jupyter-server python3-jupyterlab-server/);
  assert.ok(
    fs.existsSync(path.join(tmp, "jupyter", "kernels", "rds-tslab", "kernel.json")),
    "the kernel is registered first",
  );
});

test("the JupyterLab server keeps checkpoints, settings and workspaces out of notebooks/, and runs as root only when it is root", () => {
  const args = labServerArgs({
    python: "python3",
    rootDir: "/r",
    stateDir: "/s",
    port: 8888,
    token: "t",
    forgetTrust: true,
  });
  assert.ok(args.includes("--FileCheckpoints.checkpoint_dir=/s/checkpoints"));
  assert.ok(
    args.includes("--RdsLab.user_settings_dir=/s/user-settings") &&
      args.includes("--RdsLab.workspaces_dir=/s/workspaces"),
  );
  assert.ok(args.includes("--ServerApp.ip=127.0.0.1") && args.includes("--ServerApp.token=t"));
  assert.ok(args.includes("--NotebookNotary.db_file=:memory:"));
  assert.equal(args.includes("--ServerApp.allow_root=True"), process.getuid?.() === 0);
});
