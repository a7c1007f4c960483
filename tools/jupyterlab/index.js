// The front end: JupyterLab 3.6.8's application with the extensions listed in package.json
// ("jupyterlab": { "extensions", "mimeExtensions" }), bundled by webpack into build/bundle.js.
// webpack.config.js writes build/extensions.js (the imports of those lists) and build/style.js
// (their styles, from @jupyterlab/builder) before it bundles this file.
import { JupyterLab } from "@jupyterlab/application";
import "./build/style.js";
import { extensions, mimeExtensions } from "./build/extensions.js";

window.addEventListener("load", async () => {
  const lab = new JupyterLab({ mimeExtensions });
  lab.registerPluginModules(extensions);
  await lab.start();
  await lab.restored;
  // For the browser test (as JupyterLab's own test tool, Galata, does): the application, and a
  // flag that says it has restored its layout.
  window.jupyterapp = lab;
  document.body.dataset.rdsLabRestored = "true";
});
