"""Checking and cleaning an uploaded photo before anything is stored: one gate for every app.

Citizens' report photos and field agents' tablet photos both come through here. A photo
is bounded in bytes, then in pixels from its header alone (decompression bombs), decoded
fully (a truncated file fails here), its content must be a JPEG, PNG or WebP that its name
and declared type do not contradict, and it is re-encoded as JPEG from its pixels only:
EXIF, GPS, XMP, ICC, comments and anything appended after the image (a ZIP, a script of a
polyglot file) are gone. Its GPS position is read only when asked, to suggest a location.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow names multi-picture JPEGs from cameras and phones MPO: still a JPEG on the wire.
ACCEPTED_FORMATS = {
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
}
EXTENSIONS = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
MAX_SIDE = 20_000
MAX_SIDE_STORED = 2048
GPS_IFD = 0x8825
NAME_SHOWN = 80


class PhotoRefused(ValueError):
    """The file cannot be accepted; the message says why, for the person who sent it."""


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


def _read(upload: UploadedFile, name: str, max_bytes: int) -> bytes:
    if upload.size is not None and upload.size > max_bytes:
        raise PhotoRefused(
            _("%(name)s is too large (%(size)s; at most %(limit)s).")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(max_bytes),
            }
        )
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PhotoRefused(
            _("%(name)s is too large (at most %(limit)s).")
            % {"name": name, "limit": filesizeformat(max_bytes)}
        )
    if not data:
        raise PhotoRefused(_("%(name)s is empty.") % {"name": name})
    return data


def _decode(data: bytes, name: str, max_pixels: int) -> tuple[Image.Image, str]:
    """The fully decoded image and its detected format; its header is checked first."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            detected = probe.format or ""
            width, height = probe.size
            if width * height > max_pixels or max(width, height) > MAX_SIDE:
                raise PhotoRefused(
                    _("%(name)s is %(width)d×%(height)d pixels: too large to process.")
                    % {"name": name, "width": width, "height": height}
                )
            if detected not in ACCEPTED_FORMATS:
                raise PhotoRefused(_("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": name})
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except PhotoRefused:
        raise
    except Image.DecompressionBombError:
        raise PhotoRefused(
            _("%(name)s has too many pixels to be processed safely.") % {"name": name}
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise PhotoRefused(
            _("%(name)s is not a readable image, or it is incomplete.") % {"name": name}
        ) from None
    return image, detected


def photo_clean(
    upload: UploadedFile, *, max_bytes: int, max_pixels: int, read_position: bool = False
) -> CleanPhoto:
    """The photo re-encoded without metadata, or PhotoRefused with the reason."""
    original = upload.name or "photo"
    name = original if len(original) <= NAME_SHOWN else original[: NAME_SHOWN - 1] + "…"
    data = _read(upload, name, max_bytes)
    image, detected = _decode(data, name, max_pixels)
    content_type = ACCEPTED_FORMATS[detected]
    extension = "." + original.rsplit(".", 1)[-1].lower() if "." in original else ""
    declared = (upload.content_type or "").lower()
    if (extension in EXTENSIONS and EXTENSIONS[extension] != content_type) or (
        declared.startswith("image/") and declared != content_type
    ):
        raise PhotoRefused(
            _("%(name)s is not what its name or type says (its content is %(format)s).")
            % {"name": name, "format": "JPEG" if detected == "MPO" else detected}
        )
    lat, lon = _gps_position(image) if read_position else (None, None)
    upright = ImageOps.exif_transpose(image).convert("RGB")
    upright.thumbnail((MAX_SIDE_STORED, MAX_SIDE_STORED))
    # Saved from pixels only: Pillow's JPEG writer would copy a comment still in `info`.
    upright.info.clear()
    output = io.BytesIO()
    upright.save(output, format="JPEG", quality=85, optimize=True)
    return CleanPhoto(
        content=ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.jpg"),
        suggested_lat=lat,
        suggested_lon=lon,
    )


def stored_photo_response(name: str) -> FileResponse:
    """A stored photo sent by the application, after the caller's access check.

    Photos are never served straight from the media directory (neither by Django's static
    view nor by the proxy): each app decides who may see its photos, and a photo hidden by
    moderation must answer 404 at the address it had. No shared cache may keep a copy.
    """
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, SuspiciousFileOperation) as error:
        raise Http404(name) from error
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response
