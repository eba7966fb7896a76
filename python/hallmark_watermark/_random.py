"""java.util.SplittableRandom (SplitMix64), so seeded draws match the Java CLI and API exactly."""

_M64 = (1 << 64) - 1
_GOLDEN_GAMMA = 0x9E3779B97F4A7C15


def _mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    return z ^ (z >> 31)


class SplittableRandom:
    """``new SplittableRandom(seed)``: ``next_long`` and ``next_double`` give Java's sequence."""

    def __init__(self, seed):
        self._seed = int(seed) & _M64

    def next_long(self):
        """The next 64-bit value as an unsigned integer (Java's long, modulo 2**64)."""
        self._seed = (self._seed + _GOLDEN_GAMMA) & _M64
        return _mix64(self._seed)

    def next_double(self):
        """Uniform in [0, 1): the top 53 bits of next_long times 2**-53."""
        return (self.next_long() >> 11) * 2.0 ** -53
