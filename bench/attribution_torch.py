#!/usr/bin/python3
"""PyTorch side of `npm run bench -- attribution`: Captum's definitions in plain torch autograd
(Captum is not installable here), batched as Captum batches them (all path points of a chunk of
items in one forward and one backward pass). Answers one JSON command per stdin line.

  argv: <model.json> <fashion-mnist folder> <threads>
  {"cmd": "time", "method": "activation" | "gradxact" | "conductance" | "ig", "rows": 8192}
      → {"seconds", "mean": per-unit mean over the items (to check agreement with Neurite)}
model.json holds the MLP 784-256-10 (W0, b0, W1, b1), the item count, and Captum's Gauss–Legendre
alphas and step sizes for 64 steps (`ig`) and 65 points (`conductance`), made by Neurite.
"""
import gzip
import json
import struct
import sys
import time

import torch

model = json.load(open(sys.argv[1]))
torch.set_num_threads(int(sys.argv[3]))
folder = sys.argv[2]
N = model["items"]


def idx(name, offset, count, size):
    with gzip.open(f"{folder}/{name}.gz") as f:
        data = f.read()
    return torch.frombuffer(bytearray(data[offset:offset + count * size]), dtype=torch.uint8)


x = idx("t10k-images-idx3-ubyte", 16, N, 784).view(N, 784).float().div_(255)
labels = idx("t10k-labels-idx1-ubyte", 8, N, 1).long()
W0 = torch.tensor(model["W0"], dtype=torch.float32).view(256, 784)
b0 = torch.tensor(model["b0"], dtype=torch.float32)
W1 = torch.tensor(model["W1"], dtype=torch.float32).view(10, 256)
b1 = torch.tensor(model["b1"], dtype=torch.float32)
for p in (W0, b0, W1, b1):
    p.requires_grad_()


def forward(v):
    h = torch.relu(v @ W0.T + b0)
    return h @ W1.T + b1, h


def picked(logits, t):
    return logits.gather(1, t.view(-1, 1)).sum()


def activation(xs, ts, rows):
    with torch.no_grad():
        return forward(xs)[1]


def gradxact(xs, ts, rows):
    logits, h = forward(xs)
    (g,) = torch.autograd.grad(picked(logits, ts), h)
    return h * g


def chunks(rows, points):
    per = max(1, rows // points)
    return [(s, min(s + per, N)) for s in range(0, N, per)]


def conductance(xs, ts, rows):
    """LayerConductance: steps + 1 points, Σ_k ∂F/∂h(p_k) (h(p_{k+1}) − h(p_k))."""
    alphas = model["conductanceAlphas"]
    p = len(alphas)
    out = []
    for s, e in chunks(rows, p):
        xb, n = xs[s:e], e - s
        pts = torch.cat([a * xb for a in alphas])  # baseline 0
        logits, h = forward(pts)
        (g,) = torch.autograd.grad(picked(logits, ts[s:e].repeat(p)), h)
        out.append(((h[n:] - h[:-n]) * g[:-n]).view(p - 1, n, -1).sum(0))
    return torch.cat(out)


def ig(xs, ts, rows):
    """IntegratedGradients over the input pixels: (x − b) Σ_k w_k ∂F/∂x(p_k)."""
    alphas, sizes = model["igAlphas"], torch.tensor(model["igWeights"], dtype=torch.float32).view(-1, 1, 1)
    p = len(alphas)
    out = []
    for s, e in chunks(rows, p):
        xb, n = xs[s:e], e - s
        pts = torch.cat([a * xb for a in alphas]).requires_grad_()
        (g,) = torch.autograd.grad(picked(forward(pts)[0], ts[s:e].repeat(p)), pts)
        out.append((g.view(p, n, -1) * sizes).sum(0) * xb)
    return torch.cat(out)


methods = {"activation": activation, "gradxact": gradxact, "conductance": conductance, "ig": ig}
print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
for line in sys.stdin:
    c = json.loads(line)
    if c["cmd"] != "time":
        break
    fn = methods[c["method"]]
    t0 = time.perf_counter()
    values = fn(x, labels, c["rows"])
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "mean": [float(v) for v in values.mean(0).tolist()]}), flush=True)
