/**
 * A minimal benchmark harness: warm up for at least half a second (so V8's optimising tier has
 * compiled the loop: with a fixed 3-run warm-up the first measurements sometimes ran on the
 * baseline tier at ~60% speed), then time `repeats` runs and report the median rate and the
 * spread. Rates are items per second for `items` items per run.
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

export function bench(name: string, unit: string, items: number, run: () => void, repeats = 9): BenchResult {
  const warmStart = process.hrtime.bigint();
  for (let i = 0; i < 3 || Number(process.hrtime.bigint() - warmStart) < 5e8; i++) run();
  const rates: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    run();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
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
