#!/usr/bin/python3
"""PyTorch side of `npm run bench -- perforated`: the perforated MLP 784-h-10 with two dendrite sets
joined to both layers, one training step of each phase, timed. One JSON command per stdin line:

  {"cmd": "steps", "phase": "neuron"|"dendrite", "seconds": 1.5} → {"steps", "seconds", "cpu"}

neuron: o = xWᵀ + b + Σ_k c_k σ(x_d U_kᵀ + a_k + Σ_{j<k} v_kj d_j), x_d the input detached; cross-entropy;
        momentum SGD (lr 0.01, 0.9) on W, b and every c.
dendrite: the same forward pass, e = ∂L/∂o per layer (autograd.grad), a candidate set per layer,
        −Σ_i |Σ_n (d − d̄)(e − ē)| minimised by Adam (lr 1e-3) over the candidates' U, a, v.
argv: the Fashion-MNIST folder, threads, hidden width. No numpy (the venv may lack it).
"""
import gzip
import json
import sys
import time

import torch

torch.set_num_threads(int(sys.argv[2]))
H = int(sys.argv[3])
torch.manual_seed(1)
with gzip.open(f"{sys.argv[1]}/train-images-idx3-ubyte.gz") as f:
    images = torch.frombuffer(bytearray(f.read()), dtype=torch.uint8, offset=16).view(-1, 784)
with gzip.open(f"{sys.argv[1]}/train-labels-idx1-ubyte.gz") as f:
    labels = torch.frombuffer(bytearray(f.read()), dtype=torch.uint8, offset=8).long()
batches = [(images[i * 64:(i + 1) * 64].float().div_(255), labels[i * 64:(i + 1) * 64]) for i in range(20)]


def dendrite_set(n_in, n_out, k):
    return {"U": (torch.randn(n_out, n_in) * 0.01).requires_grad_(), "a": (torch.randn(n_out) * 0.01).requires_grad_(),
            "v": torch.zeros(k, n_out, requires_grad=True), "c": (torch.randn(n_out) * 0.1).requires_grad_()}


layers = [{"W": (torch.randn(H, 784) * 0.05).requires_grad_(), "b": torch.zeros(H, requires_grad=True), "sets": [dendrite_set(784, H, k) for k in range(3)]},
          {"W": (torch.randn(10, H) * 0.3).requires_grad_(), "b": torch.zeros(10, requires_grad=True), "sets": [dendrite_set(H, 10, k) for k in range(3)]}]


def forward(x, candidate=False):
    outs, cands = [], []
    for i, L in enumerate(layers):
        xd = x.detach()
        o = x @ L["W"].t() + L["b"]
        ds = []
        for k, s in enumerate(L["sets"] if candidate else L["sets"][:2]):
            pre = xd @ s["U"].t() + s["a"]
            for j in range(k):
                pre = pre + s["v"][j] * ds[j]
            d = torch.sigmoid(pre)
            ds.append(d)
            if k < 2:
                o = o + s["c"] * d
            else:
                cands.append(d)
        outs.append(o)
        x = torch.relu(o) if i == 0 else o
    return x, outs, cands


ce = torch.nn.CrossEntropyLoss()
neuron_opt = torch.optim.SGD([t for L in layers for t in [L["W"], L["b"]] + [s["c"] for s in L["sets"][:2]]], lr=0.01, momentum=0.9)
dendrite_opt = torch.optim.Adam([L["sets"][2][n] for L in layers for n in "Uav"], lr=1e-3)


def neuron_step(x, y):
    neuron_opt.zero_grad(set_to_none=True)
    z, _, _ = forward(x)
    ce(z, y).backward()
    neuron_opt.step()


def dendrite_step(x, y):
    dendrite_opt.zero_grad(set_to_none=True)
    z, outs, cands = forward(x, True)
    errors = torch.autograd.grad(ce(z, y), outs)
    score = sum(((d - d.mean(0)) * (e - e.mean(0))).sum(0).abs().sum() for d, e in zip(cands, errors))
    (-score).backward()
    dendrite_opt.step()


def steps(phase, seconds):
    step = neuron_step if phase == "neuron" else dendrite_step
    for i in range(20):
        step(*batches[i])
    n, t0, c0 = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - t0 < seconds:
        for i in range(20):
            step(*batches[i])
        n += 20
    return {"steps": n, "seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0}


print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
for line in sys.stdin:
    cmd = json.loads(line)
    print(json.dumps(steps(cmd["phase"], cmd["seconds"])), flush=True)
