"""The scheme and parameters a version-2 key file records (spec section 6), and NaN logits.

tests/keys/ holds key files written by the Java CLI (see tests/keys/README.md for how they were made).
"""

import base64
import hashlib
import os
import tempfile
import unittest

import numpy as np

from hallmark_watermark import (KeyFileError, LogitsProcessor, SplittableRandom, WatermarkKey, WatermarkParameters,
                                WatermarkSampler)

KEYS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keys")
KGW = os.path.join(KEYS, "kgw-g05-d4.watermark")  # keys new --gamma 0.5 --delta 4
SYNTHID = os.path.join(KEYS, "synthid-m10.watermark")  # keys new --scheme synthid --layers 10
ANY = os.path.join(KEYS, "any-scheme.watermark")  # keys new --scheme any
SEED = 2026


def v2_key_file(folder, scheme_lines, name="k", secret=bytes(range(32))):
    """A version-2 key file with the given text-scheme / text-parameters lines and a valid checksum."""
    body = ("hallmark-watermark-key\nversion: 2\nname: %s\nkey-id: %s\n%ssecret: %s\n"
            % (name, WatermarkKey(name, secret).key_id, scheme_lines, base64.b64encode(secret).decode()))
    path = os.path.join(folder, name + ".watermark")
    with open(path, "w", encoding="utf-8") as f:
        f.write(body + "checksum: " + hashlib.sha256(body.encode("utf-8")).hexdigest()[:16] + "\n")
    return path


def tokens(processor, steps=60, vocab=400):
    """Tokens the seeded processor chooses on fixed random logits."""
    rng = np.random.default_rng(SEED)
    ids = [5, 17, 42, 7]
    for _ in range(steps):
        scores = (rng.normal(size=vocab) * 2.5).astype(np.float32)
        out = processor(np.array([ids]), scores[None, :])[0]
        ids.append(int(np.argmax(out)))
    return ids[4:]


class RecordedParametersTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def test_the_helper_writes_the_spec_vector(self):
        path = v2_key_file(self.tmp.name, "text-scheme: kgw\ntext-parameters: contextWidth=1,delta=2.0,gamma=0.25\n",
                           name="spec")
        with open(path, encoding="utf-8") as f:
            self.assertIn("checksum: bf9d49fdeda011fe\n", f.read())

    def test_cli_key_files_give_their_recorded_parameters(self):
        k = WatermarkKey.from_file(KGW)
        self.assertEqual("kgw", k.text_scheme)
        self.assertEqual(WatermarkParameters("kgw", gamma=0.5, delta=4.0), k.parameters)
        self.assertEqual(WatermarkParameters("kgw", gamma=0.5, delta=4.0), LogitsProcessor.from_key_file(KGW).params)
        self.assertEqual(WatermarkParameters("kgw", gamma=0.5, delta=4.0), LogitsProcessor(k).params)
        s = LogitsProcessor.from_key_file(SYNTHID).params
        self.assertEqual(("synthid", 10, 4, False), (s.scheme, s.layers, s.h, s.weighted))
        self.assertIsNone(WatermarkKey.from_file(ANY).parameters)
        self.assertEqual(WatermarkParameters("kgw"), LogitsProcessor.from_key_file(ANY).params)

    def test_seeded_tokens_follow_the_recorded_parameters(self):
        k = WatermarkKey.from_file(KGW)
        got = tokens(LogitsProcessor.from_key_file(KGW, seed=SEED))
        want = tokens(LogitsProcessor(WatermarkKey("same", k.secret_bytes()), "kgw", gamma=0.5, delta=4.0, seed=SEED))
        preset = tokens(LogitsProcessor(WatermarkKey("same", k.secret_bytes()), "kgw", seed=SEED))
        self.assertEqual(want, got)
        self.assertNotEqual(preset, got)
        s = WatermarkKey.from_file(SYNTHID)
        got = tokens(LogitsProcessor.from_key_file(SYNTHID, seed=SEED))
        want = tokens(LogitsProcessor(WatermarkKey("same", s.secret_bytes()), "synthid", layers=10, seed=SEED))
        preset = tokens(LogitsProcessor(WatermarkKey("same", s.secret_bytes()), "synthid", seed=SEED))
        self.assertEqual(want, got)
        self.assertNotEqual(preset, got)

    def test_overrides_that_differ_from_the_key_are_refused(self):
        for path, kwargs in [(KGW, dict(scheme="unigram")), (KGW, dict(gamma=0.25)), (KGW, dict(delta=2.0)),
                             (KGW, dict(gamma=0.5, delta=3.0)), (KGW, dict(context_width=2)),
                             (SYNTHID, dict(scheme="gumbel")), (SYNTHID, dict(layers=30)),
                             (SYNTHID, dict(context_width=5)), (SYNTHID, dict(weighted=True)),
                             (SYNTHID, dict(gamma=0.5))]:
            with self.assertRaisesRegex(ValueError, "is for", msg=str(kwargs)):
                LogitsProcessor.from_key_file(path, **kwargs)
        # The same values as the key's are no override.
        self.assertEqual(WatermarkParameters("kgw", gamma=0.5, delta=4.0),
                         LogitsProcessor.from_key_file(KGW, scheme="kgw", gamma=0.5, delta=4, context_width=1).params)
        self.assertEqual(10, LogitsProcessor.from_key_file(SYNTHID, scheme="synthid", layers=10).params.layers)
        # A key of any scheme takes them.
        p = LogitsProcessor.from_key_file(ANY, scheme="unigram", gamma=0.3, delta=5).params
        self.assertEqual(WatermarkParameters("unigram", gamma=0.3, delta=5.0), p)
        # The sampler refuses other parameters too, as Java's Watermarks.textWatermarker.
        k = WatermarkKey.from_file(KGW)
        with self.assertRaisesRegex(ValueError, "is for"):
            WatermarkSampler(k, WatermarkParameters("kgw"))
        self.assertEqual(k.parameters, WatermarkSampler(k).params)
        with self.assertRaisesRegex(ValueError, "records no text scheme"):
            WatermarkSampler(WatermarkKey.from_file(ANY))

    def test_bad_recorded_schemes_and_parameters_are_rejected_naming_the_file(self):
        cases = [
            ("text-scheme: kgw2\ntext-parameters: gamma=0.25\n",
             "text scheme 'kgw2', which this package does not know"),
            ("text-scheme: kgw\ntext-parameters: contextWidth=1,delta=2.0,gamma=0.25,rho=1\n",
             "parameter 'rho', which kgw does not have"),
            ("text-scheme: gumbel\ntext-parameters: contextWidth=4,gamma=0.25\n", "parameter 'gamma', which gumbel"),
            ("text-scheme: kgw\ntext-parameters: contextWidth=1,delta=2.0,gamma=7\n", r"gamma must be in \(0, 1\)"),
            ("text-scheme: kgw\ntext-parameters: contextWidth=1,delta=2.0,gamma=0\n", r"gamma must be in \(0, 1\)"),
            ("text-scheme: kgw\ntext-parameters: contextWidth=1,delta=21,gamma=0.25\n", r"delta must be in \[0, 20\]"),
            ("text-scheme: kgw\ntext-parameters: contextWidth=1,delta=NaN,gamma=0.25\n", "delta must be in"),
            ("text-scheme: kgw\ntext-parameters: contextWidth=1,delta=2.0,gamma=abc\n", "bad value 'abc' for gamma"),
            ("text-scheme: kgw\ntext-parameters: contextWidth=1,delta=2.0,gamma=inf\n", "bad value 'inf' for gamma"),
            ("text-scheme: kgw\ntext-parameters: contextWidth=2,delta=2.0,gamma=0.25\n", "context_width 1"),
            ("text-scheme: kgw-selfhash\ntext-parameters: contextWidth=-1,delta=2.0,gamma=0.25\n",
             r"context_width must be 1\.\.8"),
            ("text-scheme: gumbel\ntext-parameters: contextWidth=9\n", r"context_width must be 1\.\.8"),
            ("text-scheme: gumbel\ntext-parameters: contextWidth=4.0\n", "bad value '4.0' for contextWidth"),
            ("text-scheme: gumbel\ntext-parameters: contextWidth=99999999999\n", "bad value"),
            ("text-scheme: synthid\ntext-parameters: contextWidth=4,detector=mean,layers=65\n",
             r"layers must be 1\.\.64"),
            ("text-scheme: synthid\ntext-parameters: contextWidth=4,detector=max,layers=30\n",
             "bad value 'max' for detector"),
            ("text-scheme: kgw\ntext-parameters: delta=2.0,gamma=0.25\n",
             "does not record kgw parameter 'contextWidth'"),
            ("text-scheme: gumbel\n", "does not record gumbel parameter 'contextWidth'"),
            ("text-scheme: kgw\ntext-parameters: contextWidth=1,delta=2.0,gamma=0.25,gamma=0.5\n", "repeated"),
            ("text-scheme: kgw\ntext-parameters: contextWidth=1,delta=2.0,=0.25\n", "malformed"),
            ("text-scheme: kgw\ntext-parameters: contextWidth=1,delta=2.0,gamma=0.25,\n", "malformed"),
            ("text-scheme: kgw\ntext-parameters: contextWidth=1,delta=2.0,gamma=0 25\n", "malformed value"),
            ("text-scheme: KGW\ntext-parameters: contextWidth=1,delta=2.0,gamma=0.25\n", "malformed text scheme label"),
            ("text-scheme: any\ntext-parameters: gamma=0.25\n", "text-parameters without a text scheme"),
            ("", "no text-scheme line"),
        ]
        for i, (lines, message) in enumerate(cases):
            path = v2_key_file(self.tmp.name, lines, name="bad%d" % i)
            with self.assertRaisesRegex(KeyFileError, message, msg=lines):
                WatermarkKey.from_file(path)
            with self.assertRaisesRegex(ValueError, path.replace("\\", "\\\\"), msg=lines):
                LogitsProcessor.from_key_file(path)

    def test_numbers_are_read_as_java_reads_them(self):
        for text, gamma in [("0.25", 0.25), ("2.5e-1", 0.25), ("+.25", 0.25), ("0.25d", 0.25), ("0x1p-2", 0.25),
                            ("0.1", 0.1)]:
            path = v2_key_file(self.tmp.name, "text-scheme: unigram\ntext-parameters: delta=2,gamma=%s\n" % text)
            self.assertEqual(gamma, WatermarkKey.from_file(path).parameters.gamma, text)
        path = v2_key_file(self.tmp.name, "text-scheme: synthid\ntext-parameters: contextWidth=+3,detector="
                           "weighted-mean,layers=012\n")
        p = WatermarkKey.from_file(path).parameters
        self.assertEqual((3, 12, True), (p.h, p.layers, p.weighted))

    def test_version_one_keys_and_any_keep_taking_explicit_parameters(self):
        path = os.path.join(self.tmp.name, "v1.watermark")
        secret = bytes(range(32))
        with open(path, "w", encoding="utf-8") as f:
            f.write("hallmark-watermark-key\nversion: 1\nname: v1\nkey-id: %s\nsecret: %s\n"
                    % (WatermarkKey("v1", secret).key_id, base64.b64encode(secret).decode()))
        self.assertIsNone(WatermarkKey.from_file(path).parameters)
        self.assertEqual(WatermarkParameters("synthid", layers=12),
                         LogitsProcessor.from_key_file(path, scheme="synthid", layers=12).params)


