/* eslint-disable @typescript-eslint/no-explicit-any -- the page's JupyterLab objects are reached through window inside page.evaluate, where no types exist */
// npm run test:lab [-- NN NN …]: the notebooks in JupyterLab, in headless Chromium (default: 03 and 12).
//
// JupyterLab 3.6.8 (built in this folder from its npm packages) runs on Debian's jupyter-server with
// the project's kernel, in quick mode. For each notebook, a copy in out/lab/notebooks/ is opened and
// every cell run (JupyterLab's "Run All Cells"); then the test checks that every code cell finished
// without an error, that every Plotly figure drew interactively (Plotly's SVG inside each plot
// container: the figure's own script ran, as it does in a trusted notebook), that the verdict table
// rendered, and that the browser's console shows no error. The notebook is saved.
//
// Then the executed notebook gets its static figure images, as `npm run reproduce` gives every
// executed notebook (tools/figures), and is reopened in a new server that has never signed it, as
// a reader who receives it opens it: untrusted. There the figures' scripts must not run, and every
// figure must show its static PNG; the verdict table still renders.
//
// Screenshots: out/lab/NN-interactive.png (the first figure), NN-verdicts.png, NN-untrusted.png.
// Exit 0 when everything passes, 1 otherwise, 2 when something it needs is missing.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_FLAGS, FigureRenderer, addStaticImages, chromiumPath } from "../figures/static";
import { installKernelSpec } from "../kernel/spec";
import type { Notebook } from "../runner/notebook";
import {
  LAB_VERSION,
  PROJECT_ROOT,
  freePort,
  frontEndBuilt,
  labPython,
  startLabServer,
  type LabServer,
} from "./server";

const OUT = path.join(PROJECT_ROOT, "out", "lab");
const COPIES = path.join(OUT, "notebooks");
const STATE = path.join(OUT, "state");
const NOTEBOOK_TIMEOUT_MS = 20 * 60 * 1000;
const PLOTLY_MIME = "application/vnd.plotly.v1+json";
const VERDICT_MIME = "application/vnd.rds.verdicts+json";

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** What the page reports about the open notebook while it runs. */
interface RunState {
  kernel: string;
  total: number;
  done: number;
  errors: string[];
}

