// npm run lab:build: install and build the JupyterLab front end in tools/jupyterlab (its own
// package.json and lockfile, so the project's own install stays light).
import { buildFrontEnd } from "./server";
import { runCli, type CliSpec, type OptionSpec } from "../cli/args";

/** The command line of `npm run lab:build` (tools/cli/args: the rules every CLI shares). */
export const LAB_BUILD_CLI = {
  name: "lab:build",
  usage: `usage: npm run lab:build

Installs and builds JupyterLab's front end in tools/jupyterlab (its own package.json and lockfile).

options:
  -h, --help            this text`,
  options: {},
} satisfies CliSpec<Record<string, OptionSpec<unknown>>>;

if (require.main === module) void runCli(LAB_BUILD_CLI, () => buildFrontEnd((s) => console.log(s)));
