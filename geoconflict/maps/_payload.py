"""An incident frame as the compact, escaped payload the map page draws from.

The page gets columns, not one object per incident: coordinates, a status code,
a type code, a day number and text columns. Text columns with repeated values
(places, admin units, actors, sources) are stored once per distinct value with an
index per incident; unique ones (notes, sentences, ids) as plain lists.

The payload's layout (``n``, ``lat``, ``lon``, ``status``, ``type`` and the optional
``day``, ``certain``, ``dist``, ``area``, ``text``) is the wire format the page
script reads. Which text fields there are, what the status codes mean and how the
popup uses each field is not written in the script: :data:`PAGE_FIELDS` and
:data:`STATUS_KEYS` go to the page in its options.

Every text value is HTML-escaped here, with :func:`geoconflict.maps.escape.escape_html`,
before it reaches the page: the browser code only ever inserts these strings into
HTML. Links are kept only for ``http``/``https`` URLs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..schema import DATE_COLUMNS, GEO_PRECISION, ZONE_STATUSES, first_column
from .escape import as_text, escape_html, http_url

if TYPE_CHECKING:  # pragma: no cover
    import geopandas
    import pandas as pd

__all__ = [
    "PAGE_FIELDS",
    "STATUS_CODES",
    "STATUS_KEYS",
    "UNKNOWN",
    "IncidentPayload",
    "incident_payload",
    "incident_points",
]

#: zone_status value -> code in the page (0 inside, 1 near, 2 outside); anything else is UNKNOWN
STATUS_CODES = {status: code for code, status in enumerate(ZONE_STATUSES)}
UNKNOWN = len(ZONE_STATUSES)
#: code -> key, for counts and CSS classes in the page (``gc-status-outside``)
STATUS_KEYS = (*ZONE_STATUSES, "unknown")

#: payload text field -> the frame's columns that can fill it, first present wins
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("event_id_cnty", "source_event_id", "event_id", "id"),
    "location": ("location", "name", "place", "matched_name"),
    "resolved": ("matched_name",),
    "mention": ("mention",),
    "admin2": ("admin2",),
    "admin1": ("admin1",),
    "admin0": ("admin0", "country", "country_code"),
    "sub_event_type": ("sub_event_type",),
    "actor1": ("actor1",),
    "claimed_by": ("claimed_by",),
    "disputed_by": ("disputed_by",),
    "claim_status": ("claim_status",),
    "fatalities": ("fatalities", "fatalities_best", "best"),
    "source": ("source", "source_title"),
    "notes": ("notes",),
    "sentence": ("sentence",),
    "related": ("related_sentences",),
    "dataset": ("dataset",),
    "issues": ("issues",),
    "zone_period": ("zone_period",),
}
#: the text fields made here besides TEXT_FIELDS: dates that do not parse, links, precision labels
DERIVED_FIELDS = ("date", "url", "url_text", "geo_precision")
TYPE_COLUMNS = ("event_type", "type_of_violence")
URL_COLUMNS = ("source_url", "url")

#: How the page uses the text fields (sent in the options as ``fields``; labels are escaped then).
#: ``title``: the first present names the incident (the gazetteer's name before the report's);
#: ``reported``: the first present that differs from the title is the spelling the report used,
#: shown beside it ("Ordubad — reported as “Orduba”"); ``places``: the line under it; ``search``:
#: what the search box matches; ``report``: the table of what happened and who says so (the
#: event type and the source link sit among them, drawn by the page); ``details``: the second
#: table. A details row with ``area`` is shown for area-coded incidents, one with ``notTitle``
#: only when it differs from the title.
PAGE_FIELDS: dict[str, Any] = {
    "title": ["resolved", "location", "mention"],
    "reported": ["mention", "location"],
    "places": ["admin2", "admin1", "admin0"],
    "search": ["resolved", "location", "mention", "admin2", "admin1", "admin0", "actor1", "id"],
    "date": "date",
    "subType": "sub_event_type",
    "report": [
        {"label": "Claimed by", "field": "claimed_by"},
        {"label": "Disputed by", "field": "disputed_by"},
        {"label": "Claim", "field": "claim_status"},
    ],
    "source": "source",
    "url": "url",
    "urlText": "url_text",
    "sentence": "sentence",
    "notes": "notes",
    "related": "related",
    "details": [
        {"label": "Actor", "field": "actor1"},
        {"label": "Fatalities", "field": "fatalities"},
        {"label": "Location precision", "field": "geo_precision"},
        {"label": "Drawn at", "area": "a point inside the reported area"},
        {"label": "Dataset", "field": "dataset"},
        {"label": "Event id", "field": "id"},
        {"label": "Zone outline", "field": "zone_period"},
        {"label": "Data issues", "field": "issues"},
    ],
}

#: fixed colours for the event types ACLED and UCDP use (Okabe–Ito, colour-blind safe)
TYPE_COLORS = {
    "battles": "#0072b2",
    "explosions/remote violence": "#d55e00",
    "violence against civilians": "#cc79a7",
    "protests": "#009e73",
    "riots": "#e69f00",
    "strategic developments": "#56b4e9",
    "state-based violence": "#0072b2",
    "non-state violence": "#e69f00",
    "one-sided violence": "#cc79a7",
}
EXTRA_COLORS = ("#882255", "#44aa99", "#999933", "#332288", "#aa4499", "#117733", "#88ccee", "#ddcc77", "#661100")
UNSPECIFIED_COLOR = "#7f7f7f"
UNSPECIFIED = "Unspecified"


@dataclass
class IncidentPayload:
    """What the page gets (``data``) and what the legend and the report say about it."""

    data: dict
    types: list[dict]  # escaped, for the page
    total_rows: int
    not_located: int
    status_counts: dict[str, int] = field(default_factory=dict)
    has_status: bool = False
    has_dates: bool = False
    any_uncertain: bool = False
    lon: np.ndarray | None = None
    lat: np.ndarray | None = None
    rows: np.ndarray | None = None  # positions in the input frame of the drawn incidents
    type_names: list[str] = field(default_factory=list)  # the types' names as text (for the printed map)


def incident_payload(gdf: pd.DataFrame | geopandas.GeoDataFrame) -> IncidentPayload:
    """The page payload for ``gdf``.

    Parameters
    ----------
    gdf : DataFrame or GeoDataFrame
        Incidents in EPSG:4326 with any subset of the documented columns; all may
        be missing or null. ``zone_status`` is read as it is (no classification here).

    Returns
    -------
    IncidentPayload
        Rows without a usable location (no geometry and no valid latitude/longitude)
        are not drawn; ``not_located`` counts them so the map can say so.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> gdf = gpd.GeoDataFrame({"location": ["Kapan", "<b>Goris</b>"], "zone_status": ["near", None]},
    ...                        geometry=[Point(46.4, 39.2), None], crs=4326)
    >>> p = incident_payload(gdf)
    >>> p.data["n"], p.data["status"], p.not_located, p.data["text"]["location"]
    (1, [1], 1, ['Kapan'])
    """
    total = len(gdf)
    lon, lat, area = incident_points(gdf)
    rows = _located_rows(lon, lat)
    sub = gdf.iloc[rows]
    data: dict[str, Any] = {
        "n": len(rows),
        "lat": np.round(lat[rows], 5).tolist(),
        "lon": np.round(lon[rows], 5).tolist(),
    }
    status = _status_codes(sub)
    data["status"] = status.tolist()
    data.update(_certainty(sub, status))
    data.update(_distances(sub))
    if area[rows].any():
        data["area"] = area[rows].astype(np.int8).tolist()
    data["type"], types, type_names = _event_types(sub)
    days, text = _dates(sub)
    if days is not None:
        data["day"] = days
    text.update(_text_fields(sub))
    data["text"] = text
    return IncidentPayload(
        data=data,
        types=types,
        type_names=type_names,
        total_rows=total,
        not_located=int(total - len(rows)),
        status_counts={key: int((status == code).sum()) for code, key in enumerate(STATUS_KEYS)},
        has_status="zone_status" in gdf.columns,
        has_dates=days is not None and len({d for d in days if d is not None}) > 1,
        any_uncertain="certain" in data,
        lon=lon[rows],
        lat=lat[rows],
        rows=rows,
    )


def incident_points(gdf: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Longitude, latitude (NaN where unknown) and an "is an area" flag for every row.

    Points are used as they are; areas (area-coded events) and lines by a point on
    their surface. Rows with no geometry fall back to ``longitude``/``latitude``.

    Examples
    --------
    >>> import pandas as pd
    >>> lon, lat, area = incident_points(pd.DataFrame({"longitude": [44.5, "x"], "latitude": [40.2, 40.0]}))
    >>> lon.tolist(), area.tolist()
    ([44.5, nan], [False, False])
    """
    n = len(gdf)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    area = np.zeros(n, dtype=bool)
    geom_name = getattr(gdf, "_geometry_column_name", None)
    if geom_name is not None and geom_name in gdf.columns and n:
        _geometry_points(np.asarray(gdf[geom_name].values, dtype=object), lon, lat, area)
    if "longitude" in gdf.columns and "latitude" in gdf.columns:
        _column_points(gdf, lon, lat)
    return lon, lat, area


