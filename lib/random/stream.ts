import seedrandom from "seedrandom";
import { ZIGGURAT_R, ZIG_F, ZIG_X } from "./ziggurat";

/** What identifies a family of streams: a root seed, or a path made by `Stream.path`. */
export type StreamSeed = number | string;

/**
 * A seeded stream of random numbers: xoshiro128 (Blackman & Vigna, 2018) for the bits, a
 * 256-layer ziggurat for standard normals.
 *
 * Why hand-written: xoshiro128 needs only 32-bit integer operations, which V8 runs natively
 * (Math.imul, shifts), so a typed-array fill loop produces > 80 million normals per second on one
 * core; seedrandom's generators are 5-10x slower and are used here only to turn (seed, index) into
 * the 128-bit state. `npm run bench` measures both.
 *
 * Streams are split by (seed, index): `new Stream(seed, k)` is the k-th independent stream of a
 * run, so work item k draws the same numbers whether it runs on one worker or on many.
 *
 * Doubles carry 53 random bits. The ziggurat uses disjoint bits of two 32-bit words for the layer
 * (8 bits), the sign (1 bit) and the abscissa (53 bits), so none of them are correlated (see
 * fillNormal for which scrambler feeds which bits).
 *
 * `normal()` serves values from an internal block filled by `fillNormal`; the sequence of values
 * is a pure function of (seed, index) and the sequence of calls made on the stream.
 */
export class Stream {
  readonly seed: number | string;
  readonly index: number;
  /** xoshiro128 state, four 32-bit words (an Int32Array so that module helpers can share it). */
  private readonly st = new Int32Array(4);
  private readonly block = new Float64Array(256);
  private blockPos = 256;

  constructor(seed: number | string, index = 0) {
    if (typeof seed === "number" && !Number.isFinite(seed)) {
      throw new RangeError(`Stream: seed must be a finite number or a string, got ${seed}`);
    }
    if (!Number.isInteger(index) || index < 0) {
      throw new RangeError(`Stream: index must be a non-negative integer, got ${index}`);
    }
    this.seed = seed;
    this.index = index;
    const init = seedrandom(`rds:${String(seed)}:${index}`);
    for (let w = 0; w < 4; w++) this.st[w] = init.int32();
    if ((this.st[0] | this.st[1] | this.st[2] | this.st[3]) === 0) this.st[0] = 1; // all-zero is a fixed point
  }

  /**
   * The stream called `name` (index `index`) under a root seed: `Stream.named(seed, "09/bootstrap", i)`.
   * Streams are identified by a path and an index; this one's path is `<seed>/<name>`, so names
   * separated by "/" form a tree ("09/bootstrap" is the child "bootstrap" of "09"). Different
   * (path, index) pairs give independent streams, the same pair the same stream, on any worker.
   * Names are what a reader checks instead of offset arithmetic.
   *
   * Errors: a RangeError for an empty name, a name with "[" or "]" (reserved for `child`), a
   * leading or trailing "/", or a bad index.
   */
  static named(seed: StreamSeed, name: string, index = 0): Stream {
    return new Stream(Stream.path(seed, name), index);
  }

  /**
   * The path `<seed>/<name>` of `Stream.named(seed, name, ·)`, for work items that carry a seed and
   * an index to a worker (`{ seed: Stream.path(P.seed, "04/spectrum"), index: r }` gives run r the
   * stream `Stream.named(P.seed, "04/spectrum", r)`). Errors: as `named`.
   */
  static path(seed: StreamSeed, name: string): string {
    if (typeof seed === "number" && !Number.isFinite(seed)) {
      throw new RangeError(`Stream.named: seed must be a finite number or a string, got ${seed}`);
    }
    requireStreamName(name);
    return `${String(seed)}/${name}`;
  }

  /**
   * The sub-stream called `name` (index `index`) of this very stream: its path is
   * `<this path>[<this index>]/<name>`, so children of different streams never coincide, and no
   * child coincides with a stream made by `Stream.named` from a numeric seed. Errors: as `named`.
   */
  child(name: string, index = 0): Stream {
    requireStreamName(name);
    return new Stream(`${String(this.seed)}[${this.index}]/${name}`, index);
  }

  /** The k-th child stream of this one's seed: a convenience for `new Stream(seed, k)`. */
  split(index: number): Stream {
    return new Stream(this.seed, index);
  }

