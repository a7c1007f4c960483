// npm run test:site [-- OUT]: open every page of the rendered site in headless Chromium and check
// that each Plotly figure drew (an SVG or canvas inside every plot container), that math rendered
// (KaTeX output present on notebook pages, no KaTeX error), and that the console shows no errors.
import * as fs from "fs";
import * as path from "path";
import { chromium } from "playwright-core";
import { serveFolder } from "./serve";
import { CHROMIUM_FLAGS } from "../figures/static";

interface PageResult { page: string; plots: number; drawn: number; math: number; mathErrors: number; consoleErrors: string[]; ok: boolean }

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? path.join(__dirname, "..", "..", "out"));
  const siteDir = path.join(out, "site");
  const executable = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!fs.existsSync(path.join(siteDir, "index.html"))) {
    console.error(`test:site: no site in ${siteDir}; run \`npm run reproduce\` first`);
    process.exit(2);
  }
  if (!fs.existsSync(executable)) {
    console.error(`test:site: no Chromium at ${executable}; install Debian's package (apt-get install chromium) or set CHROMIUM_PATH`);
    process.exit(2);
  }
  const pages = fs.readdirSync(siteDir).filter((f) => f.endsWith(".html")).sort();
  const shots = path.join(out, "site-screenshots");
  fs.mkdirSync(shots, { recursive: true });
  const server = await serveFolder(siteDir);
  const browser = await chromium.launch({ executablePath: executable, args: CHROMIUM_FLAGS, headless: true });
  const results: PageResult[] = [];
  try {
    for (const name of pages) {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const consoleErrors: string[] = [];
      page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
      page.on("pageerror", (e) => consoleErrors.push(String(e)));
      page.on("requestfailed", (r) => consoleErrors.push(`request failed: ${r.url()}`));
      await page.goto(`${server.url}/${name}`, { waitUntil: "load" });
      const plots = await page.locator(".rds-plot").count();
      // Each container must end up holding Plotly's SVG (or a WebGL canvas).
      await page.waitForFunction(() => Array.from(document.querySelectorAll(".rds-plot")).every((el) => el.querySelector("svg.main-svg, canvas")), undefined, { timeout: 20000 }).catch(() => undefined);
      const drawn = await page.evaluate(() => Array.from(document.querySelectorAll(".rds-plot")).filter((el) => el.querySelector("svg.main-svg, canvas")).length);
      const math = await page.locator(".katex").count();
      const mathErrors = await page.locator(".katex-error").count();
      await page.screenshot({ path: path.join(shots, name.replace(/\.html$/, ".png")), fullPage: true });
      const needsMath = /^\d\d-/.test(name); // notebook pages carry math; the index and the errata page need not
      const ok = drawn === plots && mathErrors === 0 && (!needsMath || math > 0) && consoleErrors.length === 0;
      results.push({ page: name, plots, drawn, math, mathErrors, consoleErrors, ok });
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  for (const r of results) {
    console.log(`${r.ok ? "PASS" : "FAIL"}  ${r.page}: figures drawn ${r.drawn}/${r.plots}, math ${r.math} (errors ${r.mathErrors}), console errors ${r.consoleErrors.length}`);
    for (const e of r.consoleErrors) console.log(`      console: ${e}`);
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(`site: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

void main().catch((e) => {
  console.error(`test:site: ${(e as Error).message}`);
  process.exit(1);
});
