"""The logits processor on NumPy arrays and torch tensors, with a tiny random torch decoder."""

import math
import os
import tempfile
import unittest

import numpy as np

from hallmark_watermark import (KeyFileError, LogitsProcessor, SplittableRandom, WatermarkKey, WatermarkParameters,
                                WatermarkSampler, score_tokens)

try:
    import torch
except ImportError:  # the NumPy paths are still tested
    torch = None

SCHEMES = ["kgw", "kgw-selfhash", "unigram", "gumbel", "synthid"]
SEED = 2026


def key_file(folder, secret=bytes(range(32)), name="gen", version=1, key_id=None):
    import base64

    k = WatermarkKey(name, secret)
    path = os.path.join(folder, name + ".watermark")
    with open(path, "w", encoding="utf-8") as f:
        f.write("hallmark-watermark-key\nversion: %d\nname: %s\nkey-id: %s\nsecret: %s\n"
                % (version, name, key_id or k.key_id, base64.b64encode(secret).decode()))
    return path


def tiny_torch_decoder(vocab, seed):
    """A randomly initialised 2-layer transformer decoder (torch's own layers), built here."""
    torch.manual_seed(seed)

    class Tiny(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = torch.nn.Embedding(vocab, 32)
            self.pos = torch.nn.Embedding(512, 32)
            layer = torch.nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True, norm_first=True)
            self.blocks = torch.nn.TransformerEncoder(layer, 2)
            self.head = torch.nn.Linear(32, vocab)
            torch.nn.init.normal_(self.head.weight, std=0.3)

        def forward(self, ids):
            s = ids.shape[1]
            mask = torch.triu(torch.full((s, s), float("-inf")), diagonal=1)
            x = self.emb(ids) + self.pos(torch.arange(s))
            return self.head(self.blocks(x, mask=mask))

    return Tiny().eval()


class ProcessorTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = key_file(self.tmp.name)
        self.key = WatermarkKey.from_file(self.path)
        print("seed", SEED)

    def tearDown(self):
        self.tmp.cleanup()

    def test_key_files_are_checked(self):
        self.assertEqual(WatermarkKey("gen", bytes(range(32))).key_id, self.key.key_id)
        self.assertNotIn("secret", repr(self.key))
        with self.assertRaisesRegex(KeyFileError, "newer"):
            WatermarkKey.from_file(key_file(self.tmp.name, name="new", version=3))
        with self.assertRaisesRegex(KeyFileError, "no checksum line"):
            WatermarkKey.from_file(key_file(self.tmp.name, name="nosum", version=2))
        with self.assertRaisesRegex(KeyFileError, "key id does not match"):
            WatermarkKey.from_file(key_file(self.tmp.name, name="bad", key_id="0000000000000000"))
        with self.assertRaisesRegex(KeyFileError, "cannot read"):
            WatermarkKey.from_file(os.path.join(self.tmp.name, "absent.watermark"))

    def test_bias_adds_delta_to_exactly_the_green_support(self):
        rng = np.random.default_rng(SEED)
        scores = rng.normal(size=(3, 500)).astype(np.float32)
        scores[:, 7] = -np.inf
        ids = rng.integers(0, 500, size=(3, 9))
        for scheme in ["kgw", "kgw-selfhash", "unigram"]:
            p = LogitsProcessor(self.key, scheme)
            out = p(ids, scores)
            self.assertEqual(out.dtype, np.float32)
            finite = np.isfinite(scores)
            raised = out != scores
            np.testing.assert_array_equal(out[raised], scores[raised] + np.float32(2.0))
            self.assertFalse(np.any(raised & ~finite))
            frac = float(np.mean(raised[finite]))
            self.assertLess(abs(frac - p.params.gamma), 0.05, scheme)
            for b in range(3):
                greens = p.sampler.engine.greens(list(ids[b]), 9, np.arange(500))
                np.testing.assert_array_equal(raised[b][finite[b]], greens[finite[b]])

    def test_choosing_schemes_return_one_token_and_match_the_sampler(self):
        rng = np.random.default_rng(SEED)
        for scheme in SCHEMES:
            p = LogitsProcessor(self.key, scheme, seed=SEED)
            s = WatermarkSampler(self.key, WatermarkParameters(scheme))
            r = SplittableRandom(SEED)
            ids = list(rng.integers(0, 300, size=6))
            for _ in range(20):
                scores = rng.normal(size=300).astype(np.float32) * 3
                out = p(np.array([ids]), scores[None, :])[0]
                t = s.sample(scores, ids, r)
                self.assertEqual(int(np.argmax(out)), t)
                self.assertEqual(1, int(np.sum(np.isfinite(out))))
                ids.append(t)

    @unittest.skipIf(torch is None, "python3-torch is not installed")
    def test_torch_tensors_and_a_random_torch_decoder(self):
        vocab = 300
        model = tiny_torch_decoder(vocab, SEED)
        for scheme in SCHEMES:
            p = LogitsProcessor.from_key_file(self.path, scheme=scheme, seed=SEED)
            q = LogitsProcessor.from_key_file(self.path, scheme=scheme, seed=SEED)
            ids = torch.tensor([[5, 17, 42]])
            gen = torch.Generator().manual_seed(SEED)
            with torch.no_grad():
                for _ in range(300):
                    scores = model(ids)[:, -1, :]
                    out = p(ids, scores)
                    self.assertIsInstance(out, torch.Tensor)
                    self.assertEqual(out.dtype, scores.dtype)
                    # Same answer for the NumPy arrays of the same values.
                    np.testing.assert_array_equal(out.numpy(), q(ids.numpy(), scores.numpy()))
                    nxt = torch.multinomial(torch.softmax(out, -1), 1, generator=gen)
                    ids = torch.cat([ids, nxt], dim=1)
            toks = ids[0].tolist()
            r = score_tokens(self.key, WatermarkParameters(scheme), toks)
            self.assertLess(r["log_p_value"], math.log(1e-6), "%s: %s" % (scheme, r["log_p_value"]))
            other = WatermarkKey("other", bytes(range(1, 33)))
            self.assertGreater(score_tokens(other, WatermarkParameters(scheme), toks)["log_p_value"], math.log(1e-3))

    @unittest.skipIf(torch is None, "python3-torch is not installed")
    def test_vllm_style_processor(self):
        p = LogitsProcessor(self.key, "kgw").vllm()
        logits = torch.randn(300, generator=torch.Generator().manual_seed(SEED))
        out = p([1, 2, 3], [4, 5], logits)
        self.assertEqual(out.shape, logits.shape)
        ref = LogitsProcessor(self.key, "kgw")(np.array([[1, 2, 3, 4, 5]]), logits.numpy()[None, :])[0]
        np.testing.assert_array_equal(out.numpy(), ref)


if __name__ == "__main__":
    unittest.main()
