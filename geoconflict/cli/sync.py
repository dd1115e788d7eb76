"""``geoconflict sync``: bring the local event store up to date from ACLED's or UCDP's API.

Credentials come from the environment, never from the command line (where ``ps`` and
the shell history would keep them): ``ACLED_USERNAME`` and ``ACLED_PASSWORD`` (asked
for when missing and a terminal is there), or ``ACLED_ACCESS_TOKEN``; ``UCDP_TOKEN``.

Examples
--------
$ geoconflict sync acled --country Armenia --since 2020-09-27
$ geoconflict sync ucdp --version 24.1 --country 373
$ geoconflict sync status
"""

from __future__ import annotations

import argparse
import os
import sys

from ..settings import ACLED_PASSWORD_ENV, ACLED_URL_ENV, ACLED_USERNAME_ENV, UCDP_URL_ENV
from ._options import add_api_options, add_store_option

__all__ = ["add_command", "progress_bar", "run_acled", "run_status", "run_ucdp"]


def add_command(subparsers) -> None:
    s = subparsers.add_parser(
        "sync",
        help="bring the local event store up to date from ACLED's or UCDP's API",
        description=(
            "Fetch what changed since the last sync into the event store (DuckDB): ACLED's new, edited and "
            "deleted events; UCDP's release for the query (a new release replaces the old). Resumes after an "
            "interruption; safe to run twice."
        ),
    )
    ssub = s.add_subparsers(dest="sync_command", required=True)
    a = ssub.add_parser("acled", help="sync ACLED events (myACLED account: $ACLED_USERNAME, $ACLED_PASSWORD)")
    a.add_argument("--country", nargs="+", help="country names as ACLED spells them (a sea: 'Red Sea')")
    a.add_argument("--iso", type=int, nargs="+", help="numeric ISO 3166 codes (51 Armenia, 31 Azerbaijan)")
    a.add_argument("--since", help="first event date, YYYY-MM-DD")
    a.add_argument("--until", help="last event date, YYYY-MM-DD")
    a.add_argument("--event-type", nargs="+", help="ACLED event types ('Battles', 'Explosions/Remote violence' …)")
    a.add_argument("--limit", type=int, default=5000, help="rows per page (default 5000)")
    add_store_option(a)
    add_api_options(a, env=ACLED_URL_ENV)
    a.set_defaults(func=run_acled)
    u = ssub.add_parser("ucdp", help="sync one UCDP GED release (token: $UCDP_TOKEN)")
    u.add_argument("--version", required=True, help="the release: 24.1 (yearly) or 24.0.7 (monthly candidate)")
    u.add_argument("--country", type=int, nargs="+", help="Gleditsch-Ward codes (373 Azerbaijan, 371 Armenia)")
    u.add_argument("--since", help="StartDate, YYYY-MM-DD")
    u.add_argument("--until", help="EndDate, YYYY-MM-DD")
    u.add_argument(
        "--type-of-violence", type=int, nargs="+", choices=(1, 2, 3), help="1 state-based, 2 non-state, 3 one-sided"
    )
    u.add_argument("--page-size", type=int, default=1000, help="events per page (at most 1000)")
    add_store_option(u)
    add_api_options(u, env=UCDP_URL_ENV)
    u.set_defaults(func=run_ucdp)
    st = ssub.add_parser("status", help="the queries in the store: status, release, rows, last sync")
    add_store_option(st)
    st.set_defaults(func=run_status)


def progress_bar(args: argparse.Namespace, what: str):
    """A tqdm bar on stderr (when it is a terminal and tqdm is installed) and a function to close it."""
    if getattr(args, "quiet", False) or not sys.stderr.isatty():
        return None, lambda: None
    try:
        from tqdm import tqdm
    except ImportError:  # the bar is a nicety: syncs run without it
        return None, lambda: None
    bar = tqdm(desc=what, unit=" events", file=sys.stderr, dynamic_ncols=True)

    def update(done: int, total: int | None) -> None:
        if total is not None and bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    return update, bar.close


def _network(args: argparse.Namespace) -> dict:
    return {"base_url": args.base_url, "timeout": args.timeout, "retries": args.retries, "max_time": args.max_time}


def _password_from_terminal() -> str | None:
    """The ACLED password, asked for when a user is named but no password is set (only at a terminal)."""
    if os.environ.get(ACLED_USERNAME_ENV) and not os.environ.get(ACLED_PASSWORD_ENV) and sys.stdin.isatty():
        import getpass

        return getpass.getpass("myACLED password: ") or None
    return None


def _report(run, what: str, args: argparse.Namespace) -> int:
    from ..sources import SourceError  # an OSError too: named for the reader

    update, close = progress_bar(args, what)
    try:
        result = run(update)
    except (SourceError, OSError) as exc:  # the API refused or failed, or the store is busy or unwritable
        close()
        print(f"geoconflict sync: {exc}", file=sys.stderr)
        return 2
    close()
    print(result, file=sys.stderr)
    return 0


def run_acled(args: argparse.Namespace) -> int:
    from ..sources import sync_acled

    password = _password_from_terminal()

    def run(progress):
        return sync_acled(
            args.country,
            password=password,
            since=args.since,
            until=args.until,
            iso=args.iso,
            event_type=args.event_type,
            store=args.store,
            limit=args.limit,
            progress=progress,
            **_network(args),
        )

    return _report(run, "ACLED", args)


def run_ucdp(args: argparse.Namespace) -> int:
    from ..sources import sync_ucdp

    def run(progress):
        return sync_ucdp(
            args.version,
            args.country,
            since=args.since,
            until=args.until,
            type_of_violence=args.type_of_violence,
            store=args.store,
            page_size=args.page_size,
            progress=progress,
            **_network(args),
        )

    return _report(run, f"UCDP {args.version}", args)


def run_status(args: argparse.Namespace) -> int:
    from ..sources import EventStore

    with EventStore(args.store) as store:
        table = store.queries()
        print(f"{store.path}: {len(table)} queries", file=sys.stderr)
    for row in table.itertuples(index=False):
        version = f"\trelease {row.version}" if isinstance(row.version, str) else ""
        print(f"{row.source}\t{row.query}\t{row.status}{version}\t{row.rows} events\tsynced {row.synced_at}")
    return 0
