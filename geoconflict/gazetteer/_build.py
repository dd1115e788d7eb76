"""Assemble the gazetteer's records and write the on-disk name index.

Run once per machine (about a minute); :mod:`._store` then maps the files into
memory in milliseconds. Nothing here runs on the resolve path.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import tempfile
import time
import zlib
from collections import defaultdict
from pathlib import Path

import numpy as np

from ..names import is_latin, normalize, normalize_variants, phonetic_key
from ..settings import cache_root
from . import _features as feat
from . import _sources as src
from ._prior import prior
from ._records import ABBREV, DEMONYM, FORMAT_VERSION, KIND_CODE, PRIMARY, SOURCE_CODE, STRIPPED, PlaceRecord
from ._store import IndexFiles, IndexUnusable, file_checksum, fingerprint, index_dir

log = logging.getLogger(__name__)

#: Bumped whenever the layout of the files or the meaning of a field changes.
#: Phonetic keys shorter than this are not indexed for fuzzy lookup (too many neighbours).
FUZZY_MIN_LEN = 4

_REGION_KINDS = {
    "conflict_region": "region",
    "economic_region": "region",
    "historical_region": "region",
    "region": "region",
    "admin1": "admin1",
    "admin2": "admin2",
}


# ---------------------------------------------------------------------- the overlay
_SPELLING_FLAGS = {"abbreviation": ABBREV, "demonym": DEMONYM, "name": 0}


def _add_spellings(
    filename: str, find, problems: list[str], *, column: str = "aliases", flag: int | None = None
) -> None:
    """Add the ``column`` spellings of each row of an overlay file to the place ``find(row)`` returns.

    ``find`` returns the place, or a string saying why there is none (recorded in
    ``problems``). The row's ``kind`` (abbreviation, demonym, name) sets the flag
    unless ``flag`` is given.
    """
    for row in src.read_csv(filename):
        target = find(row)
        if isinstance(target, str):
            problems.append(f"{filename}: {target}")
            continue
        f = flag if flag is not None else _SPELLING_FLAGS.get(row.get("kind", "name"), 0)
        for spelling in src.split_list(row.get(column, "")):
            target.add_name(spelling, f)


class _TownFinder:
    """Find towns by name within a country, for overlay member lists."""

    def __init__(self, records: list[PlaceRecord]):
        # names are indexed per country on first use: the overlay names towns of a few
        # countries, and normalising every spelling of the world took a tenth of the build
        self._towns: dict[str, list[PlaceRecord]] = defaultdict(list)
        for r in records:
            if r.kind == "town":
                self._towns[r.country_code].append(r)
        self._by: dict[str, dict[str, list[PlaceRecord]]] = {}

    def _names_in(self, cc: str) -> dict[str, list[PlaceRecord]]:
        if cc not in self._by:
            by = self._by[cc] = defaultdict(list)
            for r in self._towns.get(cc, ()):
                for spelling in r.names:
                    by[normalize(spelling)].append(r)
        return self._by[cc]

    def find(self, spec: str, cc: str) -> PlaceRecord | None:
        """A town from ``Name``, ``Name@lat,lon`` (the nearest namesake) or ``Name/CC`` (another country)."""
        name, _, at = spec.partition("@")
        if "/" in name:
            name, cc = name.rsplit("/", 1)
        found = {id(r): r for r in self._names_in(cc).get(normalize(name), [])}.values()
        if not found:
            return None
        if at:
            lat, lon = (float(v) for v in at.split(","))
            return min(found, key=lambda r: (r.lat - lat) ** 2 + (r.lon - lon) ** 2)
        return max(found, key=lambda r: r.population)


def apply_overlay(records: list[PlaceRecord], problems: list[str]) -> list[PlaceRecord]:
    """Add the curated places, spellings and regions of ``data/gazetteer``."""
    records = records + _overlay_places(problems)
    by_id = {r.source_id: r for r in records if r.source in ("geonames", "geoconflict")}
    _add_spellings(
        "aliases.csv",
        lambda row: (
            by_id.get(row.get("geonameid", "")) or f"no place with id {row.get('geonameid')!r} ({row.get('name')})"
        ),
        problems,
        flag=0,
    )
    admin1_by = defaultdict(list)
    for r in records:
        if r.kind == "admin1":
            for s in r.names:
                admin1_by[(r.country_code, normalize(s))].append(r)

    def division(row):
        cc = row.get("country_code", "").upper()
        hits = admin1_by.get((cc, normalize(row.get("admin1", ""))))
        return hits[0] if hits else f"no division {row.get('admin1')!r} in {cc}"

    _add_spellings("admin1_abbreviations.csv", division, problems, column="abbreviations", flag=ABBREV)
    return records + _overlay_regions(_TownFinder(records), admin1_by, problems)


def _overlay_places(problems: list[str]) -> list[PlaceRecord]:
    """The towns of ``places.csv`` (conflict places cities500 lacks), with their spellings."""
    added: list[PlaceRecord] = []
    for row in src.read_csv("places.csv"):
        try:
            rec = PlaceRecord(
                name=row["name"],
                kind="town",
                country_code=row.get("country_code", "").upper(),
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                population=int(float(row["population"])) if row.get("population") else 0,
                admin1=row.get("admin1", ""),
                source="geoconflict",
                source_id=row["id"],
                note=row.get("source", ""),
            )
        except (KeyError, ValueError) as exc:
            problems.append(f"places.csv row {row.get('id')!r} skipped: {exc}")
            continue
        rec.add_name(rec.name, PRIMARY)
        for a in src.split_list(row.get("aliases", "")):
            rec.add_name(a)
        added.append(rec)
    return added


def _overlay_regions(finder: _TownFinder, admin1_by: dict, problems: list[str]) -> list[PlaceRecord]:
    """The regions of ``regions.csv``: spellings joined to a GeoNames division, or areas drawn from member towns."""
    regions = []
    for row in src.read_csv("regions.csv"):
        cc = row.get("country_code", "").upper()
        kind = _REGION_KINDS.get(row.get("kind", ""), "region")
        aliases = src.split_list(row.get("aliases", ""))
        spellings = [row["name"], *aliases]
        if kind == "admin1":
            existing = next(
                (admin1_by[(cc, normalize(s))][0] for s in spellings if admin1_by.get((cc, normalize(s)))), None
            )
            if existing is not None:
                # the curated name and spellings join the GeoNames division
                existing.add_name(existing.name)
                existing.name = row["name"]
                existing.source_id += f"|{row['id']}"
                for s in spellings:
                    existing.add_name(s, PRIMARY if s == row["name"] else 0)
                continue
        members, missing = [], []
        for m in src.split_list(row.get("members", "")):
            t = finder.find(m, cc)
            (members.append(t) if t else missing.append(m))
        if missing:
            problems.append(f"regions.csv {row['id']}: members not found: {', '.join(missing)}")
        if not members:
            problems.append(f"regions.csv {row['id']}: no member found, region skipped")
            continue
        regions.append(_hull_region(row, kind, cc, members, aliases))
    return regions


def _hull_region(row: dict, kind: str, cc: str, members: list[PlaceRecord], aliases: list[str]) -> PlaceRecord:
    """A curated region as the convex hull of its member towns, buffered; the note says so."""
    buffer_km = float(row.get("buffer_km") or 10)
    rec = PlaceRecord(
        name=row["name"],
        kind=kind,
        country_code=cc,
        lat=0.0,
        lon=0.0,
        population=sum(m.population for m in members),
        source="geoconflict",
        source_id=row["id"],
        geometry=src.hull_area([(m.lon, m.lat) for m in members], buffer_km),
        note=(
            f"approximate area: convex hull of {len(members)} member places "
            f"({', '.join(m.name for m in members)}) buffered by {buffer_km:g} km; {row.get('note', '')}"
        ).strip("; "),
    )
    src.place_point(rec)
    rec.add_name(rec.name, PRIMARY)
    for a in aliases:
        rec.add_name(a)
    if normalize(rec.name) in {normalize(m.name) for m in members}:
        rec.prior_scale = src.NAMED_AFTER_TOWN  # "Kalbajar" alone is the town
    return rec


def _world_regions(by_cc: dict[str, PlaceRecord], problems: list[str]) -> list[PlaceRecord]:
    out = []
    for row in src.read_csv("world_regions.csv"):
        members = [m.upper() for m in src.split_list(row.get("member_countries", ""))]
        unknown = [m for m in members if m not in by_cc]
        if unknown:
            problems.append(f"world_regions.csv {row.get('id')}: unknown countries {unknown}")
        kind = "continent" if row.get("kind") == "continent" else "region"
        rec = src._region(row["name"], kind, members, by_cc, "geoconflict", row["id"])
        if rec is None:
            problems.append(f"world_regions.csv {row.get('id')}: no member outline, skipped")
            continue
        rec.country_code = "" if len(set(members)) != 1 else members[0]
        for a in src.split_list(row.get("aliases", "")):
            rec.add_name(a, ABBREV if a.replace(".", "").isupper() else 0)
        out.append(rec)
    return out


def _country_aliases(by_cc: dict[str, PlaceRecord], problems: list[str]) -> None:
    _add_spellings(
        "country_aliases.csv",
        lambda row: by_cc.get(row.get("country_code", "").upper()) or f"unknown country {row.get('country_code')!r}",
        problems,
    )


def _region_aliases(regions: list[PlaceRecord], problems: list[str]) -> None:
    by_name = {r.name: r for r in regions}
    _add_spellings(
        "region_aliases.csv",
        lambda row: by_name.get(row.get("name", "")) or f"no region named {row.get('name')!r}",
        problems,
    )


class Progress:
    """One line on stderr saying which step of the build is running and how long it has taken.

    On a terminal the line is rewritten in place; otherwise (a log, CI) each step is a line.
    """

    def __init__(self, stream=None):
        import sys

        self._stream = stream if stream is not None else sys.stderr
        self._tty = bool(getattr(self._stream, "isatty", lambda: False)())
        self._t0 = time.perf_counter()

    @staticmethod
    def peak_mb() -> float:
        """Peak resident memory of this process so far, MB (0 where the platform does not say)."""
        try:
            import resource
        except ImportError:  # Windows
            return 0.0
        import sys

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024

    def step(self, what: str) -> None:
        line = (
            f"geoconflict: building the gazetteer index: {what} "
            f"({time.perf_counter() - self._t0:.0f} s, peak {self.peak_mb():.0f} MB)"
        )
        try:
            self._stream.write(("\r\x1b[K" + line) if self._tty else line + "\n")
            self._stream.flush()
        except (OSError, ValueError):  # a closed or broken stream never stops the build
            pass

    def done(self) -> None:
        self.step("done")
        if self._tty:
            self._stream.write("\n")


def collect_records(progress: Progress | None = None) -> tuple[list[PlaceRecord], list[str]]:
    """Every place of the default gazetteer, and the problems met on the way."""
    problems: list[str] = []
    step = progress.step if progress is not None else (lambda what: None)
    step("GeoNames towns")
    towns = src.geonames_towns()
    step(f"{len(towns):,} towns; divisions")
    admin1 = src.admin_units(towns)
    feat.add_subdivision_exonyms(admin1)
    step("countries")
    nations = src.countries(towns)
    by_cc = {c.country_code: c for c in nations}
    _country_aliases(by_cc, problems)
    feat.add_country_exonyms(by_cc)
    feat.add_cldr_exonyms(towns, by_cc)
    regions = src.continents(by_cc) + src.un_subregions(by_cc) + _world_regions(by_cc, problems)
    _region_aliases(regions, problems)
    step("physical features and facilities")
    features = feat.physical_features(problems) + feat.curated_facilities(problems) + feat.airports(problems)
    records = apply_overlay(towns + admin1 + nations + regions + features, problems)
    log.info("records: %d", len(records))
    return records, problems


# ------------------------------------------------------------------------ the index
def _radius_km(rec: PlaceRecord) -> float:
    """Radius of the circle with the area's surface (0 for a point): how far its edge may be from its point."""
    if rec.geometry is None:
        return 0.0
    import math

    # square degrees to km², at the area's latitude
    km2 = rec.geometry.area * 111.32 * 110.57 * math.cos(math.radians(rec.lat))
    return math.sqrt(max(km2, 0.0) / math.pi)


