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

import codecs
import csv
import io
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

__all__ = ["CANONICAL_COLUMNS", "GEO_PRECISION", "IncidentReport", "detect_encoding", "read_incidents"]

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
    """What :func:`read_incidents` found wrong, row by row.

    ``encoding`` names the codec a text file was read with; ``skipped`` the parts of a
    file not read (sheets without events); ``unparsed_lines`` the lines no row holds.
    """

    source: str
    rows: int = 0
    counts: Counter = field(default_factory=Counter)
    flagged: list[dict] = field(default_factory=list)  # {"row", "issue", "detail"}
    unparsed_lines: list[dict] = field(default_factory=list)  # {"line", "text", "reason"}
    notes: list[str] = field(default_factory=list)
    encoding: str | None = None
    skipped: list[str] = field(default_factory=list)
    #: row issues the reader found (a stray quote), handed to the validation's flags
    pending: list[dict] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.counts and not self.unparsed_lines and not self.skipped

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
            lines += [f"    line {u['line']}: {u['reason']}" for u in self.unparsed_lines[:5]]
        if self.skipped:
            lines.append(f"  not read: {', '.join(self.skipped)}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


# ---------------------------------------------------------------------------- the entry point
def read_incidents(
    source: Any,
    *,
    gazetteer: Gazetteer | None = None,
    geocode: bool = True,
    fix_swapped: bool = True,
    dayfirst: bool | None = None,
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
        flagged ``swapped_coordinates`` either way). Only with evidence: a pair valid only
        the other way round is swapped when the row's country or place name agrees.
    dayfirst : bool, optional
        How to read numeric dates such as 11/01/2020 in a column whose values do not
        decide it (no day above 12). A column with a first number above 12 is day-first,
        one with a second number above 12 month-first, whatever this says; without
        this, undecidable dates are read day-first and flagged ``ambiguous_date``.
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
    ...                    "latitude": [38.9096, 46.4068], "longitude": [46.0227, 39.2076]})
    >>> gdf = read_incidents(df, warn=False)
    >>> gdf[["location", "valid", "issues"]].values.tolist()
    [['Ordubad', True, ''], ['Kapan', True, 'swapped_coordinates;bad_date']]
    """
    import pandas as pd

    report = IncidentReport(source="frame" if isinstance(source, pd.DataFrame) else str(source))
    raw, geom_in = _read_table(source, report)
    dataset = _dataset(raw)
    df = _to_canonical(raw.reset_index(drop=True), dataset)
    report.rows = len(df)
    # the steps add their issues; ``issues`` lists them in the order of _ISSUE_ORDER
    flags = _Flags(len(df))
    prior = _prior_verdicts(df, dataset, flags, report)
    lat, lon, areas = _coordinates(df, geom_in, flags)
    lat, lon, missing = _validate_coordinates(df, lat, lon, areas, flags, gazetteer, fix_swapped)
    _geocode_names(df, missing & ~prior, lat, lon, flags, gazetteer, geocode)
    _validate_dates(df, raw, flags, report, dayfirst)
    _validate_numbers_and_ids(df, missing, areas, flags)
    _forget_implied(flags, prior)
    gdf = _assemble(df, lat, lon, areas, flags, geom_in)
    gdf.attrs["report"] = _assemble_report(report, flags)
    if warn and not report.ok:
        warnings.warn(str(report), stacklevel=2)
    return gdf


# ---------------------------------------------------------------------------- reading
def _read_table(source: Any, report: IncidentReport) -> tuple[pd.DataFrame, geopandas.GeoSeries | None]:
    """The table as read, and its own geometries in EPSG:4326 when the file has them (WKT text included)."""
    import geopandas as gpd

    raw = _read_any(source, report)
    geom_in = raw.geometry if isinstance(raw, gpd.GeoDataFrame) and raw.geometry.name in raw.columns else None
    if geom_in is None and "geometry" in raw.columns:
        geom_in = _wkt_geometry(raw["geometry"], report)
    if geom_in is not None and geom_in.crs is not None and geom_in.crs.to_epsg() != 4326:
        geom_in = geom_in.to_crs(4326)
    return raw, geom_in


def _wkt_geometry(values, report: IncidentReport):
    """A text column of WKT (what :func:`geoconflict.io.write` puts in CSV and XLSX) as geometries, or None."""
    import geopandas as gpd
    import shapely

    text = values.astype("string")
    given = text.notna() & (text.str.strip() != "")
    if not given.any():
        return None
    geoms = shapely.from_wkt(text.where(given, None).to_numpy(dtype=object, na_value=None), on_invalid="ignore")
    bad = given.to_numpy() & shapely.is_missing(geoms)
    if bad.all():
        return None  # a column that merely shares the name
    if bad.any():
        report.notes.append(f"{int(bad.sum())} geometry cells are not WKT: their rows use latitude/longitude")
    return gpd.GeoSeries(geoms, index=values.index, crs=4326)


def _read_any(source: Any, report: IncidentReport) -> pd.DataFrame:
    import geopandas as gpd
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        return source.copy()
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(f"incident file {path} not found")
    if path.is_dir():
        raise ValueError(f"{path} is a folder: pass one incident file inside it (CSV, Excel, GeoJSON …)")
    ext = path.suffix.lower()
    if ext in (".csv", ".tsv", ".tab", ".txt"):
        return _unescape_formulas(_read_csv(path, report))
    if ext in (".xlsx", ".xls"):
        return _unescape_formulas(_read_excel(path, report))
    if ext in (".parquet", ".geoparquet"):
        try:
            return gpd.read_parquet(path)
        except (ValueError, KeyError):
            return pd.read_parquet(path)
    if ext in (".geojson", ".json", ".gpkg", ".shp", ".fgb", ".kml", ".gml"):
        return _gis_names(gpd.read_file(path), ext)
    raise ValueError(
        f"cannot read {path.name}: use CSV, Excel, GeoJSON, GeoPackage, Shapefile, FlatGeobuf, KML or Parquet"
    )


#: Fields the KML driver adds to every placemark: not columns of the table that was written.
_KML_OWN_FIELDS = frozenset(
    {"id", "Name", "description", "timestamp", "begin", "end", "altitudeMode", "tessellate", "extrude"}
    | {"visibility", "drawOrder", "icon", "Name2", "Description2", "kml_label", "kml_description"}
)


def _gis_names(gdf, ext: str):
    """Column names as :func:`geoconflict.io.write` had them before a format shortened or reserved them."""
    if ext == ".shp":
        from .io import SHAPEFILE_NAMES  # io imports nothing of the package: no cycle

        longer = {short[:10]: name for name, short in SHAPEFILE_NAMES.items() if short[:10] != name}
        return gdf.rename(columns={c: longer[c] for c in gdf.columns if c in longer and longer[c] not in gdf.columns})
    if ext == ".kml":
        from .io import KML_RESERVED

        gdf = gdf.drop(columns=[c for c in gdf.columns if c in _KML_OWN_FIELDS])
        back = {f"{c}_": c for c in KML_RESERVED}
        gdf = gdf.rename(columns={c: back[c] for c in gdf.columns if c in back})
        return _unescape_formulas(gdf)
    return gdf


#: A cell the writers prefixed with a quote so that a spreadsheet shows it as text (OWASP's rule).
_ESCAPED_FORMULA = re.compile(r"'+[=+\-@\t\r]")


def _unescape_formulas(df):
    """Undo the writers' formula escape (one leading quote before ``= + - @`` or tab/CR), column by column."""
    for c in df.columns:
        if c == "geometry" or _numeric_dtype(df[c]) or str(df[c].dtype) == "geometry":
            continue
        # a vectorised test for the leading quote first: the 1M-row read pays one scan per text column
        col = df[c] if df[c].dtype != object else df[c].astype("string")
        quoted = col.str.startswith("'").fillna(False).to_numpy(dtype=bool)
        if not quoted.any():
            continue
        text = df[c].astype("string")
        escaped = quoted & text.str.match(_ESCAPED_FORMULA.pattern).fillna(False).to_numpy(dtype=bool)
        if escaped.any():
            df[c] = df[c].astype(object)
            df.loc[escaped, c] = text[escaped].str.slice(1).to_numpy(dtype=object)
    return df


