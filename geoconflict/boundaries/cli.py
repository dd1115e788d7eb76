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

__all__ = ["add_commands", "cmd_boundaries_fetch", "cmd_join"]


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


def cmd_join(args: argparse.Namespace) -> int:
    from ..incidents import read_incidents
    from ..io import write
    from ..join import join_admin
    from ._geoboundaries import BoundaryDownloadError
    from ._load import load_boundaries

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        incidents = read_incidents(args.incidents)
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
