#!/usr/bin/env python3
"""How the coefficients of src/Descent/Backends/Cpu/FastErf.cs were made, and the check that they are good enough.

erf(x) is fitted as x * P(x^2) / Q(x^2), P of degree 6 and Q of degree 5 with Q(0) = 1, on [0, 4] (erf is odd, and
beyond 4 it rounds to 1 in float32), by iterated linearised least squares (Sanathanan-Koerner, with extra weight
where the relative error is largest) on 4000 Chebyshev points. It prints the fit's largest relative error (in
double), then, over a dense float32 grid on [-6, 6], the largest error of the kernel's evaluation (double, rounded
once to float32) in float32 ulps: under one. FastErfTests checks the C# kernel against the float64 series.
Run: /usr/bin/python3 fast_erf_fit.py   (needs numpy; Debian: apt-get install python3-numpy)
"""
import math

import numpy as np

n = 4000
x = np.sort(2 + 2 * np.cos(np.pi * (np.arange(n) + 0.5) / n))
f = np.array([math.erf(v) for v in x])
u = x * x
dp, dq = 6, 5
w = np.ones(n)
for _ in range(30):
    # x P(u) - f (Q(u) - 1) = f, weighted for relative error and reweighted towards the worst points.
    A = np.hstack([x[:, None] * u[:, None] ** np.arange(dp + 1), -(f[:, None] * u[:, None] ** np.arange(1, dq + 1))])
    sol, *_ = np.linalg.lstsq(A * w[:, None], f * w, rcond=None)
    p, q = sol[:dp + 1], np.concatenate([[1.0], sol[dp + 1:]])
    Q = np.polyval(q[::-1], u)
    rel = (x * np.polyval(p[::-1], u) / Q - f) / f
    w = 1 / np.abs(f * Q) * (1 + 50 * np.abs(rel) / np.max(np.abs(rel)))
print("fit: largest relative error", np.max(np.abs(rel)))

grid = np.linspace(-6, 6, 2_000_001).astype(np.float32)[::50]
xd = np.clip(grid, np.float32(-4), np.float32(4)).astype(np.float64)
kernel = (xd * np.polyval(p[::-1], xd * xd) / np.polyval(q[::-1], xd * xd)).astype(np.float32).astype(np.float64)
exact = np.array([math.erf(float(v)) for v in grid])
ulp = np.spacing(np.abs(exact).astype(np.float32)).astype(np.float64)
print("kernel: largest error in float32 ulps", np.max(np.abs(kernel - exact) / np.maximum(ulp, 1e-45)))
print("P =", repr(list(map(float, p))))
print("Q =", repr(list(map(float, q))))
