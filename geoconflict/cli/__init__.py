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
    """Run one command; bad input of any kind is exit status 2 and one line on stderr (1 is "unresolved")."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `geoconflict … | head`: the reader left, which is fine
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (ValueError, OSError, ImportError) as exc:
        # bad input, a missing file, an unwritable output, an unusable download, a missing extra
        print(f"geoconflict {args.command}: {_message(exc, getattr(args, 'output', None))}", file=sys.stderr)
        return 2


def _message(exc: BaseException, output: str | None = None) -> str:
    """One line that says what is wrong and, where the error does not, what to do."""
    import errno

    if isinstance(exc, ImportError):
        name = (getattr(exc, "name", None) or str(exc)).split(".")[0]
        extra = "'geoconflict[scale]'" if name in ("dask", "dask_geopandas", "distributed") else name
        return f"this needs the package {name!r}, which is not installed: pip install {extra}"
    if isinstance(exc, OSError) and exc.strerror:  # raised by the system: say where, and what to check
        # a full disk is reported without a file name: it can only be the output being written
        full = exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT) and output
        where = f" ({exc.filename})" if exc.filename else (f" (writing {output})" if full else "")
        return f"{exc.strerror}{where}: check the path, its permissions and the free space"
    return " ".join(str(exc).split()) or type(exc).__name__


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
