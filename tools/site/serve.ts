import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { integer, runCli, UsageError, type CliSpec, type OptionSpec } from "../cli/args";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

/** A static file server for a folder on 127.0.0.1 (port 0: any free port). Loopback only. */
export async function serveFolder(root: string, port = 0): Promise<{ url: string; close: () => Promise<void> }> {
  const base = path.resolve(root);
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent((req.url ?? "/").split("?")[0]);
    const file = path.resolve(base, "." + (rel.endsWith("/") ? rel + "index.html" : rel));
    if (!file.startsWith(base + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  const addr = server.address() as { port: number };
  return { url: `http://127.0.0.1:${addr.port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/** The port, the second positional (as before the shared parser: no --port option). */
const PORT = integer("PORT", { min: 0, max: 65535 });

/** The command line of `npm run site:serve` (tools/cli/args: the rules every CLI shares). */
export const SERVE_CLI = {
  name: "site:serve",
  usage: `usage: npm run site:serve [-- SITE [PORT]]

Serves the rendered site (SITE, default out/site) at http://127.0.0.1:PORT/ (default 8080; 0 picks
a free port) until Ctrl-C. Exit 2 when SITE holds no index.html.

options:
  -h, --help            this text`,
  positionals: { name: "arguments (SITE and PORT)", max: 2 },
  options: {},
} satisfies CliSpec<Record<string, OptionSpec<unknown>>>;

// npm run site:serve [-- OUT/site [PORT]]: look at the rendered site in a browser.
if (require.main === module) {
  void runCli(SERVE_CLI, async (args) => {
    const dir = path.resolve(args.positionals[0] ?? path.join(__dirname, "..", "..", "out", "site"));
    const port = args.positionals[1] === undefined ? 8080 : PORT.parse(args.positionals[1], "PORT");
    if (!fs.existsSync(path.join(dir, "index.html")))
      throw new UsageError(`no index.html in ${dir}; run \`npm run reproduce\` first`);
    const s = await serveFolder(dir, port);
    console.log(`serving ${dir} at ${s.url}/ (Ctrl-C to stop)`);
  });
}
