// The Lyapunov spectrum of an SDE defined here, with the installed package (ES module).
//
//   dX = A X dt + σ X dW  (Itô),  A = [[−a, ω], [−ω, −a]]
//
// A is a contraction plus a rotation, and the noise σX is a multiple of the identity, so it
// commutes with A: X_t = exp((A − σ²/2) t + σ W_t) X_0, and |X_t| shrinks at the rate a + σ²/2
// whatever the direction. Both exponents are therefore λ₁ = λ₂ = −a − σ²/2 (−0.625 here).
// Euler–Maruyama's exponents differ from the SDE's by O(dt).
import { sdeTangent, lyapunovSpectrum } from "rds-solvers/lyapunov";
import { Stream } from "rds-solvers/random";

const a = 0.5,
  omega = 1,
  sigma = 0.5,
  dt = 1e-3;

/** The SDE, in the package's SdeSystem shape: drift, diffusion and their Jacobians, written into `out`. */
const sde = {
  dim: 2,
  noiseDim: 1,
  drift: (x, out) => {
    out[0] = -a * x[0] + omega * x[1];
    out[1] = -omega * x[0] - a * x[1];
  },
  diffusion: (x, out) => {
    out[0] = sigma * x[0];
    out[1] = sigma * x[1];
  },
  driftJacobian: (_x, out) => {
    out[0] = -a;
    out[1] = omega;
    out[2] = -omega;
    out[3] = -a;
  },
  diffusionJacobian: (_x, out) => {
    out[0] = sigma;
    out[1] = 0;
    out[2] = 0;
    out[3] = sigma;
  },
};

const spectrum = lyapunovSpectrum(sdeTangent(sde, { x0: [1, 0], dt, scheme: "euler-maruyama" }), {
  T: 2000,
  transient: 10,
  stream: Stream.named(1, "example/linear-sde"),
});
const exact = -a - (sigma * sigma) / 2;
const shown = Array.from(
  spectrum.exponents,
  (l, i) => `λ${i + 1} = ${l.toFixed(4)} ± ${spectrum.standardErrors[i].toFixed(4)}`,
);
console.log(
  `Lyapunov spectrum of dX = AX dt + σX dW (Itô, Euler–Maruyama, dt = ${dt}, T = ${spectrum.T}): ${shown.join(", ")}`,
);
console.log(`closed form: λ₁ = λ₂ = −a − σ²/2 = ${exact}`);
// Five standard errors, plus EM's first-order bias (a few dt here), before calling it wrong.
const off = Array.from(spectrum.exponents, (l, i) => Math.abs(l - exact) > 5 * spectrum.standardErrors[i] + 10 * dt);
if (off.some(Boolean)) {
  console.error("the measured spectrum disagrees with the closed form");
  process.exit(1);
}
