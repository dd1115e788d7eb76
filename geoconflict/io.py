"""Writing incident and mention tables for GIS tools (QGIS, ArcGIS, GDAL) and spreadsheets.

One function, :func:`write`, picks the format from the file extension. Text that a
spreadsheet would run as a formula (a cell starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return: an ACLED note, a news sentence) is written with a leading
quote in CSV, XLSX and KML, OWASP's rule against CSV injection;
:func:`geoconflict.read_incidents` takes the quote off again.
"""

from __future__ import annotations

import csv
import datetime
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

__all__ = ["FORMATS", "KML_RESERVED", "SHAPEFILE_NAMES", "escape_formula", "write"]

#: extension -> (GDAL driver or pseudo-driver, holds mixed geometry types)
FORMATS = {
    ".geojson": ("GeoJSON", True),
    ".json": ("GeoJSON", True),
    ".gpkg": ("GPKG", True),
    ".fgb": ("FlatGeobuf", True),
    ".shp": ("ESRI Shapefile", False),
    ".kml": ("KML", True),
    ".parquet": ("parquet", True),
    ".geoparquet": ("parquet", True),
    ".csv": ("csv", True),
    ".xlsx": ("xlsx", True),
}

#: Formats whose text cells a spreadsheet (or Google Earth's balloon) may read as formulas.
FORMULA_FORMATS = frozenset({"csv", "xlsx", "KML"})


#: Shapefile field names hold 10 characters: readable short names for ours.
SHAPEFILE_NAMES = {
    "country_code": "cntry_code",  # not "country": incident tables have both
    "feature_kind": "kind",
    "match_score": "score",
    "match_type": "match",
    "gazetteer_source": "gaz_source",
    "source_event_id": "src_evt_id",
    "zone_distance_km": "zone_km",
    "zone_status_certain": "zone_sure",
    "geo_precision": "geo_prec",
    "precision_raw": "prec_raw",
    "fatalities_low": "fatal_low",
    "fatalities_best": "fatal_best",
    "fatalities_high": "fatal_high",
    "matched_name": "match_name",
    "claim_status": "claim",
    "disputed_by": "disputed",
    "fatalities": "fatalities",
    # the admin join
    "admin0_code": "adm0_code",
    "admin1_code": "adm1_code",
    "admin2_code": "adm2_code",
    "admin3_code": "adm3_code",
    "admin0_source": "adm0_src",
    "admin1_source": "adm1_src",
    "admin2_source": "adm2_src",
    "admin3_source": "adm3_src",
    "admin_match": "adm_match",
    "admin_distance_m": "adm_dist_m",
    # ACLED columns longer than 10 characters
    "event_id_cnty": "event_id",
    "event_id_no_cnty": "event_no",
    "time_precision": "time_prec",
    "sub_event_type": "sub_type",
    "assoc_actor_1": "assoc_1",
    "assoc_actor_2": "assoc_2",
    "interaction": "interactn",
    "source_scale": "src_scale",
}

#: KML (LIBKML) reads these names as placemark fields of its own: data columns of these
#: names would be lost, so they are written with a trailing underscore.
KML_RESERVED = {
    "timestamp",
    "begin",
    "end",
    "altitudeMode",
    "tessellate",
    "extrude",
    "visibility",
    "drawOrder",
    "icon",
    "id",
    "Name",
    "description",
}

#: The column a KML placemark is named after, the first present.
KML_LABEL_COLUMNS = ("name", "location", "mention")


def _shapefile_columns(columns: list[str]) -> dict[str, str]:
    """Unique names of at most 10 characters, the known ones readable."""
    out, used = {}, set()
    for c in columns:
        name = SHAPEFILE_NAMES.get(c, c)[:10]
        k = 1
        while name.lower() in used:
            suffix = f"_{k}"
            name = SHAPEFILE_NAMES.get(c, c)[: 10 - len(suffix)] + suffix
            k += 1
        used.add(name.lower())
        if name != c:
            out[c] = name
    return out


