#!/usr/bin/env python3
"""The peer side of the benchmark: the same cases as `descent bench`, run with PyTorch and NumPy.

Prints one JSON object: {"runner": ..., "cases": [{"name", "value", "unit", "better"}]}.
Run it through peer.sh, which installs Debian's python3-torch, python3-numpy and OpenBLAS
and lets OpenBLAS pick its fastest kernel for this processor.
"""
import json, sys, time

import numpy as np
import torch

THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 2
# An optional second argument names the cases to run, comma-separated (default: all).
CASES = set(sys.argv[2].split(",")) if len(sys.argv) > 2 and sys.argv[2] else None
torch.set_num_threads(THREADS)
cases = []


def case(name, value, unit, better):
    cases.append({"name": name, "value": round(value, 4), "unit": unit, "better": better})


def want(name):
    return CASES is None or name in CASES


def best_of(fn, reps, rounds=5):
    """Seconds per call: the best of several rounds of `reps` calls each."""
    fn()
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        best = min(best, (time.perf_counter() - t) / reps)
    return best


# Matrix product, float32, square: the kernel every dense layer rests on.
for n in (256, 512, 1024, 2048):
    a = np.random.rand(n, n).astype(np.float32)
    b = np.random.rand(n, n).astype(np.float32)
    if want(f"sgemm_{n}"):
        s = best_of(lambda: a @ b, max(2, int(4e9 / (2 * n**3))))
        case(f"sgemm_{n}", 2 * n**3 / s / 1e9, "GFLOP/s", "higher")

# One training step of a 784-256-128-10 ReLU MLP, batch 128, softmax cross-entropy, plain SGD.
torch.manual_seed(0)
mlp = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128),
                          torch.nn.ReLU(), torch.nn.Linear(128, 10))
opt = torch.optim.SGD(mlp.parameters(), lr=0.01)
xb, yb = torch.randn(128, 784), torch.randint(0, 10, (128,))
lossf = torch.nn.CrossEntropyLoss()


def step():
    opt.zero_grad()
    lossf(mlp(xb), yb).backward()
    opt.step()


if want("mlp_step_b128"):
    case("mlp_step_b128", best_of(step, 100) * 1e3, "ms", "lower")

# The article's linear regression: 5 points, a*x+b, sum of squared errors, SGD lr 5e-4. One epoch.
X = torch.tensor([0.0, 0.25, 0.5, 0.74, 1.0])
Y = torch.tensor([0.0, 0.36, 0.54, 0.82, 1.0])
a = torch.zeros((), requires_grad=True)
b = torch.zeros((), requires_grad=True)
o = torch.optim.SGD([a, b], lr=5e-4)


def epoch():
    o.zero_grad()
    ((a * X + b - Y) ** 2).sum().backward()
    o.step()


if want("linreg_epoch"):
    case("linreg_epoch", best_of(epoch, 1000) * 1e6, "us", "lower")

# Elementwise and reduction throughput on 4M floats (memory bound).
x = torch.rand(1 << 22)
y = torch.rand(1 << 22)
if want("add_4m"):
    case("add_4m", best_of(lambda: torch.add(x, y), 50) * 1e3, "ms", "lower")
if want("exp_4m"):
    case("exp_4m", best_of(lambda: torch.exp(x), 50) * 1e3, "ms", "lower")
if want("sum_4m"):
    case("sum_4m", best_of(lambda: torch.sum(x), 50) * 1e3, "ms", "lower")

# Softmax cross-entropy forward+backward on logits [1024, 1000].
logits = torch.randn(1024, 1000, requires_grad=True)
labels = torch.randint(0, 1000, (1024,))


def xent():
    logits.grad = None
    torch.nn.functional.cross_entropy(logits, labels).backward()


if want("xent_1024x1000"):
    case("xent_1024x1000", best_of(xent, 20) * 1e3, "ms", "lower")

# One Adam step of the same MLP through the model, as Model.TrainStep runs it (logits, integer labels).
torch.manual_seed(0)
fit_mlp = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128),
                              torch.nn.ReLU(), torch.nn.Linear(128, 10))
fit_opt = torch.optim.Adam(fit_mlp.parameters(), lr=1e-3)


