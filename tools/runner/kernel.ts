import { ChildProcess, spawn } from "child_process";
import { createHmac, randomBytes, randomUUID } from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as zmq from "zeromq";
import { kernelArgv } from "../kernel/spec";

/**
 * A Jupyter kernel client: starts a tslab kernel process and talks to it over ZeroMQ with the
 * Jupyter messaging protocol (v5.3), the code path JupyterLab and nbclient use. No Python needed.
 *
 * Sockets: shell (DEALER) for execute/kernel_info requests, iopub (SUB) for outputs and status,
 * control (DEALER) for shutdown. Messages are signed with HMAC-SHA256 over the four JSON frames.
 */

export interface NbOutput {
  output_type: "stream" | "display_data" | "execute_result" | "error";
  [key: string]: unknown;
}

export interface ExecuteResult {
  status: "ok" | "error" | "aborted";
  outputs: NbOutput[];
  executionCount: number | null;
  /** For status "error": the exception's name, value and traceback. */
  error?: { ename: string; evalue: string; traceback: string[] };
}

export class KernelError extends Error {
  constructor(
    message: string,
    readonly kind: "start" | "died" | "timeout",
  ) {
    super(message);
  }
}

interface Message {
  header: { msg_id: string; msg_type: string; [k: string]: unknown };
  parent_header: { msg_id?: string; [k: string]: unknown };
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
}

const DELIM = "<IDS|MSG>";

/**
 * The lowest ephemeral port (Linux's ip_local_port_range; 32768 elsewhere). Kernel ports are taken
 * below it: a port the OS hands out for listen(0) is also one it hands out as the source port of an
 * outgoing connection, so a kernel started beside another kernel's clients (the runner runs two at
 * once) could find its port taken between our choosing it and its binding it, and a ZeroMQ client
 * retrying a connection to a port nobody listens on yet can even connect to itself (TCP
 * simultaneous open) and hold that port. tslab then logs "Address already in use" and stays alive
 * with a dead socket: CI once waited 60 s for a kernel_info answer that could never come.
 */
