#!/usr/bin/python3
"""Count the pixels of given colours in a PNG screenshot.

Usage: png-colours.py FILE.png RRGGBB...
Prints one JSON object: {"width": W, "height": H, "RRGGBB": pixels, ...}.
Reads the 8-bit RGB or RGBA, non-interlaced PNGs that Chromium writes, with the
standard library only (zlib), so that the test needs no imaging package.
"""
import json
import struct
import sys
import zlib


def pixels(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG file")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise SystemExit(f"{path}: PNG kind depth={depth} colour={colour} interlace={interlace} not supported")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    rows = []
    offset = 0
    for _ in range(height):
        kind = raw[offset]
        line = bytearray(raw[offset + 1:offset + 1 + stride])
        offset += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + predictor) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def main():
    path, wanted = sys.argv[1], [c.lower() for c in sys.argv[2:]]
    width, height, channels, rows = pixels(path)
    targets = {bytes.fromhex(c): c for c in wanted}
    counts = {c: 0 for c in wanted}
    for row in rows:
        for x in range(0, len(row), channels):
            name = targets.get(row[x:x + 3])
            if name:
                counts[name] += 1
    print(json.dumps({"width": width, "height": height, **counts}))


main()
