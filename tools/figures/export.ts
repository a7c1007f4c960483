// npm run figures [-- OUT] (command line: tools/cli/args): every figure of the executed notebooks in OUT/notebooks (default out/)
// as SVG and PNG in OUT/figures/<notebook>/figure-<k>.{svg,png}, k counting the notebook's figures
// from 1, for papers and slides. Rendered by plotly.js in headless Chromium (tools/figures/static).
import * as fs from "fs";
import * as path from "path";
import { FigureRenderer, figureOutputs, chromiumPath, type PlotlyFigureJson } from "./static";
import { PLOTLY_MIME } from "../../lib/plot/html";
import type { Notebook } from "../runner/notebook";
import { runCli, UsageError, type CliSpec, type OptionSpec, type ParsedArgs } from "../cli/args";

/** The command line of `npm run figures` (tools/cli/args: the rules every CLI shares). */
export const FIGURES_CLI = {
  name: "figures",
  usage: `usage: npm run figures [-- OUT]

Every figure of the executed notebooks in OUT/notebooks (default out/) as SVG and PNG in
OUT/figures/<notebook>/figure-<k>.{svg,png}, rendered by plotly.js in headless Chromium (Debian's
chromium, or CHROMIUM_PATH). Exit 2 when there are no executed notebooks or no Chromium.

options:
  -h, --help            this text`,
  positionals: { name: "output folder", max: 1 },
  options: {},
} satisfies CliSpec<Record<string, OptionSpec<unknown>>>;

async function main(args: ParsedArgs<typeof FIGURES_CLI.options>): Promise<void> {
  const out = path.resolve(args.positionals[0] ?? path.join(__dirname, "..", "..", "out"));
  const nbDir = path.join(out, "notebooks");
  if (!fs.existsSync(nbDir)) throw new UsageError(`no executed notebooks in ${nbDir}; run \`npm run reproduce\` first`);
  if (!chromiumPath())
    throw new UsageError("no Chromium; install Debian's package (apt-get install chromium) or set CHROMIUM_PATH");
  const renderer = await FigureRenderer.open();
  let total = 0;
  try {
    for (const file of fs
      .readdirSync(nbDir)
      .filter((f) => f.endsWith(".ipynb"))
      .sort()) {
      const name = path.basename(file, ".ipynb");
      const nb: Notebook = JSON.parse(fs.readFileSync(path.join(nbDir, file), "utf8"));
      const figs = figureOutputs(nb);
      if (!figs.length) continue;
      const dir = path.join(out, "figures", name);
      fs.mkdirSync(dir, { recursive: true });
      for (const [k, o] of figs.entries()) {
        const fig = o.data![PLOTLY_MIME] as PlotlyFigureJson;
        fs.writeFileSync(path.join(dir, `figure-${k + 1}.svg`), await renderer.render(fig, "svg"));
        fs.writeFileSync(
          path.join(dir, `figure-${k + 1}.png`),
          Buffer.from(await renderer.render(fig, "png"), "base64"),
        );
      }
      total += figs.length;
      console.log(`${name}: ${figs.length} figure(s) in ${dir}`);
    }
  } finally {
    await renderer.close();
  }
  console.log(`figures: ${total} figure(s) as SVG and PNG under ${path.join(out, "figures")}`);
}

if (require.main === module) void runCli(FIGURES_CLI, main);
