#!/usr/bin/env python3
"""Reference values for the sequence ops (Einsum, ScaledDotProductAttention, MaskedSoftmax, Cumsum, TopK), computed by
PyTorch 1.13 in float64. Gradients are those of sum(y * dy) for the fixed random dy stored with each case.

- Einsum: torch.einsum.
- Attention: written out (torch 1.13 has no F.scaled_dot_product_attention): scores = q @ k^T * scale; hidden
  positions get exactly zero weight, as Descent defines it: e = exp(s - max over visible) * visible,
  weights = e / sum(e), and a row with nothing visible is all zeros (PyTorch's -inf fill would give NaN there).
  The causal triangle is the top-left one, torch.ones(L, S).tril(), as PyTorch's is_causal.
- Masked softmax: the same formula on its own.
- Cumsum: torch.cumsum, with flips for reverse and a shift for exclusive (tf.math.cumsum's options).
- TopK: torch.topk (sorted, largest); gradients of the values.
Writes attention_ops.json beside this script.
Run: python3 attention_ops.py   (needs torch; Debian: apt-get install python3-torch)
"""
import json
import os

import torch

torch.manual_seed(10)
D = torch.float64


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def ints(t):
    return [int(v) for v in t.reshape(-1)]


def rand(*shape):
    return torch.randn(*shape, dtype=D, requires_grad=True)


def einsum_case(equation, *shapes):
    xs = [rand(*s) for s in shapes]
    y = torch.einsum(equation, *xs)
    dy = torch.randn(y.shape, dtype=D)
    grads = torch.autograd.grad((y * dy).sum(), xs)
    return {"equation": equation, "shapes": [list(s) for s in shapes], "inputs": [flat(x) for x in xs],
            "y_shape": list(y.shape), "y": flat(y), "dy": flat(dy), "grads": [flat(g) for g in grads]}


def masked_softmax(s, visible):
    neg = torch.full_like(s, float("-inf"))
    m = torch.where(visible, s, neg).amax(-1, keepdim=True)
    m = torch.where(torch.isinf(m), torch.zeros_like(m), m).detach()
    e = torch.exp(torch.where(visible, s - m, neg))
    total = e.sum(-1, keepdim=True)
    return e / torch.where(total == 0, torch.ones_like(total), total)


def attention_case(name, q_shape, k_shape, v_shape, mask_shape=None, causal=False, scale=None, hide_row=False):
    q, k, v = rand(*q_shape), rand(*k_shape), rand(*v_shape)
    s = scale if scale is not None else 1 / q_shape[-1] ** 0.5
    scores = q @ k.transpose(-2, -1) * s
    tq, tk = q_shape[-2], k_shape[-2]
    visible = torch.ones(scores.shape, dtype=torch.bool)
    mask = None
    if mask_shape is not None:
        mask = torch.rand(*mask_shape) > 0.3
        if hide_row:
            mask[..., 0, :] = False  # one query sees nothing: zero weights, zero output
        visible = visible & mask
    if causal:
        visible = visible & torch.ones(tq, tk, dtype=torch.bool).tril()
    w = masked_softmax(scores, visible)
    y = w @ v
    dy = torch.randn(y.shape, dtype=D)
    dw = torch.randn(w.shape, dtype=D)
    # One backward through the output, one through output and weights together (the weights are differentiable too).
    dq, dk, dv = torch.autograd.grad((y * dy).sum(), [q, k, v], retain_graph=True)
    wq, wk, wv = torch.autograd.grad((y * dy).sum() + (w * dw).sum(), [q, k, v], allow_unused=True)
    return {"name": name, "q_shape": list(q_shape), "k_shape": list(k_shape), "v_shape": list(v_shape),
            "mask_shape": None if mask is None else list(mask_shape), "mask": None if mask is None else ints(mask),
            "causal": causal, "scale": scale, "q": flat(q), "k": flat(k), "v": flat(v),
            "y_shape": list(y.shape), "y": flat(y), "weights": flat(w), "dy": flat(dy), "dw": flat(dw),
            "dq": flat(dq), "dk": flat(dk), "dv": flat(dv),
            "dq_with_weights": flat(wq), "dk_with_weights": flat(wk), "dv_with_weights": flat(wv)}


