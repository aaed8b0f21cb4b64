#!/usr/bin/env python3
"""Reference values for the attention layers, computed by PyTorch 1.13 in float64 with fixed random weights.

Weights are made in Keras's layouts and names (query/kernel [d, heads, key_dim], Dense kernels [in, out], ...) and are
the leaves of the autograd graph; PyTorch's own modules run on weights derived from them, so every gradient comes back
in Keras's layout. Gradients are those of sum(y * dy) for the fixed random dy stored with each case.

- MultiHeadAttention: torch.nn.functional.multi_head_attention_forward (PyTorch's nn.MultiheadAttention), whose
  projection weights are the Keras kernels reshaped to [heads * key_dim, d] and transposed. PyTorch needs value_dim =
  key_dim and output = query width; the case without those uses Keras's einsum equations written out, checked here
  against PyTorch's on a case both can run.
- TransformerEncoder: torch.nn.TransformerEncoderLayer (norm_first=False is keras_hub's post-norm, True its pre-norm;
  src_key_padding_mask is keras_hub's padding mask).
- TransformerDecoder: without an encoder sequence it is an encoder layer with the causal src_mask; with one,
  torch.nn.TransformerDecoderLayer (tgt_mask causal, memory_key_padding_mask the encoder padding mask).
- TokenAndPositionEmbedding: token table rows plus position table rows.
- GPT: token and position embeddings, pre-norm GELU blocks with the causal mask, final LayerNorm, linear head; the loss
  is the mean cross-entropy against next tokens, differentiated with respect to every weight.
Writes transformer.json beside this script.
Run: python3 transformer.py   (needs torch; Debian: apt-get install python3-torch)
"""
import json
import os

import torch
import torch.nn.functional as F
from torch.nn.utils.stateless import functional_call

torch.manual_seed(11)
D = torch.float64


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def ints(t):
    return [int(v) for v in t.reshape(-1)]


def leaf(*shape, scale=0.5):
    return (torch.randn(*shape, dtype=D) * scale).requires_grad_(True)


def norm_weights(w, prefix, width):
    w[prefix + "gamma"] = (1 + 0.2 * torch.randn(width, dtype=D)).requires_grad_(True)
    w[prefix + "beta"] = leaf(width, scale=0.2)


def mha_weights(w, prefix, q_dim, k_dim, v_dim, heads, key_dim, value_dim, out_dim, bias=True):
    w[prefix + "query/kernel"] = leaf(q_dim, heads, key_dim)
    if bias: w[prefix + "query/bias"] = leaf(heads, key_dim, scale=0.2)
    w[prefix + "key/kernel"] = leaf(k_dim, heads, key_dim)
    if bias: w[prefix + "key/bias"] = leaf(heads, key_dim, scale=0.2)
    w[prefix + "value/kernel"] = leaf(v_dim, heads, value_dim)
    if bias: w[prefix + "value/bias"] = leaf(heads, value_dim, scale=0.2)
    w[prefix + "attention_output/kernel"] = leaf(heads, value_dim, out_dim)
    if bias: w[prefix + "attention_output/bias"] = leaf(out_dim, scale=0.2)


def dense_weights(w, prefix, n_in, n_out):
    w[prefix + "kernel"] = leaf(n_in, n_out)
    w[prefix + "bias"] = leaf(n_out, scale=0.2)


def torch_attention_params(w, prefix, torch_prefix):
    """nn.MultiheadAttention's parameters (kdim = vdim = embed_dim) from Keras's kernels."""
    q, k, v = (w[prefix + n + "/kernel"] for n in ("query", "key", "value"))
    e = q.shape[0]
    return {
        torch_prefix + "in_proj_weight": torch.cat([t.reshape(e, -1).T for t in (q, k, v)]),
        torch_prefix + "in_proj_bias": torch.cat([w[prefix + n + "/bias"].reshape(-1) for n in ("query", "key", "value")]),
        torch_prefix + "out_proj.weight": w[prefix + "attention_output/kernel"].reshape(-1, e).T,
        torch_prefix + "out_proj.bias": w[prefix + "attention_output/bias"],
    }


