#!/usr/bin/env python3
"""mkdataset.py - write a tiny, learnable image dataset as gzipped IDX files.

Usage: mkdataset.py DIR [--train N] [--test N] [--classes K] [--size S]
                        [--channels C] [--seed SEED]

Writes DIR/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz in the format of
(Fashion-)MNIST, so `nasview --dataset DIR` reads it like the real thing.
Class k is a bright square at a class-dependent position plus noise, so a
small network learns it in one short epoch and rewards differ between
architectures.  Deterministic for a given seed.  Standard library only.
"""
import argparse
import gzip
import os
import random
import struct


def images(n, classes, size, channels, rng):
    labels = [i % classes for i in range(n)]
    rng.shuffle(labels)
    data = bytearray()
    block = max(2, size // 4)
    for label in labels:
        cx = (label * 7919) % (size - block)
        cy = (label * 104729 // 7) % (size - block)
        for c in range(channels):
            for y in range(size):
                for x in range(size):
                    v = rng.randrange(0, 60)
                    if cx <= x < cx + block and cy <= y < cy + block:
                        v += 150 + 20 * c
                    data.append(min(v, 255))
    return labels, bytes(data)


def write(path, magic_dims, payload):
    head = struct.pack(">I", magic_dims[0]) + b"".join(
        struct.pack(">I", d) for d in magic_dims[1:])
    with gzip.open(path, "wb") as f:
        f.write(head + payload)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--train", type=int, default=400)
    ap.add_argument("--test", type=int, default=100)
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--size", type=int, default=28)
    ap.add_argument("--channels", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    rng = random.Random(a.seed)
    for part, n in (("train", a.train), ("t10k", a.test)):
        labels, pixels = images(n, a.classes, a.size, a.channels, rng)
        if a.channels == 1:
            dims = (0x00000803, n, a.size, a.size)
        else:
            dims = (0x00000804, n, a.channels, a.size, a.size)
        write(os.path.join(a.dir, f"{part}-images-idx3-ubyte.gz"), dims, pixels)
        write(os.path.join(a.dir, f"{part}-labels-idx1-ubyte.gz"),
              (0x00000801, n), bytes(labels))


if __name__ == "__main__":
    main()
