"""The GPT-2-shaped decoder of dev.hallmark.models.onnx.RandomDecoder, rebuilt from its weights.

``weights.json`` / ``weights.bin`` (little-endian float32) are written next to ``model.onnx`` by the
Java side, so both runtimes compute the same function. ``load(dir)`` returns a callable
``logits(tokens) -> float32 array`` for the next token: a torch module when PyTorch is installed,
else the same arithmetic in NumPy.
"""

import json
import math
import os

import numpy as np


def read_weights(folder):
    with open(os.path.join(folder, "weights.json"), encoding="utf-8") as f:
        meta = json.load(f)
    raw = np.fromfile(os.path.join(folder, "weights.bin"), dtype="<f4")
    w = {}
    for t in meta["tensors"]:
        n = int(np.prod(t["shape"]))
        off = t["offset"] // 4
        w[t["name"]] = raw[off:off + n].reshape(t["shape"]).astype(np.float32)
    return meta, w


def read_vocabulary(folder):
    """id -> word of the WordLevel tokenizer.json (its decoder joins words with spaces)."""
    with open(os.path.join(folder, "tokenizer.json"), encoding="utf-8") as f:
        vocab = json.load(f)["model"]["vocab"]
    words = [None] * len(vocab)
    for word, i in vocab.items():
        words[i] = word
    return words


def _gelu_np(x):
    return (x * np.float32(0.5)) * (np.float32(1) + np.tanh((x + x ** 3 * np.float32(0.044715))
                                                           * np.float32(math.sqrt(2 / math.pi))))


def _ln_np(x, g, b):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + np.float32(1e-5)) * g + b


class NumpyDecoder:
    backend = "numpy"

    def __init__(self, meta, w):
        self.meta, self.w = meta, w

    def __call__(self, tokens):
        m, w = self.meta, self.w
        d, heads = m["width"], m["heads"]
        dh = d // heads
        ids = np.asarray(tokens, dtype=np.int64)
        s = len(ids)
        x = w["wte"][ids] + w["wpe"][np.arange(s)]
        mask = np.tril(np.ones((s, s), dtype=bool))
        for l in range(m["layers"]):
            p = "h%d." % l
            h = _ln_np(x, w[p + "ln_1.weight"], w[p + "ln_1.bias"])
            qkv = h @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]
            q, k, v = (qkv[:, i * d:(i + 1) * d].reshape(s, heads, dh).transpose(1, 0, 2) for i in range(3))
            att = (q @ k.transpose(0, 2, 1)) * np.float32(1 / math.sqrt(dh))
            att = np.where(mask, att, np.float32(-1e9))
            att = np.exp(att - att.max(-1, keepdims=True))
            att = att / att.sum(-1, keepdims=True)
            a = (att @ v).transpose(1, 0, 2).reshape(s, d)
            x = x + (a @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"])
            h2 = _ln_np(x, w[p + "ln_2.weight"], w[p + "ln_2.bias"])
            fc = _gelu_np(h2 @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"])
            x = x + (fc @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"])
        x = _ln_np(x, w["ln_f.weight"], w["ln_f.bias"])
        return (x[-1] @ w["wte"].T).astype(np.float32)


def torch_decoder(meta, w):
    import torch

    class TorchDecoder(torch.nn.Module):
        """GPT-2 blocks (pre-LN, causal attention, tanh GELU, tied output embedding)."""

        backend = "torch"

        def __init__(self):
            super().__init__()
            self.params = torch.nn.ParameterDict(
                {k.replace(".", "_"): torch.nn.Parameter(torch.from_numpy(v.copy()), requires_grad=False)
                 for k, v in w.items()})

        def p(self, name):
            return self.params[name.replace(".", "_")]

        def forward(self, input_ids):
            """input_ids: (batch, seq) int64 -> logits (batch, seq, vocab)."""
            F = torch.nn.functional
            d, heads = meta["width"], meta["heads"]
            dh = d // heads
            b, s = input_ids.shape
            x = self.p("wte")[input_ids] + self.p("wpe")[torch.arange(s)]
            mask = torch.tril(torch.ones(s, s, dtype=torch.bool))
            for l in range(meta["layers"]):
                pre = "h%d." % l
                h = F.layer_norm(x, (d,), self.p(pre + "ln_1.weight"), self.p(pre + "ln_1.bias"), 1e-5)
                qkv = h @ self.p(pre + "attn.c_attn.weight") + self.p(pre + "attn.c_attn.bias")
                q, k, v = (t.reshape(b, s, heads, dh).transpose(1, 2) for t in qkv.split(d, dim=-1))
                att = (q @ k.transpose(-1, -2)) * (1 / math.sqrt(dh))
                att = torch.where(mask, att, torch.tensor(-1e9))
                a = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, s, d)
                x = x + (a @ self.p(pre + "attn.c_proj.weight") + self.p(pre + "attn.c_proj.bias"))
                h2 = F.layer_norm(x, (d,), self.p(pre + "ln_2.weight"), self.p(pre + "ln_2.bias"), 1e-5)
                fc = F.gelu(h2 @ self.p(pre + "mlp.c_fc.weight") + self.p(pre + "mlp.c_fc.bias"), approximate="tanh")
                x = x + (fc @ self.p(pre + "mlp.c_proj.weight") + self.p(pre + "mlp.c_proj.bias"))
            x = F.layer_norm(x, (d,), self.p("ln_f.weight"), self.p("ln_f.bias"), 1e-5)
            return x @ self.p("wte").T

    module = TorchDecoder().eval()

    def logits(tokens):
        with torch.no_grad():
            return module(torch.tensor([list(tokens)], dtype=torch.int64))[0, -1].numpy()

    logits.backend = "torch"
    logits.module = module
    return logits


def load(folder, backend=None):
    meta, w = read_weights(folder)
    if backend != "numpy":
        try:
            return torch_decoder(meta, w)
        except ImportError:
            if backend == "torch":
                raise
    return NumpyDecoder(meta, w)
