"""``geoconflict extract``: attack incidents (place, date, claim, denial) from a news text.

Examples
--------
$ geoconflict extract article.txt --date 2020-10-16 --zone Nagorno-Karabakh -o incidents.gpkg
"""

from __future__ import annotations

import argparse
import sys

from ._options import add_document_options, add_output_option, add_zone_options, read_text, zone_from_args

__all__ = ["add_command", "run"]


def add_command(subparsers) -> None:
    ex = subparsers.add_parser(
        "extract",
        help="extract attack incidents (place, date, claim, denial) from a news text",
        description="Extract attack incidents from a text; optionally classify them against a conflict zone.",
    )
    ex.add_argument("file", help="a text file ('-' reads stdin)")
    add_document_options(ex)
    add_zone_options(ex, near=True)
    add_output_option(ex)
    ex.set_defaults(func=run)


def _print_incidents(inc, zoned: bool) -> None:
    for r in inc.itertuples():
        when = r.event_date.date().isoformat() if r.event_date == r.event_date and r.event_date is not None else "?"
        zone_txt = f"\t{r.zone_status} ({r.zone_distance_km:.1f} km)" if zoned else ""
        claimed = r.claimed_by if isinstance(r.claimed_by, str) else "—"
        disputed = r.disputed_by if isinstance(r.disputed_by, str) else "—"
        print(
            f"{when}\t{r.location} → {r.matched_name} ({r.admin1}, {r.country_code})\t{r.sub_event_type}\t"
            f"{r.claim_status}: claimed by {claimed}; disputed by {disputed}{zone_txt}"
        )


def run(args: argparse.Namespace) -> int:
    from ..extract import extract_incidents

    text = read_text(args.file)
    inc = extract_incidents(text, date=args.date, source=args.source or (None if args.file == "-" else args.file))
    zone = zone_from_args(args)
    if zone is not None:
        inc = zone.classify(inc)
    if args.output:
        from ..io import write

        write(inc, args.output)
        print(f"{len(inc)} incidents written to {args.output}", file=sys.stderr)
        return 0
    if inc.empty:
        print("no attack incidents found", file=sys.stderr)
        return 0
    _print_incidents(inc, zone is not None)
    return 0
