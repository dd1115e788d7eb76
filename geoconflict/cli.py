"""The ``geoconflict`` command.

Subcommands load only what they need, so ``geoconflict geocode`` starts in a
fraction of a second.

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

from ._cliutil import read_text, zone_from_args


def _names(args_names: Sequence[str]) -> list[str]:
    out: list[str] = []
    for n in args_names:
        if n == "-":
            out += [line.strip() for line in sys.stdin if line.strip()]
        else:
            out.append(n)
    return out


def cmd_geocode(args: argparse.Namespace) -> int:
    from .gazetteer import Gazetteer

    gaz = Gazetteer.default()
    names = _names(args.names)
    if not names:
        print("geoconflict geocode: no names given", file=sys.stderr)
        return 2
    near = tuple(args.near) if args.near else None
    results, unresolved = [], 0
    for name in names:
        if args.limit > 1:
            matches = gaz.candidates(name, limit=args.limit, country=args.country, near=near)
        else:
            m = gaz.resolve(name, country=args.country, near=near)
            matches = [m] if m else []
        if not matches:
            unresolved += 1
            reason = gaz.reason(name) or "not found"
            results.append({"query": name, "matches": [], "reason": reason})
            if not args.json:
                print(f"{name}\tUNRESOLVED\t{reason}")
            continue
        results.append({"query": name, "matches": [m.to_dict(geometry=args.geometry) for m in matches]})
        if not args.json:
            for m in matches:
                admin = f", {m.admin1}" if m.admin1 and m.admin1 != m.name else ""
                print(
                    f"{name}\t{m.name}{admin} ({m.country_code or '—'}, {m.feature_kind})\t"
                    f"{m.latitude:.5f}\t{m.longitude:.5f}\tscore={m.score:.2f}\t{m.match_type}\t"
                    f"{m.source}:{m.source_id}"
                )
    if args.json:
        json.dump(results, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    if unresolved:
        print(f"{unresolved} of {len(names)} names unresolved", file=sys.stderr)
    return 1 if unresolved else 0


def write_frame(gdf, out: str) -> None:
    """Write a GeoDataFrame to a file chosen by its extension (GeoJSON, GPKG, CSV, Parquet …)."""
    from .io import write

    write(gdf, out)


def cmd_geoparse(args: argparse.Namespace) -> int:
    from .geoparse import geoparse

    text = read_text(args.file)
    gdf = geoparse(
        text,
        date=args.date,
        source=args.source or (None if args.file == "-" else args.file),
        demonyms=args.demonyms,
        areas=not args.points,
    )
    for u in gdf.attrs.get("unresolved", []):
        print(f"unresolved: {u['mention']!r} at {u['start']}: {u['reason']}", file=sys.stderr)
    if args.output:
        write_frame(gdf, args.output)
        print(f"{len(gdf)} mentions written to {args.output}", file=sys.stderr)
    elif args.json:
        sys.stdout.write(gdf.to_json(drop_id=True, ensure_ascii=False))
        sys.stdout.write("\n")
    elif args.csv:
        gdf.drop(columns="geometry").to_csv(sys.stdout, index=False)
    else:
        for r in gdf.itertuples():
            print(
                f"{r.start}-{r.end}\t{r.mention}\t{r.name} ({r.country_code or '—'}, {r.feature_kind})\t"
                f"{r.latitude:.5f}\t{r.longitude:.5f}\tscore={r.match_score:.2f}\t{r.match_type}"
            )
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from .extract import extract_incidents

    text = read_text(args.file)
    inc = extract_incidents(text, date=args.date, source=args.source or (None if args.file == "-" else args.file))
    zone = zone_from_args(args)
    if zone is not None:
        inc = zone.classify(inc)
    if args.output:
        write_frame(inc, args.output)
        print(f"{len(inc)} incidents written to {args.output}", file=sys.stderr)
        return 0
    if inc.empty:
        print("no attack incidents found", file=sys.stderr)
        return 0
    for r in inc.itertuples():
        when = r.event_date.date().isoformat() if r.event_date == r.event_date and r.event_date is not None else "?"
        zone_txt = f"\t{r.zone_status} ({r.zone_distance_km:.1f} km)" if zone is not None else ""
        claimed = r.claimed_by if isinstance(r.claimed_by, str) else "—"
        disputed = r.disputed_by if isinstance(r.disputed_by, str) else "—"
        print(
            f"{when}\t{r.location} → {r.matched_name} ({r.admin1}, {r.country_code})\t{r.sub_event_type}\t"
            f"{r.claim_status}: claimed by {claimed}; disputed by {disputed}{zone_txt}"
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="geoconflict",
        description="Map conflict incidents: resolve place names offline, geoparse text, join, classify, map.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    g = sub.add_parser(
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
    g.set_defaults(func=cmd_geocode)

    gp = sub.add_parser(
        "geoparse",
        help="find and place the place mentions of a text (offline)",
        description="Find the place mentions of a text and resolve them with the document's context.",
    )
    gp.add_argument("file", help="a text file ('-' reads stdin)")
    fmt = gp.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print GeoJSON")
    fmt.add_argument("--csv", action="store_true", help="print CSV (latitude/longitude columns)")
    fmt.add_argument("-o", "--output", help="write a file: .geojson, .gpkg, .csv, .parquet, .fgb, .shp, .kml")
    gp.add_argument("--date", help="the document's date (copied into the date column)")
    gp.add_argument("--source", help="the document's source (default: the file name)")
    gp.add_argument("--demonyms", action="store_true", help="also return demonyms ('Armenian forces')")
    gp.add_argument("--points", action="store_true", help="points only: no area geometries for regions")
    gp.set_defaults(func=cmd_geoparse)

    ex = sub.add_parser(
        "extract",
        help="extract attack incidents (place, date, claim, denial) from a news text",
        description="Extract attack incidents from a text; optionally classify them against a conflict zone.",
    )
    ex.add_argument("file", help="a text file ('-' reads stdin)")
    ex.add_argument("--date", help="the article's date, YYYY-MM-DD (resolves 'on Thursday', 'yesterday')")
    ex.add_argument("--source", help="the article's source (default: the file name)")
    ex.add_argument(
        "--zone", nargs="+", metavar="NAME", help="classify against the named region(s), e.g. Nagorno-Karabakh"
    )
    ex.add_argument("--zone-file", help="classify against the outline in this file (GeoJSON, GeoPackage …)")
    ex.add_argument("-o", "--output", help="write a file: .geojson, .gpkg, .csv, .parquet, .fgb, .shp, .kml")
    ex.set_defaults(func=cmd_extract)

    from .boundaries.cli import add_commands as boundary_commands
    from .maps_cli import add_commands as map_commands

    boundary_commands(sub)
    map_commands(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ValueError, FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        print(f"geoconflict {args.command}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `geoconflict … | head`: the reader left, which is fine
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
