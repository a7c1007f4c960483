import { Stream } from "../random/stream";
import { requireAllFinite, requireInteger, requireLength } from "../util/validate";
import type { ResidualModel } from "./residual-model";

/**
 * A one-hidden-layer tanh network with scalar output, trained on N points:
 *   Φ(x, y) = Σ_k v_k tanh(w_kᵀy + c_k) + b,   r_i(x) = Φ(x, y_i) − z_i.
 * Parameters are stored unit by unit, [w_k (d entries), c_k, v_k] for k = 0..h−1, then b:
 * D = h(d + 2) + 1. With N < D and generic data the zero set M is a manifold of dimension D − N.
 *
 * Derivatives are exact. With t = tanh(a_k), σ' = 1 − t², σ'' = −2tσ' and ỹ = (y, 1):
 *   ∂Φ/∂(w_k, c_k) = v_k σ' ỹ,  ∂Φ/∂v_k = t,  ∂Φ/∂b = 1,
 * and ∇²Φ is block diagonal over units: ∂²Φ/∂(w,c)² = v_k σ'' ỹỹᵀ, ∂²Φ/∂(w,c)∂v_k = σ' ỹ.
 */
export class TanhMlp implements ResidualModel {
  readonly dim: number;
  readonly n: number;
  /** Input dimension d and hidden width h. */
  readonly inputs: number;
  readonly hidden: number;
  /** Inputs, row-major N × d, and targets z. */
  readonly data: Float64Array;
  readonly targets: Float64Array;

  constructor(inputs: number, hidden: number, data: Float64Array, targets: Float64Array) {
    requireInteger("inputs (d)", inputs, 1);
    requireInteger("hidden (width h)", hidden, 1);
    requireInteger("number of data points", targets.length, 1);
    requireLength("data (N·d entries)", data, targets.length * inputs);
    requireAllFinite("data", data);
    requireAllFinite("targets", targets);
    this.inputs = inputs;
    this.hidden = hidden;
    this.n = targets.length;
    this.dim = hidden * (inputs + 2) + 1;
    this.data = Float64Array.from(data);
    this.targets = Float64Array.from(targets);
  }

  /** Φ(x, y_i). */
  output(i: number, x: Float64Array): number {
    const d = this.inputs,
      stride = d + 2,
      yo = i * d;
    let phi = x[this.dim - 1];
    for (let k = 0; k < this.hidden; k++) {
      const o = k * stride;
      let a = x[o + d];
      for (let j = 0; j < d; j++) a += x[o + j] * this.data[yo + j];
      phi += x[o + d + 1] * Math.tanh(a);
    }
    return phi;
  }

  residual(i: number, x: Float64Array): number {
    return this.output(i, x) - this.targets[i];
  }

  residualGradient(i: number, x: Float64Array, out: Float64Array): number {
    // hot loop of every GD/SGD step: fields hoisted into locals
    const d = this.inputs,
      h = this.hidden,
      stride = d + 2,
      yo = i * d,
      y = this.data,
      last = this.dim - 1;
    let phi = x[last];
    for (let k = 0; k < h; k++) {
      const o = k * stride;
      let a = x[o + d];
      for (let j = 0; j < d; j++) a += x[o + j] * y[yo + j];
      const t = Math.tanh(a),
        v = x[o + d + 1];
      phi += v * t;
      const g = v * (1 - t * t);
      for (let j = 0; j < d; j++) out[o + j] = g * y[yo + j];
      out[o + d] = g;
      out[o + d + 1] = t;
    }
    out[last] = 1;
    return phi - this.targets[i];
  }

