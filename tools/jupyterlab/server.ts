// JupyterLab 3.6.8, built here from its npm packages (package.json in this folder), served by a
// Python that has jupyter-server and jupyterlab-server (Debian's python3-jupyter-server 1.23 and
// python3-jupyterlab-server 2.16): where each piece is, the build, and the server's start and stop.
import { spawn, spawnSync, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";

export const LAB_DIR = __dirname;
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
/** The JupyterLab release the front end is built from (package.json here pins every package to it). */
export const LAB_VERSION: string = JSON.parse(fs.readFileSync(path.join(LAB_DIR, "package.json"), "utf8")).dependencies[
  "@jupyterlab/application"
];
const BUNDLE = path.join(LAB_DIR, "build", "bundle.js");

/**
 * The Python that can serve the front end: $JUPYTER_PYTHON if set (and nothing else), otherwise the
 * first of `python3` on the PATH and Debian's /usr/bin/python3 that imports jupyter_server and
 * jupyterlab_server. Undefined when none does.
 */
export function labPython(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = env.JUPYTER_PYTHON ? [env.JUPYTER_PYTHON] : ["python3", "/usr/bin/python3"];
  for (const py of candidates) {
    const r = spawnSync(py, ["-c", "import jupyter_server, jupyterlab_server"], { stdio: "ignore", env });
    if (r.status === 0) return py;
  }
  return undefined;
}

/** Whether build/bundle.js exists (`npm run lab:build` makes it). */
export function frontEndBuilt(): boolean {
  return fs.existsSync(BUNDLE);
}

/**
 * `npm ci` and `npm run build` in tools/jupyterlab (about 20 s and 20–40 s on 2 cores; the
 * packages come from the npm registry or npm's cache). Throws when either fails.
 */
export function buildFrontEnd(log: (s: string) => void = (s) => console.error(s)): void {
  for (const args of [
    ["ci", "--no-audit", "--no-fund"],
    ["run", "build"],
  ]) {
    log(`lab: npm ${args.join(" ")} in ${path.relative(PROJECT_ROOT, LAB_DIR)}`);
    const r = spawnSync("npm", args, { cwd: LAB_DIR, stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0) throw new Error(`npm ${args.join(" ")} in ${LAB_DIR} failed (exit ${r.status})`);
  }
}

/** A free port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface LabServerOptions {
  python: string;
  /** The folder the server shows (its root); notebooks open by their path under it. */
  rootDir: string;
  /** Where the user's settings, workspaces, checkpoints and the server's runtime files go. */
  stateDir: string;
  /** Extra Jupyter data folders (the project's kernel spec), put before the user's in JUPYTER_PATH. */
  jupyterPath?: string[];
  port?: number;
  /** The server's token ("" for none: then it must listen on loopback only, which it does). */
  token?: string;
  openBrowser?: boolean;
  /** Keep notebook signatures in memory only: every server started anew trusts nothing. */
  forgetTrust?: boolean;
  /** Extra environment for the server and its kernels (e.g. RDS_MODE). */
  env?: Record<string, string>;
  /** Where the server's log goes ("inherit": this terminal). */
  log?: "inherit" | string;
}

/** The argv of the server (after the Python): rds_lab.py with the ServerApp's options. */
export function labServerArgs(o: LabServerOptions): string[] {
  const args = [
    path.join(LAB_DIR, "rds_lab.py"),
    `--ServerApp.root_dir=${o.rootDir}`,
    "--ServerApp.ip=127.0.0.1",
    `--ServerApp.open_browser=${o.openBrowser ? "True" : "False"}`,
    // Checkpoints would otherwise go to .ipynb_checkpoints beside each notebook (notebooks/ stays untouched).
    `--FileCheckpoints.checkpoint_dir=${path.join(o.stateDir, "checkpoints")}`,
    `--RdsLab.user_settings_dir=${path.join(o.stateDir, "user-settings")}`,
    `--RdsLab.workspaces_dir=${path.join(o.stateDir, "workspaces")}`,
  ];
  if (o.port !== undefined) args.push(`--ServerApp.port=${o.port}`, "--ServerApp.port_retries=0");
  if (o.token !== undefined) args.push(`--ServerApp.token=${o.token}`);
  if (o.forgetTrust) args.push("--NotebookNotary.db_file=:memory:");
  // jupyter-server refuses to run as root unless told; CI and containers run as root.
  if (typeof process.getuid === "function" && process.getuid() === 0) args.push("--ServerApp.allow_root=True");
  return args;
}

/** The environment of the server: JUPYTER_PATH with the project's kernel spec, runtime files under stateDir. */
export function labServerEnv(o: LabServerOptions): NodeJS.ProcessEnv {
  const jupyterPath = [...(o.jupyterPath ?? []), ...(process.env.JUPYTER_PATH ? [process.env.JUPYTER_PATH] : [])].join(
    path.delimiter,
  );
  return {
    ...process.env,
    ...(jupyterPath ? { JUPYTER_PATH: jupyterPath } : {}),
    JUPYTER_RUNTIME_DIR: path.join(o.stateDir, "runtime"),
    ...o.env,
  };
}

export interface LabServer {
  url: string;
  token: string;
  process: ChildProcess;
  /** Shuts down the server's kernels through its API, then the server. */
  stop(): Promise<void>;
}

/**
 * Starts the server and waits until its API answers (at most `timeoutMs`, default 60 s).
 * Errors: the server's exit or the timeout, with the end of its log.
 */
export async function startLabServer(
  o: LabServerOptions & { port: number; token: string; log: string },
  timeoutMs = 60000,
): Promise<LabServer> {
  fs.mkdirSync(o.stateDir, { recursive: true });
  const logFd = fs.openSync(o.log, "a");
  const child = spawn(o.python, labServerArgs(o), {
    cwd: o.rootDir,
    env: labServerEnv(o),
    stdio: ["ignore", logFd, logFd],
  });
  fs.closeSync(logFd);
  const url = `http://127.0.0.1:${o.port}`;
  const api = (p: string, init?: RequestInit) =>
    fetch(`${url}${p}${p.includes("?") ? "&" : "?"}token=${o.token}`, init);
  let exited: number | null | undefined;
  child.on("exit", (code) => {
    exited = code;
  });
  const tail = () => fs.readFileSync(o.log, "utf8").split("\n").slice(-15).join("\n");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== undefined) throw new Error(`the JupyterLab server exited (${exited}) before answering:\n${tail()}`);
    try {
      if ((await api("/api/status")).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`the JupyterLab server did not answer within ${timeoutMs / 1000} s:\n${tail()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    token: o.token,
    process: child,
    async stop() {
      try {
        const kernels = (await (await api("/api/kernels")).json()) as { id: string }[];
        await Promise.all(kernels.map((k) => api(`/api/kernels/${k.id}`, { method: "DELETE" })));
      } catch {
        /* the server is gone already */
      }
      if (exited !== undefined) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill("SIGKILL"), 15000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      });
    },
  };
}
