// npm run kernel:install [-- --dir DATA_DIR]: register the project's tslab kernel with Jupyter.
import { installKernelSpec, KERNEL_DISPLAY_NAME, KERNEL_NAME, userJupyterDataDir } from "./spec";

const args = process.argv.slice(2);
let dataDir = userJupyterDataDir();
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--dir" && args[i + 1]) dataDir = args[++i];
  else {
    console.error(`kernel:install: unknown option "${args[i]}" (usage: npm run kernel:install [-- --dir JUPYTER_DATA_DIR])`);
    process.exit(2);
  }
}
const dir = installKernelSpec(dataDir);
console.log(`Installed the "${KERNEL_NAME}" kernel spec ("${KERNEL_DISPLAY_NAME}") in ${dir}; it runs each notebook against the checkout that holds it.`);
