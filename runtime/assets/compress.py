#!/usr/bin/env python3
"""Writes the gzip-compressed copies of the vendored docs-page files that ferrapi embeds.

The binary carries only the `.gz` files (Swagger UI's 0.49 MB instead of 1.96 MB; ReDoc's
0.32 MB instead of 1.10 MB with the feature `redoc`) and serves them with
`Content-Encoding: gzip`; the uncompressed files stay here as published, for review and
updates. Run after updating a vendored file: `python3 runtime/assets/compress.py` (with
`pip install zopfli`). The runtime's tests check that each `.gz` decompresses to its source
(with the change below).

ReDoc's bundle loads one image from another host, the Redocly logo of its "API docs by
Redocly" credit; its address is replaced by a `data:` image (a plain grey square), so the
page asks nothing of any host but the app.
"""
import pathlib

# Zopfli writes standard gzip 4-5 % smaller than zlib's level 9 (32 KB less binary);
# only this script needs it: `pip install zopfli`.
import zopfli.gzip

HERE = pathlib.Path(__file__).resolve().parent

REDOC_LOGO_URL = "https://cdn.redoc.ly/redoc/logo-mini.svg"
REDOC_LOGO_DATA = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='16' height='16' "
    "viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%238a8a8a'/%3E%3C/svg%3E"
)

FILES = {
    "swagger-ui/swagger-ui-bundle.js": None,
    "swagger-ui/swagger-ui.css": None,
    "redoc/redoc.standalone.js": (REDOC_LOGO_URL, REDOC_LOGO_DATA),
}


def main() -> None:
    for name, change in FILES.items():
        src = HERE / name
        data = src.read_bytes()
        if change is not None:
            old, new = (s.encode() for s in change)
            assert data.count(old) == 1, f"{name}: expected {old!r} once"
            data = data.replace(old, new)
        # No time stamp and no file name: the same input gives the same bytes.
        out = zopfli.gzip.compress(data, numiterations=15)
        dst = src.with_name(src.name + ".gz")
        dst.write_bytes(out)
        print(f"{dst.relative_to(HERE)}: {len(data)} -> {len(out)} bytes")


if __name__ == "__main__":
    main()
