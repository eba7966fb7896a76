"""Interleaved A/B of two copies of the package's sampler in one process (docs/BENCHMARKS.md).

Imports ``hallmark_watermark`` from two folders side by side (for example main's, exported with
``mkdir -p /tmp/main && git archive main python | tar -x -C /tmp/main``, and this checkout's) and times
``WatermarkSampler.sample`` for each scheme given, 20 steps of 50,257 flat logits (N(0, 2.5^2), float32,
seeded) per round, the two packages alternating for 7 rounds; prints the median and range of the
thread's CPU time and the median wall time per step. Usage:
/usr/bin/python3 benchmarks/ab_sampler.py A/hallmark_watermark B/hallmark_watermark [scheme ...]
"""

import importlib.util
import sys
import time

import numpy as np

SEED = 20261203
V = 50257


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path + "/__init__.py", submodule_search_locations=[path])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: ab_sampler.py A/hallmark_watermark B/hallmark_watermark [scheme ...]")
    packages = (("A", load("hallmark_watermark_a", sys.argv[1])), ("B", load("hallmark_watermark_b", sys.argv[2])))
    schemes = sys.argv[3:] or ["synthid", "gumbel"]
    rng = np.random.default_rng(SEED)
    logits = (rng.standard_normal((20, V)) * 2.5).astype(np.float32)
    ctx = [int(t) for t in rng.integers(0, V, 300)]
    print("seed=%d vocab=%d A=%s B=%s" % (SEED, V, sys.argv[1], sys.argv[2]))
    results = {}
    for _ in range(7):
        for label, mod in packages:
            for scheme in schemes:
                s = mod.WatermarkSampler(mod.WatermarkKey("bench", bytes(range(32))), mod.WatermarkParameters(scheme))
                r = mod.SplittableRandom(1)
                s.sample(logits[0], ctx[:256], r)
                c0 = time.thread_time()
                t0 = time.perf_counter()
                for i in range(20):
                    s.sample(logits[i], ctx[:256 + i], r)
                results.setdefault((scheme, label), []).append(
                    ((time.thread_time() - c0) * 1000 / 20, (time.perf_counter() - t0) * 1000 / 20))
    for (scheme, label), v in sorted(results.items()):
        cpu = sorted(x[0] for x in v)
        wall = sorted(x[1] for x in v)
        print("%-12s %s: CPU ms/step median %.2f [%.2f-%.2f], wall median %.2f"
              % (scheme, label, cpu[len(cpu) // 2], cpu[0], cpu[-1], wall[len(wall) // 2]))


if __name__ == "__main__":
    main()
