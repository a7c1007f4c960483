import * as fs from "fs";
import * as http from "http";
import * as path from "path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".woff2": "font/woff2",
  ".woff": "font/woff", ".ttf": "font/ttf", ".png": "image/png", ".svg": "image/svg+xml", ".json": "application/json",
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

// npm run site:serve [-- OUT/site PORT]: look at the rendered site in a browser.
if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? path.join(__dirname, "..", "..", "out", "site"));
  if (!fs.existsSync(path.join(dir, "index.html"))) {
    console.error(`site:serve: no index.html in ${dir}; run \`npm run reproduce\` first`);
    process.exit(2);
  }
  void serveFolder(dir, Number(process.argv[3] ?? 8080)).then((s) => console.log(`serving ${dir} at ${s.url}/ (Ctrl-C to stop)`));
}
