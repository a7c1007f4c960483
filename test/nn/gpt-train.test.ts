import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Stream } from "../../lib/random";
import {
  charCorpus,
  gptTrainConfig,
  learningRate,
  decayMask,
  trainGpt,
  saveCheckpoint,
  loadCheckpoint,
  weightSpectra,
  requireDataPackage,
  gptInit,
  sampleText,
  GptGradient,
  gptLayout,
  gptCachePath,
  gptCorpus,
  gptTrainTask,
  type GptSpec,
  type GptCorpusSource,
} from "../../lib/nn";
import { parallelMap } from "../../lib/parallel";

const text =
  "Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse, and nothing particular to interest me on shore, I thought I would sail about a little and see the watery part of the world. ".repeat(
    6,
  );
const corpus = charCorpus("test", text);
const spec: GptSpec = { vocab: corpus.alphabet.length, block: 8, layers: 1, heads: 2, dModel: 8 };
const nano: GptSpec = { ...spec, variant: "nanogpt" };
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "gpt-train-"));

test("learningRate: nanoGPT's linear warm-up to lr and cosine decay to minLr; the lecture's constant lr", () => {
  const c = gptTrainConfig({ spec: nano, iterations: 1000, warmup: 100, lr: 1e-3, minLr: 1e-4 });
  assert.equal(c.schedule, "warmup-cosine");
  assert.ok(Math.abs(learningRate(c, 50) - 5e-4) < 1e-18);
  assert.equal(learningRate(c, 100), 1e-3);
  assert.ok(Math.abs(learningRate(c, 550) - 5.5e-4) < 1e-15);
  assert.ok(Math.abs(learningRate(c, 1000) - 1e-4) < 1e-15);
  const l = gptTrainConfig({ spec, iterations: 1000 });
  assert.deepEqual(
    [l.spec.variant, l.schedule, l.warmup, l.minLr, l.decay, l.precision, l.batch, l.windowLength],
    ["lecture", "constant", 0, 1e-3, "all", "float32", 16, 8],
  );
  for (const i of [1, 500, 1000]) assert.equal(learningRate(l, i), 1e-3);
  assert.ok(
    decayMask(l).every((x) => x === 1),
    "PyTorch's AdamW decays every parameter",
  );
  const nanoMask = decayMask(gptTrainConfig({ spec: nano }));
  assert.equal(
    nanoMask.reduce((a, b) => a + b, 0),
    gptLayout(nano)
      .blocks.filter((b) => b.shape.length === 2)
      .reduce((a, b) => a + b.size, 0),
  );
});

test("gptTrainConfig and the corpus: invalid input is refused with the parameter named", () => {
  assert.throws(
    () => gptTrainConfig({ spec: { ...spec, dModel: 10, heads: 4 } }),
    /dModel 10 does not split into 4 heads/,
  );
  assert.throws(() => gptTrainConfig({ spec, batch: 0 }), /batch/);
  assert.throws(() => gptTrainConfig({ spec, windowLength: 9 }), /windowLength/);
  assert.throws(() => gptTrainConfig({ spec, lr: -1 }), /lr/);
  assert.throws(() => gptTrainConfig({ spec, warmup: 10 }), /schedule "constant" takes no warmup/);
  assert.throws(
    () => gptTrainConfig({ spec, precision: "float16" as "float32" }),
    /precision must be "float32" or "float64", got "float16"/,
  );
  assert.throws(() => gptTrainConfig({ spec, decay: "some" as "all" }), /decay must be "all" or "matrices"/);
  assert.throws(
    () => requireDataPackage("@stdlib/datasets-not-a-package"),
    /npm install @stdlib\/datasets-not-a-package/,
  );
  assert.throws(() => corpus.encode("§"), /not in its alphabet/);
  assert.equal(corpus.decode(corpus.encode("Call me")), "Call me");
});

