import { test } from "node:test";
import assert from "node:assert/strict";
import { charCorpus, shuffledCorpus } from "../../lib/nn";
import { Stream } from "../../lib/random";

const text =
  "Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse.".repeat(20);
const corpus = charCorpus("test", text);

test("shuffledCorpus keeps every character's count, the alphabet and the split, and changes the order", () => {
  const s = shuffledCorpus(corpus, Stream.named(1, "test/shuffle", 0));
  assert.deepEqual(s.alphabet, corpus.alphabet);
  assert.equal(s.train.length, corpus.train.length);
  assert.equal(s.validation.length, corpus.validation.length);
  const counts = (c: typeof corpus) => {
    const n = new Array(c.alphabet.length).fill(0);
    for (const i of [...c.train, ...c.validation]) n[i]++;
    return n;
  };
  assert.deepEqual(counts(s), counts(corpus));
  const same = [...s.train].filter((x, i) => x === corpus.train[i]).length;
  assert.ok(same < 0.2 * s.train.length, `${same} of ${s.train.length} positions unchanged`);
  assert.match(s.name, /shuffled/);
});

test("shuffledCorpus is a function of its stream", () => {
  const a = shuffledCorpus(corpus, Stream.named(1, "test/shuffle", 0)),
    b = shuffledCorpus(corpus, Stream.named(1, "test/shuffle", 0)),
    c = shuffledCorpus(corpus, Stream.named(1, "test/shuffle", 1));
  assert.deepEqual(a.train, b.train);
  assert.notDeepEqual(a.train, c.train);
});
