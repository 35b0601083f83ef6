#!/usr/bin/env python3
"""Draw Planet Reader's toolbar icons (a feed symbol on Planet Python's blue) as PNGs.

Pure standard library: supersampled shapes, written with zlib. Run it to regenerate
icon-16.png ... icon-128.png; the PNGs are committed.
"""
import math
import os
import struct
import zlib

BLUE = (0x30, 0x69, 0x98)
YELLOW = (0xFF, 0xD4, 0x3B)
HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "icons")


def coverage(size, x, y, ss=4):
    """Colour and alpha of pixel (x, y) of an icon `size` pixels wide."""
    blue = yellow = 0
    for i in range(ss):
        for j in range(ss):
            u = (x + (i + 0.5) / ss) / size  # 0..1
            v = (y + (j + 0.5) / ss) / size
            if not in_rounded_square(u, v, 0.2):
                continue
            if in_feed_symbol(u, v):
                yellow += 1
            else:
                blue += 1
    n = ss * ss
    a = (blue + yellow) / n
    if blue + yellow == 0:
        return (0, 0, 0, 0)
    t = yellow / (blue + yellow)
    rgb = tuple(round(b * (1 - t) + w * t) for b, w in zip(BLUE, YELLOW))
    return rgb + (round(a * 255),)


def in_rounded_square(u, v, r):
    dx = max(r - u, 0, u - (1 - r))
    dy = max(r - v, 0, v - (1 - r))
    return dx * dx + dy * dy <= r * r


def in_feed_symbol(u, v):
    # Origin at the lower-left; a dot and two quarter rings.
    ox, oy = 0.24, 0.76
    dx, dy = u - ox, oy - v
    if dx < -0.02 or dy < -0.02:
        return False
    d = math.hypot(dx, dy)
    if math.hypot(u - (ox + 0.05), v - (oy - 0.05)) <= 0.085:
        return True
    return 0.30 <= d <= 0.42 or 0.52 <= d <= 0.64


def png(size):
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            row.extend(coverage(size, x, y))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


if __name__ == "__main__":
    for size in (16, 32, 48, 128):
        with open(os.path.join(HERE, f"icon-{size}.png"), "wb") as fh:
            fh.write(png(size))
