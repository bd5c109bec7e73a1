"""Write static/social-card.png, the image link previews show: the favicon's four white bars on
its blue, 600 x 600 pixels, drawn in plain Python (zlib) so no image tool is needed.

Run from the project folder: python3 scripts/social_card.py
"""

import struct
import zlib
from pathlib import Path

SIZE = 600
SCALE = SIZE / 32  # static/favicon.svg is drawn on a 32 x 32 grid
BLUE, WHITE = bytes((0x1D, 0x4F, 0x91)), bytes((0xFF, 0xFF, 0xFF))
# As in favicon.svg: bars 4 wide centred on x = 7, 13, 19, 25, rising from y = 23 to these tops.
BARS = [(7, 14), (13, 10), (19, 16), (25, 7)]
BASELINE = 23


def colour(x: int, y: int) -> bytes:
    u, v = (x + 0.5) / SCALE, (y + 0.5) / SCALE
    on_a_bar = any(centre - 2 <= u < centre + 2 and top <= v < BASELINE for centre, top in BARS)
    return WHITE if on_a_bar else BLUE


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png() -> bytes:
    rows = b"".join(b"\0" + b"".join(colour(x, y) for x in range(SIZE)) for y in range(SIZE))
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    Path(__file__).resolve().parent.parent.joinpath("static", "social-card.png").write_bytes(png())
