#!/usr/bin/env python3
"""Golden values for the optimal-threshold figure of Ahmad & Hawkins (2016), arXiv 1601.00720.

Independent of Neurite's TypeScript: the paper's formula as written,

    P_FP(n, a, s, theta) = sum_{b=theta}^{s} C(s, b) * C(n - s, a - b) / C(n, a),

summed and divided exactly (fractions.Fraction, math.comb), on two grids:

- the figure's grid, n = 10,000 ... 190,000 step 20,000, sparsity 0.5 % ... 3 % step 0.5 %,
  s = 20 ... 50 step 5, theta = 3 ... 24: every P_FP, and per theta the median, mean, min and max;
- the committed compute_optimal_threshold.py grid (n = 1,000 ... 17,000 step 4,000): the medians.

It also checks that the figure's grid reproduces the table plot_optimal_threshold.py quotes
(medians, means, minima and maxima, to every printed digit), which the script's grid does not.

Run: python3 test/golden/sdr/optimal_threshold.py   (writes optimal_threshold.json beside it; ~10 s of CPU)
"""
import json
import math
import os
from fractions import Fraction

THETAS = list(range(3, 25))
SPARSITY_STEPS = range(1, 7)  # sparsity = k / 200: 0.005 ... 0.03
SEGMENTS = list(range(20, 51, 5))
FIGURE_N = list(range(10000, 210000, 20000))
SCRIPT_N = list(range(1000, 21000, 4000))

# The table quoted in plot_optimal_threshold.py (theta 3 ... 24): reference data.
QUOTED = {
    "mean": [0.036662656, 0.008381634, 0.001667118, 0.00029138, 4.51e-05, 6.22e-06, 7.68e-07, 8.55e-08, 8.60e-09, 7.86e-10, 6.54e-11,
             4.98e-12, 3.47e-13, 2.22e-14, 1.31e-15, 7.08e-17, 3.54e-18, 1.64e-19, 7.00e-21, 2.77e-22, 1.01e-23, 3.43e-25],
    "min": [0.000126298, 2.53e-06, 3.73e-08, 4.21e-10, 3.72e-12, 2.61e-14, 1.47e-16, 6.67e-19, 2.44e-21, 7.17e-24, 1.69e-26,
            3.13e-29, 4.54e-32, 4.99e-35, 4.01e-38, 2.22e-41, 7.50e-45, 1.17e-48, 0, 0, 0, 0],
    "max": [0.189184284, 0.062735256, 0.016796138, 0.003730784, 0.000702096, 0.000113791, 1.61e-05, 2.01e-06, 2.22e-07, 2.21e-08, 1.97e-09,
            1.60e-10, 1.17e-11, 7.88e-13, 4.83e-14, 2.72e-15, 1.41e-16, 6.69e-18, 2.94e-19, 1.19e-20, 4.45e-22, 1.54e-23],
    "median": [0.018156949, 0.002227752, 0.000210173, 1.58e-05, 9.60e-07, 4.83e-08, 2.04e-09, 7.40e-11, 2.49e-12, 7.63e-14, 2.05e-15,
               4.88e-17, 1.03e-18, 1.95e-20, 3.28e-22, 4.90e-24, 5.32e-26, 4.11e-28, 2.68e-30, 2.91e-32, 2.90e-34, 2.60e-36],
}


def configs(ns):
    """(n, a, s) in the script's loop order; a = round(sparsity * n) is k * n / 200 exactly here."""
    out = []
    for n in ns:
        sparsity = 0.005
        for k in SPARSITY_STEPS:
            assert round(sparsity * n) * 200 == k * n, (n, sparsity)  # the script's accumulated float gives the same a
            out.extend((n, k * n // 200, s) for s in SEGMENTS)
            sparsity += 0.005
    return out


def false_positives(n, a, s):
    """P_FP(n, a, s, theta) for every theta in THETAS (0 where theta > s)."""
    total = math.comb(n, a)
    term = [math.comb(s, b) * math.comb(n - s, a - b) if 0 <= a - b <= n - s else 0 for b in range(s + 1)]
    return [Fraction(sum(term[theta:]), total) if theta <= s else Fraction(0) for theta in THETAS]


def median(xs):
    ys = sorted(xs)
    m = len(ys) // 2
    return ys[m] if len(ys) % 2 else (ys[m - 1] + ys[m]) / 2


def printed_digits_agree(exact, quoted):
    """Does `exact` print as `quoted` with as many significant digits as `quoted` was printed with?"""
    if quoted == 0:
        return exact == 0
    digits = len(repr(quoted).split("e")[0].replace(".", "").replace("-", "").lstrip("0").rstrip("0")) or 1
    return float("%.*e" % (max(digits, 3) - 1, float(exact))) == quoted


def main():
    grid = configs(FIGURE_N)
    values = [false_positives(n, a, s) for (n, a, s) in grid]
    columns = list(zip(*values))
    stats = {
        "median": [median(c) for c in columns],
        "mean": [sum(c) / len(c) for c in columns],
        "min": [min(c) for c in columns],
        "max": [max(c) for c in columns],
    }
    for key, quoted in QUOTED.items():
        bad = [(t, float(x), q) for t, x, q in zip(THETAS, stats[key], quoted) if not printed_digits_agree(x, q)]
        assert not bad, f"figure grid vs the quoted {key}: {bad}"
    script = configs(SCRIPT_N)
    script_median = [median(c) for c in zip(*(false_positives(n, a, s) for (n, a, s) in script))]
    assert not printed_digits_agree(script_median[0], QUOTED["median"][0]), "the script's grid was expected to differ"
    golden = {
        "about": "P_FP on the optimal-threshold figure's grid, exact rationals rounded once (test/golden/sdr/optimal_threshold.py)",
        "thetas": THETAS,
        "figure": {
            "n": FIGURE_N,
            "configs": [list(c) for c in grid],
            "p_fp": [[float("%.15e" % v) for v in row] for row in values],
            **{k: [float(v) for v in vs] for k, vs in stats.items()},
        },
        "script": {"n": SCRIPT_N, "median": [float(v) for v in script_median]},
    }
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optimal_threshold.json")
    with open(out, "w") as f:
        json.dump(golden, f, separators=(",", ":"))
        f.write("\n")
    print(f"{len(grid)} configurations x {len(THETAS)} thresholds; the quoted table agrees to every printed digit -> {out}")


if __name__ == "__main__":
    main()
