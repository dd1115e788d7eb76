"""The local event store: one DuckDB file holding each source's rows, where they came from, and sync state.

Why DuckDB: a sync writes page by page and must survive being killed between two
pages; an incremental ACLED update replaces rows by id and deletes others; a UCDP
release replaces the previous one all at once. Those are transactions, which an
embedded database gives and a folder of Parquet files with a manifest would have to
imitate. DuckDB is columnar, so a country-and-period question over a million rows
is answered in milliseconds, and it reads and writes Arrow without copies.

Layout (``<cache>/events/events.duckdb`` unless a path is given):

``acled``       one row per ``event_id_cnty`` (ACLED's columns as text, as the API sends them)
                + ``_event_date``, ``_country``, ``_iso``, ``_timestamp`` for queries and
                ``_query``/``_synced_at``: the query and the time that wrote the row
``ucdp``        one row per (query, release, ``id``): UCDP's columns as text + ``_version``;
                a release becomes the query's live one only once all its pages are in
``sync_state``  per (source, query): the filters, status (``running``/``done``), the page to
                resume from, ACLED's timestamp watermark and deletion check, UCDP's live release

No credential is ever written here: the store holds rows and queries, never tokens.

Examples
--------
>>> import tempfile, pathlib
>>> with EventStore(pathlib.Path(tempfile.mkdtemp()) / "demo.duckdb") as store:
...     store.write_acled([{"event_id_cnty": "ARM1", "event_date": "2020-09-27", "country": "Armenia",
...                         "iso": "51", "timestamp": "1601251200"}], "acled?{}", next_page=2)
...     store.frame("acled", country="Armenia")[["event_id_cnty", "event_date"]].values.tolist()
(1, 0)
[['ARM1', '2020-09-27']]
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..settings import cache_dir
from ._rows import iso_date

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["SOURCES", "STORE_FILE", "EventStore", "default_store_path"]

STORE_FILE = "events.duckdb"
SOURCES = ("acled", "ucdp")

_STATE_COLUMNS = (
    "source",
    "query_key",
    "query_json",
    "status",
    "version",
    "run_version",
    "next_page",
    "run_params",
    "run_max_ts",
    "watermark",
    "deleted_since",
    "run_started",
    "synced_at",
)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS sync_state (
    source VARCHAR, query_key VARCHAR, query_json VARCHAR, status VARCHAR, version VARCHAR,
    run_version VARCHAR, next_page BIGINT, run_params VARCHAR, run_max_ts BIGINT, watermark BIGINT,
    deleted_since DOUBLE, run_started DOUBLE, synced_at TIMESTAMP, PRIMARY KEY (source, query_key));
CREATE TABLE IF NOT EXISTS acled (
    event_id_cnty VARCHAR, _event_date DATE, _country VARCHAR, _iso INTEGER, _timestamp BIGINT,
    _query VARCHAR, _synced_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS ucdp (
    _query VARCHAR, _version VARCHAR, id VARCHAR, _event_date DATE, _country VARCHAR, _country_id INTEGER,
    _synced_at TIMESTAMP);
"""
#: columns the store adds to a source's own (the key column is the source's)
_OWN = {
    "acled": ("_event_date", "_country", "_iso", "_timestamp", "_query", "_synced_at"),
    "ucdp": ("_query", "_version", "_event_date", "_country", "_country_id", "_synced_at"),
}
_KEY = {"acled": "event_id_cnty", "ucdp": "id"}


def default_store_path() -> Path:
    """``<cache root>/events/events.duckdb`` (``$GEOCONFLICT_CACHE_DIR`` or the user cache)."""
    return cache_dir("events") / STORE_FILE


def _q(name: str) -> str:
    """A column name quoted for SQL (source columns are data: quote them, whatever they hold)."""
    return '"' + str(name).replace('"', '""') + '"'