for (const [label, sp, precision] of [
  ["lecture, float32", spec, "float32"],
  ["nanoGPT, float64", nano, "float64"],
] as const)
  test(`trainGpt (${label}): the loss falls; one worker and two give the same bits; a killed run resumes bit-identically`, async () => {
    const dir = tmp();
    const config = gptTrainConfig({
      spec: sp,
      batch: 4,
      iterations: 6,
      evalEvery: 3,
      evalWindows: 4,
      checkpointEvery: 3,
      chunk: 2,
      lr: 3e-3,
      precision,
      ...(sp === nano ? { warmup: 1 } : {}),
    });
    const straight = await trainGpt(config, { workers: 1, corpus });
    const two = await trainGpt(config, { workers: 2, corpus });
    assert.deepEqual(two.theta, straight.theta);
    const evals = straight.history.filter((h) => h.validationLoss !== null).map((h) => h.validationLoss!);
    assert.ok(evals[evals.length - 1] < evals[0], `validation loss ${evals.join(" → ")}`);
    // kill after the checkpoint at iteration 3, then resume
    const file = path.join(dir, "ck.json");
    await assert.rejects(
      trainGpt(config, {
        workers: 2,
        corpus,
        checkpoint: file,
        onProgress: (p) => {
          if (p.iteration === 4) throw new Error("killed");
        },
      }),
      /killed/,
    );
    assert.equal(loadCheckpoint(file, config).iteration, 3);
    const resumed = await trainGpt(config, { workers: 1, corpus, checkpoint: file, resume: true });
    assert.equal(resumed.resumedFrom, 3);
    assert.deepEqual(resumed.theta, straight.theta);
    assert.deepEqual(
      resumed.history.map((h) => h.trainLoss),
      straight.history.map((h) => h.trainLoss),
    );
    assert.deepEqual(fs.readdirSync(dir), ["ck.json"]); // atomic writes leave no temporary file
    assert.equal(straight.divergence, null);
    if (precision === "float32")
      assert.deepEqual(Float64Array.from(Float32Array.from(straight.theta)), straight.theta, "θ holds float32 values");
  });

test("trainGpt: a corpus too short for the block is refused; a non-finite loss ends the run as a recorded divergence naming its iteration", async () => {
  const short = charCorpus("short", "Call me Ishmael.".repeat(2), { validationFraction: 0.25 });
  const tiny = { ...spec, vocab: short.alphabet.length };
  await assert.rejects(
    trainGpt(gptTrainConfig({ spec: tiny, iterations: 2 }), { workers: 1, corpus: short }),
    /corpus short is too short for windows of T = 8 tokens: 24 training and 8 validation tokens, each part needs at least 10/,
  );
  // lr = 1e30 in float32: after one step the weights are ~1e30 and the logits overflow float32
  const dir = tmp(),
    file = path.join(dir, "ck.json");
  const config = gptTrainConfig({ spec, batch: 4, iterations: 5, evalEvery: 5, evalWindows: 4, chunk: 2, lr: 1e30 });
  const run = await trainGpt(config, { workers: 2, corpus, checkpoint: file });
  assert.ok(run.divergence !== null, "diverged");
  const at = run.divergence!.iteration;
  assert.ok(at >= 2 && at <= 5, `divergence at ${at}`);
  assert.match(run.divergence!.reason, new RegExp(`minibatch loss of iteration ${at} is (NaN|Infinity)`));
  assert.equal(run.history.length, at - 1, "the history stops before the diverged iteration");
  assert.ok(run.history.every((h) => Number.isFinite(h.trainLoss)));
  const before = await trainGpt(gptTrainConfig({ ...config, iterations: at - 1 }), { workers: 1, corpus });
  assert.deepEqual(run.theta, before.theta, "θ is the last iterate with a finite loss");
  const ck = loadCheckpoint(file, config);
  assert.deepEqual([ck.iteration, ck.divergence?.iteration], [at - 1, at]);
  const again = await trainGpt(config, { workers: 1, corpus, checkpoint: file, resume: true });
  assert.deepEqual(again.divergence, run.divergence, "a resumed diverged run returns its divergence");
});

test("checkpoints: exact round trip; a corrupt or mismatched file is named and left untouched", () => {
  const dir = tmp(),
    file = path.join(dir, "ck.json");
  const config = gptTrainConfig({ spec, iterations: 10, precision: "float64" });
  const theta = gptInit(spec, new Stream("test/ck", 0)),
    m = theta.map((x) => x * 1e-3),
    v = theta.map((x) => x * x);
  saveCheckpoint(file, {
    format: "gpt-checkpoint/2",
    config,
    corpus: "test",
    iteration: 7,
    theta,
    m,
    v,
    history: [],
    spectra: [],
    divergence: null,
  });
  const back = loadCheckpoint(file, config);
  assert.deepEqual(back.theta, theta);
  assert.deepEqual(back.m, m);
  assert.deepEqual(back.v, v);
  const escaped = file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  assert.throws(
    () => loadCheckpoint(file, gptTrainConfig({ spec, iterations: 10, lr: 2e-3, precision: "float64" })),
    new RegExp(`checkpoint ${escaped} was written with another configuration: lr = 0.001 there, 0.002 here`),
  );
  // the other precision, the other model: refused with both named
  assert.throws(
    () => loadCheckpoint(file, gptTrainConfig({ spec, iterations: 10, precision: "float32" })),
    new RegExp(
      `checkpoint ${escaped} holds the lecture model in float64; this run trains the lecture model in float32`,
    ),
  );
  assert.throws(
    () => loadCheckpoint(file, gptTrainConfig({ spec: nano, iterations: 10, precision: "float64" })),
    /holds the lecture model in float64; this run trains the nanogpt model in float64/,
  );
  assert.throws(
    () => saveCheckpoint(file, { ...back, config: gptTrainConfig({ spec, precision: "float32" }) }),
    /theta is float64, the configuration trains in float32/,
  );
  const c32 = gptTrainConfig({ spec, iterations: 10 }),
    f32 = (a: Float64Array) => Float32Array.from(a);
  saveCheckpoint(file, {
    format: "gpt-checkpoint/2",
    config: c32,
    corpus: "test",
    iteration: 7,
    theta: f32(theta),
    m: f32(m),
    v: f32(v),
    history: [],
    spectra: [],
    divergence: null,
  });
  assert.deepEqual(loadCheckpoint(file, c32).theta, f32(theta));
  // the run cache keys on the whole configuration: another precision or variant is another file
  const paths = new Set([
    gptCachePath(c32),
    gptCachePath(config),
    gptCachePath(gptTrainConfig({ spec: nano, iterations: 10 })),
    gptCachePath(gptTrainConfig({ spec, iterations: 10 })),
  ]);
  assert.equal(paths.size, 3, "c32 and the default configuration are the same run");
  const bad = path.join(dir, "bad.json");
  fs.writeFileSync(bad, "{ not json");
  assert.throws(() => loadCheckpoint(bad), /checkpoint .*bad\.json is unreadable or corrupt/);
  assert.equal(fs.readFileSync(bad, "utf8"), "{ not json");
  const short = JSON.parse(fs.readFileSync(file, "utf8"));
  short.theta = Buffer.from(new Float32Array(3).buffer).toString("base64");
  fs.writeFileSync(bad, JSON.stringify(short));
  assert.throws(() => loadCheckpoint(bad), /field theta holds 3 float32 numbers, the configuration needs/);
});