def torch_block_params(w, prefix, cross=False):
    """nn.TransformerEncoderLayer's (or, with cross, nn.TransformerDecoderLayer's) parameters from keras_hub's."""
    p = torch_attention_params(w, prefix + "self_attention/", "self_attn.")
    p.update({"linear1.weight": w[prefix + "feedforward_intermediate_dense/kernel"].T,
              "linear1.bias": w[prefix + "feedforward_intermediate_dense/bias"],
              "linear2.weight": w[prefix + "feedforward_output_dense/kernel"].T,
              "linear2.bias": w[prefix + "feedforward_output_dense/bias"],
              "norm1.weight": w[prefix + "self_attention_layer_norm/gamma"], "norm1.bias": w[prefix + "self_attention_layer_norm/beta"]})
    if cross:
        p.update(torch_attention_params(w, prefix + "cross_attention/", "multihead_attn."))
        p.update({"norm2.weight": w[prefix + "cross_attention_layer_norm/gamma"], "norm2.bias": w[prefix + "cross_attention_layer_norm/beta"],
                  "norm3.weight": w[prefix + "feedforward_layer_norm/gamma"], "norm3.bias": w[prefix + "feedforward_layer_norm/beta"]})
    else:
        p.update({"norm2.weight": w[prefix + "feedforward_layer_norm/gamma"], "norm2.bias": w[prefix + "feedforward_layer_norm/beta"]})
    return p


def torch_mha(query, key, value, w, heads, hidden=None, need_weights=True):
    """PyTorch's multi-head attention on Keras weights; hidden is bool [batch, Tq, Tk], True where attention is not allowed."""
    e = query.shape[-1]
    q_k, k_k, v_k = (w[n + "/kernel"] for n in ("query", "key", "value"))
    mask = None if hidden is None else hidden.repeat_interleave(heads, dim=0)
    y, scores = F.multi_head_attention_forward(
        query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1), e, heads,
        None, torch.cat([w[n + "/bias"].reshape(-1) for n in ("query", "key", "value")]), None, None, False, 0.0,
        w["attention_output/kernel"].reshape(-1, e).T, w["attention_output/bias"], training=False,
        need_weights=need_weights, attn_mask=mask, use_separate_proj_weight=True,
        q_proj_weight=q_k.reshape(q_k.shape[0], -1).T, k_proj_weight=k_k.reshape(k_k.shape[0], -1).T,
        v_proj_weight=v_k.reshape(v_k.shape[0], -1).T, average_attn_weights=False)
    return y.transpose(0, 1), scores


def keras_mha(query, key, value, w, visible=None):
    """Keras's MultiHeadAttention written out with its einsum equations; visible is bool [batch, Tq, Tk]."""
    q = torch.einsum("abc,cde->abde", query, w["query/kernel"]) + w.get("query/bias", 0)
    k = torch.einsum("abc,cde->abde", key, w["key/kernel"]) + w.get("key/bias", 0)
    v = torch.einsum("abc,cde->abde", value, w["value/kernel"]) + w.get("value/bias", 0)
    q = q / q.shape[-1] ** 0.5
    scores = torch.einsum("aecd,abcd->acbe", k, q)
    if visible is not None:
        vis = visible[:, None]
        m = torch.where(vis, scores, torch.full_like(scores, float("-inf"))).amax(-1, keepdim=True).detach()
        m = torch.where(torch.isinf(m), torch.zeros_like(m), m)
        e = torch.exp(torch.where(vis, scores - m, torch.full_like(scores, float("-inf"))))
        total = e.sum(-1, keepdim=True)
        scores = e / torch.where(total == 0, torch.ones_like(total), total)
    else:
        scores = scores.softmax(-1)
    out = torch.einsum("acbe,aecd->abcd", scores, v)
    return torch.einsum("abcd,cde->abe", out, w["attention_output/kernel"]) + w.get("attention_output/bias", 0), scores


def finish(case, y, inputs, weights, extra=None):
    """Stores y, a random dy, and the gradients of sum(y * dy) with respect to the inputs and every weight."""
    dy = torch.randn(y.shape, dtype=D)
    total = (y * dy).sum()
    leaves = list(inputs.values()) + list(weights.values())
    grads = torch.autograd.grad(total, leaves, allow_unused=True)
    grads = [torch.zeros_like(l) if g is None else g for l, g in zip(leaves, grads)]
    case["inputs"] = {n: {"shape": list(t.shape), "values": flat(t), "grad": flat(g)} for (n, t), g in zip(inputs.items(), grads)}
    case["weights"] = {n: {"shape": list(t.shape), "values": flat(t), "grad": flat(g)}
                       for (n, t), g in zip(weights.items(), grads[len(inputs):])}
    case["y_shape"], case["y"], case["dy"] = list(y.shape), flat(y), flat(dy)
    if extra: case.update(extra)
    return case