def _geometry_points(geoms: np.ndarray, lon: np.ndarray, lat: np.ndarray, area: np.ndarray) -> None:
    """Fill ``lon``/``lat`` from the geometries (in place); flag the rows drawn at a point of an area."""
    import shapely

    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    points = present & (shapely.get_type_id(geoms) == 0)
    lon[points] = shapely.get_x(geoms[points])
    lat[points] = shapely.get_y(geoms[points])
    other = present & ~points
    if other.any():
        # multipoints, lines and areas: a point on the surface stands for them
        reps = shapely.point_on_surface(geoms[other])
        lon[other] = shapely.get_x(reps)
        lat[other] = shapely.get_y(reps)
        area[other] = True


def _column_points(gdf: pd.DataFrame, lon: np.ndarray, lat: np.ndarray) -> None:
    """Fill the rows ``lon``/``lat`` still lack from the ``longitude``/``latitude`` columns (in place)."""
    import pandas as pd

    missing = ~np.isfinite(lon) | ~np.isfinite(lat)
    if missing.any():
        col_lon = pd.to_numeric(gdf["longitude"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        col_lat = pd.to_numeric(gdf["latitude"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        lon[missing] = col_lon[missing]
        lat[missing] = col_lat[missing]


def _located_rows(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Positions of the rows with a location on the globe."""
    ok = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    return np.flatnonzero(ok)


# ---------------------------------------------------------------------------- zone status
def _status_codes(sub: pd.DataFrame) -> np.ndarray:
    """The page's status code per row: what ``zone_status`` says, UNKNOWN where it says nothing."""
    if "zone_status" not in sub.columns:
        return np.full(len(sub), UNKNOWN, dtype=np.int64)
    words = sub["zone_status"].astype(object).map(lambda v: as_text(v) or "").str.lower()
    return words.map(STATUS_CODES).fillna(UNKNOWN).to_numpy(dtype=np.int64)


def _certainty(sub: pd.DataFrame, status: np.ndarray) -> dict[str, list]:
    """``{"certain": [0/1 …]}`` when some status is uncertain, else nothing (the page assumes certain)."""
    import pandas as pd

    if "zone_status_certain" not in sub.columns:
        return {}
    cells = sub["zone_status_certain"].astype(object)
    # only an explicit false counts as uncertain: a missing value says nothing
    certain = np.array([0 if (v is not None and v is not pd.NA and v == v and not bool(v)) else 1 for v in cells])
    certain[status == UNKNOWN] = 1  # a missing status has nothing to be uncertain about
    return {"certain": certain.tolist()} if (certain == 0).any() else {}


def _distances(sub: pd.DataFrame) -> dict[str, list]:
    """``{"dist": [km or None …]}`` from ``zone_distance_km`` when any is known."""
    import pandas as pd

    if "zone_distance_km" not in sub.columns:
        return {}
    dist = pd.to_numeric(sub["zone_distance_km"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if not np.isfinite(dist).any():
        return {}
    return {"dist": [None if not math.isfinite(d) else round(d, 1) for d in dist.tolist()]}


# ---------------------------------------------------------------------------- event types
def _event_types(sub: pd.DataFrame) -> tuple[list[int], list[dict], list[str]]:
    """A type code per row, the table of types (most frequent first) with colours and counts, their names."""
    import pandas as pd

    n = len(sub)
    type_col = first_column(sub.columns, TYPE_COLUMNS)
    if type_col is not None and n:
        names = sub[type_col].astype(object).map(as_text).fillna(UNSPECIFIED)
    else:
        names = pd.Series([UNSPECIFIED] * n, dtype=object)
    counts = names.value_counts(sort=True)
    order = list(counts.index)
    code_of = {name: i for i, name in enumerate(order)}
    codes = names.map(code_of).to_numpy(dtype=np.int64).tolist() if n else []
    types = [
        {"name": escape_html(name), "color": colour, "count": int(counts[name]), "unspecified": name == UNSPECIFIED}
        for name, colour in zip(order, _type_colours(order), strict=True)
    ]
    return codes, types, [str(name) for name in order]


def _type_colours(names: list[str]) -> list[str]:
    extra = iter(EXTRA_COLORS * (1 + len(names) // len(EXTRA_COLORS)))
    return [
        UNSPECIFIED_COLOR if n == UNSPECIFIED else (TYPE_COLORS.get(n.strip().lower()) or next(extra)) for n in names
    ]


# ---------------------------------------------------------------------------- dates
def _dates(sub: pd.DataFrame) -> tuple[list | None, dict[str, Any]]:
    """Day numbers (or None) and ``{"date": …}`` with the escaped text of dates that do not parse."""
    date_col = first_column(sub.columns, DATE_COLUMNS)
    if date_col is None or not len(sub):
        return None, {}
    days, shown = _encode_dates(sub[date_col])
    return days, ({"date": shown} if shown is not None else {})


def _encode_dates(series: pd.Series) -> tuple[list | None, list | dict | None]:
    """Day numbers (days since 1970-01-01, None when unknown) and the escaped text of dates that do not parse.

    The page writes parsed dates itself (YYYY-MM-DD); a value it cannot place in
    time is kept as the text the table had.
    """
    import pandas as pd

    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        days = series.values.astype("datetime64[D]")
        ok = ~np.isnat(days)
        if not ok.any():
            return None, None
        numbers = np.where(ok, days.astype("int64"), 0).tolist()
        return [d if k else None for d, k in zip(numbers, ok.tolist(), strict=True)], None
    # text or objects: parse each distinct value once
    codes, uniques = _factorize(series)
    raw = [as_text(u) for u in uniques]
    parsed = [_parse_day(r) for r in raw]
    missing = -(2**62)
    lookup = np.array([missing if d is None else d for d in parsed] + [missing], dtype=np.int64)
    day_list = [None if d == missing else int(d) for d in lookup[codes].tolist()]
    unparsed = np.array([r if d is None else None for r, d in zip(raw, parsed, strict=True)] + [None], dtype=object)
    text = _encode_text(pd.Series(unparsed[codes], dtype=object))
    has_day = any(d is not None for d in parsed)
    return (day_list if has_day else None), text


def _parse_day(text: str | None) -> int | None:
    """Day number of a date written as text (ISO first, then the common written forms)."""
    if text is None:
        return None
    import pandas as pd

    for fmt in ("ISO8601", "mixed"):
        try:
            ts = pd.to_datetime(text, format=fmt, utc=True)
        except (ValueError, TypeError, OverflowError):
            continue
        if pd.isna(ts):
            return None
        return int(ts.tz_localize(None).to_datetime64().astype("datetime64[D]").astype("int64"))
    return None


# ---------------------------------------------------------------------------- text
def _text_fields(sub: pd.DataFrame) -> dict[str, Any]:
    """Every text field the frame can fill, escaped and encoded (fields with no text are left out)."""
    if not len(sub):
        return {}
    columns: dict[str, pd.Series] = {}
    for key, candidates in TEXT_FIELDS.items():
        col = first_column(sub.columns, candidates)
        if col is not None:
            columns[key] = sub[col]
    if "issues" in columns:
        columns["issues"] = columns["issues"].astype(object).map(_issues_text)
    if "notes" in columns and "sentence" in sub.columns:
        columns["notes"] = _unless_same(columns["notes"], sub["sentence"])
    if "geo_precision" in sub.columns:
        columns["geo_precision"] = _precision_labels(sub["geo_precision"])
    columns.update(_links(sub))
    encoded = {key: _encode_text(series) for key, series in columns.items()}
    return {key: value for key, value in encoded.items() if value is not None}


def _issues_text(value: Any) -> str | None:
    """A row's data issues ("a;b") as the page lists them ("a, b")."""
    return (as_text(value) or "").replace(";", ", ") or None


def _unless_same(notes: pd.Series, sentence: pd.Series) -> pd.Series:
    """``notes`` without the values equal to ``sentence``: text extraction often copies one into the other."""
    same = notes.astype(object).map(as_text) == sentence.astype(object).map(as_text)
    return notes.astype(object).where(~same.to_numpy(), None)


def _links(sub: pd.DataFrame) -> dict[str, pd.Series]:
    """``url`` (http(s) links only) and ``url_text`` (any other source address, shown as text)."""
    url_col = first_column(sub.columns, URL_COLUMNS)
    if url_col is None:
        return {}
    raw = sub[url_col].astype(object)
    linked = raw.map(http_url)
    return {"url": linked, "url_text": raw.map(as_text).where(linked.isna(), None)}


def _precision_labels(series: pd.Series) -> pd.Series:
    """``geo_precision`` codes with the project's meaning ("2 — near a named place …")."""
    import pandas as pd

    def label(v: Any) -> str | None:
        t = as_text(v)
        if t is None:
            return None
        try:
            meaning = GEO_PRECISION.get(int(float(t)))
        except ValueError:
            meaning = None
        return f"{t} — {meaning}" if meaning else t

    codes, uniques = pd.factorize(series.astype(object).map(as_text), use_na_sentinel=True)
    labels = np.array([label(u) for u in uniques] + [None], dtype=object)
    return pd.Series(labels[codes], index=series.index, dtype=object)


def _factorize(series: pd.Series) -> tuple[np.ndarray, Any]:
    """``pd.factorize`` that also takes unhashable cells (lists), by reading them as text first."""
    import pandas as pd

    try:
        return pd.factorize(series, use_na_sentinel=True)
    except TypeError:
        return pd.factorize(series.map(as_text), use_na_sentinel=True)


def _encode_text(series: pd.Series) -> list | dict | None:
    """Escaped text column: ``{"k": codes, "v": values}`` when values repeat, else a list; None when empty."""
    codes, uniques = _factorize(series)
    values = [None if t is None else escape_html(t) for t in (as_text(u) for u in uniques)]
    if all(v is None for v in values):
        return None
    if any(v is None for v in values):  # values that are blank once read as text
        remap = np.array([-1 if v is None else i for i, v in enumerate(values)] + [-1], dtype=np.int64)
        codes = remap[codes]  # the sentinel -1 indexes the last entry, -1
    if len(values) > len(codes) // 2:
        return [values[c] if c >= 0 else None for c in codes.tolist()]
    return {"k": codes.tolist(), "v": values}