def write(
    gdf: geopandas.GeoDataFrame, path: str | Path, *, layer: str | None = None, formula_safe: bool = True
) -> Path:
    """Write ``gdf`` to ``path`` in the format its extension names.

    CSV and XLSX get a WKT ``geometry`` column beside ``latitude``/``longitude``;
    GeoParquet keeps the CRS; vector formats are written through pyogrio. A Shapefile
    cannot hold points and polygons together: that is an error naming the alternatives.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Incidents or mentions, with a CRS (it is not modified).
    path : str or Path
        Its extension picks the format: one of :data:`FORMATS`.
    layer : str, optional
        The layer name (GeoPackage, FlatGeobuf …); the file's stem by default.
    formula_safe : bool
        CSV, XLSX and KML: text cells that start with ``=``, ``+``, ``-``, ``@``, a tab
        or a carriage return get a leading quote (see :func:`escape_formula`), so a
        spreadsheet shows them instead of running them; numbers stay numbers. False
        writes the raw text (an XLSX cell starting with ``=`` is then a formula).

    Returns
    -------
    Path
        ``path``, its folder created if needed.

    Examples
    --------
    >>> import geopandas as gpd, tempfile
    >>> from pathlib import Path
    >>> from shapely import Point
    >>> gdf = gpd.GeoDataFrame({"location": ["Kapan"], "notes": ["=HYPERLINK(1)"]},
    ...                        geometry=[Point(46.41, 39.21)], crs="EPSG:4326")
    >>> out = write(gdf, Path(tempfile.mkdtemp()) / "incidents.csv")
    >>> out.read_text().splitlines()
    ['location,notes,geometry', "Kapan,'=HYPERLINK(1),POINT (46.41 39.21)"]
    >>> out.with_suffix(".csvt").read_text().strip()
    '"String","String","WKT"'
    """
    path = Path(path)
    ext, driver, mixed_ok = _check_output(gdf, path)
    out = _plain_values(gdf, driver)
    if formula_safe and driver in FORMULA_FORMATS:
        out = _escape_formulas(out)
    _make_folder(path)
    if driver == "csv":
        _write_csv(out, path)
    elif driver == "xlsx":
        _write_xlsx(out, path)
    elif driver == "parquet":
        out.to_parquet(path, index=False)
    else:
        _check_geometry_types(out, mixed_ok)
        out, options = _for_format(out, ext)
        _write_vector(out, path, driver, layer or path.stem, options)
    return path


def _make_folder(path: Path) -> None:
    """The output's folder, created; a clear error when a file stands where a folder must be."""
    for parent in [path.parent, *path.parent.parents]:
        if parent.exists():
            if not parent.is_dir():
                raise ValueError(f"cannot write {path}: {parent} is a file, not a folder; choose another path")
            break
    if path.is_dir():
        raise ValueError(f"cannot write {path}: it is a folder; name a file inside it")
    path.parent.mkdir(parents=True, exist_ok=True)


#: A text that a spreadsheet would run: OWASP's list (formula signs, tab, CR), after any quotes already there.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
#: …unless it is a plain number such as -12.5 or +7, which a spreadsheet reads as that number.
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def escape_formula(value):
    """``value`` as a spreadsheet shows it rather than runs it: a leading quote before a formula sign.

    Reversible: a value already quoted gets one more quote, and
    :func:`geoconflict.read_incidents` takes exactly one off.

    Examples
    --------
    >>> [escape_formula(v) for v in ["=1+2", "@SUM(A1)", "-12.5", "-2+3", "'=x", "Kapan", 3]]
    ["'=1+2", "'@SUM(A1)", '-12.5', "'-2+3", "''=x", 'Kapan', 3]
    """
    if isinstance(value, str) and _FORMULA_START.match(value) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def _escape_formulas(out: geopandas.GeoDataFrame) -> geopandas.GeoDataFrame:
    for col in out.columns:
        if col != out.geometry.name and (out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype)):
            values = out[col]
            risky = values.astype("string").str.match(_FORMULA_START.pattern).fillna(False).to_numpy(dtype=bool)
            if risky.any():
                out[col] = values.astype(object).where(~risky, values.astype(object).map(escape_formula))
    return out


def _check_output(gdf: geopandas.GeoDataFrame, path: Path) -> tuple[str, str, bool]:
    """The extension, its driver and whether it holds mixed geometry types; errors for what cannot be written."""
    ext = path.suffix.lower()
    if ext not in FORMATS:
        raise ValueError(f"unknown output format {ext!r}: use one of {', '.join(sorted(FORMATS))}")
    driver, mixed_ok = FORMATS[ext]
    if gdf.crs is None:
        raise ValueError("the frame has no CRS; geoconflict frames are EPSG:4326")
    return ext, driver, mixed_ok


