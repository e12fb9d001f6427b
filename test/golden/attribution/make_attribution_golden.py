#!/usr/bin/python3
"""Golden attributions for the attribution engine, by Captum's definitions in plain torch.

Captum cannot be installed here (no PyPI), so each method below is written from Captum's own
source (captum/attr/_core/...: IntegratedGradients, LayerConductance, NeuronConductance,
LayerActivation, InputXGradient, LayerGradientXActivation, FeatureAblation,
LayerFeatureAblation; captum/attr/_utils/approximation_methods.py for the path points and
weights), computed with torch autograd on a small fixed MLP 12-8-6-4 (ReLU, then tanh) and 5
inputs. The unit test (test/unit/dense/attribution/captum-golden.unit.test.ts) loads the same
weights and inputs into Neurite and requires every item's values to agree.

Run with Debian's python3-torch:
  OMP_NUM_THREADS=1 /usr/bin/python3 test/golden/attribution/make_attribution_golden.py
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
SIZES = [12, 8, 6, 4]
N = 5


def make_model(seed):
    g = torch.Generator().manual_seed(seed)
    params = {}
    for i, (a, b) in enumerate(zip(SIZES[:-1], SIZES[1:])):
        params[f"l{i}.weight"] = torch.randn(b, a, generator=g) * (2 / a) ** 0.5
        params[f"l{i}.bias"] = torch.rand(b, generator=g) - 0.5
    # As a model's nn.Parameters: gradients flow to every layer even when the input needs none.
    return {k: v.requires_grad_() for k, v in params.items()}


def forward(params, x, tap=None):
    """Logits; `tap(name, h)` sees (and may replace) hidden0 (after ReLU) and hidden1 (after tanh)."""
    tap = tap or (lambda _, h: h)
    h = tap("hidden0", torch.relu(x @ params["l0.weight"].T + params["l0.bias"]))
    h = tap("hidden1", torch.tanh(h @ params["l1.weight"].T + params["l1.bias"]))
    return h @ params["l2.weight"].T + params["l2.bias"]


def capture(params, x, layer):
    """Logits and the value of `layer` in the same graph."""
    seen = {}

    def tap(name, h):
        if name == layer:
            seen["h"] = h
        return h

    return forward(params, x, tap), seen["h"]


def picked(logits, target):
    return logits[torch.arange(logits.shape[0]), target]


def rule(method, n):
    """Captum's alphas and step sizes (approximation_methods.py)."""
    if method == "gausslegendre":
        nodes, weights = np.polynomial.legendre.leggauss(n)
        return list(0.5 * (1 + nodes)), list(0.5 * weights)
    sizes = [1 / n] * n
    if method == "riemann_trapezoid":
        sizes[0] /= 2
        sizes[-1] /= 2
        return list(np.linspace(0, 1, n)), sizes
    if method == "riemann_left":
        return list(np.linspace(0, 1 - 1 / n, n)), sizes
    if method == "riemann_middle":
        return list(np.linspace(1 / (2 * n), 1 - 1 / (2 * n), n)), sizes
    return list(np.linspace(1 / n, 1, n)), sizes


def scaled(x, baseline, alphas):
    return torch.cat([baseline + a * (x - baseline) for a in alphas], dim=0).requires_grad_()


def layer_activation(params, x, layer):
    return capture(params, x, layer)[1]


def gradient_x_activation(params, x, layer, target):
    if layer == "input":  # InputXGradient
        x = x.clone().requires_grad_()
        (g,) = torch.autograd.grad(picked(forward(params, x), target).sum(), x)
        return x * g
    logits, h = capture(params, x, layer)  # LayerGradientXActivation
    (g,) = torch.autograd.grad(picked(logits, target).sum(), h)
    return h * g


def integrated_gradients(params, x, target, steps, method, b):
    alphas, sizes = rule(method, steps)
    baseline = torch.full((1, x.shape[1]), b)
    pts = scaled(x, baseline, alphas)
    (g,) = torch.autograd.grad(picked(forward(params, pts), target.repeat(steps)).sum(), pts)
    total = (g.view(steps, -1) * torch.tensor(sizes).float().view(steps, 1)).view(steps, *x.shape).sum(0)
    return total * (x - baseline)


def layer_conductance(params, x, target, layer, steps, method, b):
    alphas, _ = rule(method, steps + 1)
    baseline = torch.full((1, x.shape[1]), b)
    logits, h = capture(params, scaled(x, baseline, alphas), layer)
    (g,) = torch.autograd.grad(picked(logits, target.repeat(steps + 1)).sum(), h)
    n = x.shape[0]
    diffs = h[n:] - h[:-n]
    return (diffs * g[:-n]).view(steps, n, -1).sum(0)