  addResidualHessian(i: number, x: Float64Array, weight: number, out: Float64Array): void {
    // hot loop of every full-spectrum Lyapunov step (|B| calls per step): locals, no closures
    const d = this.inputs,
      stride = d + 2,
      yo = i * d,
      D = this.dim,
      y = this.data;
    for (let k = 0; k < this.hidden; k++) {
      const o = k * stride;
      let a = x[o + d];
      for (let j = 0; j < d; j++) a += x[o + j] * y[yo + j];
      const t = Math.tanh(a),
        s1 = 1 - t * t,
        s2 = -2 * t * s1,
        v = x[o + d + 1];
      const vo = o + d + 1,
        c2 = weight * v * s2,
        c1 = weight * s1;
      for (let p = 0; p <= d; p++) {
        const yp = p < d ? y[yo + p] : 1,
          row = (o + p) * D + o,
          cp = c2 * yp;
        for (let q = 0; q < d; q++) out[row + q] += cp * y[yo + q];
        out[row + d] += cp;
        out[(o + p) * D + vo] += c1 * yp;
        out[vo * D + o + p] += c1 * yp;
      }
    }
  }

  addResidualHessianVector(i: number, x: Float64Array, u: Float64Array, weight: number, out: Float64Array): void {
    // per unit: (∇²Φ u)_{w,c} = v σ'' ỹ (ỹ·u_{w,c}) + σ' ỹ u_v and (∇²Φ u)_v = σ' ỹ·u_{w,c}
    const d = this.inputs,
      stride = d + 2,
      yo = i * d,
      y = this.data;
    for (let k = 0; k < this.hidden; k++) {
      const o = k * stride;
      let a = x[o + d],
        yu = u[o + d];
      for (let j = 0; j < d; j++) {
        a += x[o + j] * y[yo + j];
        yu += u[o + j] * y[yo + j];
      }
      const t = Math.tanh(a),
        s1 = 1 - t * t,
        s2 = -2 * t * s1,
        v = x[o + d + 1];
      const c = weight * (v * s2 * yu + s1 * u[o + d + 1]);
      for (let j = 0; j < d; j++) out[o + j] += c * y[yo + j];
      out[o + d] += c;
      out[o + d + 1] += weight * s1 * yu;
    }
  }

  /**
   * A random problem: inputs y_i ~ N(0, I_d), targets from a random "teacher" network of the same
   * shape with N(0, 1) weights (so the data are smooth and interpolable). Returns the student model.
   */
  static teacherStudent(
    stream: Stream,
    o: { inputs: number; hidden: number; samples: number; teacherHidden?: number },
  ): TanhMlp {
    requireInteger("samples (N)", o.samples, 1);
    const data = stream.fillNormal(new Float64Array(o.samples * o.inputs));
    const th = o.teacherHidden ?? o.hidden;
    const teacher = new TanhMlp(o.inputs, th, data, new Float64Array(o.samples));
    const w = stream.fillNormal(new Float64Array(teacher.dim));
    const z = new Float64Array(o.samples);
    for (let i = 0; i < o.samples; i++) z[i] = teacher.output(i, w);
    return new TanhMlp(o.inputs, o.hidden, data, z);
  }

  /**
   * A regression problem with a linear teacher z = βᵀy + noise·ε (β a random unit vector, inputs
   * y ~ N(0, I_d), ε ~ N(0, 1)), split into `train` points for the student (the returned model, width
   * `hidden`) and `test` held-out points of the same law (for the generalisation gap). Errors:
   * RangeErrors for non-integer sizes or a negative noise.
   */
  static linearTeacher(
    stream: Stream,
    o: { inputs: number; hidden: number; train: number; test: number; noise: number },
  ): { model: TanhMlp; test: { data: Float64Array; targets: Float64Array } } {
    requireInteger("inputs (d)", o.inputs, 1);
    requireInteger("train (number of training points)", o.train, 1);
    requireInteger("test (number of held-out points)", o.test, 1);
    if (!(o.noise >= 0)) throw new RangeError(`noise must be >= 0, got ${o.noise}`);
    const d = o.inputs,
      beta = stream.fillNormal(new Float64Array(d));
    const norm = Math.hypot(...beta);
    for (let j = 0; j < d; j++) beta[j] /= norm;
    const draw = (m: number) => {
      const data = stream.fillNormal(new Float64Array(m * d)),
        targets = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        let z = 0;
        for (let j = 0; j < d; j++) z += beta[j] * data[i * d + j];
        targets[i] = z + o.noise * stream.normal();
      }
      return { data, targets };
    };
    const train = draw(o.train),
      test = draw(o.test);
    return { model: new TanhMlp(d, o.hidden, train.data, train.targets), test };
  }
}