def _plain_values(gdf: geopandas.GeoDataFrame, driver: str) -> geopandas.GeoDataFrame:
    """A copy whose columns every format can hold.

    Dates (datetime columns whose times are all midnight) become Date fields — ISO
    text in CSV —, other datetimes DateTime fields; other objects become text.
    """
    out = gdf.copy()
    out.attrs = {}  # reports and notes are Python objects, not file metadata
    for col in out.columns:
        if col == out.geometry.name:
            continue
        if str(out[col].dtype).startswith("datetime"):
            out[col] = _dates(out[col], driver)
        elif out[col].dtype == object:
            out[col] = out[col].map(_plain)
    if driver == "ESRI Shapefile":
        _warn_cut_text(out)
    return out


def _plain(value):
    """One object cell as a value every format holds: missing (None, NA, NaN) as None, others as text."""
    if value is None or isinstance(value, (str, int, float, bool, datetime.date)):
        return value
    return None if pd.isna(value) is True else str(value)


#: Bytes a Shapefile (dBASE) text field holds.
SHAPEFILE_TEXT_BYTES = 254


def _warn_cut_text(out: geopandas.GeoDataFrame) -> None:
    """A Shapefile cuts text past 254 bytes: say which columns lose text, so nothing is cut silently."""
    for col in out.columns:
        if col == out.geometry.name or not (out[col].dtype == object or pd.api.types.is_string_dtype(out[col])):
            continue
        long = out[col].map(lambda v: isinstance(v, str) and len(v.encode("utf-8")) > SHAPEFILE_TEXT_BYTES)
        if long.any():
            warnings.warn(
                f"a Shapefile holds {SHAPEFILE_TEXT_BYTES} bytes of text per field: {int(long.sum())} value(s) of "
                f"{col!r} are cut; write .gpkg, .fgb or .parquet to keep them whole",
                stacklevel=4,
            )


def _dates(values: pd.Series, driver: str) -> pd.Series:
    """A datetime column as UTC-naive datetimes, ``datetime.date`` objects, or ISO text for CSV."""
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    present = values.dropna()
    date_only = len(present) > 0 and bool((present == present.dt.normalize()).all())
    if driver == "csv":
        fmt = "%Y-%m-%d" if date_only else "%Y-%m-%dT%H:%M:%S"
        return values.dt.strftime(fmt).where(values.notna(), None)
    if driver == "xlsx":  # Excel dates; the sheet's format shows a date as a date
        return values
    if date_only:
        return pd.Series([v.date() if v == v else None for v in values], index=values.index, dtype=object)
    return values


