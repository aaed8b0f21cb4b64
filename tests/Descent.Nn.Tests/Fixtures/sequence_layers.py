#!/usr/bin/env python3
"""Reference values for the sequence layers (SimpleRNN, LSTM, GRU, Bidirectional, Conv1D, MaxPooling1D),
computed by PyTorch in float64: outputs, final states and the gradients of every input and weight.

Weights are drawn in Keras's layouts and mapped to PyTorch's:
- SimpleRNN and LSTM: kernel [in, g*U] is weight_ih.T, recurrent_kernel [U, g*U] is weight_hh.T, and the bias is
  bias_ih (bias_hh = 0). Keras's LSTM gate order i, f, c, o is PyTorch's i, f, g, o.
- GRU (reset_after=True, Keras's default): PyTorch's gates are r, z, n, Keras's z, r, h, so the first two blocks
  swap; the bias [2, 3U] is (bias_ih, bias_hh). PyTorch applies the reset gate after the recurrent product, as
  Keras's reset_after. GRU with reset_after=False has no PyTorch module: it is written out in torch ops below from
  Keras's formula, and autograd gives its gradients. Before anything is written, check_layout_mapping() asserts that
  the mapped PyTorch LSTM and GRU agree with Keras's formulas written out in torch ops.
Cases without a mask run PyTorch's whole-sequence modules (torch.nn.RNN/LSTM/GRU, bidirectional ones for
Bidirectional). Cases with a mask run the same weights through torch.nn.RNNCell/LSTMCell/GRUCell in a loop that
follows Keras's masking rule (keras/src/backend/tensorflow/rnn.py): on a masked step the states keep their previous
value and the output repeats the previous output (zeros before the first step), or is zero with
zero_output_for_mask. go_backwards runs over the reversed sequence and returns the outputs in that order.
Gradients are those of sum(y * dy) + sum over the final states of sum(state * ds), for fixed random dy and ds.

Conv1D: Keras's [k, in, filters] kernel is conv1d's [filters, in, k] permuted; "same" pads as TensorFlow (the odd
step after) and "causal" pads (k - 1) * dilation steps before, both with F.pad first. MaxPooling1D pads "same"
with -inf.
Writes sequence_layers.json beside this script.
Run: python3 sequence_layers.py   (needs torch; Debian: apt-get install python3-torch)
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.manual_seed(10)
D = torch.float64


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def rand(*shape, scale=0.5):
    return (torch.randn(*shape, dtype=D) * scale)


def swap_first_blocks(t, units, axis):
    """Keras z, r, h <-> PyTorch r, z, n: swap the first two blocks of `units` along `axis` (its own inverse)."""
    a, b, c = torch.split(t, units, dim=axis)
    return torch.cat([b, a, c], dim=axis)


GATES = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}


def to_torch(kind, kernel, recurrent, bias, units):
    """(weight_ih, weight_hh, bias_ih, bias_hh) in PyTorch's layout from Keras's (bias None without bias)."""
    if kind == "GRU":
        w_ih = swap_first_blocks(kernel, units, 1).T
        w_hh = swap_first_blocks(recurrent, units, 1).T
        b = None if bias is None else (swap_first_blocks(bias[0], units, 0), swap_first_blocks(bias[1], units, 0))
    else:
        w_ih, w_hh = kernel.T, recurrent.T
        b = None if bias is None else (bias, torch.zeros_like(bias))
    return w_ih, w_hh, b


def from_torch(kind, module, suffix, units, use_bias):
    """The gradients of a PyTorch module's parameters in Keras's layouts."""
    g_ih = getattr(module, "weight_ih" + suffix).grad
    g_hh = getattr(module, "weight_hh" + suffix).grad
    if kind == "GRU":
        dk = swap_first_blocks(g_ih, units, 0).T
        dr = swap_first_blocks(g_hh, units, 0).T
        db = None
        if use_bias:
            db = torch.stack([swap_first_blocks(getattr(module, "bias_ih" + suffix).grad, units, 0),
                              swap_first_blocks(getattr(module, "bias_hh" + suffix).grad, units, 0)])
    else:
        dk, dr = g_ih.T, g_hh.T
        db = getattr(module, "bias_ih" + suffix).grad if use_bias else None
    return dk, dr, db


def load(module, suffix, weights):
    w_ih, w_hh, b = weights
    with torch.no_grad():
        getattr(module, "weight_ih" + suffix).copy_(w_ih)
        getattr(module, "weight_hh" + suffix).copy_(w_hh)
        if b is not None:
            getattr(module, "bias_ih" + suffix).copy_(b[0])
            getattr(module, "bias_hh" + suffix).copy_(b[1])


def keras_weights(kind, features, units, use_bias, reset_after=True):
    g = GATES[kind]
    kernel = rand(features, g * units)
    recurrent = rand(units, g * units)
    bias = None
    if use_bias:
        bias = rand(2, g * units) if kind == "GRU" and reset_after else rand(g * units)
    return kernel, recurrent, bias


def gru_reset_before_cell(kernel, recurrent, bias, units):
    """Keras's GRU cell with reset_after=False, in torch ops."""
    def cell(x, states):
        h = states[0]
        proj = x @ kernel + (bias if bias is not None else 0)
        xz, xr, xh = torch.split(proj, units, dim=1)
        rz, rr = torch.split(h @ recurrent[:, :2 * units], units, dim=1)
        z = torch.sigmoid(xz + rz)
        r = torch.sigmoid(xr + rr)
        hh = torch.tanh(xh + (r * h) @ recurrent[:, 2 * units:])
        new = z * h + (1 - z) * hh
        return new, [new]
    return cell


