// Lane helpers shared by the AssemblyScript kernels (imported, not an entry of the build: nothing
// here is exported from kernels.wasm).

/** A v128 with lane 0 loaded from byte offset p and lane 1 from q. */
@inline export function pair(p: usize, q: usize): v128 {
  return v128.load64_lane(q, v128.load64_splat(p), 1);
}
