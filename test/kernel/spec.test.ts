import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { kernelSpec, BOOTSTRAP, PROJECT_ROOT, PACKAGE_NAME, CHECKOUT_NAMES } from "../../tools/kernel/spec";

test("the kernel spec holds no checkout's path, so a second clone cannot take it over", () => {
  const spec = JSON.stringify(kernelSpec());
  assert.ok(!spec.includes(PROJECT_ROOT), "kernel.json must not name this checkout");
  assert.equal(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).name, PACKAGE_NAME);
});

test("the bootstrap starts the launcher of the checkout that holds the notebook's folder, and refuses outside one", () => {
  const make = (name: string, packageName: string) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "rds-clone-"));
    fs.mkdirSync(path.join(root, "tools", "kernel"), { recursive: true });
    fs.mkdirSync(path.join(root, "notebooks", "sub"), { recursive: true });
    fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: packageName }));
    fs.writeFileSync(
      path.join(root, "tools", "kernel", "launch.js"),
      `console.log(JSON.stringify({ dir: __dirname, conn: process.argv[2], tag: ${JSON.stringify(name)} }));`,
    );
    return root;
  };
  // a checkout of today's package, and an older one under the project's former name
  for (const [tag, packageName] of [
    ["first", CHECKOUT_NAMES[0]],
    ["second", CHECKOUT_NAMES[1]],
  ]) {
    const root = make(tag, packageName);
    const r = spawnSync(process.execPath, ["-e", BOOTSTRAP, "/tmp/conn.json"], {
      cwd: path.join(root, "notebooks", "sub"),
      encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(fs.realpathSync(out.dir), fs.realpathSync(path.join(root, "tools", "kernel")));
    assert.equal(out.conn, "/tmp/conn.json");
    assert.equal(out.tag, tag);
  }
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), "rds-none-"));
  const r = spawnSync(process.execPath, ["-e", BOOTSTRAP, "/tmp/conn.json"], { cwd: outside, encoding: "utf8" });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no rds-solvers checkout contains/);
});
