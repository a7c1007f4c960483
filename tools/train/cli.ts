// npm run train -- gpt [options]: train a char-level GPT on Moby-Dick with AdamW, data-parallel,
// with checkpoints and resume: by default the talk's model (the lecture's gpt.py) in float32.
// Run with --help for the options; the command line follows tools/cli/args.
import * as path from "path";
import { gptTrainConfig, trainGpt, loadMobyDick, GptGradient, sampleText, GPT_VARIANTS } from "../../lib/nn";
import type { GptProgress, GptVariant } from "../../lib/nn";
import { PRECISIONS, type Precision } from "../../lib/kernels";
import { Stream } from "../../lib/random";
import {
  choice,
  flag,
  integer,
  number,
  runCli,
  text,
  UsageError,
  type CliSpec,
  type OptionSpec,
  type ParsedArgs,
} from "../cli/args";

const HELP = `usage: npm run train -- gpt [options]

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
  -h, --help            this text
`;

/** The command line of `npm run train` (tools/cli/args: the rules every CLI shares). */
export const TRAIN_CLI = {
  name: "train",
  usage: HELP,
  positionals: { name: "model (gpt)", max: 1 },
  options: {
    variant: choice("V", GPT_VARIANTS),
    precision: choice("P", PRECISIONS),
    iterations: integer("N"),
    batch: integer("B"),
    lr: number("X", { positive: true }),
    seed: integer("S", { min: 0 }),
    workers: integer("W"),
    checkpoint: text("PATH"),
    "checkpoint-every": integer("N"),
    "eval-every": integer("N"),
    resume: flag(),
    sample: integer("N", { min: 0 }),
    quiet: flag(),
  },
} satisfies CliSpec<Record<string, OptionSpec<unknown>>>;

const clock = (s: number) =>
  s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`
    : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;

async function main(o: ParsedArgs<typeof TRAIN_CLI.options>): Promise<void> {
  const model = o.positionals[0];
  if (model === undefined) {
    process.stdout.write(HELP); // as before: no model named, the usage
    return;
  }
  if (model !== "gpt") throw new UsageError(`unknown model "${model}": only "gpt" is trainable here (see --help)`);
  const variant: GptVariant = o.variant ?? "lecture";
  const precision: Precision = o.precision ?? "float32";
  const corpus = loadMobyDick();
  const seed = o.seed ?? 1;
  const config = gptTrainConfig({
    spec: { vocab: corpus.alphabet.length, block: 32, layers: 4, heads: 4, dModel: 64, variant },
    iterations: o.iterations,
    batch: o.batch,
    lr: o.lr,
    seed,
    precision,
    checkpointEvery: o["checkpoint-every"],
    evalEvery: o["eval-every"],
  });
  const checkpoint = o.checkpoint ?? path.join("out", "gpt", `checkpoint-${variant}-${precision}-seed${seed}.json`);
  let lastValidation: number | null = null;
  const progress = (p: GptProgress) => {
    if (p.validationLoss !== null) lastValidation = p.validationLoss;
    if (o.quiet) return;
    const width = 30,
      done = Math.round((width * p.iteration) / p.iterations);
    const line = `[${"#".repeat(done)}${".".repeat(width - done)}] ${p.iteration}/${p.iterations}  ${(p.tokensPerSecond / 1000).toFixed(1)}k tok/s  train ${p.trainLoss.toFixed(3)}  val ${lastValidation === null ? "—" : lastValidation.toFixed(3)}  ETA ${clock(p.etaSeconds)}`;
    process.stderr.write(`\r${line}`);
  };
  const run = await trainGpt(config, {
    workers: o.workers,
    checkpoint,
    resume: o.resume === true,
    corpus,
    onProgress: progress,
  });
  if (!o.quiet) process.stderr.write("\n");
  const evals = run.history.filter((h) => h.validationLoss !== null);
  if (run.divergence) console.log(`diverged: ${run.divergence.reason}`);
  console.log(
    `${config.spec.variant} model in ${config.precision}: ${run.resumedFrom > 0 ? `resumed at iteration ${run.resumedFrom}; ` : ""}${config.iterations} iterations in ${run.seconds.toFixed(1)} s; validation loss ${evals.length ? evals[evals.length - 1].validationLoss!.toFixed(3) : "—"} nats; checkpoint ${checkpoint}`,
  );
  const n = o.sample ?? 200;
  if (n > 0) {
    const prompt = corpus.validation.slice(0, 32);
    console.log(
      corpus.decode(prompt) +
        corpus.decode(
          sampleText(
            config.spec,
            run.theta,
            prompt,
            n,
            Stream.named(seed, "train/sample", 0),
            new GptGradient(config.spec, { precision: config.precision }),
          ),
        ),
    );
  }
}

if (require.main === module) void runCli(TRAIN_CLI, main);
