import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ApiLinker, codeHtml, libImports, renderMarkdown } from "../../tools/site/build";
import { relinkNavigation, scanSymbols } from "../../tools/api/build";

const symbols = {
  lyapunovSpectrum: [{ module: "lyapunov", url: "functions/lyapunov.lyapunovSpectrum.html" }],
  matmulInto: [
    { module: "kernels", url: "functions/kernels.matmulInto.html" },
    { module: "nn", url: "functions/nn.matmulInto.html" },
  ],
  Stream: [{ module: "random", url: "classes/random.Stream.html" }],
};

test("a notebook page links the first mention of each library name, in prose or in an import, and no later one", () => {
  const code = `import { lyapunovSpectrum, type TangentSystem } from "./lib/lyapunov";\nimport { matmulInto as mm } from "./lib/nn";\nimport { Stream } from "./lib/random";`;
  const imports = libImports(code);
  assert.deepEqual(
    [...imports],
    [
      ["lyapunovSpectrum", "lyapunov"],
      ["TangentSystem", "lyapunov"],
      ["matmulInto", "nn"],
      ["Stream", "random"],
    ],
  );
  const linker = new ApiLinker(symbols, imports);
  const prose = renderMarkdown(
    "We call `lyapunovSpectrum(system, o)` and again `lyapunovSpectrum`; see [`Stream`](x.html) and `Stream.named`; `notAFunction`.",
    linker,
  );
  assert.equal(prose.match(/class="api"/g)?.length, 2, prose);
  assert.match(
    prose,
    /<a class="api" href="api\/functions\/lyapunov\.lyapunovSpectrum\.html"><code>lyapunovSpectrum\(system, o\)<\/code><\/a> and again <code>lyapunovSpectrum<\/code>/,
  );
  assert.match(prose, /<a href="x.html"><code>Stream<\/code><\/a>/, "no link inside a link");
  assert.match(
    prose,
    /<a class="api" href="api\/classes\/random\.Stream\.html#named"><code>Stream\.named<\/code><\/a>/,
  );
  const html = codeHtml(code, linker);
  assert.equal(html.match(/class="api"/g)?.length, 1, "only matmulInto is still unlinked");
  assert.match(
    html,
    /<a class="api" href="api\/functions\/nn\.matmulInto\.html">matmulInto<\/a> as mm/,
    "the concept the page imports it from",
  );
  assert.match(html, /from &quot;\.\/lib\/lyapunov&quot;/);
});

test("without a reference the page is plain", () => {
  assert.doesNotMatch(renderMarkdown("`lyapunovSpectrum`"), /<a/);
  assert.equal(codeHtml(`import { a } from "./lib/x"; 1 < 2`), `import { a } from &quot;./lib/x&quot;; 1 &lt; 2`);
});

test("the reference's names come from TypeDoc's page names, one entry per concept that documents them", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rds-api-"));
  for (const f of [
    "functions/lyapunov.lyapunovSpectrum.html",
    "functions/kernels.matmulInto.html",
    "functions/nn.matmulInto.html",
    "classes/random.Stream.html",
    "modules/random.html",
  ]) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), "");
  }
  assert.deepEqual(scanSymbols(dir), symbols);
});

test("relinkNavigation: a relative navigation link reaches the site's index from every depth of the reference", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-relink-"));
  try {
    const api = path.join(dir, "site", "api");
    const page = (rel: string) => {
      fs.mkdirSync(path.dirname(path.join(api, rel)), { recursive: true });
      fs.writeFileSync(
        path.join(api, rel),
        `<a href="../index.html" class="tsd-nav-link">Notebooks</a> <a href="../index.html">Notebooks</a> <a href="../index.html">Other</a> <a href="https://x.org/">Home</a>`,
      );
    };
    for (const rel of ["index.html", "functions/lyapunov.lyapunovSpectrum.html", "a/b/deep.html"]) page(rel);
    const n = relinkNavigation(api, { Notebooks: "../index.html", Home: "https://x.org/" });
    assert.equal(n, 4, "two links on each of the two deeper pages");
    const siteIndex = path.join(dir, "site", "index.html");
    for (const rel of ["index.html", "functions/lyapunov.lyapunovSpectrum.html", "a/b/deep.html"]) {
      const html = fs.readFileSync(path.join(api, rel), "utf8");
      const hrefs = [...html.matchAll(/<a href="([^"]+)"[^>]*>Notebooks<\/a>/g)].map((m) => m[1]);
      assert.equal(hrefs.length, 2);
      for (const h of hrefs)
        assert.equal(path.resolve(path.dirname(path.join(api, rel)), h), siteIndex, `${rel}: ${h}`);
      assert.match(html, /<a href="\.\.\/index\.html">Other<\/a>/, "a link of another name is left alone");
      assert.match(html, /<a href="https:\/\/x\.org\/">Home<\/a>/, "an absolute link is left alone");
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
