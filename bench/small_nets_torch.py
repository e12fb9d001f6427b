#!/usr/bin/python3
"""PyTorch side of `npm run bench -- small-nets`: answers one JSON command per stdin line.

  {"cmd": "steps", "seconds": 1.0}         → {"steps", "seconds", "cpu"}
      MLP 784-80-60-10 (ELU), SGD lr 1e-3, minibatches of 10: the first 200 Fashion-MNIST
      training images as 20 minibatches, taken in turn (PyTorch eager, the usual loop).
  {"cmd": "homeostatic", "batches": 300}   → {"seconds", "cpu", "batches", "eta"}
      The three learners of homeostatic.concept-shift (constant η, random regulation, the
      homeostat), the authors' loop (lrh.py, lrr.py) rebuilt in PyTorch eager for timing: per
      minibatch of 10, each learner steps with its η; random regulation flips its coin at each
      minibatch's first sample; the homeostat simulates one SGD step with η and with η ± Δ (by
      its predicted label) from the first sample's gradient, scores both on the 20 samples
      before it, and moves η by the true label when the move scores strictly better. Continues
      where the previous command stopped (the same stream, an epoch at a time).
Runs under Debian's torch 1.13 and a current torch alike (no numpy needed). argv: the folder
of Fashion-MNIST's IDX files, the number of threads; OMP_WAIT_POLICY comes from the environment.
"""
import gzip
import json
import random
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
folder = sys.argv[1]


def idx(name, offset):
    with gzip.open(f"{folder}/{name}.gz") as f:
        return torch.frombuffer(bytearray(f.read()[offset:]), dtype=torch.uint8)


images = idx("train-images-idx3-ubyte", 16).view(-1, 784)
labels = idx("train-labels-idx1-ubyte", 8).long()
N = 54000  # the experiment's training part (90% of 60,000)


def make():
    torch.manual_seed(1)
    model = torch.nn.Sequential(torch.nn.Linear(784, 80), torch.nn.ELU(), torch.nn.Linear(80, 60), torch.nn.ELU(), torch.nn.Linear(60, 10))
    with torch.no_grad():  # the authors' init: He-normal weights, N(0, 1) biases
        for layer in model:
            if isinstance(layer, torch.nn.Linear):
                layer.weight.normal_(0, (2 / layer.in_features) ** 0.5)
                layer.bias.normal_(0, 1)
    return model


stepper = None


def steps(seconds):
    global stepper
    if stepper is None:
        model = make()
        opt = torch.optim.SGD(model.parameters(), lr=1e-3)
        data = [(images[i * 10:(i + 1) * 10].float().div_(255), labels[i * 10:(i + 1) * 10]) for i in range(20)]

        def step(x, y):
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()

        stepper = (step, data)
    step, data = stepper
    for x, y in data:
        step(x, y)
    n, t0, c0 = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - t0 < seconds:
        for x, y in data:
            step(x, y)
        n += 20
    return {"steps": n, "seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0}


def forward(params, x):
    w1, b1, w2, b2, w3, b3 = params
    return F.linear(F.elu(F.linear(F.elu(F.linear(x, w1, b1)), w2, b2)), w3, b3)


class Comparison:
    """The three learners and their regulators, with the stream's position."""

    def __init__(self):
        base = make()
        self.params = [[p.detach().clone().requires_grad_(True) for p in base.parameters()] for _ in range(3)]
        self.eta0 = 1e-3
        self.etas = [self.eta0] * 3  # constant, random, homeostatic
        self.delta = self.eta0 / 10
        self.coins = random.Random(2)
        self.order = torch.randperm(N, generator=torch.Generator().manual_seed(3))
        self.batch = 0
        self.epoch = 0

    def move(self, eta, label):
        eta = eta + self.delta if label >= 5 else eta - self.delta
        return 1e-8 if eta < 0 else eta

    def step(self, k, x, y):
        loss = F.cross_entropy(forward(self.params[k], x), y)
        grads = torch.autograd.grad(loss, self.params[k])
        with torch.no_grad():
            for p, g in zip(self.params[k], grads):
                p.sub_(g, alpha=self.etas[k])

    def probe(self, x, y, memory_x, memory_y):
        """The homeostat's decision at the minibatch's first sample."""
        params = self.params[2]
        out = forward(params, x[0:1])
        predicted = int(out.argmax(1))
        grads = torch.autograd.grad(F.cross_entropy(out, y[0:1]), params)
        eta = self.etas[2]
        with torch.no_grad():
            def score(rate):
                simulated = [p - (rate / 10) * g for p, g in zip(params, grads)]
                return int((forward(simulated, memory_x).argmax(1) == memory_y).sum())
            keep, move = score(eta), score(self.move(eta, predicted))
        if move > keep:
            self.etas[2] = self.move(eta, int(y[0]))

    def run(self, batches):
        for _ in range(batches):
            if self.batch == N // 10:
                self.batch = 0
                self.epoch += 1
                self.order = torch.randperm(N, generator=torch.Generator().manual_seed(3 + self.epoch))
            i0 = self.batch * 10
            idx = self.order[i0:i0 + 10]
            x, y = images[idx].float().div_(255), labels[idx]
            if i0 != 0 and self.coins.random() > 0.5:
                self.etas[1] = self.move(self.etas[1], int(y[0]))
            if i0 > 20:
                mem = self.order[i0 - 20:i0]
                self.probe(x, y, images[mem].float().div_(255), labels[mem])
            for k in range(3):
                self.step(k, x, y)
            self.batch += 1


comparison = None


def homeostatic(batches):
    global comparison
    if comparison is None:
        comparison = Comparison()
        comparison.run(30)  # warm-up, untimed
    t0, c0 = time.perf_counter(), time.process_time()
    comparison.run(batches)
    return {"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0, "batches": batches, "eta": comparison.etas}


print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
for line in sys.stdin:
    c = json.loads(line)
    if c["cmd"] == "steps":
        r = steps(c["seconds"])
    elif c["cmd"] == "homeostatic":
        r = homeostatic(c["batches"])
    else:
        break
    print(json.dumps(r), flush=True)
