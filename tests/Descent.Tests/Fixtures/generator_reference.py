"""Reference outputs of Descent's Generator and random tensors: Philox 4x32-10, one counter per draw.

Written independently from the C# code, from the published algorithm (Salmon et al., SC 2011, and the
Random123 library's philox.h); the three Random123 known-answer vectors are checked before anything is
written. Normals use Box-Muller on one block: u1 = 1 - (words 0,1 as 53 bits), u2 = words 2,3 as 53 bits.
Run: python3 generator_reference.py > generator_reference.json
"""
import json
import math

M32 = 0xFFFFFFFF


def philox4x32_10(ctr, key):
    c0, c1, c2, c3 = ctr
    k0, k1 = key
    for _ in range(10):
        p0 = 0xD2511F53 * c0
        p1 = 0xCD9E8D57 * c2
        c0, c1, c2, c3 = ((p1 >> 32) ^ c1 ^ k0) & M32, p1 & M32, ((p0 >> 32) ^ c3 ^ k1) & M32, p0 & M32
        k0 = (k0 + 0x9E3779B9) & M32
        k1 = (k1 + 0xBB67AE85) & M32
    return c0, c1, c2, c3


KAT = [  # Random123 tests/kat_vectors, "philox4x32 10": counter, key, result
    ((0, 0, 0, 0), (0, 0), (0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8)),
    ((M32, M32, M32, M32), (M32, M32), (0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd)),
    ((0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344), (0xa4093822, 0x299f31d0),
     (0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1)),
]


def element(seed, index, rnd=0):
    return philox4x32_10((index & M32, index >> 32, rnd, 0), (seed & M32, seed >> 32))


def unit(hi, lo):
    return (((hi << 32) | lo) >> 11) * (1.0 / (1 << 53))


def normal(seed, index, rnd=0):
    w = element(seed, index, rnd)
    u1 = 1.0 - unit(w[0], w[1])
    u2 = unit(w[2], w[3])
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def main():
    for ctr, key, expected in KAT:
        assert philox4x32_10(ctr, key) == expected, (ctr, key)
    seed = 42
    u64 = []
    for i in range(4):
        w = element(seed, i)
        u64.append((w[0] << 32) | w[1])
    doubles = [unit(*element(seed, i)[:2]) for i in range(4, 6)]
    normals = [normal(seed, i) for i in range(6, 9)]
    print(json.dumps({
        "kat": [{"counter": list(c), "key": list(k), "result": list(r)} for c, k, r in KAT],
        "seed": seed,
        # Strings: a JSON number cannot hold every 64-bit unsigned value exactly.
        "next_uint64": [str(v) for v in u64],
        "next_double": doubles,
        "next_normal": normals,
    }, indent=2))


if __name__ == "__main__":
    main()
