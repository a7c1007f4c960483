// ESLint (flat config) with typescript-eslint for the TypeScript sources; Prettier owns the layout,
// so eslint-config-prettier switches off every stylistic rule that would disagree with it.
// wasm/ is AssemblyScript: a TypeScript dialect (decorators on functions, i32 and v128 types) that
// neither TypeScript parser accepts, so both tools leave it out.
// Run: npm run lint (ESLint, then prettier --check). Fix the layout with npm run format.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";
import globals from "globals";

export default tseslint.config(
  {
    ignores: [
      "out/**",
      "dist/**",
      "**/node_modules/**",
      "tools/jupyterlab/lib/**",
      "tools/jupyterlab/labextension/**",
      "wasm/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // An unused name is an error, except one that says it is unused on purpose (leading _).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      // Rethrown errors carry the caught error's message in their own; Error's `cause` option needs
      // the ES2022 library, and the project compiles against ES2020 (tsconfig's lib).
      "preserve-caught-error": "off",
    },
  },
  {
    // Reference values are quoted with every digit their tables give, more than a double holds.
    files: ["test/**/*.ts"],
    rules: { "no-loss-of-precision": "off" },
  },
  {
    // CommonJS files: require is how they import.
    files: ["**/*.cjs", "tools/kernel/launch.js", "tools/jupyterlab/webpack.config.js"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // The JupyterLab extension runs in the browser.
    files: ["tools/jupyterlab/**/*.js"],
    languageOptions: { globals: { ...globals.browser } },
  },
  prettier,
);
