"""Physical features, facilities and country exonyms: the places a name index of towns lacks.

Sources, all offline and read once when the index is built:

* the compact Natural Earth derivative ``data/gazetteer/naturalearth_physical.json``
  (seas, gulfs, straits, lakes, reservoirs, rivers, islands; public domain), made by
  ``scripts/make_naturalearth.py``, with the spellings of ``physical_aliases.csv``;
* ``physical.csv``: conflict features Natural Earth lacks (straits, reservoirs, ranges,
  rivers of the Caucasus and the Levant …), each with its source;
* airports from the ``airportsdata`` package (IATA-coded airports: name, city, codes);
* ``facilities.csv``: power plants, dams, ports, crossings, bases and buildings reports
  name as targets, each with its source;
* country names in the languages of the conflict regions from pycountry's ISO 3166
  translations (gettext catalogues shipped with the package) and from the Unicode CLDR
  through Babel, which also gives the names of the cities its time zones are named after
  (most capitals: "Şam" is Damascus in Turkish, "Qəza" Gaza in Azerbaijani).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict

from ._records import ABBREV, CODE, PRIMARY, PlaceRecord
from ._sources import DATA_DIR, place_point, read_csv, split_list

NATURAL_EARTH_FILE = "naturalearth_physical.json"

#: Languages whose country names are added (the news of the Caucasus, Ukraine, the Middle
#: East and the Sahel is written in these besides English).
EXONYM_LANGUAGES = ("az", "tr", "ru", "uk", "hy", "ar", "fa", "fr", "de", "es", "ka")

#: A time zone's city is the most populous GeoNames town of its name in its country; one
#: smaller than this is not that city (CLDR names zones after cities of 100,000 and more,
#: except a few islands and outposts, whose namesakes are better left alone).
CLDR_CITY_MIN_POPULATION = 20_000

#: Generic words a water body's name is also written with ("Sea of Azov" / "Azov Sea").
_OF_FORMS = ("Sea of ", "Gulf of ", "Strait of ", "Straits of ", "Bay of ")

#: Points per circle when a curated feature is given as a centre and a radius.
_CIRCLE_SEGMENTS = 8


# ------------------------------------------------------------------ physical features
def _spelling_variants(name: str, kind: str) -> list[str]:
    """The other ways reports write a feature's name: "Aras River", "Azov Sea", "Sevan Lake"."""
    out = []
    low = name.lower()
    if kind == "river" and not low.endswith((" river", " canal")):
        out += [f"{name} River", f"River {name}"]
    if kind == "lake" and low.startswith("lake "):
        out.append(f"{name[5:]} Lake")
    if kind == "sea":
        for form in _OF_FORMS:
            if name.startswith(form):
                out.append(f"{name[len(form) :]} {form.split()[0]}")
    return out


def _km_circle(lat: float, lon: float, radius_km: float):
    """A polygon of about ``radius_km`` around a point, in degrees (a local equirectangular frame)."""
    from shapely.geometry import Polygon

    kx = 111.320 * math.cos(math.radians(lat))
    pts = []
    for i in range(_CIRCLE_SEGMENTS * 4):
        a = 2 * math.pi * i / (_CIRCLE_SEGMENTS * 4)
        pts.append((lon + radius_km * math.cos(a) / kx, lat + radius_km * math.sin(a) / 110.574))
    return Polygon(pts)


def _feature_record(name, kind, lat, lon, source, source_id, geometry, note, prior_scale=1.0) -> PlaceRecord:
    rec = PlaceRecord(
        name=name,
        kind=kind,
        country_code="",
        lat=lat,
        lon=lon,
        source=source,
        source_id=source_id,
        geometry=geometry,
        note=note,
        prior_scale=prior_scale,
    )
    if geometry is not None and geometry.geom_type not in ("Point", "MultiPoint"):
        place_point(rec)
    else:
        rec.geometry = None
    rec.add_name(name, PRIMARY)
    for v in _spelling_variants(name, kind):
        rec.add_name(v)
    return rec


#: Natural Earth's scale rank (0 oceans … 9 the smallest features) lowers the prior of
#: small features a little: "Grand Lake" and "Bear Lake" are rarely what a report means.
_SCALERANK_STEP = 0.02


