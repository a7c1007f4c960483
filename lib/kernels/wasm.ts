import * as fs from "fs";
import * as path from "path";
import { isMainThread } from "worker_threads";

/**
 * The project's WebAssembly kernels (lib/kernels/kernels.wasm, compiled from wasm/*.ts by
 * `npm run build:wasm`, which `npm install`/`npm ci` run through `prepare`): one module, one linear
 * memory shared by the kernels, so no kernel is re-entrant (JS is single-threaded per worker, and
 * each worker thread loads its own instance).
 */
export interface Kernel {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  /** C = A·B at byte offsets a, b, c (wasm/matmul.ts). */
  matmul: (a: number, b: number, c: number, m: number, k: number, n: number) => void;
  /** C += A·B at byte offsets a, b, c (wasm/matmul.ts). */
  matmulAdd: (a: number, b: number, c: number, m: number, k: number, n: number) => void;
  /** C += L·B where a holds Lᵀ (k×m row-major), at byte offsets a, b, c (wasm/matmul.ts). */
  matmulAddTransposed: (a: number, b: number, c: number, m: number, k: number, n: number) => void;
  /** The causal-attention kernels of wasm/attention.ts (see lib/kernels/attention.ts for their JS references). */
  causalScores: (
    x: number,
    y: number,
    p: number,
    yT: number,
    B: number,
    T: number,
    H: number,
    s: number,
    scale: number,
  ) => void;
  causalTimes: (p: number, y: number, o: number, B: number, T: number, H: number, s: number) => void;
  causalTransposeTimes: (p: number, x: number, o: number, B: number, T: number, H: number, s: number) => void;
  /** GELU value and slope from the series table at byte offset `table` (wasm/gelu.ts); returns the count of entries outside (−8, 8) left unwritten. */
  gelu: (u: number, value: number, slope: number, n: number, table: number) => number;
  /** The row-and-column element-wise kernels of wasm/rows.ts (see lib/kernels/rows.ts for their JS references). */
  columnSums: (x: number, acc: number, R: number, n: number) => void;
  scaledColumnSums: (x: number, s: number, acc: number, R: number, n: number) => void;
  addBiasedRows: (x: number, y: number, b: number, R: number, n: number) => void;
  /** The layer norm's forward and backward passes over [R, d] rows (wasm/layernorm.ts; JS references in lib/kernels/layernorm.ts). */
  layerNormForward: (
    x: number,
    gamma: number,
    beta: number,
    xhat: number,
    rstd: number,
    y: number,
    R: number,
    d: number,
  ) => void;
  layerNormBackward: (
    dy: number,
    gamma: number,
    xhat: number,
    rstd: number,
    dGamma: number,
    dBeta: number,
    dx: number,
    R: number,
    d: number,
  ) => void;
  /** ReLU value and slope (wasm/rows.ts; JS reference in lib/kernels/rows.ts). */
  relu: (u: number, value: number, slope: number, n: number) => void;
  /** The float32 kernels (wasm/matmul32.ts, attention32.ts, rows32.ts, layernorm32.ts): the same operations on f32 at byte offsets, in float32 arithmetic. */
  matmul32: (a: number, b: number, c: number, m: number, k: number, n: number) => void;
  matmulAdd32: (a: number, b: number, c: number, m: number, k: number, n: number) => void;
  matmulAddTransposed32: (a: number, b: number, c: number, m: number, k: number, n: number) => void;
  causalScores32: (
    x: number,
    y: number,
    p: number,
    yT: number,
    B: number,
    T: number,
    H: number,
    s: number,
    scale: number,
  ) => void;
  causalTimes32: (p: number, y: number, o: number, B: number, T: number, H: number, s: number) => void;
  causalTransposeTimes32: (p: number, x: number, o: number, B: number, T: number, H: number, s: number) => void;
  columnSums32: (x: number, acc: number, R: number, n: number) => void;
  scaledColumnSums32: (x: number, s: number, acc: number, R: number, n: number) => void;
  addBiasedRows32: (x: number, y: number, b: number, R: number, n: number) => void;
  relu32: (u: number, value: number, slope: number, n: number) => void;
  causalSoftmax32: (p: number, blocks: number, T: number) => void;
  causalSoftmaxBackward32: (p: number, dp: number, blocks: number, T: number, scale: number) => void;
  layerNormForward32: (
    x: number,
    gamma: number,
    beta: number,
    xhat: number,
    rstd: number,
    y: number,
    R: number,
    d: number,
  ) => void;
  layerNormBackward32: (
    dy: number,
    gamma: number,
    xhat: number,
    rstd: number,
    dGamma: number,
    dBeta: number,
    dx: number,
    R: number,
    d: number,
  ) => void;
  /** Householder tridiagonalisation of the lower triangle at byte offset a (wasm/tridiagonal.ts). */
  tridiagonalize: (a: number, n: number, d: number, e: number, v: number, w: number, v2: number, p2: number) => void;
}

// tslab compiles notebook imports without TypeScript's WebAssembly type library: the API is reached
// through this minimal typed view of the global instead of the WebAssembly namespace.
interface WasmApi {
  Module: new (bytes: Uint8Array) => unknown;
  Instance: new (module: unknown, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let kernel: Kernel | null | undefined;
let compiled: unknown | null | undefined;

/**
 * A new instance of the kernels with a linear memory of its own (for `KernelArena`), or null when
 * kernels.wasm was not built (or cannot be compiled); then the main thread warns once, with the
 * code RDS_NO_WASM. The module is compiled once per thread.
 */
export function wasmInstance(): Kernel | null {
  if (compiled === undefined) {
    const file = path.join(__dirname, "kernels.wasm");
    try {
      compiled = new wasmApi.Module(fs.readFileSync(file));
    } catch (e) {
      compiled = null;
      // the JS loops give the same results (float32 ones within rounding) but train the GPT about 20×
      // slower: say so once, on the main thread
      if (isMainThread)
        process.emitWarning(
          `${file} could not be loaded (${e instanceof Error ? e.message : String(e)}): the kernels fall back to their JS loops, the same results but about 20× slower for GPT training. Run npm run build:wasm.`,
          { code: "RDS_NO_WASM" },
        );
    }
  }
  if (compiled === null) return null;
  return new wasmApi.Instance(compiled, {
    env: {
      abort: () => {
        throw new Error("wasm abort");
      },
    },
  }).exports as unknown as Kernel;
}

/** The shared wasm kernels (one instance per thread), or null when kernels.wasm was not built (then callers use their JS loops). */
export function wasmKernel(): Kernel | null {
  if (kernel === undefined) kernel = wasmInstance();
  return kernel;
}

/**
 * A float64 view of the kernels' linear memory with room for at least `doubles` entries from
 * offset 0 (the memory grows as needed; a view taken before growing is stale, so take it anew per call).
 * Errors: an Error when the module is not built.
 */
export function wasmHeap(doubles: number): Float64Array {
  const w = wasmKernel();
  if (!w) throw new Error("lib/kernels/kernels.wasm is not built: run npm run build:wasm");
  const need = 8 * doubles,
    have = w.memory.buffer.byteLength;
  if (need > have) w.memory.grow(Math.ceil((need - have) / 65536));
  return new Float64Array(w.memory.buffer);
}
