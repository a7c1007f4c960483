/**
 * A minimal benchmark harness: warm up for at least half a second (so V8's optimising tier has
 * compiled the loop: with a fixed 3-run warm-up the first measurements sometimes ran on the
 * baseline tier at ~60% speed), then time `repeats` runs and report the median rate and the
 * spread. Rates are items per second for `items` items per run. With `clock: "cpu"` the time is
 * the process's CPU time (user + system, every thread) instead of the wall clock: on a machine
 * shared with other jobs, a single-threaded loop's CPU time is what it costs, whatever the
 * scheduler gave it (a wall-clock rate there measures the load as much as the code).
 */
export interface BenchResult {
  name: string;
  unit: string;
  /** Median rate over the repeats, items per second. */
  rate: number;
  /** Spread: min and max rate over the repeats. */
  min: number;
  max: number;
}

export function bench(
  name: string,
  unit: string,
  items: number,
  run: () => void,
  repeats = 9,
  o: { clock?: "wall" | "cpu" } = {},
): BenchResult {
  const warmStart = process.hrtime.bigint();
  for (let i = 0; i < 3 || Number(process.hrtime.bigint() - warmStart) < 5e8; i++) run();
  const rates: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint(),
      c0 = process.cpuUsage();
    run();
    const c = process.cpuUsage(c0);
    const s = o.clock === "cpu" ? (c.user + c.system) / 1e6 : Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push(items / s);
  }
  rates.sort((a, b) => a - b);
  return { name, unit, rate: rates[Math.floor(repeats / 2)], min: rates[0], max: rates[repeats - 1] };
}

export function formatRate(r: number): string {
  if (r >= 1e6) return `${(r / 1e6).toFixed(1)} M`;
  if (r >= 1e3) return `${(r / 1e3).toFixed(1)} k`;
  return r.toFixed(1);
}

/** A measurement with the target an issue set for it, if any (items per second). */
export type BenchRow = BenchResult & { target?: number };

/**
 * What every bench file's `run(ctx)` receives: the results table it appends to, the count of
 * missed targets, and the optional references measured once per run (null when absent).
 */
export interface BenchContext {
  results: BenchRow[];
  missed: number;
  /** numpy's LAPACK/OpenBLAS on one thread (tools/bench/reference.py). */
  lapack: { eigvalsh500: number; matmul256: number } | null;
  /** Lines for bench.json beyond the rates: named numbers (ratios, milliseconds per iteration). */
  extra: Record<string, unknown>;
}
