"""Incremental syncs into the store: :func:`sync_acled`, :func:`sync_ucdp`, and :func:`read_store`.

ACLED changes in place: new events, edited events (same ``event_id_cnty``, newer
``timestamp``) and deleted ones. The first sync of a query reads all its pages; later
ones ask only for rows with ``timestamp`` at or after the newest one stored (rows with
that same second come again and replace themselves), then apply the deleted-events
endpoint since the previous sync.

UCDP publishes releases. A sync names one; its pages are staged under the query and
become the query's rows only when the last page is in, replacing the previous release
in one transaction. Syncing the release the query already has asks nothing.

Both write page by page, each page and the resume point in one transaction: a sync
killed at any moment leaves the store as it was after some page, and the next run
resumes one page before it stopped (ACLED's pages can shift when events are deleted
meanwhile; the overlap costs one page and catches those). Rows are keyed by id, so no
run stores an event twice.

Examples
--------
>>> from geoconflict.sources.loopback import ACLEDServer
>>> import tempfile
>>> rows = [{"event_id_cnty": f"ARM{i}", "event_date": "2020-10-01", "country": "Armenia", "iso": "51",
...          "latitude": "39.2", "longitude": "46.4", "geo_precision": "1", "timestamp": "1601510400"}
...         for i in range(12)]
>>> with ACLEDServer(rows, users={"me@example.org": "pw"}) as api:
...     result = sync_acled("Armenia", username="me@example.org", password="pw", base_url=api.url,
...                         store=tempfile.mkdtemp(), limit=5)
>>> result.added, result.pages, result.rows
(12, 3, 12)
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..settings import API_RETRIES, API_TOTAL_TIME_S, NETWORK_TIMEOUT_S
from . import acled as _acled_mod
from . import ucdp as _ucdp_mod
from ._rows import to_incidents
from .acled import PAGE_LIMIT, ACLEDClient, ACLEDQuery
from .store import EventStore
from .ucdp import MAX_PAGE_SIZE, UCDPClient, UCDPQuery

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

__all__ = ["SyncResult", "read_store", "sync_acled", "sync_ucdp"]

#: how far before the previous sync the deleted-events check starts: ACLED stamps deletions by its
#: clock, not ours, and deleting an id already gone is harmless
_DELETION_MARGIN_S = 86400.0

Progress = Callable[[int, "int | None"], None]


@dataclass
class SyncResult:
    """What one sync did."""

    source: str
    query: dict
    store: str
    version: str | None = None
    added: int = 0
    updated: int = 0
    deleted: int = 0
    rows: int = 0  # rows the query has in the store afterwards
    pages: int = 0
    resumed: bool = False
    up_to_date: bool = False
    seconds: float = 0.0
    requests: int = 0
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        asked = ", ".join(f"{k}={v}" for k, v in self.query.items()) or "everything"
        what = f"{self.source} ({asked})" + (f" release {self.version}" if self.version else "")
        if self.up_to_date:
            return f"{what}: already synced ({self.rows:,} events in {self.store})"
        done = f"{self.added:,} added, {self.updated:,} updated, {self.deleted:,} deleted"
        again = " (resumed)" if self.resumed else ""
        where = f"{self.rows:,} events in {self.store}"
        return f"{what}: {done}{again}; {where} after {self.pages} pages, {self.seconds:.1f} s"


def _prefetch(pages: Iterator, depth: int = 2) -> Iterator:
    """``pages`` read ahead in a thread: the next page downloads while this one is written.

    DuckDB and the socket release the GIL, so the two overlap. An error in the reader is
    raised here, in order; when the consumer stops early the reader stops at its next page.
    """
    box: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def read() -> None:
        try:
            for item in pages:
                while not stop.is_set():
                    try:
                        box.put((None, item), timeout=0.2)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            box.put((None, done))
        except BaseException as exc:  # handed to the consumer, who raises it
            box.put((exc, None))

    threading.Thread(target=read, daemon=True, name="geoconflict-prefetch").start()
    try:
        while True:
            exc, item = box.get()
            if exc is not None:
                raise exc
            if item is done:
                return
            yield item
    finally:
        stop.set()


def _store(store) -> tuple[EventStore, bool]:
    if isinstance(store, EventStore):
        return store, False
    return EventStore(store), True


def sync_acled(
    country=None,
    *,
    since=None,
    until=None,
    iso=None,
    event_type=None,
    store: EventStore | str | os.PathLike | None = None,
    username: str | None = None,
    password: str | None = None,
    token: str | None = None,
    base_url: str | None = None,
    limit: int = PAGE_LIMIT,
    timeout: float = NETWORK_TIMEOUT_S,
    retries: int = API_RETRIES,
    max_time: float = API_TOTAL_TIME_S,
    progress: Progress | None = None,
) -> SyncResult:
    """Bring the store's rows for an ACLED query up to date (new, edited and deleted events).

    Parameters are those of :func:`~geoconflict.sources.fetch_acled`, plus ``store``: an
    :class:`EventStore`, a path (a ``.duckdb`` file or a folder), or None for
    ``<cache>/events/events.duckdb``. Safe to run twice; after an interruption it resumes.

    Returns
    -------
    SyncResult
        Rows added, updated and deleted, the query's rows afterwards, pages read.
    """
    query = ACLEDQuery(country, iso, since, until, event_type)
    client = ACLEDClient(username, password, token, base_url, timeout, retries, max_time)
    db, own = _store(store)
    t0 = time.perf_counter()
    try:
        result = SyncResult("acled", query.params(), str(db.path))
        state = db.state("acled", query.key())
        start_page, extra = _acled_run(db, query, state, result)
        seen = 0
        pages = client.pages(query, start_page=start_page, limit=limit, extra=extra)
        # the reader thread also turns each page into Arrow: all the GIL-bound work on one side,
        # DuckDB's (which releases the GIL) on the other
        for page, rows, total in _prefetch((p, EventStore.arrow(r), t) for p, r, t in pages):
            added, updated = db.write_acled(rows, query.key(), next_page=page + 1)
            result.added += added
            result.updated += updated
            result.pages += 1
            seen += len(rows)
            if progress is not None:
                progress(seen, total)
        # deletions since the previous completed sync (a first sync reads the current set: none to apply;
        # a resumed incremental run kept the previous check, which begin_run leaves in place)
        if state and state.get("deleted_since") is not None:
            result.deleted = db.delete_acled(client.deleted_since(state["deleted_since"], limit=limit))
        run_started = db.state("acled", query.key())["run_started"]
        result.rows = db.finish_acled(query.key(), deleted_since=run_started - _DELETION_MARGIN_S)
    finally:
        db.flush()  # the pages written so far stay, with their resume point, whatever stopped the run
        if own:
            db.close()
    result.seconds, result.requests = time.perf_counter() - t0, client.http.requests
    return result


def _acled_run(db: EventStore, query: ACLEDQuery, state: dict | None, result: SyncResult) -> tuple[int, dict]:
    """Where this run starts: a resumed page with the interrupted run's filters, or page 1 of a new run."""
    import json

    if state and state["status"] == "running":
        result.resumed = True
        extra = json.loads(state["run_params"]) if state["run_params"] else {}
        return max(1, int(state["next_page"] or 1) - 1), extra
    extra = {}
    if state and state["watermark"] is not None:
        extra = {"timestamp": int(state["watermark"]), "timestamp_where": ">="}
    db.begin_run("acled", query.key(), query.params(), next_page=1, run_params=extra, run_started=time.time())
    return 1, extra


