"""Cross-language check driven by the Java test PythonCrossLanguageTest (tests/ module).

Generates with the Java-built random decoder (rebuilt in torch, or NumPy without torch) and prints
one JSON object: the tokens of the spec sampler and of the seeded LogitsProcessor (to compare with
Java's tokens), and text sampled through the unseeded processor as a transformers engine would
(for Java's ``hallmark text detect --tokenizer``).
"""

import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hallmark_watermark import LogitsProcessor, SplittableRandom, WatermarkKey, WatermarkParameters, WatermarkSampler  # noqa: E402
import tiny_decoder  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--scheme", required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--tokens", type=int, required=True)
    ap.add_argument("--prompt-ids", required=True)
    a = ap.parse_args()
    model = tiny_decoder.load(a.model)
    words = tiny_decoder.read_vocabulary(a.model)
    prompt = [int(t) for t in a.prompt_ids.split(",")]
    key = WatermarkKey.from_file(a.key)

    # 1. The spec sampler in Java's TextGenerator loop, with the parameters the key records (version 2) or
    # the scheme's presets (a key of any scheme).
    params = key.parameters or WatermarkParameters(a.scheme)
    sampler = WatermarkSampler(key, params)
    sampled = sampler.generate(model, prompt, a.tokens, SplittableRandom(a.seed))

    # 2. The seeded processor called as transformers does: 2-D ids and scores, greedy pick.
    p = LogitsProcessor.from_key_file(a.key, scheme=a.scheme, seed=a.seed)
    ids = list(prompt)
    use_torch = getattr(model, "backend", "") == "torch"
    if use_torch:
        import torch
    for _ in range(a.tokens):
        scores = model(ids)[None, :]
        if use_torch:
            out = p(torch.tensor([ids]), torch.from_numpy(scores)).numpy()
        else:
            out = p(np.array([ids]), scores)
        ids.append(int(np.argmax(out[0])))
    processed = ids[len(prompt):]

    # 3. The unseeded processor in an engine that samples itself (its own RNG, like do_sample=True).
    q = LogitsProcessor.from_key_file(a.key, scheme=a.scheme)
    rng = np.random.default_rng(a.seed)
    ids = list(prompt)
    for _ in range(a.tokens):
        s = q(np.array([ids]), model(ids)[None, :])[0].astype(np.float64)
        e = np.exp(s - s.max())
        ids.append(int(rng.choice(len(e), p=e / e.sum())))
    text = " ".join(words[t] for t in ids)

    print(json.dumps({"backend": getattr(model, "backend", "numpy"), "parameters": str(params), "sampler": sampled,
                      "processor": processed, "engine_text": text}))


if __name__ == "__main__":
    main()
