"""Writing incident and mention tables for GIS tools (QGIS, ArcGIS, GDAL).

One function, :func:`write`, picks the format from the file extension.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

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
}


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

    Examples
    --------
    >>> from geoconflict import geoparse
    >>> write(geoparse("Shelling hit Kapan."), "/tmp/mentions.gpkg")  # doctest: +SKIP
    """
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in FORMATS:
        raise ValueError(f"unknown output format {ext!r}: use one of {', '.join(sorted(FORMATS))}")
    driver, mixed_ok = FORMATS[ext]
    if gdf.crs is None:
        raise ValueError("the frame has no CRS; geoconflict frames are EPSG:4326")
    out = gdf.copy()
    out.attrs = {}  # reports and notes are Python objects, not file metadata
    # dates and other objects become ISO text, which every format reads
    for col in out.columns:
        if col == out.geometry.name:
            continue
        if str(out[col].dtype).startswith("datetime"):
            out[col] = out[col].dt.strftime("%Y-%m-%d").where(out[col].notna(), None)
        elif out[col].dtype == object:
            out[col] = out[col].map(lambda v: v if v is None or isinstance(v, (str, int, float, bool)) else str(v))
    path.parent.mkdir(parents=True, exist_ok=True)
    if driver == "csv":
        flat = out.drop(columns=out.geometry.name)
        flat["geometry"] = out.geometry.to_wkt()
        flat.to_csv(path, index=False)
        return path
    if driver == "parquet":
        out.to_parquet(path, index=False)
        return path
    kinds = set(out.geometry.geom_type.dropna())
    if not mixed_ok and len({k.replace("Multi", "") for k in kinds}) > 1:
        raise ValueError(
            f"a Shapefile holds one geometry type, this frame has {sorted(kinds)}: "
            "write a GeoPackage (.gpkg) or FlatGeobuf (.fgb), or use points only"
        )
    if ext == ".shp":
        out = out.rename(columns=_shapefile_columns([c for c in out.columns if c != out.geometry.name]))
    if ext == ".kml":
        out = out.to_crs(4326)
    out.to_file(path, driver=driver, layer=layer or path.stem, engine="pyogrio")
    return path
