"""Generate the compact Natural Earth derivative the gazetteer ships: ``data/gazetteer/naturalearth_physical.json``.

Natural Earth is in the public domain; this script keeps only what the gazetteer
needs from four of its physical layers — each feature's names, its class and
scale rank, and a simplified geometry (marine areas and lakes as polygons, rivers
as lines merged per name, islands as points) — and records the source and version
in the file's ``metadata``. The source layers are not copied.

Run (from the repository root), with the layers in ``../shared/data/naturalearth``::

    python3 scripts/make_naturalearth.py [--source DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO.parent / "shared" / "data" / "naturalearth"
OUT = REPO / "data" / "gazetteer" / "naturalearth_physical.json"

#: Where the layers come from (SOURCES.md of the shared data records the same).
PROVENANCE = {
    "source": "Natural Earth (naturalearthdata.com), public domain",
    "version": "Natural Earth v4 GeoJSON as published in martynafford/natural-earth-geojson",
    "commit": "0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e",
    "layers": {
        "ne_10m_geography_marine_polys": "10m/physical/ (blob 07e1eca7)",
        "ne_50m_rivers_lake_centerlines": "50m/physical/ (blob dd11a263)",
        "ne_50m_lakes": "50m/physical/ (blob 4c034f7c)",
        "ne_50m_geography_regions_points": "50m/physical/ (blob a01498be)",
    },
    "generated_by": "scripts/make_naturalearth.py",
}

#: Simplification tolerance in degrees per layer: about 2 km at sea (the 10m marine
#: polygons are 2.7 MB; a strait like Bab-el-Mandeb is 25 km wide and must keep its shape),
#: 1 km for lakes and rivers.
TOLERANCE = {"marine": 0.02, "lakes": 0.01, "rivers": 0.01}

#: Natural Earth's label abbreviations, written out ("L. Erie", "Rybinsk Res.", "Bransfield Str.").
_ABBREVIATIONS = (
    (r"^L\. ", "Lake "),
    (r" L\.$", " Lake"),
    (r"^Rés\. ", "Réservoir "),
    (r" Res\.$", " Reservoir"),
    (r" Str\.$", " Strait"),
    (r" Sd\.$", " Sound"),
    (r"^I\. ", "Isla "),
    (r" I\.$", " Island"),
    (r"^Is\. ", "Islas "),
    (r"^O\. ", "Ozero "),
    (r"^R\. ", "Rivière "),
    (r"^N\. ", "North "),
    (r"^S\. ", "South "),
    (r"^Ft\. ", "Fort "),
)


def clean_name(name: str | None) -> str:
    """A label as a name: single spaces, abbreviations written out, capitals only where a name has them."""
    if not name:
        return ""
    s = " ".join(name.split())
    for pattern, repl in _ABBREVIATIONS:
        s = re.sub(pattern, repl, s)
    if s.isupper():  # the oceans are labelled in capitals ("NORTH ATLANTIC OCEAN")
        s = s.title()
    return s


def _areas(path: Path, kind: str, alt_keys: tuple[str, ...]) -> list[dict]:
    """The polygons of one layer grouped by cleaned name, with the alternate names ``alt_keys`` hold."""
    grouped: dict[str, dict] = {}
    for f in json.loads(path.read_text("utf-8"))["features"]:
        p = f["properties"]
        name = clean_name(p.get("name"))
        if not name or not f.get("geometry"):
            continue
        g = grouped.setdefault(name, {"name": name, "alt": set(), "class": p.get("featurecla"), "geoms": []})
        g["alt"].update(x for x in (clean_name(p.get(k)) for k in alt_keys) if x)
        g["geoms"].append(shapely.make_valid(shape(f["geometry"])))
        g["rank"] = min(g.get("rank", 99), int(p.get("scalerank") or 9))
    return [dict(g, kind=kind, layer=path.stem) for g in grouped.values()]


def _marine(path: Path) -> list[dict]:
    return _areas(path, "sea", ("namealt", "name_fr"))


def _lakes(path: Path) -> list[dict]:
    return _areas(path, "lake", ("name_alt",))


#: Natural Earth labels each country's stretch of a river in that country's language; these
#: are one river each (the label → the river's English name, which the merged line keeps).
SAME_RIVER = {
    "Al Furat": "Euphrates",
    "Firat": "Euphrates",
    "Dicle": "Tigris",
    "Dnepre": "Dnipro",
    "Donau": "Danube",
    "Rhein": "Rhine",
    "Rhin": "Rhine",
    "Ertis": "Irtysh",
    "Ertix": "Irtysh",
    "Heilong Jiang": "Amur",
    "Lancang": "Mekong",
    "Chang Jiang": "Yangtze",
    "Jinsha": "Yangtze",
    "Yarlung": "Brahmaputra",
    "Tejo": "Tagus",
    "Tajo": "Tagus",
    "Tisa": "Tisza",
    "Bénoué": "Benue",
    "Abay": "Blue Nile",
    "El Bahr el Azraq": "Blue Nile",
    "El Bahr el Abyad": "White Nile",
}


def _rivers(path: Path) -> list[dict]:
    """River segments (and their stretches through lakes) merged per river; other labels become its names."""
    grouped: dict[str, dict] = defaultdict(lambda: {"alt": set(), "geoms": []})
    for f in json.loads(path.read_text("utf-8"))["features"]:
        p = f["properties"]
        label = clean_name(p.get("name"))
        if not label or not f.get("geometry") or p.get("featurecla") not in ("River", "Lake Centerline"):
            continue
        name = SAME_RIVER.get(label, label)
        g = grouped[name]
        if label != name:
            g["alt"].add(label)
        g.update(name=name, **{"class": "River"})
        g["alt"].update(x for x in (clean_name(p.get("name_alt")), clean_name(p.get("name_en"))) if x and x != name)
        g["geoms"].append(shape(f["geometry"]))
        g["rank"] = min(g.get("rank", 99), int(p.get("scalerank") or 9))
    return [dict(g, kind="river", layer="ne_50m_rivers_lake_centerlines") for g in grouped.values()]


def _islands(path: Path) -> list[dict]:
    out = []
    for f in json.loads(path.read_text("utf-8"))["features"]:
        p = f["properties"]
        name = clean_name(p.get("name"))
        if not name or p.get("featurecla") != "island":
            continue  # capes, poles and waterfalls are not what reports place events at
        alt = {clean_name(p.get("name_alt"))} - {""}
        geom = shape(f["geometry"])
        out.append(
            {"name": name, "alt": alt, "class": "island", "geoms": [geom], "rank": int(p.get("scalerank") or 9)}
            | {"kind": "island", "layer": "ne_50m_geography_regions_points"}
        )
    return out


def _feature(item: dict, tolerance: float) -> dict:
    geom = shapely.union_all(item["geoms"]) if len(item["geoms"]) > 1 else item["geoms"][0]
    if geom.geom_type not in ("Point", "MultiPoint"):
        simple = shapely.set_precision(geom.simplify(tolerance, preserve_topology=True), 1e-4)
        # a feature smaller than the tolerance keeps its own shape
        geom = simple if not simple.is_empty else shapely.set_precision(geom, 1e-5)
        if geom.geom_type in ("Polygon", "MultiPolygon"):
            geom = shapely.make_valid(geom)
    return {
        "type": "Feature",
        "properties": {
            "name": item["name"],
            "names": sorted(item["alt"] - {item["name"]}),
            "kind": item["kind"],
            "featurecla": item["class"],
            "scalerank": item["rank"],
            "layer": item["layer"],
        },
        "geometry": mapping(geom),
    }


def build(source: Path) -> dict:
    """The derivative as a GeoJSON FeatureCollection with a ``metadata`` member."""
    features = [_feature(i, TOLERANCE["marine"]) for i in _marine(source / "ne_10m_geography_marine_polys.json")]
    features += [_feature(i, TOLERANCE["lakes"]) for i in _lakes(source / "ne_50m_lakes.json")]
    features += [_feature(i, TOLERANCE["rivers"]) for i in _rivers(source / "ne_50m_rivers_lake_centerlines.json")]
    features += [_feature(i, 0) for i in _islands(source / "ne_50m_geography_regions_points.json")]
    features = [f for f in features if f["geometry"]["coordinates"]]  # nothing left of it at this scale
    features.sort(key=lambda f: (f["properties"]["kind"], f["properties"]["name"]))
    return {"type": "FeatureCollection", "metadata": PROVENANCE | {"tolerance_deg": TOLERANCE}, "features": features}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=SOURCE, help="folder holding the Natural Earth layers")
    ap.add_argument("--out", type=Path, default=OUT, help="where to write the derivative")
    args = ap.parse_args()
    data = build(args.source)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"{len(data['features'])} features, {len(text) / 1e6:.2f} MB -> {args.out}")


if __name__ == "__main__":
    main()