def sync_ucdp(
    version: str,
    country=None,
    *,
    since=None,
    until=None,
    type_of_violence=None,
    store: EventStore | str | os.PathLike | None = None,
    token: str | None = None,
    base_url: str | None = None,
    page_size: int = MAX_PAGE_SIZE,
    timeout: float = NETWORK_TIMEOUT_S,
    retries: int = API_RETRIES,
    max_time: float = API_TOTAL_TIME_S,
    progress: Progress | None = None,
) -> SyncResult:
    """Make ``version`` the store's UCDP release for a query (a new release replaces the old one).

    Parameters are those of :func:`~geoconflict.sources.fetch_ucdp`, plus ``store`` (as in
    :func:`sync_acled`). The release is kept on every row (``ucdp_version``). A release the
    query already has is not asked for again; an interrupted one resumes.
    """
    query = UCDPQuery(country, since, until, type_of_violence)
    client = UCDPClient(token, base_url, timeout=timeout, retries=retries, max_time=max_time)
    db, own = _store(store)
    t0 = time.perf_counter()
    key, version = query.key(), str(version)
    try:
        result = SyncResult("ucdp", query.params(), str(db.path), version=version)
        state = db.state("ucdp", key)
        if state and state["status"] == "done" and state["version"] == version:
            result.up_to_date, result.rows = True, db.staged_rows(key, version)
            return result
        start_page = _ucdp_run(db, query, state, version, result)
        total = 0
        pages = client.pages(version, query, start_page=start_page, page_size=page_size)
        for page, rows, total in _prefetch((p, EventStore.arrow(r), t) for p, r, t in pages):
            db.write_ucdp(rows, key, version, next_page=page + 1)
            result.pages += 1
            if progress is not None:
                progress(min(total, (page + 1) * min(page_size, MAX_PAGE_SIZE)), total)
        staged = db.staged_rows(key, version)
        if staged != total:
            raise _ucdp_mod.SourceError(
                f"UCDP announced {total:,} events for release {version} but {staged:,} arrived: the release is "
                "kept staged, not used; run the sync again"
            )
        before = db.staged_rows(key, state["version"]) if state and state["version"] else 0
        result.rows = db.finish_ucdp(key, version)
        result.added, result.deleted = result.rows, before
    finally:
        db.flush()
        if own:
            db.close()
    result.seconds, result.requests = time.perf_counter() - t0, client.http.requests
    return result


