#!/usr/bin/env python3
"""Reference timing for scalefit's Approach 3 fit: scipy.optimize.minimize (L-BFGS-B) on the same
Huber objective (delta 1e-3, log-space LSE residuals, Hoffmann et al. 2022), the same 4,500-point
start grid and the same 240 points (Epoch's 245 less the 5 highest-loss). Analytic gradient in numpy.
Prints key=value lines for Scripts/bench-fit.sh.

Usage: bench_fit_scipy.py [--points PATH] [--max-starts K]
"""
import argparse
import itertools
import time
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

DELTA = 1e-3


def load(path):
    data = np.genfromtxt(path, delimiter=",", names=True)
    keep = np.argsort(-data["loss"])[5:]
    keep.sort()
    return np.log(data["N"][keep]), np.log(data["D"][keep]), np.log(data["loss"][keep])


def objective(theta, log_n, log_d, log_y):
    a, b, e, alpha, beta = theta
    u = np.stack([a - alpha * log_n, b - beta * log_d, np.full_like(log_n, e)])
    m = u.max(axis=0)
    w = np.exp(u - m)
    s = w.sum(axis=0)
    w /= s
    r = m + np.log(s) - log_y
    ar = np.abs(r)
    quad = ar <= DELTA
    f = np.where(quad, 0.5 * r * r, DELTA * (ar - 0.5 * DELTA)).sum()
    psi = np.clip(r, -DELTA, DELTA)
    g = np.array([
        (psi * w[0]).sum(),
        (psi * w[1]).sum(),
        (psi * w[2]).sum(),
        -(psi * w[0] * log_n).sum(),
        -(psi * w[1] * log_d).sum(),
    ])
    return f, g


def grid():
    ab = np.arange(0, 30, 5.0)
    es = np.arange(-1, 1.5, 0.5)
    ex = np.arange(0, 2.5, 0.5)
    return [np.array(p) for p in itertools.product(ab, ab, es, ex, ex)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", default=str(Path(__file__).resolve().parent.parent / "Data/reference/chinchilla_points.csv"))
    ap.add_argument("--max-starts", type=int, default=0)
    args = ap.parse_args()
    log_n, log_d, log_y = load(args.points)
    starts = grid()
    if args.max_starts:
        starts = starts[: args.max_starts]
    t0 = time.perf_counter()
    best = None
    for x0 in starts:
        res = minimize(objective, x0, args=(log_n, log_d, log_y), jac=True, method="L-BFGS-B")
        if best is None or res.fun < best.fun:
            best = res
    seconds = time.perf_counter() - t0
    a, b, e, alpha, beta = best.x
    print(f"points={len(log_y)}")
    print(f"starts={len(starts)}")
    print(f"objective={float(best.fun)!r}")
    print(f"E={np.exp(e)}\nA={np.exp(a)}\nB={np.exp(b)}\nalpha={alpha}\nbeta={beta}")
    print(f"seconds={seconds}")
    print(f"starts_per_second={len(starts) / seconds}")


if __name__ == "__main__":
    main()
