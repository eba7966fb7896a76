"""Every vector of docs/spec/text-watermark.md, reproduced exactly (the Java SpecVectorsTest's file)."""

import hashlib
import os
import struct
import unittest

import numpy as np

from hallmark_watermark import SplittableRandom, WatermarkKey, WatermarkParameters, WatermarkSampler, score_tokens
from hallmark_watermark import _prf
from hallmark_watermark._sampler import lane_sum
from hallmark_watermark._schemes import SchemeEngine

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RES = os.path.join(ROOT, "watermark", "src", "test", "resources", "text")


def params_by_name(name):
    if name == "synthid-weighted":
        return WatermarkParameters("synthid", weighted=True)
    return WatermarkParameters(name)


def fmt(v):
    if v == round(v) and abs(v) < 1e15:
        return str(int(v))
    return "%.12f" % v


class FixedRandom:
    def __init__(self, u):
        self.u = u

    def next_double(self):
        return self.u


class SpecVectorsTest(unittest.TestCase):
    key = WatermarkKey("spec", bytes(range(32)))

    def lines(self):
        with open(os.path.join(RES, "text-watermark-vectors.tsv"), encoding="utf-8") as f:
            return [l.rstrip("\n").split("\t") for l in f if l.strip() and not l.startswith("#")]

    def test_siphash_reference_vectors(self):
        with open(os.path.join(RES, "siphash24-vectors.txt"), encoding="ascii") as f:
            expected = [l.strip() for l in f if l.strip() and not l.startswith("#")]
        self.assertEqual(64, len(expected))
        k = bytes(range(16))
        k0, k1 = int.from_bytes(k[:8], "little"), int.from_bytes(k[8:], "little")
        for i, e in enumerate(expected):
            self.assertEqual(e, _prf.siphash24(k0, k1, bytes(range(i))).to_bytes(8, "little").hex(), "message %d" % i)

    def test_every_vector(self):
        checked = {"subkey": 0, "score": 0, "prf": 0, "sample": 0, "synthid-layers": 0}
        for row in self.lines():
            kind = row[0]
            checked[kind] += 1
            if kind == "subkey":
                e = SchemeEngine(self.key, WatermarkParameters("kgw"))
                self.assertEqual(row[1:], [self.key.key_id, "%016x" % e.k0, "%016x" % e.k1])
            elif kind == "score":
                p = params_by_name(row[1])
                tokens = [int(t) for t in row[2].split(",")]
                s = score_tokens(self.key, p, tokens)
                self.assertEqual(row[3], ",".join(str(t) for t in s["positions"]), row[1])
                self.assertEqual(row[4], ",".join(fmt(v) for v in s["scores"]), row[1])
                self.assertEqual(row[5], str(s["n"]))
                self.assertEqual(row[6], fmt(s["sum"]))
                self.assertEqual(row[7], "%.6f" % (s["log_p_value"] / np.log(10)), row[1])
            elif kind == "prf":
                p = params_by_name(row[1])
                e = SchemeEngine(self.key, p)
                ctx = [int(t) for t in row[2].split(",")]
                c = e.context_seed(ctx, len(ctx))
                self.assertEqual(row[3], "%016x" % c, row[1])
                vals = []
                if p.scheme == "kgw-selfhash":
                    greens = e.greens(ctx, len(ctx), np.arange(16))
                    vals = [str(int(g)) for g in greens]
                else:
                    r = e.token_values(np.uint64(c), np.arange(16))
                    for v in range(16):
                        self.assertEqual(int(r[v]), e.token_value(c, v))  # vector and scalar agree
                        if p.scheme in ("kgw", "unigram"):
                            vals.append("%016x:%d" % (int(r[v]), 1 if _prf.u53(int(r[v])) < p.gamma else 0))
                        else:
                            vals.append("%016x" % int(r[v]))
                self.assertEqual(row[4], ",".join(vals), row[1])
            elif kind == "sample":
                p = params_by_name(row[1])
                ctx = [int(t) for t in row[2].split(",")]
                logits = np.array([-0.25 * v for v in range(16)], dtype=np.float32)
                t = WatermarkSampler(self.key, p).sample(logits, ctx, FixedRandom(0.5))
                self.assertEqual(int(row[3]), t, row[1])
            elif kind == "synthid-layers":
                ctx = [int(t) for t in row[1].split(",")]
                vocab = int(row[2])
                logits = np.array([-np.inf if v % 7 == 3 else 0.0 for v in range(vocab)], dtype=np.float32)
                sampler = WatermarkSampler(self.key, WatermarkParameters("synthid"))
                drawn = [sampler.sample(logits, ctx, FixedRandom(u)) for u in (0.05, 0.25, 0.5, 0.75, 0.95)]
                gs = [struct.unpack("<Q", struct.pack("<d", g))[0] for g in sampler.last_layer_sums]
                self.assertEqual(row[3], ",".join("%016x" % g for g in gs))
                digest = hashlib.sha256(sampler.last_distribution.astype("<f8").tobytes()).hexdigest()[:16]
                self.assertEqual(row[4], digest)
                self.assertEqual(row[5], ",".join(str(t) for t in drawn))
        self.assertEqual({"subkey": 1, "score": 6, "prf": 5, "sample": 5, "synthid-layers": 1}, checked)

    def test_lane_sum_is_the_specified_order(self):
        # Lane j adds positions i = j mod 64 in increasing i; then lanes 0..63 in order; plain floats.
        rng = np.random.default_rng(20261204)
        for n in (0, 1, 63, 64, 65, 1000, 50257):
            q = rng.random(n) ** 20 * rng.integers(0, 2, n)
            lanes = [0.0] * 64
            for i, v in enumerate(q.tolist()):
                lanes[i % 64] += v
            want = 0.0
            for a in lanes:
                want += a
            self.assertEqual(want, lane_sum(q), n)
            if n <= 64:
                self.assertEqual(float(sum(q.tolist())), lane_sum(q), n)  # one term per lane: left to right

    def test_splittable_random_matches_java(self):
        # new SplittableRandom(42): nextLong() x3 and nextDouble(), printed by the JDK.
        r = SplittableRandom(42)
        got = [r.next_long() for _ in range(3)]
        self.assertEqual([0xBDD732262FEB6E95, 0x28EFE333B266F103, 0x47526757130F9F52], got)
        self.assertEqual(0.7415648787718233, SplittableRandom(42).next_double())


if __name__ == "__main__":
    unittest.main()
