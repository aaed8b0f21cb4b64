#!/usr/bin/env python3
"""Reference values for Conv2D (forward and both gradients) and MaxPool2D, computed by PyTorch in float64.

Descent is NHWC with kernels [kh, kw, cin, cout] (TensorFlow's layout); PyTorch is NCHW with [cout, cin, kh, kw],
so tensors are permuted on the way in and out. TensorFlow's "same" padding puts the odd row or column after the
data, which PyTorch's symmetric padding cannot express, so the padding is applied with F.pad first (zeros for
convolution, -inf for max pooling). Gradients are those of sum(y * dy) for the fixed random dy stored with each case.
Writes conv2d.json beside this script.
Run: python3 conv2d.py   (needs torch; Debian: apt-get install python3-torch)
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.manual_seed(7)


def same_padding(size, kernel, stride, dilation):
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


def pad_amounts(x_nhwc, kernel, strides, dilations, padding):
    if padding == "valid":
        return (0, 0, 0, 0)
    top, bottom = same_padding(x_nhwc.shape[1], kernel[0], strides[0], dilations[0])
    left, right = same_padding(x_nhwc.shape[2], kernel[1], strides[1], dilations[1])
    return (left, right, top, bottom)  # F.pad order: last axis first


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def conv_case(name, x_shape, w_shape, strides, padding, dilations):
    x = torch.randn(*x_shape, dtype=torch.float64, requires_grad=True)
    w = torch.randn(*w_shape, dtype=torch.float64, requires_grad=True)
    xp = F.pad(x.permute(0, 3, 1, 2), pad_amounts(x, w_shape, strides, dilations, padding))
    y = F.conv2d(xp, w.permute(3, 2, 0, 1), stride=strides, dilation=dilations).permute(0, 2, 3, 1)
    dy = torch.randn(*y.shape, dtype=torch.float64)
    dx, dw = torch.autograd.grad((y * dy).sum(), [x, w])
    return {"name": name, "strides": list(strides), "padding": padding, "dilations": list(dilations),
            "x_shape": list(x_shape), "w_shape": list(w_shape), "y_shape": list(y.shape),
            "x": flat(x), "w": flat(w), "y": flat(y), "dy": flat(dy), "dx": flat(dx), "dw": flat(dw)}


def pool_case(name, x_shape, pool, strides, padding):
    x = torch.randn(*x_shape, dtype=torch.float64, requires_grad=True)
    left, right, top, bottom = pad_amounts(x, pool, strides, (1, 1), padding)
    xp = F.pad(x.permute(0, 3, 1, 2), (left, right, top, bottom), value=-math.inf)
    y = F.max_pool2d(xp, pool, strides).permute(0, 2, 3, 1)
    dy = torch.randn(*y.shape, dtype=torch.float64)
    (dx,) = torch.autograd.grad((y * dy).sum(), [x])
    return {"name": name, "pool": list(pool), "strides": list(strides), "padding": padding,
            "x_shape": list(x_shape), "y_shape": list(y.shape), "x": flat(x), "y": flat(y), "dy": flat(dy), "dx": flat(dx)}


fixture = {
    "conv2d": [
        conv_case("same, stride 1", (2, 5, 4, 3), (3, 3, 3, 4), (1, 1), "same", (1, 1)),
        conv_case("same, stride 2, odd padding after", (1, 6, 5, 2), (3, 2, 2, 3), (2, 2), "same", (1, 1)),
        conv_case("valid, stride (1, 2), dilation (2, 1)", (2, 7, 6, 2), (2, 3, 2, 3), (1, 2), "valid", (2, 1)),
        conv_case("same, dilation 2, 17 filters", (1, 5, 5, 4), (3, 3, 4, 17), (1, 1), "same", (2, 2)),
    ],
    "max_pool2d": [
        pool_case("valid 2x2", (2, 4, 6, 3), (2, 2), (2, 2), "valid"),
        pool_case("same 2x2 on odd sizes", (1, 5, 5, 2), (2, 2), (2, 2), "same"),
        pool_case("overlapping 3x3, stride 1, same", (1, 4, 5, 2), (3, 3), (1, 1), "same"),
    ],
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "conv2d.json"), "w") as f:
    json.dump(fixture, f)