def _ucdp_run(db: EventStore, query: UCDPQuery, state: dict | None, version: str, result: SyncResult) -> int:
    if state and state["status"] == "running" and state["run_version"] == version:
        result.resumed = True
        return max(0, int(state["next_page"] or 0) - 1)
    live = state["version"] if state else None
    db.discard_staged(query.key(), keep=[live])  # pages of an abandoned run of another release
    db.begin_run("ucdp", query.key(), query.params(), next_page=0, run_version=version, run_started=time.time())
    return 0


def read_store(
    source: str,
    *,
    country=None,
    since=None,
    until=None,
    version: str | None = None,
    store: EventStore | str | os.PathLike | None = None,
    warn: bool = True,
) -> geopandas.GeoDataFrame:
    """Incidents from the store for a source, country and period, validated by ``read_incidents``.

    Parameters
    ----------
    source : {"acled", "ucdp"}
    country : str, int or list, optional
        Country names (any case) or codes (ACLED: numeric ISO; UCDP: Gleditsch–Ward).
    since, until : date or ``YYYY-MM-DD``, optional
        Event dates, inclusive.
    version : str, optional
        UCDP only: one release (default: each query's live release).

    Returns
    -------
    geopandas.GeoDataFrame
        The canonical schema plus ``synced_at``, ``sync_query`` and the source's kept columns
        (``ucdp_version`` for UCDP); ``attrs["report"]`` accounts for every row.
    """
    db, own = _store(store)
    try:
        frame = db.frame(source, country=country, since=since, until=until, version=version)
    finally:
        if own:
            db.close()
    mod = _acled_mod if source == "acled" else _ucdp_mod
    keep = (*mod.KEEP, "synced_at", "sync_query")
    return to_incidents(frame, keep=keep, numeric=mod.NUMERIC, columns=mod.COLUMNS, warn=warn)
