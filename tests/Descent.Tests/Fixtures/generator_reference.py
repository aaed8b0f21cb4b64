"""Reference outputs of Descent's Generator: xoshiro256** seeded with four SplitMix64 outputs.

Written independently from the C# code, from the published algorithms:
  SplitMix64: https://prng.di.unimi.it/splitmix64.c
  xoshiro256**: https://prng.di.unimi.it/xoshiro256starstar.c
Run: python3 generator_reference.py > generator_reference.json
"""
import json

MASK = (1 << 64) - 1


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class Xoshiro256StarStar:
    def __init__(self, seed):
        x = seed & MASK
        self.s = []
        for _ in range(4):
            x, out = splitmix64(x)
            self.s.append(out)

    def next_u64(self):
        s = self.s
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def next_double(self):
        # 53 high bits scaled into [0, 1): exact in a double, so repr round-trips.
        return (self.next_u64() >> 11) * (1.0 / (1 << 53))


def main():
    g = Xoshiro256StarStar(42)
    u64 = [g.next_u64() for _ in range(4)]
    doubles = [g.next_double() for _ in range(2)]
    print(json.dumps({
        "seed": 42,
        # Strings: a JSON number cannot hold every 64-bit unsigned value exactly.
        "next_uint64": [str(v) for v in u64],
        "next_double": doubles,
    }, indent=2))


if __name__ == "__main__":
    main()
