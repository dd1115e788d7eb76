"""The incident table: one schema for ACLED, UCDP GED, generic tables and geoparsed text.

:func:`read_incidents` reads a file or a frame into a GeoDataFrame in EPSG:4326
with ACLED's column names as the canonical schema, plus:

``dataset``            "ACLED", "UCDP GED", "table", "text" …
``source_event_id``    the source's own event id
``date_start``, ``date_end``   the date range (equal when exact)
``fatalities_low``, ``fatalities_best``, ``fatalities_high``
``precision_raw``      the source's raw precision code ("acled:2", "ucdp:4")
``geo_precision``      one scale for all sources (see :data:`GEO_PRECISION`)
``source_id``, ``matched_name``, ``match_score``   for rows located by name
``valid``, ``issues``  False / the reasons when a row failed validation

Nothing is dropped: a row with bad coordinates keeps its place in the table with
an empty geometry and its ``issues``; the report in ``gdf.attrs["report"]`` lists
every flagged row, and lines the parser could not split.
"""

from __future__ import annotations

import csv
import re
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .schema import DATE_COLUMNS, GEO_PRECISION, KIND_PRECISION, NAMED_PLACE_PRECISION, PLACE_COLUMNS

if TYPE_CHECKING:  # pragma: no cover
    import geopandas
    import pandas as pd

    from .gazetteer import Gazetteer

__all__ = ["CANONICAL_COLUMNS", "GEO_PRECISION", "IncidentReport", "read_incidents"]

#: ACLED geo_precision → project scale (ACLED 3: "only a larger region is known").
ACLED_PRECISION = {1: 1, 2: 2, 3: 4}

CANONICAL_COLUMNS = [
    "dataset",
    "source_event_id",
    "event_id_cnty",
    "event_date",
    "date_start",
    "date_end",
    "year",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "country_code",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "precision_raw",
    "source",
    "notes",
    "fatalities",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "source_id",
    "matched_name",
    "match_score",
    "valid",
    "issues",
]

_LAT_NAMES = ("latitude", "lat", "y", "lat_dd", "decimallatitude")
_LON_NAMES = ("longitude", "lon", "lng", "long", "x", "lon_dd", "decimallongitude")
#: issues that leave a row without a usable location
_FATAL = frozenset({"missing_coordinates", "out_of_range", "null_island", "bad_coordinates", "unknown_name"})