def causal_hidden(tq, tk):
    return torch.ones(tq, tk, dtype=torch.bool).tril().logical_not()


def mha_cases():
    cases = []
    # Self-attention, no mask: PyTorch's attention, and the written-out Keras form agrees.
    w = {}
    mha_weights(w, "", 6, 6, 6, 2, 3, 3, 6)
    x = leaf(2, 4, 6, scale=1.0)
    y, scores = torch_mha(x, x, x, w, 2)
    y2, scores2 = keras_mha(x, x, x, w)
    assert torch.allclose(y, y2, atol=1e-12) and torch.allclose(scores, scores2, atol=1e-12)
    cases.append(finish({"name": "self-attention", "num_heads": 2, "key_dim": 3, "value_dim": None, "output_shape": None,
                         "use_bias": True, "causal": False}, y, {"query": x}, w, {"scores": flat(scores)}))

    # Cross-attention with its own key, an explicit attention mask and the causal mask.
    w = {}
    mha_weights(w, "", 6, 5, 4, 2, 3, 3, 6)
    q, v, k = leaf(2, 3, 6, scale=1.0), leaf(2, 5, 4, scale=1.0), leaf(2, 5, 5, scale=1.0)
    allowed = torch.rand(2, 3, 5) > 0.4
    allowed[:, :, 0] = True  # every query sees key 0, so PyTorch's softmax has no empty row
    hidden = allowed.logical_not() | causal_hidden(3, 5)
    y, scores = torch_mha(q, k, v, w, 2, hidden)
    y2, scores2 = keras_mha(q, k, v, w, hidden.logical_not())
    assert torch.allclose(y, y2, atol=1e-12) and torch.allclose(scores, scores2, atol=1e-12)
    cases.append(finish({"name": "cross-attention, key, attention mask and causal", "num_heads": 2, "key_dim": 3, "value_dim": None,
                         "output_shape": None, "use_bias": True, "causal": True, "attention_mask": ints(allowed)},
                        y, {"query": q, "value": v, "key": k}, w, {"scores": flat(scores)}))

    # value_dim != key_dim, another output width, no biases, and the implicit query and value masks (Keras form only).
    w = {}
    mha_weights(w, "", 4, 4, 4, 3, 2, 3, 5, bias=False)
    q, v = leaf(2, 3, 4, scale=1.0), leaf(2, 4, 4, scale=1.0)
    query_mask = torch.tensor([[True, True, False], [True, True, True]])
    value_mask = torch.tensor([[True, False, True, True], [True, True, True, False]])
    visible = query_mask[:, :, None] & value_mask[:, None, :]
    y, scores = keras_mha(q, v, v, w, visible)
    cases.append(finish({"name": "value_dim, output_shape, no bias, query and value masks", "num_heads": 3, "key_dim": 2, "value_dim": 3,
                         "output_shape": 5, "use_bias": False, "causal": False,
                         "query_mask": ints(query_mask), "value_mask": ints(value_mask)},
                        y, {"query": q, "value": v}, w, {"scores": flat(scores)}))
    return cases


