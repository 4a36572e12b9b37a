"""Streets and addresses of the territory: search text, and reading the Base Adresse Nationale.

The BAN publishes one CSV per département (`adresses-21.csv`, optionally gzipped):
semicolon-separated UTF-8 with a header row (id, id_fantoir, numero, rep, nom_voie,
code_postal, code_insee, nom_commune, …, lon, lat, …). Only the columns below are read.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

BAN_COLUMNS = ("numero", "rep", "nom_voie", "code_postal", "code_insee", "lon", "lat")
# BAN numbers of this value mark a place named without a number (a lieu-dit).
BAN_NO_NUMBER = 99999
MAX_PROBLEMS = 50

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def search_text(value: str) -> str:
    """Lower case, accents and punctuation removed, single spaces: what searches compare.

    "Rue d'Auxonne" and "rue d auxonne" read the same; "Chenôve" is "chenove".
    """
    decomposed = unicodedata.normalize("NFKD", value.translate(_LIGATURES))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_WORD.sub(" ", plain.casefold()).strip()


@dataclass(frozen=True)
class AddressRecord:
    """One numbered address (or, with number None, a named place) of the BAN."""

    line: int
    commune_insee: str
    street: str
    number: int | None
    suffix: str
    postcode: str
    lat: float
    lon: float

    @property
    def housenumber(self) -> str:
        if self.number is None:
            return ""
        return f"{self.number} {self.suffix}".strip()


class AddressFileError(ValueError):
    """The file cannot be read at all (missing, not CSV, wrong columns)."""


@dataclass
class BanReading:
    records: list[AddressRecord]
    problems: list[tuple[int, str]]  # the first MAX_PROBLEMS, each with its line number
    problem_count: int
    skipped_outside: int


def _open(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        handle = _open(path)
    except FileNotFoundError:
        raise AddressFileError(f"{path}: no such file") from None
    with handle:
        reader = csv.DictReader(handle, delimiter=";")
        try:
            header = reader.fieldnames or []
        except (UnicodeDecodeError, gzip.BadGzipFile, csv.Error) as error:
            raise AddressFileError(f"line 1: unreadable header ({error})") from None
        missing = [column for column in BAN_COLUMNS if column not in header]
        if missing:
            raise AddressFileError(
                f"line 1: not a BAN addresses file (semicolon-separated), missing columns: "
                f"{', '.join(missing)}"
            )
        try:
            for row in reader:
                yield reader.line_num, row
        except (UnicodeDecodeError, gzip.BadGzipFile, csv.Error) as error:
            raise AddressFileError(f"line {reader.line_num + 1}: unreadable ({error})") from None


def _record(line: int, row: dict[str, str]) -> AddressRecord:
    """One row checked; ValueError says what is wrong with it."""
    street = (row.get("nom_voie") or "").strip()
    if not street:
        raise ValueError("nom_voie is empty")
    raw_number = (row.get("numero") or "").strip()
    try:
        number: int | None = int(raw_number)
    except ValueError:
        raise ValueError(f"numero {raw_number!r} is not a whole number") from None
    if number is not None and (number <= 0 or number >= BAN_NO_NUMBER):
        number = None
    try:
        lat, lon = float(row.get("lat") or ""), float(row.get("lon") or "")
    except ValueError:
        raise ValueError(
            f"lat/lon {row.get('lat')!r}, {row.get('lon')!r} are not numbers"
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"lat/lon {lat}, {lon} out of range")
    return AddressRecord(
        line=line,
        commune_insee=(row.get("code_insee") or "").strip(),
        street=street[:200],
        number=number,
        suffix=(row.get("rep") or "").strip()[:10],
        postcode=(row.get("code_postal") or "").strip()[:5],
        lat=lat,
        lon=lon,
    )


def read_ban_csv(path: Path, *, insee_codes: Iterable[str]) -> BanReading:
    """Every row of the territory's communes checked; rows of other communes are skipped.

    Raises AddressFileError when the file cannot be read; problems of single rows are
    returned with their line number so that the caller loads nothing when there is one.
    """
    wanted = set(insee_codes)
    reading = BanReading(records=[], problems=[], problem_count=0, skipped_outside=0)
    for line, row in _rows(path):
        if (row.get("code_insee") or "").strip() not in wanted:
            reading.skipped_outside += 1
            continue
        try:
            reading.records.append(_record(line, row))
        except ValueError as error:
            reading.problem_count += 1
            if len(reading.problems) < MAX_PROBLEMS:
                reading.problems.append((line, str(error)))
    return reading


@dataclass(frozen=True)
class StreetRecord:
    """A street (or a named place) and the point that stands for it."""

    commune_insee: str
    street: str
    lat: float
    lon: float
