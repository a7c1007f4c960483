// npm run lab:build: install and build the JupyterLab front end in tools/jupyterlab (its own
// package.json and lockfile, so the project's own install stays light).
import { buildFrontEnd } from "./server";

try {
  buildFrontEnd((s) => console.log(s));
} catch (e) {
  console.error(`lab:build: ${(e as Error).message}`);
  process.exit(1);
}
