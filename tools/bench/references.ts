// The optional Python references of `npm run bench`: numpy's LAPACK/OpenBLAS (reference.py) and
// PyTorch on the talk's model (gpt-reference.py), each measured now, in this run, on the threads
// named, when an interpreter with the package is found; null otherwise (the bench never needs
// Python). Debian's python3-torch lives in the system interpreter, which a `python3` earlier on
// PATH (pyenv, a virtualenv) may hide: both are tried, in that order.
import * as path from "path";
import { spawnSync } from "child_process";

const INTERPRETERS = ["python3", "/usr/bin/python3"];

/** Runs a reference script with OpenBLAS on `blasThreads` threads; its last stdout line as JSON, or null when no interpreter can run it. */
export function pythonReference<T>(
  script: string,
  args: string[] = [],
  o: { blasThreads?: number; timeoutMs?: number } = {},
): T | null {
  const env = {
    ...process.env,
    OPENBLAS_NUM_THREADS: String(o.blasThreads ?? 1),
    OMP_NUM_THREADS: String(o.blasThreads ?? 1),
  };
  for (const python of INTERPRETERS) {
    const r = spawnSync(python, [path.join(__dirname, script), ...args], {
      env,
      encoding: "utf8",
      timeout: o.timeoutMs ?? 300_000,
    });
    if (r.status === 0 && r.stdout.trim()) return JSON.parse(r.stdout.trim().split("\n").pop()!) as T;
  }
  return null;
}

/** numpy's eigvalsh at 500 and a 256³ matmul on one thread, median seconds. */
export interface LapackReference {
  eigvalsh500: number;
  matmul256: number;
}

/** PyTorch's training iteration of the talk's model (tools/bench/gpt-reference.py), median milliseconds of wall clock and of CPU time (all threads). */
export interface TorchReference {
  torch: string;
  threads: number;
  parameters: number;
  msFloat32: number;
  msFloat64: number;
  cpuMsFloat32: number;
  cpuMsFloat64: number;
}

/** PyTorch on `threads` intra-op threads (torch.set_num_threads) with OpenBLAS on one thread, or null without python3-torch. */
export function torchReference(
  threads: number,
  o: { iterations?: number; repeats?: number } = {},
): TorchReference | null {
  return pythonReference<TorchReference>(
    "gpt-reference.py",
    ["--threads", String(threads), "--iterations", String(o.iterations ?? 20), "--repeats", String(o.repeats ?? 3)],
    { timeoutMs: 900_000 },
  );
}
