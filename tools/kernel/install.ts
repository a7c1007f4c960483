// npm run kernel:install [-- --dir DATA_DIR]: register the project's tslab kernel with Jupyter.
// The command line follows tools/cli/args.
import { installKernelSpec, KERNEL_DISPLAY_NAME, KERNEL_NAME, userJupyterDataDir } from "./spec";
import { runCli, text, type CliSpec, type OptionSpec, type ParsedArgs } from "../cli/args";

/** The command line of `npm run kernel:install`. */
export const KERNEL_INSTALL_CLI = {
  name: "kernel:install",
  usage: `usage: npm run kernel:install [-- --dir JUPYTER_DATA_DIR]

Registers the project's tslab kernel ("${KERNEL_DISPLAY_NAME}") with Jupyter; it runs each notebook
against the checkout that holds it.

options:
  --dir DIR             Jupyter's data folder (default: yours, ${userJupyterDataDir()})
  -h, --help            this text`,
  options: { dir: text("DIR") },
} satisfies CliSpec<Record<string, OptionSpec<unknown>>>;

function main(args: ParsedArgs<typeof KERNEL_INSTALL_CLI.options>): void {
  const dir = installKernelSpec(args.dir ?? userJupyterDataDir());
  console.log(
    `Installed the "${KERNEL_NAME}" kernel spec ("${KERNEL_DISPLAY_NAME}") in ${dir}; it runs each notebook against the checkout that holds it.`,
  );
}

if (require.main === module) void runCli(KERNEL_INSTALL_CLI, main);