class ParameterValidationTest(unittest.TestCase):
    def test_context_width_and_layers_are_checked_as_in_java(self):
        for scheme, kwargs in [("kgw-selfhash", dict(context_width=-1)), ("kgw-selfhash", dict(context_width=0)),
                               ("gumbel", dict(context_width=9)), ("synthid", dict(context_width=0)),
                               ("kgw", dict(context_width=2)), ("unigram", dict(context_width=1)),
                               ("gumbel", dict(context_width=2.5)), ("gumbel", dict(context_width="x")),
                               ("synthid", dict(layers=0)), ("synthid", dict(layers=65)),
                               ("synthid", dict(layers=1.5)), ("kgw", dict(gamma=1.0)), ("kgw", dict(delta=-1)),
                               ("kgw", dict(gamma="x")), ("gumbel", dict(delta=1))]:
            with self.assertRaises(ValueError, msg="%s %s" % (scheme, kwargs)):
                WatermarkParameters(scheme, **kwargs)
        self.assertEqual(8, WatermarkParameters("gumbel", context_width=8).h)
        self.assertEqual(2, WatermarkParameters("kgw-selfhash", context_width=np.int64(2)).h)
        self.assertEqual(0, WatermarkParameters("unigram", context_width=0).h)
        with self.assertRaises(ValueError):
            LogitsProcessor(WatermarkKey("k", bytes(32)), "kgw-selfhash", context_width=-1)


class NanLogitsTest(unittest.TestCase):
    """Java's sampler (WatermarkerImpl.collectSupport) skips NaN when taking the maximum and keeps only
    logits >= max - 50, which NaN is not: a NaN logit counts as -inf. The Python sampler does the same."""

    def setUp(self):
        self.key = WatermarkKey("k", bytes(range(32)))

    def test_a_nan_logit_is_never_sampled_and_counts_as_minus_infinity(self):
        rng = np.random.default_rng(SEED)
        for scheme in ["kgw", "kgw-selfhash", "unigram", "gumbel", "synthid"]:
            s = WatermarkSampler(self.key, WatermarkParameters(scheme))
            r1, r2 = SplittableRandom(SEED), SplittableRandom(SEED)
            ids = [3, 1, 4, 1, 5]
            for _ in range(30):
                logits = rng.normal(size=200).astype(np.float32) * 3
                nan = rng.choice(200, size=20, replace=False)
                with_nan = logits.copy()
                with_nan[nan] = np.nan
                with_inf = logits.copy()
                with_inf[nan] = -np.inf
                t = s.sample(with_nan, ids, r1)
                self.assertEqual(s.sample(with_inf, ids, r2), t, scheme)
                self.assertNotIn(t, nan)
                ids.append(t)
        p = LogitsProcessor(self.key, "kgw")
        logits = np.zeros((1, 50), dtype=np.float32)
        logits[0, 9] = np.nan
        out = p(np.array([[1, 2, 3]]), logits)
        self.assertTrue(np.isnan(out[0, 9]))  # left as it was, not biased
        self.assertTrue(np.all(np.isfinite(np.delete(out[0], 9))))

    def test_a_row_without_a_finite_logit_is_an_error_naming_the_row_and_nan(self):
        p = LogitsProcessor(self.key, "kgw", seed=SEED)
        scores = np.zeros((3, 20), dtype=np.float32)
        scores[2, :] = np.nan
        with self.assertRaisesRegex(ValueError, "row 2: logits have no finite entry \\(all 20 are NaN\\)"):
            p(np.zeros((3, 4), dtype=np.int64), scores)
        scores[2, :5] = -np.inf
        with self.assertRaisesRegex(ValueError, "row 2: .*-inf or NaN, 15 of them NaN"):
            p(np.zeros((3, 4), dtype=np.int64), scores)


if __name__ == "__main__":
    unittest.main()
