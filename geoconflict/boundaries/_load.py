""":func:`load_boundaries`: administrative units from a file, a GeoDataFrame or geoBoundaries, in one schema."""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..settings import NETWORK_RETRIES, NETWORK_TIMEOUT_S
from ._schema import SCHEMA, BoundaryWarning, normalize_schema

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

__all__ = ["load_boundaries", "read_layers"]

_ISO3 = re.compile(r"[A-Za-z]{3}")
_PARQUET = {".parquet", ".geoparquet"}


def _is_frame(obj: Any) -> bool:
    return hasattr(obj, "geometry") and hasattr(obj, "columns")


def _as_list(source) -> list:
    if isinstance(source, (str, Path)) or _is_frame(source):
        return [source]
    if isinstance(source, Sequence):
        return list(source)
    raise TypeError(f"boundaries must be a path, an ISO3 code, a GeoDataFrame or a list of them, not {type(source)}")


def read_layers(path: str | Path) -> list[tuple[str, geopandas.GeoDataFrame]]:
    """Every polygon layer of a file pyogrio (or GeoParquet) reads, as ``(label, frame)`` pairs."""
    import geopandas as gpd
    import pyogrio

    path = Path(path)
    if path.suffix.lower() in _PARQUET:
        return [(str(path), gpd.read_parquet(path))]
    layers = pyogrio.list_layers(path)
    polygonal = [str(name) for name, kind in layers if kind is None or "polygon" in str(kind).lower()]
    if len(layers) == 1 or not polygonal:
        return [(str(path), gpd.read_file(path, engine="pyogrio"))]
    return [(f"{path} (layer {name})", gpd.read_file(path, layer=name, engine="pyogrio")) for name in polygonal]


def _levels(level) -> list[int] | None:
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
) -> geopandas.GeoDataFrame:
    """Load administrative units, normalised to ``admin_level, name, code, parent_code, parent_name, country_code``.

    Parameters
    ----------
    source : path, ISO3 code, GeoDataFrame, or a list of them
        A file pyogrio reads (GeoJSON, GeoPackage — every polygon layer —, Shapefile,
        FlatGeobuf) or GeoParquet, in the layout of geoBoundaries, GADM, Natural Earth
        or OCHA COD-AB; or an ISO 3166-1 alpha-3 code ("AZE"), downloaded from
        geoBoundaries (gbOpen) into the user cache on first use and reused offline after.
    level : int or list of int, optional
        Levels to keep (files) or to download (ISO3 codes; default 1). Several levels
        form a hierarchy: each unit's ``parent_code`` points at a unit one level up.
    simplified : bool
        geoBoundaries downloads: the simplified geometry (default) or the full one.
    check_names : bool
        Cross-check unit names against the gazetteer and warn, naming the units,
        where the place of a unit's name lies in another unit (names are never changed).
    gazetteer : Gazetteer, optional
        For the name check; default :meth:`Gazetteer.default`.
    base_url, cache_dir, timeout, retries, refresh
        Download options, see :func:`fetch_geoboundaries`.

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
        For a file whose layout or level cannot be read.

    Examples
    --------
    >>> adm2 = load_boundaries("geoBoundaries-AZE-ADM2.geojson")  # doctest: +SKIP
    >>> adm2.loc[adm2["name"] == "Ordubad District", ["admin_level", "parent_name"]].iloc[0].tolist()  # doctest: +SKIP
    [2, 'Nakhchivan Autonomous Republic']
    >>> both = load_boundaries("AZE", level=[1, 2])  # doctest: +SKIP
    """
    import geopandas as gpd
    import pandas as pd

    from ._checks import check_names as _check_names
    from ._checks import format_name_conflicts, repair_geometries
    from ._geoboundaries import cached_metadata, fetch_geoboundaries
    from ._hierarchy import derive_parents

    levels = _levels(level)
    frames, sources = [], []
    for item in _as_list(source):
        if _is_frame(item):
            label = "GeoDataFrame"
            parts = [(label, item)]
            sources.append({"source": label})
        elif isinstance(item, (str, Path)) and Path(item).exists():
            parts = read_layers(item)
            sources.append({"source": str(item)})
        elif isinstance(item, str) and _ISO3.fullmatch(item.strip()):
            iso3 = item.strip().upper()
            parts = []
            for lvl in levels or [1]:
                path = fetch_geoboundaries(
                    iso3,
                    lvl,
                    simplified=simplified,
                    base_url=base_url,
                    cache_dir=cache_dir,
                    timeout=timeout,
                    retries=retries,
                    refresh=refresh,
                )
                meta = cached_metadata(path) or {}
                sources.append(
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
        else:
            raise FileNotFoundError(
                f"no boundary file {str(item)!r}; pass an existing file (GeoJSON, GeoPackage, Shapefile, FlatGeobuf, "
                "GeoParquet) or an ISO 3166-1 alpha-3 code such as 'AZE' to download geoBoundaries"
            )
        found: set[int] = set()
        kept_any = False
        for label, raw in parts:
            # a single-level request also gives the level of layers that do not record one
            single = levels[0] if levels and len(levels) == 1 and len(parts) == 1 else None
            norm = normalize_schema(raw, level=single, source=label)
            found |= {int(v) for v in norm["admin_level"]}
            if levels is not None:
                norm = norm[norm["admin_level"].isin(levels)]
            kept_any = kept_any or len(norm) > 0
            frames.append(norm)
        if levels is not None and found and not kept_any:
            raise ValueError(
                f"{sources[-1]['source']} holds level {', '.join(map(str, sorted(found)))}, "
                f"not level {', '.join(map(str, levels))}"
            )

    if not frames:
        raise ValueError("no boundary source given")
    out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)
    out = gpd.GeoDataFrame(out, geometry="geometry", crs=4326)

    kinds = out.geometry.geom_type
    missing = out.geometry.isna() | out.geometry.is_empty
    if missing.any():
        warnings.warn(
            f"{int(missing.sum())} boundary unit(s) have no geometry and can match nothing: "
            + ", ".join(map(repr, out.loc[missing, "name"].head(10))),
            BoundaryWarning,
            stacklevel=2,
        )
    not_area = ~missing & ~kinds.isin(["Polygon", "MultiPolygon"])
    if not_area.any():
        raise ValueError(
            f"boundaries must be polygons; {int(not_area.sum())} unit(s) are "
            f"{', '.join(sorted(set(kinds[not_area])))} (e.g. {out.loc[not_area, 'name'].iloc[0]!r})"
        )

    out, repaired = repair_geometries(out)
    if repaired:
        warnings.warn(
            f"repaired {len(repaired)} invalid boundary geometr{'y' if len(repaired) == 1 else 'ies'} with make_valid: "
            + "; ".join(f"{r['name']!r} ({r['code']}): {r['reason']}" for r in repaired[:10])
            + (" …" if len(repaired) > 10 else ""),
            BoundaryWarning,
            stacklevel=2,
        )
    out, parents = derive_parents(out)

    conflicts: list[dict] = []
    if check_names and len(out):
        if gazetteer is None:
            from ..gazetteer import Gazetteer

            gazetteer = Gazetteer.default()
        conflicts = _check_names(out, gazetteer)
        if conflicts:
            label = ", ".join(s["source"] for s in sources)
            warnings.warn(format_name_conflicts(conflicts, label), BoundaryWarning, stacklevel=2)

    out = out[SCHEMA]
    out.attrs["boundaries"] = {
        "sources": sources,
        "repaired": repaired,
        "parents": parents,
        "name_conflicts": conflicts,
    }
    return out
