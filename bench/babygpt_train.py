"""PyTorch's side of the `descent train --dataset shakespeare` default run (issue 10's quality and time targets).

The baby GPT of bench/peer.py's babygpt_step, trained as Descent's default run trains it: characters of the embedded
tiny shakespeare (vocabulary sorted), 90/10 split by position, random windows of 64 (nanoGPT's get_batch), batch 12,
AdamW 1e-3 (betas 0.9/0.99, weight decay 0.1), linear warm-up over 100 steps then cosine decay to 1e-4 at 2000 steps,
gradient clipping at 1.0. Prints JSON: the validation loss as the mean over 50 random validation batches, the
training loss the same way, and the seconds the 2000 steps took. Usage: /usr/bin/python3 bench/babygpt_train.py [threads] [steps] [seed]
"""
import gzip, json, math, os, sys, time

import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
torch.set_num_threads(threads)
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from babygpt import BabyGPT  # the same model as the babygpt_step case

path = os.path.join(here, "..", "src", "Descent.Nn", "Data", "Embedded", "tinyshakespeare.txt.gz")
text = gzip.open(path, "rt", encoding="utf-8").read()
chars = sorted(set(text))
index = {c: i for i, c in enumerate(chars)}
ids = torch.tensor([index[c] for c in text], dtype=torch.long)
split = int(0.9 * len(ids))
train, val = ids[:split], ids[split:]
T, B = 64, 12
torch.manual_seed(seed)


def batch(data):
    at = torch.randint(len(data) - T - 1, (B,))
    return torch.stack([data[i:i + T] for i in at]), torch.stack([data[i + 1:i + T + 1] for i in at])


def rate(step, peak=1e-3, low=1e-4, warmup=100, decay=2000):
    if step < warmup:
        return peak * (step + 1) / warmup
    if step >= decay:
        return low
    return low + 0.5 * (1 + math.cos(math.pi * (step - warmup) / (decay - warmup))) * (peak - low)


model = BabyGPT(V=len(chars))
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.99), weight_decay=0.1)
start = time.perf_counter()
for step in range(steps):
    for g in opt.param_groups:
        g["lr"] = rate(step)
    x, y = batch(train)
    loss = torch.nn.functional.cross_entropy(model(x).view(-1, len(chars)), y.view(-1))
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
seconds = time.perf_counter() - start


@torch.no_grad()
def mean_loss(data, batches=50):
    model.eval()
    return sum(torch.nn.functional.cross_entropy(model(x).view(-1, len(chars)), y.view(-1)).item()
               for x, y in (batch(data) for _ in range(batches))) / batches


print(json.dumps({"runner": f"pytorch {torch.__version__}, {threads} threads", "steps": steps, "train_seconds": seconds,
                  "train_loss": mean_loss(train), "val_loss": mean_loss(val)}))