def _natural_earth() -> list[PlaceRecord]:
    from shapely.geometry import shape

    path = DATA_DIR / NATURAL_EARTH_FILE
    if not path.exists():
        return []
    data = json.loads(path.read_text("utf-8"))
    version = data.get("metadata", {}).get("version", "Natural Earth")
    out = []
    for i, f in enumerate(data["features"]):
        p = f["properties"]
        geom = shape(f["geometry"])
        if geom.is_empty:
            continue
        pt = geom.representative_point() if geom.geom_type != "Point" else geom
        rec = _feature_record(
            p["name"],
            p["kind"],
            round(pt.y, 5),
            round(pt.x, 5),
            "naturalearth",
            f"{p['layer']}:{i}",
            geom,
            f"Natural Earth {p['featurecla'].lower()} ({version}); geometry simplified",
            prior_scale=1.0 - _SCALERANK_STEP * min(int(p.get("scalerank") or 0), 9),
        )
        for alt in p.get("names") or ():
            rec.add_name(alt)
        out.append(rec)
    return out


def _curated_features(problems: list[str]) -> list[PlaceRecord]:
    """``physical.csv``: a centre and radius (an approximate area) or a course (a river), with spellings."""
    from shapely.geometry import LineString

    out = []
    for row in read_csv("physical.csv"):
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
            if row.get("path"):
                coords = [tuple(float(v) for v in pt.split(",")) for pt in row["path"].split(";")]
                geom, shape_note = LineString([(x, y) for y, x in coords]), "approximate course"
            elif row.get("radius_km"):
                geom = _km_circle(lat, lon, float(row["radius_km"]))
                shape_note = f"approximate area: a {float(row['radius_km']):g} km circle"
            else:
                geom, shape_note = None, "point"
        except (KeyError, ValueError) as exc:
            problems.append(f"physical.csv row {row.get('id')!r} skipped: {exc}")
            continue
        note = "; ".join(x for x in (shape_note, row.get("source", ""), row.get("note", "")) if x)
        rec = _feature_record(row["name"], row["kind"], lat, lon, "geoconflict", row["id"], geom, note)
        rec.lat, rec.lon = lat, lon  # the curated point, not the shape's
        for a in split_list(row.get("aliases", "")):
            rec.add_name(a)
        out.append(rec)
    return out


def physical_features(problems: list[str]) -> list[PlaceRecord]:
    """Seas, straits, lakes, rivers, islands, ranges and heights with their spellings."""
    records = _natural_earth() + _curated_features(problems)
    by_name = {(r.kind, r.name): r for r in records}
    for row in read_csv("physical_aliases.csv"):
        rec = by_name.get((row.get("kind", ""), row.get("name", "")))
        if rec is None:
            problems.append(f"physical_aliases.csv: no {row.get('kind')} named {row.get('name')!r}")
            continue
        for a in split_list(row.get("aliases", "")):
            rec.add_name(a)
    return records


# ------------------------------------------------------------------------ facilities
def _airport_names(a: dict) -> list[str]:
    """An airport's names as reports write them: its own, "<city> airport", without "International"."""
    name, city = a["name"].strip(), (a.get("city") or "").strip()
    names = [name]
    if " International" in name:
        names.append(name.replace(" International", ""))
    if city:
        names.append(f"{city} Airport")
        if "International" in name:
            names.append(f"{city} International Airport")
    stem = name.replace(" International", "").removesuffix(" Airport").strip()
    if stem and stem != name:
        names.append(f"{stem} airport")
    return names


#: An airport ranks below a curated facility of the same name (the table's own entries are
#: the ones reports name as targets), and a city's international airport above its other
#: ones: "Baku airport" is Heydar Aliyev International, not Zabrat.
AIRPORT_PRIOR_SCALE = 0.95
INTERNATIONAL_AIRPORT_SCALE = 1.0