@dataclass
class IncidentReport:
    """What :func:`read_incidents` found wrong, row by row."""

    source: str
    rows: int = 0
    counts: Counter = field(default_factory=Counter)
    flagged: list[dict] = field(default_factory=list)  # {"row", "issue", "detail"}
    unparsed_lines: list[dict] = field(default_factory=list)  # {"line", "text", "reason"}
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.counts and not self.unparsed_lines

    def frame(self) -> pd.DataFrame:
        """The flagged rows as a DataFrame (row, issue, detail)."""
        import pandas as pd

        return pd.DataFrame(self.flagged, columns=["row", "issue", "detail"])

    def __str__(self) -> str:
        lines = [f"{self.source}: {self.rows:,} rows read"]
        for issue, n in sorted(self.counts.items()):
            lines.append(f"  {issue}: {n:,} rows")
        if self.unparsed_lines:
            lines.append(f"  lines the CSV parser could not split (kept in the report): {len(self.unparsed_lines):,}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


# ---------------------------------------------------------------------------- the entry point
def read_incidents(
    source: Any,
    *,
    gazetteer: Gazetteer | None = None,
    geocode: bool = True,
    fix_swapped: bool = True,
    warn: bool = True,
) -> geopandas.GeoDataFrame:
    """Read incidents from an event table or file into the canonical schema, with validation.

    Parameters
    ----------
    source : path or DataFrame
        ACLED export (incl. HDX's layout with a row of HXL hashtags), UCDP GED CSV,
        any CSV/TSV/Excel with latitude/longitude columns or with place names only,
        GeoJSON, GeoPackage, Shapefile, FlatGeobuf, Parquet, or a (Geo)DataFrame.
    gazetteer : Gazetteer, optional
        Used to locate rows that have a place name but no coordinates, and to check
        coordinates against the row's country.
    geocode : bool
        Locate rows without coordinates by their ``location`` name.
    fix_swapped : bool
        Swap back latitude/longitude pairs that are evidently swapped (the row is
        flagged ``swapped_coordinates`` either way).
    warn : bool
        Emit a warning summarising the problems found.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, every input row in input order; ``valid`` False and ``issues``
        naming the problems of rows without a usable location; the
        :class:`IncidentReport` in ``attrs["report"]``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"location": ["Ordubad", "Kapan"], "event_date": ["2020-10-15", "bad"],
    ...                    "latitude": [38.9096, 146.4], "longitude": [46.0227, 39.2]})
    >>> gdf = read_incidents(df, warn=False)
    >>> gdf[["location", "valid", "issues"]].values.tolist()
    [['Ordubad', True, ''], ['Kapan', True, 'swapped_coordinates;bad_date']]
    """
    import pandas as pd

    report = IncidentReport(source="frame" if isinstance(source, pd.DataFrame) else str(source))
    raw, geom_in = _read_table(source, report)
    df = _to_canonical(raw.reset_index(drop=True), _dataset(raw))
    report.rows = len(df)
    # the steps add their issues in this order, which is the order ``issues`` lists them in
    flags = _Flags(len(df))
    lat, lon = _coordinates(df, geom_in, flags)
    lat, lon, missing = _validate_coordinates(df, lat, lon, flags, gazetteer, fix_swapped)
    _geocode_names(df, missing, lat, lon, flags, gazetteer, geocode)
    _validate_dates(df, raw, flags, report)
    _validate_numbers_and_ids(df, missing, flags)
    gdf = _assemble(df, lat, lon, flags, geom_in)
    gdf.attrs["report"] = _assemble_report(report, flags)
    if warn and not report.ok:
        warnings.warn(str(report), stacklevel=2)
    return gdf


# ---------------------------------------------------------------------------- reading
def _read_table(source: Any, report: IncidentReport) -> tuple[pd.DataFrame, geopandas.GeoSeries | None]:
    """The table as read, and its own geometries in EPSG:4326 when the file has them."""
    import geopandas as gpd

    raw = _read_any(source, report)
    geom_in = raw.geometry if isinstance(raw, gpd.GeoDataFrame) and raw.geometry.name in raw.columns else None
    if geom_in is not None and raw.crs is not None and raw.crs.to_epsg() != 4326:
        geom_in = geom_in.to_crs(4326)
    return raw, geom_in


def _read_any(source: Any, report: IncidentReport) -> pd.DataFrame:
    import geopandas as gpd
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        return source.copy()
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(f"incident file {path} not found")
    ext = path.suffix.lower()
    if ext in (".csv", ".tsv", ".tab", ".txt"):
        return _read_csv(path, report)
    if ext in (".xlsx", ".xls"):
        return pd.read_excel(path)
    if ext in (".parquet", ".geoparquet"):
        try:
            return gpd.read_parquet(path)
        except (ValueError, KeyError):
            return pd.read_parquet(path)
    if ext in (".geojson", ".json", ".gpkg", ".shp", ".fgb", ".kml", ".gml"):
        return gpd.read_file(path)
    raise ValueError(f"cannot read {path.name}: use CSV, Excel, GeoJSON, GeoPackage, Shapefile, FlatGeobuf or Parquet")


def _read_csv(path: Path, report: IncidentReport) -> pd.DataFrame:
    """Read a CSV fast; fall back to a line-by-line reader that accounts for every line."""
    sep, skip = _csv_layout(path, report)
    df = _fast_read_csv(path, sep, skip, report)
    if df is not None:
        expected = _lines_unaccounted(path, df, skip)
        if expected is None:
            return df
        report.notes.append(f"the fast parser found {len(df)} rows in {expected} lines: re-read line by line")
    return _read_csv_robust(_decode(path, report), sep, skip, report)


def _csv_layout(path: Path, report: IncidentReport) -> tuple[str, list[int]]:
    """The delimiter, and the lines to skip (HDX's row of HXL hashtags under the header)."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    if not head.strip():
        raise ValueError(f"{path} is empty")
    first_lines = head.split(b"\n", 2)
    skip = [1] if len(first_lines) > 1 and _is_hxl_row(first_lines[1]) else []
    if skip:
        report.notes.append("HDX layout: the second line of HXL hashtags was skipped")
    sep = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
    return sep, skip


def _fast_read_csv(path: Path, sep: str, skip: list[int], report: IncidentReport) -> pd.DataFrame | None:
    """pandas' C parser, or None (with a note) when it cannot split the file."""
    import pandas as pd

    options = {"sep": sep, "skiprows": skip, "low_memory": False, "encoding": "utf-8-sig"}
    try:
        try:
            return pd.read_csv(path, **options)
        except UnicodeDecodeError:
            df = pd.read_csv(path, **options, encoding_errors="replace")
            report.notes.append("bytes that are not UTF-8 were replaced by U+FFFD")
            report.counts["encoding"] += 1
            return df
    except (pd.errors.ParserError, ValueError) as exc:  # UnicodeDecodeError of the second read included
        report.notes.append(f"the fast parser failed ({str(exc).splitlines()[0]}): re-read line by line")
        return None


def _lines_unaccounted(path: Path, df: pd.DataFrame, skip: list[int]) -> int | None:
    """None when the rows read account for every line of the file, else the number of lines expected.

    The parser may skip lines silently (a line it cannot end, a stray quote swallowing
    the rest); counting the bytes' lines is what makes "nothing dropped" checkable.
    """
    expected = _count_lines(path) - 1 - len(skip)
    if len(df) == expected:
        return None
    expected -= _count_blank_lines(path)  # pandas skips blank lines
    if len(df) == expected:
        return None
    # quoted fields may hold line breaks: those lines are inside rows, not lost
    embedded = sum(int(df[c].astype("string").str.count("\n").sum()) for c in df.columns if not _numeric_dtype(df[c]))
    return None if len(df) + embedded == expected else expected


def _is_hxl_row(line: bytes) -> bool:
    """HDX's second header row: only HXL hashtags (#date+occurred, #geo+lat …) and empty fields."""
    fields = [f.strip() for f in line.decode("utf-8", errors="replace").strip().split(",")]
    tags = [f for f in fields if f]
    return len(tags) >= 2 and all(re.fullmatch(r"#[a-z][\w+]*", f) for f in tags)


def _numeric_dtype(series) -> bool:
    return series.dtype.kind in "biufM"


def _count_lines(path: Path) -> int:
    """Records if no field spans lines, counted on the bytes."""
    lines = 0
    last = b""
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            lines += chunk.count(b"\n")
            last = chunk
    return lines + (1 if last and not last.endswith(b"\n") else 0)


def _count_blank_lines(path: Path) -> int:
    text = path.read_bytes().replace(b"\r\n", b"\n")
    return text.count(b"\n\n") + (1 if text.startswith(b"\n") else 0)


def _decode(path: Path, report: IncidentReport) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        if not report.counts["encoding"]:
            report.notes.append("bytes that are not UTF-8 were replaced by U+FFFD")
            report.counts["encoding"] += 1
        return raw.decode("utf-8", errors="replace")


def _read_csv_robust(text: str, sep: str, skip: list[int], report: IncidentReport) -> pd.DataFrame:
    """Line by line: every line becomes a row, a row flagged ``stray_quote``, or an unparsed line."""
    import pandas as pd

    lines = text.replace("\x00", "").splitlines()
    header = _split(lines[0], sep) or [lines[0]]
    header = [h or f"column_{k}" for k, h in enumerate(header)]
    df = pd.DataFrame(_records(lines, sep, len(header), skip, report), columns=header)
    for col in df.columns:  # numbers back to numbers where the whole column is numeric
        conv = pd.to_numeric(df[col], errors="coerce")
        if conv.notna().sum() == (df[col].astype(str).str.strip() != "").sum():
            df[col] = conv
    return df


def _records(lines: list[str], sep: str, width: int, skip: list[int], report: IncidentReport) -> list[list[str]]:
    """The rows of ``lines`` after the header; what does not split into ``width`` fields goes to the report."""
    rows, i = [], 1
    while i < len(lines):
        if i in skip or not lines[i].strip():
            i += 1
            continue
        fields, last = _record(lines, i, sep, width)
        if fields is None or len(fields) != width:
            _salvage(lines[i], i, sep, width, rows, report)
            i += 1
            continue
        rows.append(fields)
        i = last + 1
    return rows


def _record(lines: list[str], i: int, sep: str, width: int) -> tuple[list[str] | None, int]:
    """The fields of the record that starts on line ``i``, and the line it ends on."""
    line = lines[i]
    fields = _split(line, sep)
    j = i
    # a quoted field may legitimately span lines: join while a quote is open (20 lines at most)
    while fields is not None and len(fields) < width and line.count('"') % 2 == 1 and j + 1 < len(lines) and j - i < 20:
        j += 1
        line = line + "\n" + lines[j]
        fields = _split(line, sep)
    return fields, j


def _salvage(line: str, i: int, sep: str, width: int, rows: list[list[str]], report: IncidentReport) -> None:
    """A stray quote or delimiter: the row when quotes are ignored, else the line kept in the report."""
    fields = _split(line, sep, quoting=csv.QUOTE_NONE) or []
    if len(fields) == width:
        rows.append([f.strip('"') for f in fields])
        report.counts["stray_quote"] += 1
        report.flagged.append({"row": len(rows) - 1, "issue": "stray_quote", "detail": line[:200]})
        return
    report.unparsed_lines.append(
        {"line": i + 1, "text": line[:500], "reason": f"{len(fields)} fields, expected {width}"}
    )


def _split(line: str, sep: str, **options) -> list[str] | None:
    """The fields of one CSV record, or None when the csv module cannot split it."""
    try:
        return next(csv.reader([line], delimiter=sep, **options), [])
    except csv.Error:
        return None


def _dataset(df: pd.DataFrame) -> str:
    cols = set(df.columns)
    if {"event_id_cnty", "event_date", "geo_precision"} <= cols:
        return "ACLED"
    if {"where_prec", "date_start", "best"} <= cols or {"where_prec", "type_of_violence"} <= cols:
        return "UCDP GED"
    if "dataset" in cols and df["dataset"].notna().any():
        return str(df["dataset"].dropna().iloc[0])
    return "table"


def _find(df: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    """The first of ``names`` among the columns, compared lower-cased and stripped ("Lat ", "LNG")."""
    lower = {str(c).lower().strip(): c for c in df.columns}
    for n in names:
        if n in lower:
            return lower[n]
    return None


# ---------------------------------------------------------------------------- mapping
def _to_canonical(df: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """The source's columns under the canonical names, every canonical column present."""
    import pandas as pd

    out: dict[str, Any] = {"dataset": dataset}  # one frame at the end, not a column at a time
    {"ACLED": _acled_columns, "UCDP GED": _ucdp_columns}.get(dataset, _table_columns)(df, out)
    for c in CANONICAL_COLUMNS:
        if c not in out:
            out[c] = pd.NA
    return pd.DataFrame(out, index=df.index)


def _acled_columns(df: pd.DataFrame, out: dict[str, Any]) -> None:
    """ACLED already uses the canonical names; its precision 1–3 is mapped onto the project's scale."""
    import pandas as pd

    out["source_event_id"] = df["event_id_cnty"].astype("string")
    keep = [c for c in CANONICAL_COLUMNS if c in df.columns and c not in out]
    for c in keep:
        out[c] = df[c]
    if "iso3" in df.columns:
        out["iso3"] = df["iso3"]
    raw = pd.to_numeric(df["geo_precision"], errors="coerce")
    out["precision_raw"] = "acled:" + raw.astype("Int64").astype("string")
    out["geo_precision"] = raw.map(ACLED_PRECISION).astype("Int64")  # date_start/end: the parsed event_date
    if "fatalities" in df.columns:
        out["fatalities_best"] = df["fatalities"]


#: UCDP GED's type_of_violence codes.
_UCDP_VIOLENCE = {1: "State-based conflict", 2: "Non-state conflict", 3: "One-sided violence"}


def _ucdp_columns(df: pd.DataFrame, out: dict[str, Any]) -> None:
    """UCDP GED's names mapped to ACLED's; where_prec 1–7 is already the project's scale."""
    import pandas as pd

    out["source_event_id"] = df["id"].astype("string") if "id" in df.columns else pd.NA
    out["event_date"] = df.get("date_start")
    out["date_start"] = df.get("date_start")
    out["date_end"] = df.get("date_end", df.get("date_start"))
    out["year"] = df.get("year")
    if "type_of_violence" in df.columns:
        out["event_type"] = pd.to_numeric(df["type_of_violence"], errors="coerce").map(_UCDP_VIOLENCE)
    out["sub_event_type"] = df.get("conflict_name")
    out["actor1"] = df.get("side_a")
    out["actor2"] = df.get("side_b")
    out["country"] = df.get("country")
    out["admin1"] = df.get("adm_1")
    out["admin2"] = df.get("adm_2")
    out["location"] = df.get("where_coordinates", df.get("where_description"))
    out["latitude"] = df.get("latitude")
    out["longitude"] = df.get("longitude")
    raw = pd.to_numeric(df["where_prec"], errors="coerce").astype("Int64")
    out["precision_raw"] = "ucdp:" + raw.astype("string")
    out["geo_precision"] = raw.where(raw.between(1, 7))
    out["source"] = df.get("source_original", df.get("source_office"))
    out["notes"] = df.get("source_headline", df.get("source_article"))
    for src, dst in (("low", "fatalities_low"), ("best", "fatalities_best"), ("high", "fatalities_high")):
        if src in df.columns:
            out[dst] = df[src]
    out["fatalities"] = out.get("fatalities_best")


def _table_columns(df: pd.DataFrame, out: dict[str, Any]) -> None:
    """Any other table: every column kept, the coordinate, date and place columns found by their usual names."""
    for c in df.columns:
        if c != "geometry":
            out[c] = df[c]
    lat, lon = _find(df, _LAT_NAMES), _find(df, _LON_NAMES)
    if lat is not None and lat != "latitude":
        out["latitude"] = df[lat]
    if lon is not None and lon != "longitude":
        out["longitude"] = df[lon]
    date = _find(df, DATE_COLUMNS)
    if date is not None and "event_date" not in out:
        out["event_date"] = df[date]
    place = _find(df, PLACE_COLUMNS)
    if place is not None and "location" not in out:
        out["location"] = df[place]
    if "geo_precision" in df.columns:
        out["precision_raw"] = "table:" + df["geo_precision"].astype("string")


# ---------------------------------------------------------------------------- validation
class _Flags:
    """Per-row issues, collected vectorised, joined once (in the order they were first raised)."""

    def __init__(self, n: int):
        self.n = n
        self.masks: dict[str, np.ndarray] = {}
        self.details: dict[str, Any] = {}

    def add(self, issue: str, mask, detail=None) -> None:
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            self.masks[issue] = self.masks.get(issue, np.zeros(self.n, bool)) | mask
            if detail is not None:
                self.details[issue] = detail

    def joined(self) -> np.ndarray:
        out = np.full(self.n, "", dtype=object)
        for issue, mask in self.masks.items():
            out[mask] = np.where(out[mask] == "", issue, out[mask] + ";" + issue)
        return out


def _gazetteer(gazetteer: Gazetteer | None) -> Gazetteer:
    """The caller's gazetteer, else the default one, loaded only when a step needs it."""
    from .gazetteer import Gazetteer

    return gazetteer or Gazetteer.default()


def _coordinates(df: pd.DataFrame, geom_in, flags: _Flags) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude as float arrays (NaN when absent); a file's points fill the gaps."""
    lat = _numeric(df["latitude"], "latitude", flags)
    lon = _numeric(df["longitude"], "longitude", flags)
    if geom_in is not None:
        pts = geom_in.reset_index(drop=True)
        is_pt = (pts.geom_type == "Point").to_numpy()
        fill = np.isnan(lat) & is_pt
        lat[fill] = pts[fill].y.to_numpy()
        lon[fill] = pts[fill].x.to_numpy()
    return lat, lon


def _numeric(series, name: str, flags: _Flags) -> np.ndarray:
    import pandas as pd

    if series.dtype.kind in "iuf":  # already numbers: nothing to report
        return np.array(series.to_numpy(dtype=float, na_value=np.nan), dtype=float)
    num = pd.to_numeric(series, errors="coerce")
    given = series.notna() & (series.astype("string").str.strip() != "")
    flags.add("bad_number", (given & num.isna()).to_numpy(), f"{name} is not a number")
    return np.array(num.to_numpy(dtype=float, na_value=np.nan), dtype=float)  # writable copy


def _validate_coordinates(
    df: pd.DataFrame, lat: np.ndarray, lon: np.ndarray, flags: _Flags, gazetteer: Gazetteer | None, fix_swapped: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flag missing, out-of-range, swapped and (0, 0) pairs; swap back the swapped ones if asked.

    Returns the coordinates and the mask of rows that came without a pair.
    """
    missing = np.isnan(lat) | np.isnan(lon)
    out_of_range = ~missing & ((np.abs(lat) > 90) | (np.abs(lon) > 180))
    null_island = ~missing & (lat == 0) & (lon == 0)
    swapped = _swapped(df, lat, lon, missing, out_of_range, null_island, flags, gazetteer)
    flags.add("swapped_coordinates", swapped)
    if fix_swapped:
        lat, lon = np.where(swapped, lon, lat), np.where(swapped, lat, lon)
        out_of_range &= ~swapped
    flags.add("out_of_range", out_of_range)
    flags.add("null_island", null_island)
    return lat, lon, missing


def _swapped(df, lat, lon, missing, out_of_range, null_island, flags: _Flags, gazetteer) -> np.ndarray:
    """Rows given as (longitude, latitude).

    A pair only valid the other way round is swapped; a pair valid both ways is
    judged by the row's country (its outline's bounds), else by its place name.
    """
    swapped = out_of_range & (np.abs(lon) <= 90) & (np.abs(lat) <= 180)
    country_col = df["country_code"] if df["country_code"].notna().any() else df["country"]
    if country_col.notna().any():
        gaz = _gazetteer(gazetteer)
        codes, cc = _country_codes(gaz, df, country_col)
        bounds = _country_bounds(gaz, {c for c in codes.values() if c})
        if bounds:
            known, inside, inside_swapped = _inside_bounds(bounds, cc, lat, lon)
            known &= ~missing & ~null_island
            flags.add("outside_country", known & ~inside & ~inside_swapped & ~out_of_range)
            # where the country is known it decides, out-of-range pairs included
            swapped = np.where(known, ~inside & inside_swapped, swapped)
    elif df["location"].notna().any() and (~missing).any():
        skip = missing | out_of_range | null_island
        swapped |= _swapped_by_name(_gazetteer(gazetteer), df["location"], lat, lon, skip)
    return swapped


def _country_codes(gaz: Gazetteer, df: pd.DataFrame, country_col) -> tuple[dict, np.ndarray]:
    """Each distinct country value → its ISO code, and the code of every row (filling ``country_code``)."""
    import pandas as pd

    codes = {v: gaz.country_code(str(v)) for v in pd.unique(country_col.dropna())}
    cc = country_col.map(codes).to_numpy(dtype=object)
    if df["country_code"].isna().all():
        df["country_code"] = cc
    return codes, cc


def _country_bounds(gaz: Gazetteer, codes) -> dict[str, tuple[float, float, float, float]]:
    out = {}
    for cc in codes:
        m = gaz.country(cc) if cc else None
        if m is not None and m.is_area:
            out[cc] = m.geometry.bounds
    return out


def _inside_bounds(bounds: dict, cc: np.ndarray, lat: np.ndarray, lon: np.ndarray):
    """Per row: is its country's box known, is (lat, lon) inside it, is (lon, lat) inside it.

    Vectorised over the distinct codes: one bounds row per code, gathered by index.
    """
    codes_u, inverse = np.unique(np.asarray(cc, dtype=str), return_inverse=True)
    table = np.array([bounds.get(c, (np.nan,) * 4) for c in codes_u], dtype=float).reshape(-1, 4)
    b = table[inverse.ravel()] if len(lat) else np.empty((0, 4))
    inside = (lon >= b[:, 0]) & (lon <= b[:, 2]) & (lat >= b[:, 1]) & (lat <= b[:, 3])
    inside_swapped = (lat >= b[:, 0]) & (lat <= b[:, 2]) & (lon >= b[:, 1]) & (lon <= b[:, 3])
    return ~np.isnan(b[:, 0]), inside, inside_swapped


def _swapped_by_name(gaz: Gazetteer, names, lat, lon, skip) -> np.ndarray:
    """Rows whose name resolves far from (lat, lon) but close to (lon, lat)."""
    from .geodesy import haversine_km

    out = np.zeros(len(lat), bool)
    cache: dict[str, Any] = {}
    for i, name in enumerate(names.to_numpy(dtype=object)):
        if skip[i] or not isinstance(name, str) or not name.strip():
            continue
        if name not in cache:
            cache[name] = gaz.resolve(name)
        m = cache[name]
        if m is None or m.feature_kind not in ("town", "admin2"):
            continue
        here = haversine_km(lat[i], lon[i], m.latitude, m.longitude)
        there = haversine_km(lon[i], lat[i], m.latitude, m.longitude) if abs(lon[i]) <= 90 else np.inf
        out[i] = here > 100 and there < 50
    return out


def _geocode_names(
    df: pd.DataFrame, missing: np.ndarray, lat, lon, flags: _Flags, gazetteer: Gazetteer | None, geocode: bool
) -> None:
    """Rows with a place name but no coordinates are located through the gazetteer (or flagged)."""
    by_name = missing & df["location"].notna().to_numpy()
    flags.add("missing_coordinates", missing & ~by_name)
    if by_name.any():
        if geocode:
            _geocode_rows(_gazetteer(gazetteer), df, by_name, lat, lon, flags)
        else:
            flags.add("missing_coordinates", by_name)


def _geocode_rows(gaz: Gazetteer, df, rows: np.ndarray, lat, lon, flags: _Flags) -> None:
    import pandas as pd

    names = df["location"].to_numpy(dtype=object)
    ccs = np.array(df["country_code"].to_numpy(dtype=object), dtype=object)
    unknown = np.zeros(len(df), bool)
    prec = np.array(df["geo_precision"].astype("Int64").to_numpy(dtype=object, na_value=None), dtype=object)
    sid, mname, score = (np.full(len(df), None, dtype=object) for _ in range(3))
    for i in np.flatnonzero(rows):
        cc = ccs[i] if isinstance(ccs[i], str) and ccs[i] else None
        m = gaz.resolve(str(names[i]), country=cc) if cc and gaz.country_code(cc) else gaz.resolve(str(names[i]))
        if m is None:
            unknown[i] = True
            continue
        lat[i], lon[i] = m.latitude, m.longitude
        sid[i], mname[i], score[i] = f"{m.source}:{m.source_id}", m.name, m.score
        # a town's centre is at best "near a named place"; an area's precision is its kind's
        prec[i] = max(KIND_PRECISION.get(m.feature_kind, NAMED_PLACE_PRECISION), NAMED_PLACE_PRECISION)
        if not isinstance(ccs[i], str) or not ccs[i]:
            ccs[i] = m.country_code
    df["source_id"] = sid
    df["matched_name"] = mname
    df["match_score"] = pd.to_numeric(pd.Series(score), errors="coerce").to_numpy()
    df["geo_precision"] = pd.array(prec, dtype="Int64")
    df["country_code"] = ccs
    flags.add("geocoded_by_name", rows & ~unknown)
    flags.add("unknown_name", unknown, "location name not found in the gazetteer")


def _validate_dates(df: pd.DataFrame, raw: pd.DataFrame, flags: _Flags, report: IncidentReport) -> None:
    """``event_date`` parsed and checked; the date range defaults to it."""
    import pandas as pd

    if df["event_date"].notna().any() or _find(raw, DATE_COLUMNS) is not None:
        df["event_date"] = _parse_dates(df["event_date"], flags)
    else:
        report.notes.append("the table has no date column")
        df["event_date"] = pd.to_datetime(df["event_date"])
    for c in ("date_start", "date_end"):
        if df[c].notna().any():
            df[c] = pd.to_datetime(df[c], errors="coerce", format="mixed")
        else:
            df[c] = df["event_date"]


def _parse_dates(series, flags: _Flags):
    """ISO dates in one vectorised pass; only what that misses is retried as mixed, day-first dates."""
    import pandas as pd

    if str(series.dtype).startswith("datetime"):
        parsed = series
    else:
        parsed = pd.to_datetime(series, format="ISO8601", errors="coerce")
        blank = series.isna().to_numpy() | (series.astype(object) == "").to_numpy()
        retry = parsed.isna().to_numpy() & ~blank
        if retry.any():
            s = series[retry].astype("string").str.strip()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                again = pd.to_datetime(s, format="mixed", errors="coerce", dayfirst=True)
            parsed = parsed.copy()
            parsed[retry] = again
            blank[retry] = (s == "").to_numpy(dtype=bool, na_value=True)
        flags.add("bad_date", parsed.isna().to_numpy() & ~blank)
        flags.add("missing_date", blank)
    too_far = (parsed < pd.Timestamp("1900-01-01")) | (parsed > pd.Timestamp.now() + pd.Timedelta(days=1))
    flags.add("date_out_of_range", too_far.fillna(False).to_numpy())
    return parsed.where(~too_far)


def _validate_numbers_and_ids(df: pd.DataFrame, missing: np.ndarray, flags: _Flags) -> None:
    """Fatalities as nullable integers, duplicate ids flagged, a default precision for given points."""
    import pandas as pd

    for c in ("fatalities", "fatalities_low", "fatalities_best", "fatalities_high"):
        if df[c].notna().any():
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("Int64")
    ids = df["source_event_id"] if df["source_event_id"].notna().any() else df["event_id_cnty"]
    if ids.notna().any():
        flags.add("duplicate_id", (ids.duplicated(keep="first") & ids.notna()).to_numpy())
    if "geo_precision" in df.columns and df["geo_precision"].isna().all():
        # a table that states no precision: its own coordinates are taken as exact (GEO_PRECISION 1)
        n = len(df)
        df["geo_precision"] = pd.array(np.where(missing, pd.NA, 1), dtype="Int64") if n else pd.array([], "Int64")


def _assemble(df: pd.DataFrame, lat, lon, flags: _Flags, geom_in) -> geopandas.GeoDataFrame:
    """The GeoDataFrame: points where the row's location is usable, the file's own areas kept."""
    import geopandas as gpd

    fatal = np.zeros(len(df), bool)
    for issue, mask in flags.masks.items():
        if issue in _FATAL:
            fatal |= mask
    usable = ~fatal & ~np.isnan(lat) & ~np.isnan(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    df["latitude"] = np.where(usable, lat, np.nan)
    df["longitude"] = np.where(usable, lon, np.nan)
    df["valid"] = usable
    df["issues"] = flags.joined()
    geometry = gpd.points_from_xy(np.where(usable, lon, np.nan), np.where(usable, lat, np.nan))
    geometry[~usable] = None
    if geom_in is not None:  # keep areas given by the file
        areas = ~(geom_in.geom_type == "Point").to_numpy() & geom_in.notna().to_numpy()
        if areas.any():
            geometry = gpd.GeoSeries(geometry, crs=4326)
            geometry[areas] = geom_in.reset_index(drop=True)[areas]
            df.loc[areas, "valid"] = True
    return gpd.GeoDataFrame(df, geometry=geometry, crs="EPSG:4326")


def _assemble_report(report: IncidentReport, flags: _Flags) -> IncidentReport:
    """Counts and one entry per flagged row, issue by issue."""
    for issue, mask in flags.masks.items():
        report.counts[issue] = int(mask.sum())
        detail = flags.details.get(issue, "")
        report.flagged += [{"row": int(i), "issue": issue, "detail": detail} for i in np.flatnonzero(mask)]
    return report
