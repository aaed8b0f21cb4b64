"""Reference per-sample losses for tests/Descent.Nn.Tests/Losses, with Keras 3 semantics, in float64.

Run with /usr/bin/python3 (numpy, torch 1.13): python3 losses.py > losses.json
The formulas are written in NumPy after Keras 3 (keras/src/losses/losses.py and the numpy backend's nn.py):
probabilities are clipped to [1e-7, 1 - 1e-7]; categorical probabilities are first divided by their sum;
per-sample losses are the mean (MSE, MAE, Huber, BCE) or sum (CCE, KLD) over the last axis.
The from-logits forms are cross-checked against torch.nn.functional where torch has the same loss.
"""
import json

import numpy as np
import torch
import torch.nn.functional as F

EPS = 1e-7
rng = np.random.default_rng(7)


def mse(t, p): return np.mean((t - p) ** 2, axis=-1)
def mae(t, p): return np.mean(np.abs(t - p), axis=-1)


def huber(t, p, delta):
    e = np.abs(p - t)
    return np.mean(np.where(e <= delta, 0.5 * e ** 2, delta * e - 0.5 * delta ** 2), axis=-1)


def bce(t, p, from_logits=False, ls=0.0):
    t = t * (1 - ls) + 0.5 * ls
    if from_logits:
        v = np.maximum(p, 0) - p * t + np.log1p(np.exp(-np.abs(p)))
    else:
        p = np.clip(p, EPS, 1 - EPS)
        v = -(t * np.log(p) + (1 - t) * np.log(1 - p))
    return np.mean(v, axis=-1)


def log_softmax(x):
    m = x.max(axis=-1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=-1, keepdims=True))


def cce(t, p, from_logits=False, ls=0.0):
    t = t * (1 - ls) + ls / t.shape[-1]
    if from_logits:
        logp = log_softmax(p)
    else:
        logp = np.log(np.clip(p / p.sum(axis=-1, keepdims=True), EPS, 1 - EPS))
    return -(t * logp).sum(axis=-1)


def kld(t, p):
    t = np.clip(t, EPS, 1)
    p = np.clip(p, EPS, 1)
    return (t * np.log(t / p)).sum(axis=-1)


def softmax(x): return np.exp(log_softmax(x))
def sigmoid(x): return 1 / (1 + np.exp(-x))


reg_true = rng.normal(size=(3, 4))
reg_pred = reg_true + rng.normal(scale=1.5, size=(3, 4))
bin_true = rng.integers(0, 2, size=(3, 2)).astype(float)
bin_logits = rng.normal(scale=3, size=(3, 2))
bin_probs = sigmoid(bin_logits)
bin_probs_edge = np.array([[0.0, 1.0], [1.0, 0.0], [0.3, 0.9]])
labels = np.array([2, 0, 1, 2])
cat_true = np.eye(3)[labels]
cat_logits = rng.normal(scale=2, size=(4, 3))
cat_probs = softmax(cat_logits)
cat_unnormalized = np.array([[2.0, 1.0, 1.0], [0.0, 0.5, 0.5], [1.0, 0.0, 3.0], [0.2, 0.2, 0.0]])
dist_true = np.array([[0.2, 0.3, 0.5], [0.0, 0.6, 0.4]])
dist_pred = np.array([[0.1, 0.6, 0.3], [0.3, 0.7, 0.0]])

# Cross-checks of the from-logits forms against PyTorch.
tt = torch.tensor
assert np.allclose(bce(bin_true, bin_logits, True),
                   F.binary_cross_entropy_with_logits(tt(bin_logits), tt(bin_true), reduction="none").mean(-1).numpy(), rtol=1e-14)
assert np.allclose(cce(cat_true, cat_logits, True, 0.1),
                   F.cross_entropy(tt(cat_logits), tt(labels), reduction="none", label_smoothing=0.1).numpy(), rtol=1e-14)
assert np.allclose(kld(dist_true[:1], dist_pred[:1]),
                   F.kl_div(tt(np.log(dist_pred[:1])), tt(dist_true[:1]), reduction="none").sum(-1).numpy(), rtol=1e-14)

L = lambda a: a.tolist()
cases = [
    dict(loss="mse", y_true=L(reg_true), y_pred=L(reg_pred), expected=L(mse(reg_true, reg_pred))),
    dict(loss="mae", y_true=L(reg_true), y_pred=L(reg_pred), expected=L(mae(reg_true, reg_pred))),
    dict(loss="huber", delta=1.0, y_true=L(reg_true), y_pred=L(reg_pred), expected=L(huber(reg_true, reg_pred, 1.0))),
    dict(loss="huber", delta=0.5, y_true=L(reg_true), y_pred=L(reg_pred), expected=L(huber(reg_true, reg_pred, 0.5))),
    dict(loss="bce", y_true=L(bin_true), y_pred=L(bin_probs), expected=L(bce(bin_true, bin_probs))),
    # float32 rounds the clip bound 1 - 1e-7 to 1 - 1.19e-7, so this case is checked in float64 only.
    dict(loss="bce", float64_only=True, y_true=L(bin_true), y_pred=L(bin_probs_edge), expected=L(bce(bin_true, bin_probs_edge))),
    dict(loss="bce", label_smoothing=0.1, y_true=L(bin_true), y_pred=L(bin_probs), expected=L(bce(bin_true, bin_probs, ls=0.1))),
    dict(loss="bce", from_logits=True, y_true=L(bin_true), y_pred=L(bin_logits), expected=L(bce(bin_true, bin_logits, True))),
    dict(loss="bce", from_logits=True, label_smoothing=0.2, y_true=L(bin_true), y_pred=L(bin_logits), expected=L(bce(bin_true, bin_logits, True, 0.2))),
    dict(loss="cce", y_true=L(cat_true), y_pred=L(cat_probs), expected=L(cce(cat_true, cat_probs))),
    dict(loss="cce", y_true=L(cat_true), y_pred=L(cat_unnormalized), expected=L(cce(cat_true, cat_unnormalized))),
    dict(loss="cce", label_smoothing=0.1, y_true=L(cat_true), y_pred=L(cat_probs), expected=L(cce(cat_true, cat_probs, ls=0.1))),
    dict(loss="cce", from_logits=True, y_true=L(cat_true), y_pred=L(cat_logits), expected=L(cce(cat_true, cat_logits, True))),
    dict(loss="cce", from_logits=True, label_smoothing=0.1, y_true=L(cat_true), y_pred=L(cat_logits), expected=L(cce(cat_true, cat_logits, True, 0.1))),
    dict(loss="scce", y_true=L(labels), y_pred=L(cat_probs), expected=L(cce(cat_true, cat_probs))),
    dict(loss="scce", y_true=L(labels), y_pred=L(cat_unnormalized), expected=L(cce(cat_true, cat_unnormalized))),
    dict(loss="scce", from_logits=True, y_true=L(labels), y_pred=L(cat_logits), expected=L(cce(cat_true, cat_logits, True))),
    dict(loss="kld", y_true=L(dist_true), y_pred=L(dist_pred), expected=L(kld(dist_true, dist_pred))),
]
print(json.dumps({"cases": cases}, separators=(",", ":")))
