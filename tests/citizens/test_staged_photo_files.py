"""No photo file outlives a refused post, and orphan files are swept.

Replays the review's finding: valid photos staged before a refused one in the same post
lost their rows (rolled back) but kept their files on disk forever.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from citizens import services
from citizens.models import StagedPhoto
from tests.citizens.factories import upload


def _files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def test_valid_photos_before_a_refused_one_leave_no_file(db, settings) -> None:
    with pytest.raises(services.PhotoRefused):
        services.photos_stage(
            form_token="r" * 32,
            uploads=[upload("a.jpg"), upload("b.jpg"), upload("c.gif", b"GIF89a-not-a-photo")],
        )
    assert not StagedPhoto.objects.exists()
    assert _files(settings.MEDIA_ROOT) == []


def test_orphan_photo_files_are_swept_once_old(db, settings) -> None:
    [kept] = services.photos_stage(form_token="s" * 32, uploads=[upload()])
    orphan = Path(settings.MEDIA_ROOT) / "staging" / "2026" / "01" / "orphan.jpg"
    fresh = orphan.with_name("fresh-orphan.jpg")
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"x")
    fresh.write_bytes(b"x")
    old = time.time() - (settings.CITIZENS_STAGING_HOURS + 1) * 3600
    os.utime(orphan, (old, old))
    services.staged_photos_sweep()
    assert not orphan.exists()
    assert fresh.exists()  # perhaps a row about to be committed
    assert Path(kept.image.path).exists()  # positive control: a referenced file stays
