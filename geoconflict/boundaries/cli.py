"""The ``boundaries fetch`` and ``join`` commands; :func:`add_commands` registers them on the main parser.

Nothing heavy is imported until a command runs.

Examples
--------
$ geoconflict boundaries fetch AZE ARM --level 1 2
$ geoconflict join events.csv --boundaries AZE --level 2 -o events_admin.gpkg
$ geoconflict join events.csv --boundaries geoBoundaries-ARM-ADM1.geojson ne_50m_admin_0_countries.geojson -o out.csv
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

__all__ = ["add_commands", "cmd_boundaries_fetch", "cmd_join", "read_incidents_file"]


def _warnings_to_stderr(caught) -> None:
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)


def cmd_boundaries_fetch(args: argparse.Namespace) -> int:
    from ._geoboundaries import BoundaryDownloadError, cached_metadata, fetch_geoboundaries

    failed = 0
    for iso3 in args.iso3:
        for level in args.level:
            try:
                path = fetch_geoboundaries(
                    iso3,
                    level,
                    simplified=not args.full,
                    base_url=args.base_url,
                    cache_dir=args.cache_dir,
                    timeout=args.timeout,
                    retries=args.retries,
                    refresh=args.refresh,
                )
            except (BoundaryDownloadError, ValueError) as exc:
                print(f"geoconflict boundaries fetch: {iso3} ADM{level}: {exc}", file=sys.stderr)
                failed += 1
                continue
            meta = cached_metadata(path) or {}
            print(
                f"{iso3.upper()}\tADM{level}\t{meta.get('features', '?')} units\t{path}\t"
                f"licence: {meta.get('licence') or 'see geoboundaries.org'}"
            )
    return 1 if failed else 0


def _hdx_hashtag_row(df) -> bool:
    """HDX exports carry a second header row of HXL hashtags (#geo+lat …)."""
    if not len(df):
        return False
    first = [str(v) for v in df.iloc[0].tolist() if isinstance(v, str) and v]
    return bool(first) and sum(v.startswith("#") for v in first) >= max(1, len(first) // 2)


def read_incidents_file(path: str):
    """Read an incident table: geoconflict.incidents.read_incidents when present, else by extension.

    CSV needs ``latitude``/``longitude`` columns (an HDX hashtag row is skipped);
    rows whose coordinates are missing or out of range keep an empty geometry.
    """
    try:
        from ..incidents import read_incidents
    except ImportError:
        read_incidents = None
    if read_incidents is not None:
        return read_incidents(path)

    import geopandas as gpd
    import pandas as pd

    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"No such file: {path}")
    ext = p.suffix.lower()
    if ext in (".parquet", ".geoparquet"):
        try:
            return gpd.read_parquet(p)
        except ValueError:  # a plain Parquet table with latitude/longitude
            df = pd.read_parquet(p)
    elif ext in (".csv", ".tsv", ".txt"):
        df = pd.read_csv(p, sep="\t" if ext == ".tsv" else ",", low_memory=False)
        if _hdx_hashtag_row(df):
            df = pd.read_csv(p, sep="\t" if ext == ".tsv" else ",", skiprows=[1], low_memory=False)
    else:
        return gpd.read_file(p, engine="pyogrio")
    from ..join import _as_incidents

    gdf = _as_incidents(df)
    bad = int(gdf.geometry.isna().sum())
    if bad:
        print(f"{path}: {bad} row(s) without valid latitude/longitude kept with an empty geometry", file=sys.stderr)
    return gdf


def cmd_join(args: argparse.Namespace) -> int:
    from ..io import write
    from ..join import join_admin
    from ._geoboundaries import BoundaryDownloadError
    from ._load import load_boundaries

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        incidents = read_incidents_file(args.incidents)
        try:
            boundaries = load_boundaries(
                args.boundaries,
                level=args.level,
                check_names=not args.no_name_check,
                base_url=args.base_url,
                timeout=args.timeout,
                retries=args.retries,
            )
        except BoundaryDownloadError as exc:
            _warnings_to_stderr(caught)
            print(f"geoconflict join: {exc}", file=sys.stderr)
            return 2
        out = join_admin(incidents, boundaries, tolerance_m=args.tolerance_m, engine=args.engine)
    _warnings_to_stderr(caught)
    write(out, args.output)
    done = out.attrs["admin_join"]
    summary = ", ".join(f"{done[k]} {k}" for k in ("inside", "nearest", "partial", "none", "missing") if done[k])
    print(f"{len(out)} incidents written to {args.output}: {summary}", file=sys.stderr)
    return 0


def _download_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--base-url", help="geoBoundaries API root (default $GEOCONFLICT_GEOBOUNDARIES_URL or geoboundaries.org)"
    )
    p.add_argument("--timeout", type=float, default=20.0, help="seconds per network attempt (default 20)")
    p.add_argument("--retries", type=int, default=2, help="further attempts after a network error (default 2)")


def add_commands(subparsers) -> None:
    """Register ``boundaries fetch`` and ``join`` on the main parser's subparsers."""
    b = subparsers.add_parser(
        "boundaries",
        help="download administrative boundaries (geoBoundaries) into the cache",
        description="Administrative boundaries: download once, reuse offline.",
    )
    bsub = b.add_subparsers(dest="boundaries_command", required=True)
    f = bsub.add_parser(
        "fetch",
        help="download geoBoundaries (gbOpen) for ISO3 codes and levels",
        description="Download geoBoundaries gbOpen files into the user cache, checked; later runs reuse them offline.",
    )
    f.add_argument("iso3", nargs="+", help="ISO 3166-1 alpha-3 codes (AZE ARM …)")
    f.add_argument("--level", type=int, nargs="+", default=[1], help="administrative levels (default 1)")
    f.add_argument("--full", action="store_true", help="full-resolution geometry instead of the simplified one")
    f.add_argument("--refresh", action="store_true", help="download again even when cached")
    f.add_argument("--cache-dir", help="cache root (default: the user cache, or $GEOCONFLICT_CACHE_DIR)")
    _download_options(f)
    f.set_defaults(func=cmd_boundaries_fetch)

    j = subparsers.add_parser(
        "join",
        help="add admin0/1/2 from boundary polygons to an incident table",
        description=(
            "Join incidents (CSV with latitude/longitude, GeoJSON, GeoPackage, Parquet …) to administrative "
            "boundaries; every row is kept, rows placed by the nearest-unit rule are flagged in admin_match."
        ),
    )
    j.add_argument("incidents", help="incident file")
    j.add_argument(
        "--boundaries",
        nargs="+",
        required=True,
        metavar="SRC",
        help="boundary files or ISO3 codes (downloaded from geoBoundaries)",
    )
    j.add_argument("--level", type=int, nargs="+", help="levels to use (ISO3 codes: default 1)")
    j.add_argument("-o", "--output", required=True, help="output: .gpkg, .geojson, .csv, .parquet, .fgb, .shp, .kml")
    j.add_argument("--tolerance-m", type=float, default=2000.0, help="nearest-unit tolerance in metres (default 2000)")
    j.add_argument("--engine", choices=("auto", "pandas", "dask"), default="auto")
    j.add_argument("--no-name-check", action="store_true", help="skip the cross-check of unit names")
    _download_options(j)
    j.set_defaults(func=cmd_join)
