// npm run lab: register the project's kernel with Jupyter, then open the notebooks in JupyterLab
// (or the classic Notebook when JupyterLab is not installed).
import { spawn, spawnSync } from "child_process";
import * as path from "path";
import { installKernelSpec, KERNEL_DISPLAY_NAME, KERNEL_NAME, PROJECT_ROOT } from "./spec";

const dir = installKernelSpec();
console.log(`kernel "${KERNEL_NAME}" ("${KERNEL_DISPLAY_NAME}") registered in ${dir}`);
console.log(`it starts tslab at the root of the checkout that holds each notebook; for the notebooks here: ${PROJECT_ROOT}`);
const has = (args: string[]) => spawnSync("jupyter", args, { stdio: "ignore" }).status === 0;
const front = has(["lab", "--version"]) ? "lab" : has(["notebook", "--version"]) ? "notebook" : null;
if (!front) {
  console.error("lab: no Jupyter front end found. Install one, e.g. `pip install jupyterlab` or `apt-get install jupyter-notebook`, then run `npm run lab` again.");
  process.exit(2);
}
// The server starts at the project root so that the notebooks/ folder and lib/ are both visible.
const child = spawn("jupyter", [front, `--notebook-dir=${PROJECT_ROOT}`, path.join("notebooks")], { cwd: PROJECT_ROOT, stdio: "inherit" });
child.on("exit", (code) => process.exit(code ?? 0));