function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
  // The console says only "404 (Not Found)"; name the resource.
  page.on("response", (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url().replace(/token=[0-9a-f]+/, "token=…")}`);
  });
  return errors;
}

/** Opens a notebook in its own workspace (so no other document is restored beside it) and waits for JupyterLab. */
async function openNotebook(
  page: Page,
  server: LabServer,
  file: string,
  workspace: string,
  needKernel: boolean,
): Promise<void> {
  const rel = path.relative(PROJECT_ROOT, path.join(COPIES, file)).split(path.sep).join("/");
  await page.goto(`${server.url}/lab/workspaces/${workspace}/tree/${rel}?token=${server.token}`, { waitUntil: "load" });
  await page.waitForFunction(() => document.body.dataset.rdsLabRestored === "true", undefined, { timeout: 120000 });
  await page.waitForFunction(
    (kernel) => {
      const w = (window as any).jupyterapp.shell.currentWidget;
      if (!w || !w.context || !w.context.isReady || !w.content) return false;
      return !kernel || w.sessionContext?.session?.kernel?.status === "idle";
    },
    needKernel,
    { timeout: 180000, polling: 500 },
  );
}

async function runState(page: Page): Promise<RunState> {
  return page.evaluate(() => {
    const w = (window as any).jupyterapp.shell.currentWidget;
    const cells = w.content.widgets.filter((c: any) => c.model.type === "code");
    const errors: string[] = [];
    cells.forEach((c: any, i: number) => {
      for (const o of c.model.outputs.toJSON())
        if (o.output_type === "error") errors.push(`code cell ${i + 1}: ${o.ename}: ${o.evalue}`);
    });
    return {
      kernel: w.sessionContext?.session?.kernel?.status ?? "none",
      total: cells.length,
      done: cells.filter((c: any) => c.model.executionCount !== null).length,
      errors,
    };
  });
}

/** Counts of the figure and verdict outputs in the notebook's model, and what the page shows of them. */
async function outputsShown(page: Page): Promise<{
  figures: number;
  plots: number;
  drawn: number;
  images: number;
  imagesLoaded: number;
  verdictOutputs: number;
  verdictRows: number;
}> {
  return page.evaluate(
    ([plotly, verdict]) => {
      const w = (window as any).jupyterapp.shell.currentWidget;
      let figures = 0,
        verdictOutputs = 0;
      for (const c of w.content.widgets) {
        if (c.model.type !== "code") continue;
        for (const o of c.model.outputs.toJSON()) {
          if (o.data?.[plotly]) figures++;
          if (o.data?.[verdict]) verdictOutputs++;
        }
      }
      const node: HTMLElement = w.node;
      const plots = Array.from(node.querySelectorAll(".rds-plot"));
      const images = Array.from(node.querySelectorAll(".jp-OutputArea-output img")) as HTMLImageElement[];
      const pngs = images.filter((im) => im.src.startsWith("data:image/png"));
      return {
        figures,
        plots: plots.length,
        drawn: plots.filter((el) => el.querySelector("svg.main-svg, canvas")).length,
        images: pngs.length,
        imagesLoaded: pngs.filter((im) => im.complete && im.naturalWidth > 0).length,
        verdictOutputs,
        verdictRows: node.querySelectorAll("table.rds-verdicts tbody tr").length,
      };
    },
    [PLOTLY_MIME, VERDICT_MIME] as const,
  );
}

/**
 * Waits (at most 90 s) until MathJax has typeset every markdown cell: its queue is idle and no
 * rendered markdown still shows a raw $…$. Returns the count of typeset formulas and of raw ones left.
 */
async function mathTypeset(page: Page): Promise<{ typeset: number; raw: number }> {
  const state = () =>
    page.evaluate(() => {
      const hub = (window as any).MathJax?.Hub;
      const idle = !!hub && hub.queue.pending === 0 && !hub.queue.running;
      const raw = Array.from(document.querySelectorAll(".jp-RenderedMarkdown")).filter((el) =>
        /\$[^$\n]+\$/.test((el as HTMLElement).innerText),
      ).length;
      return { idle, raw, typeset: document.querySelectorAll(".jp-RenderedMarkdown .MathJax_CHTML").length };
    });
  const deadline = Date.now() + 90000;
  let s = await state();
  while (!(s.idle && s.raw === 0) && Date.now() < deadline) {
    await page.waitForTimeout(500);
    s = await state();
  }
  return { typeset: s.typeset, raw: s.raw };
}

async function shoot(page: Page, selector: string, file: string): Promise<string> {
  await page.evaluate((sel) => document.querySelector(sel)?.scrollIntoView({ block: "start" }), selector);
  await page.waitForTimeout(500);
  const target = path.join(OUT, file);
  await page.screenshot({ path: target });
  return path.relative(PROJECT_ROOT, target);
}

const nbPrefix = (file: string) => file.slice(0, 2);

async function interactive(browser: Browser, server: LabServer, file: string): Promise<Check[]> {
  const nn = nbPrefix(file);
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const consoleErrors = watchConsole(page);
  const started = Date.now();
  const checks: Check[] = [];
  try {
    await openNotebook(page, server, file, `run-${nn}`, true);
    await page.evaluate(() => {
      void (window as any).jupyterapp.commands.execute("notebook:run-all-cells");
    });
    let state = await runState(page);
    let lastReport = 0;
    for (;;) {
      await page.waitForTimeout(1000);
      state = await runState(page);
      if (state.kernel === "idle" && (state.done === state.total || state.errors.length > 0)) {
        // "idle" can come between two cells: confirm it a moment later.
        await page.waitForTimeout(1500);
        const again = await runState(page);
        if (again.kernel === "idle" && again.done === state.done) break;
        state = again;
      }
      if (state.kernel === "dead") break;
      if (Date.now() - started > NOTEBOOK_TIMEOUT_MS) {
        state.errors.push(`timed out after ${NOTEBOOK_TIMEOUT_MS / 60000} min`);
        break;
      }
      if (Date.now() - lastReport > 30000) {
        lastReport = Date.now();
        process.stderr.write(
          `  ${file}: ${state.done}/${state.total} code cells, ${Math.round((Date.now() - started) / 1000)} s\n`,
        );
      }
    }
    const seconds = Math.round((Date.now() - started) / 1000);
    checks.push({
      name: "every cell finishes",
      ok: state.done === state.total && state.errors.length === 0 && state.kernel === "idle",
      detail: `${state.done}/${state.total} code cells in ${seconds} s, kernel ${state.kernel}${state.errors.length ? `; ${state.errors.join("; ")}` : ""}`,
    });

    // Plotly draws after its script runs: give the last figures a moment.
    await page
      .waitForFunction(
        () => {
          const w = (window as any).jupyterapp.shell.currentWidget;
          return Array.from(w.node.querySelectorAll(".rds-plot")).every((el: any) =>
            el.querySelector("svg.main-svg, canvas"),
          );
        },
        undefined,
        { timeout: 30000 },
      )
      .catch(() => undefined);
    const shown = await outputsShown(page);
    checks.push({
      name: "every Plotly figure draws",
      ok: shown.figures > 0 && shown.plots === shown.figures && shown.drawn === shown.figures,
      detail: `${shown.drawn} of ${shown.figures} figures drawn by Plotly (${shown.plots} plot containers)`,
    });
    checks.push({
      name: "the verdict table renders",
      ok: shown.verdictOutputs === 1 && shown.verdictRows > 0,
      detail: `${shown.verdictRows} verdict rows`,
    });
    const math = await mathTypeset(page);
    checks.push({
      name: "MathJax typesets the markdown",
      ok: math.typeset > 0 && math.raw === 0,
      detail: `${math.typeset} formulas typeset, ${math.raw} markdown cells with raw $…$ left`,
    });
    const shots = [
      await shoot(page, ".rds-plot", `${nn}-interactive.png`),
      await shoot(page, "table.rds-verdicts", `${nn}-verdicts.png`),
    ];

    await page.evaluate(() => (window as any).jupyterapp.commands.execute("docmanager:save"));
    await page.waitForFunction(() => !(window as any).jupyterapp.shell.currentWidget.context.model.dirty, undefined, {
      timeout: 60000,
    });
    checks.push({
      name: "the console shows no error",
      ok: consoleErrors.length === 0,
      detail: consoleErrors.length ? consoleErrors.slice(0, 5).join(" | ") : `none; screenshots ${shots.join(", ")}`,
    });
  } catch (e) {
    checks.push({ name: "JupyterLab ran the notebook", ok: false, detail: (e as Error).message.split("\n")[0] });
  } finally {
    await page.close();
  }
  return checks;
}

async function untrusted(browser: Browser, server: LabServer, file: string): Promise<Check[]> {
  const nn = nbPrefix(file);
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const consoleErrors = watchConsole(page);
  const checks: Check[] = [];
  try {
    await openNotebook(page, server, file, `untrusted-${nn}`, false);
    const trust = await page.evaluate(() => {
      const w = (window as any).jupyterapp.shell.currentWidget;
      const cells = w.content.widgets.filter((c: any) => c.model.type === "code" && c.model.outputs.length > 0);
      return { withOutputs: cells.length, trusted: cells.filter((c: any) => c.model.trusted).length };
    });
    checks.push({
      name: "the notebook opens untrusted",
      ok: trust.withOutputs > 0 && trust.trusted === 0,
      detail: `${trust.trusted} of ${trust.withOutputs} cells with outputs trusted`,
    });
    await page
      .waitForFunction(
        () => {
          const imgs = Array.from(document.querySelectorAll(".jp-OutputArea-output img")) as HTMLImageElement[];
          return imgs.length > 0 && imgs.every((im) => im.complete);
        },
        undefined,
        { timeout: 30000 },
      )
      .catch(() => undefined);
    await page.waitForTimeout(1000); // time for a script that should not run to draw anyway
    const shown = await outputsShown(page);
    checks.push({
      name: "every figure shows its static PNG, no script runs",
      ok: shown.figures > 0 && shown.imagesLoaded === shown.figures && shown.drawn === 0,
      detail: `${shown.imagesLoaded} of ${shown.figures} static PNGs shown, ${shown.drawn} figures drawn by scripts`,
    });
    checks.push({
      name: "the verdict table renders",
      ok: shown.verdictRows > 0,
      detail: `${shown.verdictRows} verdict rows`,
    });
    const math = await mathTypeset(page);
    checks.push({
      name: "MathJax typesets the markdown",
      ok: math.typeset > 0 && math.raw === 0,
      detail: `${math.typeset} formulas typeset, ${math.raw} markdown cells with raw $…$ left`,
    });
    const shot = await shoot(page, ".jp-OutputArea-output img", `${nn}-untrusted.png`);
    checks.push({
      name: "the console shows no error",
      ok: consoleErrors.length === 0,
      detail: consoleErrors.length ? consoleErrors.slice(0, 5).join(" | ") : `none; screenshot ${shot}`,
    });
  } catch (e) {
    checks.push({ name: "JupyterLab opened the notebook", ok: false, detail: (e as Error).message.split("\n")[0] });
  } finally {
    await page.close();
  }
  return checks;
}

async function startServer(python: string, log: string): Promise<LabServer> {
  return startLabServer({
    python,
    rootDir: PROJECT_ROOT,
    stateDir: STATE,
    jupyterPath: [path.join(STATE, "jupyter")],
    port: await freePort(),
    token: crypto.randomBytes(16).toString("hex"),
    forgetTrust: true,
    env: { RDS_MODE: "quick", JUPYTER_NO_CONFIG: "1" },
    log,
  });
}

async function main(): Promise<number> {
  const prefixes = process.argv.slice(2).length ? process.argv.slice(2) : ["03", "12"];
  const executable = chromiumPath();
  const python = labPython();
  const missing: string[] = [];
  if (!executable) missing.push("Chromium (apt-get install chromium, or set CHROMIUM_PATH)");
  if (!python)
    missing.push(
      "a Python with jupyter-server and jupyterlab-server (apt-get install python3-jupyter-server python3-jupyterlab-server, or set JUPYTER_PYTHON)",
    );
  if (!frontEndBuilt()) missing.push("the JupyterLab front end (npm run lab:build)");
  if (missing.length) {
    console.error(`test:lab: missing ${missing.join("; ")}`);
    return 2;
  }
  const sources = fs.readdirSync(path.join(PROJECT_ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb"));
  const files = prefixes.map((p) => {
    const f = sources.find((s) => s.startsWith(p));
    if (!f)
      throw new RangeError(
        `test:lab: no notebook starts with "${p}" (notebooks: ${sources.map((s) => s.slice(0, 2)).join(", ")})`,
      );
    return f;
  });

  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(COPIES, { recursive: true });
  installKernelSpec(path.join(STATE, "jupyter"));
  for (const f of files) fs.copyFileSync(path.join(PROJECT_ROOT, "notebooks", f), path.join(COPIES, f));
  console.log(
    `JupyterLab ${LAB_VERSION} (built from npm) on ${python}'s jupyter-server, notebooks ${prefixes.join(", ")} in quick mode; log in ${path.relative(PROJECT_ROOT, OUT)}/server.log`,
  );

  const results: { label: string; checks: Check[] }[] = [];
  const browser = await chromium.launch({ executablePath: executable, args: CHROMIUM_FLAGS, headless: true });
  try {
    let server = await startServer(python!, path.join(OUT, "server.log"));
    try {
      for (const f of files)
        results.push({ label: `${nbPrefix(f)} run in JupyterLab`, checks: await interactive(browser, server, f) });
    } finally {
      await server.stop();
    }
    // The executed notebooks get their static figure images, as the runner gives every executed notebook.
    const renderer = await FigureRenderer.open(executable);
    try {
      for (const f of files) {
        const file = path.join(COPIES, f);
        const nb: Notebook = JSON.parse(fs.readFileSync(file, "utf8"));
        await addStaticImages(nb, renderer);
        fs.writeFileSync(file, JSON.stringify(nb, null, 1) + "\n");
      }
    } finally {
      await renderer.close();
    }
    server = await startServer(python!, path.join(OUT, "server-untrusted.log"));
    try {
      for (const f of files)
        results.push({ label: `${nbPrefix(f)} reopened untrusted`, checks: await untrusted(browser, server, f) });
    } finally {
      await server.stop();
    }
  } finally {
    await browser.close();
  }

  let passed = 0,
    failed = 0;
  for (const r of results) {
    for (const c of r.checks) {
      console.log(`${c.ok ? "PASS" : "FAIL"}  ${r.label}: ${c.name} (${c.detail})`);
      if (c.ok) passed++;
      else failed++;
    }
  }
  console.log(`lab: ${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`test:lab: ${(e as Error).message}`);
    process.exit(e instanceof RangeError ? 2 : 1);
  },
);
