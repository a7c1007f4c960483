import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The project's kernel spec: the name notebooks declare in their metadata. */
export const KERNEL_NAME = "rds-tslab";
export const KERNEL_DISPLAY_NAME = "TypeScript (tslab, rds)";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
export const LAUNCHER = path.join(PROJECT_ROOT, "tools", "kernel", "launch.js");

/** argv of the kernel, as in kernel.json; "{connection_file}" is filled in by the front end. */
export function kernelArgv(): string[] {
  return [process.execPath, LAUNCHER, "{connection_file}"];
}

export function kernelSpec(): Record<string, unknown> {
  return {
    argv: kernelArgv(),
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
    metadata: { about: "tslab started at the root of this project (see tools/kernel/launch.js)" },
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
