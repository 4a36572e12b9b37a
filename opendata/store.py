"""Published tables and rendered bodies, cached against the data's last change.

The version of a dataset is the latest hypervisor event sequence (every service that
changes equipment or incidents publishes an event) plus a time bucket of
OPENDATA_CACHE_SECONDS, which also catches changes made without an event (imports,
seeding). Tables are kept per process, rendered bodies in the shared cache as well, so a
cached full layer is one dictionary or cache read.
"""

from __future__ import annotations

import bisect
import gc
import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter

from django.conf import settings
from django.core.cache import cache

from hypervisor import selectors as hypervisor
from opendata.datasets import Dataset, Table


@dataclass(frozen=True)
class Snapshot:
    dataset: Dataset
    table: Table
    ids: list[str]
    version: str
    modified: datetime
    # Row indexes ordered by longitude, and those longitudes: a bbox read bisects them.
    by_lon: list[int]
    lons: list[float]

    def within_lon(self, low: float, high: float) -> list[int]:
        """Indexes (in id order) of the rows whose longitude lies in [low, high]."""
        start = bisect.bisect_left(self.lons, low)
        end = bisect.bisect_right(self.lons, high)
        return sorted(self.by_lon[start:end])

    def position_after(self, last_id: str) -> int:
        """Index of the first row whose id sorts after `last_id` (cursor pagination)."""
        return bisect.bisect_right(self.ids, last_id)


@dataclass(frozen=True)
class Body:
    content: bytes
    etag: str
    modified: datetime
    # Kept in the shared cache (a whole layer), so its compressed form is worth keeping too.
    shared: bool = False


_lock = threading.Lock()
# Descriptions change only with a deployment: they date from the process start.
_STARTED = datetime.now(tz=UTC).replace(microsecond=0)
_snapshots: dict[str, Snapshot] = {}
_bodies: dict[str, Body] = {}
_compressed: dict[str, bytes] = {}


def version() -> str:
    bucket = int(time.time() // settings.OPENDATA_CACHE_SECONDS)
    return f"{hypervisor.live_sequence()}.{bucket}"


def _modified_at(slug: str, current: str) -> datetime:
    """When this version was first seen, shared by every process through the cache."""
    key = f"opendata:modified:{slug}:{current}"
    cache.add(key, datetime.now(tz=UTC).replace(microsecond=0), timeout=86_400)
    found = cache.get(key)
    return found if isinstance(found, datetime) else datetime.now(tz=UTC).replace(microsecond=0)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Tens of thousands of fresh tuples would trigger full collections for nothing.

    The rows hold no reference cycles, so the cyclic collector is paused while a table is
    built or rendered and resumed right after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def snapshot(dataset: Dataset) -> Snapshot:
    current = version()
    held = _snapshots.get(dataset.slug)
    if held is not None and held.version == current:
        return held
    with _collector_paused():
        return _build(dataset, current)


def _build(dataset: Dataset, current: str) -> Snapshot:
    table = dataset.load()
    if table.shapes is None:
        rows = sorted(table.rows, key=itemgetter(0))
        shapes = None
    else:
        order = sorted(range(len(table.rows)), key=lambda i: table.rows[i][0])
        rows = [table.rows[i] for i in order]
        shapes = [table.shapes[i] for i in order]
    by_lon: list[int] = []
    lons: list[float] = []
    if dataset.spatial:
        every_lon = list(map(itemgetter(dataset.index_of("lon")), rows))
        by_lon = sorted(range(len(rows)), key=every_lon.__getitem__)
        lons = list(map(every_lon.__getitem__, by_lon))
    fresh = Snapshot(
        dataset=dataset,
        table=Table(rows=rows, shapes=shapes),
        ids=[row[0] for row in rows],
        version=current,
        modified=_modified_at(dataset.slug, current),
        by_lon=by_lon,
        lons=lons,
    )
    with _lock:
        _snapshots[dataset.slug] = fresh
    return fresh


def etag_of(content: bytes) -> str:
    """A strong validator: the content's digest (SHA-256 runs in hardware on this class of
    CPU, faster than BLAKE2 over a 10 MB layer)."""
    return hashlib.sha256(content).hexdigest()[:32]


def body(key: str, snap: Snapshot, render: Callable[[], bytes]) -> Body:
    """A rendered body for this snapshot, from memory, the shared cache, or rendered now."""
    full_key = f"opendata:body:{snap.dataset.slug}:{snap.version}:{key}"
    held = _bodies.get(full_key)
    if held is not None:
        return held
    found = cache.get(full_key)
    if not isinstance(found, Body):
        with _collector_paused():
            content = render()
        found = Body(
            content=content,
            etag=etag_of(content),
            modified=snap.modified,
            shared=True,
        )
        cache.set(full_key, found, timeout=settings.OPENDATA_CACHE_SECONDS * 2)
    with _lock:
        # Only the current versions are worth keeping in memory.
        for stale in [k for k in _bodies if k.startswith(f"opendata:body:{snap.dataset.slug}:")]:
            if f":{snap.version}:" not in stale:
                del _bodies[stale]
        _bodies[full_key] = found
    return found


def compressed(body: Body, compress: Callable[[bytes], bytes]) -> bytes:
    """The body compressed once per content, shared by every process through the cache."""
    key = f"opendata:gzip:{body.etag}"
    held = _compressed.get(key)
    if held is None:
        found = cache.get(key)
        if isinstance(found, bytes):
            held = found
        else:
            with _collector_paused():
                held = compress(body.content)
            cache.set(key, held, timeout=settings.OPENDATA_CACHE_SECONDS * 2)
        with _lock:
            if len(_compressed) >= 32:
                _compressed.clear()
            _compressed[key] = held
    return held


def forget() -> None:
    """Drop every table and body held by this process (tests, after a bulk change)."""
    with _lock:
        _snapshots.clear()
        _bodies.clear()
        _compressed.clear()


def metadata_time() -> datetime:
    return _STARTED
