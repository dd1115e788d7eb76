"""An incident frame as the compact, escaped payload the map page draws from.

The page gets columns, not one object per incident: coordinates, a status code,
a type code, a day number and text columns. Text columns with repeated values
(places, admin units, actors, sources) are stored once per distinct value with an
index per incident; unique ones (notes, sentences, ids) as plain lists.

Every text value is HTML-escaped here, by :func:`escape_html`, before it reaches
the page: the browser code only ever inserts these strings into HTML. Links are
kept only for ``http``/``https`` URLs.

Examples
--------
>>> escape_html('<img src=x onerror="alert(1)">')
'&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
>>> escape_html("{{ 7*7 }} `$x` C:\\\\path")
'&#123;&#123; 7*7 &#125;&#125; &#96;&#36;x&#96; C:&#92;path'
>>> http_url(" https://example.org/a?b=1 "), http_url("javascript:alert(1)")
('https://example.org/a?b=1', None)
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import numpy as np

from .schema import DATE_COLUMNS, GEO_PRECISION

if TYPE_CHECKING:  # pragma: no cover
    import geopandas
    import pandas as pd

__all__ = [
    "STATUS_CODES",
    "IncidentPayload",
    "as_text",
    "escape_html",
    "http_url",
    "incident_payload",
    "incident_points",
]

#: zone_status value -> code in the page; anything else is 3 ("unknown")
STATUS_CODES = {"inside": 0, "near": 1, "outside": 2}
UNKNOWN = 3

#: payload text field -> the frame's columns that can fill it, first present wins
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("event_id_cnty", "source_event_id", "event_id", "id"),
    "location": ("location", "name", "place", "matched_name"),
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
}
TYPE_COLUMNS = ("event_type", "type_of_violence")
URL_COLUMNS = ("source_url", "url")

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

_ESCAPES = (
    ("&", "&amp;"),  # first
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("'", "&#x27;"),
    ("`", "&#96;"),
    ("\\", "&#92;"),
    ("$", "&#36;"),
    ("{", "&#123;"),
    ("}", "&#125;"),
)


def escape_html(text: Any) -> str:
    """``text`` as HTML text that is also inert in attributes, JS template literals and Jinja.

    Besides ``& < > " '`` it escapes the backtick, backslash and ``$`` (a JavaScript
    template literal, as folium writes tooltips, ends at a backtick and runs
    ``${…}``) and the braces (branca re-reads rendered text as a Jinja template).
    The browser shows every one of them as the plain character.

    Examples
    --------
    >>> escape_html("</script><script>window.__pwned=1</script>")
    '&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;'
    >>> escape_html("Armenia's MoD")
    'Armenia&#x27;s MoD'
    """
    s = str(text)
    for char, entity in _ESCAPES:
        if char in s:
            s = s.replace(char, entity)
    return s


def http_url(value: Any) -> str | None:
    """``value`` stripped if it is an absolute http(s) URL with a host, else None.

    Examples
    --------
    >>> http_url("HTTPS://news.am/eng/news/1.html")
    'HTTPS://news.am/eng/news/1.html'
    >>> [http_url(v) for v in ("data:text/html,x", "//evil.example", "ftp://x.org", None)]
    [None, None, None, None]
    """
    text = as_text(value)
    if text is None or any(c.isspace() for c in text) or any(ord(c) < 32 for c in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return text


def as_text(value: Any) -> str | None:
    """A cell as display text: None for missing or blank; lists joined with "; "; whole floats without ".0".

    Examples
    --------
    >>> [as_text(v) for v in (None, float("nan"), " ", 3.0, 2.5, ["Azerbaijan", "Turkey"], True)]
    [None, None, None, '3', '2.5', 'Azerbaijan; Turkey', 'yes']
    """
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return None
        return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, list | tuple | set | frozenset | np.ndarray):
        parts = [t for t in (as_text(v) for v in value) if t]
        return "; ".join(parts) or None
    if isinstance(value, _dt.datetime | _dt.date):
        try:
            return value.strftime("%Y-%m-%d")
        except ValueError:  # NaT
            return None
    if isinstance(value, bytes):
        return as_text(value.decode("utf-8", errors="replace"))
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return as_text(str(value))


def _first_column(columns: Sequence[str], names: Sequence[str]) -> str | None:
    for n in names:
        if n in columns:
            return n
    return None


def _encode_text(series: pd.Series) -> list | dict | None:
    """Escaped text column: ``{"k": codes, "v": values}`` when values repeat, else a list; None when empty."""
    import pandas as pd

    try:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    except TypeError:  # unhashable cells (lists): text first
        codes, uniques = pd.factorize(series.map(as_text), use_na_sentinel=True)
    texts = [as_text(u) for u in uniques]
    values = [escape_html(t) if t is not None else None for t in texts]
    if not any(v is not None for v in values):
        return None
    if any(v is None for v in values):  # values that are blank once read as text
        remap = np.array([-1 if v is None else i for i, v in enumerate(values)] + [-1], dtype=np.int64)
        codes = remap[codes]  # the sentinel -1 indexes the last entry, -1
    n = len(codes)
    if len(values) > n // 2:
        return [values[c] if c >= 0 else None for c in codes.tolist()]
    return {"k": codes.tolist(), "v": values}


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
    try:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    except TypeError:
        codes, uniques = pd.factorize(series.map(as_text), use_na_sentinel=True)
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


def incident_points(gdf: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Longitude, latitude (NaN where unknown) and an "is an area" flag for every row.

    Points are used as they are; areas (area-coded events) and lines by a point on
    their surface. Rows with no geometry fall back to ``longitude``/``latitude``.
    """
    import shapely

    n = len(gdf)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    area = np.zeros(n, dtype=bool)
    geom_name = getattr(gdf, "_geometry_column_name", None)
    if geom_name is not None and geom_name in gdf.columns and n:
        geoms = np.asarray(gdf[geom_name].values, dtype=object)
        present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        kinds = shapely.get_type_id(geoms)
        points = present & (kinds == 0)
        lon[points] = shapely.get_x(geoms[points])
        lat[points] = shapely.get_y(geoms[points])
        other = present & ~points
        if other.any():
            # multipoints, lines and areas: a point on the surface stands for them
            reps = shapely.point_on_surface(geoms[other])
            lon[other] = shapely.get_x(reps)
            lat[other] = shapely.get_y(reps)
            area[other] = True
    if "longitude" in gdf.columns and "latitude" in gdf.columns:
        import pandas as pd

        missing = ~np.isfinite(lon) | ~np.isfinite(lat)
        if missing.any():
            col_lon = pd.to_numeric(gdf["longitude"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            col_lat = pd.to_numeric(gdf["latitude"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            lon[missing] = col_lon[missing]
            lat[missing] = col_lat[missing]
    return lon, lat, area


@dataclass
class IncidentPayload:
    """What the page gets (``data``) and what the legend and the report say about it."""

    data: dict
    types: list[dict]
    total_rows: int
    not_located: int
    status_counts: dict[str, int] = field(default_factory=dict)
    has_status: bool = False
    has_dates: bool = False
    any_uncertain: bool = False
    lon: np.ndarray | None = None
    lat: np.ndarray | None = None
    rows: np.ndarray | None = None  # positions in the input frame of the drawn incidents


def _type_colours(names: list[str]) -> list[str]:
    extra = iter(EXTRA_COLORS * (1 + len(names) // len(EXTRA_COLORS)))
    out = []
    for n in names:
        if n == UNSPECIFIED:
            out.append(UNSPECIFIED_COLOR)
        else:
            out.append(TYPE_COLORS.get(n.strip().lower()) or next(extra))
    return out


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


def incident_payload(gdf: pd.DataFrame | geopandas.GeoDataFrame) -> IncidentPayload:
    """The page payload for ``gdf`` (any subset of the documented columns; all may be missing or null).

    Rows without a usable location (no geometry and no valid latitude/longitude)
    are not drawn; ``not_located`` counts them so the map can say so.
    """
    import pandas as pd

    total = len(gdf)
    lon, lat, area = incident_points(gdf)
    ok = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    rows = np.flatnonzero(ok)
    sub = gdf.iloc[rows]
    n = len(rows)
    cols = list(gdf.columns)
    data: dict[str, Any] = {
        "n": n,
        "lat": np.round(lat[rows], 5).tolist(),
        "lon": np.round(lon[rows], 5).tolist(),
    }

    # zone status, distance, certainty
    has_status = "zone_status" in cols
    if has_status:
        st = sub["zone_status"].astype(object).map(lambda v: as_text(v) or "").str.lower()
        status = st.map(STATUS_CODES).fillna(UNKNOWN).to_numpy(dtype=np.int64)
    else:
        status = np.full(n, UNKNOWN, dtype=np.int64)
    data["status"] = status.tolist()
    any_uncertain = False
    if "zone_status_certain" in cols:
        cert = sub["zone_status_certain"].astype(object)
        certain = np.array([0 if (v is not None and v is not pd.NA and v == v and not bool(v)) else 1 for v in cert])
        # a missing status has nothing to be uncertain about
        certain[status == UNKNOWN] = 1
        any_uncertain = bool((certain == 0).any())
        if any_uncertain:
            data["certain"] = certain.tolist()
    if "zone_distance_km" in cols:
        dist = pd.to_numeric(sub["zone_distance_km"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if np.isfinite(dist).any():
            data["dist"] = [None if not math.isfinite(d) else round(d, 1) for d in dist.tolist()]
    if area[rows].any():
        data["area"] = area[rows].astype(np.int8).tolist()

    # event types: codes into a table ordered by frequency
    type_col = _first_column(cols, TYPE_COLUMNS)
    if type_col is not None and n:
        names = sub[type_col].astype(object).map(as_text).fillna(UNSPECIFIED)
    else:
        names = pd.Series([UNSPECIFIED] * n, dtype=object)
    counts = names.value_counts(sort=True)
    order = list(counts.index)
    code_of = {name: i for i, name in enumerate(order)}
    data["type"] = names.map(code_of).to_numpy(dtype=np.int64).tolist() if n else []
    colours = _type_colours(order)
    types = [
        {"name": escape_html(name), "color": colour, "count": int(counts[name]), "unspecified": name == UNSPECIFIED}
        for name, colour in zip(order, colours, strict=True)
    ]

    # dates
    text: dict[str, Any] = {}
    date_col = _first_column(cols, DATE_COLUMNS)
    has_dates = False
    if date_col is not None and n:
        days, shown = _encode_dates(sub[date_col])
        if days is not None:
            data["day"] = days
            has_dates = len({d for d in days if d is not None}) > 1
        if shown is not None:
            text["date"] = shown

    # text fields
    for key, candidates in TEXT_FIELDS.items():
        col = _first_column(cols, candidates)
        if col is None or not n:
            continue
        series = sub[col]
        if key == "issues":
            series = series.astype(object).map(lambda v: (as_text(v) or "").replace(";", ", ") or None)
        if key == "notes" and "sentence" in cols and col != "sentence":
            # text extraction often copies the sentence into the notes: the page shows it once
            same = sub[col].astype(object).map(as_text) == sub["sentence"].astype(object).map(as_text)
            series = series.astype(object).where(~same.to_numpy(), None)
        encoded = _encode_text(series)
        if encoded is not None:
            text[key] = encoded
    if "geo_precision" in cols and n:
        encoded = _encode_text(_precision_labels(sub["geo_precision"]))
        if encoded is not None:
            text["geo_precision"] = encoded
    url_col = _first_column(cols, URL_COLUMNS)
    if url_col is not None and n:
        raw_urls = sub[url_col].astype(object)
        linked = raw_urls.map(http_url)
        unlinked = raw_urls.map(as_text).where(linked.isna(), None)
        for key, series in (("url", linked), ("url_text", unlinked)):
            encoded = _encode_text(series)
            if encoded is not None:
                text[key] = encoded
    data["text"] = text

    status_counts = {k: int((status == c).sum()) for k, c in (*STATUS_CODES.items(), ("unknown", UNKNOWN))}
    return IncidentPayload(
        data=data,
        types=types,
        total_rows=total,
        not_located=int(total - n),
        status_counts=status_counts,
        has_status=has_status,
        has_dates=has_dates,
        any_uncertain=any_uncertain,
        lon=lon[rows],
        lat=lat[rows],
        rows=rows,
    )
