"""Checking and cleaning citizens' photos before anything is stored.

A photo is decoded fully (a truncated file fails here), its declared type must match its
content, its dimensions are bounded before decoding (decompression bombs), then it is
re-encoded as JPEG from its pixels only: EXIF, GPS, XMP, ICC and comments are all gone.
Its GPS position is read only when the citizen agreed to it, to suggest a location.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
MAX_SIDE_STORED = 2048
GPS_IFD = 0x8825


class PhotoRefused(ValueError):
    """The file cannot be accepted; the message says why, for the citizen."""


@dataclass(frozen=True)
class CleanPhoto:
    content: ContentFile
    suggested_lat: float | None
    suggested_lon: float | None


def _ratio(value: object) -> float:
    return float(value)  # type: ignore[arg-type]


def _gps_position(image: Image.Image) -> tuple[float | None, float | None]:
    gps = image.getexif().get_ifd(GPS_IFD)
    try:
        lat_ref, lat, lon_ref, lon = gps[1], gps[2], gps[3], gps[4]
        latitude = _ratio(lat[0]) + _ratio(lat[1]) / 60 + _ratio(lat[2]) / 3600
        longitude = _ratio(lon[0]) + _ratio(lon[1]) / 60 + _ratio(lon[2]) / 3600
    except (KeyError, IndexError, TypeError, ValueError, ZeroDivisionError):
        return None, None
    if str(lat_ref).upper().startswith("S"):
        latitude = -latitude
    if str(lon_ref).upper().startswith("W"):
        longitude = -longitude
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None, None
    return round(latitude, 6), round(longitude, 6)


def photo_clean(upload: UploadedFile, *, read_position: bool = False) -> CleanPhoto:
    """The photo re-encoded without metadata, or PhotoRefused with the reason."""
    name = upload.name or "photo"
    limit = settings.CITIZENS_PHOTO_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise PhotoRefused(
            _("%(name)s is too large (%(size)s; at most %(limit)s).")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise PhotoRefused(
            _("%(name)s is too large (at most %(limit)s).")
            % {"name": name, "limit": filesizeformat(limit)}
        )
    max_pixels = settings.CITIZENS_PHOTO_MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as probe:
            detected = probe.format or ""
            width, height = probe.size
            if width * height > max_pixels or max(width, height) > 20_000:
                raise PhotoRefused(
                    _("%(name)s is %(width)d×%(height)d pixels: too large to process.")
                    % {"name": name, "width": width, "height": height}
                )
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except PhotoRefused:
        raise
    except Image.DecompressionBombError:
        raise PhotoRefused(
            _("%(name)s has too many pixels to be processed safely.") % {"name": name}
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise PhotoRefused(
            _("%(name)s is not a readable image, or it is incomplete.") % {"name": name}
        ) from None
    if detected not in ACCEPTED_FORMATS:
        raise PhotoRefused(_("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": name})
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    declared = upload.content_type or ""
    if (extension in EXTENSIONS and EXTENSIONS[extension] != detected) or (
        declared.startswith("image/") and declared != ACCEPTED_FORMATS[detected]
    ):
        raise PhotoRefused(
            _("%(name)s is not what its name or type says (its content is %(format)s).")
            % {"name": name, "format": detected}
        )
    lat, lon = _gps_position(image) if read_position else (None, None)
    upright = ImageOps.exif_transpose(image).convert("RGB")
    upright.thumbnail((MAX_SIDE_STORED, MAX_SIDE_STORED))
    output = io.BytesIO()
    # Saved from pixels only: no exif=, icc_profile= or comment= is passed, so none is kept.
    upright.save(output, format="JPEG", quality=85, optimize=True)
    return CleanPhoto(
        content=ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.jpg"),
        suggested_lat=lat,
        suggested_lon=lon,
    )
