"""Helpers the command-line modules share: reading an article, building the zone from options."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def read_text(path: str) -> str:
    """An article from a file ('-' for stdin); a file that is not UTF-8 is read as cp1252, and that is said."""
    if path == "-":
        return sys.stdin.read()
    raw = Path(path).read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # not UTF-8: read it as Windows-1252 (common for news exports) and say so
        print(f"geoconflict: {path} is not UTF-8; read as cp1252", file=sys.stderr)
        return raw.decode("cp1252", errors="replace")


def zone_from_args(args: argparse.Namespace):
    """The ConflictZone that ``--zone NAME …`` / ``--zone-file F`` (and ``--near-km``) ask for, or None."""
    from .zones import ConflictZone

    near_km = getattr(args, "near_km", None)
    near = {} if near_km is None else {"near_km": near_km}
    if getattr(args, "zone_file", None):
        return ConflictZone.from_file(args.zone_file, names=args.zone or None, **near)
    if getattr(args, "zone", None):
        return ConflictZone.from_names(args.zone, **near)
    return None
