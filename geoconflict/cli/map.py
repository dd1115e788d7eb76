"""``geoconflict map``: a map of incidents, flagging those outside the conflict zone.

INPUT is a news article (a text file, or ``-`` for stdin), whose attack incidents are
extracted, or an incident table (ACLED or UCDP export, CSV, GeoJSON, GeoPackage,
Parquet …). The command reads, classifies and loads boundaries; the map only draws.
``-o`` chooses the output: ``.html`` an interactive page that carries everything it
needs (``--assets cdn`` links Leaflet from its CDN instead), ``.png``/``.svg``/``.pdf``
the printed map (matplotlib; ``--dpi``, ``--size``).

Examples
--------
$ geoconflict map examples/nakhchivan_claim.txt --date 2020-10-16 --zone Nagorno-Karabakh -o map.html
$ geoconflict map examples/nakhchivan_claim.txt --date 2020-10-16 --zone Nagorno-Karabakh -o map.png --dpi 200
$ geoconflict map acled.csv --zone-file ne_10m_nagorno_karabakh.geojson --boundaries ARM --level 1 -o arm.html
$ geoconflict map events.gpkg --since 2020-09-27 --until 2020-11-10 --tiles none -o autumn.html
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from ..schema import DATE_COLUMNS, first_column
from ._options import (
    add_boundary_options,
    add_document_options,
    add_zone_options,
    load_boundaries_from_args,
    read_input,
    warnings_to_stderr,
    zone_from_args,
)

__all__ = ["add_command", "run"]

#: the base map when --tiles is not given
DEFAULT_TILES = "OpenStreetMap.Mapnik"
#: what -o writes, by extension
IMAGE_SUFFIXES = (".png", ".svg", ".pdf")


def add_command(subparsers) -> None:
    mp = subparsers.add_parser(
        "map",
        help="a map of incidents (HTML, PNG, SVG or PDF), flagging those outside the conflict zone",
        description=(
            "Map incidents from an article (text file) or an incident table (ACLED/UCDP export, CSV, GeoJSON, "
            "GeoPackage, Parquet) as one self-contained HTML page: offline base map, zone, incidents styled by "
            "zone status and event type, popups with claims, denials and sources, legend, time slider with a "
            "play button, search, download. With -o map.png (or .svg, .pdf): the same map as an image."
        ),
    )
    mp.add_argument(
        "input", help="an article (.txt, '-' for stdin), an incident table, or the store: store:acled?country=Armenia"
    )
    mp.add_argument(
        "-o", "--output", default="map.html", help="the file to write: .html (default map.html), .png, .svg or .pdf"
    )
    add_zone_options(mp, near=True)
    add_boundary_options(mp)
    mp.add_argument("--no-choropleth", action="store_true", help="draw admin units as outlines, without counts")
    add_document_options(mp, what="an article")
    mp.add_argument("--since", help="only incidents on or after this date (YYYY-MM-DD)")
    mp.add_argument("--until", help="only incidents on or before this date (YYYY-MM-DD)")
    mp.add_argument(
        "--tiles", default=DEFAULT_TILES, help=f"base map: an xyzservices name (default {DEFAULT_TILES}) or none"
    )
    mp.add_argument(
        "--assets",
        choices=("inline", "cdn"),
        default="inline",
        help="inline (default): the page carries all its scripts and styles; cdn: Leaflet from its CDN (with SRI)",
    )
    mp.add_argument("--offline", action="store_true", help="the same as --assets inline (the default)")
    mp.add_argument("--no-basemap", action="store_true", help="leave out the offline base map (Natural Earth)")
    mp.add_argument("--zone-label", help="the legend's credit for the zone's outline (default: the file's name)")
    mp.add_argument("--density", action="store_true", help="start in the density view (hexagons)")
    mp.add_argument("--title", help="the map's title")
    mp.add_argument("--dpi", type=int, default=200, help="image resolution for .png/.svg/.pdf (default 200)")
    mp.add_argument(
        "--size",
        type=_size,
        default=(8.0, 6.0),
        metavar="WxH",
        help="image size in inches for .png/.svg/.pdf (default 8x6)",
    )
    mp.set_defaults(func=run)


def _size(text: str) -> tuple[float, float]:
    """``8x6`` → (8.0, 6.0), for --size."""
    try:
        w, h = (float(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--size takes WIDTHxHEIGHT in inches, e.g. 8x6, not {text!r}") from None
    if w <= 0 or h <= 0:
        raise argparse.ArgumentTypeError("--size: width and height must be positive")
    return w, h


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

    out = Path(args.output)
    image = out.suffix.lower() in IMAGE_SUFFIXES
    # no suffix (a device such as /dev/stdout, or a bare name) is the default page; another one is a mistake
    if not image and out.suffix.lower() not in (".html", ".htm", ""):
        raise ValueError(f"-o {out}: write .html, {', '.join(IMAGE_SUFFIXES)}")
    if image and importlib.util.find_spec("matplotlib") is None:  # say so before the work, not after
        raise ValueError(f"-o {out.name} needs matplotlib: pip install 'geoconflict[print]'")
    # an article's incidents name their source: the file's name, never where it lies on this disk
    source = args.source or (None if args.input == "-" else Path(args.input).name)
    with warnings_to_stderr():
        incidents = _date_filter(read_input(args.input, date=args.date, source=source), args.since, args.until)
        zone = zone_from_args(args)
        if zone is not None and len(incidents):
            incidents = zone.classify(incidents, near_km=args.near_km)
        boundaries = load_boundaries_from_args(args) if args.boundaries else None
        m = incident_map(
            incidents,
            zone=zone,
            zone_label=args.zone_label,
            boundaries=boundaries,
            near_km=args.near_km,
            choropleth=not args.no_choropleth,
            tiles=None if args.tiles.strip().lower() == "none" else args.tiles,
            basemap=not args.no_basemap,
            assets="inline" if args.offline else args.assets,
            density=args.density,
            title=args.title,
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    if image:
        m.to_image(out, dpi=args.dpi, size=args.size)
    else:
        m.save(str(out))
    if not m.incident_stats["rows"]:
        print("no incidents found: the map shows the zone and boundaries only", file=sys.stderr)
    print(_summary(m, out), file=sys.stderr)
    return 0
