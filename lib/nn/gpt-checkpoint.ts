import * as fs from "fs";
import * as path from "path";
import { createHash } from "crypto";
import { bytesPer, floatArray, type FloatArray } from "../kernels/precision";
import { gptLayout, gptVariant } from "./gpt";
import { gptTrainConfig, type GptTrainConfig } from "./gpt-train-config";
import type { WeightSpectra } from "./gpt-spectra";

/**
 * The files of GPT training: checkpoints (written atomically, read with checks) and the run
 * cache's paths. File I/O only: the maths is in lib/nn/gpt-train (the loop), gpt-train-config and
 * gpt-spectra.
 */

/** One row of the training history. */
export interface GptHistoryRow {
  iteration: number;
  trainLoss: number;
  validationLoss: number | null;
  lr: number;
  seconds: number;
}

/** Where a run stopped because its loss was not finite: the iteration whose minibatch loss it was, and that loss. */
export interface GptDivergence {
  iteration: number;
  loss: number;
  reason: string;
}

/** What a checkpoint holds: θ and AdamW's moments in the run's precision (config.precision), the history and the spectra. */
export interface GptCheckpoint {
  format: "gpt-checkpoint/2";
  config: GptTrainConfig;
  corpus: string;
  iteration: number;
  theta: FloatArray;
  m: FloatArray;
  v: FloatArray;
  history: GptHistoryRow[];
  spectra: WeightSpectra[];
  divergence: GptDivergence | null;
}

const encode = (a: FloatArray): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
function decode(file: string, config: GptTrainConfig, field: string, text: unknown, length: number): FloatArray {
  if (typeof text !== "string") throw new Error(`checkpoint ${file}: field ${field} is missing`);
  const buf = Buffer.from(text, "base64"),
    bytes = bytesPer(config.precision);
  if (buf.length !== bytes * length)
    throw new Error(
      `checkpoint ${file}: field ${field} holds ${buf.length / bytes} ${config.precision} numbers, the configuration needs ${length}`,
    );
  const out = floatArray(config.precision, length);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

/** Write a checkpoint atomically: a temporary file in the same directory, then a rename. Errors: a RangeError if θ, m or v is not in the configuration's precision. */
export function saveCheckpoint(file: string, c: GptCheckpoint): void {
  for (const [name, a] of [
    ["theta", c.theta],
    ["m", c.m],
    ["v", c.v],
  ] as const) {
    if (a.BYTES_PER_ELEMENT !== bytesPer(c.config.precision))
      throw new RangeError(
        `saveCheckpoint: ${name} is ${a.BYTES_PER_ELEMENT === 4 ? "float32" : "float64"}, the configuration trains in ${c.config.precision}`,
      );
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  // a divergence's loss is NaN or ±Infinity, which JSON cannot hold: it is written as a string
  const divergence = c.divergence ? { ...c.divergence, loss: String(c.divergence.loss) } : null;
  fs.writeFileSync(tmp, JSON.stringify({ ...c, theta: encode(c.theta), m: encode(c.m), v: encode(c.v), divergence }));
  fs.renameSync(tmp, file);
}

/**
 * Read a checkpoint. With `expected`, its model variant and precision must be the expected ones
 * (else an Error naming both: a checkpoint of the other model or the other precision is never
 * resumed), and its configuration must equal the expected one field by field (iterations and
 * checkpointEvery may differ: a run may be extended). Errors: an Error naming the file and what is
 * wrong (unreadable, not JSON, another format, wrong array sizes, another variant or precision, a
 * configuration mismatch with the differing fields); nothing is written.
 */
export function loadCheckpoint(file: string, expected?: GptTrainConfig): GptCheckpoint {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`checkpoint ${file} is unreadable or corrupt: ${(e as Error).message}`);
  }
  if (raw.format !== "gpt-checkpoint/2")
    throw new Error(`checkpoint ${file}: format ${JSON.stringify(raw.format)} is not gpt-checkpoint/2`);
  const config = raw.config as GptTrainConfig;
  if (!config || typeof config !== "object" || !config.spec) throw new Error(`checkpoint ${file}: no configuration`);
  let variant: string;
  try {
    variant = gptVariant(config.spec);
  } catch {
    throw new Error(`checkpoint ${file}: unknown model variant ${JSON.stringify(config.spec.variant)}`);
  }
  if (config.precision !== "float32" && config.precision !== "float64")
    throw new Error(`checkpoint ${file}: unknown precision ${JSON.stringify(config.precision)}`);
  const precision = config.precision;
  if (expected) {
    const want = gptTrainConfig(expected);
    if (variant !== want.spec.variant || precision !== want.precision) {
      throw new Error(
        `checkpoint ${file} holds the ${variant} model in ${precision}; this run trains the ${want.spec.variant} model in ${want.precision}: it cannot continue from it`,
      );
    }
    const a = JSON.parse(JSON.stringify({ ...config, iterations: 0, checkpointEvery: 0 })),
      b = JSON.parse(JSON.stringify({ ...want, iterations: 0, checkpointEvery: 0 }));
    const diff = Object.keys({ ...a, ...b }).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    if (diff.length > 0)
      throw new Error(
        `checkpoint ${file} was written with another configuration: ${diff.map((k) => `${k} = ${JSON.stringify(a[k])} there, ${JSON.stringify(b[k])} here`).join("; ")}`,
      );
  }
  const dim = gptLayout(config.spec).dim;
  const iteration = raw.iteration as number;
  if (!Number.isInteger(iteration) || iteration < 0)
    throw new Error(`checkpoint ${file}: iteration ${JSON.stringify(raw.iteration)} is not a non-negative integer`);
  return {
    format: "gpt-checkpoint/2",
    config,
    corpus: String(raw.corpus),
    iteration,
    theta: decode(file, config, "theta", raw.theta, dim),
    m: decode(file, config, "m", raw.m, dim),
    v: decode(file, config, "v", raw.v, dim),
    history: raw.history as GptHistoryRow[],
    spectra: raw.spectra as WeightSpectra[],
    divergence: raw.divergence
      ? { ...(raw.divergence as GptDivergence), loss: Number((raw.divergence as { loss: string }).loss) }
      : null,
  };
}

/**
 * Where a finished run of this configuration is cached: `root`/gpt-<key>.json, the key a SHA-256
 * of the configuration and of the training code (the files of lib/nn that define the network,
 * its gradient, the corpus, the trainer and its data-parallel engine, and the float32 and float64
 * kernels), so that a change to any of them trains anew.
 */
export function gptCachePath(config: GptTrainConfig, root = path.join("out", "gpt-cache")): string {
  const h = createHash("sha256").update(JSON.stringify(gptTrainConfig(config)));
  // the TypeScript source in a checkout, the compiled module in the installed package
  const files = [
    "gpt",
    "gpt-gradient",
    "gpt-train",
    "gpt-train-config",
    "data-parallel",
    "data-parallel-adamw",
    "corpus",
  ].map(
    (f) =>
      [".ts", ".js"].map((ext) => path.join(__dirname, f + ext)).find((x) => fs.existsSync(x)) ??
      path.join(__dirname, f + ".ts"),
  );
  files.push(path.join(__dirname, "..", "kernels", "kernels.wasm"));
  for (const file of files) h.update(fs.existsSync(file) ? fs.readFileSync(file) : path.basename(file));
  return path.join(root, `gpt-${h.digest("hex").slice(0, 16)}.json`);
}