def _string_table(values: list[str]) -> tuple[np.ndarray, bytes]:
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return offsets, b"".join(encoded)


def write_index(
    records: list[PlaceRecord],
    directory: Path,
    *,
    fingerprint: dict,
    problems: list[str],
    answers=None,
    progress: Progress | None = None,
) -> None:
    """Write the index files for ``records`` into ``directory`` (which must not exist).

    The files are written to a temporary sibling and renamed into place, so a
    reader never sees a half-written index. ``records`` is consumed: the list is
    emptied once the places are written (they are most of the build's memory). ``answers(directory, keys)``, when given,
    adds the stored answers to names asked without evidence; the resolver provides it
    (:func:`geoconflict.gazetteer.core.write_default_answers`), so this module never
    imports the resolver.
    """
    import marisa_trie
    import shapely

    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=directory.name + ".tmp-", dir=directory.parent))
    try:
        _write_files(records, tmp, fingerprint, problems, marisa_trie, shapely, answers, progress)
        try:
            os.rename(tmp, directory)
        except OSError:
            if not (directory / "manifest.json").exists():
                raise
            # Another process finished the same build first; keep theirs.
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _write_files(records, out: Path, fingerprint, problems, marisa_trie, shapely, answers=None, progress=None) -> None:
    """Every file of one index directory: place columns, name tables, tries, geometries, manifest."""
    step = progress.step if progress is not None else (lambda what: None)
    n_places = len(records)
    step(f"{n_places:,} places; geometries")
    arrays, countries = _place_arrays(records)
    _write_strings(out, arrays, records)
    wkb = [shapely.to_wkb(r.geometry) if r.geometry is not None else b"" for r in records]
    geom_off = np.zeros(len(records) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in wkb], out=geom_off[1:])
    arrays["geom_off"] = geom_off
    (out / "geom.bin").write_bytes(b"".join(wkb))
    del wkb
    step("name keys")
    keys, trie = _write_exact_keys(out, arrays, _postings(records), marisa_trie)
    records.clear()  # written: the places are not needed again (a third of the build's peak memory)
    step(f"{len(keys):,} name keys; misspelling index")
    n_phonetic = _write_fuzzy_keys(out, arrays, keys, trie, marisa_trie)
    del trie
    _write_word_lists(out, marisa_trie)
    arrays["place"] = _place_rows(arrays)
    for name, arr in arrays.items():
        np.save(out / f"{name}.npy", np.ascontiguousarray(arr))
    arrays.clear()

    manifest = {
        "format": FORMAT_VERSION,
        "fingerprint": fingerprint,
        "places": n_places,
        "keys": len(keys),
        "phonetic_keys": n_phonetic,
        "countries": countries,
        "problems": problems,
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    _write_manifest(out, manifest)
    if answers is not None:
        step("stored answers")
        answers(out, keys)
        _write_manifest(out, manifest)


def _place_arrays(records: list[PlaceRecord]) -> tuple[dict[str, np.ndarray], list[str]]:
    """One numpy column per place attribute, and the country codes their ``cc`` ids point to."""
    countries = sorted({r.country_code for r in records})
    cc_id = {c: i for i, c in enumerate(countries)}
    a1_id = {a: i for i, a in enumerate(sorted({r.admin1 for r in records}))}
    arrays = {
        "lat": np.array([r.lat for r in records], dtype=np.float64),
        "lon": np.array([r.lon for r in records], dtype=np.float64),
        "population": np.array([r.population for r in records], dtype=np.int64),
        "radius_km": np.array([_radius_km(r) for r in records], dtype=np.float32),
        "kind": np.array([KIND_CODE[r.kind] for r in records], dtype=np.uint8),
        "source": np.array([SOURCE_CODE[r.source] for r in records], dtype=np.uint8),
        "cc": np.array([cc_id[r.country_code] for r in records], dtype=np.uint16),
        "admin1": np.array([a1_id[r.admin1] for r in records], dtype=np.int32),
    }
    return arrays, countries


#: One row per place with every field a match reads: one ``.item()`` call returns them all
#: (a dozen column reads were half the time of a resolve).
PLACE_ROW = np.dtype(
    [
        ("lat", "f8"),
        ("lon", "f8"),
        ("population", "i8"),
        ("kind", "u1"),
        ("source", "u1"),
        ("cc", "u2"),
        ("admin1", "i4"),
        ("name_a", "i8"),
        ("name_b", "i8"),
        ("source_id_a", "i8"),
        ("source_id_b", "i8"),
        ("note_a", "i8"),
        ("note_b", "i8"),
        ("geom_a", "i8"),
        ("geom_b", "i8"),
    ]
)


def _place_rows(arrays: dict) -> np.ndarray:
    """The per-place columns as rows of :data:`PLACE_ROW`."""
    n = len(arrays["lat"])
    rows = np.zeros(n, dtype=PLACE_ROW)
    for col in ("lat", "lon", "population", "kind", "source", "cc", "admin1"):
        rows[col] = arrays[col]
    for table in ("name", "source_id", "note", "geom"):
        off = arrays[f"{table}_off"]
        rows[f"{table}_a"], rows[f"{table}_b"] = off[:-1], off[1:]
    return rows


def _write_strings(out: Path, arrays: dict, records: list[PlaceRecord]) -> None:
    """The text columns as offset tables into one blob each."""
    tables = {
        "name": [r.name for r in records],
        "source_id": [r.source_id for r in records],
        "note": [r.note for r in records],
        "admin1_names": sorted({r.admin1 for r in records}),
    }
    for name, values in tables.items():
        arrays[f"{name}_off"], blob = _string_table(values)
        (out / f"{name}.bin").write_bytes(blob)


class _Postings:
    """Exact keys and their (place, flags, prior) postings, as typed columns.

    Each posting costs 17 bytes in four arrays (a dict per key took most of the build's
    memory); :meth:`merged` folds the postings of one (key, place) into one.
    """

    def __init__(self):
        from array import array

        self.key_id: dict[str, int] = {}
        self.kid, self.pid, self.flags, self.prior = array("i"), array("i"), array("B"), array("d")

    def add(self, key: str, pid: int, flags: int, prior_: float) -> None:
        kid = self.key_id.setdefault(key, len(self.key_id))
        self.kid.append(kid)
        self.pid.append(pid)
        self.flags.append(flags)
        self.prior.append(prior_)

    def merged(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(key id, place, flags, prior), one row per (key, place): every flag, stripped only if always stripped."""
        kid, pid = np.frombuffer(self.kid, np.int32), np.frombuffer(self.pid, np.int32)
        fl, pr = np.frombuffer(self.flags, np.uint8), np.frombuffer(self.prior, np.float64)
        order = np.lexsort((pid, kid))
        kid, pid, fl, pr = kid[order], pid[order], fl[order], pr[order]
        start = np.flatnonzero(np.r_[True, (kid[1:] != kid[:-1]) | (pid[1:] != pid[:-1])])
        any_fl = np.bitwise_or.reduceat(fl, start)
        all_fl = np.bitwise_and.reduceat(fl, start)
        flags = (any_fl & ~np.uint8(STRIPPED)) | (all_fl & np.uint8(STRIPPED))
        return kid[start], pid[start], flags.astype(np.uint8), np.maximum.reduceat(pr, start)


def _postings(records: list[PlaceRecord]) -> _Postings:
    """Exact keys -> postings (place, flags, prior): every spelling, and its suffix-less key."""
    postings = _Postings()
    add = postings.add
    for pid, r in enumerate(records):
        primary_key = normalize(r.name)
        own_kinds = (r.kind,) if r.kind != "town" else ()
        for spelling, flags in r.names.items():
            full, key, hint = normalize_variants(spelling)
            if not key:
                continue
            if key == primary_key:
                flags |= PRIMARY
            if flags & ABBREV and not (spelling.replace(".", "").replace(" ", "").isupper() or "." in spelling):
                flags &= ~ABBREV  # an abbreviation is one in capitals ("UK") or with its dots ("Calif.")
            add(full, pid, flags, prior(r.kind, r.population, flags, r.prior_scale))
            if key != full:
                # the suffix-less key too; penalised unless the suffix names this kind of place
                # ("Ordubad District" is the district; "Texas City" is not "Texas")
                own = hint in own_kinds or (hint == "admin1" and r.kind in ("admin1", "region"))
                fl = flags if own else flags | STRIPPED
                add(key, pid, fl, prior(r.kind, r.population, fl, r.prior_scale))
    return postings


def _write_exact_keys(out: Path, arrays: dict, postings: _Postings, marisa_trie) -> tuple[list[str], object]:
    """The exact-name trie and its postings (place, flags, prior), best prior first, as CSR arrays."""
    keys = list(postings.key_id)
    kid, pid, fl, pr = postings.merged()
    postings.key_id.clear()
    trie = marisa_trie.Trie(keys)
    tid = np.fromiter((trie[k] for k in keys), dtype=np.int64, count=len(keys))[kid]
    # best prior first; among equals the earlier place (the order places were posted in)
    order = np.lexsort((pid, -pr, tid))
    tid = tid[order]
    ptr = np.zeros(len(keys) + 1, dtype=np.int64)
    np.add.at(ptr, tid + 1, 1)
    np.cumsum(ptr, out=ptr)
    trie.save(str(out / "exact.marisa"))
    arrays.update(
        exact_ptr=ptr,
        exact_place=pid[order].astype(np.int32),
        exact_flag=fl[order],
        exact_prior=pr[order].astype(np.float32),
    )
    return keys, trie


def _write_fuzzy_keys(out: Path, arrays: dict, keys: list[str], trie, marisa_trie) -> int:
    """Phonetic keys -> exact key ids, and deletion neighbourhoods -> phonetic key ids (misspellings).

    The neighbourhoods (about twelve million entries) are collected in typed arrays, four
    bytes an entry: as Python ints in lists they took most of the build's peak memory.
    """
    from array import array

    pkeys, kids = [], array("i")
    for key in keys:
        if is_latin(key):
            pkeys.append(phonetic_key(key))
            kids.append(trie[key])
    ptrie = marisa_trie.Trie(pkeys)
    ptrie.save(str(out / "phonetic.marisa"))
    n_phonetic = len(ptrie)
    # phonetic key -> exact keys as CSR, grouped with one stable sort (no list per key)
    group = np.fromiter((ptrie[p] for p in pkeys), dtype=np.int64, count=len(pkeys))
    del pkeys
    order = np.argsort(group, kind="stable")
    ptr = np.zeros(n_phonetic + 1, dtype=np.int64)
    np.cumsum(np.bincount(group, minlength=n_phonetic), out=ptr[1:])
    arrays["phon_ptr"], arrays["phon_exact"] = ptr, np.frombuffer(kids, dtype=np.int32)[order].copy()
    del group, order, kids
    hashes, ids = array("I"), array("i")
    crc = zlib.crc32
    for pk, pid in ptrie.iteritems():
        if len(pk) < FUZZY_MIN_LEN:
            continue
        # the key and each one-letter deletion (``names.deletions(pk, 1)``; a repeated
        # deletion, as in "aab", is stored twice, which lookups ignore)
        b = pk.encode()
        n = len(b)
        hashes.append(crc(b))
        hashes.extend([crc(b[:i] + b[i + 1 :]) for i in range(n)])
        ids.extend([pid] * (n + 1))
    # sorted by hash as one 64-bit column (hash, key id), in place: an argsort's index
    # array would double the step's memory
    packed = np.frombuffer(hashes, dtype=np.uint32).astype(np.uint64) << np.uint64(32)
    del hashes
    packed |= np.frombuffer(ids, dtype=np.uint32)
    del ids
    packed.sort()
    halves = packed.view(np.uint32).reshape(-1, 2)  # (low, high) words of each entry, little-endian
    lo, hi = (0, 1) if sys.byteorder == "little" else (1, 0)
    arrays["del_hash"] = halves[:, hi].copy()
    arrays["del_phon"] = halves[:, lo].copy().view(np.int32)
    return n_phonetic


#: English words by frequency (wordfreq's Zipf scale: 3 is once per million words, 4.5 about
#: thirty times): a word at all, and an everyday word. A word is never a misspelt place
#: ("parties" is not Paris, "President" not Presidente Médici); an everyday word names a
#: place only when that place is large ("Police" the word before Police, Poland).
WORD_ZIPF = 3.0
EVERYDAY_ZIPF = 4.5


def _write_word_lists(out: Path, marisa_trie) -> None:
    """``words.marisa`` (English words, zipf ≥ :data:`WORD_ZIPF`) and ``everyday.marisa`` (≥ :data:`EVERYDAY_ZIPF`)."""
    words, everyday = [], []
    try:
        import wordfreq
    except ImportError:  # then no word rules: every name is a name
        wordfreq = None
    if wordfreq is not None:
        for w in wordfreq.iter_wordlist("en"):
            z = wordfreq.zipf_frequency(w, "en")
            if z < WORD_ZIPF:
                break
            key = normalize(w)
            if key and " " not in key:
                words.append(key)
                if z >= EVERYDAY_ZIPF:
                    everyday.append(key)
    marisa_trie.Trie(words).save(str(out / "words.marisa"))
    marisa_trie.Trie(everyday).save(str(out / "everyday.marisa"))


def _write_manifest(out: Path, manifest: dict) -> None:
    """The manifest: counts, sources, and each file's size and sampled checksum (see ``_store.file_checksum``)."""
    manifest["files"] = {
        p.name: {"size": p.stat().st_size, "crc32": file_checksum(p)}
        for p in sorted(out.iterdir())
        if p.name != "manifest.json"
    }
    manifest.pop("checksum", None)
    text = json.dumps(manifest, indent=1, ensure_ascii=False)
    signed = {**manifest, "checksum": zlib.crc32(text.encode())}
    (out / "manifest.json").write_text(json.dumps(signed, indent=1, ensure_ascii=False), encoding="utf-8")


def open_index(*, root: Path | None = None, rebuild: bool = False, builder=None, answers=None) -> IndexFiles:
    """Open the index under ``root``, building (or rebuilding) it when it is unusable.

    ``builder`` returns ``(records, problems)``; it defaults to the full default
    gazetteer (:func:`collect_records`). Tests pass a small one. ``answers`` is passed
    on to :func:`write_index`.

    The index's name (``index-v<format>-<fingerprint>``) is a symbolic link to the
    folder of one build. A rebuild writes a new folder and swaps the link in one
    atomic rename, so a process still reading the old build keeps its files (they
    are removed only two builds later).
    """
    root = Path(root) if root is not None else cache_root()
    fp = fingerprint()
    link = index_dir(root, fp)
    if not rebuild:
        try:
            return IndexFiles(link, fp)
        except IndexUnusable as exc:
            if link.exists():
                log.warning("gazetteer index at %s is unusable (%s); rebuilding", link, exc)
        except Exception as exc:  # a damaged file can fail in many ways; all mean "rebuild"
            log.warning("gazetteer index at %s failed to open (%r); rebuilding", link, exc)
    log.warning("building the gazetteer index in %s (once per machine, about a minute)", link)
    progress = Progress() if builder is None else None
    build = link.with_name(f"{link.name}.build-{time.time_ns():x}-{os.getpid()}")
    records, problems = builder() if builder is not None else collect_records(progress)
    write_index(records, build, fingerprint=fp, problems=problems, answers=answers, progress=progress)
    del records
    _swap_link(link, build)
    _remove_old_builds(link)
    if progress is not None:
        progress.done()
    return IndexFiles(link, fp)


def _swap_link(link: Path, build: Path) -> None:
    """Point ``link`` at ``build`` in one rename (a folder left by an older layout is moved aside first)."""
    if link.is_dir() and not link.is_symlink():
        aside = link.with_name(f"{link.name}.build-old-{time.time_ns():x}")
        os.rename(link, aside)
    tmp = link.with_name(f".{link.name}.link-{os.getpid()}-{time.time_ns():x}")
    os.symlink(build.name, tmp)
    os.replace(tmp, link)


#: Superseded builds kept for processes that still read them (an older installed version,
#: a long-running notebook); older ones are removed.
KEEP_OLD_BUILDS = 2


def _remove_old_builds(link: Path) -> None:
    """Remove builds no link points at, beyond the :data:`KEEP_OLD_BUILDS` most recent."""
    parent = link.parent
    live = {(parent / os.readlink(p)).name for p in parent.glob("index-v*") if p.is_symlink()}
    old = [
        d
        for d in parent.glob("index-v*.build-*")
        if d.is_dir() and not d.is_symlink() and d.name not in live and ".tmp-" not in d.name
    ]
    for d in sorted(old, key=lambda d: d.stat().st_mtime, reverse=True)[KEEP_OLD_BUILDS:]:
        shutil.rmtree(d, ignore_errors=True)
    stale_links = [p for p in parent.glob("index-v*") if p.is_symlink() and p != link]
    for p in sorted(stale_links, key=lambda p: p.lstat().st_mtime, reverse=True)[KEEP_OLD_BUILDS:]:
        target = parent / os.readlink(p)
        p.unlink(missing_ok=True)
        shutil.rmtree(target, ignore_errors=True)
