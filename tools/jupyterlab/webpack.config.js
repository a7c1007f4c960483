// webpack 5 configuration of the JupyterLab front end (see README.md here).
//
// Build.ensureAssets (from @jupyterlab/builder, JupyterLab's own build tool) copies the extensions'
// settings schemas and themes into build/ and writes build/style.js; the themes get webpack
// configurations of their own, appended below. The bundle is built unminified: it is served from
// this machine, and minifying costs more build time than it saves.
const fs = require("fs");
const path = require("path");
const webpack = require("webpack");
const { Build } = require("@jupyterlab/builder");
const pkg = require("./package.json");

const output = path.join(__dirname, "build");
const { extensions, mimeExtensions } = pkg.jupyterlab;

fs.mkdirSync(output, { recursive: true });
const imports = (names, prefix) =>
  names.map((n, i) => `import * as ${prefix}${i} from ${JSON.stringify(n)};`).join("\n");
fs.writeFileSync(
  path.join(output, "extensions.js"),
  "// Written by webpack.config.js from package.json: the plugin modules of the front end.\n" +
    `${imports(extensions, "e")}\n${imports(mimeExtensions, "m")}\n` +
    `export const extensions = [${extensions.map((_, i) => `e${i}`).join(", ")}];\n` +
    `export const mimeExtensions = [${mimeExtensions.map((_, i) => `m${i}`).join(", ")}];\n`,
);

const assets = Build.ensureAssets({ packageNames: [...extensions, ...mimeExtensions], output });

module.exports = [
  {
    mode: "development",
    devtool: false,
    bail: true,
    entry: ["whatwg-fetch", "./index.js"],
    output: { path: output, filename: "bundle.js", publicPath: "auto", hashFunction: "sha256" },
    module: {
      rules: [
        { test: /\.css$/, use: ["style-loader", "css-loader"] },
        { test: /\.(md|txt)$/, type: "asset/source" },
        { test: /\.(jpg|png|gif)$/, type: "asset/resource" },
        { test: /\.(woff2?|ttf|eot)(\?v=\d+\.\d+\.\d+)?$/, type: "asset/resource" },
        // SVG in CSS becomes a data URI; SVG imported by JavaScript (the LabIcons) is its text.
        { test: /\.svg(\?v=\d+\.\d+\.\d+)?$/, issuer: /\.css$/, type: "asset/inline" },
        { test: /\.svg(\?v=\d+\.\d+\.\d+)?$/, issuer: /\.js$/, type: "asset/source" },
        { test: /\.m?js$/, resolve: { fullySpecified: false } },
      ],
    },
    resolve: {
      fallback: {
        path: require.resolve("path-browserify"),
        process: require.resolve("process/browser"),
        url: false,
        buffer: false,
        crypto: false,
      },
    },
    plugins: [
      new webpack.ProvidePlugin({ process: "process/browser" }),
      new webpack.DefinePlugin({ "process.env": "{}" }),
    ],
    performance: { hints: false },
    stats: "errors-warnings",
  },
].concat(assets);
