"""What both clients share: secrets that never print, dates of a query, rows into incidents.

Examples
--------
>>> s = Secret("hunter2")
>>> repr(s), str(s), s.value
("Secret('***')", '***', 'hunter2')
>>> iso_date("2020-09-27"), iso_date(None)
('2020-09-27', None)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import geopandas
    import pandas as pd

__all__ = ["Secret", "all_rows", "as_tuple", "iso_date", "to_incidents"]


class Secret:
    """A credential: its value is read on purpose (``.value``), never by printing it."""

    __slots__ = ("value",)

    def __init__(self, value: str):
        self.value = str(value)

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:
        return "***"

    def __bool__(self) -> bool:
        return bool(self.value)

    def __reduce__(self):  # a secret is not pickled into a cache or a worker's payload
        raise TypeError("a Secret cannot be pickled")


def iso_date(value) -> str | None:
    """A date (``date``, ``datetime``, ``Timestamp`` or ``YYYY-MM-DD``) as ``YYYY-MM-DD``, or None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD)") from None


def all_rows(pages: Iterable[tuple], progress: Callable[[int, int | None], None] | None = None) -> list[dict]:
    """Every row of a client's ``(page, rows, total)`` pages, reporting (rows so far, total) after each page."""
    rows: list[dict] = []
    for _page, batch, total in pages:
        rows += batch
        if progress is not None:
            progress(len(rows), total)
    return rows


def as_tuple(value) -> tuple:
    """None → (), a scalar → (scalar,), a list → tuple: filters accept one value or several."""
    if value is None:
        return ()
    if isinstance(value, str | int):
        return (value,)
    return tuple(value)


def to_incidents(
    frame: pd.DataFrame,
    *,
    keep: Sequence[str] = (),
    numeric: Sequence[str] = (),
    columns: Sequence[str] = (),
    warn: bool = True,
) -> geopandas.GeoDataFrame:
    """``frame`` through :func:`~geoconflict.incidents.read_incidents`, with the ``keep`` columns added back.

    read_incidents maps a source's columns onto the canonical schema and keeps its
    rows in input order, so columns it leaves out (the UCDP version, ACLED's
    timestamp, UCDP's deaths by side) are put back by position.
    """
    import pandas as pd

    from ..incidents import read_incidents

    if frame.empty and columns:  # no rows: the source's own columns, so the table is still read as that source
        frame = frame.reindex(columns=list(dict.fromkeys([*frame.columns, *columns])))
    gdf = read_incidents(frame.reset_index(drop=True), warn=warn)
    for c in keep:
        if c in frame.columns and c not in gdf.columns:
            values = frame[c].reset_index(drop=True)
            gdf[c] = pd.to_numeric(values, errors="coerce").astype("Int64") if c in numeric else values.to_numpy()
    return gdf
