#!/usr/bin/env python3
"""Reference for the article's example 2: the same float32 computation, derived by hand in NumPy.

TensorFlow's program minimises reduce_sum(square(a*X + b - y)) with plain SGD (lr 5e-4) for 100 epochs.
The gradients are written out in closed form:
    r = a*X + b - y            (float32, elementwise)
    dL/da = sum(2*r * X)       dL/db = sum(2*r)
    a <- a - lr*dL/da          b <- b - lr*dL/db
Each float32 sum of five terms is accumulated left to right. Writes linear_regression_float32.json.
Run: python3 linear_regression_float32.py   (needs numpy; Debian: apt-get install python3-numpy)
"""
import json
import os

import numpy as np

f32 = np.float32
X = np.array([0.0, 0.25, 0.5, 0.74, 1.0], dtype=f32)
y = np.array([0.0, 0.36, 0.54, 0.82, 1.0], dtype=f32)
lr = f32(5e-4)


def seq_sum(v):
    total = f32(0)
    for t in v:
        total = f32(total + t)
    return total


a, b = f32(0), f32(0)
losses = []
for epoch in range(100):
    r = (a * X + b - y).astype(f32)
    losses.append(float(seq_sum(r * r)))
    da = seq_sum((f32(2) * r) * X)
    db = seq_sum(f32(2) * r)
    a = f32(a - lr * da)
    b = f32(b - lr * db)

out = {"a": float(a), "b": float(b), "a_bits": int(np.float32(a).view(np.uint32)),
       "b_bits": int(np.float32(b).view(np.uint32)), "first_loss": losses[0], "last_loss": losses[-1]}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "linear_regression_float32.json"), "w") as fh:
    json.dump(out, fh, indent=2)
print(json.dumps(out))
