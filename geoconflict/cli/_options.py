"""Option groups and input helpers the commands share, each defined once.

Defaults come from the library's own constants (:mod:`geoconflict.settings`,
:mod:`geoconflict.zones`), so the command line and the library never disagree.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path

from ..settings import (
    API_RETRIES,
    API_TOTAL_TIME_S,
    CACHE_ENV,
    GEOBOUNDARIES_URL_ENV,
    NETWORK_RETRIES,
    NETWORK_TIMEOUT_S,
    TOLERANCE_M,
)

__all__ = [
    "OUTPUT_FORMATS",
    "STORE_PREFIX",
    "TEXT_SUFFIXES",
    "add_api_options",
    "add_boundary_options",
    "add_cache_option",
    "add_document_options",
    "add_network_options",
    "add_output_option",
    "add_store_option",
    "add_tolerance_option",
    "add_zone_options",
    "check_cache_dir",
    "decode_text",
    "load_boundaries_from_args",
    "read_input",
    "read_stdin",
    "read_store_input",
    "read_text",
    "warnings_to_stderr",
    "zone_from_args",
]

#: what ``-o`` writes, by extension (geoconflict.io.write)
OUTPUT_FORMATS = ".geojson, .gpkg, .csv, .xlsx, .parquet, .fgb, .shp, .kml"
#: INPUT files read as an article rather than a table
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".article"})
#: INPUT read from the synced event store: store:acled?country=Armenia&since=2020-09-27
STORE_PREFIX = "store:"


def add_output_option(p: argparse.ArgumentParser, *, required: bool = False, default: str | None = None) -> None:
    """``-o/--output``: the file to write, its format chosen by the extension."""
    what = "the HTML file to write" if default and default.endswith(".html") else f"write a file: {OUTPUT_FORMATS}"
    suffix = f" (default {default})" if default else ""
    p.add_argument("-o", "--output", required=required, default=default, help=what + suffix)


def add_document_options(p: argparse.ArgumentParser, *, what: str = "the article") -> None:
    """``--date`` and ``--source`` of a text document."""
    p.add_argument("--date", help=f"{what}'s date, YYYY-MM-DD (resolves 'on Thursday', 'yesterday')")
    p.add_argument("--source", help=f"{what}'s source (default: the file name)")


def add_zone_options(p: argparse.ArgumentParser, *, near: bool = False) -> None:
    """``--zone NAME …`` / ``--zone-file F`` (and ``--near-km``): the conflict zone to classify against."""
    p.add_argument("--zone", nargs="+", metavar="NAME", help="the conflict zone: region name(s), e.g. Nagorno-Karabakh")
    p.add_argument("--zone-file", help="the conflict zone's outline from a file (GeoJSON, GeoPackage …)")
    if near:
        from ..settings import NEAR_KM

        p.add_argument("--near-km", type=float, help=f"width of the 'near the zone' band, km (default {NEAR_KM:g})")


def add_cache_option(p: argparse.ArgumentParser) -> None:
    """``--cache-dir``: where downloaded boundaries are kept (shared by fetch, join and map)."""
    p.add_argument("--cache-dir", help=f"boundary cache folder (default: <user cache>/boundaries, or ${CACHE_ENV})")


def add_network_options(p: argparse.ArgumentParser) -> None:
    """``--base-url``, ``--timeout``, ``--retries``: how a download may use the network."""
    p.add_argument("--base-url", help=f"geoBoundaries API root (default ${GEOBOUNDARIES_URL_ENV} or geoboundaries.org)")
    p.add_argument(
        "--timeout",
        type=float,
        default=NETWORK_TIMEOUT_S,
        help=f"seconds per network attempt (default {NETWORK_TIMEOUT_S:g})",
    )
    p.add_argument(
        "--retries",
        type=int,
        default=NETWORK_RETRIES,
        help=f"further attempts after a network error (default {NETWORK_RETRIES})",
    )


def add_store_option(p: argparse.ArgumentParser) -> None:
    """``--store``: the synced event store (shared by sync, events and ``store:`` inputs)."""
    where = f"default: <user cache>/events, or ${CACHE_ENV}/events"
    p.add_argument("--store", help=f"the event store: a .duckdb file or a folder ({where})")


def add_api_options(p: argparse.ArgumentParser, *, env: str) -> None:
    """``--base-url``, ``--timeout``, ``--retries``, ``--max-time``, ``--quiet``: how a sync may use the network."""
    p.add_argument("--base-url", help=f"the API root (default ${env} or the service's own)")
    p.add_argument(
        "--timeout", type=float, default=NETWORK_TIMEOUT_S, help=f"seconds per request (default {NETWORK_TIMEOUT_S:g})"
    )
    p.add_argument(
        "--retries", type=int, default=API_RETRIES, help=f"further attempts after a 429/5xx (default {API_RETRIES})"
    )
    p.add_argument(
        "--max-time",
        type=float,
        default=API_TOTAL_TIME_S,
        help=f"seconds the whole sync may take; it resumes on the next run (default {API_TOTAL_TIME_S:g})",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def add_boundary_options(p: argparse.ArgumentParser, *, required: bool = False, help_level: str = "") -> None:
    """``--boundaries SRC …`` and ``--level N …``, with the cache and network options they use."""
    p.add_argument(
        "--boundaries",
        nargs="+",
        required=required,
        metavar="SRC",
        help="admin units: boundary file(s) or ISO3 code(s) (downloaded from geoBoundaries)",
    )
    p.add_argument("--level", type=int, nargs="+", help=help_level or "admin level(s) of --boundaries (default 1)")
    p.add_argument(
        "--boundaries-crs",
        metavar="CRS",
        help="the CRS of boundary files that do not record one (e.g. EPSG:32638 for UTM metres)",
    )
    add_cache_option(p)
    add_network_options(p)


def add_tolerance_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--tolerance-m",
        type=float,
        default=TOLERANCE_M,
        help=f"nearest-unit tolerance in metres (default {TOLERANCE_M:g})",
    )


def decode_text(raw: bytes, what: str) -> str:
    """Text from bytes: a BOM's UTF, else UTF-8, else what charset-normalizer finds (said on stderr)."""
    from ..incidents import detect_encoding

    codec, _how = detect_encoding(raw[: 1 << 16])
    if codec == "utf-8":
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:  # UTF-8 at the start only
            codec, _how = detect_encoding(raw, utf8=False)
    if not codec.startswith("utf"):
        print(f"geoconflict: {what} is not UTF-8; read as {codec}", file=sys.stderr)
    return raw.decode(codec, errors="replace").lstrip("\ufeff")


