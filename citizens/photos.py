"""Citizens' photos go through the command centre's one photo gate, with their own limits.

See `hypervisor.photos`: bounded in bytes and pixels, decoded fully, JPEG, PNG or WebP only,
re-encoded without metadata. The GPS position is read only when the citizen agreed to it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from hypervisor import photos
from hypervisor.photos import CleanPhoto, PhotoRefused

__all__ = ["CleanPhoto", "PhotoRefused", "photo_clean"]


def photo_clean(upload: UploadedFile, *, read_position: bool = False) -> CleanPhoto:
    """The photo re-encoded without metadata, or PhotoRefused with the reason."""
    return photos.photo_clean(
        upload,
        max_bytes=settings.CITIZENS_PHOTO_MAX_BYTES,
        max_pixels=settings.CITIZENS_PHOTO_MAX_PIXELS,
        read_position=read_position,
    )
