import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The project's kernel spec: the name notebooks declare in their metadata. */
export const KERNEL_NAME = "rds-tslab";
export const KERNEL_DISPLAY_NAME = "TypeScript (tslab, rds)";
/** package.json's name: how the kernel recognises a checkout of this project. */
export const PACKAGE_NAME = "rds-solvers";
/** Names a checkout's package.json may carry: today's, and "rds-notebooks" of checkouts before 0.1.0's package. */
export const CHECKOUT_NAMES = [PACKAGE_NAME, "rds-notebooks"];

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
export const LAUNCHER = path.join(PROJECT_ROOT, "tools", "kernel", "launch.js");

/**
 * Node's flags for the kernel process: `--single-threaded-gc`, so that V8 collects garbage on the
 * thread that made it. Why: V8's parallel and concurrent collector runs on helper threads shared by
 * the whole process; when a notebook's worker threads (and the notebook beside it) already keep the
 * cores busy, the helpers compete with the work instead of filling idle cores, and the tape's
 * cells allocate heavily. Measured on the 2-core machine (2026-12-07, the same quick suite, the same
 * numbers bit for bit): 447 s of wall and 790 s of CPU without the flag, 368 s and 702 s with it;
 * notebook 10 alone 101 → 62 s, notebook 17 58.6 → 49.1 CPU-s. `npm run bench`, `npm run train` and
 * `npm run sweep` run node with the same flag.
 */
export const KERNEL_NODE_FLAGS: readonly string[] = ["--single-threaded-gc"];

/** argv of this checkout's kernel, as the runner starts it; "{connection_file}" is filled in by the caller. */
export function kernelArgv(): string[] {
  return [process.execPath, ...KERNEL_NODE_FLAGS, LAUNCHER, "{connection_file}"];
}

/**
 * The kernel.json's program: a few lines that find the checkout holding the notebook and start
 * that checkout's launcher. Jupyter starts a kernel in the notebook's folder, so walking up from
 * the working directory to the first folder whose package.json is this project's finds the right
 * checkout. The spec therefore holds no path of any checkout: two clones on one machine share the
 * one registered "rds-tslab" kernel, and each notebook runs against the lib/ of its own clone.
 */
export const BOOTSTRAP = [
  `const fs = require("fs"), path = require("path");`,
  `let d = process.cwd();`,
  `for (;;) {`,
  `  try { if (${JSON.stringify(CHECKOUT_NAMES)}.includes(JSON.parse(fs.readFileSync(path.join(d, "package.json"), "utf8")).name) && fs.existsSync(path.join(d, "tools", "kernel", "launch.js"))) break; } catch {}`,
  `  const up = path.dirname(d);`,
  `  if (up === d) { console.error("rds-tslab: no ${PACKAGE_NAME} checkout contains " + process.cwd() + "; open the notebook from inside a checkout"); process.exit(2); }`,
  `  d = up;`,
  `}`,
  `const launcher = path.join(d, "tools", "kernel", "launch.js");`,
  `process.argv.splice(1, 0, launcher);`,
  `require(launcher);`,
].join("\n");

export function kernelSpec(): Record<string, unknown> {
  return {
    argv: [process.execPath, ...KERNEL_NODE_FLAGS, "-e", BOOTSTRAP, "{connection_file}"],
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
    metadata: {
      about:
        "tslab started at the root of the checkout that holds the notebook (see tools/kernel/launch.js and BOOTSTRAP in tools/kernel/spec.ts)",
    },
  };
}

/** The user's Jupyter data directory, as jupyter_core computes it on Linux and macOS. */
export function userJupyterDataDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === "darwin") return path.join(os.homedir(), "Library", "Jupyter");
  if (process.platform === "win32") return path.join(process.env.APPDATA ?? os.homedir(), "jupyter");
  return path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), ".local", "share"), "jupyter");
}

/** Write kernels/rds-tslab/kernel.json under dataDir; returns the spec's folder. */
export function installKernelSpec(dataDir = userJupyterDataDir()): string {
  const dir = path.join(dataDir, "kernels", KERNEL_NAME);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(kernelSpec(), null, 2) + "\n");
  return dir;
}