def block_weights(width, heads, intermediate, cross=False):
    w = {}
    mha_weights(w, "self_attention/", width, width, width, heads, width // heads, width // heads, width)
    norm_weights(w, "self_attention_layer_norm/", width)
    if cross:
        mha_weights(w, "cross_attention/", width, width, width, heads, width // heads, width // heads, width)
        norm_weights(w, "cross_attention_layer_norm/", width)
    dense_weights(w, "feedforward_intermediate_dense/", width, intermediate)
    dense_weights(w, "feedforward_output_dense/", intermediate, width)
    norm_weights(w, "feedforward_layer_norm/", width)
    return w


def encoder_case(name, normalize_first, activation, padding=None, causal=False):
    width, heads, intermediate = 8, 2, 16
    w = block_weights(width, heads, intermediate)
    layer = torch.nn.TransformerEncoderLayer(width, heads, intermediate, dropout=0.0, activation=activation, layer_norm_eps=1e-5,
                                             batch_first=True, norm_first=normalize_first, dtype=D)
    x = leaf(2, 5, width, scale=1.0)
    kwargs = {}
    if causal: kwargs["src_mask"] = causal_hidden(5, 5)
    if padding is not None: kwargs["src_key_padding_mask"] = torch.tensor(padding).logical_not()
    y = functional_call(layer, torch_block_params(w, ""), (x,), kwargs)
    return finish({"name": name, "intermediate_dim": intermediate, "num_heads": heads, "activation": activation,
                   "normalize_first": normalize_first, "causal": causal, "padding_mask": None if padding is None else ints(torch.tensor(padding))},
                  y, {"inputs": x}, w)


def cross_decoder_case():
    width, heads, intermediate = 8, 2, 16
    w = block_weights(width, heads, intermediate, cross=True)
    layer = torch.nn.TransformerDecoderLayer(width, heads, intermediate, dropout=0.0, activation="relu", layer_norm_eps=1e-5,
                                             batch_first=True, norm_first=False, dtype=D)
    x, enc = leaf(2, 4, width, scale=1.0), leaf(2, 5, width, scale=1.0)
    encoder_padding = [[True, True, True, False, False], [True, True, True, True, True]]
    y = functional_call(layer, torch_block_params(w, "", cross=True), (x, enc),
                        {"tgt_mask": causal_hidden(4, 4), "memory_key_padding_mask": torch.tensor(encoder_padding).logical_not()})
    return finish({"name": "decoder with cross-attention", "intermediate_dim": intermediate, "num_heads": heads, "activation": "relu",
                   "normalize_first": False, "causal": True, "encoder_padding_mask": ints(torch.tensor(encoder_padding))},
                  y, {"inputs": x, "encoder": enc}, w)


def embedding_case():
    tokens, positions = leaf(7, 3), leaf(6, 3)
    ids = torch.tensor([[1, 6, 0, 3], [2, 2, 5, 4]])
    y = tokens[ids] + positions[:4]
    return finish({"name": "token and position embedding", "vocabulary_size": 7, "sequence_length": 6, "embedding_dim": 3, "ids": ints(ids)},
                  y, {}, {"token_embedding/embeddings": tokens, "position_embedding/embeddings": positions})


def gpt_case():
    vocab, context, layers, heads, width = 11, 8, 2, 2, 8
    w = {"embedding/token_embedding/embeddings": leaf(vocab, width), "embedding/position_embedding/embeddings": leaf(context, width)}
    for i in range(layers):
        for n, t in block_weights(width, heads, 4 * width).items():
            w[f"block_{i + 1}/{n}"] = t
    norm_weights(w, "final_norm/", width)
    dense_weights(w, "head/", width, vocab)
    ids = torch.randint(0, vocab, (2, 6))
    targets = torch.randint(0, vocab, (2, 6))
    template = torch.nn.TransformerEncoderLayer(width, heads, 4 * width, dropout=0.0, activation="gelu", layer_norm_eps=1e-5,
                                                batch_first=True, norm_first=True, dtype=D)
    x = w["embedding/token_embedding/embeddings"][ids] + w["embedding/position_embedding/embeddings"][:6]
    for i in range(layers):
        block = {n[len(f"block_{i + 1}/"):]: t for n, t in w.items() if n.startswith(f"block_{i + 1}/")}
        x = functional_call(template, torch_block_params(block, ""), (x,), {"src_mask": causal_hidden(6, 6)})
    x = F.layer_norm(x, (width,), w["final_norm/gamma"], w["final_norm/beta"], 1e-5)
    logits = x @ w["head/kernel"] + w["head/bias"]
    loss = F.cross_entropy(logits.reshape(-1, vocab), targets.reshape(-1))
    grads = torch.autograd.grad(loss, list(w.values()))
    return {"vocabulary_size": vocab, "context": context, "layers": layers, "heads": heads, "width": width,
            "ids": ints(ids), "targets": ints(targets), "logits": flat(logits), "loss": float(loss),
            "weights": {n: {"shape": list(t.shape), "values": flat(t), "grad": flat(g)} for (n, t), g in zip(w.items(), grads)}}


fixture = {
    "multi_head_attention": mha_cases(),
    "encoder": [
        encoder_case("post-norm relu with padding", False, "relu", padding=[[True, True, True, False, False], [True, True, True, True, True]]),
        encoder_case("pre-norm gelu", True, "gelu"),
    ],
    "decoder": [
        encoder_case("pre-norm gelu, causal (a GPT block)", True, "gelu", causal=True),
        encoder_case("post-norm relu, causal with padding", False, "relu", causal=True,
                     padding=[[True, True, True, True, False], [True, True, True, True, True]]),
        cross_decoder_case(),
    ],
    "token_and_position_embedding": embedding_case(),
    "gpt": gpt_case(),
}

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "transformer.json"), "w") as f:
    json.dump(fixture, f)
