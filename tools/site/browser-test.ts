// npm run test:site [-- OUT]: open every page of the rendered site in headless Chromium and check
// that each Plotly figure drew (an SVG or canvas inside every plot container), that math rendered
// (KaTeX output present on notebook pages, no KaTeX error), that the console shows no errors, and
// that every link within the site resolves: the index's link to the API reference and each notebook
// page's links to it (the page exists; an #anchor names an element on it). The API reference's
// page of lyapunovSpectrum is opened too, and photographed.
import * as fs from "fs";
import * as path from "path";
import { chromium } from "playwright-core";
import { serveFolder } from "./serve";
import { CHROMIUM_FLAGS } from "../figures/static";

interface PageResult {
  page: string;
  plots: number;
  drawn: number;
  math: number;
  mathErrors: number;
  consoleErrors: string[];
  links: number;
  apiLinks: number;
  broken: string[];
  ok: boolean;
}

/** The page's links within the site (not external, not data:), resolved against its URL. */
async function siteLinks(page: import("playwright-core").Page, base: string): Promise<string[]> {
  const hrefs = await page.evaluate(() =>
    Array.from(document.querySelectorAll("a[href]")).map((a) => (a as HTMLAnchorElement).href),
  );
  return [...new Set(hrefs.filter((h) => h.startsWith(base + "/")))];
}

