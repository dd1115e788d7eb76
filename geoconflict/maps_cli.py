"""The ``map`` command; :func:`add_commands` registers it on the main parser.

INPUT is a news article (a text file, or ``-`` for stdin), whose attack incidents are
extracted, or an incident table (ACLED or UCDP export, CSV, GeoJSON, GeoPackage,
Parquet …). Nothing heavy is imported until the command runs.

Examples
--------
$ geoconflict map examples/nakhchivan_claim.txt --date 2020-10-16 --zone Nagorno-Karabakh -o map.html --offline
$ geoconflict map acled.csv --zone-file ne_10m_nagorno_karabakh.geojson --boundaries ARM --level 1 -o arm.html
$ geoconflict map events.gpkg --since 2020-09-27 --until 2020-11-10 --tiles none -o autumn.html
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from ._cliutil import read_text, zone_from_args

__all__ = ["TEXT_SUFFIXES", "add_commands", "cmd_map", "read_input"]

#: INPUT files read as an article rather than a table
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".article"})


def read_input(path: str, *, date: str | None = None, source: str | None = None):
    """Incidents from an article (extracted) or from an incident table (read and validated)."""
    if path == "-" or Path(path).suffix.lower() in TEXT_SUFFIXES:
        from .extract import extract_incidents

        text = read_text(path)
        return extract_incidents(text, date=date, source=source or (None if path == "-" else path))
    if not Path(path).exists():
        raise FileNotFoundError(f"no such file: {path}")
    from .incidents import read_incidents

    return read_incidents(path)


def _boundaries(args: argparse.Namespace):
    if not args.boundaries:
        return None
    from .boundaries import load_boundaries

    source = args.boundaries if len(args.boundaries) > 1 else args.boundaries[0]
    return load_boundaries(source, level=args.level)


def _date_filter(gdf, since: str | None, until: str | None):
    if not since and not until:
        return gdf
    import pandas as pd

    col = next((c for c in ("event_date", "date", "date_start") if c in gdf.columns), None)
    if col is None:
        raise ValueError("--since/--until: the incidents have no date column (event_date)")
    days = pd.to_datetime(gdf[col], errors="coerce", utc=True).dt.tz_localize(None)
    keep = days.notna()
    if since:
        keep &= days >= pd.Timestamp(since)
    if until:
        keep &= days < pd.Timestamp(until) + pd.Timedelta(days=1)
    dropped = int((~keep).sum())
    if dropped:
        undated = int(days.isna().sum())
        extra = f", {undated} of them undated" if undated else ""
        print(f"{dropped} of {len(gdf)} incidents outside the dates asked for are left out{extra}", file=sys.stderr)
    return gdf[keep.to_numpy()]


def cmd_map(args: argparse.Namespace) -> int:
    from .maps import incident_map

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        incidents = read_input(args.input, date=args.date, source=args.source)
        incidents = _date_filter(incidents, args.since, args.until)
        zone = zone_from_args(args)
        boundaries = _boundaries(args)
        m = incident_map(
            incidents,
            zone=zone,
            boundaries=boundaries,
            near_km=args.near_km,
            choropleth=not args.no_choropleth,
            tiles=None if args.tiles.strip().lower() == "none" else args.tiles,
            offline=args.offline,
            title=args.title,
        )
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    m.save(str(out))
    stats = m.incident_stats
    if not stats["rows"]:
        print("no incidents found: the map shows the zone and boundaries only", file=sys.stderr)
    status = stats["status"]
    where = (
        f"; {status['outside']} outside, {status['near']} near, {status['inside']} inside the zone {stats['zone']}"
        if stats["zone"]
        else ""
    )
    print(
        f"{stats['drawn']} incidents mapped{where} → {out} ({out.stat().st_size / 1e6:.1f} MB)",
        file=sys.stderr,
    )
    return 0


def add_commands(subparsers) -> None:
    """Register ``map`` on ``subparsers`` (from ``ArgumentParser.add_subparsers``)."""
    mp = subparsers.add_parser(
        "map",
        help="an interactive HTML map of incidents, flagging those outside the conflict zone",
        description=(
            "Map incidents from an article (text file) or an incident table (ACLED/UCDP export, CSV, GeoJSON, "
            "GeoPackage, Parquet) as one self-contained HTML page: zone, incidents styled by zone status and "
            "event type, popups with claims, denials and sources, legend, time slider, search."
        ),
    )
    mp.add_argument("input", help="an article (.txt, '-' for stdin) or an incident table")
    mp.add_argument("-o", "--output", default="map.html", help="the HTML file to write (default map.html)")
    mp.add_argument(
        "--zone", nargs="+", metavar="NAME", help="the conflict zone: region name(s), e.g. Nagorno-Karabakh"
    )
    mp.add_argument("--zone-file", help="the conflict zone's outline from a file (GeoJSON, GeoPackage …)")
    mp.add_argument("--near-km", type=float, help="width of the 'near the zone' band, km")
    mp.add_argument(
        "--boundaries", nargs="+", metavar="SRC", help="admin units: boundary file(s) or ISO3 code(s) (geoBoundaries)"
    )
    mp.add_argument("--level", type=int, nargs="+", help="admin level(s) of --boundaries (default 1)")
    mp.add_argument("--no-choropleth", action="store_true", help="draw admin units as outlines, without counts")
    mp.add_argument("--date", help="an article's date, YYYY-MM-DD (resolves 'on Thursday', 'yesterday')")
    mp.add_argument("--source", help="an article's source (default: the file name)")
    mp.add_argument("--since", help="only incidents on or after this date (YYYY-MM-DD)")
    mp.add_argument("--until", help="only incidents on or before this date (YYYY-MM-DD)")
    mp.add_argument(
        "--tiles",
        default="OpenStreetMap.Mapnik",
        help="base map: an xyzservices name (default OpenStreetMap.Mapnik) or none",
    )
    mp.add_argument("--offline", action="store_true", help="inline all scripts and styles: no network needed")
    mp.add_argument("--title", help="the map's title")
    mp.set_defaults(func=cmd_map)
