from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from citizens.photos import PhotoRefused, photo_clean
from tests.citizens.factories import image_bytes, upload


def test_a_stored_photo_has_no_exif_and_no_gps_tags(settings) -> None:
    original = image_bytes(gps=(47.3265, 5.0383))
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the phone wrote GPS
    cleaned = photo_clean(upload(content=original), read_position=True)
    stored = Image.open(io.BytesIO(cleaned.content.read()))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info
    assert "icc_profile" not in stored.info


def test_the_gps_position_is_read_only_when_asked() -> None:
    original = image_bytes(gps=(47.3265, 5.0383))
    assert photo_clean(upload(content=original)).suggested_lat is None
    suggested = photo_clean(upload(content=original), read_position=True)
    assert suggested.suggested_lat == pytest.approx(47.3265, abs=1e-4)
    assert suggested.suggested_lon == pytest.approx(5.0383, abs=1e-4)


@pytest.mark.parametrize(("fmt", "name", "content_type"), [
    ("PNG", "photo.png", "image/png"),
    ("WEBP", "photo.webp", "image/webp"),
])  # fmt: skip
def test_png_and_webp_photos_are_accepted_and_stored_as_jpeg(
    fmt: str, name: str, content_type: str
) -> None:
    cleaned = photo_clean(upload(name, image_bytes(fmt), content_type))
    assert Image.open(io.BytesIO(cleaned.content.read())).format == "JPEG"


def test_a_truncated_photo_is_refused_as_incomplete(english) -> None:
    whole = image_bytes(size=(400, 300))
    with pytest.raises(PhotoRefused, match="incomplete"):
        photo_clean(upload(content=whole[: len(whole) // 2]))


def test_an_oversized_photo_is_refused_with_the_limit(settings, english) -> None:
    settings.CITIZENS_PHOTO_MAX_BYTES = 100_000
    with pytest.raises(PhotoRefused, match="too large"):
        photo_clean(upload(content=b"\xff\xd8" + b"0" * 100_001))


def test_a_photo_whose_name_lies_about_its_type_is_refused(english) -> None:
    with pytest.raises(PhotoRefused, match="its content is PNG"):
        photo_clean(upload("photo.jpg", image_bytes("PNG"), "image/jpeg"))


def test_a_file_that_is_not_an_image_is_refused(english) -> None:
    with pytest.raises(PhotoRefused, match="not a readable image"):
        photo_clean(upload("virus.jpg", b"MZ\x90\x00 this is an executable", "image/jpeg"))


def test_an_accepted_image_format_that_is_not_a_photo_format_is_refused(english) -> None:
    output = io.BytesIO()
    Image.new("RGB", (10, 10)).save(output, format="GIF")
    with pytest.raises(PhotoRefused, match="not a JPEG, PNG or WebP"):
        photo_clean(upload("anim.gif", output.getvalue(), "image/gif"))


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG declaring huge dimensions: a decompression bomb in a few bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_is_refused_before_decoding(english) -> None:
    with pytest.raises(PhotoRefused, match=r"too large to process|too many pixels"):
        photo_clean(upload("bomb.png", _png_header_only(50_000, 50_000), "image/png"))


def test_an_image_with_huge_dimensions_is_refused_with_them(english) -> None:
    with pytest.raises(PhotoRefused, match="9000×9000"):
        photo_clean(upload("big.png", _png_header_only(9000, 9000), "image/png"))
