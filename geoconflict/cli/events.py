"""``geoconflict events``: incidents from the local event store, for a country and period, to a file.

Every other command reads the store too, as ``store:SOURCE?country=…&since=…``:
``geoconflict map "store:acled?country=Armenia&since=2020-09-27" -o map.html``.

Examples
--------
$ geoconflict events --source acled --country Armenia -o armenia.gpkg
$ geoconflict events --source ucdp --country 482 --since 2020-01-01 -o caf.geojson
"""

from __future__ import annotations

import argparse
import sys

from ._options import add_output_option, add_store_option, warnings_to_stderr

__all__ = ["add_command", "run"]


def add_command(subparsers) -> None:
    e = subparsers.add_parser(
        "events",
        help="incidents from the local event store (after geoconflict sync), to a file",
        description=(
            "Read synced events from the store for a source, country and period, validated like any incident "
            "table; write them (-o) or print a summary."
        ),
    )
    e.add_argument("--source", required=True, choices=("acled", "ucdp"))
    e.add_argument("--country", nargs="+", help="country names (any case) or codes (ACLED ISO numbers, UCDP GW codes)")
    e.add_argument("--since", help="first event date, YYYY-MM-DD")
    e.add_argument("--until", help="last event date, YYYY-MM-DD")
    e.add_argument("--version", help="UCDP: one release (default: each query's current one)")
    add_output_option(e)
    add_store_option(e)
    e.set_defaults(func=run)


def _summary(gdf) -> str:
    if not len(gdf):
        return "no events in the store for this question (run geoconflict sync first?)"
    dates = gdf["event_date"].dropna()
    span = f", {dates.min():%Y-%m-%d} … {dates.max():%Y-%m-%d}" if len(dates) else ""
    countries = gdf["country"].value_counts().head(5)
    top = ", ".join(f"{c} {n:,}" for c, n in countries.items())
    invalid = int((~gdf["valid"].astype(bool)).sum())
    return f"{len(gdf):,} events{span}: {top}" + (f"; {invalid:,} without a usable location" if invalid else "")


def _read(source, **query):
    from ..sources import read_store

    try:
        return read_store(source, **query)
    except OSError as exc:  # a store another process is writing, or a path that is not one
        raise ValueError(f"the event store: {exc}") from None


def run(args: argparse.Namespace) -> int:
    with warnings_to_stderr():
        gdf = _read(
            args.source,
            country=args.country,
            since=args.since,
            until=args.until,
            version=args.version,
            store=args.store,
        )
    print(_summary(gdf), file=sys.stderr)
    if args.output:
        from ..io import write

        write(gdf, args.output)
        print(f"{len(gdf):,} events written to {args.output}", file=sys.stderr)
    return 0