test("weightSpectra: each head's eigenvalues sum to the squared Frobenius norm of its d × s block; sampleText is seeded", () => {
  const theta = gptInit(spec, new Stream("test/spectra", 0), { std: 0.3 });
  const sp = weightSpectra(spec, theta, 0);
  const wk = gptLayout(spec).blocks.find((b) => b.name === "h0.attn.Wk")!;
  const s = 4,
    hs = 8;
  let frob = 0;
  for (let r = 0; r < 8; r++) for (let c = 0; c < s; c++) frob += theta[wk.offset + r * hs + s + c] ** 2; // head 1
  const eig = sp.matrices["h0.K.head1"];
  assert.equal(eig.length, s);
  assert.ok(Math.abs(eig.reduce((a, b) => a + b, 0) - frob) < 1e-12 * frob);
  assert.equal(sp.matrices["h0.mlp.W1"].length, 8);
  const gg = new GptGradient(spec),
    prompt = corpus.encode("Call");
  const a = sampleText(spec, theta, prompt, 20, new Stream("test/sample", 0), gg),
    b = sampleText(spec, theta, prompt, 20, new Stream("test/sample", 0), gg);
  assert.deepEqual(a, b);
  assert.ok(a.every((t) => t >= 0 && t < spec.vocab));
});

test("gptTrainTask: independent runs on two worker threads give the bits of trainGpt in this thread; a bad corpus is reported with its input", async () => {
  const moby = gptCorpus({ text: "moby-dick" });
  const small: GptSpec = { vocab: moby.alphabet.length, block: 8, layers: 1, heads: 2, dModel: 8 };
  const config = (r: number) =>
    gptTrainConfig({ spec: small, batch: 2, iterations: 3, evalEvery: 3, evalWindows: 2, seed: `gpt-task/${r}` });
  const sources: GptCorpusSource[] = [
    { text: "moby-dick" },
    { text: "moby-dick", shuffle: { seed: Stream.path(5, "t/shuffle") } },
  ];
  const inputs = sources.map((corpus, r) => ({ config: config(r), corpus }));
  const threads = await parallelMap(gptTrainTask, inputs, { workers: 2 });
  for (const [r, input] of inputs.entries()) {
    const here = await trainGpt(input.config, { workers: 1, corpus: gptCorpus(input.corpus) });
    assert.deepEqual(threads[r].theta, here.theta, `run ${r}: θ`);
    assert.deepEqual(
      threads[r].history.map((h) => [h.trainLoss, h.validationLoss]),
      here.history.map((h) => [h.trainLoss, h.validationLoss]),
    );
    assert.equal("corpus" in threads[r], false, "the result leaves the corpus out");
  }
  // the shuffled corpus keeps the alphabet and the character counts, and changes the order
  const shuffled = gptCorpus(sources[1]);
  assert.deepEqual(shuffled.alphabet, moby.alphabet);
  assert.notDeepEqual(shuffled.train.subarray(0, 100), moby.train.subarray(0, 100));
  await assert.rejects(
    parallelMap(gptTrainTask, [inputs[0], { ...inputs[0], corpus: { text: "hamlet" as "moby-dick" } }], { workers: 2 }),
    /failed on input 1: .*unknown text "hamlet"/s,
  );
});