def _write_csv(out: geopandas.GeoDataFrame, path: Path) -> None:
    flat = _flat(out)
    # CRLF (RFC 4180) so that a field holding a lone CR is quoted, and read back whole
    flat.to_csv(path, index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    # the .csvt sidecar gives GDAL and QGIS the field types (and the WKT geometry column)
    path.with_suffix(".csvt").write_text(",".join(f'"{t}"' for t in _csvt_types(flat)) + "\n", encoding="ascii")


def _flat(out: geopandas.GeoDataFrame) -> pd.DataFrame:
    """The table with its geometry as WKT text, every coordinate digit kept."""
    flat = pd.DataFrame(out.drop(columns=out.geometry.name))
    flat["geometry"] = out.geometry.to_wkt(rounding_precision=-1)
    return flat


#: Excel's limits: rows per sheet (one is the header), characters per cell.
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_CELL = 32_767
#: Characters XML 1.0 cannot hold, which openpyxl refuses.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _write_xlsx(out: geopandas.GeoDataFrame, path: Path) -> None:
    """One sheet, dates as Excel dates; limits and characters Excel cannot hold are errors or replaced, and said."""
    flat = _flat(out)
    if len(flat) >= XLSX_MAX_ROWS:
        raise ValueError(f"an Excel sheet holds {XLSX_MAX_ROWS - 1:,} rows, this table has {len(flat):,}: write .csv")
    for col in flat.columns:
        if flat[col].dtype != object and not pd.api.types.is_string_dtype(flat[col].dtype):
            continue
        text = flat[col].astype("string")
        too_long = text.str.len() > XLSX_MAX_CELL
        if too_long.fillna(False).any():
            raise ValueError(f"column {col!r} holds text longer than Excel's {XLSX_MAX_CELL:,} characters: write .csv")
        illegal = text.str.contains(_XML_ILLEGAL.pattern).fillna(False).to_numpy(dtype=bool)
        if illegal.any():
            warnings.warn(
                f"{int(illegal.sum())} cell(s) of {col!r} hold control characters Excel cannot store: "
                "written as U+FFFD",
                stacklevel=3,
            )
            flat[col] = flat[col].where(~illegal, text.str.replace(_XML_ILLEGAL.pattern, "\ufffd", regex=True))
    with pd.ExcelWriter(path, engine="openpyxl", date_format="YYYY-MM-DD", datetime_format="YYYY-MM-DD HH:MM:SS") as xl:
        flat.to_excel(xl, index=False, sheet_name="incidents")


def _check_geometry_types(out: geopandas.GeoDataFrame, mixed_ok: bool) -> None:
    kinds = set(out.geometry.geom_type.dropna())
    if not mixed_ok and len({k.replace("Multi", "") for k in kinds}) > 1:
        raise ValueError(
            f"a Shapefile holds one geometry type, this frame has {sorted(kinds)}: "
            "write a GeoPackage (.gpkg) or FlatGeobuf (.fgb), or use points only"
        )


def _for_format(out: geopandas.GeoDataFrame, ext: str) -> tuple[geopandas.GeoDataFrame, dict[str, str]]:
    """Column names the format keeps (Shapefile's 10 characters, KML's reserved names) and its options."""
    options: dict[str, str] = {}
    if ext == ".shp":
        out = out.rename(columns=_shapefile_columns([c for c in out.columns if c != out.geometry.name]))
    if ext == ".kml":
        out = out.to_crs(4326)
        out = out.rename(columns={c: f"{c}_" for c in out.columns if c in KML_RESERVED})
        # the placemark's name and balloon text are copies: the driver takes those fields out of the data
        label = next((c for c in KML_LABEL_COLUMNS if c in out.columns), None)
        if label:
            out["kml_label"] = out[label]
            options["NameField"] = "kml_label"
        if "notes" in out.columns:
            out["kml_description"] = out["notes"]
            options["DescriptionField"] = "kml_description"
    return out, options


def _write_vector(out: geopandas.GeoDataFrame, path: Path, driver: str, layer: str, options: dict[str, str]) -> None:
    # FlatGeobuf's spatial index sorts the features along a curve: without it the rows keep their order
    kw = {"layer_options": {"SPATIAL_INDEX": "NO"}} if driver == "FlatGeobuf" else {}
    try:  # through Arrow, so dates are written as Date fields and nullable integers stay integers
        out.to_file(path, driver=driver, layer=layer, engine="pyogrio", use_arrow=True, dataset_options=options, **kw)
    except Exception:  # an older GDAL/pyogrio without Arrow writing: dates as text
        for col in out.columns:
            if col != out.geometry.name and out[col].dtype == object:
                out[col] = out[col].map(lambda v: v.isoformat() if isinstance(v, datetime.date) else v)
        out.to_file(path, driver=driver, layer=layer, engine="pyogrio", dataset_options=options, **kw)


def _csvt_types(flat: pd.DataFrame) -> list[str]:
    """GDAL CSVT field types of the columns of a CSV about to be written."""
    types = []
    for col in flat.columns:
        dtype = flat[col].dtype
        if col == "geometry":
            types.append("WKT")
        elif pd.api.types.is_bool_dtype(dtype):
            types.append("Integer(Boolean)")
        elif pd.api.types.is_integer_dtype(dtype):
            types.append("Integer64")
        elif pd.api.types.is_float_dtype(dtype):
            types.append("Real")
        else:
            values = flat[col].dropna().astype(str)
            if len(values) and values.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all():
                types.append("Date")
            elif len(values) and values.str.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}").all():
                types.append("DateTime")
            else:
                types.append("String")
    return types
