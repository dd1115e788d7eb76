"""``geoconflict boundaries fetch``: download geoBoundaries into the cache, checked, for offline use.

Examples
--------
$ geoconflict boundaries fetch AZE ARM --level 1 2
$ geoconflict boundaries fetch ARM --cache-dir ./boundaries && geoconflict join events.csv --boundaries ARM \\
      --cache-dir ./boundaries -o joined.gpkg
"""

from __future__ import annotations

import argparse
import sys

from ._options import add_cache_option, add_network_options, check_cache_dir

__all__ = ["add_command", "run_fetch"]


def add_command(subparsers) -> None:
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
    add_cache_option(f)
    add_network_options(f)
    f.set_defaults(func=run_fetch)


def _fetch_one(iso3: str, level: int, args: argparse.Namespace) -> bool:
    from ..boundaries import BoundaryDownloadError, cached_metadata, fetch_geoboundaries

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
        return False
    meta = cached_metadata(path) or {}
    print(
        f"{iso3.upper()}\tADM{level}\t{meta.get('features', '?')} units\t{path}\t"
        f"licence: {meta.get('licence') or 'see geoboundaries.org'}"
    )
    return True


def run_fetch(args: argparse.Namespace) -> int:
    check_cache_dir(args.cache_dir)
    ok = [_fetch_one(iso3, level, args) for iso3 in args.iso3 for level in args.level]
    return 0 if all(ok) else 1
