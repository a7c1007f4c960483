"""Optional PyTorch reference for `npm run bench` (the bench runs without it).

The model of Karpathy's lecture script gpt.py (ng-video-lecture, the version of the video, which
the RMT talk trained) at its small configuration: vocabulary 65, block 32, n_embd 64, 4 heads,
4 layers, dropout 0; ReLU MLP, biases on the attention projection and the MLP, an untied lm_head
with a bias, PyTorch's default initialisation, scores scaled by n_embd^-1/2; AdamW with PyTorch's
defaults at a constant learning rate 1e-3; batches of 16 windows of 32 tokens. Written here from
the description (same architecture, not the script's code): heads as slices of one projection,
which is the same arithmetic as separate per-head Linear layers up to the order of additions.

Prints one JSON object: milliseconds per training iteration (forward, backward, AdamW step) in
float32 and in float64, wall clock and CPU time (all threads), the median over repeats after a
warm-up, the parameter count, and the thread counts. The caller sets OPENBLAS_NUM_THREADS; --threads sets torch.set_num_threads.

With --check, it reads {"spec", "theta", "inputs", "targets", "sequences"} as JSON from stdin (θ
in lib/nn's layout for the lecture variant, gptLayout) and prints {"loss", "gradient"} in float64,
the gradient in the same layout: test/nn/gpt-torch.test.ts compares them with lib/nn's model.
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, heads, block):
        super().__init__()
        self.heads = heads
        self.d = d
        self.ln1 = nn.LayerNorm(d)
        self.ln2 = nn.LayerNorm(d)
        self.key = nn.Linear(d, d, bias=False)
        self.query = nn.Linear(d, d, bias=False)
        self.value = nn.Linear(d, d, bias=False)
        self.proj = nn.Linear(d, d)
        self.fc1 = nn.Linear(d, 4 * d)
        self.fc2 = nn.Linear(4 * d, d)
        self.register_buffer("mask", torch.tril(torch.ones(block, block)) == 0)

    def attention(self, x):
        B, T, C = x.shape
        s = C // self.heads
        split = lambda y: y.view(B, T, self.heads, s).transpose(1, 2)
        k, q, v = split(self.key(x)), split(self.query(x)), split(self.value(x))
        w = (q @ k.transpose(-2, -1)) * C ** -0.5  # the lecture's scale: n_embd, not the head size
        w = F.softmax(w.masked_fill(self.mask[:T, :T], float("-inf")), dim=-1)
        return self.proj((w @ v).transpose(1, 2).reshape(B, T, C))

    def forward(self, x):
        x = x + self.attention(self.ln1(x))
        return x + self.fc2(F.relu(self.fc1(self.ln2(x))))


class LectureGpt(nn.Module):
    def __init__(self, vocab, block, d, heads, layers):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(block, d)
        self.blocks = nn.Sequential(*[Block(d, heads, block) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, vocab)

    def forward(self, idx, targets):
        T = idx.shape[1]
        x = self.tok(idx) + self.pos(torch.arange(T))
        logits = self.lm_head(self.ln_f(self.blocks(x)))
        return F.cross_entropy(logits.view(-1, logits.shape[-1]), targets.view(-1))


def ms_per_iteration(dtype, iterations, repeats, vocab=65, block=32, batch=16):
    torch.manual_seed(1)
    model = LectureGpt(vocab, block, 64, 4, 4).to(dtype)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    data = torch.randint(vocab, (20000,))

    def step():
        ix = torch.randint(len(data) - block - 1, (batch,))
        x = torch.stack([data[i:i + block] for i in ix])
        y = torch.stack([data[i + 1:i + block + 1] for i in ix])
        loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    for _ in range(10):
        step()
    times, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(iterations):
            step()
        times.append((time.perf_counter() - t0) / iterations)
        cpu.append((time.process_time() - c0) / iterations)
    times.sort()
    cpu.sort()
    return 1000 * times[len(times) // 2], 1000 * cpu[len(cpu) // 2], sum(p.numel() for p in model.parameters())


def check():
    """Loss and gradient of lib/nn's θ (layout of gptLayout, lecture variant) in this PyTorch model, float64."""
    import sys
    q = json.load(sys.stdin)
    sp = q["spec"]
    V, block, d, H, L = sp["vocab"], sp["block"], sp["dModel"], sp["heads"], sp["layers"]
    torch.set_default_dtype(torch.float64)
    model = LectureGpt(V, block, d, H, L)
    theta = torch.tensor(q["theta"], dtype=torch.float64)
    at = [0]
    named = []  # (parameter, transpose?) in gptLayout's order

    def take(param, transpose=False):
        named.append((param, transpose))
        n = param.numel()
        chunk = theta[at[0]:at[0] + n]
        at[0] += n
        with torch.no_grad():
            if transpose:
                param.copy_(chunk.view(param.shape[1], param.shape[0]).t())
            else:
                param.copy_(chunk.view(param.shape))

    take(model.tok.weight)
    take(model.pos.weight)
    for blk in model.blocks:
        take(blk.ln1.weight); take(blk.ln1.bias)
        take(blk.query.weight, True); take(blk.key.weight, True); take(blk.value.weight, True)
        take(blk.proj.weight, True); take(blk.proj.bias)
        take(blk.ln2.weight); take(blk.ln2.bias)
        take(blk.fc1.weight, True); take(blk.fc1.bias)
        take(blk.fc2.weight, True); take(blk.fc2.bias)
    take(model.ln_f.weight); take(model.ln_f.bias)
    take(model.lm_head.weight, True); take(model.lm_head.bias)
    assert at[0] == theta.numel(), f"layout: {at[0]} of {theta.numel()} numbers"
    B = q["sequences"]
    x = torch.tensor(q["inputs"]).view(B, -1)
    y = torch.tensor(q["targets"]).view(B, -1)
    loss = model(x, y)
    loss.backward()
    grad = torch.cat([(p.grad.t() if t else p.grad).reshape(-1) for p, t in named])
    print(json.dumps({"loss": loss.item(), "gradient": grad.tolist()}))


if __name__ == "__main__":
    import sys
    if "--check" in sys.argv:
        check()
        sys.exit(0)
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--iterations", type=int, default=20)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    f32, cpu32, params = ms_per_iteration(torch.float32, a.iterations, a.repeats)
    f64, cpu64, _ = ms_per_iteration(torch.float64, a.iterations, a.repeats)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "parameters": params, "msFloat32": f32, "msFloat64": f64, "cpuMsFloat32": cpu32, "cpuMsFloat64": cpu64}))
