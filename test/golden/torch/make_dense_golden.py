#!/usr/bin/python3
"""Golden training trajectories from PyTorch for the dense engine's correctness tests.

Each case fixes a small network, its initial weights, 20 batches and an optimizer, trains 20
steps in float32 on the CPU and records the loss of every step and the final weights. The
unit test (test/unit/dense/torch-golden.unit.test.ts) loads the same weights and batches into
Neurite, trains the same 20 steps and requires every loss and weight to agree within 1e-5.

Run with Debian's python3-torch:
  OMP_NUM_THREADS=1 /usr/bin/python3 test/golden/torch/make_dense_golden.py
"""
import json
import os

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
STEPS = 20


def act(name, x):
    return {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "elu": F.elu}[name](x)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def make_optimizer(params, spec):
    if spec["kind"] == "sgd":
        return torch.optim.SGD(params, lr=spec["lr"], weight_decay=spec.get("weightDecay", 0))
    if spec["kind"] == "momentum":
        return torch.optim.SGD(params, lr=spec["lr"], momentum=spec["momentum"], nesterov=spec.get("nesterov", False), weight_decay=spec.get("weightDecay", 0))
    return torch.optim.Adam(params, lr=spec["lr"], weight_decay=spec.get("weightDecay", 0))


def run(case, params, forward, batches, loss_fn):
    opt = make_optimizer(list(params.values()), case["optimizer"])
    init = {k: flat(v) for k, v in params.items()}
    losses = []
    for x, y in batches:
        opt.zero_grad()
        loss = loss_fn(forward(x), y)
        loss.backward()
        opt.step()
        losses.append(float(loss))
    case.update(init=init, final={k: flat(v) for k, v in params.items()}, losses=losses,
                batches=[{"x": flat(x), "y": flat(y) if y.dtype.is_floating_point else [int(v) for v in y.tolist()]} for x, y in batches])
    return case


def mlp_case(name, acts, optimizer, seed):
    g = torch.Generator().manual_seed(seed)
    sizes = [20, 16, 12, 5]
    layers = {}
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        lin = torch.nn.Linear(a, b)  # PyTorch's default init, from the global seed set below
        layers[f"l{i}.weight"] = lin.weight
        layers[f"l{i}.bias"] = lin.bias
    batches = [(torch.randn(8, 20, generator=g), torch.randint(0, 5, (8,), generator=g)) for _ in range(STEPS)]

    def forward(x):
        h = x
        for i in range(3):
            h = h @ layers[f"l{i}.weight"].T + layers[f"l{i}.bias"]
            if i < 2:
                h = act(acts[i], h)
        return h

    case = {"name": name, "model": "mlp", "sizes": sizes, "activations": acts, "batch": 8, "optimizer": optimizer}
    return run(case, layers, forward, batches, F.cross_entropy)


def conv_case(name, optimizer, seed):
    g = torch.Generator().manual_seed(seed)
    c1 = torch.nn.Conv2d(1, 3, 3, padding=1)
    c2 = torch.nn.Conv2d(3, 4, 3)
    lin = torch.nn.Linear(4, 3)
    params = {"c1.weight": c1.weight, "c1.bias": c1.bias, "c2.weight": c2.weight, "c2.bias": c2.bias, "l.weight": lin.weight, "l.bias": lin.bias}
    batches = [(torch.randn(4, 1, 8, 8, generator=g), torch.randint(0, 3, (4,), generator=g)) for _ in range(STEPS)]

    def forward(x):
        h = F.max_pool2d(torch.relu(F.conv2d(x, params["c1.weight"], params["c1.bias"], padding=1)), 2)  # [4,3,4,4]
        h = F.avg_pool2d(torch.sigmoid(F.conv2d(h, params["c2.weight"], params["c2.bias"])), 2)  # [4,4,1,1]
        return h.flatten(1) @ params["l.weight"].T + params["l.bias"]

    case = {"name": name, "model": "conv", "batch": 4, "optimizer": optimizer}
    return run(case, params, forward, batches, F.cross_entropy)


def rnn_case(name, optimizer, seed):
    g = torch.Generator().manual_seed(seed)
    T, N, I, H, O = 5, 4, 3, 6, 2
    params = {
        "rnn.w_in": torch.nn.Parameter(torch.randn(H, I, generator=g) / I ** 0.5),
        "rnn.w_rec": torch.nn.Parameter(1.25 * torch.randn(H, H, generator=g) / H ** 0.5),
        "readout.weight": torch.nn.Parameter(torch.randn(O, H, generator=g) / H ** 0.5),
        "readout.bias": torch.nn.Parameter(torch.zeros(O)),
    }
    batches = [(torch.randn(T, N, I, generator=g), torch.randn(T, N, O, generator=g)) for _ in range(STEPS)]

    def forward(x):
        h = torch.zeros(N, H)
        outs = []
        for t in range(T):
            h = torch.relu(x[t] @ params["rnn.w_in"].T + h @ params["rnn.w_rec"].T)
            outs.append(h @ params["readout.weight"].T + params["readout.bias"])
        return torch.stack(outs)

    case = {"name": name, "model": "rnn", "dims": [T, N, I, H, O], "optimizer": optimizer}
    return run(case, params, forward, batches, F.mse_loss)


def main():
    torch.manual_seed(20240601)
    cases = [
        mlp_case("mlp-sgd", ["relu", "tanh"], {"kind": "sgd", "lr": 0.1}, 1),
        mlp_case("mlp-momentum", ["elu", "sigmoid"], {"kind": "momentum", "lr": 0.05, "momentum": 0.9}, 2),
        mlp_case("mlp-adam", ["relu", "relu"], {"kind": "adam", "lr": 0.01, "weightDecay": 1e-3}, 3),
        conv_case("conv-momentum", {"kind": "momentum", "lr": 0.05, "momentum": 0.9, "weightDecay": 5e-4}, 4),
        rnn_case("rnn-nesterov", {"kind": "momentum", "lr": 0.02, "momentum": 0.9, "nesterov": True}, 5),
    ]
    out = {"tool": f"torch {torch.__version__}", "steps": STEPS, "dtype": "float32", "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dense-golden.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print(f"wrote {path}: " + ", ".join(f"{c['name']} loss {c['losses'][0]:.4f} → {c['losses'][-1]:.4f}" for c in cases))


if __name__ == "__main__":
    main()
