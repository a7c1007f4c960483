import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Stream } from "../../lib/random";
import { charCorpus, gptTrainConfig, learningRate, trainGpt, saveCheckpoint, loadCheckpoint, weightSpectra, requireDataPackage, gptInit, sampleText, GptGradient, gptLayout } from "../../lib/nn";

const text = "Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse, and nothing particular to interest me on shore, I thought I would sail about a little and see the watery part of the world. ".repeat(6);
const corpus = charCorpus("test", text);
const spec = { vocab: corpus.alphabet.length, block: 8, layers: 1, heads: 2, dModel: 8 };
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "gpt-train-"));

test("learningRate: linear warm-up to lr, cosine decay to minLr at the last iteration", () => {
  const c = gptTrainConfig({ spec, iterations: 1000, warmup: 100, lr: 1e-3, minLr: 1e-4 });
  assert.ok(Math.abs(learningRate(c, 50) - 5e-4) < 1e-18);
  assert.equal(learningRate(c, 100), 1e-3);
  assert.ok(Math.abs(learningRate(c, 550) - 5.5e-4) < 1e-15);
  assert.ok(Math.abs(learningRate(c, 1000) - 1e-4) < 1e-15);
});

test("gptTrainConfig and the corpus: invalid input is refused with the parameter named", () => {
  assert.throws(() => gptTrainConfig({ spec: { ...spec, dModel: 10, heads: 4 } }), /dModel 10 does not split into 4 heads/);
  assert.throws(() => gptTrainConfig({ spec, batch: 0 }), /batch/);
  assert.throws(() => gptTrainConfig({ spec, T: 9 }), /T \(window length\)/);
  assert.throws(() => gptTrainConfig({ spec, lr: -1 }), /lr/);
  assert.throws(() => requireDataPackage("@stdlib/datasets-not-a-package"), /npm install @stdlib\/datasets-not-a-package/);
  assert.throws(() => corpus.encode("§"), /not in its alphabet/);
  assert.equal(corpus.decode(corpus.encode("Call me")), "Call me");
});

test("trainGpt: the loss falls; one worker and two give the same bits; a killed run resumes bit-identically", async () => {
  const dir = tmp();
  const config = gptTrainConfig({ spec, batch: 4, iterations: 6, warmup: 1, evalEvery: 3, evalWindows: 4, checkpointEvery: 3, chunk: 2, lr: 3e-3 });
  const straight = await trainGpt(config, { workers: 1, corpus });
  const two = await trainGpt(config, { workers: 2, corpus });
  assert.deepEqual(two.theta, straight.theta);
  assert.ok(straight.history[5].trainLoss < straight.history[0].trainLoss);
  // kill after the checkpoint at iteration 3, then resume
  const file = path.join(dir, "ck.json");
  await assert.rejects(trainGpt(config, { workers: 2, corpus, checkpoint: file, onProgress: (p) => { if (p.iteration === 4) throw new Error("killed"); } }), /killed/);
  assert.equal(loadCheckpoint(file, config).iteration, 3);
  const resumed = await trainGpt(config, { workers: 1, corpus, checkpoint: file, resume: true });
  assert.equal(resumed.resumedFrom, 3);
  assert.deepEqual(resumed.theta, straight.theta);
  assert.deepEqual(resumed.history.map((h) => h.trainLoss), straight.history.map((h) => h.trainLoss));
  assert.deepEqual(fs.readdirSync(dir), ["ck.json"]); // atomic writes leave no temporary file
});

test("checkpoints: exact round trip; a corrupt or mismatched file is named and left untouched", () => {
  const dir = tmp(), file = path.join(dir, "ck.json");
  const config = gptTrainConfig({ spec, iterations: 10 });
  const theta = gptInit(spec, new Stream("test/ck", 0)), m = theta.map((x) => x * 1e-3), v = theta.map((x) => x * x);
  saveCheckpoint(file, { format: "gpt-checkpoint/1", config, corpus: "test", iteration: 7, theta, m, v, history: [], spectra: [] });
  const back = loadCheckpoint(file, config);
  assert.deepEqual(back.theta, theta); assert.deepEqual(back.m, m); assert.deepEqual(back.v, v);
  assert.throws(() => loadCheckpoint(file, gptTrainConfig({ spec, iterations: 10, lr: 2e-3 })), new RegExp(`checkpoint ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} was written with another configuration: lr = 0.001 there, 0.002 here`));
  const bad = path.join(dir, "bad.json");
  fs.writeFileSync(bad, "{ not json");
  assert.throws(() => loadCheckpoint(bad), /checkpoint .*bad\.json is unreadable or corrupt/);
  assert.equal(fs.readFileSync(bad, "utf8"), "{ not json");
  const short = JSON.parse(fs.readFileSync(file, "utf8"));
  short.theta = Buffer.from(new Float64Array(3).buffer).toString("base64");
  fs.writeFileSync(bad, JSON.stringify(short));
  assert.throws(() => loadCheckpoint(bad), /field theta holds 3 numbers, the configuration needs/);
});

test("weightSpectra: each head's eigenvalues sum to the squared Frobenius norm of its d × s block; sampleText is seeded", () => {
  const theta = gptInit(spec, new Stream("test/spectra", 0), { std: 0.3 });
  const sp = weightSpectra(spec, theta, 0);
  const wk = gptLayout(spec).blocks.find((b) => b.name === "h0.attn.Wk")!;
  const s = 4, hs = 8;
  let frob = 0;
  for (let r = 0; r < 8; r++) for (let c = 0; c < s; c++) frob += theta[wk.offset + r * hs + s + c] ** 2; // head 1
  const eig = sp.matrices["h0.K.head1"];
  assert.equal(eig.length, s);
  assert.ok(Math.abs(eig.reduce((a, b) => a + b, 0) - frob) < 1e-12 * frob);
  assert.equal(sp.matrices["h0.mlp.W1"].length, 8);
  const gg = new GptGradient(spec), prompt = corpus.encode("Call");
  const a = sampleText(spec, theta, prompt, 20, new Stream("test/sample", 0), gg), b = sampleText(spec, theta, prompt, 20, new Stream("test/sample", 0), gg);
  assert.deepEqual(a, b);
  assert.ok(a.every((t) => t >= 0 && t < spec.vocab));
});