def _read_excel(path: Path, report: IncidentReport) -> pd.DataFrame:
    """Every sheet that holds events (one ``sheet`` column says which); the others named in the report."""
    import pandas as pd

    sheets = pd.read_excel(path, sheet_name=None)
    filled = {name: df for name, df in sheets.items() if not df.dropna(how="all").empty}
    empty = [name for name in sheets if name not in filled]
    if empty:
        report.notes.append(f"empty sheets: {', '.join(map(repr, empty))}")
    if not filled:
        raise ValueError(f"{path} holds no table: every sheet is empty")
    events = [name for name, df in filled.items() if _looks_like_events(df)] or list(filled)[:1]
    skipped = [name for name in filled if name not in events]
    if skipped:
        report.skipped += [f"sheet {name!r}" for name in skipped]
        report.notes.append(
            f"sheets without event columns (coordinates, place or date) not read: {', '.join(map(repr, skipped))}"
        )
    if len(sheets) == 1:
        return filled[events[0]]
    report.notes.append(f"sheets read: {', '.join(map(repr, events))} (their names are in the sheet column)")
    return pd.concat([filled[name].assign(sheet=name) for name in events], ignore_index=True)


def _looks_like_events(df: pd.DataFrame) -> bool:
    has_point = _find(df, _LAT_NAMES) is not None and _find(df, _LON_NAMES) is not None
    return has_point or any(_find(df, names) is not None for names in (PLACE_COLUMNS, DATE_COLUMNS))


# ---------------------------------------------------------------------------- CSV
def _read_csv(path: Path, report: IncidentReport) -> pd.DataFrame:
    """Read a CSV fast; fall back to a line-by-line reader that accounts for every line."""
    src = _CsvSource.open(path, report)
    sep, skip = _csv_layout(src, report)
    df = _fast_read_csv(src, sep, skip, report)
    if df is not None:
        expected = _lines_unaccounted(src, df, skip, sep)
        if expected is None:
            return _note_duplicate_columns(df, report)
        report.notes.append(
            f"the fast parser's {len(df)} rows do not account for the {expected} lines, or a quote is left open: "
            "re-read line by line"
        )
    return _read_csv_robust(src.text(), sep, skip, report)


