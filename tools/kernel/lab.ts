// npm run lab: register the project's kernel with Jupyter, then open the notebooks in JupyterLab.
// Which JupyterLab, in order:
//  1. the user's own (`jupyter lab` on the PATH, e.g. from `pip install jupyterlab`);
//  2. JupyterLab 3.6.8's front end built in tools/jupyterlab from its npm packages (built here on
//     first use), served by a Python with jupyter-server and jupyterlab-server (Debian's
//     python3-jupyter-server and python3-jupyterlab-server);
//  3. the classic Notebook (`jupyter notebook`, e.g. Debian's jupyter-notebook).
// With none of them it says how to get one and exits 2.
import { spawn, spawnSync } from "child_process";
import * as path from "path";
import { installKernelSpec, KERNEL_DISPLAY_NAME, KERNEL_NAME, PROJECT_ROOT } from "./spec";
import {
  buildFrontEnd,
  frontEndBuilt,
  labPython,
  labServerArgs,
  labServerEnv,
  LAB_VERSION,
} from "../jupyterlab/server";
import { runCli, UsageError, type CliSpec, type OptionSpec } from "../cli/args";

/** The command line of `npm run lab` (tools/cli/args): no options but --help. */
export const LAB_CLI = {
  name: "lab",
  usage: `usage: npm run lab

Registers the project's kernel with Jupyter and opens the notebooks in JupyterLab: your own
\`jupyter lab\` if it is on the PATH, else JupyterLab ${LAB_VERSION} built from npm in tools/jupyterlab
(first use builds it, about a minute) on a Python with jupyter-server and jupyterlab-server, else
the classic Notebook. With none of them it says how to get one and exits 2.

options:
  -h, --help            this text`,
  options: {},
} satisfies CliSpec<Record<string, OptionSpec<unknown>>>;

function main(): void {
  const dir = installKernelSpec();
  console.log(`kernel "${KERNEL_NAME}" ("${KERNEL_DISPLAY_NAME}") registered in ${dir}`);
  console.log(
    `it starts tslab at the root of the checkout that holds each notebook; for the notebooks here: ${PROJECT_ROOT}`,
  );
  const has = (args: string[]) => spawnSync("jupyter", args, { stdio: "ignore" }).status === 0;
  const run = (cmd: string, args: string[], env = process.env) => {
    const child = spawn(cmd, args, { cwd: PROJECT_ROOT, stdio: "inherit", env });
    child.on("exit", (code) => process.exit(code ?? 0));
  };

  if (has(["lab", "--version"])) {
    // The server starts at the project root so that the notebooks/ folder and lib/ are both visible.
    run("jupyter", ["lab", `--notebook-dir=${PROJECT_ROOT}`, path.join("notebooks")]);
  } else {
    const python = labPython();
    if (python) {
      if (!frontEndBuilt()) {
        console.log(
          `building JupyterLab ${LAB_VERSION}'s front end from npm in tools/jupyterlab, once (about a minute)`,
        );
        try {
          buildFrontEnd();
        } catch (e) {
          throw new Error(`building JupyterLab's front end failed: ${(e as Error).message}`);
        }
      }
      console.log(
        `JupyterLab ${LAB_VERSION} (built from npm) on ${python}'s jupyter-server; settings and checkpoints in out/jupyterlab/`,
      );
      const o = {
        python,
        rootDir: PROJECT_ROOT,
        stateDir: path.join(PROJECT_ROOT, "out", "jupyterlab"),
        openBrowser: true,
      };
      run(
        python,
        [...labServerArgs(o), `--ServerApp.preferred_dir=${path.join(PROJECT_ROOT, "notebooks")}`],
        labServerEnv(o),
      );
    } else if (has(["notebook", "--version"])) {
      run("jupyter", ["notebook", `--notebook-dir=${PROJECT_ROOT}`, path.join("notebooks")]);
    } else {
      throw new UsageError(
        "no Jupyter front end found. Install one, e.g. `pip install jupyterlab`; or on Debian/Ubuntu " +
          "`apt-get install python3-jupyter-server python3-jupyterlab-server` (then `npm run lab` builds JupyterLab " +
          `${LAB_VERSION} from npm) or \`apt-get install jupyter-notebook\`; then run \`npm run lab\` again.`,
      );
    }
  }
}

if (require.main === module) void runCli(LAB_CLI, main);
