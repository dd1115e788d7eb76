"""``geoconflict geocode``: resolve place names with the offline gazetteer.

Exit status 1 when any name is unresolved.

Examples
--------
$ geoconflict geocode Orduba "Naxçıvan" --country AZ
$ geoconflict geocode --json Stepanakert
$ printf 'Talin\\nGarni\\n' | geoconflict geocode - --country Armenia
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

__all__ = ["add_command", "run"]


def add_command(subparsers) -> None:
    g = subparsers.add_parser(
        "geocode",
        help="resolve place names with the offline gazetteer",
        description="Resolve place names as reporters spell them. Exit status 1 when any name is unresolved.",
    )
    g.add_argument("names", nargs="+", help="place names ('-' reads one name per line from stdin)")
    g.add_argument("--country", help="country the names are in or about (ISO code or name): a strong preference")
    g.add_argument("--near", nargs=2, type=float, metavar=("LAT", "LON"), help="prefer places near this point")
    g.add_argument("--limit", type=int, default=1, help="print up to N candidates per name (default 1)")
    g.add_argument("--json", action="store_true", help="print JSON")
    g.add_argument("--geometry", action="store_true", help="include the geometry as WKT in --json output")
    g.set_defaults(func=run)


def _names(args_names: Sequence[str]) -> list[str]:
    out: list[str] = []
    for n in args_names:
        if n == "-":  # bytes that are not UTF-8 are decoded as detected, not an error
            from ._options import read_stdin

            out += [line.strip() for line in read_stdin().splitlines() if line.strip()]
        else:
            out.append(n)
    return out


def _matches(gaz, name: str, args: argparse.Namespace, near) -> list:
    if args.limit > 1:
        return gaz.candidates(name, limit=args.limit, country=args.country, near=near)
    m = gaz.resolve(name, country=args.country, near=near)
    return [m] if m else []


def _print_matches(name: str, matches: list) -> None:
    for m in matches:
        admin = f", {m.admin1}" if m.admin1 and m.admin1 != m.name else ""
        print(
            f"{name}\t{m.name}{admin} ({m.country_code or '—'}, {m.feature_kind})\t"
            f"{m.latitude:.5f}\t{m.longitude:.5f}\tscore={m.score:.2f}\t{m.match_type}\t"
            f"{m.source}:{m.source_id}"
        )


def run(args: argparse.Namespace) -> int:
    from ..gazetteer import Gazetteer

    names = _names(args.names)
    if not names:
        print("geoconflict geocode: no names given", file=sys.stderr)
        return 2
    gaz = Gazetteer.default()
    near = tuple(args.near) if args.near else None
    results, unresolved = [], 0
    for name in names:
        matches = _matches(gaz, name, args, near)
        if not matches:
            unresolved += 1
            reason = gaz.reason(name) or "not found"
            results.append({"query": name, "matches": [], "reason": reason})
            if not args.json:
                print(f"{name}\tUNRESOLVED\t{reason}")
            continue
        results.append({"query": name, "matches": [m.to_dict(geometry=args.geometry) for m in matches]})
        if not args.json:
            _print_matches(name, matches)
    if args.json:
        json.dump(results, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    if unresolved:
        print(f"{unresolved} of {len(names)} names unresolved", file=sys.stderr)
    return 1 if unresolved else 0
