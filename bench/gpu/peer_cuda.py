#!/usr/bin/env python3
"""The PyTorch side of `descent bench --device cuda`: the same cases, on the same GPU, measured the same way.

Prints one JSON object: {"runner": ..., "cases": [{"name", "value", "unit", "better"}]}, the schema of bench/peer.py.
Each case is warmed up, then timed as the best of several rounds, each round ending with torch.cuda.synchronize()
inside the timed span (Descent's rounds end with the device's Synchronize). TF32 is off, as in Descent by default.

    python3 bench/gpu/peer_cuda.py [case,case,...]
"""
import gzip, io, json, os, sys, time

import numpy as np
import torch

CASES = set(sys.argv[1].split(",")) if len(sys.argv) > 1 and sys.argv[1] else None
DEVICE = torch.device("cuda")
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
cases = []


def case(name, value, unit, better):
    cases.append({"name": name, "value": round(value, 4), "unit": unit, "better": better})


def want(name):
    return CASES is None or name in CASES


def best_of(fn, reps, rounds=5, warmup=3):
    """Seconds per call: the best of `rounds` rounds of `reps` calls, each round closed by a synchronize."""
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        torch.cuda.synchronize()
        best = min(best, (time.perf_counter() - t) / reps)
    return best


if want("sgemm_4096"):
    a = torch.rand(4096, 4096, device=DEVICE)
    b = torch.rand(4096, 4096, device=DEVICE)
    s = best_of(lambda: a @ b, 20)
    case("sgemm_4096", 2 * 4096**3 / s / 1e12, "TFLOP/s", "higher")
    del a, b

x = torch.rand(1 << 26, device=DEVICE)
y = torch.rand(1 << 26, device=DEVICE)
if want("add_64m"):
    case("add_64m", best_of(lambda: x + y, 50) * 1e3, "ms", "lower")
if want("exp_64m"):
    case("exp_64m", best_of(lambda: torch.exp(x), 50) * 1e3, "ms", "lower")
if want("sum_64m"):
    case("sum_64m", best_of(lambda: torch.sum(x), 50) * 1e3, "ms", "lower")
del x, y

if want("xent_4096x32000"):
    logits = torch.randn(4096, 32000, device=DEVICE, requires_grad=True)
    labels = torch.randint(0, 32000, (4096,), device=DEVICE)

    def xent():
        logits.grad = None
        torch.nn.functional.cross_entropy(logits, labels).backward()

    case("xent_4096x32000", best_of(xent, 20) * 1e3, "ms", "lower")
    del logits, labels


def mlp():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128),
                               torch.nn.ReLU(), torch.nn.Linear(128, 10)).to(DEVICE)


for batch in (128, 4096):
    name = f"fit_step_b{batch}"
    if not want(name):
        continue
    model = mlp()
    adam = torch.optim.Adam(model.parameters(), lr=1e-3)
    xb = torch.randn(batch, 784, device=DEVICE)
    yb = torch.randint(0, 10, (batch,), device=DEVICE)

    def step():
        adam.zero_grad()
        torch.nn.functional.cross_entropy(model(xb), yb).backward()
        adam.step()

    case(name, best_of(step, 100) * 1e3, "ms", "lower")

# The transformer steps, bench/babygpt.py's model (attention by hand in float32, no flash attention) with AdamW 1e-3
# (betas 0.9/0.99, weight decay 0.1) and the gradient norm clipped at 1.0, on one fixed batch of random tokens:
# babygpt_step as bench/peer.py's, and nanoGPT's config/train_shakespeare_char.py with its dropout of 0.2, as Descent's
# GptStepConfig. Timed as bench/peer.py times babygpt_step: the best of 3 rounds of 5 steps.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from babygpt import BabyGPT

GPTS = {"babygpt_step": dict(L=4, H=4, C=128, T=64, B=12, dropout=0.0),
        "nanogpt_shakespeare_char_step": dict(L=6, H=6, C=384, T=256, B=64, dropout=0.2)}
for name, s in GPTS.items():
    if not want(name):
        continue
    torch.manual_seed(0)
    gpt = BabyGPT(V=65, T=s["T"], L=s["L"], H=s["H"], C=s["C"], dropout=s["dropout"]).to(DEVICE)
    gpt_opt = torch.optim.AdamW(gpt.parameters(), lr=1e-3, betas=(0.9, 0.99), weight_decay=0.1)
    tokens = torch.randint(0, 65, (s["B"], s["T"]), device=DEVICE)
    targets = torch.randint(0, 65, (s["B"], s["T"]), device=DEVICE)

    def gpt_step():
        gpt_opt.zero_grad()
        torch.nn.functional.cross_entropy(gpt(tokens).view(-1, 65), targets.view(-1)).backward()
        torch.nn.utils.clip_grad_norm_(gpt.parameters(), 1.0)
        gpt_opt.step()

    case(name, best_of(gpt_step, 5, rounds=3) * 1e3, "ms", "lower")
    del gpt, gpt_opt, tokens, targets

# `descent train`'s default run on the embedded digits, as bench/peer.py's fit_digits_60_epochs, on the GPU: the split,
# the network (64-256-128-10 with dropout 0.2), Adam 1e-3, batch 32, 60 epochs with a validation loss read each epoch.
if want("fit_digits_60_epochs"):
    here = os.path.dirname(os.path.abspath(__file__))
    digits_path = os.environ.get("DESCENT_DIGITS") or os.path.join(here, "..", "..", "src", "Descent.Nn", "Data", "Embedded", "digits.csv.gz")
    digits = np.loadtxt(io.StringIO(gzip.open(digits_path, "rt").read()), delimiter=",", skiprows=1)
    DX = torch.tensor(digits[:, :64] / 16.0, dtype=torch.float32)
    DY = torch.tensor(digits[:, 64], dtype=torch.long)
    perm = torch.randperm(len(DX), generator=torch.Generator().manual_seed(42))
    DX, DY = DX[perm].to(DEVICE), DY[perm].to(DEVICE)
    n_test = len(DX) // 5
    x_rest, y_rest = DX[n_test:], DY[n_test:]
    n_val = len(x_rest) // 10
    x_val, y_val, x_fit, y_fit = x_rest[:n_val], y_rest[:n_val], x_rest[n_val:], y_rest[n_val:]

    def fit_digits():
        torch.manual_seed(42)
        model = torch.nn.Sequential(torch.nn.Linear(64, 256), torch.nn.ReLU(), torch.nn.Dropout(0.2),
                                    torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Dropout(0.2),
                                    torch.nn.Linear(128, 10)).to(DEVICE)
        adam = torch.optim.Adam(model.parameters(), lr=1e-3)
        for _ in range(60):
            model.train()
            order = torch.randperm(len(x_fit), device=DEVICE)
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

    case("fit_digits_60_epochs", best_of(fit_digits, 1, rounds=2, warmup=1), "s", "lower")

print(json.dumps({"runner": f"pytorch {torch.__version__}, CUDA {torch.version.cuda}, {torch.cuda.get_device_name(0)}, TF32 off",
                  "cases": cases}, indent=1))
