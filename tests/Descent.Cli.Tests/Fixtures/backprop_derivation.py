#!/usr/bin/env python3
"""The article's example 3 by hand, at 40 significant digits (mpmath), for docs and for reading beside
BackpropTests, which re-derives the same closed forms in plain C# doubles.
Run: python3 backprop_derivation.py   (needs mpmath)
"""
from mpmath import mp, mpf, exp

mp.dps = 40
sig = lambda z: 1 / (1 + exp(-z))
x, w11, w12, b1, w21, w22, b2, y_true, alpha = map(mpf, (2, 1, -1, 3, 2, 1, 0, 1, "0.2"))

z1 = x * w11 + b1; h1 = sig(z1)
z2 = x * w12 + b1; h2 = sig(z2)
y_temp = h1 * w21 + h2 * w22 + b2; y_pred = sig(y_temp)
E = (y_true - y_pred) ** 2 / 2

d_out = (y_pred - y_true) * y_pred * (1 - y_pred)        # dE/dy_temp
grads = {
    "w11": d_out * w21 * h1 * (1 - h1) * x,
    "w12": d_out * w22 * h2 * (1 - h2) * x,
    "b1": d_out * w21 * h1 * (1 - h1) + d_out * w22 * h2 * (1 - h2),   # two paths: b1 feeds both units
    "w21": d_out * h1,
    "w22": d_out * h2,
    "b2": d_out,
}
start = {"w11": w11, "w12": w12, "b1": b1, "w21": w21, "w22": w22, "b2": b2}
for name, v in [("h1", h1), ("h2", h2), ("y_temp", y_temp), ("y_pred", y_pred), ("E", E)]:
    print(f"{name:7} {mp.nstr(v, 25)}")
for name, g in grads.items():
    print(f"dE/d{name:4} {mp.nstr(g, 25):>32}   updated {mp.nstr(start[name] - alpha * g, 25)}")
print("article's dE/dw21 from its rounded factors: -0.07*0.058*0.99 =", mp.nstr(mpf("-0.07") * mpf("0.058") * mpf("0.99"), 10))
