"""``geoconflict join``: add admin0/1/2 from boundary polygons to an incident table.

Examples
--------
$ geoconflict join events.csv --boundaries AZE --level 2 -o events_admin.gpkg
$ geoconflict join events.csv --boundaries geoBoundaries-ARM-ADM1.geojson ne_50m_admin_0_countries.geojson -o out.csv
"""

from __future__ import annotations

import argparse
import sys

from ._options import (
    STORE_PREFIX,
    add_boundary_options,
    add_output_option,
    add_tolerance_option,
    load_boundaries_from_args,
    read_store_input,
    warnings_to_stderr,
)

__all__ = ["add_command", "run"]


def add_command(subparsers) -> None:
    j = subparsers.add_parser(
        "join",
        help="add admin0/1/2 from boundary polygons to an incident table",
        description=(
            "Join incidents (CSV with latitude/longitude, GeoJSON, GeoPackage, Parquet …) to administrative "
            "boundaries; every row is kept, rows placed by the nearest-unit rule are flagged in admin_match."
        ),
    )
    j.add_argument("incidents", help="incident file, or the event store: store:acled?country=Armenia")
    add_boundary_options(j, required=True, help_level="levels to use (ISO3 codes: default 1)")
    add_output_option(j, required=True)
    add_tolerance_option(j)
    j.add_argument("--engine", choices=("auto", "pandas", "dask"), default="auto")
    j.add_argument("--no-name-check", action="store_true", help="skip the cross-check of unit names")
    j.set_defaults(func=run)


def _check_engine(engine: str) -> None:
    """``--engine dask`` needs the [scale] extra: say so before reading anything."""
    import importlib.util

    if engine == "dask" and any(importlib.util.find_spec(m) is None for m in ("dask", "dask_geopandas")):
        raise ValueError("--engine dask needs dask and dask-geopandas: pip install 'geoconflict[scale]'")


def run(args: argparse.Namespace) -> int:
    from ..incidents import read_incidents
    from ..io import write
    from ..join import join_admin

    _check_engine(args.engine)
    with warnings_to_stderr():
        spec = args.incidents
        incidents = read_store_input(spec) if spec.startswith(STORE_PREFIX) else read_incidents(spec)
        boundaries = load_boundaries_from_args(args, check_names=not args.no_name_check)
        out = join_admin(incidents, boundaries, tolerance_m=args.tolerance_m, engine=args.engine)
    write(out, args.output)
    done = out.attrs["admin_join"]
    summary = ", ".join(f"{done[k]} {k}" for k in ("inside", "nearest", "partial", "none", "missing") if done[k])
    print(f"{len(out)} incidents written to {args.output}: {summary}", file=sys.stderr)
    return 0
