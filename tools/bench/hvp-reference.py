"""Optional PyTorch reference for `npm run bench` (the bench runs without it): Hessian-vector
products of the bench's MNIST MLP by double backward, on the same data, weights and directions.

Usage: hvp-reference.py <prefix> <threads>. Reads <prefix>.json (sizes) and <prefix>.bin (float64
little-endian: theta, inputs, labels as float64, the k directions one after another), and prints
one JSON object: the median seconds of
  - "separate": k HVPs, each its own forward, gradient with create_graph and double backward;
  - "reused":   one forward and gradient graph, then k double backwards (retain_graph);
  - "batched":  one forward and gradient graph, then one double backward over all k directions
                (autograd.grad with is_grads_batched, a vmap over the backward); null if unsupported;
the same medians in CPU seconds (time.process_time, all threads: "separateCpu", …), and the
HVPs' relative difference from the ones the bench computed (<prefix>.hv.bin), so that the
comparison is between the same numbers. Threads: torch.set_num_threads(threads), with
OMP_NUM_THREADS and OPENBLAS_NUM_THREADS set by the caller before torch loads.
"""
import json
import sys
import time

import numpy as np
import torch

prefix, threads = sys.argv[1], int(sys.argv[2])
torch.set_num_threads(threads)
meta = json.load(open(prefix + ".json"))
D, N, widths, k = meta["dim"], meta["n"], meta["widths"], meta["k"]
raw = np.fromfile(prefix + ".bin", dtype="<f8")
o = 0
theta = torch.from_numpy(raw[o:o + D].copy()); o += D
X = torch.from_numpy(raw[o:o + N * widths[0]].reshape(N, widths[0]).copy()); o += N * widths[0]
y = torch.from_numpy(raw[o:o + N].astype(np.int64)); o += N
V = torch.from_numpy(raw[o:o + k * D].reshape(k, D).copy()); o += k * D


def loss(th):
    h, at = X, 0
    for layer in range(len(widths) - 1):
        a, b = widths[layer], widths[layer + 1]
        W = th[at:at + a * b].view(a, b); at += a * b
        c = th[at:at + b]; at += b
        h = h @ W + c
        if layer + 2 < len(widths):
            h = torch.tanh(h)
    return torch.nn.functional.cross_entropy(h, y)


def separate():
    out = []
    for c in range(k):
        th = theta.clone().requires_grad_(True)
        g, = torch.autograd.grad(loss(th), th, create_graph=True)
        hv, = torch.autograd.grad(g @ V[c], th)
        out.append(hv)
    return torch.stack(out)


def reused():
    th = theta.clone().requires_grad_(True)
    g, = torch.autograd.grad(loss(th), th, create_graph=True)
    return torch.stack([torch.autograd.grad(g, th, grad_outputs=V[c], retain_graph=True)[0] for c in range(k)])


def batched():
    th = theta.clone().requires_grad_(True)
    g, = torch.autograd.grad(loss(th), th, create_graph=True)
    return torch.autograd.grad(g, th, grad_outputs=V, is_grads_batched=True)[0]


def median_seconds(fn, clock=time.perf_counter, repeats=5):
    fn()
    times = []
    for _ in range(repeats):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    times.sort()
    return times[len(times) // 2]


ours = torch.from_numpy(np.fromfile(prefix + ".hv.bin", dtype="<f8").reshape(k, D))
result = {"threads": torch.get_num_threads(), "torch": torch.__version__}
for name, fn in (("separate", separate), ("reused", reused), ("batched", batched)):
    try:
        hv = fn()
        result[name] = median_seconds(fn)
        result[name + "Cpu"] = median_seconds(fn, time.process_time)  # CPU seconds of all of torch's threads
        result[name + "RelativeDifference"] = float((hv - ours).norm() / ours.norm())
    except Exception as e:  # is_grads_batched needs vmap support of every op in the graph
        result[name] = None
        result[name + "Error"] = str(e).splitlines()[0][:200]
print(json.dumps(result))
