#!/usr/bin/env python3
"""PyTorch's side of the `cnn_digits_20_epochs` bench case: `descent train --model cnn --epochs 20`'s training loop.

The network of `descent train --model cnn` (src/Descent.Cli/Training/ModelSpec.cs): two 3x3 "same" convolutions with
16 and 32 filters and ReLU, 2x2 max pooling between them, flatten, a dense layer to 10 logits. Adam 1e-3, batch 32,
20 epochs over the embedded digits, split as `descent train` splits them: 20 % of each class held out for the test
(unused here), then the last 10 % of the training rows validate after every epoch (Keras's validation_split). The rows
themselves differ from Descent's (its split uses its own generator), but the counts match: 1294 training rows in 41
batches per epoch, 144 validation rows in 5 batches. As Model.Fit does, each step also reads the loss and the batch's
accuracy, and validation runs in batches of 32.

Use it as a module (`import peer_cnn; peer_cnn.cnn_digits_20_epochs(best_of)`) or run it alone:
`/usr/bin/python3 bench/peer_cnn.py [threads]` prints {"runner", "cases"} like shared/bench/peer.py.
"""
import gzip
import json
import math
import os
import sys
import time

import numpy as np
import torch

DIGITS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "Descent.Nn", "Data", "Embedded", "digits.csv.gz")


def best_of(fn, reps, rounds=5):
    """Seconds per call: one warm-up call, then the best of several rounds of `reps` calls (peer.py's methodology)."""
    fn()
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        best = min(best, (time.perf_counter() - t) / reps)
    return best


def digits_split(seed=42):
    """(x_fit, y_fit, x_val, y_val) as NCHW float tensors and int64 labels, sized as `descent train` sizes them."""
    with gzip.open(DIGITS, "rt") as f:
        table = np.loadtxt(f, delimiter=",", skiprows=1)
    x = torch.tensor(table[:, :64] / 16.0, dtype=torch.float32)
    y = torch.tensor(table[:, 64], dtype=torch.long)
    g = torch.Generator().manual_seed(seed)
    train = []
    for c in range(10):
        rows = torch.nonzero(y == c).flatten()
        rows = rows[torch.randperm(len(rows), generator=g)]
        n_test = math.floor(len(rows) * 0.2 + 0.5)  # round half away from zero, as DataSplit.TrainTestSplit
        train.append(rows[n_test:])
    train = torch.cat(train)
    train = train[torch.randperm(len(train), generator=g)]
    split_at = math.floor(len(train) * (1 - 0.1))  # Keras: the last rows validate
    fit, val = train[:split_at], train[split_at:]
    return x[fit].view(-1, 1, 8, 8), y[fit], x[val].view(-1, 1, 8, 8), y[val]


def fit_cnn(data, epochs=20, batch=32):
    """Trains a fresh model for `epochs` epochs; returns the last validation loss."""
    x_fit, y_fit, x_val, y_val = data
    torch.manual_seed(42)
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.Flatten(),
                                torch.nn.Linear(4 * 4 * 32, 10))
    adam = torch.optim.Adam(model.parameters(), lr=1e-3)
    val_loss = 0.0
    for _ in range(epochs):
        model.train()
        order = torch.randperm(len(x_fit))
        seen = correct = 0
        total = 0.0
        for i in range(0, len(x_fit), batch):
            idx = order[i:i + batch]
            adam.zero_grad()
            logits = model(x_fit[idx])
            loss = torch.nn.functional.cross_entropy(logits, y_fit[idx])
            loss.backward()
            adam.step()
            total += loss.item() * len(idx)
            correct += (logits.argmax(1) == y_fit[idx]).sum().item()
            seen += len(idx)
        model.eval()
        with torch.no_grad():
            val_loss = sum(torch.nn.functional.cross_entropy(model(x_val[i:i + batch]), y_val[i:i + batch], reduction="sum").item()
                           for i in range(0, len(x_val), batch)) / len(x_val)
    return val_loss


def cnn_digits_20_epochs(timer=best_of):
    """The bench case in peer.py's schema: seconds per 20-epoch run, one warm-up run, then the best of two."""
    data = digits_split()
    return {"name": "cnn_digits_20_epochs", "value": round(timer(lambda: fit_cnn(data), 1, rounds=2), 4), "unit": "s", "better": "lower"}


if __name__ == "__main__":
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    torch.set_num_threads(threads)
    print(json.dumps({"runner": f"pytorch {torch.__version__}, {threads} threads", "cases": [cnn_digits_20_epochs()]}, indent=1))
