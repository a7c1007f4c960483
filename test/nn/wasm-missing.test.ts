import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";

const root = path.join(__dirname, "..", "..");

// lib/kernels/wasm.ts imports only Node's modules, so a copy of it in a directory without
// kernels.wasm is the module as it behaves in a tree where the kernels were never built.
const loadIn = (dir: string) =>
  spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "-e",
      `const w = require(${JSON.stringify(path.join(dir, "wasm.ts"))}); console.log(w.wasmKernel() === null ? "null" : "kernel"); w.wasmKernel();`,
    ],
    { cwd: root, encoding: "utf8", timeout: 60_000 },
  );

test("wasmKernel: without kernels.wasm it returns null and warns once (RDS_NO_WASM) that the JS loops are slower; with it, no warning", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rds-wasm-"));
  try {
    fs.copyFileSync(path.join(root, "lib", "kernels", "wasm.ts"), path.join(dir, "wasm.ts"));
    const missing = loadIn(dir);
    assert.equal(missing.status, 0, missing.stderr);
    assert.equal(missing.stdout.trim(), "null");
    assert.equal(missing.stderr.match(/RDS_NO_WASM/g)?.length, 1, missing.stderr);
    assert.match(missing.stderr, /kernels\.wasm could not be loaded .*20× slower.*npm run build:wasm/);
    if (fs.existsSync(path.join(root, "lib", "kernels", "kernels.wasm"))) {
      fs.copyFileSync(path.join(root, "lib", "kernels", "kernels.wasm"), path.join(dir, "kernels.wasm"));
      const built = loadIn(dir);
      assert.equal(built.status, 0, built.stderr);
      assert.equal(built.stdout.trim(), "kernel");
      assert.doesNotMatch(built.stderr, /RDS_NO_WASM/);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
