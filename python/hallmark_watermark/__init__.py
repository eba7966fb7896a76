"""Hallmark text watermarks for Python inference loops (Hugging Face transformers, vLLM).

Implements docs/spec/text-watermark.md bit for bit, so text generated here is found by the Java
detector (``hallmark text detect``) and a sequence sampled here with the same key, scheme, logits and
seed is token for token the one Java's ``TextGenerator`` samples::

    from hallmark_watermark import LogitsProcessor
    p = LogitsProcessor.from_key_file("~/.hallmark/keys/gen-2026.watermark")  # the key's scheme and parameters
    model.generate(**inputs, do_sample=True, logits_processor=[p])

``p(input_ids, scores)`` takes 2-D (batch x vocabulary) NumPy arrays or torch tensors and returns
scores of the same type. KGW, KGW-SelfHash and Unigram add the green-list bias (the engine then
samples as usual). Gumbel and SynthID must choose the token themselves: for them (and for any
scheme when ``seed`` is given) the processor draws the token with the spec's sampler and the
caller's seeded ``SplittableRandom`` (Java's, so the draws match) and returns scores that are
``-inf`` everywhere else, so greedy decoding or any sampler returns exactly that token.

Pure Python plus NumPy; PyTorch is used only when torch tensors are passed in.
"""

from ._random import SplittableRandom
from ._schemes import KeyFileError, SchemeEngine, WatermarkKey, WatermarkParameters
from ._sampler import LogitsProcessor, WatermarkSampler, score_tokens

__all__ = [
    "KeyFileError",
    "LogitsProcessor",
    "SchemeEngine",
    "SplittableRandom",
    "WatermarkKey",
    "WatermarkParameters",
    "WatermarkSampler",
    "score_tokens",
]
__version__ = "0.1.0"