  /** Next 32 random bits as an unsigned integer in [0, 2^32) (xoshiro128**). */
  nextU32(): number {
    return nextU32(this.st);
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    return uniform53(this.st);
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296) {
      throw new RangeError(`Stream.int: n must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = 4294967296 - (4294967296 % n); // accept u < limit: a multiple of n
    for (;;) {
      const u = nextU32(this.st);
      if (u < limit) return u % n;
    }
  }

  /** A standard normal N(0, 1). */
  normal(): number {
    if (this.blockPos === this.block.length) {
      this.fillNormal(this.block);
      this.blockPos = 0;
    }
    return this.block[this.blockPos++];
  }

  /**
   * Copy `count` standard normals into out[start..start+count) from the stream's internal block,
   * the same block normal() serves from: cheap for small draws (a few per step), and any mix of
   * normal() and drawNormals() calls reads one sequence in order. No allocation.
   */
  drawNormals(out: Float64Array, start: number, count: number): void {
    const block = this.block;
    let k = start;
    const end = start + count;
    while (k < end) {
      if (this.blockPos === block.length) {
        this.fillNormal(block);
        this.blockPos = 0;
      }
      const take = Math.min(end - k, block.length - this.blockPos);
      for (let j = 0; j < take; j++) out[k + j] = block[this.blockPos + j];
      this.blockPos += take;
      k += take;
    }
  }

  /** Fill out[start..end) with uniforms in [0, 1) (xoshiro128**, 53 bits). No allocation. */
  fillUniform(out: Float64Array, start = 0, end = out.length): Float64Array {
    const st = this.st;
    let s0 = st[0],
      s1 = st[1],
      s2 = st[2],
      s3 = st[3];
    for (let k = start; k < end; k++) {
      let r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      let t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      const hi = r >>> 11;
      r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      out[k] = (hi * 4294967296 + (r >>> 0)) * 1.1102230246251565e-16;
    }
    st[0] = s0;
    st[1] = s1;
    st[2] = s2;
    st[3] = s3;
    return out;
  }

  /**
   * Fill out[start..end) with independent standard normals (ziggurat). The hot loop keeps the
   * generator state in locals and allocates nothing.
   *
   * Bits: this loop uses the xoshiro128+ scrambler (s0 + s3), which Vigna recommends for
   * floating-point output: it is faster here than ** and its only weakness, low linear complexity
   * of the lowest bits, is harmless where they land. The layer index and the sign come from the
   * top 9 bits of the first word; bits 2–22 of it and all 32 bits of the second word make the
   * 53-bit abscissa, so the weak low bits of the second word sit at the 2^-53 end and the two
   * lowest bits of the first are dropped. Integer draws (nextU32, int) use the ** scrambler,
   * whose low bits are sound, because int() reduces modulo n.
   */
  fillNormal(out: Float64Array, start = 0, end = out.length): Float64Array {
    const st = this.st;
    let s0 = st[0],
      s1 = st[1],
      s2 = st[2],
      s3 = st[3];
    const X = ZIG_X,
      XS = ZIG_X_SCALED;
    let k = start;
    while (k < end) {
      const a = (s0 + s3) | 0;
      let t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      const b = (s0 + s3) | 0;
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      const i = a >>> 24;
      // Bit 23 is the sign, applied without a branch: a random sign would mispredict half the time.
      const sign = 1 - ((a >>> 22) & 2);
      // z = u·X[i] with u the 53-bit uniform; the 2^-53 is folded into the table.
      const z = (((a >>> 2) & 0x1fffff) * 4294967296 + (b >>> 0)) * XS[i];
      if (z < X[i + 1]) {
        out[k++] = sign * z;
        continue;
      }
      // Slow path (~1.2%), out of line so that it does not weigh on the hot loop.
      st[0] = s0;
      st[1] = s1;
      st[2] = s2;
      st[3] = s3;
      const v = zigguratSlowPath(st, i, z);
      s0 = st[0];
      s1 = st[1];
      s2 = st[2];
      s3 = st[3];
      if (v === v) out[k++] = sign * v; // a rejected point (NaN) draws again
    }
    st[0] = s0;
    st[1] = s1;
    st[2] = s2;
    st[3] = s3;
    return out;
  }

  /** A snapshot of the generator state (for checkpoints and tests). */
  state(): [number, number, number, number] {
    return [this.st[0], this.st[1], this.st[2], this.st[3]];
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** xoshiro128** output, advancing the state. */
function nextU32(st: Int32Array): number {
  let s0 = st[0],
    s1 = st[1],
    s2 = st[2],
    s3 = st[3];
  const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl(s3, 11);
  st[0] = s0;
  st[1] = s1;
  st[2] = s2;
  st[3] = s3;
  return r >>> 0;
}

function uniform53(st: Int32Array): number {
  const hi = nextU32(st) >>> 11;
  const lo = nextU32(st);
  return (hi * 4294967296 + lo) * 1.1102230246251565e-16;
}

/** X[i]·2^-53: the ziggurat's layer widths with the 53-bit scale folded in. */
const ZIG_X_SCALED = ZIG_X.map((x) => x * 1.1102230246251565e-16);

/**
 * The ziggurat's slow path for a point z of layer i outside the layer's inner rectangle: the tail
 * (layer 0: Marsaglia's sampler for |x| > R) or a test against the density. NaN means rejected.
 */
function zigguratSlowPath(st: Int32Array, i: number, z: number): number {
  if (i === 0) {
    for (;;) {
      const e1 = -Math.log(1 - uniform53(st)) / ZIGGURAT_R;
      const e2 = -Math.log(1 - uniform53(st));
      if (2 * e2 >= e1 * e1) return ZIGGURAT_R + e1;
    }
  }
  const y = ZIG_F[i] + uniform53(st) * (ZIG_F[i + 1] - ZIG_F[i]);
  return y < Math.exp(-0.5 * z * z) ? z : NaN;
}

function requireStreamName(name: string): void {
  if (
    typeof name !== "string" ||
    name.length === 0 ||
    /[[\]]/.test(name) ||
    name.startsWith("/") ||
    name.endsWith("/")
  ) {
    throw new RangeError(
      `stream name must be a non-empty string without "[", "]" or a leading/trailing "/", got ${JSON.stringify(name)}`,
    );
  }
}