def fit_step():
    fit_opt.zero_grad()
    torch.nn.functional.cross_entropy(fit_mlp(xb), yb).backward()
    fit_opt.step()


if want("fit_step_b128"):
    case("fit_step_b128", best_of(fit_step, 100) * 1e3, "ms", "lower")

# The `descent train` default run on the embedded digits: 80/20 split, 10 % of the training rows held
# for validation after every epoch, MLP 64-256-128-10 with dropout 0.2, Adam 1e-3, batch 32, 60 epochs.
import gzip, io, os
DIGITS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "Descent.Nn", "Data", "Embedded", "digits.csv.gz")
digits = np.loadtxt(io.StringIO(gzip.open(DIGITS, "rt").read()), delimiter=",", skiprows=1)
DX = torch.tensor(digits[:, :64] / 16.0, dtype=torch.float32)
DY = torch.tensor(digits[:, 64], dtype=torch.long)
perm = torch.randperm(len(DX), generator=torch.Generator().manual_seed(42))
DX, DY = DX[perm], DY[perm]
n_test = len(DX) // 5
x_rest, y_rest = DX[n_test:], DY[n_test:]
n_val = len(x_rest) // 10
x_val, y_val, x_fit, y_fit = x_rest[:n_val], y_rest[:n_val], x_rest[n_val:], y_rest[n_val:]


def fit_digits():
    torch.manual_seed(42)
    model = torch.nn.Sequential(torch.nn.Linear(64, 256), torch.nn.ReLU(), torch.nn.Dropout(0.2),
                                torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Dropout(0.2),
                                torch.nn.Linear(128, 10))
    adam = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(60):
        model.train()
        order = torch.randperm(len(x_fit))
        for i in range(0, len(x_fit), 32):
            idx = order[i:i + 32]
            adam.zero_grad()
            torch.nn.functional.cross_entropy(model(x_fit[idx]), y_fit[idx]).backward()
            adam.step()
        model.eval()
        with torch.no_grad():
            torch.nn.functional.cross_entropy(model(x_val), y_val).item()
    with torch.no_grad():
        return (model(DX[:n_test]).argmax(1) == DY[:n_test]).float().mean().item()


if want("fit_digits_60_epochs"):
    case("fit_digits_60_epochs", best_of(fit_digits, 1, rounds=2), "s", "lower")

# cnn_digits_20_epochs (`descent train --model cnn --epochs 20`) lives in bench/peer_cnn.py beside this file, with
# the split and loop it shares with Descent's case; it runs here when that file is present.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import peer_cnn
except ImportError:
    peer_cnn = None
if peer_cnn is not None and want("cnn_digits_20_epochs"):
    cases.append(peer_cnn.cnn_digits_20_epochs(best_of))

# nanoGPT's "baby GPT" CPU configuration on characters: 4 layers, 4 heads, 128 wide, context 64,
# batch 12, vocabulary 65; AdamW (betas 0.9/0.99, weight decay 0.1), gradient clipping at 1.0. One step.
from babygpt import BabyGPT  # beside this file, shared with bench/gpu/peer_cuda.py

torch.manual_seed(0)
gpt = BabyGPT()
gpt_opt = torch.optim.AdamW(gpt.parameters(), lr=1e-3, betas=(0.9, 0.99), weight_decay=0.1)
tokens, targets = torch.randint(0, 65, (12, 64)), torch.randint(0, 65, (12, 64))


def gpt_step():
    gpt_opt.zero_grad()
    torch.nn.functional.cross_entropy(gpt(tokens).view(-1, 65), targets.view(-1)).backward()
    torch.nn.utils.clip_grad_norm_(gpt.parameters(), 1.0)
    gpt_opt.step()


if want("babygpt_step"):
    case("babygpt_step", best_of(gpt_step, 5, rounds=3) * 1e3, "ms", "lower")

print(json.dumps({"runner": f"pytorch {torch.__version__} / numpy {np.__version__}, {THREADS} threads, "
                            f"OpenBLAS core {os.environ.get('OPENBLAS_CORETYPE') or 'as detected'}",
                  "cases": cases}, indent=1))