const resolved = new Map<string, string | null>();
/** Why a link within the site does not resolve (null when it does): the page is missing, or it has no element with the anchor's id. */
async function brokenReason(url: string): Promise<string | null> {
  if (resolved.has(url)) return resolved.get(url)!;
  const [file, anchor] = url.split("#");
  let reason: string | null = null;
  const r = await fetch(file);
  if (!r.ok) reason = `HTTP ${r.status}`;
  else if (anchor) {
    const html = await r.text();
    if (!html.includes(`id="${anchor}"`) && !html.includes(`name="${anchor}"`)) reason = `no element #${anchor}`;
  }
  resolved.set(url, reason);
  return reason;
}

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? path.join(__dirname, "..", "..", "out"));
  const siteDir = path.join(out, "site");
  const executable = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!fs.existsSync(path.join(siteDir, "index.html"))) {
    console.error(`test:site: no site in ${siteDir}; run \`npm run reproduce\` first`);
    process.exit(2);
  }
  if (!fs.existsSync(executable)) {
    console.error(
      `test:site: no Chromium at ${executable}; install Debian's package (apt-get install chromium) or set CHROMIUM_PATH`,
    );
    process.exit(2);
  }
  const pages = fs
    .readdirSync(siteDir)
    .filter((f) => f.endsWith(".html"))
    .sort();
  const hasApi = fs.existsSync(path.join(siteDir, "api", "index.html"));
  const shots = path.join(out, "site-screenshots");
  fs.mkdirSync(shots, { recursive: true });
  const server = await serveFolder(siteDir);
  const browser = await chromium.launch({ executablePath: executable, args: CHROMIUM_FLAGS, headless: true });
  const results: PageResult[] = [];
  try {
    for (const name of pages) {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const consoleErrors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") consoleErrors.push(m.text());
      });
      page.on("pageerror", (e) => consoleErrors.push(String(e)));
      page.on("requestfailed", (r) => consoleErrors.push(`request failed: ${r.url()}`));
      await page.goto(`${server.url}/${name}`, { waitUntil: "load" });
      const plots = await page.locator(".rds-plot").count();
      // Each container must end up holding Plotly's SVG (or a WebGL canvas).
      await page
        .waitForFunction(
          () =>
            Array.from(document.querySelectorAll(".rds-plot")).every((el) => el.querySelector("svg.main-svg, canvas")),
          undefined,
          { timeout: 20000 },
        )
        .catch(() => undefined);
      const drawn = await page.evaluate(
        () =>
          Array.from(document.querySelectorAll(".rds-plot")).filter((el) => el.querySelector("svg.main-svg, canvas"))
            .length,
      );
      const math = await page.locator(".katex").count();
      const mathErrors = await page.locator(".katex-error").count();
      await page.screenshot({ path: path.join(shots, name.replace(/\.html$/, ".png")), fullPage: true });
      const needsMath = /^\d\d-/.test(name); // notebook pages carry math; the index and the errata page need not
      const links = await siteLinks(page, server.url);
      const apiLinks = links.filter((l) => l.startsWith(`${server.url}/api/`)).length;
      const broken: string[] = [];
      for (const l of links) {
        const why = await brokenReason(l);
        if (why) broken.push(`${l.slice(server.url.length + 1)} (${why})`);
      }
      // The reference, when built, is linked from the index and from every notebook page.
      const needsApi = hasApi && (needsMath || name === "index.html");
      const ok =
        drawn === plots &&
        mathErrors === 0 &&
        (!needsMath || math > 0) &&
        consoleErrors.length === 0 &&
        broken.length === 0 &&
        (!needsApi || apiLinks > 0);
      results.push({
        page: name,
        plots,
        drawn,
        math,
        mathErrors,
        consoleErrors,
        links: links.length,
        apiLinks,
        broken,
        ok,
      });
      await page.close();
    }
    if (hasApi) {
      // One page of the reference in the browser: it renders, with no console error.
      const name = "api/functions/lyapunov.lyapunovSpectrum.html";
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const consoleErrors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") consoleErrors.push(m.text());
      });
      page.on("pageerror", (e) => consoleErrors.push(String(e)));
      page.on("requestfailed", (r) => consoleErrors.push(`request failed: ${r.url()}`));
      page.on("response", (r) => {
        if (r.status() >= 400) consoleErrors.push(`HTTP ${r.status()} ${r.url()}`);
      });
      const response = await page.goto(`${server.url}/${name}`, { waitUntil: "load" });
      const signature = await page.locator(".tsd-signature").count();
      await page.screenshot({ path: path.join(shots, "api-lyapunovSpectrum.png"), fullPage: false });
      const links = await siteLinks(page, server.url);
      const broken: string[] = [];
      for (const l of links) {
        const why = await brokenReason(l);
        if (why) broken.push(`${l.slice(server.url.length + 1)} (${why})`);
      }
      // The header's "Notebooks" link leads back to the site's index, not to the reference's own.
      const back = await page.evaluate(() =>
        Array.from(document.querySelectorAll("a"))
          .filter((a) => a.textContent?.trim() === "Notebooks")
          .map((a) => (a as HTMLAnchorElement).href),
      );
      for (const href of back)
        if (href !== `${server.url}/index.html`)
          broken.push(`"Notebooks" → ${href.slice(server.url.length + 1)} (not the site index)`);
      if (back.length === 0) broken.push(`no "Notebooks" link back to the site`);
      const ok = !!response?.ok() && signature > 0 && consoleErrors.length === 0 && broken.length === 0;
      results.push({
        page: name,
        plots: 0,
        drawn: 0,
        math: 0,
        mathErrors: 0,
        consoleErrors,
        links: links.length,
        apiLinks: links.length,
        broken,
        ok,
      });
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  for (const r of results) {
    console.log(
      `${r.ok ? "PASS" : "FAIL"}  ${r.page}: figures drawn ${r.drawn}/${r.plots}, math ${r.math} (errors ${r.mathErrors}), console errors ${r.consoleErrors.length}, links ${r.links} (to the API reference ${r.apiLinks}), broken ${r.broken.length}`,
    );
    for (const e of r.consoleErrors) console.log(`      console: ${e}`);
    for (const b of r.broken) console.log(`      broken link: ${b}`);
  }
  if (!hasApi) console.log("site: no API reference in the site (npm run api builds it)");
  const failed = results.filter((r) => !r.ok).length;
  console.log(`site: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

void main().catch((e) => {
  console.error(`test:site: ${(e as Error).message}`);
  process.exit(1);
});
