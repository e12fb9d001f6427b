#!/usr/bin/python3
"""PyTorch side of `npm run bench -- richlazy`: the richlazy.rnn network (PAPERS.md §5), N = 300,
8 steps, batch 32, answering one JSON command per stdin line.

  {"cmd": "steps", "impl": "loop"|"rnn", "seconds": 1.5} → {"steps", "seconds", "cpu"}
  {"cmd": "kernel", "impl": "jacrev"|"rows", "out": path} → {"seconds"}; K = J Jᵀ written to `out`
      (float32, rows (b, t, k)), J = ∂outputs/∂W_rec on the probe batch
The weights, batches and probe batch come from the JSON file argv[1] (written by bench/richlazy.ts).
impl "loop" is the authors' model (a Python loop over steps, h @ W_rec.T), "rnn" torch.nn.RNN
(fused, relu, no bias) with the same weights; "jacrev" is functorch's / torch.func's vectorised
reverse-mode Jacobian, "rows" one torch.autograd.grad per output (the authors' method, into a
preallocated J). Thread count and OMP_WAIT_POLICY are set by the caller.
"""
import array
import json
import sys
import time

import torch

torch.set_num_threads(int(sys.argv[2]))
try:
    from torch.func import jacrev
except ImportError:  # torch 1.13
    from functorch import jacrev

with open(sys.argv[1]) as f:
    spec = json.load(f)
T, B, I, N, K = spec["dims"]
t32 = lambda v, *shape: torch.tensor(v, dtype=torch.float32).reshape(*shape)
batches = [(t32(b["x"], T, B, I), torch.tensor(b["y"], dtype=torch.long)) for b in spec["batches"]]
probe = t32(spec["probe"], T, B, I)


def weights():
    return (t32(spec["w_in"], N, I).requires_grad_(), t32(spec["w_rec"], N, N).requires_grad_(), t32(spec["w_out"], K, N).requires_grad_())


def forward_loop(w_in, w_rec, w_out, x):
    h = torch.zeros(x.shape[1], N)
    states = []
    for t in range(T):
        h = torch.relu(x[t] @ w_in.T + h @ w_rec.T)
        states.append(h)
    return torch.stack(states) @ w_out.T  # [T, B, K]


def make_step(impl):
    w_in, w_rec, w_out = weights()
    if impl == "rnn":
        rnn = torch.nn.RNN(I, N, nonlinearity="relu", bias=False)
        with torch.no_grad():
            rnn.weight_ih_l0.copy_(w_in)
            rnn.weight_hh_l0.copy_(w_rec)
        out = torch.nn.Linear(N, K, bias=False)
        with torch.no_grad():
            out.weight.copy_(w_out)
        params = list(rnn.parameters()) + list(out.parameters())
        model = lambda x: out(rnn(x)[0])
    else:
        params = [w_in, w_rec, w_out]
        model = lambda x: forward_loop(w_in, w_rec, w_out, x)
    opt = torch.optim.SGD(params, lr=3e-3, momentum=0.9)

    def step(x, y):
        opt.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(model(x).reshape(T * B, K), y)
        loss.backward()
        opt.step()
        return loss

    return step


steppers = {}


def steps(impl, seconds):
    if impl not in steppers:
        steppers[impl] = make_step(impl)
    step = steppers[impl]
    for x, y in batches[:4]:  # warm-up, untimed
        step(x, y)
    n, t0, c0 = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - t0 < seconds:
        x, y = batches[n % len(batches)]
        step(x, y)
        n += 1
    return {"steps": n, "seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0}


def kernel(impl, out):
    w_in, w_rec, w_out = (w.detach() for w in weights())
    t0 = time.perf_counter()
    if impl == "jacrev":
        j = jacrev(lambda w: forward_loop(w_in, w, w_out, probe))(w_rec)  # [T, B, K, N, N]
        j = j.permute(1, 0, 2, 3, 4).reshape(T * B * K, N * N)
    else:
        w = w_rec.clone().requires_grad_()
        y = forward_loop(w_in, w, w_out, probe).permute(1, 0, 2).reshape(-1)  # rows (b, t, k)
        j = torch.empty(y.numel(), N * N)
        for r in range(y.numel()):
            j[r] = torch.autograd.grad(y[r], w, retain_graph=True)[0].reshape(-1)
    k = j @ j.T
    seconds = time.perf_counter() - t0
    with open(out, "wb") as f:
        array.array("f", k.reshape(-1).tolist()).tofile(f)  # no numpy needed (the venv has none)
    return {"seconds": seconds}


print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
for line in sys.stdin:
    c = json.loads(line)
    if c["cmd"] == "steps":
        r = steps(c["impl"], c["seconds"])
    elif c["cmd"] == "kernel":
        r = kernel(c["impl"], c["out"])
    else:
        break
    print(json.dumps(r), flush=True)
