"""Writing incident and mention tables for GIS tools (QGIS, ArcGIS, GDAL).

One function, :func:`write`, picks the format from the file extension.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

__all__ = ["FORMATS", "write"]

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
}


#: Shapefile field names hold 10 characters: readable short names for ours.
SHAPEFILE_NAMES = {
    "country_code": "country",
    "feature_kind": "kind",
    "match_score": "score",
    "match_type": "match",
    "gazetteer_source": "gaz_source",
    "source_event_id": "src_evt_id",
    "zone_distance_km": "zone_km",
    "zone_status_certain": "zone_sure",
    "geo_precision": "geo_prec",
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
KML_RESERVED = {"timestamp", "begin", "end", "altitudeMode", "tessellate", "extrude", "visibility", "drawOrder", "icon"}

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


def write(gdf: geopandas.GeoDataFrame, path: str | Path, *, layer: str | None = None) -> Path:
    """Write ``gdf`` to ``path`` in the format its extension names.

    CSV gets a WKT ``geometry`` column beside ``latitude``/``longitude``; GeoParquet
    keeps the CRS; vector formats are written through pyogrio. A Shapefile cannot
    hold points and polygons together: that is an error naming the alternatives.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Incidents or mentions, with a CRS (it is not modified).
    path : str or Path
        Its extension picks the format: one of :data:`FORMATS`.
    layer : str, optional
        The layer name (GeoPackage, FlatGeobuf …); the file's stem by default.

    Returns
    -------
    Path
        ``path``, its folder created if needed.

    Examples
    --------
    >>> import geopandas as gpd, tempfile
    >>> from pathlib import Path
    >>> from shapely import Point
    >>> gdf = gpd.GeoDataFrame({"location": ["Kapan"]}, geometry=[Point(46.41, 39.21)], crs="EPSG:4326")
    >>> out = write(gdf, Path(tempfile.mkdtemp()) / "incidents.csv")
    >>> out.read_text().splitlines()
    ['location,geometry', 'Kapan,POINT (46.41 39.21)']
    >>> out.with_suffix(".csvt").read_text().strip()
    '"String","WKT"'
    """
    path = Path(path)
    ext, driver, mixed_ok = _check_output(gdf, path)
    out = _plain_values(gdf, driver)
    path.parent.mkdir(parents=True, exist_ok=True)
    if driver == "csv":
        _write_csv(out, path)
    elif driver == "parquet":
        out.to_parquet(path, index=False)
    else:
        _check_geometry_types(out, mixed_ok)
        out, options = _for_format(out, ext)
        _write_vector(out, path, driver, layer or path.stem, options)
    return path


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
            out[col] = out[col].map(
                lambda v: v if v is None or isinstance(v, (str, int, float, bool, datetime.date)) else str(v)
            )
    return out


def _dates(values: pd.Series, driver: str) -> pd.Series:
    """A datetime column as UTC-naive datetimes, ``datetime.date`` objects, or ISO text for CSV."""
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    present = values.dropna()
    date_only = len(present) > 0 and bool((present == present.dt.normalize()).all())
    if driver == "csv":
        fmt = "%Y-%m-%d" if date_only else "%Y-%m-%dT%H:%M:%S"
        return values.dt.strftime(fmt).where(values.notna(), None)
    if date_only:
        return pd.Series([v.date() if v == v else None for v in values], index=values.index, dtype=object)
    return values


def _write_csv(out: geopandas.GeoDataFrame, path: Path) -> None:
    flat = out.drop(columns=out.geometry.name)
    flat["geometry"] = out.geometry.to_wkt()
    flat.to_csv(path, index=False)
    # the .csvt sidecar gives GDAL and QGIS the field types (and the WKT geometry column)
    path.with_suffix(".csvt").write_text(",".join(f'"{t}"' for t in _csvt_types(flat)) + "\n", encoding="ascii")


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
        label = next((c for c in KML_LABEL_COLUMNS if c in out.columns), None)
        if label:
            options["NameField"] = label
        if "notes" in out.columns:
            options["DescriptionField"] = "notes"
    return out, options


def _write_vector(out: geopandas.GeoDataFrame, path: Path, driver: str, layer: str, options: dict[str, str]) -> None:
    try:  # through Arrow, so dates are written as Date fields and nullable integers stay integers
        out.to_file(path, driver=driver, layer=layer, engine="pyogrio", use_arrow=True, dataset_options=options)
    except Exception:  # an older GDAL/pyogrio without Arrow writing: dates as text
        for col in out.columns:
            if col != out.geometry.name and out[col].dtype == object:
                out[col] = out[col].map(lambda v: v.isoformat() if isinstance(v, datetime.date) else v)
        out.to_file(path, driver=driver, layer=layer, engine="pyogrio", dataset_options=options)


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