export function ephemeralLow(): number {
  try {
    const low = Number(fs.readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    if (Number.isInteger(low) && low > 2048) return low;
  } catch {
    // not Linux: use the IANA range's start
  }
  return 32768;
}

/** Ports this process has handed out, so that two kernels started at once never share one. */
const handedOut = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/**
 * A port for one kernel socket: random below the ephemeral range (see ephemeralLow), free now,
 * and not handed out before by this process. Randomness here is for collision avoidance between
 * processes, not for results, so Math.random is right.
 */
export async function freePort(): Promise<number> {
  const high = ephemeralLow() - 1;
  const low = Math.max(1024, high - 12000);
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new KernelError(`no free port in ${low}–${high} after 200 tries`, "start");
}

/** How often KernelClient.start tries, with fresh ports each time, before it gives up. */
const START_ATTEMPTS = 3;

/** tslab's log line when a socket could not bind: the kernel lives on but cannot answer. */
const BIND_FAILURE = /EADDRINUSE|Address already in use/;

export interface KernelOptions {
  /** Working directory of the kernel process (the launcher moves to the project root anyway). */
  cwd: string;
  /** Extra environment variables for the kernel process. */
  env?: Record<string, string>;
  /** Command that starts the kernel; "{connection_file}" is replaced. Default: the project kernel spec's argv. */
  argv?: string[];
  /** How long to wait for the kernel to answer kernel_info, ms. Default 60 000. */
  startTimeoutMs?: number;
}

export class KernelClient {
  private proc?: ChildProcess;
  private shell?: zmq.Dealer;
  private control?: zmq.Dealer;
  private iopub?: zmq.Subscriber;
  private key = "";
  private session = randomUUID();
  private connectionFile = "";
  private stderrTail = "";
  private exitInfo: string | null = null;
  /** The process itself has exited (exitInfo may also be set while it lives on, e.g. a bind failure). */
  private procExited = false;
  private exitWaiters: Array<(why: string) => void> = [];
  private iopubHandlers = new Map<string, (m: Message) => void>();
  private shellHandlers = new Map<string, (m: Message) => void>();
  private closed = false;

  /**
   * Start a kernel and wait until it answers. A start that fails (the kernel exits, cannot bind its
   * ports, or does not answer within startTimeoutMs) is retried with fresh ports, up to
   * START_ATTEMPTS times in all; the last failure is thrown as KernelError("start"), with the
   * kernel's output and the earlier attempts' reasons.
   */
  static async start(o: KernelOptions): Promise<KernelClient> {
    const reasons: string[] = [];
    for (let attempt = 1; ; attempt++) {
      const k = new KernelClient();
      try {
        await k.launch(o);
        return k;
      } catch (e) {
        if (!(e instanceof KernelError) || e.kind !== "start") throw e;
        reasons.push(e.message.split("\n")[0]);
        const spawnFailed = /could not start the kernel/.test(e.message);
        if (attempt >= START_ATTEMPTS || spawnFailed) {
          const earlier = reasons.length > 1 ? `\n(${reasons.length} attempts: ${reasons.join("; ")})` : "";
          throw new KernelError(`${e.message}${earlier}`, "start");
        }
      }
    }
  }

  private async launch(o: KernelOptions): Promise<void> {
    this.key = randomBytes(32).toString("hex");
    const ports = {
      shell: await freePort(),
      iopub: await freePort(),
      stdin: await freePort(),
      control: await freePort(),
      hb: await freePort(),
    };
    const conn = {
      shell_port: ports.shell,
      iopub_port: ports.iopub,
      stdin_port: ports.stdin,
      control_port: ports.control,
      hb_port: ports.hb,
      ip: "127.0.0.1",
      key: this.key,
      transport: "tcp",
      signature_scheme: "hmac-sha256",
      kernel_name: "tslab",
    };
    this.connectionFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rds-kernel-")), "connection.json");
    fs.writeFileSync(this.connectionFile, JSON.stringify(conn));

    const argv = (o.argv ?? kernelArgv()).map((a) => (a === "{connection_file}" ? this.connectionFile : a));
    this.proc = spawn(argv[0], argv.slice(1), {
      cwd: o.cwd,
      env: { ...process.env, ...o.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keepTail = (b: Buffer) => {
      this.stderrTail = (this.stderrTail + b.toString()).slice(-4000);
      if (BIND_FAILURE.test(this.stderrTail))
        this.markExited("the kernel could not bind its ports (address already in use)");
    };
    this.proc.stdout?.on("data", keepTail);
    this.proc.stderr?.on("data", keepTail);
    this.proc.on("error", (e) => {
      this.procExited = true;
      this.markExited(`could not start the kernel (${argv[0]}): ${e.message}`);
    });
    this.proc.on("exit", (code, signal) => {
      this.procExited = true;
      this.markExited(`the kernel process exited (code ${code}, signal ${signal})`);
    });

    const url = (p: number) => `tcp://127.0.0.1:${p}`;
    this.shell = new zmq.Dealer({ linger: 0 });
    this.control = new zmq.Dealer({ linger: 0 });
    this.iopub = new zmq.Subscriber({ linger: 0 });
    this.shell.connect(url(ports.shell));
    this.control.connect(url(ports.control));
    this.iopub.connect(url(ports.iopub));
    this.iopub.subscribe();
    void this.pump(this.shell, this.shellHandlers, false);
    void this.pump(this.iopub, this.iopubHandlers, true);

    await this.waitReady(o.startTimeoutMs ?? 60000);
  }

  private markExited(why: string): void {
    if (this.exitInfo !== null) return;
    this.exitInfo = why;
    for (const w of this.exitWaiters.splice(0)) w(why);
  }

  /** Resolve-or-reject helper: rejects when the kernel dies first. */
  private onExit(): Promise<never> {
    return new Promise((_, reject) => {
      const fail = (why: string) =>
        reject(
          new KernelError(
            `${why}${this.stderrTail ? `\n--- kernel output ---\n${this.stderrTail.trim()}` : ""}`,
            "died",
          ),
        );
      if (this.exitInfo !== null) fail(this.exitInfo);
      else this.exitWaiters.push(fail);
    });
  }

  private sign(frames: string[]): string {
    const h = createHmac("sha256", this.key);
    for (const f of frames) h.update(f);
    return h.digest("hex");
  }

  private async send(sock: zmq.Dealer, msgType: string, content: Record<string, unknown>): Promise<string> {
    const msgId = randomUUID();
    const header = {
      msg_id: msgId,
      msg_type: msgType,
      username: "rds-runner",
      session: this.session,
      date: new Date().toISOString(),
      version: "5.3",
    };
    const frames = [JSON.stringify(header), "{}", "{}", JSON.stringify(content)];
    await sock.send([DELIM, this.sign(frames), ...frames]);
    return msgId;
  }

  private async pump(
    sock: zmq.Dealer | zmq.Subscriber,
    handlers: Map<string, (m: Message) => void>,
    isIopub: boolean,
  ): Promise<void> {
    try {
      for await (const raw of sock) {
        const frames = raw.map((b) => b.toString());
        const i = frames.indexOf(DELIM);
        if (i < 0 || frames.length < i + 6) continue;
        const [sig, h, p, md, c] = frames.slice(i + 1, i + 6);
        if (this.sign([h, p, md, c]) !== sig) continue; // not ours or corrupted: ignore as Jupyter does
        const msg: Message = {
          header: JSON.parse(h),
          parent_header: JSON.parse(p),
          metadata: JSON.parse(md),
          content: JSON.parse(c),
        };
        const parent = msg.parent_header.msg_id;
        if (parent && handlers.has(parent)) handlers.get(parent)!(msg);
        else if (isIopub && handlers.has("*")) handlers.get("*")!(msg);
      }
    } catch {
      // socket closed
    }
  }

  /**
   * kernel_info until the kernel answers on shell AND its status reaches us on iopub: only then is
   * the SUB subscription live, so no output of the first cell can be lost.
   */
  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exitInfo !== null) break;
      const ok = await Promise.race([this.kernelInfoOnce(1000), this.onExit().catch(() => false)]);
      if (ok) return;
    }
    const why = this.exitInfo ?? `no answer to kernel_info within ${timeoutMs / 1000} s`;
    await this.shutdown();
    throw new KernelError(
      `the tslab kernel did not start: ${why}${this.stderrTail ? `\n${this.stderrTail.trim()}` : ""}`,
      "start",
    );
  }

  private async kernelInfoOnce(waitMs: number): Promise<boolean> {
    let gotReply = false,
      gotStatus = false;
    const msgId = await this.send(this.shell!, "kernel_info_request", {});
    const done = new Promise<boolean>((resolve) => {
      const check = () => gotReply && gotStatus && resolve(true);
      this.shellHandlers.set(msgId, () => {
        gotReply = true;
        check();
      });
      this.iopubHandlers.set(msgId, (m) => {
        if (m.header.msg_type === "status") {
          gotStatus = true;
          check();
        }
      });
      setTimeout(() => resolve(false), waitMs);
    });
    const ok = await done;
    this.shellHandlers.delete(msgId);
    this.iopubHandlers.delete(msgId);
    return ok;
  }

  /**
   * Execute one cell and collect its outputs in nbformat v4 shape. Rejects with KernelError
   * "timeout" after timeoutMs (the kernel is then unusable: the caller shuts it down) and
   * "died" when the kernel process exits.
   */
  async execute(code: string, timeoutMs: number): Promise<ExecuteResult> {
    if (this.exitInfo !== null) throw new KernelError(this.exitInfo, "died");
    const outputs: NbOutput[] = [];
    const displayIndex = new Map<string, number[]>();
    let clearPending = false;
    let reply: Message | undefined;
    let idle = false;
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((r) => (finish = r));

    const addOutput = (o: NbOutput) => {
      if (clearPending) {
        outputs.length = 0;
        displayIndex.clear();
        clearPending = false;
      }
      const last = outputs[outputs.length - 1];
      if (o.output_type === "stream" && last?.output_type === "stream" && last.name === o.name) {
        last.text = String(last.text) + String(o.text);
        return;
      }
      outputs.push(o);
    };

    const msgId = await this.send(this.shell!, "execute_request", {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
    this.shellHandlers.set(msgId, (m) => {
      if (m.header.msg_type === "execute_reply") {
        reply = m;
        if (idle) finish();
      }
    });
    this.iopubHandlers.set(msgId, (m) => {
      const c = m.content;
      switch (m.header.msg_type) {
        case "status":
          if (c.execution_state === "idle") {
            idle = true;
            if (reply) finish();
          }
          break;
        case "stream":
          addOutput({ output_type: "stream", name: c.name, text: c.text });
          break;
        case "display_data": {
          addOutput({ output_type: "display_data", data: c.data, metadata: c.metadata ?? {} });
          const id = (c.transient as { display_id?: string } | undefined)?.display_id;
          if (id) displayIndex.set(id, [...(displayIndex.get(id) ?? []), outputs.length - 1]);
          break;
        }
        case "update_display_data": {
          const id = (c.transient as { display_id?: string } | undefined)?.display_id;
          for (const k of (id && displayIndex.get(id)) || [])
            outputs[k] = { output_type: "display_data", data: c.data, metadata: c.metadata ?? {} };
          break;
        }
        case "execute_result":
          addOutput({
            output_type: "execute_result",
            execution_count: c.execution_count,
            data: c.data,
            metadata: c.metadata ?? {},
          });
          break;
        case "error":
          addOutput({ output_type: "error", ename: c.ename, evalue: c.evalue, traceback: c.traceback });
          break;
        case "clear_output":
          if (c.wait) clearPending = true;
          else {
            outputs.length = 0;
            displayIndex.clear();
          }
          break;
      }
    });

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new KernelError(`cell did not finish within ${timeoutMs / 1000} s`, "timeout")),
        timeoutMs,
      );
    });
    try {
      await Promise.race([finished, timeout, this.onExit()]);
    } finally {
      clearTimeout(timer);
      this.shellHandlers.delete(msgId);
      this.iopubHandlers.delete(msgId);
    }
    const rc = reply!.content;
    const status = rc.status as ExecuteResult["status"];
    const result: ExecuteResult = { status, outputs, executionCount: (rc.execution_count as number) ?? null };
    if (status === "error") {
      result.error = {
        ename: String(rc.ename ?? "Error"),
        evalue: String(rc.evalue ?? ""),
        traceback: (rc.traceback as string[]) ?? [],
      };
    }
    return result;
  }

  /** Ask the kernel to shut down, then make sure the process is gone. Idempotent. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.exitInfo === null && this.control) {
      try {
        await Promise.race([this.send(this.control, "shutdown_request", { restart: false }), delay(500)]);
      } catch {
        // fall through to kill
      }
      const exited = new Promise<void>((r) => (this.exitInfo !== null ? r() : this.exitWaiters.push(() => r())));
      await Promise.race([exited, delay(2000)]);
    }
    if (!this.procExited) this.proc?.kill("SIGKILL");
    for (const s of [this.shell, this.control, this.iopub]) s?.close();
    fs.rmSync(path.dirname(this.connectionFile), { recursive: true, force: true });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
