"""Per-step cost of the Python logits processor against plain sampling (docs/BENCHMARKS.md).

GPT-2-sized vocabulary (50,257), logits drawn from N(0, 2.5^2) (float32, seeded), a 256-token
context. Plain sampling: softmax and one multinomial draw (NumPy, and torch.multinomial when
PyTorch is installed). Watermarked: the processor's __call__ on the 1 x V scores, then the same draw
(KGW, SelfHash, Unigram bias the scores; Gumbel and SynthID, and any scheme given a seed, choose the
token inside the processor). Usage: /usr/bin/python3 benchmarks/bench_processor.py [steps]
"""

import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from hallmark_watermark import LogitsProcessor, WatermarkKey  # noqa: E402

SEED = 20261203
V = 50257


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rng = np.random.default_rng(SEED)
    logits = (rng.standard_normal((steps, V)) * 2.5).astype(np.float32)
    ids = rng.integers(0, V, size=(1, 256 + steps))
    key = WatermarkKey("bench", bytes(range(32)))
    print("seed=%d steps=%d vocab=%d numpy=%s cpus=%d" % (SEED, steps, V, np.__version__, os.cpu_count()))

    def plain(scores):
        s = scores.astype(np.float64)
        e = np.exp(s - s.max())
        c = np.cumsum(e)
        return int(np.searchsorted(c, rng.random() * c[-1], side="right"))

    def timed(fn):
        """(wall ms, this thread's CPU ms) per step: CPU time is less disturbed by other load."""
        fn(0)
        t0 = time.perf_counter()
        c0 = time.thread_time()
        for i in range(steps):
            fn(i)
        return (time.perf_counter() - t0) * 1000 / steps, (time.thread_time() - c0) * 1000 / steps

    base, bcpu = timed(lambda i: plain(logits[i]))
    print("\n| numpy | ms/step (wall) | overhead vs plain (wall) | CPU ms/step | overhead (CPU) |")
    print("|---|---|---|---|---|")
    print("| plain sampling | %.3f | - | %.3f | - |" % (base, bcpu))
    for scheme in ["kgw", "kgw-selfhash", "unigram", "gumbel", "synthid"]:
        p = LogitsProcessor(key, scheme, seed=None if scheme in ("kgw", "kgw-selfhash", "unigram") else SEED)
        ms, cpu = timed(lambda i: plain(p(ids[:, :256 + i], logits[i][None, :])[0]))
        print("| %s processor + sampling | %.3f | %+.3f ms | %.3f | %+.3f ms |" % (scheme, ms, ms - base, cpu, cpu - bcpu))
    try:
        import torch
    except ImportError:
        print("\n(torch not installed: torch rows skipped)")
        return
    torch.manual_seed(SEED)
    tl = torch.from_numpy(logits)
    tids = torch.from_numpy(ids)
    tbase, tcpu = timed(lambda i: torch.multinomial(torch.softmax(tl[i:i + 1], -1), 1))
    print("\n| torch %s | ms/step (wall) | overhead vs plain (wall) | CPU ms/step | overhead (CPU) |" % torch.__version__)
    print("|---|---|---|---|---|")
    print("| torch.multinomial | %.3f | - | %.3f | - |" % (tbase, tcpu))
    for scheme in ["kgw", "gumbel", "synthid"]:
        p = LogitsProcessor(key, scheme, seed=None if scheme == "kgw" else SEED)
        ms, cpu = timed(lambda i: torch.multinomial(torch.softmax(p(tids[:, :256 + i], tl[i:i + 1]), -1), 1))
        print("| %s processor + multinomial | %.3f | %+.3f ms | %.3f | %+.3f ms |" % (scheme, ms, ms - tbase, cpu, cpu - tcpu))


if __name__ == "__main__":
    main()
