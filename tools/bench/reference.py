"""Optional LAPACK/OpenBLAS reference for `npm run bench` (the bench runs without it).

Prints one JSON object: the median seconds of numpy's eigvalsh on a 500 x 500 symmetric matrix
and of a 256^3 float64 matmul, with OpenBLAS limited to one thread (set by the caller through
OPENBLAS_NUM_THREADS=1 before numpy loads), so the comparison is one core against one core.
"""
import json
import time

import numpy as np


def median_seconds(fn, repeats=9):
    for _ in range(3):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


rng = np.random.default_rng(10)
g = rng.standard_normal((500, 500))
sym = (g + g.T) / 2
a = rng.standard_normal((256, 256))
b = rng.standard_normal((256, 256))
print(json.dumps({
    "eigvalsh500": median_seconds(lambda: np.linalg.eigvalsh(sym)),
    "matmul256": median_seconds(lambda: a @ b),
}))
