""":func:`load_boundaries`: administrative units from a file, a GeoDataFrame or geoBoundaries, in one schema."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..settings import NETWORK_RETRIES, NETWORK_TIMEOUT_S
from ._schema import SCHEMA, normalize_schema, warn_boundary

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

__all__ = ["load_boundaries", "read_layers"]

_ISO3 = re.compile(r"[A-Za-z]{3}")
_PARQUET = {".parquet", ".geoparquet"}
_BOUNDARY_SUFFIXES = {".geojson", ".json", ".gpkg", ".shp", ".fgb", ".gml", ".kml", *_PARQUET}


def _is_frame(obj: Any) -> bool:
    return hasattr(obj, "geometry") and hasattr(obj, "columns")


def _source_list(source) -> list:
    """The sources of one call: a path, code or frame alone, or each item of a list of them."""
    if isinstance(source, (str, Path)) or _is_frame(source):
        return [source]
    if isinstance(source, Sequence):
        return list(source)
    raise TypeError(f"boundaries must be a path, an ISO3 code, a GeoDataFrame or a list of them, not {type(source)}")


def read_layers(path: str | Path) -> list[tuple[str, geopandas.GeoDataFrame]]:
    """Every polygon layer of a file pyogrio (or GeoParquet) reads, as ``(label, frame)`` pairs."""
    import geopandas as gpd
    import pyogrio.errors

    path = Path(path)
    if path.suffix.lower() in _PARQUET:
        return [(str(path), gpd.read_parquet(path))]
    try:
        layers = _read_ogr_layers(path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise ValueError(
            f"cannot read boundaries from {path} ({' '.join(str(exc).split())[:200]}): pass a GeoJSON, GeoPackage, "
            "Shapefile, FlatGeobuf or GeoParquet file of polygons"
        ) from exc
    if not all(isinstance(frame, gpd.GeoDataFrame) for _, frame in layers):
        raise ValueError(f"{path} holds a table without geometries: pass a boundary file of polygons")
    return layers


def _read_ogr_layers(path: Path) -> list[tuple[str, geopandas.GeoDataFrame]]:
    import geopandas as gpd
    import pyogrio

    layers = pyogrio.list_layers(path)
    polygonal = [str(name) for name, kind in layers if kind is None or "polygon" in str(kind).lower()]
    if len(layers) == 1 or not polygonal:
        return [(str(path), gpd.read_file(path, engine="pyogrio"))]
    return [(f"{path} (layer {name})", gpd.read_file(path, layer=name, engine="pyogrio")) for name in polygonal]


def _levels(level) -> list[int] | None:
    """The levels asked for, sorted and distinct; None for "every level the files hold".

    Examples
    --------
    >>> _levels(2), _levels([2, 1, 2]), _levels(None), _levels([])
    ([2], [1, 2], None, None)
    """
    if level is None:
        return None
    if isinstance(level, (int, np.integer)):
        return [int(level)]
    out = sorted({int(v) for v in level})
    if not out:
        return None
    return out


def load_boundaries(
    source,
    *,
    level: int | Sequence[int] | None = None,
    simplified: bool = True,
    check_names: bool = True,
    gazetteer=None,
    base_url: str | None = None,
    cache_dir: str | Path | None = None,
    timeout: float = NETWORK_TIMEOUT_S,
    retries: int = NETWORK_RETRIES,
    refresh: bool = False,
    crs=None,
) -> geopandas.GeoDataFrame:
    """Load administrative units, normalised to ``admin_level, name, code, parent_code, parent_name, country_code``.

    Parameters
    ----------
    source : path, ISO3 code, GeoDataFrame, or a list of them
        A file pyogrio reads (GeoJSON, GeoPackage — every polygon layer —, Shapefile, FlatGeobuf) or
        GeoParquet, in the layout of geoBoundaries, GADM, Natural Earth or OCHA COD-AB; or an ISO 3166-1
        alpha-3 code ("AZE"), downloaded from geoBoundaries (gbOpen) into the user cache once, reused offline.
    level : int or list of int, optional
        Levels to keep (files) or to download (ISO3 codes; default 1); several form a hierarchy (``parent_code``).
    simplified : bool
        geoBoundaries downloads: the simplified geometry (default) or the full one.
    check_names : bool
        Cross-check unit names against ``gazetteer`` (default :meth:`Gazetteer.default`) and warn,
        naming the units, where the place of a unit's name lies in another unit (names are never changed).
    base_url, cache_dir, timeout, retries, refresh
        Download options, see :func:`fetch_geoboundaries`.
    crs : str or int, optional
        The CRS of files that do not record it (GeoJSON in metres without ``crs``).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per unit in EPSG:4326, polygons valid. ``attrs["boundaries"]`` reports
        the sources (with licence for downloads), repaired geometries, parents derived,
        and name contradictions; the last two also arrive as :class:`BoundaryWarning`.

    Raises
    ------
    FileNotFoundError
        For a path that does not exist (and is not an ISO3 code).
    BoundaryDownloadError
        When a download is needed and fails; the message says how to pass a local file.
    ValueError
        For a file whose layout, level or CRS cannot be read (the message names the fix).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> raw = gpd.GeoDataFrame({"shapeName": ["Syunik"], "shapeGroup": ["ARM"], "shapeType": ["ADM1"]},
    ...                        geometry=[box(45.9, 38.8, 46.6, 39.8)], crs=4326)  # any known layout
    >>> load_boundaries(raw, check_names=False)[["name", "parent_code", "parent_name"]].iloc[0].tolist()
    ['Syunik', 'AM', 'Armenia']
    >>> adm2 = load_boundaries("geoBoundaries-AZE-ADM2.geojson")  # doctest: +SKIP
    >>> adm2.loc[adm2["name"] == "Ordubad District", "parent_name"].iloc[0]  # doctest: +SKIP
    'Nakhchivan Autonomous Republic'
    >>> both = load_boundaries("AZE", level=[1, 2])  # downloaded once, then from the cache  # doctest: +SKIP
    """
    # shapely-heavy steps load on first use: importing the package stays cheap for the CLI
    from ._hierarchy import derive_parents

    levels = _levels(level)
    fetch_options = {"simplified": simplified, "base_url": base_url, "cache_dir": cache_dir, "refresh": refresh}
    fetch_options.update(timeout=timeout, retries=retries)  # network bounds
    frames, sources = _read_sources(source, levels, fetch_options, crs)
    out = _assemble(frames)
    _check_polygons(out)
    out, repaired = _repair(out)
    out, parents = derive_parents(out)
    conflicts = _check_unit_names(out, gazetteer, sources) if check_names and len(out) else []
    out = out[SCHEMA]
    out.attrs["boundaries"] = dict(sources=sources, repaired=repaired, parents=parents, name_conflicts=conflicts)
    return out


# ------------------------------------------------------------------ reading
def _read_sources(source, levels: list[int] | None, fetch_options: dict, crs=None) -> tuple[list, list[dict]]:
    """Every source normalised to the schema (filtered to ``levels``), and a record of where each came from."""
    frames: list = []
    sources: list[dict] = []
    for item in _source_list(source):
        parts, records = _read_item(item, levels, fetch_options)
        if crs is not None:  # the caller knows the CRS the file does not record
            parts = [(label, raw.set_crs(crs, allow_override=True)) for label, raw in parts]
        sources += records
        frames += _normalise_parts(parts, levels, records[-1]["source"])
    if not frames:
        raise ValueError("no boundary source given")
    return frames, sources


def _read_item(item, levels: list[int] | None, fetch_options: dict) -> tuple[list[tuple[str, Any]], list[dict]]:
    """One source's raw layers as ``(label, frame)`` pairs, with its source records."""
    if _is_frame(item):
        return [("GeoDataFrame", item)], [{"source": "GeoDataFrame"}]
    # an existing file wins over a code: a file named "AZE" in the working folder is read
    if isinstance(item, (str, Path)) and Path(item).is_dir():
        inside = sorted(p.name for p in Path(item).iterdir() if p.suffix.lower() in _BOUNDARY_SUFFIXES)[:5]
        hint = f" (it holds {', '.join(inside)})" if inside else ""
        raise ValueError(f"boundaries {str(item)!r} is a folder{hint}: pass the boundary file itself")
    if isinstance(item, (str, Path)) and Path(item).exists():
        return read_layers(item), [{"source": str(item)}]
    if isinstance(item, str) and _ISO3.fullmatch(item.strip()):
        return _download_parts(item.strip().upper(), levels or [1], fetch_options)
    raise FileNotFoundError(
        f"no boundary file {str(item)!r}; pass an existing file (GeoJSON, GeoPackage, Shapefile, FlatGeobuf, "
        "GeoParquet) or an ISO 3166-1 alpha-3 code such as 'AZE' to download geoBoundaries"
    )


