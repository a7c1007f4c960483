// npm run train -- gpt [options]: train a char-level GPT on Moby-Dick with AdamW, data-parallel,
// with checkpoints and resume: by default the talk's model (the lecture's gpt.py) in float32.
// Run with --help for the options.
import * as path from "path";
import { gptTrainConfig, trainGpt, loadMobyDick, GptGradient, sampleText, GPT_VARIANTS } from "../../lib/nn";
import type { GptProgress, GptVariant } from "../../lib/nn";
import { PRECISIONS, type Precision } from "../../lib/kernels";
import { Stream } from "../../lib/random";

const HELP = `npm run train -- gpt [options]

Trains a char-level GPT (4 layers × 4 heads, d = 64, block 32) on Moby-Dick.

  --variant V           lecture (default: the talk's model, Karpathy's lecture gpt.py: ReLU, untied
                        head, PyTorch's init, AdamW at a constant lr decaying every parameter) or
                        nanogpt (GELU, tied head, warm-up and cosine decay, decay on matrices only)
  --precision P         float32 (default, as PyTorch trains) or float64
  --iterations N        iterations (default 5000)
  --batch B             windows of 32 characters per iteration (default 16)
  --lr X                learning rate (default 1e-3; nanogpt: the peak after warm-up, then cosine decay to lr/10)
  --seed S              seed of the initialisation, minibatches and validation windows (default 1)
  --workers W           worker threads (default: all cores; the result does not depend on it)
  --checkpoint PATH     checkpoint file (default out/gpt/checkpoint-<variant>-<precision>-seed<S>.json)
  --checkpoint-every N  iterations between checkpoints (default 500)
  --eval-every N        iterations between validation losses (default 100)
  --resume              continue from the checkpoint if it exists (bit-identically)
  --sample N            print N sampled characters at the end (default 200)
  --quiet               no progress bar
`;

function parse(argv: string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) throw new Error(`unexpected argument ${JSON.stringify(a)} (options start with --; see --help)`);
    const key = a.slice(2);
    if (["resume", "quiet", "help"].includes(key)) out[key] = true;
    else {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`--${key} needs a value`);
      out[key] = v;
    }
  }
  return out;
}

function number(o: Record<string, string | true>, key: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  const x = Number(v);
  if (typeof v !== "string" || !Number.isFinite(x)) throw new Error(`--${key} must be a number, got ${JSON.stringify(v)}`);
  return x;
}

function choice(o: Record<string, string | true>, key: string, allowed: readonly string[]): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !allowed.includes(v)) throw new Error(`--${key} must be one of ${allowed.join(", ")}, got ${JSON.stringify(v)}`);
  return v;
}

const clock = (s: number) => (s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m` : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`);

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === "--help" || command === undefined) { process.stdout.write(HELP); return; }
  if (command !== "gpt") throw new Error(`unknown model ${JSON.stringify(command)}: only "gpt" is trainable here (see --help)`);
  const o = parse(rest);
  if (o.help) { process.stdout.write(HELP); return; }
  const known = ["variant", "precision", "iterations", "batch", "lr", "seed", "workers", "checkpoint", "checkpoint-every", "eval-every", "resume", "sample", "quiet"];
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new Error(`unknown option --${k} (see --help)`);
  const variant = choice(o, "variant", GPT_VARIANTS) ?? "lecture";
  const precision = choice(o, "precision", PRECISIONS) ?? "float32";
  const corpus = loadMobyDick();
  const seed = number(o, "seed") ?? 1;
  const config = gptTrainConfig({
    spec: { vocab: corpus.alphabet.length, block: 32, layers: 4, heads: 4, dModel: 64, variant: variant as GptVariant },
    iterations: number(o, "iterations"), batch: number(o, "batch"), lr: number(o, "lr"), seed, precision: precision as Precision,
    checkpointEvery: number(o, "checkpoint-every"), evalEvery: number(o, "eval-every"),
  });
  const checkpoint = typeof o.checkpoint === "string" ? o.checkpoint : path.join("out", "gpt", `checkpoint-${variant}-${precision}-seed${seed}.json`);
  let lastValidation: number | null = null;
  const progress = (p: GptProgress) => {
    if (p.validationLoss !== null) lastValidation = p.validationLoss;
    if (o.quiet) return;
    const width = 30, done = Math.round((width * p.iteration) / p.iterations);
    const line = `[${"#".repeat(done)}${".".repeat(width - done)}] ${p.iteration}/${p.iterations}  ${(p.tokensPerSecond / 1000).toFixed(1)}k tok/s  train ${p.trainLoss.toFixed(3)}  val ${lastValidation === null ? "—" : lastValidation.toFixed(3)}  ETA ${clock(p.etaSeconds)}`;
    process.stderr.write(`\r${line}`);
  };
  const run = await trainGpt(config, { workers: number(o, "workers"), checkpoint, resume: o.resume === true, corpus, onProgress: progress });
  if (!o.quiet) process.stderr.write("\n");
  const evals = run.history.filter((h) => h.validationLoss !== null);
  if (run.divergence) console.log(`diverged: ${run.divergence.reason}`);
  console.log(`${config.spec.variant} model in ${config.precision}: ${run.resumedFrom > 0 ? `resumed at iteration ${run.resumedFrom}; ` : ""}${config.iterations} iterations in ${run.seconds.toFixed(1)} s; validation loss ${evals.length ? evals[evals.length - 1].validationLoss!.toFixed(3) : "—"} nats; checkpoint ${checkpoint}`);
  const n = number(o, "sample") ?? 200;
  if (n > 0) {
    const prompt = corpus.validation.slice(0, 32);
    console.log(corpus.decode(prompt) + corpus.decode(sampleText(config.spec, run.theta, prompt, n, Stream.named(seed, "train/sample", 0), new GptGradient(config.spec, { precision: config.precision }))));
  }
}

main().catch((e) => { process.stderr.write(`\ntrain: ${(e as Error).message}\n`); process.exit(1); });