def airports(problems: list[str]) -> list[PlaceRecord]:
    """IATA-coded airports from ``airportsdata``: name, "<city> airport", and the codes (as codes)."""
    try:
        import airportsdata
    except ImportError:
        problems.append("airportsdata is not installed: no airports (pip install airportsdata)")
        return []
    extra = {row["iata"]: split_list(row.get("aliases", "")) for row in read_csv("airport_aliases.csv")}
    out = []
    for code, a in sorted(airportsdata.load("IATA").items()):
        rec = PlaceRecord(
            name=a["name"].strip(),
            kind="facility",
            country_code=(a.get("country") or "").upper(),
            lat=float(a["lat"]),
            lon=float(a["lon"]),
            admin1=(a.get("subd") or "").strip(),
            source="airportsdata",
            source_id=f"IATA:{code}",
            note=f"airport (airportsdata {getattr(airportsdata, '__version__', '')}); IATA {code}, ICAO {a['icao']}",
            prior_scale=INTERNATIONAL_AIRPORT_SCALE if "International" in a["name"] else AIRPORT_PRIOR_SCALE,
        )
        for i, n in enumerate(_airport_names(a)):
            rec.add_name(n, PRIMARY if i == 0 else 0)
        rec.add_name(code, CODE)
        rec.add_name(f"{code} airport")
        for alias in extra.get(code, ()):
            rec.add_name(alias)
        if a.get("icao"):
            rec.add_name(a["icao"], CODE)
        out.append(rec)
    return out


def curated_facilities(problems: list[str]) -> list[PlaceRecord]:
    """``facilities.csv``: plants, dams, ports, crossings, bases and buildings, each with its source."""
    out = []
    for row in read_csv("facilities.csv"):
        try:
            rec = PlaceRecord(
                name=row["name"],
                kind="facility",
                country_code=row.get("country_code", "").upper(),
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                source="geoconflict",
                source_id=row["id"],
                note="; ".join(x for x in (row.get("facility", "").replace("_", " "), row.get("source", "")) if x),
            )
        except (KeyError, ValueError) as exc:
            problems.append(f"facilities.csv row {row.get('id')!r} skipped: {exc}")
            continue
        rec.add_name(rec.name, PRIMARY)
        for a in split_list(row.get("aliases", "")):
            rec.add_name(a, ABBREV if a.isupper() and a.isascii() and len(a) <= 5 else 0)
        out.append(rec)
    return out


# ------------------------------------------------------------------------- exonyms
def add_country_exonyms(by_cc: dict[str, PlaceRecord]) -> None:
    """Country names in :data:`EXONYM_LANGUAGES`, from pycountry's ISO 3166-1 translations ("Ermənistan")."""
    import gettext

    import pycountry

    catalogues = []
    for lang in EXONYM_LANGUAGES:
        try:
            catalogues.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]))
        except OSError:
            continue
    for c in pycountry.countries:
        rec = by_cc.get(c.alpha_2)
        if rec is None:
            continue
        english = {getattr(c, a, None) for a in ("name", "common_name", "official_name")} - {None}
        for cat in catalogues:
            for n in english:
                translated = cat.gettext(n)
                if translated not in english:
                    rec.add_name(translated)


def add_cldr_exonyms(towns: list[PlaceRecord], by_cc: dict[str, PlaceRecord]) -> int:
    """City and country names in :data:`EXONYM_LANGUAGES` from the CLDR (Babel); how many were added.

    Country names are CLDR's territory names; city names are the exemplar cities of the
    time zones (``Asia/Damascus`` is "Şam" in Turkish, "Дамаск" in Russian), each given to
    the most populous town of the zone's English name in the zone's country. Without
    Babel nothing is added.
    """
    try:
        from babel import Locale, UnknownLocaleError
        from babel.core import get_global
    except ImportError:
        return 0
    locales = []
    for lang in EXONYM_LANGUAGES:
        try:
            locales.append(Locale.parse(lang))
        except (UnknownLocaleError, ValueError):
            continue
    added = 0
    for cc, rec in by_cc.items():
        for loc in locales:
            name = loc.territories.get(cc)
            if name and name not in rec.names:
                rec.add_name(name)
                added += 1
    cities = _zone_cities(towns, get_global("zone_territories"), Locale.parse("en"))
    for zone, town in cities.items():
        for loc in locales:
            name = (loc.time_zones.get(zone) or {}).get("city")
            if name and name not in town.names:
                town.add_name(name)
                added += 1
    return added


def _zone_cities(towns: list[PlaceRecord], territories: dict, english) -> dict[str, PlaceRecord]:
    """Time zone → the GeoNames town it is named after (see :data:`CLDR_CITY_MIN_POPULATION`)."""
    from ..names import normalize

    wanted: dict[tuple[str, str], list[str]] = {}
    for zone, cc in territories.items():
        if "/" not in zone or not cc or cc == "001":
            continue  # "Etc/GMT+3", "UTC": no city
        city = (english.time_zones.get(zone) or {}).get("city") or zone.rsplit("/", 1)[1].replace("_", " ")
        wanted.setdefault((cc, normalize(city)), []).append(zone)
    best: dict[tuple[str, str], PlaceRecord] = {}
    for t in towns:
        if t.population < CLDR_CITY_MIN_POPULATION:
            continue
        for spelling in t.names:
            if not spelling.isascii():
                continue  # zones are named in English
            k = (t.country_code, normalize(spelling))
            if k in wanted and (k not in best or best[k].population < t.population):
                best[k] = t
    return {zone: best[k] for k, zones in wanted.items() if k in best for zone in zones}