def _download_parts(iso3: str, levels: list[int], fetch_options: dict) -> tuple[list[tuple[str, Any]], list[dict]]:
    """geoBoundaries layers of ``iso3`` at each level (downloaded, or from the cache), with their provenance."""
    import geopandas as gpd

    from ._geoboundaries import cached_metadata, fetch_geoboundaries

    parts, records = [], []
    for lvl in levels:
        path = fetch_geoboundaries(iso3, lvl, **fetch_options)
        meta = cached_metadata(path) or {}
        records.append(
            {
                "source": f"geoBoundaries {meta.get('release', 'gbOpen')} {iso3} ADM{lvl}",
                "path": str(path),
                "url": meta.get("url"),
                "licence": meta.get("licence"),
                "sha256": meta.get("sha256"),
                "citation": meta.get("citation"),
            }
        )
        parts.append((f"geoBoundaries {iso3} ADM{lvl}", gpd.read_file(path, engine="pyogrio")))
    return parts, records


def _normalise_parts(parts: list[tuple[str, Any]], levels: list[int] | None, label: str) -> list:
    """The layers of one source in the schema, keeping ``levels``; an error when none of them has those levels."""
    # a single-level request also gives the level of a lone layer that does not record one
    single = levels[0] if levels and len(levels) == 1 and len(parts) == 1 else None
    frames, found, kept_any = [], set(), False
    for part_label, raw in parts:
        norm = normalize_schema(raw, level=single, source=part_label)
        found |= {int(v) for v in norm["admin_level"]}
        if levels is not None:
            norm = norm[norm["admin_level"].isin(levels)]
        kept_any = kept_any or len(norm) > 0
        frames.append(norm)
    if levels is not None and found and not kept_any:
        raise ValueError(
            f"{label} holds level {', '.join(map(str, sorted(found)))}, not level {', '.join(map(str, levels))}"
        )
    return frames


