import * as fs from "fs";
import * as path from "path";

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

/** The wasm kernels, or null when kernels.wasm was not built (then callers use their JS loops). */
export function wasmKernel(): Kernel | null {
  if (kernel !== undefined) return kernel;
  try {
    const bytes = fs.readFileSync(path.join(__dirname, "kernels.wasm"));
    const inst = new wasmApi.Instance(new wasmApi.Module(bytes), { env: { abort: () => { throw new Error("wasm abort"); } } });
    kernel = inst.exports as unknown as Kernel;
  } catch {
    kernel = null;
  }
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
  const need = 8 * doubles, have = w.memory.buffer.byteLength;
  if (need > have) w.memory.grow(Math.ceil((need - have) / 65536));
  return new Float64Array(w.memory.buffer);
}
