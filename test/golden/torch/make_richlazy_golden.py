#!/usr/bin/python3
"""Golden values from PyTorch for the richlazy.rnn network (PAPERS.md §5).

The network of Liu et al.: h_t = relu(W_in x_t + W_rec h_{t-1}), y_t = W_out h_t, no biases,
W_rec a rank-2 truncation of 1.25 G/sqrt(N) rescaled to its Frobenius norm, cross-entropy on
every step, SGD momentum 0.9. Records 20 steps of training (losses, final weights; the helper
`run` of make_dense_golden.py) and the Jacobian of every output with respect to W_rec at the
initial and the final weights (torch.autograd.functional.jacobian). The unit test
(test/unit/models/richlazy/torch-golden.unit.test.ts) builds the same network with Neurite's
richlazy model, trains the same steps and computes J with the engine's jacobian.ts.

Kept apart from dense-golden.json so that regenerating one does not touch the other. Run with
Debian's python3-torch:
  OMP_NUM_THREADS=1 /usr/bin/python3 test/golden/torch/make_richlazy_golden.py
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_dense_golden import flat, run  # noqa: E402

torch.set_num_threads(1)
T, B, I, H, K, RANK = 8, 4, 3, 6, 3, 2


def truncated(w, rank):
    u, s, vt = torch.linalg.svd(w)
    t = u[:, :rank] @ torch.diag(s[:rank]) @ vt[:rank]
    return t * (torch.linalg.norm(w) / torch.linalg.norm(t))


def main():
    torch.manual_seed(20241015)
    g = torch.Generator().manual_seed(15)
    params = {
        "rnn.w_in": torch.nn.Parameter(torch.empty(H, I).uniform_(-I ** -0.5, I ** -0.5, generator=g)),
        "rnn.w_rec": torch.nn.Parameter(truncated(1.25 * torch.randn(H, H, generator=g) / H ** 0.5, RANK)),
        "readout.weight": torch.nn.Parameter(torch.empty(K, H).uniform_(-H ** -0.5, H ** -0.5, generator=g)),
    }
    batches = [(torch.randn(T, B, I, generator=g), torch.randint(0, K, (T * B,), generator=g)) for _ in range(20)]

    def forward_with(w_rec, x):
        h = torch.zeros(B, H)
        outs = []
        for t in range(T):
            h = torch.relu(x[t] @ params["rnn.w_in"].T + h @ w_rec.T)
            outs.append(h @ params["readout.weight"].T)
        return torch.stack(outs)  # [T, B, K]

    def jacobian(x):
        j = torch.autograd.functional.jacobian(lambda w: forward_with(w, x), params["rnn.w_rec"].detach())
        return flat(j.permute(1, 0, 2, 3, 4))  # rows (b, t, k), as Neurite orders them

    probe = torch.randn(T, B, I, generator=g)
    j0 = jacobian(probe)
    case = {"name": "richlazy-rnn", "dims": [T, B, I, H, K], "rank": RANK, "optimizer": {"kind": "momentum", "lr": 0.05, "momentum": 0.9}}
    run(case, params, lambda x: forward_with(params["rnn.w_rec"], x).reshape(T * B, K), batches, F.cross_entropy)
    case.update(probe=flat(probe), jacobian_init=j0, jacobian_final=jacobian(probe))
    out = {"tool": f"torch {torch.__version__}", "dtype": "float32", "cases": [case]}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "richlazy-golden.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print(f"wrote {path}: loss {case['losses'][0]:.4f} → {case['losses'][-1]:.4f}")


if __name__ == "__main__":
    main()
