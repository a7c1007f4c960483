import seedrandom from "seedrandom";
import { ZIGGURAT_R, ZIG_F, ZIG_X } from "./ziggurat";

/**
 * A seeded stream of random numbers: xoshiro128** (Blackman & Vigna, 2018) for the bits, a
 * 256-layer ziggurat for standard normals.
 *
 * Why hand-written: xoshiro128** needs only 32-bit integer operations, which V8 runs natively
 * (Math.imul, shifts), so a typed-array fill loop produces > 80 million normals per second on one
 * core; seedrandom's generators are 5-10x slower and are used here only to turn (seed, index) into
 * the 128-bit state. `npm run bench` measures both.
 *
 * Streams are split by (seed, index): `new Stream(seed, k)` is the k-th independent stream of a
 * run, so work item k draws the same numbers whether it runs on one worker or on many.
 *
 * Doubles carry 53 random bits. The ziggurat uses disjoint bits of two 32-bit words for the layer
 * (8 bits), the sign (1 bit) and the abscissa (53 bits), so none of them are correlated.
 *
 * `normal()` serves values from an internal block filled by `fillNormal`; the sequence of values
 * is a pure function of (seed, index) and the sequence of calls made on the stream.
 */
export class Stream {
  readonly seed: number | string;
  readonly index: number;
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
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
    this.s0 = init.int32();
    this.s1 = init.int32();
    this.s2 = init.int32();
    this.s3 = init.int32();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** The k-th child stream of this one's seed: a convenience for `new Stream(seed, k)`. */
  split(index: number): Stream {
    return new Stream(this.seed, index);
  }

  /** Next 32 random bits as an unsigned integer in [0, 2^32). */
  nextU32(): number {
    let s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
    this.s0 = s0; this.s1 = s1; this.s2 = s2; this.s3 = s3;
    return r >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextU32() >>> 11;
    const lo = this.nextU32();
    return (hi * 4294967296 + lo) * 1.1102230246251565e-16; // 2^-53
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296) {
      throw new RangeError(`Stream.int: n must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = 4294967296 - (4294967296 % n); // accept u < limit: a multiple of n
    for (;;) {
      const u = this.nextU32();
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

  /** Fill out[start..end) with uniforms in [0, 1). No allocation. */
  fillUniform(out: Float64Array, start = 0, end = out.length): Float64Array {
    let s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    for (let k = start; k < end; k++) {
      let r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      let t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
      const hi = r >>> 11;
      r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
      out[k] = (hi * 4294967296 + (r >>> 0)) * 1.1102230246251565e-16;
    }
    this.s0 = s0; this.s1 = s1; this.s2 = s2; this.s3 = s3;
    return out;
  }

  /**
   * Fill out[start..end) with independent standard normals (ziggurat). The hot loop keeps the
   * generator state in locals and allocates nothing.
   */
  fillNormal(out: Float64Array, start = 0, end = out.length): Float64Array {
    let s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const X = ZIG_X, F = ZIG_F;
    let k = start;
    while (k < end) {
      let a = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      let t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
      const b = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
      const i = a & 255;
      // Bit 8 is the sign, applied without a branch: a random sign would mispredict half the time.
      const sign = 1 - ((a >>> 7) & 2);
      a = a >>> 11;
      const u = (a * 4294967296 + (b >>> 0)) * 1.1102230246251565e-16;
      const z = u * X[i];
      if (z < X[i + 1]) {
        out[k++] = sign * z;
        continue;
      }
      // Slow path (~1.2%): leave the hot loop's state to the methods, then come back.
      this.s0 = s0; this.s1 = s1; this.s2 = s2; this.s3 = s3;
      let v: number;
      if (i === 0) {
        v = this.tail();
      } else {
        // Is a uniform height in layer i below the curve at z?
        const y = F[i] + this.uniform() * (F[i + 1] - F[i]);
        v = y < Math.exp(-0.5 * z * z) ? z : NaN;
      }
      s0 = this.s0; s1 = this.s1; s2 = this.s2; s3 = this.s3;
      if (v === v) out[k++] = sign * v; // rejected points (NaN) draw again
    }
    this.s0 = s0; this.s1 = s1; this.s2 = s2; this.s3 = s3;
    return out;
  }

  /** Marsaglia's tail sampler: a normal conditioned on |x| > R. */
  private tail(): number {
    for (;;) {
      const e1 = -Math.log(1 - this.uniform()) / ZIGGURAT_R;
      const e2 = -Math.log(1 - this.uniform());
      if (2 * e2 >= e1 * e1) return ZIGGURAT_R + e1;
    }
  }

  /** A snapshot of the generator state (for checkpoints and tests). */
  state(): [number, number, number, number] {
    return [this.s0, this.s1, this.s2, this.s3];
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
