"""``geoconflict geoparse``: find and place the place mentions of a text (offline).

Examples
--------
$ geoconflict geoparse article.txt -o mentions.geojson
$ geoconflict geoparse - --csv < article.txt
"""

from __future__ import annotations

import argparse
import sys

from ._options import OUTPUT_FORMATS, add_document_options, read_text

__all__ = ["add_command", "run"]


def add_command(subparsers) -> None:
    gp = subparsers.add_parser(
        "geoparse",
        help="find and place the place mentions of a text (offline)",
        description="Find the place mentions of a text and resolve them with the document's context.",
    )
    gp.add_argument("file", help="a text file ('-' reads stdin)")
    fmt = gp.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print GeoJSON")
    fmt.add_argument("--csv", action="store_true", help="print CSV (latitude/longitude columns)")
    fmt.add_argument("-o", "--output", help=f"write a file: {OUTPUT_FORMATS}")
    add_document_options(gp, what="the document")
    gp.add_argument("--demonyms", action="store_true", help="also return demonyms ('Armenian forces')")
    gp.add_argument("--points", action="store_true", help="points only: no area geometries for regions")
    gp.set_defaults(func=run)


def _print_table(gdf) -> None:
    for r in gdf.itertuples():
        print(
            f"{r.start}-{r.end}\t{r.mention}\t{r.name} ({r.country_code or '—'}, {r.feature_kind})\t"
            f"{r.latitude:.5f}\t{r.longitude:.5f}\tscore={r.match_score:.2f}\t{r.match_type}"
        )


def run(args: argparse.Namespace) -> int:
    from ..geoparse import geoparse

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
        from ..io import write

        write(gdf, args.output)
        print(f"{len(gdf)} mentions written to {args.output}", file=sys.stderr)
    elif args.json:
        sys.stdout.write(gdf.to_json(drop_id=True, ensure_ascii=False))
        sys.stdout.write("\n")
    elif args.csv:
        gdf.drop(columns="geometry").to_csv(sys.stdout, index=False)
    else:
        _print_table(gdf)
    return 0
