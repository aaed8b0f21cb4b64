"""The GPT of the PyTorch peers' transformer cases (bench/peer.py, bench/gpu/peer_cuda.py, bench/babygpt_train.py).

nanoGPT's model with attention computed by hand in float32 (no fused or flash attention, as Descent's op): token and
position embeddings, pre-norm blocks (causal self-attention and a 4x GELU MLP), a final LayerNorm and a linear head.
With dropout above 0 it drops where nanoGPT does: after the embeddings, on the attention weights, and after each
block's attention and MLP parts. The defaults are nanoGPT's "baby GPT" CPU configuration on characters.
"""
import torch


def _dropout(p):
    # At 0 an Identity rather than Dropout(0), so the cases without dropout do exactly the work they did before.
    return torch.nn.Dropout(p) if p > 0 else torch.nn.Identity()


class Block(torch.nn.Module):
    def __init__(self, c, h, dropout=0.0):
        super().__init__()
        self.h = h
        self.ln1, self.ln2 = torch.nn.LayerNorm(c), torch.nn.LayerNorm(c)
        self.qkv, self.proj = torch.nn.Linear(c, 3 * c), torch.nn.Linear(c, c)
        self.fc, self.fc2 = torch.nn.Linear(c, 4 * c), torch.nn.Linear(4 * c, c)
        self.attn_drop, self.proj_drop, self.mlp_drop = _dropout(dropout), _dropout(dropout), _dropout(dropout)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(C, 2)
        q, k, v = [z.view(B, T, self.h, C // self.h).transpose(1, 2) for z in (q, k, v)]
        att = (q @ k.transpose(-2, -1)) / (C // self.h) ** 0.5
        att = att.masked_fill(torch.triu(torch.ones(T, T, dtype=torch.bool, device=x.device), 1), float("-inf")).softmax(-1)
        x = x + self.proj_drop(self.proj((self.attn_drop(att) @ v).transpose(1, 2).reshape(B, T, C)))
        return x + self.mlp_drop(self.fc2(torch.nn.functional.gelu(self.fc(self.ln2(x)))))


class BabyGPT(torch.nn.Module):
    def __init__(self, V=65, T=64, L=4, H=4, C=128, dropout=0.0):
        super().__init__()
        self.te, self.pe = torch.nn.Embedding(V, C), torch.nn.Embedding(T, C)
        self.drop = _dropout(dropout)
        self.blocks = torch.nn.Sequential(*[Block(C, H, dropout) for _ in range(L)])
        self.ln, self.head = torch.nn.LayerNorm(C), torch.nn.Linear(C, V)

    def forward(self, idx):
        x = self.te(idx) + self.pe(torch.arange(idx.shape[1], device=idx.device))
        return self.head(self.ln(self.blocks(self.drop(x))))