def read_stdin() -> str:
    """Standard input as text, whatever its encoding (bytes that are not UTF-8 are not an error)."""
    buffer = getattr(sys.stdin, "buffer", None)
    return decode_text(buffer.read(), "stdin") if buffer is not None else sys.stdin.read()


def read_text(path: str) -> str:
    """An article from a file ('-' for stdin); one that is not UTF-8 is decoded as detected, and that is said."""
    if path == "-":
        return read_stdin()
    return decode_text(Path(path).read_bytes(), path)


def read_input(path: str, *, date: str | None = None, source: str | None = None):
    """Incidents from an article (extracted), an incident table (read and validated) or the event store."""
    if path.startswith(STORE_PREFIX):
        return read_store_input(path)
    if path == "-" or Path(path).suffix.lower() in TEXT_SUFFIXES:
        from ..extract import extract_incidents

        text = read_text(path)
        return extract_incidents(text, date=date, source=source or (None if path == "-" else path))
    if not Path(path).exists():
        raise FileNotFoundError(f"no such file: {path}")
    from ..incidents import read_incidents

    return read_incidents(path)


def read_store_input(spec: str):
    """``store:SOURCE?country=…&since=…&until=…&version=…&store=PATH`` → incidents from the event store."""
    from urllib.parse import parse_qs, urlsplit

    from ..sources import read_store

    parts = urlsplit(spec[len(STORE_PREFIX) :])
    q = parse_qs(parts.query)
    unknown = set(q) - {"country", "since", "until", "version", "store"}
    if unknown:
        names = ", ".join(sorted(unknown))
        raise ValueError(f"{spec}: unknown filter(s) {names} (use country, since, until, version, store)")
    countries = [c for v in q.get("country", []) for c in v.split(",") if c]
    one = {k: q[k][-1] for k in ("since", "until", "version", "store") if k in q}
    return read_store(parts.path, country=countries or None, **one)


#: what --zone-file reads: outline formats pyogrio opens
ZONE_FILE_SUFFIXES = frozenset(
    {".geojson", ".json", ".gpkg", ".shp", ".fgb", ".kml", ".gml", ".parquet", ".geoparquet"}
)


def _zone_file(path: str) -> str:
    """The --zone-file path, checked: an existing file in an outline format."""
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"--zone-file {path}: no such file")
    if p.is_dir():
        raise ValueError(f"--zone-file {path} is a folder: pass the outline file inside it (.geojson, .gpkg, .shp …)")
    if p.suffix.lower() not in ZONE_FILE_SUFFIXES:
        raise ValueError(
            f"--zone-file {path}: a zone is an outline (polygons), not a {p.suffix or 'suffix-less'} file; "
            f"pass one of {', '.join(sorted(ZONE_FILE_SUFFIXES))}, or name the zone with --zone NAME"
        )
    return path


def zone_from_args(args: argparse.Namespace):
    """The ConflictZone that ``--zone NAME …`` / ``--zone-file F`` (and ``--near-km``) ask for, or None."""
    from ..zones import ConflictZone

    near_km = getattr(args, "near_km", None)
    near = {} if near_km is None else {"near_km": near_km}
    if getattr(args, "zone_file", None):
        path = _zone_file(args.zone_file)
        try:
            return ConflictZone.from_file(path, names=args.zone or None, **near)
        except (RuntimeError, KeyError, TypeError, AttributeError) as exc:  # GDAL's and a layout's own errors
            raise ValueError(f"--zone-file {path}: cannot read an outline from it ({exc})") from exc
    if getattr(args, "zone", None):
        return ConflictZone.from_names(args.zone, **near)
    return None


def check_cache_dir(cache_dir: str | None) -> None:
    """``--cache-dir`` must be a folder (or not exist yet): a file there is a clear error, not a traceback."""
    if cache_dir is not None and Path(cache_dir).exists() and not Path(cache_dir).is_dir():
        raise ValueError(f"--cache-dir {cache_dir} is a file: pass a folder (it is created if missing)")


def load_boundaries_from_args(args: argparse.Namespace, **options):
    """The admin units ``--boundaries``/``--level`` name, through the shared cache and network options."""
    from ..boundaries import load_boundaries

    check_cache_dir(args.cache_dir)
    source = args.boundaries if len(args.boundaries) > 1 else args.boundaries[0]
    return load_boundaries(
        source,
        level=args.level,
        base_url=args.base_url,
        cache_dir=args.cache_dir,
        timeout=args.timeout,
        retries=args.retries,
        crs=getattr(args, "boundaries_crs", None),
        **options,
    )


@contextmanager
def warnings_to_stderr():
    """Run the block with every warning recorded, then print each as ``warning: …`` on stderr."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield caught
        finally:
            for w in caught:
                print(f"warning: {w.message}", file=sys.stderr)
