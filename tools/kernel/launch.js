#!/usr/bin/env node
// The project's Jupyter kernel: tslab, started with the project root as working directory.
//
// Why: tslab compiles cells with TypeScript's rootDir set to the kernel's cwd, and Jupyter starts
// a kernel in the notebook's folder, so a notebook in notebooks/ could never import ../lib/*.ts.
// Starting from the root, notebooks import "./lib/..." and read "data/..." wherever they live.
// Usage (from a kernel spec): node tools/kernel/launch.js {connection_file}
"use strict";
const path = require("path");

const configPath = process.argv[2];
if (!configPath) {
  console.error("usage: node tools/kernel/launch.js <connection_file>");
  process.exit(2);
}
const root = path.resolve(__dirname, "..", "..");
process.chdir(root);
let tslab;
try {
  tslab = require(path.join(root, "node_modules", "tslab", "dist", "main.js"));
} catch (e) {
  console.error(`tslab is not installed in ${root}: run \`npm install\` there (${e.message})`);
  process.exit(2);
}
tslab.startKernel({ configPath, enableFindLocal: false, jsKernel: false, globalVersion: "" });
