"""Writes reference.safetensors by following the safetensors spec by hand (struct + json, no safetensors package).

Layout: 8-byte little-endian u64 header length N; N bytes of UTF-8 JSON, padded with spaces so 8 + N is a multiple
of 8; then the byte buffer, little-endian and row-major, every byte belonging to exactly one tensor.
The tensors are stored deliberately out of name order, and the header lists them in yet another order, because the
spec ties nothing to either order. Run with /usr/bin/python3 from this folder; the tests read only the output file.
"""
import json
import struct

import numpy as np

tensors = [  # (name, dtype code, numpy little-endian type, values with shape), in data order
    ("layer/int32", "I32", "<i4", np.array([[1, -2], [2147483647, -2147483648]])),
    ("a_float32", "F32", "<f4", np.array([[0.5, -1.25, 3.0], [1e-8, -0.0, 65504.0]])),
    ("flags", "BOOL", "|b1", np.array([True, False, False, True])),
    ("b_float64", "F64", "<f8", np.array([np.pi, -np.e, 1e300])),
    ("scalar_int64", "I64", "<i8", np.array(-9007199254740993)),
    ("empty", "F32", "<f4", np.zeros((0, 3))),
]

buffer = b""
header = {}
for name, code, np_type, values in tensors:
    data = values.astype(np_type).tobytes(order="C")
    header[name] = {"dtype": code, "shape": list(values.shape), "data_offsets": [len(buffer), len(buffer) + len(data)]}
    buffer += data

ordered = {"__metadata__": {"source": "make_safetensors.py", "note": "spec by hand"}}
for name in sorted(header, reverse=True):
    ordered[name] = header[name]
text = json.dumps(ordered, separators=(",", ":")).encode("utf-8")
text += b" " * ((8 - (8 + len(text)) % 8) % 8)

with open("reference.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)))
    f.write(text)
    f.write(buffer)
print(len(text), len(buffer))