def cumsum_case(shape, axis, exclusive, reverse):
    x = rand(*shape)
    z = x.flip(axis) if reverse else x
    y = torch.cumsum(z, axis)
    if exclusive:
        y = y - z
    if reverse:
        y = y.flip(axis)
    dy = torch.randn(y.shape, dtype=D)
    (dx,) = torch.autograd.grad((y * dy).sum(), [x])
    return {"shape": list(shape), "axis": axis, "exclusive": exclusive, "reverse": reverse,
            "x": flat(x), "y": flat(y), "dy": flat(dy), "dx": flat(dx)}


def topk_case(values, shape, k):
    x = torch.tensor(values, dtype=D).reshape(shape).requires_grad_(True)
    top, idx = torch.topk(x, k, dim=-1, largest=True, sorted=True)
    dy = torch.randn(top.shape, dtype=D)
    (dx,) = torch.autograd.grad((top * dy).sum(), [x])
    return {"shape": list(shape), "k": k, "x": flat(x), "values": flat(top), "indices": ints(idx), "dy": flat(dy), "dx": flat(dx)}


cases = {
    "einsum": [
        einsum_case("ij,jk->ik", (3, 4), (4, 5)),
        einsum_case("bij,bkj->bik", (2, 3, 4), (2, 5, 4)),
        einsum_case("ij->ji", (3, 4)),
        einsum_case("ij->", (3, 4)),
        einsum_case("ijk->kj", (2, 3, 4)),
        einsum_case("i,i->", (5,), (5,)),
        einsum_case("i,j->ij", (3,), (4,)),
        einsum_case("abc,cde->abde", (2, 3, 4), (4, 2, 3)),          # Keras's EinsumDense for a query projection
        einsum_case("aecd,abcd->acbe", (2, 5, 3, 4), (2, 6, 3, 4)),  # Keras's attention scores
        einsum_case("acbe,aecd->abcd", (2, 3, 6, 5), (2, 5, 3, 4)),  # Keras's attention combine
        einsum_case("...ij,...jk->...ik", (2, 1, 3, 4), (5, 4, 2)),  # ellipsis broadcast
        einsum_case("bij,bjk", (2, 3, 4), (2, 4, 5)),                # implicit output: "bik"
        einsum_case("ij,jk,kl->il", (2, 3), (3, 4), (4, 2)),
        einsum_case("bi,bi->b", (4, 3), (4, 3)),
        einsum_case("abc->ac", (2, 3, 4)),
    ],
    "attention": [
        attention_case("plain", (2, 3, 4), (2, 5, 4), (2, 5, 3)),
        attention_case("heads", (2, 2, 4, 3), (2, 2, 4, 3), (2, 2, 4, 2)),
        attention_case("causal", (1, 2, 5, 3), (1, 2, 5, 3), (1, 2, 5, 4), causal=True),
        attention_case("causal, more keys than queries", (2, 3, 4), (2, 5, 4), (2, 5, 2), causal=True),
        attention_case("mask broadcast over heads", (2, 2, 3, 4), (2, 2, 4, 4), (2, 2, 4, 3), mask_shape=(2, 1, 3, 4)),
        attention_case("mask and causal, a row hidden", (2, 4, 3), (2, 4, 3), (2, 4, 2), mask_shape=(2, 4, 4), causal=True, hide_row=True),
        attention_case("scale and batch broadcast", (2, 3, 4), (1, 3, 4), (1, 3, 5), scale=0.3),
    ],
    "cumsum": [
        cumsum_case((5,), 0, False, False),
        cumsum_case((3, 6), 1, False, False),
        cumsum_case((3, 6), 1, True, False),
        cumsum_case((4, 3), 0, False, True),
        cumsum_case((2, 7, 2), 1, True, True),
        cumsum_case((9,), 0, False, False),
    ],
    "topk": [
        topk_case([0.5, -1.0, 2.0, 0.25, 1.5], (5,), 3),
        topk_case([3.0, 1.0, 2.0, 0.0, -1.0, 5.0, 4.0, 0.5], (2, 4), 2),
        topk_case([1.0, 7.0, -2.0, 7.5, 0.0, 3.0], (3, 2), 2),
        topk_case([0.1, 0.9, 0.4, -0.3, 0.8, 0.2, 0.7], (7,), 7),
    ],
}

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "attention_ops.json"), "w") as f:
    json.dump(cases, f)