def torch_cell(kind, module):
    if kind == "LSTM":
        return lambda x, s: (lambda hc: (hc[0], [hc[0], hc[1]]))(module(x, (s[0], s[1])))
    return lambda x, s: (lambda h: (h, [h]))(module(x, s[0]))


def keras_loop(cell, x, states, mask, go_backwards, zero_output, return_sequences):
    """Keras's RNN loop with a mask (keras/src/backend/tensorflow/rnn.py)."""
    steps = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    outputs, prev = [], None
    for t in steps:
        out, new_states = cell(x[:, t], states)
        if prev is None:
            prev = torch.zeros_like(out)
        if mask is not None:
            m = mask[:, t:t + 1]
            new_states = [torch.where(m, n, s) for n, s in zip(new_states, states)]
            out = torch.where(m, out, torch.zeros_like(out) if zero_output else prev)
        prev, states = out, new_states
        outputs.append(out)
    return (torch.stack(outputs, 1) if return_sequences else prev), states


def recurrent_case(name, kind, batch, time, features, units, activation="tanh", use_bias=True, return_sequences=False,
                   go_backwards=False, initial_state=False, mask=None, zero_output=False, reset_after=True):
    kernel, recurrent, bias = keras_weights(kind, features, units, use_bias, reset_after)
    x = rand(batch, time, features, scale=1.0).requires_grad_()
    n_states = 2 if kind == "LSTM" else 1
    h0 = [rand(batch, units).requires_grad_() for _ in range(n_states)] if initial_state else None
    mask_t = None if mask is None else torch.tensor(mask, dtype=torch.bool)

    params = []
    if kind == "GRU" and not reset_after:
        k, r = kernel.clone().requires_grad_(), recurrent.clone().requires_grad_()
        b = None if bias is None else bias.clone().requires_grad_()
        params = [k, r] + ([b] if b is not None else [])
        cell = gru_reset_before_cell(k, r, b, units)
        states = h0 if h0 is not None else [torch.zeros(batch, units, dtype=D) for _ in range(n_states)]
        y, final = keras_loop(cell, x, states, mask_t, go_backwards, zero_output, return_sequences)
    elif mask_t is None:
        cls = {"SimpleRNN": torch.nn.RNN, "LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU}[kind]
        extra = {"nonlinearity": activation} if kind == "SimpleRNN" else {}
        module = cls(features, units, batch_first=True, bias=use_bias, dtype=D, **extra)
        load(module, "_l0", to_torch(kind, kernel, recurrent, bias, units))
        xin = x.flip(1) if go_backwards else x
        hx = None
        if h0 is not None:
            hx = (h0[0].unsqueeze(0), h0[1].unsqueeze(0)) if kind == "LSTM" else h0[0].unsqueeze(0)
        seq, hn = module(xin, hx)
        final = [hn[0][0], hn[1][0]] if kind == "LSTM" else [hn[0]]
        y = seq if return_sequences else seq[:, -1]
    else:
        cls = {"SimpleRNN": torch.nn.RNNCell, "LSTM": torch.nn.LSTMCell, "GRU": torch.nn.GRUCell}[kind]
        extra = {"nonlinearity": activation} if kind == "SimpleRNN" else {}
        module = cls(features, units, bias=use_bias, dtype=D, **extra)
        load(module, "", to_torch(kind, kernel, recurrent, bias, units))
        states = h0 if h0 is not None else [torch.zeros(batch, units, dtype=D) for _ in range(n_states)]
        y, final = keras_loop(torch_cell(kind, module), x, states, mask_t, go_backwards, zero_output, return_sequences)

    dy = rand(*y.shape, scale=1.0)
    ds = [rand(batch, units, scale=1.0) for _ in final]
    loss = (y * dy).sum() + sum((s * d).sum() for s, d in zip(final, ds))
    loss.backward()
    if kind == "GRU" and not reset_after:
        dk, dr = params[0].grad, params[1].grad
        db = params[2].grad if bias is not None else None
    else:
        dk, dr, db = from_torch(kind, module, "_l0" if mask_t is None else "", units, use_bias)

    case = {"name": name, "layer": kind, "units": units, "activation": activation, "use_bias": use_bias,
            "return_sequences": return_sequences, "go_backwards": go_backwards, "zero_output_for_mask": zero_output,
            "reset_after": reset_after, "x_shape": [batch, time, features], "x": flat(x),
            "kernel": flat(kernel), "recurrent_kernel": flat(recurrent), "bias": flat(bias) if bias is not None else None,
            "y_shape": list(y.shape), "y": flat(y), "states": [flat(s) for s in final],
            "dy": flat(dy), "ds": [flat(d) for d in ds],
            "dx": flat(x.grad), "dkernel": flat(dk), "drecurrent_kernel": flat(dr), "dbias": flat(db) if db is not None else None}
    if mask is not None:
        case["mask"] = [int(v) for row in mask for v in row]
    if h0 is not None:
        case["initial_state"] = [flat(s) for s in h0]
        case["dinitial_state"] = [flat(s.grad) for s in h0]
    return case


def bidirectional_case(name, kind, batch, time, features, units, merge_mode, return_sequences, mask=None):
    fw = keras_weights(kind, features, units, True)
    bw = keras_weights(kind, features, units, True)
    x = rand(batch, time, features, scale=1.0).requires_grad_()
    n_states = 2 if kind == "LSTM" else 1
    if mask is None:
        cls = {"LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU, "SimpleRNN": torch.nn.RNN}[kind]
        module = cls(features, units, batch_first=True, bidirectional=True, dtype=D)
        load(module, "_l0", to_torch(kind, *fw, units))
        load(module, "_l0_reverse", to_torch(kind, *bw, units))
        seq, hn = module(x)
        y_f, y_b = seq[..., :units], seq[..., units:]
        if kind == "LSTM":
            states = [hn[0][0], hn[1][0], hn[0][1], hn[1][1]]
        else:
            states = [hn[0], hn[1]]
        if not return_sequences:
            y_f, y_b = y_f[:, -1], y_b[:, 0]  # the backward direction ends at time step 0
        modules = [(module, "_l0"), (module, "_l0_reverse")]
    else:
        cls = {"SimpleRNN": torch.nn.RNNCell, "LSTM": torch.nn.LSTMCell, "GRU": torch.nn.GRUCell}[kind]
        m_t = torch.tensor(mask, dtype=torch.bool)
        fwd, bwd = cls(features, units, dtype=D), cls(features, units, dtype=D)
        load(fwd, "", to_torch(kind, *fw, units))
        load(bwd, "", to_torch(kind, *bw, units))
        zeros = [torch.zeros(batch, units, dtype=D) for _ in range(n_states)]
        # Bidirectional forces zero_output_for_mask = return_sequences on both copies, as Keras does.
        y_f, s_f = keras_loop(torch_cell(kind, fwd), x, zeros, m_t, False, return_sequences, return_sequences)
        y_b, s_b = keras_loop(torch_cell(kind, bwd), x, zeros, m_t, True, return_sequences, return_sequences)
        if return_sequences:
            y_b = y_b.flip(1)
        states = s_f + s_b
        modules = [(fwd, ""), (bwd, "")]
    y = {"concat": lambda: torch.cat([y_f, y_b], -1), "sum": lambda: y_f + y_b, "mul": lambda: y_f * y_b,
         "ave": lambda: (y_f + y_b) / 2}[merge_mode]()
    dy = rand(*y.shape, scale=1.0)
    ds = [rand(batch, units, scale=1.0) for _ in states]
    loss = (y * dy).sum() + sum((s * d).sum() for s, d in zip(states, ds))
    loss.backward()
    grads = [from_torch(kind, m, suffix, units, True) for m, suffix in modules]
    case = {"name": name, "layer": kind, "units": units, "merge_mode": merge_mode, "return_sequences": return_sequences,
            "x_shape": [batch, time, features], "x": flat(x),
            "forward": {"kernel": flat(fw[0]), "recurrent_kernel": flat(fw[1]), "bias": flat(fw[2])},
            "backward": {"kernel": flat(bw[0]), "recurrent_kernel": flat(bw[1]), "bias": flat(bw[2])},
            "y_shape": list(y.shape), "y": flat(y), "states": [flat(s) for s in states],
            "dy": flat(dy), "ds": [flat(d) for d in ds], "dx": flat(x.grad),
            "dforward": {"kernel": flat(grads[0][0]), "recurrent_kernel": flat(grads[0][1]), "bias": flat(grads[0][2])},
            "dbackward": {"kernel": flat(grads[1][0]), "recurrent_kernel": flat(grads[1][1]), "bias": flat(grads[1][2])}}
    if mask is not None:
        case["mask"] = [int(v) for row in mask for v in row]
    return case


def same_padding(size, kernel, stride, dilation):
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


def conv1d_case(name, x_shape, kernel_size, filters, strides, padding, dilation):
    x = rand(*x_shape, scale=1.0).requires_grad_()
    w = rand(kernel_size, x_shape[2], filters).requires_grad_()
    b = rand(filters).requires_grad_()
    if padding == "same":
        pad = same_padding(x_shape[1], kernel_size, strides, dilation)
    elif padding == "causal":
        pad = ((kernel_size - 1) * dilation, 0)
    else:
        pad = (0, 0)
    xp = F.pad(x.permute(0, 2, 1), pad)
    y = F.conv1d(xp, w.permute(2, 1, 0), b, stride=strides, dilation=dilation).permute(0, 2, 1)
    dy = rand(*y.shape, scale=1.0)
    (y * dy).sum().backward()
    return {"name": name, "kernel_size": kernel_size, "filters": filters, "strides": strides, "padding": padding,
            "dilation": dilation, "x_shape": list(x_shape), "x": flat(x), "kernel": flat(w), "bias": flat(b),
            "y_shape": list(y.shape), "y": flat(y), "dy": flat(dy), "dx": flat(x.grad), "dkernel": flat(w.grad),
            "dbias": flat(b.grad)}


def max_pool1d_case(name, x_shape, pool, strides, padding):
    x = rand(*x_shape, scale=1.0).requires_grad_()
    pad = same_padding(x_shape[1], pool, strides, 1) if padding == "same" else (0, 0)
    xp = F.pad(x.permute(0, 2, 1), pad, value=-math.inf)
    y = F.max_pool1d(xp, pool, strides).permute(0, 2, 1)
    dy = rand(*y.shape, scale=1.0)
    (y * dy).sum().backward()
    return {"name": name, "pool": pool, "strides": strides, "padding": padding, "x_shape": list(x_shape), "x": flat(x),
            "y_shape": list(y.shape), "y": flat(y), "dy": flat(dy), "dx": flat(x.grad)}


def check_layout_mapping():
    """The Keras-to-PyTorch weight mapping above, checked against Keras's LSTM and GRU formulas written out in torch."""
    x = rand(2, 5, 3, scale=1.0)
    for kind in ("LSTM", "GRU"):
        kernel, recurrent, bias = keras_weights(kind, 3, 4, True)
        module = {"LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU}[kind](3, 4, batch_first=True, dtype=D)
        load(module, "_l0", to_torch(kind, kernel, recurrent, bias, 4))
        h = c = torch.zeros(2, 4, dtype=D)
        outputs = []
        for t in range(5):
            if kind == "LSTM":
                i, f, g, o = torch.split(x[:, t] @ kernel + h @ recurrent + bias, 4, dim=1)
                c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
                h = torch.sigmoid(o) * torch.tanh(c)
            else:
                xz, xr, xh = torch.split(x[:, t] @ kernel + bias[0], 4, dim=1)
                rz, rr, rh = torch.split(h @ recurrent + bias[1], 4, dim=1)
                z, r = torch.sigmoid(xz + rz), torch.sigmoid(xr + rr)
                candidate = torch.tanh(xh + r * rh)
                h = z * h + (1 - z) * candidate
            outputs.append(h)
        error = (module(x)[0] - torch.stack(outputs, 1)).abs().max().item()
        assert error < 1e-12, f"{kind}: the weight mapping disagrees with Keras's formula by {error}"


check_layout_mapping()

# Masks: a full row, left padding, a gap in the middle, right padding, and (LSTM) a row with no data at all.
MASK_4x6 = [[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1], [1, 1, 0, 1, 0, 1], [1, 1, 1, 0, 0, 0]]
MASK_3x5 = [[1, 1, 1, 1, 1], [0, 0, 0, 0, 0], [1, 0, 1, 1, 0]]

fixture = {
    "recurrent": [
        recurrent_case("SimpleRNN tanh, sequences", "SimpleRNN", 2, 5, 3, 4, return_sequences=True),
        recurrent_case("SimpleRNN relu, last output, backwards, initial state", "SimpleRNN", 3, 4, 2, 5, activation="relu",
                       go_backwards=True, initial_state=True),
        recurrent_case("SimpleRNN without bias, masked sequences", "SimpleRNN", 4, 6, 3, 3, use_bias=False,
                       return_sequences=True, mask=MASK_4x6),
        recurrent_case("LSTM sequences", "LSTM", 3, 6, 4, 5, return_sequences=True),
        recurrent_case("LSTM last output, backwards, initial state", "LSTM", 2, 5, 3, 4, go_backwards=True, initial_state=True),
        recurrent_case("LSTM without bias", "LSTM", 2, 4, 3, 3, use_bias=False, return_sequences=True),
        recurrent_case("LSTM masked sequences", "LSTM", 4, 6, 3, 4, return_sequences=True, mask=MASK_4x6),
        recurrent_case("LSTM masked last output, initial state", "LSTM", 3, 5, 2, 3, initial_state=True, mask=MASK_3x5),
        recurrent_case("LSTM masked backwards, zero output for mask", "LSTM", 4, 6, 3, 4, return_sequences=True,
                       go_backwards=True, zero_output=True, mask=MASK_4x6),
        recurrent_case("GRU sequences", "GRU", 3, 6, 4, 5, return_sequences=True),
        recurrent_case("GRU last output, backwards, initial state", "GRU", 2, 5, 3, 4, go_backwards=True, initial_state=True),
        recurrent_case("GRU masked sequences", "GRU", 4, 6, 3, 4, return_sequences=True, mask=MASK_4x6),
        recurrent_case("GRU reset before the product, sequences", "GRU", 3, 5, 4, 3, return_sequences=True, reset_after=False),
        recurrent_case("GRU reset before, last output, masked, initial state", "GRU", 3, 5, 2, 4, initial_state=True,
                       mask=MASK_3x5, reset_after=False),
    ],
    "bidirectional": [
        bidirectional_case("LSTM concat sequences", "LSTM", 2, 5, 3, 4, "concat", True),
        bidirectional_case("LSTM sum last output", "LSTM", 3, 4, 2, 3, "sum", False),
        bidirectional_case("GRU ave sequences", "GRU", 2, 5, 3, 4, "ave", True),
        bidirectional_case("SimpleRNN mul last output", "SimpleRNN", 2, 4, 3, 3, "mul", False),
        bidirectional_case("LSTM concat masked sequences", "LSTM", 4, 6, 3, 3, "concat", True, mask=MASK_4x6),
        bidirectional_case("GRU sum masked last output", "GRU", 3, 5, 2, 4, "sum", False, mask=MASK_3x5),
    ],
    "conv1d": [
        conv1d_case("valid", (2, 7, 3), 3, 4, 1, "valid", 1),
        conv1d_case("same, stride 2, odd padding after", (2, 8, 2), 4, 3, 2, "same", 1),
        conv1d_case("causal, dilation 2", (2, 6, 3), 3, 2, 1, "causal", 2),
        conv1d_case("causal, stride 2", (1, 7, 2), 2, 3, 2, "causal", 1),
        conv1d_case("valid, dilation 3, 17 filters", (1, 9, 4), 2, 17, 1, "valid", 3),
    ],
    "max_pooling1d": [
        max_pool1d_case("valid 2", (2, 7, 3), 2, 2, "valid"),
        max_pool1d_case("same 3, stride 2", (2, 6, 2), 3, 2, "same"),
        max_pool1d_case("overlapping 3, stride 1, valid", (1, 5, 4), 3, 1, "valid"),
    ],
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "sequence_layers.json"), "w") as f:
    json.dump(fixture, f)
