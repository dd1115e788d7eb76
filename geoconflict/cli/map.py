"""``geoconflict map``: an interactive HTML map of incidents, flagging those outside the conflict zone.

INPUT is a news article (a text file, or ``-`` for stdin), whose attack incidents are
extracted, or an incident table (ACLED or UCDP export, CSV, GeoJSON, GeoPackage,
Parquet …). The command reads, classifies and loads boundaries; the map only draws.

Examples
--------
$ geoconflict map examples/nakhchivan_claim.txt --date 2020-10-16 --zone Nagorno-Karabakh -o map.html --offline
$ geoconflict map acled.csv --zone-file ne_10m_nagorno_karabakh.geojson --boundaries ARM --level 1 -o arm.html
$ geoconflict map events.gpkg --since 2020-09-27 --until 2020-11-10 --tiles none -o autumn.html
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..schema import DATE_COLUMNS, first_column
from ._options import (
    add_boundary_options,
    add_document_options,
    add_output_option,
    add_zone_options,
    load_boundaries_from_args,
    read_input,
    warnings_to_stderr,
    zone_from_args,
)

__all__ = ["add_command", "run"]

#: the base map when --tiles is not given
DEFAULT_TILES = "OpenStreetMap.Mapnik"


def add_command(subparsers) -> None:
    mp = subparsers.add_parser(
        "map",
        help="an interactive HTML map of incidents, flagging those outside the conflict zone",
        description=(
            "Map incidents from an article (text file) or an incident table (ACLED/UCDP export, CSV, GeoJSON, "
            "GeoPackage, Parquet) as one self-contained HTML page: zone, incidents styled by zone status and "
            "event type, popups with claims, denials and sources, legend, time slider, search."
        ),
    )
    mp.add_argument(
        "input", help="an article (.txt, '-' for stdin), an incident table, or the store: store:acled?country=Armenia"
    )
    add_output_option(mp, default="map.html")
    add_zone_options(mp, near=True)
    add_boundary_options(mp)
    mp.add_argument("--no-choropleth", action="store_true", help="draw admin units as outlines, without counts")
    add_document_options(mp, what="an article")
    mp.add_argument("--since", help="only incidents on or after this date (YYYY-MM-DD)")
    mp.add_argument("--until", help="only incidents on or before this date (YYYY-MM-DD)")
    mp.add_argument(
        "--tiles", default=DEFAULT_TILES, help=f"base map: an xyzservices name (default {DEFAULT_TILES}) or none"
    )
    mp.add_argument("--offline", action="store_true", help="inline all scripts and styles: no network needed")
    mp.add_argument("--title", help="the map's title")
    mp.set_defaults(func=run)


def _date_filter(gdf, since: str | None, until: str | None):
    if not since and not until:
        return gdf
    import pandas as pd

    col = first_column(gdf.columns, DATE_COLUMNS)
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


def _summary(m, out: Path) -> str:
    stats = m.incident_stats
    status = stats["status"]
    where = (
        f"; {status['outside']} outside, {status['near']} near, {status['inside']} inside the zone {stats['zone']}"
        if stats["zone"]
        else ""
    )
    return f"{stats['drawn']} incidents mapped{where} → {out} ({out.stat().st_size / 1e6:.1f} MB)"


def run(args: argparse.Namespace) -> int:
    from ..maps import incident_map

    with warnings_to_stderr():
        incidents = _date_filter(read_input(args.input, date=args.date, source=args.source), args.since, args.until)
        zone = zone_from_args(args)
        if zone is not None and len(incidents):
            incidents = zone.classify(incidents, near_km=args.near_km)
        boundaries = load_boundaries_from_args(args) if args.boundaries else None
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
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    m.save(str(out))
    if not m.incident_stats["rows"]:
        print("no incidents found: the map shows the zone and boundaries only", file=sys.stderr)
    print(_summary(m, out), file=sys.stderr)
    return 0
