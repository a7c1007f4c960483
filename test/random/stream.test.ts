import { test } from "node:test";
import assert from "node:assert/strict";
import { Stream } from "../../lib/random";
import { ksOneSample, normalCdf } from "../../lib/stats";

test("same (seed, index) gives the same numbers bit for bit; another index does not", () => {
  const a = new Stream(42, 3).fillNormal(new Float64Array(1000));
  const b = new Stream(42, 3).fillNormal(new Float64Array(1000));
  const c = new Stream(42, 4).fillNormal(new Float64Array(1000));
  assert.deepEqual(Buffer.from(a.buffer), Buffer.from(b.buffer));
  assert.notDeepEqual(Array.from(a), Array.from(c));
  assert.equal(new Stream("x", 0).uniform(), new Stream("x", 0).uniform());
});

test("a split stream equals the stream built from (seed, index), whatever was drawn before", () => {
  const parent = new Stream(9, 0);
  parent.fillUniform(new Float64Array(17));
  assert.deepEqual(parent.split(5).state(), new Stream(9, 5).state());
});

test("standard normals: KS against N(0,1) at n = 10^6 accepts the right law and rejects a 1% wrong scale", () => {
  const x = new Stream(1, 0).fillNormal(new Float64Array(1_000_000));
  const right = ksOneSample(x, normalCdf);
  assert.ok(right.pValue > 1e-3, `p = ${right.pValue}`);
  // The same test must be able to fail: N(0, 1.01²) is rejected at this sample size.
  const wrong = ksOneSample(x, (v) => normalCdf(v / 1.01));
  assert.ok(wrong.pValue < 1e-3, `p = ${wrong.pValue}`);
});

test("standard normals: moments within 5 standard errors (n = 2·10^6), tails included", () => {
  const n = 2_000_000;
  const x = new Stream(2, 0).fillNormal(new Float64Array(n));
  let m1 = 0,
    m2 = 0,
    m4 = 0,
    tail = 0;
  for (const v of x) {
    m1 += v;
    m2 += v * v;
    m4 += v ** 4;
    if (Math.abs(v) > 3.6541528853610088) tail++;
  }
  m1 /= n;
  m2 /= n;
  m4 /= n;
  assert.ok(Math.abs(m1) < 5 / Math.sqrt(n));
  assert.ok(Math.abs(m2 - 1) < 5 * Math.sqrt(2 / n));
  assert.ok(Math.abs(m4 - 3) < 5 * Math.sqrt(96 / n));
  // Beyond the ziggurat's R the tail sampler is used: P(|Z| > R) = 2.58e-4.
  const p = 2 * (1 - normalCdf(3.6541528853610088));
  assert.ok(Math.abs(tail / n - p) < 5 * Math.sqrt(p / n), `tail ${tail / n} vs ${p}`);
});

test("normal() and fillNormal() produce the same law; uniforms are uniform on [0, 1)", () => {
  const s = new Stream(3, 0);
  const one = Float64Array.from({ length: 200_000 }, () => s.normal());
  assert.ok(ksOneSample(one, normalCdf).pValue > 1e-3);
  const u = new Stream(3, 1).fillUniform(new Float64Array(500_000));
  assert.ok(u.every((v) => v >= 0 && v < 1));
  assert.ok(ksOneSample(u, (v) => Math.min(1, Math.max(0, v))).pValue > 1e-3);
});

test("int(n) is unbiased: chi-square over 7 bins", () => {
  const s = new Stream(4, 0);
  const counts = new Array(7).fill(0);
  const n = 700_000;
  for (let i = 0; i < n; i++) counts[s.int(7)]++;
  const chi2 = counts.reduce((acc, c) => acc + (c - n / 7) ** 2 / (n / 7), 0);
  assert.ok(chi2 < 24.3, `chi2 = ${chi2} (99.95% quantile of chi2(6) is 24.1)`);
});

test("streams with different indices are uncorrelated", () => {
  const n = 200_000;
  const a = new Stream(5, 0).fillNormal(new Float64Array(n));
  const b = new Stream(5, 1).fillNormal(new Float64Array(n));
  let c = 0;
  for (let i = 0; i < n; i++) c += a[i] * b[i];
  assert.ok(Math.abs(c / n) < 5 / Math.sqrt(n));
});

test("bad arguments are rejected with the parameter named", () => {
  assert.throws(() => new Stream(NaN), /seed/);
  assert.throws(() => new Stream(1, -1), /index/);
  assert.throws(() => new Stream(1).int(0), /n must be/);
});

test("named streams: the same name and index give the same numbers, different names or indices independent ones", () => {
  const n = 100_000;
  const draw = (s: Stream) => s.fillNormal(new Float64Array(n));
  assert.deepEqual(draw(Stream.named(7, "09/bootstrap", 3)), draw(Stream.named(7, "09/bootstrap", 3)));
  assert.deepEqual(
    draw(Stream.named(7, "09/bootstrap", 3)),
    draw(new Stream(Stream.path(7, "09/bootstrap"), 3)),
    "path + index is the same stream",
  );
  assert.deepEqual(
    draw(Stream.named(Stream.path(7, "09"), "bootstrap")),
    draw(Stream.named(7, "09/bootstrap")),
    "names form a tree",
  );
  // Pairwise sample correlations of streams that must be independent: each |r|·√n is N(0, 1)
  // under independence; 4.9 is the two-sided 1e-6 point (15 pairs, family-wise < 2e-5).
  const streams = [
    Stream.named(7, "a"),
    Stream.named(7, "b"),
    Stream.named(7, "a", 1),
    Stream.named(8, "a"),
    new Stream(7, 0),
    new Stream(7, 0).child("a"),
  ];
  const xs = streams.map(draw);
  for (let i = 0; i < xs.length; i++)
    for (let j = i + 1; j < xs.length; j++) {
      let sxy = 0;
      for (let k = 0; k < n; k++) sxy += xs[i][k] * xs[j][k];
      assert.ok(
        Math.abs(sxy / n) * Math.sqrt(n) < 4.9,
        `streams ${i} and ${j}: r√n = ${(sxy / Math.sqrt(n)).toFixed(2)}`,
      );
      assert.notEqual(xs[i][0], xs[j][0]);
    }
});

test("child streams depend on the parent's index; bad names are refused", () => {
  const a = new Stream(3, 0).child("run", 1).normal(),
    b = new Stream(3, 1).child("run", 1).normal();
  assert.notEqual(a, b);
  assert.equal(new Stream(3, 0).child("run", 1).normal(), a);
  assert.notEqual(Stream.named(3, "0/run", 1).normal(), a, "a child is not a named stream of a numeric seed");
  for (const bad of ["", "/x", "x/", "a[1]"]) assert.throws(() => Stream.named(1, bad), /stream name/);
  assert.throws(() => Stream.named(NaN, "x"), /seed/);
});