class EventStore:
    """The DuckDB file of synced events (``path``: a ``.duckdb`` file or a folder to hold one).

    Open it with ``with EventStore(path) as store:``; DuckDB lets one process write a
    file at a time, so a second process syncing into the same store waits for an error
    that says so rather than corrupting it.
    """

    def __init__(self, path: str | os.PathLike | None = None):
        p = Path(path) if path is not None else default_store_path()
        self.path = p if p.suffix == ".duckdb" else p / STORE_FILE
        self._con = None
        self._known: dict[str, list[str]] = {}
        self._open, self._group_rows, self._group_t = False, 0, 0.0
        self._ids: set[str] | None = None

    def __repr__(self) -> str:
        return f"EventStore({str(self.path)!r})"

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def con(self):
        if self._con is None:
            try:
                import duckdb
            except ImportError:  # pragma: no cover - duckdb is in the [live] extra
                raise ImportError("the event store needs DuckDB: pip install duckdb (or geoconflict[live])") from None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._con = duckdb.connect(str(self.path))
            except duckdb.IOException as exc:
                raise OSError(f"cannot open the event store {self.path}: {exc}") from None
            self._con.execute(_SCHEMA)
        return self._con

    def close(self) -> None:
        if self._con is not None:
            self.flush()
            self._con.close()
            self._con = None
            self._known.clear()
            self._ids = None

    # ------------------------------------------------------------------ sync state
    def state(self, source: str, query_key: str) -> dict | None:
        """The sync state of one query, or None before its first sync."""
        cols = ", ".join(_STATE_COLUMNS)
        row = self.con.execute(
            f"SELECT {cols} FROM sync_state WHERE source = ? AND query_key = ?", [source, query_key]
        ).fetchone()
        return dict(zip(_STATE_COLUMNS, row, strict=True)) if row else None

    def begin_run(self, source: str, query_key: str, query: dict, *, next_page: int, **fields: Any) -> None:
        """Mark a query's sync as running from ``next_page`` (``fields``: run_version, run_params, run_started)."""
        values = {"status": "running", "next_page": next_page, "run_max_ts": None, **fields}
        if "run_params" in values and not isinstance(values["run_params"], str | None):
            values["run_params"] = json.dumps(values["run_params"])
        con = self.con
        con.execute(
            "INSERT INTO sync_state (source, query_key, query_json) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [source, query_key, json.dumps(query, sort_keys=True)],
        )
        sets = ", ".join(f"{k} = ?" for k in values)
        con.execute(
            f"UPDATE sync_state SET {sets} WHERE source = ? AND query_key = ?", [*values.values(), source, query_key]
        )

    def queries(self) -> pd.DataFrame:
        """Every synced query: source, filters, status, release, rows, last sync."""
        return self.con.execute(
            """SELECT s.source, s.query_json AS query, s.status, s.version, s.synced_at,
                   coalesce(a.n, u.n, 0) AS rows
               FROM sync_state s
               LEFT JOIN (SELECT _query, count(*) AS n FROM acled GROUP BY _query) a
                    ON s.source = 'acled' AND a._query = s.query_key
               LEFT JOIN (SELECT _query, _version, count(*) AS n FROM ucdp GROUP BY ALL) u
                    ON s.source = 'ucdp' AND u._query = s.query_key AND u._version = s.version
               ORDER BY s.source, s.query_key"""
        ).df()

    # ------------------------------------------------------------------ writing
    def _columns(self, table: str) -> list[str]:
        if table not in self._known:  # asked once per table: a sync writes hundreds of pages
            self._known[table] = [r[0] for r in self.con.execute(f"DESCRIBE {table}").fetchall()]
        return self._known[table]

    @staticmethod
    def arrow(rows):
        """API rows (dicts) as an Arrow table; a column of mixed types becomes text."""
        import pyarrow as pa

        if isinstance(rows, pa.Table):
            return rows
        try:
            return pa.Table.from_pylist(rows)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return pa.Table.from_pylist([{k: None if v is None else str(v) for k, v in r.items()} for r in rows])

    def _page_table(self, rows, table: str):
        """The rows as Arrow, registered as ``_page``, with any new column added to ``table`` (as text)."""
        page = self.arrow(rows)
        have = set(self._columns(table))
        for c in page.column_names:
            if c not in have:
                self.con.execute(f"ALTER TABLE {table} ADD COLUMN {_q(c)} VARCHAR")
                self._known.pop(table, None)
        self.con.register("_page", page)
        return page

    def _select(self, names: Sequence[str], derived: dict[str, str]) -> str:
        raw = [f"CAST({_q(c)} AS VARCHAR) AS {_q(c)}" for c in names if not c.startswith("_")]
        return ", ".join(raw + [f"{expr} AS {name}" for name, expr in derived.items()])

    def write_acled(self, rows, query_key: str, *, next_page: int) -> tuple[int, int]:
        """Upsert one page of ACLED rows (dicts or Arrow) and move the query's resume point, in one transaction.

        Returns (rows added, rows that replaced a stored row of the same id with a newer timestamp).
        """
        if not len(rows):
            self._begin()
            self._advance("acled", query_key, next_page, None)
            self.flush()
            return 0, 0
        con = self._begin()
        try:
            page = self._page_table(rows, "acled")
            names = page.column_names
            col = set(names)
            derived = {
                "_event_date": "TRY_CAST(event_date AS DATE)" if "event_date" in col else "NULL",
                "_country": "lower(CAST(country AS VARCHAR))" if "country" in col else "NULL",
                "_iso": "TRY_CAST(iso AS INTEGER)" if "iso" in col else "NULL",
                "_timestamp": 'TRY_CAST("timestamp" AS BIGINT)' if "timestamp" in col else "NULL",
                "_query": "$query",
                "_synced_at": "now()",
            }
            ids = [str(i) for i in page.column("event_id_cnty").to_pylist()]
            existed, updated = self._replace_stored(ids, "timestamp" in col)
            max_ts = _max_timestamp(page) if "timestamp" in col else None
            unique = len(set(ids))
            # one row per id even if a page repeats one (one copy kept); the window only when needed
            once = " QUALIFY row_number() OVER (PARTITION BY event_id_cnty ORDER BY 1) = 1" if unique < len(ids) else ""
            con.execute(
                f"INSERT INTO acled BY NAME SELECT {self._select(names, derived)} FROM _page{once}",
                {"query": query_key},
            )
            self._advance("acled", query_key, next_page, max_ts)
            self._stored_ids().update(ids)
        except BaseException:
            self._abort()
            raise
        finally:
            con.unregister("_page")
        self._maybe_commit(len(ids))
        return unique - existed, updated

    def _stored_ids(self) -> set[str]:
        """The ``event_id_cnty`` values in the store, read once per connection and kept up to date.

        An upsert is a delete + insert in one transaction: a primary-key index would make every page
        three times slower to write (DuckDB's ART index), and probing the table for every page grows
        with the store. A set in memory (about 100 MB for a million ids) answers "is it there?" at once.
        """
        if self._ids is None:
            self._ids = set(self.con.execute("SELECT event_id_cnty FROM acled").fetchnumpy()["event_id_cnty"].tolist())
        return self._ids

    def _replace_stored(self, ids: list[str], timestamps: bool) -> tuple[int, int]:
        """Delete the stored copies of the page's ids; (how many there were, how many ACLED changed).

        A row re-read at the watermark second (same timestamp) is neither new nor an update.
        """
        stored = self._stored_ids()
        hits = sorted({i for i in ids if i in stored})
        if not hits:
            return 0, 0
        import pyarrow as pa

        con = self.con
        con.register("_hits", pa.table({"id": hits}))
        try:
            changed = 'a._timestamp IS DISTINCT FROM TRY_CAST(p."timestamp" AS BIGINT)' if timestamps else "true"
            existed, updated = con.execute(
                f"SELECT count(*), count(*) FILTER (WHERE {changed}) FROM acled a "
                "JOIN (SELECT DISTINCT ON (event_id_cnty) * FROM _page) p "
                "ON a.event_id_cnty = CAST(p.event_id_cnty AS VARCHAR) "
                "WHERE a.event_id_cnty IN (SELECT id FROM _hits)"
            ).fetchone()
            con.execute("DELETE FROM acled WHERE event_id_cnty IN (SELECT id FROM _hits)")
        finally:
            con.unregister("_hits")
        return existed, updated

    def write_ucdp(self, rows: list[dict], query_key: str, version: str, *, next_page: int) -> int:
        """Stage one page of a UCDP release for a query and move its resume point, in one transaction."""
        if not len(rows):
            self._begin()
            self._advance("ucdp", query_key, next_page, None)
            self.flush()
            return 0
        con = self._begin()
        try:
            page = self._page_table(rows, "ucdp")
            col = set(page.column_names)
            derived = {
                "_query": "$query",
                "_version": "$version",
                "_event_date": "TRY_CAST(date_start AS DATE)" if "date_start" in col else "NULL",
                "_country": "lower(CAST(country AS VARCHAR))" if "country" in col else "NULL",
                "_country_id": "TRY_CAST(country_id AS INTEGER)" if "country_id" in col else "NULL",
                "_synced_at": "now()",
            }
            con.execute(
                "DELETE FROM ucdp WHERE _query = ? AND _version = ? AND id IN (SELECT CAST(id AS VARCHAR) FROM _page)",
                [query_key, str(version)],
            )
            con.execute(
                f"INSERT INTO ucdp BY NAME SELECT {self._select(page.column_names, derived)} FROM _page "
                "QUALIFY row_number() OVER (PARTITION BY id ORDER BY 1) = 1",
                {"query": query_key, "version": str(version)},
            )
            self._advance("ucdp", query_key, next_page, None)
        except BaseException:
            self._abort()
            raise
        finally:
            con.unregister("_page")
        self._maybe_commit(len(rows))
        return len(rows)

    # a sync's pages are committed in groups (two seconds' or one DuckDB row group's worth): a commit
    # syncs the WAL to disk, and one per page was a third of a sync's time; a transaction that fills a
    # row group (122,880 rows) is written straight to the file instead of through the WAL as well.
    # The resume point is in the same transaction as the rows, so a kill loses at most the group in
    # progress, never consistency.
    _GROUP_ROWS = 122_880
    _GROUP_S = 2.0

    def _begin(self):
        con = self.con
        if not self._open:
            con.execute("BEGIN TRANSACTION")
            self._open, self._group_rows, self._group_t = True, 0, time.monotonic()
        return con

    def _maybe_commit(self, n: int) -> None:
        self._group_rows += n
        if self._group_rows >= self._GROUP_ROWS or time.monotonic() - self._group_t >= self._GROUP_S:
            self.flush()

    def flush(self) -> None:
        """Commit the pages written so far (a sync calls it at its end, and when it stops early)."""
        if self._open:
            self._open = False
            self.con.execute("COMMIT")

    def _abort(self) -> None:
        if self._open:
            self._open = False
            self._ids = None  # the set may hold ids of the rolled-back pages: read it again
            self.con.execute("ROLLBACK")

    def _advance(self, source: str, query_key: str, next_page: int, max_ts) -> None:
        self.con.execute(
            "UPDATE sync_state SET next_page = ?, run_max_ts = greatest(coalesce(run_max_ts, ?), ?) "
            "WHERE source = ? AND query_key = ?",
            [next_page, max_ts, max_ts, source, query_key],
        )

    def delete_acled(self, ids: Iterable[str]) -> int:
        """Remove ACLED events by ``event_id_cnty`` (ACLED deleted them); the number removed."""
        ids = sorted({str(i) for i in ids})
        self.flush()
        if not ids:
            return 0
        import pyarrow as pa

        con = self.con
        con.register("_gone", pa.table({"id": ids}))
        try:
            n = con.execute("SELECT count(*) FROM acled WHERE event_id_cnty IN (SELECT id FROM _gone)").fetchone()[0]
            con.execute("DELETE FROM acled WHERE event_id_cnty IN (SELECT id FROM _gone)")
        finally:
            con.unregister("_gone")
        if self._ids is not None:
            self._ids.difference_update(ids)
        return int(n)

    def finish_acled(self, query_key: str, *, deleted_since: float) -> int:
        """Close an ACLED run: the watermark moves to the newest timestamp seen; returns the query's rows."""
        self.flush()
        self.con.execute(
            "UPDATE sync_state SET status = 'done', watermark = greatest(coalesce(watermark, run_max_ts), run_max_ts), "
            "deleted_since = ?, run_params = NULL, synced_at = now() WHERE source = 'acled' AND query_key = ?",
            [deleted_since, query_key],
        )
        return self.con.execute("SELECT count(*) FROM acled WHERE _query = ?", [query_key]).fetchone()[0]

    def staged_rows(self, query_key: str, version: str) -> int:
        return self.con.execute(
            "SELECT count(*) FROM ucdp WHERE _query = ? AND _version = ?", [query_key, str(version)]
        ).fetchone()[0]

    def discard_staged(self, query_key: str, keep: Sequence[str]) -> None:
        """Drop a query's UCDP rows of releases other than ``keep`` (an abandoned run's pages)."""
        keep = [str(v) for v in keep if v]
        marks = ", ".join("?" for _ in keep) or "NULL"
        self.con.execute(f"DELETE FROM ucdp WHERE _query = ? AND _version NOT IN ({marks})", [query_key, *keep])

    def finish_ucdp(self, query_key: str, version: str) -> int:
        """Make ``version`` the query's live release and drop the previous one, in one transaction."""
        self.flush()
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("DELETE FROM ucdp WHERE _query = ? AND _version <> ?", [query_key, str(version)])
            con.execute(
                "UPDATE sync_state SET status = 'done', version = ?, run_version = NULL, synced_at = now() "
                "WHERE source = 'ucdp' AND query_key = ?",
                [str(version), query_key],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return self.staged_rows(query_key, version)

    # ------------------------------------------------------------------ reading
    def frame(self, source: str, *, country=None, since=None, until=None, version: str | None = None) -> pd.DataFrame:
        """Stored rows of ``source`` for a country (name or code) and period, the source's columns as text.

        Adds ``synced_at`` and ``sync_query`` (and ``ucdp_version`` for UCDP) from the store. UCDP rows
        come from each query's live release; an event two queries hold is given once, from the latest sync.
        """
        if source not in SOURCES:
            raise ValueError(f"unknown source {source!r}: use one of {', '.join(SOURCES)}")
        where, params = _filters(country, since, until, code="_iso" if source == "acled" else "_country_id")
        raw = [c for c in self._columns(source) if not c.startswith("_")]
        cols = ", ".join(f"t.{_q(c)}" for c in raw)
        if source == "acled":
            sql = f"SELECT {cols}, t._synced_at AS synced_at, t._query AS sync_query FROM acled t"
            sql += (" WHERE " + " AND ".join(where)) if where else ""
            sql += " ORDER BY t._event_date, t.event_id_cnty"
        else:
            if version is not None:
                where.append("t._version = ?")
                params.append(str(version))
            sql = (
                f"SELECT {cols}, t._version AS ucdp_version, t._synced_at AS synced_at, t._query AS sync_query "
                "FROM ucdp t JOIN sync_state s "
                "ON s.source = 'ucdp' AND s.query_key = t._query AND s.version = t._version"
                + ((" WHERE " + " AND ".join(where)) if where else "")
                + " QUALIFY row_number() OVER (PARTITION BY t.id ORDER BY t._synced_at DESC) = 1"
                " ORDER BY t._event_date, t.id"
            )
        return self.con.execute(sql, params).df()

    def count(self, source: str) -> int:
        """Rows stored for ``source`` (every query and, for UCDP, staged releases included)."""
        if source not in SOURCES:
            raise ValueError(f"unknown source {source!r}: use one of {', '.join(SOURCES)}")
        return self.con.execute(f"SELECT count(*) FROM {source}").fetchone()[0]


def _max_timestamp(page) -> int | None:
    """The newest ``timestamp`` of a page (text or numbers; unparsable values ignored)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    col = page.column("timestamp")
    try:
        value = pc.max(pc.cast(col, pa.int64())).as_py()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # a stray value: the slow, forgiving way
        stamps = [int(v) for v in col.to_pylist() if str(v).strip().lstrip("-").isdigit()]
        value = max(stamps, default=None)
    return value


def _filters(country, since, until, *, code: str) -> tuple[list[str], list]:
    """SQL conditions for a country (names, case-insensitive, or numeric codes) and a date range."""
    from ._rows import as_tuple

    where: list[str] = []
    params: list = []
    names = [str(c).lower() for c in as_tuple(country) if not str(c).isdigit()]
    codes = [int(c) for c in as_tuple(country) if str(c).isdigit()]
    alts = []
    if names:
        alts.append(f"t._country IN ({', '.join('?' for _ in names)})")  # stored lower-cased
        params += names
    if codes:
        alts.append(f"t.{code} IN ({', '.join('?' for _ in codes)})")
        params += codes
    if alts:
        where.append("(" + " OR ".join(alts) + ")")
    for bound, op in ((iso_date(since), ">="), (iso_date(until), "<=")):
        if bound:
            where.append(f"t._event_date {op} CAST(? AS DATE)")
            params.append(bound)
    return where, params