def _assemble(frames: list):
    """One GeoDataFrame of every source's units, in the order given."""
    import geopandas as gpd
    import pandas as pd

    out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=4326)


# ------------------------------------------------------------------ checks
def _check_polygons(out) -> None:
    """Warn about units without geometry (they match nothing); refuse units that are not areas."""
    kinds = out.geometry.geom_type
    missing = out.geometry.isna() | out.geometry.is_empty
    if missing.any():
        warn_boundary(
            f"{int(missing.sum())} boundary unit(s) have no geometry and can match nothing: "
            + ", ".join(map(repr, out.loc[missing, "name"].head(10)))
        )
    not_area = ~missing & ~kinds.isin(["Polygon", "MultiPolygon"])
    if not_area.any():
        raise ValueError(
            f"boundaries must be polygons; {int(not_area.sum())} unit(s) are "
            f"{', '.join(sorted(set(kinds[not_area])))} (e.g. {out.loc[not_area, 'name'].iloc[0]!r})"
        )


def _repair(out) -> tuple[Any, list[dict]]:
    """Invalid polygons repaired with make_valid, and a warning naming them (the first ten)."""
    from ._checks import repair_geometries

    out, repaired = repair_geometries(out)
    if repaired:
        warn_boundary(
            f"repaired {len(repaired)} invalid boundary geometr{'y' if len(repaired) == 1 else 'ies'} with make_valid: "
            + "; ".join(f"{r['name']!r} ({r['code']}): {r['reason']}" for r in repaired[:10])
            + (" …" if len(repaired) > 10 else "")
        )
    return out, repaired


def _check_unit_names(out, gazetteer, sources: list[dict]) -> list[dict]:
    """Name contradictions with the gazetteer, also as one warning naming the sources."""
    from ._checks import check_names, format_name_conflicts

    if gazetteer is None:
        from ..gazetteer import Gazetteer

        gazetteer = Gazetteer.default()
    conflicts = check_names(out, gazetteer)
    if conflicts:
        warn_boundary(format_name_conflicts(conflicts, ", ".join(s["source"] for s in sources)))
    return conflicts