def neuron_conductance(params, x, target, layer, neuron, steps, method, b):
    alphas, sizes = rule(method, steps)
    baseline = torch.full((1, x.shape[1]), b)
    pts = scaled(x, baseline, alphas)
    logits, h = capture(params, pts, layer)
    (gh,) = torch.autograd.grad(picked(logits, target.repeat(steps)).sum(), h, retain_graph=True)
    (gx,) = torch.autograd.grad(h[:, neuron].sum(), pts)
    through = gx * gh[:, neuron].reshape(-1, 1)
    total = (through.view(steps, -1) * torch.tensor(sizes).float().view(steps, 1)).view(steps, *x.shape).sum(0)
    return total * (x - baseline)


def ablation(params, x, target, layer, objective, labels):
    """FeatureAblation / LayerFeatureAblation, baseline 0: f(x) − f(x with one unit zeroed), per unit."""

    def f(logits):
        return picked(F.log_softmax(logits, 1), labels) if objective == "loss" else picked(logits, target)

    with torch.no_grad():
        base = f(forward(params, x))
        units = x.shape[1] if layer == "input" else capture(params, x, layer)[1].shape[1]
        out = torch.zeros(x.shape[0], units)
        for j in range(units):
            if layer == "input":
                xa = x.clone()
                xa[:, j] = 0
                logits = forward(params, xa)
            else:
                def zero(name, h, j=j):
                    if name != layer:
                        return h
                    h = h.clone()
                    h[:, j] = 0
                    return h
                logits = forward(params, x, zero)
            out[:, j] = base - f(logits)
    return out


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def main():
    torch.manual_seed(20261207)
    params = make_model(7)
    g = torch.Generator().manual_seed(8)
    x = torch.rand(N, SIZES[0], generator=g)
    labels = torch.randint(0, SIZES[-1], (N,), generator=g)
    predicted = forward(params, x).argmax(1)
    targets = {"label": labels, "predicted": predicted, 2: torch.full((N,), 2)}

    cases = []

    def case(name, method, layer, values, options=None, neuron=None):
        c = {"name": name, "method": method, "layer": layer, "options": options or {}, "values": flat(values)}
        if neuron is not None:
            c["neuron"] = neuron
        cases.append(c)

    for layer in ["input", "hidden0", "hidden1"]:
        case(f"LayerActivation {layer}", "activation", layer, x if layer == "input" else layer_activation(params, x, layer))
        case(f"GradientXActivation {layer}", "gradxact", layer, gradient_x_activation(params, x, layer, labels))
    case("LayerGradientXActivation hidden1, predicted class", "gradxact", "hidden1", gradient_x_activation(params, x, "hidden1", predicted), {"target": "predicted"})
    for method in ["gausslegendre", "riemann_trapezoid", "riemann_left", "riemann_right", "riemann_middle"]:
        case(f"IntegratedGradients {method} 7 steps", "ig", "input", integrated_gradients(params, x, labels, 7, method, 0.0), {"steps": 7, "integration": method})
    case("IntegratedGradients 16 steps, baseline 0.25, class 2", "ig", "input", integrated_gradients(params, x, targets[2], 16, "gausslegendre", 0.25), {"steps": 16, "baseline": 0.25, "target": 2})
    for layer in ["hidden0", "hidden1"]:
        case(f"LayerConductance {layer} gausslegendre 16 steps", "conductance", layer, layer_conductance(params, x, labels, layer, 16, "gausslegendre", 0.0), {"steps": 16})
    case("LayerConductance hidden0 riemann_trapezoid 9 steps, baseline 0.1", "conductance", "hidden0", layer_conductance(params, x, labels, "hidden0", 9, "riemann_trapezoid", 0.1), {"steps": 9, "integration": "riemann_trapezoid", "baseline": 0.1})
    case("NeuronConductance hidden1 neuron 2, 16 steps", "conductance", "hidden1", neuron_conductance(params, x, labels, "hidden1", 2, 16, "gausslegendre", 0.0), {"steps": 16}, neuron=2)
    case("NeuronConductance hidden0 neuron 3, riemann_middle 10 steps, baseline 0.2", "conductance", "hidden0", neuron_conductance(params, x, labels, "hidden0", 3, 10, "riemann_middle", 0.2), {"steps": 10, "integration": "riemann_middle", "baseline": 0.2}, neuron=3)
    for layer in ["input", "hidden0", "hidden1"]:
        case(f"FeatureAblation {layer}, target logit", "ablation", layer, ablation(params, x, labels, layer, "logit", labels))
    case("LayerFeatureAblation hidden0, loss", "ablation", "hidden0", ablation(params, x, labels, "hidden0", "loss", labels), {"objective": "loss"})

    out = {
        "tool": f"torch {torch.__version__}, Captum's definitions in plain torch",
        "sizes": SIZES,
        "activations": ["relu", "tanh"],
        "params": {k: flat(v) for k, v in params.items()},
        "x": flat(x),
        "labels": [int(v) for v in labels.tolist()],
        "cases": cases,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "attribution-golden.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print(f"wrote {path}: {len(cases)} cases")


if __name__ == "__main__":
    main()
