"""Reference trajectories for tests/Descent.Tests/Optimizers: torch.optim on f(w) = sum(c * (w - target)^2).

Run with /usr/bin/python3 (torch 1.13): python3 optimizers.py > optimizers.json
Each case lists the weights after every step; the C# tests rebuild the same optimizer by case name.
"""
import json

import torch

W0 = [0.5, -1.5, 2.0, 0.0]
TARGET = [1.0, 2.0, -3.0, 0.25]
C = [1.0, 0.5, 2.0, 3.0]
STEPS = 5

CASES = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.1),
    "sgd_momentum": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
    "sgd_nesterov": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
    "sgd_weight_decay": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.5, weight_decay=0.1),
    "adam": lambda p: torch.optim.Adam(p, lr=0.1),
    "adam_betas": lambda p: torch.optim.Adam(p, lr=0.2, betas=(0.8, 0.95), eps=1e-3),
    "adam_amsgrad": lambda p: torch.optim.Adam(p, lr=0.3, amsgrad=True),
    "adam_weight_decay": lambda p: torch.optim.Adam(p, lr=0.1, weight_decay=0.5),
    "adamw": lambda p: torch.optim.AdamW(p, lr=0.1),
    "adamw_decay_amsgrad": lambda p: torch.optim.AdamW(p, lr=0.1, weight_decay=0.3, amsgrad=True),
    "rmsprop": lambda p: torch.optim.RMSprop(p, lr=0.01),
    "rmsprop_momentum": lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, momentum=0.8),
    "rmsprop_centered": lambda p: torch.optim.RMSprop(p, lr=0.01, centered=True),
    "rmsprop_centered_momentum": lambda p: torch.optim.RMSprop(p, lr=0.02, alpha=0.8, eps=1e-4, momentum=0.5, centered=True),
    "adagrad": lambda p: torch.optim.Adagrad(p, lr=0.5),
    "adagrad_initial_accumulator": lambda p: torch.optim.Adagrad(p, lr=0.5, initial_accumulator_value=0.1, eps=1e-6),
}
FLOAT32 = ["adam", "adamw", "rmsprop_centered", "adagrad", "sgd_nesterov"]


def trajectory(make, dtype):
    w = torch.tensor(W0, dtype=dtype, requires_grad=True)
    target = torch.tensor(TARGET, dtype=dtype)
    c = torch.tensor(C, dtype=dtype)
    opt = make([w])
    out = []
    for _ in range(STEPS):
        opt.zero_grad()
        (c * (w - target) ** 2).sum().backward()
        opt.step()
        out.append(w.detach().double().tolist())
    return out


cases = [{"name": n, "dtype": "float64", "steps": trajectory(m, torch.float64)} for n, m in CASES.items()]
cases += [{"name": n, "dtype": "float32", "steps": trajectory(CASES[n], torch.float32)} for n in FLOAT32]
print(json.dumps({"w0": W0, "target": TARGET, "c": C, "cases": cases}, separators=(",", ":")))
