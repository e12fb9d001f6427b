#!/usr/bin/python3
"""PyTorch side of `npm run bench -- dense`: answers one JSON command per stdin line.

  {"cmd": "steps", "batch": 64, "opt": "sgd", "seconds": 1.5}  → {"steps", "seconds", "cpu"}
  {"cmd": "epoch", "batch": 64}                                → {"seconds", "loss"}
  {"cmd": "gemm", "n": 1024, "seconds": 1}                     → {"gflops", "cpu_gflops"} (per CPU-second)
The data are Fashion-MNIST's IDX files (the folder is argv[1]), kept as bytes like Neurite's;
argv[2] is the thread count (torch.set_num_threads). bench/dense.ts starts one process per
setting, with OMP_NUM_THREADS set to that count and its OMP_WAIT_POLICY (OpenMP reads both once,
at start). Works with PyTorch 1.13 (Debian) and 2.x, with or without numpy.
"""
import gzip
import json
import os
import sys
import time

import torch

folder = sys.argv[1]
torch.set_num_threads(int(sys.argv[2]))


def idx(name, offset):
    with gzip.open(f"{folder}/{name}.gz") as f:
        return torch.frombuffer(bytearray(f.read()), dtype=torch.uint8, offset=offset).clone()


images = idx("train-images-idx3-ubyte", 16).view(-1, 784)
labels = idx("train-labels-idx1-ubyte", 8).long()


def make(opt):
    torch.manual_seed(1)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    if opt == "adam":
        o = torch.optim.Adam(model.parameters(), lr=1e-3)
    else:
        o = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9 if opt == "momentum" else 0)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step(x, y):
        o.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        o.step()
        return loss

    return step


cache = {}


def steps(batch, opt, seconds):
    key = (batch, opt)
    if key not in cache:
        data = [(images[i * batch:(i + 1) * batch].float().div_(255), labels[i * batch:(i + 1) * batch]) for i in range(20)]
        cache[key] = (make(opt), data)
    step, data = cache[key]
    for i in range(20):  # warm-up, untimed (also after a change of thread count)
        step(*data[i])
    n, t0, c0 = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - t0 < seconds:
        for i in range(20):
            step(*data[i])
        n += 20
    return {"steps": n, "seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0}


def epoch(batch):
    step = make("sgd")
    t0 = time.perf_counter()
    perm = torch.randperm(images.shape[0])
    total = 0.0
    for s in range(0, images.shape[0], batch):
        i = perm[s:s + batch]
        total += float(step(images[i].float().div_(255), labels[i])) * len(i)
    return {"seconds": time.perf_counter() - t0, "loss": total / images.shape[0]}


def gemm(n, seconds):
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    k, t0, c0 = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - t0 < seconds:
        a @ b
        k += 1
    return {"gflops": 2 * n ** 3 * k / (time.perf_counter() - t0) / 1e9, "cpu_gflops": 2 * n ** 3 * k / (time.process_time() - c0) / 1e9}


print(json.dumps({"ready": True, "torch": torch.__version__, "wait_policy": os.environ.get("OMP_WAIT_POLICY"), "threads": torch.get_num_threads()}), flush=True)
for line in sys.stdin:
    c = json.loads(line)
    if c["cmd"] == "steps":
        r = steps(c["batch"], c["opt"], c["seconds"])
    elif c["cmd"] == "epoch":
        r = epoch(c["batch"])
    elif c["cmd"] == "gemm":
        r = gemm(c["n"], c.get("seconds", 1))
    else:
        break
    print(json.dumps(r), flush=True)