#: How alike (rapidfuzz ratio, 0-100) a GeoNames first-level division's name and an ISO 3166-2
#: name must be, without their kind words, to be one division ("Zaporizhia" and "Zaporizka
#: oblast": 84), and by how much the best must beat the next ("Northern Darfur" is North, not
#: South Darfur).
ISO_LINK_RATIO = 75
ISO_LINK_MARGIN = 8


def add_subdivision_exonyms(units: list[PlaceRecord]) -> int:
    """First-level divisions' names in :data:`EXONYM_LANGUAGES`, from pycountry's ISO 3166-2 translations.

    A GeoNames division the exact-name step left without its ISO code is matched to its ISO
    name by similarity first. Russian and Ukrainian names made of an adjective ("Запорожская
    область") also get the adjective's dictionary form (pymorphy3), which is what an inflected
    phrase ("в Запорожской области") is looked up as. Returns the number of names added.
    """
    import gettext

    import pycountry

    admin1 = [u for u in units if u.kind == "admin1"]
    codes = _link_iso_subdivisions(admin1, pycountry)
    catalogues = []
    for lang in EXONYM_LANGUAGES:
        try:
            catalogues.append((lang, gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang])))
        except OSError:
            continue
    lemma = _adjective_lemmas()
    added = 0
    for rec, sub in codes:
        for lang, cat in catalogues:
            translated = cat.gettext(sub.name)
            if translated == sub.name:
                continue
            for name in (translated, *lemma(lang, translated)):
                if name not in rec.names:
                    rec.add_name(name)
                    added += 1
    return added


def _link_iso_subdivisions(admin1: list[PlaceRecord], pycountry) -> list[tuple[PlaceRecord, object]]:
    """(division, its pycountry subdivision) for every division an ISO code can be found for."""
    from rapidfuzz import fuzz, process

    from ..names import normalize_variants

    by_code = {s.code: s for s in pycountry.subdivisions if not getattr(s, "parent_code", None)}
    out, free = [], defaultdict(list)
    linked = {u.source_id.split("|", 1)[1] for u in admin1 if "|" in u.source_id}
    stems: dict[str, list[str]] = defaultdict(list)  # the ISO names without their kind words, per country
    for s in by_code.values():
        if s.code not in linked:
            free[s.country_code].append(s)
            stems[s.country_code].append(normalize_variants(s.name)[1])
    for u in admin1:
        if "|" in u.source_id:
            out.append((u, by_code[u.source_id.split("|", 1)[1]]))
            continue
        cands = free.get(u.country_code)
        if not cands:
            continue
        found = process.extract(normalize_variants(u.name)[1], stems[u.country_code], scorer=fuzz.ratio, limit=2)
        second = found[1][1] if len(found) > 1 else 0.0
        if found and found[0][1] >= ISO_LINK_RATIO and found[0][1] - second >= ISO_LINK_MARGIN:
            sub = cands[found[0][2]]
            u.add_name(sub.name)
            u.add_name(sub.code, CODE)
            u.source_id += f"|{sub.code}"
            out.append((u, sub))
    return out


def _adjective_lemmas():
    """``lemma(lang, name)``: a Russian or Ukrainian name with its leading adjective in dictionary form."""
    analyzers = {}

    def lemma(lang: str, name: str) -> list[str]:
        if lang not in ("ru", "uk"):
            return []
        if lang not in analyzers:
            try:
                import pymorphy3

                analyzers[lang] = pymorphy3.MorphAnalyzer(lang=lang)
            except (ImportError, ValueError, OSError):  # no dictionary for the language
                analyzers[lang] = None
        morph = analyzers[lang]
        first, _, rest = name.partition(" ")
        if morph is None or not rest:
            return []
        parse = morph.parse(first)[0]
        if "ADJF" not in parse.tag or parse.normal_form == first.lower():
            return []
        return [f"{parse.normal_form.capitalize()} {rest}"]

    return lemma