#: Byte-order marks, longest first (UTF-32's little-endian mark starts with UTF-16's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Bytes an encoding is guessed from: enough for a detector, small enough to keep a 1M-row read fast.
_SAMPLE_BYTES = 1 << 16


@dataclass
class _CsvSource:
    """A CSV file and how to decode it; UTF-16/32 files are held transcoded to UTF-8, so lines are bytes lines."""

    path: Path
    encoding: str
    errors: str = "strict"
    data: bytes | None = None  # the transcoded bytes, when the file's encoding is not ASCII-compatible

    @classmethod
    def open(cls, path: Path, report: IncidentReport) -> _CsvSource:
        with open(path, "rb") as fh:
            head = fh.read(_SAMPLE_BYTES)
        encoding, how = detect_encoding(head)
        src = cls(path, encoding)
        if encoding in ("utf-16", "utf-32") or encoding.replace("_", "-").startswith(("utf-16", "utf-32")):
            src.data = path.read_bytes().decode(encoding, errors="replace").lstrip("\ufeff").encode("utf-8")
            src.encoding = "utf-8"
        _say_encoding(report, encoding, how)
        return src

    def buffer(self):
        return io.BytesIO(self.data) if self.data is not None else self.path

    def chunks(self):
        if self.data is not None:
            yield self.data
            return
        with open(self.path, "rb") as fh:
            yield from iter(lambda: fh.read(1 << 22), b"")

    def head(self) -> bytes:
        if self.data is not None:
            return self.data[:_SAMPLE_BYTES]
        with open(self.path, "rb") as fh:
            return fh.read(_SAMPLE_BYTES)

    def text(self) -> str:
        raw = self.data if self.data is not None else self.path.read_bytes()
        return raw.decode("utf-8-sig" if self.encoding == "utf-8" else self.encoding, errors=self.errors)

    def redetect(self, report: IncidentReport) -> None:
        """UTF-8 at the start, not further on: guess again from the bytes around the first that is not."""
        report.encoding = None
        at = _first_bad_utf8(self)
        with open(self.path, "rb") as fh:
            fh.seek(max(0, at - _SAMPLE_BYTES // 2))
            sample = fh.read(_SAMPLE_BYTES)
        head = self.head()
        if head.isascii():
            encoding, how = detect_encoding(sample, utf8=False)
        else:  # real UTF-8 earlier on: a few broken bytes, not another encoding
            encoding, how = "utf-8", "UTF-8 with bytes that are not (replaced by U+FFFD)"
            report.counts["encoding"] += 1
        self.encoding, self.errors = encoding, "replace"
        _say_encoding(report, encoding, how + f", from byte {at:,}")


#: Among guesses that fit equally well, the encodings most tables are written in come first.
_COMMON_ENCODINGS = ("utf_8", "cp1252", "cp1251", "cp1250", "cp1256", "cp1254", "cp1253", "cp1255", "cp1257")


def detect_encoding(sample: bytes, *, utf8: bool = True) -> tuple[str, str]:
    """``(codec, how it was found)`` for bytes: a byte-order mark, valid UTF-8, else charset-normalizer's guess.

    Of guesses that fit equally well, the more common Windows code page wins (French
    text fits cp1250 as well as cp1252, and cp1252 is the likelier).

    Examples
    --------
    >>> detect_encoding("Обстрел Вардениса, сообщили в министерстве".encode("cp1251"))[0]
    'cp1251'
    >>> detect_encoding(codecs.BOM_UTF8 + b"Kapan")
    ('utf-8-sig', 'byte-order mark')
    """
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding, "byte-order mark"
    if utf8 and b"\x00" not in sample:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
            return "utf-8", "valid UTF-8"
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    guesses = list(from_bytes(sample))
    if not guesses:
        return "utf-8", "no encoding fits: UTF-8 with U+FFFD for the bytes that are not"
    least = min(g.chaos for g in guesses)
    tied = [g for g in guesses if g.chaos <= least + 0.01]
    rank = {e: k for k, e in enumerate(_COMMON_ENCODINGS)}
    best = min(tied, key=lambda g: rank.get(g.encoding, len(rank)))
    return best.encoding, f"detected by charset-normalizer on {len(sample):,} bytes"


def _say_encoding(report: IncidentReport, encoding: str, how: str) -> None:
    report.encoding = encoding
    if encoding not in ("utf-8", "ascii"):
        report.notes.append(f"encoding: {encoding} ({how})")


def _first_bad_utf8(src: _CsvSource) -> int:
    """The offset of the first byte that is not UTF-8 (incremental: no whole-file copy)."""
    decoder, offset = codecs.getincrementaldecoder("utf-8")(), 0
    for chunk in src.chunks():
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            return offset + max(0, exc.start)
        offset += len(chunk)
    return offset


def _csv_layout(src: _CsvSource, report: IncidentReport) -> tuple[str, list[int]]:
    """The delimiter, and the lines to skip (HDX's row of HXL hashtags under the header)."""
    head = src.head()
    text = head.decode(src.encoding, errors="replace") if src.data is None else head.decode("utf-8", "replace")
    if not text.lstrip("\ufeff").strip():
        what = "only a byte-order mark" if head.strip() else "nothing"
        raise ValueError(f"{src.path} is empty (it holds {what}): export the table again with its header and rows")
    first_lines = head.split(b"\n", 2)
    skip = [1] if len(first_lines) > 1 and _is_hxl_row(first_lines[1]) else []
    if skip:
        report.notes.append("HDX layout: the second line of HXL hashtags was skipped")
    sep = "\t" if src.path.suffix.lower() in (".tsv", ".tab") else ","
    return sep, skip


def _fast_read_csv(src: _CsvSource, sep: str, skip: list[int], report: IncidentReport) -> pd.DataFrame | None:
    """pandas' C parser, or None (with a note) when it cannot split the file."""
    import pandas as pd

    options = {"sep": sep, "skiprows": skip, "low_memory": False}
    encoding = "utf-8-sig" if src.encoding == "utf-8" else src.encoding
    try:
        try:
            df = pd.read_csv(src.buffer(), encoding=encoding, encoding_errors=src.errors, **options)
        except UnicodeDecodeError:
            src.redetect(report)
            df = pd.read_csv(src.buffer(), encoding=src.encoding, encoding_errors="replace", **options)
    except (pd.errors.ParserError, ValueError) as exc:  # UnicodeDecodeError of the second read included
        report.notes.append(f"the fast parser failed ({str(exc).splitlines()[0]}): re-read line by line")
        return None
    if not isinstance(df.index, pd.RangeIndex):
        # a first row with one field more than the header makes pandas take the first column as the index,
        # shifting every value by one column, silently
        report.notes.append("the first row has more fields than the header: re-read line by line")
        return None
    return df


def _note_duplicate_columns(df: pd.DataFrame, report: IncidentReport) -> pd.DataFrame:
    dupes = [c for c in df.columns if re.fullmatch(r".+\.\d+", str(c)) and str(c).rsplit(".", 1)[0] in df.columns]
    if dupes:
        report.notes.append(f"repeated column names were numbered: {', '.join(map(str, dupes))}")
    return df


def _lines_unaccounted(src: _CsvSource, df: pd.DataFrame, skip: list[int], sep: str) -> int | None:
    """None when the rows read account for every line of the file, else the number of lines expected.

    The parser may skip lines silently (a line it cannot end), and a stray quote makes it
    swallow the lines up to the next quote into one cell; counting the bytes' lines, and
    looking at what the line breaks inside cells hold, is what makes "nothing dropped" checkable.
    """
    lines, odd = _count_lines(src)
    expected = lines - 1 - len(skip)
    if len(df) == expected:
        return None if not odd else expected  # every line a row, but some with a quote left open
    expected -= _count_blank_lines(src)  # pandas skips blank lines
    if len(df) == expected:
        return None if not odd else expected
    # quoted fields may hold line breaks: those lines are inside rows, not lost — unless they read as
    # records, or more lines leave a quote open than the cells that span lines explain (two each)
    embedded, cells, swallowed = _line_breaks_in_cells(df, sep)
    return None if len(df) + embedded == expected and odd == 2 * cells and not swallowed else expected


def _line_breaks_in_cells(df: pd.DataFrame, sep: str) -> tuple[int, int, bool]:
    """Line breaks inside cells, the cells that hold them, and whether one looks like a swallowed record."""
    width, embedded, n_cells, swallowed = len(df.columns), 0, 0, False
    for k, c in enumerate(df.columns):
        if _numeric_dtype(df[c]):
            continue
        text = df[c].astype("string")
        cells = text[text.str.contains("\n", regex=False).fillna(False).to_numpy(dtype=bool)]
        n_cells += len(cells)
        for cell in cells:
            embedded += cell.count("\n")
            swallowed = swallowed or _looks_swallowed(cell, k, width, sep)
    return embedded, n_cells, swallowed


def _looks_swallowed(cell: str, k: int, width: int, sep: str) -> bool:
    """Whether a cell spanning lines holds lines a stray quote swallowed rather than a note's own lines.

    A stray quote's cell in column ``k`` holds the rest of its line (the separators of the
    fields after it), then whole lines, then the start of a line up to column ``k`` (``k``
    separators); half a record's separators is far more than a note's commas.
    """
    half = (width - 1) // 2
    first, later = max(1, min(width - k - 1, half)), max(1, min(k, half))
    pieces = cell.split("\n")
    return pieces[0].count(sep) >= first or any(p.count(sep) >= later for p in pieces[1:])


def _is_hxl_row(line: bytes) -> bool:
    """HDX's second header row: only HXL hashtags (#date+occurred, #geo+lat …) and empty fields."""
    fields = [f.strip() for f in line.decode("utf-8", errors="replace").strip().split(",")]
    tags = [f for f in fields if f]
    return len(tags) >= 2 and all(re.fullmatch(r"#[a-z][\w+]*", f) for f in tags)


def _numeric_dtype(series) -> bool:
    return series.dtype.kind in "biufM"


def _count_lines(src: _CsvSource) -> tuple[int, int]:
    """Records if no field spans lines, counted on the bytes; and the lines with an odd number of quotes.

    A line with an odd number of quotes opens a field it does not close: the first and
    last lines of a cell that spans lines, or a stray quote, which the fast parser
    merges or pads into a row without a word. Counted vectorised, 4 MB at a time.
    """
    lines = odd = quotes = 0
    last_parity = 0
    last = b""
    for chunk in src.chunks():
        arr = np.frombuffer(chunk, dtype=np.uint8)
        at_quote = np.flatnonzero(arr == 34)
        at_newline = np.flatnonzero(arr == 10)
        parity = (np.searchsorted(at_quote, at_newline) + quotes) & 1  # of the quotes before each line end
        odd += int(np.count_nonzero(parity != np.concatenate(([last_parity], parity[:-1]))))
        if len(parity):
            last_parity = int(parity[-1])
        quotes += len(at_quote)
        lines += len(at_newline)
        last = chunk
    unterminated = 1 if last and not last.endswith(b"\n") else 0
    return lines + unterminated, odd + (unterminated and (quotes & 1) != last_parity)


def _count_blank_lines(src: _CsvSource) -> int:
    text = b"".join(src.chunks()).replace(b"\r\n", b"\n")
    return text.count(b"\n\n") + (1 if text.startswith(b"\n") else 0)


def _read_csv_robust(text: str, sep: str, skip: list[int], report: IncidentReport) -> pd.DataFrame:
    """Line by line: every line becomes a row, a row flagged ``stray_quote``, or an unparsed line.

    Lines end at ``\\n`` only: U+2028, NEL and a lone CR inside a field are the field's text.
    """
    import pandas as pd

    lines = [line.removesuffix("\r") for line in text.lstrip("\ufeff").replace("\x00", "").split("\n")]
    header = _unique_names(_split(lines[0], sep) or [lines[0]], report)
    df = pd.DataFrame(_records(lines, sep, len(header), skip, report), columns=header)
    for col in df.columns:  # numbers back to numbers where the whole column is numeric
        conv = pd.to_numeric(df[col], errors="coerce")
        if conv.notna().sum() == (df[col].astype(str).str.strip() != "").sum():
            df[col] = conv
    return df


def _unique_names(header: list[str], report: IncidentReport) -> list[str]:
    """Column names as pandas makes them: blanks named by position, repeats numbered (``x``, ``x.1``)."""
    out: list[str] = []
    seen: Counter = Counter()
    for k, name in enumerate(header):
        name = name or f"column_{k}"
        unique = name if not seen[name] else f"{name}.{seen[name]}"
        seen[name] += 1
        out.append(unique)
    renamed = [b for a, b in zip(header, out, strict=True) if a and a != b]
    if renamed:
        report.notes.append(f"repeated column names were numbered: {', '.join(renamed)}")
    return out


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


#: A quoted field may span this many lines (a long note); past that the quote is taken as stray.
_MAX_RECORD_LINES = 1000


def _record(lines: list[str], i: int, sep: str, width: int) -> tuple[list[str] | None, int]:
    """The fields of the record that starts on line ``i``, and the line it ends on.

    A quote left open joins the following lines — but never a line that is a whole
    record by itself: then the quote on line ``i`` is stray, line ``i`` is salvaged or
    reported on its own, and the next line is read as the record it is.
    """
    line = lines[i]
    fields = _split(line, sep)
    j = i
    # an odd number of quotes leaves a field open (csv still splits such a line into fields)
    while line.count('"') % 2 == 1 and j + 1 < len(lines) and j - i < _MAX_RECORD_LINES:
        nxt = lines[j + 1]  # a record of its own, or one with a stray quote of its own: not part of this one
        if _whole_record(nxt, sep, width) or _whole_record(nxt, sep, width, quoting=csv.QUOTE_NONE):
            return None, i
        j += 1
        line = line + "\n" + lines[j]
        fields = _split(line, sep)
    if line.count('"') % 2 == 1:  # still open at the end of the file (or of the lines a cell may span)
        return None, i
    if j > i and fields and any("\n" in f and _looks_swallowed(f, k, width, sep) for k, f in enumerate(fields)):
        return None, i  # the quote on line i is stray, and the lines joined are records
    return fields, j


def _whole_record(line: str, sep: str, width: int, **options) -> bool:
    fields = _split(line, sep, **options)
    balanced = "quoting" in options or line.count('"') % 2 == 0
    return fields is not None and len(fields) == width and balanced


def _salvage(line: str, i: int, sep: str, width: int, rows: list[list[str]], report: IncidentReport) -> None:
    """A stray quote or delimiter: the row when quotes are ignored, else the line kept in the report."""
    fields = _split(line, sep, quoting=csv.QUOTE_NONE) or []
    if len(fields) == width:
        rows.append([f.strip('"') for f in fields])
        report.pending.append({"row": len(rows) - 1, "issue": "stray_quote", "detail": f"line {i + 1}: {line[:200]}"})
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
    """Which layout the columns are in. Only the columns decide: a ``dataset`` column is data, kept per row."""
    cols = set(df.columns)
    if {"precision_raw", "valid", "issues"} <= cols:
        return "canonical"  # a table geoconflict wrote: its precision is already on the project's scale
    if {"event_id_cnty", "event_date", "geo_precision"} <= cols:
        return "ACLED"
    if {"where_prec", "date_start", "best"} <= cols or {"where_prec", "type_of_violence"} <= cols:
        return "UCDP GED"
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
    if dataset == "canonical" and "dataset" not in df.columns:
        out["dataset"] = "table"
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
    import pandas as pd

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
        out["geo_precision"] = pd.to_numeric(df["geo_precision"], errors="coerce")
        if "precision_raw" not in df.columns:  # a table geoconflict wrote keeps the source's own code
            out["precision_raw"] = "table:" + df["geo_precision"].astype("string")


# ---------------------------------------------------------------------------- validation
#: The order ``issues`` lists a row's problems in: the order of the steps that find them.
_ISSUE_ORDER = (
    "stray_quote",
    "bad_number",
    "coordinates_disagree",
    "outside_country",
    "swapped_coordinates",
    "out_of_range",
    "null_island",
    "missing_coordinates",
    "geocoded_by_name",
    "unknown_name",
    "bad_date",
    "ambiguous_date",
    "missing_date",
    "date_out_of_range",
    "duplicate_id",
)


class _Flags:
    """Per-row issues, collected vectorised, joined once (in :data:`_ISSUE_ORDER`, then as first raised)."""

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
        rank = {issue: k for k, issue in enumerate(_ISSUE_ORDER)}
        out = np.full(self.n, "", dtype=object)
        for issue in sorted(self.masks, key=lambda i: rank.get(i, len(rank))):
            mask = self.masks[issue]
            out[mask] = np.where(out[mask] == "", issue, out[mask] + ";" + issue)
        return out


def _gazetteer(gazetteer: Gazetteer | None) -> Gazetteer:
    """The caller's gazetteer, else the default one, loaded only when a step needs it."""
    from .gazetteer import Gazetteer

    return gazetteer or Gazetteer.default()


def _prior_verdicts(df: pd.DataFrame, dataset: str, flags: _Flags, report: IncidentReport) -> np.ndarray:
    """The reader's row issues, and those of a table geoconflict wrote (kept); returns its rows already invalid.

    A written table holds what validation made of the source — a swapped pair swapped
    back, a bad date left empty —, so its verdicts are kept rather than found again from
    the values that replaced the originals; its invalid rows are not placed by name.
    """
    for entry in report.pending:
        mask = np.zeros(len(df), bool)
        mask[entry["row"]] = True
        flags.add(entry["issue"], mask, entry["detail"])
    report.flagged += report.pending
    if dataset != "canonical":
        return np.zeros(len(df), bool)
    issues = df["issues"].astype("string").fillna("").str.strip()
    for issue in sorted({i for text in issues.unique() for i in text.split(";") if i}):
        flags.add(issue, issues.str.split(";").map(lambda parts, i=issue: i in parts).to_numpy(dtype=bool))
    valid = df["valid"].astype("string").str.strip().str.lower()
    return valid.isin(["false", "0"]).to_numpy(dtype=bool)


def _forget_implied(flags: _Flags, prior: np.ndarray) -> None:
    """Issues that only say a written table left a bad value empty, on rows whose kept verdict says why."""
    said = {
        "missing_date": ("bad_date", "date_out_of_range"),
        "missing_coordinates": (),  # a written invalid row has no coordinates: its verdict is kept instead
    }
    for implied, causes in said.items():
        if implied not in flags.masks:
            continue
        because = prior.copy() if not causes else np.zeros(flags.n, bool)
        for cause in causes:
            because |= flags.masks.get(cause, np.zeros(flags.n, bool))
        flags.masks[implied] &= ~because
        if not flags.masks[implied].any():
            del flags.masks[implied]


def _coordinates(df: pd.DataFrame, geom_in, flags: _Flags) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Latitude and longitude as float arrays (NaN when absent), and the rows the file gives as areas.

    A file's own point wins over latitude/longitude properties that disagree with it
    (they are flagged); an area's coordinates are a point inside it, not a geocoded name.
    """
    lat = _numeric(df["latitude"], "latitude", flags)
    lon = _numeric(df["longitude"], "longitude", flags)
    areas = np.zeros(len(df), bool)
    if geom_in is None:
        return lat, lon, areas
    geoms = geom_in.reset_index(drop=True)
    present = (geoms.notna() & ~geoms.is_empty).to_numpy()
    is_pt = present & (geoms.geom_type == "Point").to_numpy()
    x, y = np.full(len(df), np.nan), np.full(len(df), np.nan)
    x[is_pt], y[is_pt] = geoms[is_pt].x.to_numpy(), geoms[is_pt].y.to_numpy()
    given = is_pt & ~np.isnan(lat) & ~np.isnan(lon)
    with np.errstate(invalid="ignore"):
        disagree = given & ((np.abs(lat - y) > 1e-6) | (np.abs(lon - x) > 1e-6))
    flags.add("coordinates_disagree", disagree, "latitude/longitude differ from the point's geometry, which is used")
    lat[is_pt], lon[is_pt] = y[is_pt], x[is_pt]
    areas = present & ~is_pt
    if areas.any():
        inner = geoms[areas].representative_point()
        fill = np.isnan(lat[areas]) | np.isnan(lon[areas])
        lat[np.flatnonzero(areas)[fill]] = inner.y.to_numpy()[fill]
        lon[np.flatnonzero(areas)[fill]] = inner.x.to_numpy()[fill]
        b = geoms[areas].bounds.to_numpy()
        outside = (b[:, 0] < -180) | (b[:, 2] > 180) | (b[:, 1] < -90) | (b[:, 3] > 90)
        mask = np.zeros(len(df), bool)
        mask[np.flatnonzero(areas)[outside]] = True
        flags.add("out_of_range", mask, "the area reaches past ±180° longitude or ±90° latitude")
    return lat, lon, areas


def _numeric(series, name: str, flags: _Flags) -> np.ndarray:
    import pandas as pd

    if series.dtype.kind in "iuf":  # already numbers: nothing to report
        return np.array(series.to_numpy(dtype=float, na_value=np.nan), dtype=float)
    num = pd.to_numeric(series, errors="coerce")
    given = series.notna() & (series.astype("string").str.strip() != "")
    flags.add("bad_number", (given & num.isna()).to_numpy(), f"{name} is not a number")
    return np.array(num.to_numpy(dtype=float, na_value=np.nan), dtype=float)  # writable copy


def _validate_coordinates(
    df: pd.DataFrame,
    lat: np.ndarray,
    lon: np.ndarray,
    areas: np.ndarray,
    flags: _Flags,
    gazetteer: Gazetteer | None,
    fix_swapped: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flag missing, out-of-range, swapped and (0, 0) pairs; swap back the swapped ones if asked.

    Returns the coordinates and the mask of rows that came without a pair.
    """
    missing = np.isnan(lat) | np.isnan(lon)
    out_of_range = ~missing & ((np.abs(lat) > 90) | (np.abs(lon) > 180))
    null_island = ~missing & (lat == 0) & (lon == 0)
    swapped = _swapped(df, lat, lon, missing | areas, out_of_range, null_island, flags, gazetteer)
    flags.add("swapped_coordinates", swapped)
    if fix_swapped:
        lat, lon = np.where(swapped, lon, lat), np.where(swapped, lat, lon)
        out_of_range &= ~swapped
    flags.add("out_of_range", out_of_range)
    flags.add("null_island", null_island)
    return lat, lon, missing


def _swapped(df, lat, lon, missing, out_of_range, null_island, flags: _Flags, gazetteer) -> np.ndarray:
    """Rows given as (longitude, latitude), on evidence only.

    Where the row's country is known, its outline's bounds decide (a pair out of range
    included). Without a country, the row's place name decides: a pair lying far from
    the place, close to it the other way round, is swapped. Without either, a pair is
    never swapped: latitude 95 is out of range, not a point in China.
    """
    swapped = np.zeros(len(lat), bool)
    country_col = df["country_code"] if df["country_code"].notna().any() else df["country"]
    if country_col.notna().any():
        gaz = _gazetteer(gazetteer)
        codes, cc = _country_codes(gaz, df, country_col)
        bounds = _country_bounds(gaz, {c for c in codes.values() if c})
        if bounds:
            known, inside, inside_swapped = _inside_bounds(bounds, cc, lat, lon)
            known &= ~missing & ~null_island
            flags.add("outside_country", known & ~inside & ~inside_swapped & ~out_of_range)
            swapped = known & ~inside & inside_swapped
    elif df["location"].notna().any() and (~missing).any():
        skip = missing | null_island
        swapped |= _swapped_by_name(_gazetteer(gazetteer), df["location"], lat, lon, skip)
    return swapped & ~missing


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


def _validate_dates(
    df: pd.DataFrame, raw: pd.DataFrame, flags: _Flags, report: IncidentReport, dayfirst: bool | None
) -> None:
    """``event_date`` parsed and checked; the date range defaults to it."""
    import pandas as pd

    if df["event_date"].notna().any() or _find(raw, DATE_COLUMNS) is not None:
        df["event_date"] = _parse_dates(df["event_date"], flags, report, dayfirst, "event_date")
    else:
        report.notes.append("the table has no date column")
        df["event_date"] = pd.to_datetime(df["event_date"])
    for c in ("date_start", "date_end"):
        if df[c].notna().any():
            df[c] = _parse_dates(df[c], _Flags(len(df)), report, dayfirst, c)  # event_date's flags suffice
        else:
            df[c] = df["event_date"]


def _parse_dates(series, flags: _Flags, report: IncidentReport, dayfirst: bool | None, column: str):
    """ISO dates in one vectorised pass; only what that misses is retried, in the column's day/month order."""
    import pandas as pd

    if str(series.dtype).startswith("datetime"):
        parsed = series.dt.tz_convert(None) if getattr(series.dt, "tz", None) is not None else series
    else:
        parsed = pd.to_datetime(series, format="ISO8601", errors="coerce")
        blank = series.isna().to_numpy() | (series.astype("string").str.strip() == "").fillna(True).to_numpy()
        retry = parsed.isna().to_numpy() & ~blank
        if retry.any():
            s = series[retry].astype("string").str.strip()
            first, ambiguous = _day_first(s, dayfirst, report, column)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                again = pd.to_datetime(s, format="mixed", errors="coerce", dayfirst=first)
            parsed = parsed.copy()
            parsed[retry] = again
            mask = np.zeros(len(series), bool)
            mask[np.flatnonzero(retry)[ambiguous]] = True
            flags.add("ambiguous_date", mask, f"{column}: day and month could be either way round")
        flags.add("bad_date", parsed.isna().to_numpy() & ~blank)
        flags.add("missing_date", blank)
    too_far = (parsed < pd.Timestamp("1900-01-01")) | (parsed > pd.Timestamp.now() + pd.Timedelta(days=1))
    flags.add("date_out_of_range", too_far.fillna(False).to_numpy())
    return parsed.where(~too_far)


_NUMERIC_DATE = r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\b"


def _day_first(texts, dayfirst: bool | None, report: IncidentReport, column: str) -> tuple[bool, np.ndarray]:
    """Whether the column's numeric dates are day-first, and which of them stay ambiguous.

    The values decide: a first number above 12 makes the column day-first, a second one
    month-first. A column they do not decide takes ``dayfirst`` (day-first when not given,
    and then every date whose reading depends on it is flagged).
    """
    import pandas as pd

    parts = texts.str.extract(_NUMERIC_DATE)
    a, b = pd.to_numeric(parts[0], errors="coerce"), pd.to_numeric(parts[1], errors="coerce")
    depends = (a <= 12) & (b <= 12) & (a != b)
    day_seen, month_seen = bool((a > 12).any()), bool((b > 12).any())
    none = np.zeros(len(texts), bool)
    if day_seen != month_seen:
        order = "day-first" if day_seen else "month-first"
        if dayfirst is not None and dayfirst != day_seen:
            report.notes.append(f"{column}: read {order} as its values show, not as dayfirst={dayfirst} asked")
        elif a.notna().any():
            report.notes.append(f"{column}: numeric dates read {order} (their values show it)")
        return day_seen, none
    if not depends.any():
        return True if dayfirst is None else dayfirst, none
    if dayfirst is not None and not (day_seen and month_seen):
        return dayfirst, none
    why = "some values are day-first, some month-first" if day_seen else "no day above 12 decides it"
    report.notes.append(f"{column}: {why}; read day-first and flagged ambiguous_date (pass dayfirst= to decide)")
    return True if dayfirst is None else dayfirst, depends.fillna(False).to_numpy(dtype=bool)


def _validate_numbers_and_ids(df: pd.DataFrame, missing: np.ndarray, areas: np.ndarray, flags: _Flags) -> None:
    """Fatalities as nullable integers, duplicate ids flagged, a default precision for given points."""
    import pandas as pd

    for c in ("fatalities", "fatalities_low", "fatalities_best", "fatalities_high"):
        if df[c].notna().any():
            df[c] = _whole_numbers(df[c])
    ids = df["source_event_id"] if df["source_event_id"].notna().any() else df["event_id_cnty"]
    if ids.notna().any():
        flags.add("duplicate_id", (ids.duplicated(keep="first") & ids.notna()).to_numpy())
    if df["geo_precision"].isna().all():
        # a table that states no precision: its own points are taken as exact (GEO_PRECISION 1), its own
        # areas as "a fuzzy area" (5): the file says where, not how precisely
        prec = np.where(missing, pd.NA, np.where(areas, 5, 1)) if len(df) else []
        df["geo_precision"] = pd.array(prec, dtype="Int64")
    else:
        df["geo_precision"] = _whole_numbers(df["geo_precision"])


def _whole_numbers(series):
    """Numbers as nullable integers; what is not a whole number becomes NA."""
    import pandas as pd

    num = pd.to_numeric(series, errors="coerce")
    return num.where(num.round() == num).astype("Int64")


def _assemble(df: pd.DataFrame, lat, lon, areas: np.ndarray, flags: _Flags, geom_in) -> geopandas.GeoDataFrame:
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
    points = usable & ~areas
    geometry = gpd.points_from_xy(np.where(points, lon, np.nan), np.where(points, lat, np.nan))
    geometry[~points] = None
    keep = areas & usable
    if keep.any():  # the file's own areas, where valid
        geometry = gpd.GeoSeries(geometry, crs=4326)
        geometry[keep] = geom_in.reset_index(drop=True)[keep]
    return gpd.GeoDataFrame(df, geometry=geometry, crs="EPSG:4326")


def _assemble_report(report: IncidentReport, flags: _Flags) -> IncidentReport:
    """Counts and one entry per flagged row, issue by issue (the reader's own entries are in already)."""
    from_reader = {entry["issue"] for entry in report.flagged}
    for issue, mask in flags.masks.items():
        report.counts[issue] = int(mask.sum())
        if issue in from_reader:
            continue
        detail = flags.details.get(issue, "")
        report.flagged += [{"row": int(i), "issue": issue, "detail": detail} for i in np.flatnonzero(mask)]
    return report
