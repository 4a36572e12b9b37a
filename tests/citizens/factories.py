"""Builders for citizens' tests: images with or without hidden data, reports through the service."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from citizens import services
from citizens.models import Report

DIJON = {"lat": 47.3220, "lon": 5.0415}
GPS_IFD = 0x8825


def image_bytes(
    fmt: str = "JPEG", *, size: tuple[int, int] = (64, 48), gps: tuple[float, float] | None = None
) -> bytes:
    """An image; a JPEG may carry camera EXIF tags and a GPS position, as phones write them."""
    image = Image.new("RGB", size, (200, 120, 40))
    output = io.BytesIO()
    if fmt == "JPEG":
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x0110] = "Model X"  # Model
        if gps is not None:
            lat, lon = gps

            def dms(value: float) -> tuple[float, float, float]:
                degrees = int(value)
                minutes = int((value - degrees) * 60)
                seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
                return (float(degrees), float(minutes), seconds)

            exif.get_ifd(GPS_IFD).update({1: "N", 2: dms(lat), 3: "E", 4: dms(lon)})
        image.save(output, format="JPEG", exif=exif.tobytes())
    else:
        image.save(output, format=fmt)
    return output.getvalue()


def upload(
    name: str = "photo.jpg", content: bytes | None = None, content_type: str = "image/jpeg"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes() if content is None else content, content_type)


def form_data(**overrides: Any) -> dict[str, Any]:
    return {
        "category": "eclairage-panne",
        "description": "Lampadaire éteint devant le 12",
        "lat": str(DIJON["lat"]),
        "lon": str(DIJON["lon"]),
        **overrides,
    }


def submit_report(**overrides: Any) -> Report:
    arguments: dict[str, Any] = {
        "category_code": "eclairage-panne",
        "description": "Lampadaire éteint devant le 12",
        "lat": DIJON["lat"],
        "lon": DIJON["lon"],
        "link_duplicates": True,
        **overrides,
    }
    return services.report_submit(**arguments)
