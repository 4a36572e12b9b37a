"""Hostile uploads, generated: nothing binary is committed, every file is built here.

Each entry says what the photo gate must do with it: refuse it with a reason (a pattern of
the English message), or accept it and keep only its re-encoded pixels.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from PIL import Image

PAYLOADS = (b"PK\x03\x04", b"<?php", b"<script", b"<html", b"GPSInfo", b"PhoneMaker")


@dataclass(frozen=True)
class Upload:
    id: str
    name: str
    content: bytes
    content_type: str
    refused: str = ""  # a pattern of the reason; empty: accepted and cleaned


def _image(fmt: str, size: tuple[int, int] = (64, 48), **options: object) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(output, format=fmt, **options)
    return output.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _png_declaring(width: int, height: int) -> bytes:
    """A few bytes of PNG whose header declares a huge image."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


def _png_with_text_bomb() -> bytes:
    """A small PNG with a compressed text chunk that inflates to 64 MB."""
    png = _image("PNG", (8, 8))
    bomb = _chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"A" * 64_000_000, 9))
    return png[:33] + bomb + png[33:]  # right after the IHDR chunk


def _zip() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("shell.php", "<?php system($_GET['c']); ?>")
    return output.getvalue()


def _jpeg_with_metadata() -> bytes:
    """As a phone writes it: camera, GPS position, an ICC profile and a comment."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825).update({1: "N", 2: (47.0, 19.0, 21.0), 3: "E", 4: (5.0, 2.0, 30.0)})
    return _image(
        "JPEG",
        exif=exif.tobytes(),
        icc_profile=b"\x00" * 128,
        comment=b"GPSInfo PhoneMaker <script>alert(1)</script>",
    )


def _multi_frame(fmt: str) -> bytes:
    output = io.BytesIO()
    first, second = Image.new("RGB", (32, 32), "blue"), Image.new("RGB", (32, 32), "green")
    first.save(output, format=fmt, save_all=True, append_images=[second], duration=100)
    return output.getvalue()


SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>"""
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"

UNREADABLE = "not a readable image"
NOT_A_PHOTO = "not a JPEG, PNG or WebP"
MISNAMED = "not what its name or type says"
TOO_LARGE = "too large to process|too many pixels"


def corpus() -> list[Upload]:
    jpeg, png = _image("JPEG"), _image("PNG")
    return [
        Upload("jpeg-zip-polyglot", "photo.jpg", jpeg + _zip(), "image/jpeg"),
        Upload("png-html-polyglot", "photo.png", png + HTML, "image/png"),
        Upload("jpeg-php-polyglot", "photo.jpg", jpeg + b"<?php phpinfo(); ?>", "image/jpeg"),
        Upload(
            "decompression-bomb", "bomb.png", _png_declaring(50_000, 50_000), "image/png", TOO_LARGE
        ),
        Upload("huge-dimensions", "big.png", _png_declaring(9000, 9000), "image/png", "9000×9000"),
        Upload("endless-strip", "strip.png", _png_declaring(30_000, 1), "image/png", "30000×1"),
        Upload("text-chunk-bomb", "text.png", _png_with_text_bomb(), "image/png", UNREADABLE),
        Upload("png-named-jpg", "photo.jpg", png, "image/jpeg", MISNAMED),
        Upload("jpeg-declared-png", "photo", jpeg, "image/png", MISNAMED),
        Upload("pdf-named-jpg", "photo.jpg", PDF, "image/jpeg", UNREADABLE),
        Upload("svg-with-script", "logo.svg", SVG, "image/svg+xml", UNREADABLE),
        Upload("svg-named-png", "photo.png", SVG, "image/png", UNREADABLE),
        Upload("html-named-png", "photo.png", HTML, "image/png", UNREADABLE),
        Upload("truncated-jpeg", "photo.jpg", jpeg[: len(jpeg) // 2], "image/jpeg", UNREADABLE),
        Upload("zero-bytes", "photo.jpg", b"", "image/jpeg", "is empty"),
        Upload("gif", "photo.gif", _image("GIF"), "image/gif", NOT_A_PHOTO),
        Upload("tiff", "photo.tiff", _image("TIFF"), "image/tiff", NOT_A_PHOTO),
        Upload("bmp", "photo.bmp", _image("BMP"), "image/bmp", NOT_A_PHOTO),
        Upload("animated-webp", "photo.webp", _multi_frame("WEBP"), "image/webp"),
        Upload("multi-picture-jpeg", "photo.jpg", _multi_frame("MPO"), "image/jpeg"),
        Upload("exif-laden-jpeg", "photo.jpg", _jpeg_with_metadata(), "image/jpeg"),
        Upload("cmyk-jpeg", "photo.jpg", _cmyk_jpeg(), "image/jpeg"),
    ]


def _cmyk_jpeg() -> bytes:
    output = io.BytesIO()
    Image.new("CMYK", (40, 30), (0, 128, 255, 0)).save(output, format="JPEG")
    return output.getvalue()


def assert_cleaned(stored: bytes) -> None:
    """Only pixels are left: a JPEG without metadata and without what was appended."""
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert image.mode == "RGB"
        assert not image.getexif()
        assert "icc_profile" not in image.info
        assert "comment" not in image.info
    assert [payload for payload in PAYLOADS if payload in stored] == []
