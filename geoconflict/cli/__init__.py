"""The ``geoconflict`` command: one module per subcommand, shared options in :mod:`._options`.

Subcommands load only what they need, so ``geoconflict geocode`` starts in a
fraction of a second. The library never imports this package.

Examples
--------
$ geoconflict --version
$ geoconflict geocode Orduba "Naxçıvan" --country AZ
$ geoconflict map examples/nakhchivan_claim.txt --date 2020-10-16 --zone Nagorno-Karabakh -o map.html --offline
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import boundaries, events, extract, geocode, geoparse, join, sync
from . import map as map_command

__all__ = ["COMMANDS", "build_parser", "main"]

#: the subcommands, in the order ``--help`` lists them
COMMANDS = (geocode, geoparse, extract, boundaries, join, map_command, sync, events)


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    p = argparse.ArgumentParser(
        prog="geoconflict",
        description="Map conflict incidents: resolve place names offline, geoparse text, join, classify, map.",
    )
    p.add_argument("--version", action="version", version=f"geoconflict {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_command(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `geoconflict … | head`: the reader left, which is fine
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (ValueError, OSError) as exc:
        from ..boundaries import BoundaryDownloadError

        # bad input, a missing file or an unusable download: one line on stderr, exit status 2
        if isinstance(
            exc, ValueError | FileNotFoundError | IsADirectoryError | PermissionError | BoundaryDownloadError
        ):
            print(f"geoconflict {args.command}: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
