"""The :class:`Gazetteer`: resolve a place name, as a reporter wrote it, to a place."""

from __future__ import annotations

import zlib
from collections import OrderedDict
from collections.abc import Iterable
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..geodesy import haversine_km
from ..names import deletions, english_key, normalize_variants, normalize_with_hint, phonetic_key
from . import _rank
from ._records import ABBREV, CODE, EVERYDAY, KIND_CODE, KINDS, PRIMARY, SOURCES, WORD
from ._store import IndexFiles
from ._words import word_may_name
from .match import DEFAULT_MIN_SCORE, Match

__all__ = ["Gazetteer"]

#: Below this similarity (0–1) a fuzzy candidate is not a match.
FUZZY_THRESHOLD = 0.78
#: Unresolved names whose reason is kept for :meth:`Gazetteer.reason` (older ones are recomputed).
MAX_REASONS = 10_000
FUZZY_THRESHOLD_MULTIWORD = 0.88
#: Postings looked at per key with evidence: the best by prior, plus the best in a hinted
#: country and in the countries of the text's other places. 24 find what 48 found on
#: GeoWebNews and the labelled sets, in half the ranking time of geoparse.
TOP_POSTINGS = 24
#: Spelling-variant matches (phonetic, fuzzy) need names longer than this many letters:
#: "N-K" is not Naknek, "Aras" not Arras (issue 11).
VARIANT_MIN_LETTERS = 4
#: Each word of a misspelt name of several words must be at least this close to its
#: counterpart: "Black Sea" is not "Blackshear", "Nagorno Karabach" is Nagorno-Karabakh.
FUZZY_WORD_THRESHOLD = 0.7
#: A misspelling that lands on a town smaller than this needs evidence that agrees (the
#: country the text is about, a point or a co-mentioned place nearby): a hamlet far from
#: everything is the worst answer a conflict map can draw.
FUZZY_SMALL_TOWN = 5_000
#: km within which a point or co-mentioned place agrees with a misspelling's town.
FUZZY_EVIDENCE_KM = 150.0
#: Candidates of the plain folded key (ş→s) when the English spelling (ş→sh) found places:
#: "Şuşa" is Shusha before it is the Tunisian "Susa".
TURKIC_PLAIN_FACTOR = 0.6
#: A misspelling match is never certain: its score (similarity × dominance) is scaled so that
#: even a one-letter slip scores below 0.8, the band where the labelled sets find answers
#: right at least 97 % of the time (misspelling matches there were right about 75 %).
FUZZY_SCORE_SCALE = 0.85
_FACILITY = KIND_CODE["facility"]
#: Kinds whose codes (airport codes GeoNames lists among a town's names, IATA and ICAO
#: codes of airports) are matched only when a town or facility is asked for.
_CODED_POINTS = frozenset({KIND_CODE["town"], _FACILITY})
_TOWN = KIND_CODE["town"]

_default: Gazetteer | None = None


def _word_reason(name: str, m: Match) -> str:
    return f"{name!r} reads as the English word here, not a name ({m.name} not taken)"


PointLike = Any  # (lat, lon) tuple, shapely Point (x=lon, y=lat) or Match


def _as_latlon(p: PointLike) -> tuple[float, float]:
    if isinstance(p, Match):
        return (p.latitude, p.longitude)
    if hasattr(p, "x") and hasattr(p, "y"):
        return (float(p.y), float(p.x))
    lat, lon = p
    lat, lon = float(lat), float(lon)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"near/context point {p!r} is not a (latitude, longitude) pair")
    return (lat, lon)


def _word_for_word(key: str, matched: str) -> bool:
    """A misspelt name of several words matches only word for word: same count, each word close, same initials."""
    words, others = key.split(), matched.split()
    if len(words) == 1 and len(others) == 1:
        return True
    if len(words) != len(others):
        return False
    for a, b in zip(words, others, strict=True):
        if a == b:
            continue
        pa, pb = phonetic_key(a), phonetic_key(b)
        if pa[:1] != pb[:1] or (pa != pb and _rank.fuzzy_similarity(pa, pb) < FUZZY_WORD_THRESHOLD):
            return False
    return True


class Gazetteer:
    """Offline place-name resolver over GeoNames, countries, divisions, regions and the curated overlay.

    Use :meth:`default` to get the shared instance; it maps a cached index into
    memory (built on first use, about a minute, then reused).

    Examples
    --------
    >>> gaz = Gazetteer.default()
    >>> m = gaz.resolve("Orduba")
    >>> m.name, m.country_code
    ('Ordubad', 'AZ')
    >>> gaz.resolve("Armavir", country="AM").admin1
    'Armavir'
    >>> gaz.resolve("Zzyzzyqx") is None
    True
    >>> gaz.reason("Zzyzzyqx")
    "no place named 'Zzyzzyqx' (normalised 'zzyzzyqx') and no spelling close enough"
    """

    def __init__(self, index: IndexFiles, *, online=None):
        self._ix = index
        self._countries: list[str] = index.manifest["countries"]
        self._cc_id = {c: i for i, c in enumerate(self._countries)}
        self._multi_id = self._cc_id.get("", -1)
        self._reasons: OrderedDict[str, str] = OrderedDict()  # the latest unresolved names, bounded
        self.online = online
        self._cached_resolve = lru_cache(maxsize=65_536)(self._resolve)
        self._no_evidence = _rank.Evidence(multi_country_id=self._multi_id)
        self._cached_evidence = lru_cache(maxsize=4096)(self._build_evidence)

    @cached_property
    def _admin1_names(self) -> list[str]:
        n = len(self._ix.admin1_names_off) - 1
        return [self._ix.string("admin1_names", i) for i in range(n)]

    # ------------------------------------------------------------------ creation
    @classmethod
    def default(cls, *, rebuild: bool = False) -> Gazetteer:
        """The shared offline gazetteer (GeoNames cities500 + countries + regions + overlay)."""
        global _default
        if _default is None or rebuild:
            _default = cls(open_index(rebuild=rebuild))
        return _default

    @classmethod
    def from_cache_dir(cls, root: str | Path, *, rebuild: bool = False) -> Gazetteer:
        """A gazetteer whose index lives under ``root`` instead of the user cache."""
        return cls(open_index(root=Path(root), rebuild=rebuild))

    def with_online(self, geocoder, **options) -> Gazetteer:
        """A gazetteer that asks ``geocoder`` (any geopy geocoder) for names it cannot resolve offline.

        ``options`` go to :class:`~geoconflict.gazetteer.online.OnlineGeocoder`
        (``min_delay_seconds``, ``timeout``, ``max_retries``, ``cache_path``).
        Offline answers always come first; online ones are rate-limited and cached.
        """
        from .online import OnlineGeocoder

        online = geocoder if isinstance(geocoder, OnlineGeocoder) else OnlineGeocoder(geocoder, **options)
        return type(self)(self._ix, online=online)

    def country_at(self, lat: float, lon: float) -> str:
        """ISO alpha-2 code of the country whose outline holds the point ('' when none does)."""
        if not hasattr(self, "_country_tree"):
            import shapely

            ids = np.flatnonzero(np.asarray(self._ix.kind) == KINDS.index("country"))
            ids = [int(i) for i in ids if self._ix.wkb(int(i))]
            self._country_ids = ids
            self._country_tree = shapely.STRtree([shapely.from_wkb(self._ix.wkb(i)) for i in ids])
        from shapely import Point

        hits = self._country_tree.query(Point(lon, lat), predicate="intersects")
        return self._countries[int(self._ix.cc[self._country_ids[int(hits[0])]])] if len(hits) else ""

    @property
    def name_keys(self):
        """Every normalised name the gazetteer knows, as a read-only trie (``key in keys``, ``keys.iterkeys(prefix)``).

        Keys are :func:`geoconflict.names.normalize` forms; a geoparser walks it to find
        the longest name that starts at a word.

        Examples
        --------
        >>> keys = Gazetteer.default().name_keys
        >>> "ordubad" in keys, next(keys.iterkeys("nagorno"), None) is not None
        (True, True)
        """
        return self._ix.exact

    @property
    def index_info(self) -> dict:
        """The index manifest: counts, sources, build problems."""
        return dict(self._ix.manifest)

    def __len__(self) -> int:
        return int(self._ix.manifest["places"])

    def __repr__(self) -> str:
        m = self._ix.manifest
        return f"<Gazetteer {m['places']:,} places, {m['keys']:,} names, index {self._ix.directory}>"

    # ------------------------------------------------------------------ lookup
    def country_code(self, value: str) -> str | None:
        """ISO alpha-2 code for a country code, ISO3 code, name or demonym (None if unknown)."""
        if not value:
            return None
        v = value.strip()
        if len(v) == 2 and v.upper() in self._cc_id:
            return v.upper()
        key, _ = normalize_with_hint(v)
        kid = self._ix.exact.get(key)
        if kid is None:
            return None
        a, b = self._ix.exact_ptr[kid : kid + 2].tolist()
        places = self._ix.exact_place[a:b]
        hit = places[self._ix.kind[places] == KINDS.index("country")]
        return self._countries[self._ix.cc.item(hit[0])] if len(hit) else None

    def country(self, value: str) -> Match | None:
        """The country (as a Match with its outline) for an ISO code, name or demonym; None if unknown.

        Examples
        --------
        >>> Gazetteer.default().country("AZ").name
        'Azerbaijan'
        """
        cc = self.country_code(value)
        if cc is None:
            return None
        ix = self._ix
        for key in (cc.lower(), normalize_with_hint(value)[0]):
            kid = ix.exact.get(key)
            if kid is None:
                continue
            a, b = ix.exact_ptr[kid : kid + 2].tolist()
            for row in range(a, b):
                pid = ix.exact_place.item(row)
                if ix.kind.item(pid) == KINDS.index("country") and self._countries[ix.cc.item(pid)] == cc:
                    return self._match(value, pid, "exact", key, 1.0, 1.0, ix.exact_flag.item(row))
        return None

    def _postings(self, kid: int, country_id: int | None, top: int = TOP_POSTINGS, wanted=frozenset()) -> list[int]:
        """Posting rows of an exact key: the ``top`` best by prior, plus the best in a hinted country.

        ``wanted`` are the countries of the text's other places: their namesakes join too, so a
        small town of the text's country is not lost behind two dozen bigger ones elsewhere.
        """
        ix = self._ix
        a, b = ix.exact_ptr[kid : kid + 2].tolist()
        ids = wanted if country_id is None else wanted | {country_id}
        if b - a <= top or not ids:
            return list(range(a, min(b, a + top)))
        ccs = ix.cc[ix.exact_place[a:b]]
        in_country = np.flatnonzero(np.isin(ccs, list(ids)))[:top] + a
        return sorted(set(range(a, a + top)) | set(in_country.tolist()))

    def _fuzzy_keys(self, pkey: str, threshold: float = 0.78) -> list[tuple[int, float]]:
        """(phonetic key id, similarity) for keys within a small edit distance."""
        if len(pkey) < 3:
            return []
        depth = 1 if len(pkey) < 7 else 2
        variants = deletions(pkey, depth)
        h = np.fromiter((zlib.crc32(v.encode()) for v in variants), dtype=np.uint32, count=len(variants))
        hashes = self._ix.del_hash
        lo = np.searchsorted(hashes, h, side="left")
        hi = np.searchsorted(hashes, h, side="right")
        ids = set()
        for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
            if b > a:
                ids.update(self._ix.del_phon[a:b].tolist())
        out = []
        restore = self._ix.phonetic.restore_key
        for pid in ids:
            cand = restore(pid)
            if cand[:1] != pkey[:1]:
                continue  # misspellings rarely change the first letter ("Arcach" is not Cape Town)
            sim = _rank.fuzzy_similarity(pkey, cand)
            if sim >= threshold:
                out.append((pid, sim))
        return out

    def _candidates(
        self, key: str, country_id: int | None, top: int, *, spelling_variants: bool = True, wanted=frozenset()
    ) -> list[tuple[int, float, str, str]]:
        """(posting row, name factor, match type, matched key) for a normalised key.

        Exact matches first; transliteration and misspelling matches are added when
        there is no exact match, or none in the hinted country.
        """
        ix = self._ix
        out: list[tuple[int, float, str, str]] = []
        kid = ix.exact.get(key)
        if kid is not None:
            rows = self._postings(kid, country_id, top, wanted)
            out = [(r, _rank.NAME_EXACT, "exact", key) for r in rows]
            if country_id is None or any(ix.cc.item(ix.exact_place.item(r)) == country_id for r in rows):
                return out
        if not spelling_variants or not key.isascii() or sum(c.isalpha() for c in key) <= VARIANT_MIN_LETTERS:
            return out
        if all(w in ix.words for w in key.split()):
            return out  # English words are not misspellings of places ("parties", "Security Council")
        pkey = phonetic_key(key)
        ppid = ix.phonetic.get(pkey)
        keys = [] if ppid is None else [(ppid, _rank.NAME_PHONETIC, "phonetic")]
        if ppid is None or country_id is not None:
            # several words misspelt at once rarely make a place: demand more of them
            threshold = FUZZY_THRESHOLD if " " not in key else FUZZY_THRESHOLD_MULTIWORD
            fuzzy = self._fuzzy_keys(pkey, threshold)
            keys += [(pid, _rank.fuzzy_factor(sim), "fuzzy") for pid, sim in fuzzy if pid != ppid]
        for pid, factor, mtype in keys:
            for ekid in ix.phon_exact[ix.phon_ptr.item(pid) : ix.phon_ptr.item(pid + 1)].tolist():
                if ekid == kid:
                    continue
                mkey = ix.exact.restore_key(ekid)
                if mtype == "fuzzy" and not _word_for_word(key, mkey):
                    continue
                out += [(r, factor, mtype, mkey) for r in self._postings(ekid, country_id, top, wanted)]
        return out

    def _evidence(self, country, near, context, hint) -> _rank.Evidence:
        if not country and near is None and not context and hint not in _rank.KIND_HINTS_USED:
            return self._no_evidence
        try:
            return self._cached_evidence(country, near, context, hint)
        except TypeError:  # unhashable context
            return self._build_evidence(country, near, context, hint)

    def _build_evidence(self, country, near, context, hint) -> _rank.Evidence:
        country_id = None
        if country:
            cc = self.country_code(country)
            if cc is None:
                raise ValueError(f"unknown country {country!r}: give an ISO code or a country name")
            country_id = self._cc_id.get(cc)
        ccs, pts = set(), []
        for c in context or ():
            if isinstance(c, str):
                code = self.country_code(c)
                if code in self._cc_id:
                    ccs.add(self._cc_id[code])
                continue
            if isinstance(c, Match):
                if c.country_code in self._cc_id:
                    ccs.add(self._cc_id[c.country_code])
                if c.feature_kind in ("country", "continent", "region"):
                    continue  # an area's centre says little about where its towns are
            pts.append(_as_latlon(c))
        return _rank.Evidence(
            country_id=country_id,
            near=_as_latlon(near) if near is not None else None,
            context_ccs=frozenset(ccs),
            context_points=tuple(pts),
            kind_hint=hint,
            multi_country_id=self._multi_id,
        )

    def _rank(self, name: str, country, near, context, kind: str | None, limit: int):
        """(normalised key, ranked [(place, score, match type, matched key, name factor)])."""
        full, key, hint = normalize_variants(name)
        if kind is not None:
            hint = kind
        if not key:
            return key, []
        ev = self._evidence(country, near, context, hint)
        # without context the postings' order (by prior) is the ranking: a few suffice
        top = max(limit, 8) if ev.empty else TOP_POSTINGS
        cands = self._gather(name, full, key, ev, top)
        if not cands:
            return key, []
        scored = self._score(name, cands, ev)
        if scored and not ev.empty:
            ix = self._ix
            pids = np.fromiter((t[0] for t in scored), dtype=np.int64, count=len(scored))
            f = ev.factors(
                ix.lat[pids], ix.lon[pids], ix.cc[pids], ix.kind[pids], ix.radius_km[pids], ix.population[pids]
            )
            scored = [(t[0], t[1] * fk, *t[2:]) for t, fk in zip(scored, f.tolist(), strict=True)]
        scored = self._drop_lone_misspellings(scored, ev)
        if key in self._not_places:
            scored = self._drop_namesakes(scored, ev)
        best: dict[int, tuple[float, str, str, float, int]] = {}
        for pid, s, mtype, mkey, nf, fl in scored:
            if s > 0 and s > best.get(pid, (0.0,))[0]:
                best[pid] = (s, mtype, mkey, nf, fl)
        ranked = sorted(((pid, *v) for pid, v in best.items()), key=lambda t: -t[1])
        return key, ranked[: max(limit, top)]

    def _gather(self, name: str, full: str, key: str, ev: _rank.Evidence, top: int) -> list:
        """Candidate postings of a name: its full key, its key without a suffix, its English spelling."""
        # an abbreviation in capitals ("NK", "ICC") is asked for as written, never misspelt;
        # a single word in lower case is a word ("cashiers" is not Chassiers, "buoys" not Buochs)
        variants = not (name.isupper() and sum(c.isalpha() for c in name) > 1) and not (
            name.islower() and " " not in name.strip()
        )
        if full == key:
            cands = self._candidates(key, ev.country_id, top, spelling_variants=variants, wanted=ev.context_ccs)
        else:
            # "Texas City" is first the town of that name, then something called "Texas"
            cands = self._candidates(full, ev.country_id, top, spelling_variants=False, wanted=ev.context_ccs)
            scale = _rank.SUFFIX_DROPPED if cands else 1.0
            rest = self._candidates(key, ev.country_id, top, spelling_variants=variants, wanted=ev.context_ccs)
            cands += [(r, nf * scale, t, k) for r, nf, t, k in rest]
        english = english_key(name)
        if english is not None and english not in (full, key):
            found = self._candidates(english, ev.country_id, top, spelling_variants=False, wanted=ev.context_ccs)
            if found:
                cands = found + [(r, nf * TURKIC_PLAIN_FACTOR, t, k) for r, nf, t, k in cands]
        return cands

    def _score(self, name: str, cands: list, ev: _rank.Evidence) -> list:
        """(place, score, match type, matched key, name factor, flags) of each candidate posting."""
        ix = self._ix
        place_of, flag_of, prior_of, kind_of = (
            ix.exact_place.item,
            ix.exact_flag.item,
            ix.exact_prior.item,
            ix.kind.item,
        )
        caps = name.isupper() and sum(c.isalpha() for c in name) <= 5
        dotless = "." not in name
        facility_codes = ev.kind_hint in ("facility", "town")
        scored = []
        for row, nf, mtype, mkey in cands:
            fl = flag_of(row)
            if fl & CODE and not facility_codes and kind_of(place_of(row)) in _CODED_POINTS:
                continue  # "CNN", "CEO" are airport codes too: a code means an airport only when asked for one
            if caps:
                s = prior_of(row) * nf * (1.0 if fl & (ABBREV | CODE) else _rank.CAPS_NON_ABBREV)
            elif fl & CODE:
                continue  # identifiers match only when written as identifiers
            else:
                s = prior_of(row) * nf * (_rank.ABBREV_LOWERCASE if fl & ABBREV and dotless else 1.0)
            scored.append((place_of(row), s, mtype, mkey, nf, fl))
        return scored

    def _drop_lone_misspellings(self, scored: list, ev: _rank.Evidence) -> list:
        """Misspelling matches on small towns that no evidence supports are not answers.

        With evidence, neither is another spelling of such a town far from it: "Bagram" is a
        name of a village in Iran too, and a text about Kunduz and Helmand does not mean it.
        """
        ix = self._ix
        evidence = not ev.empty
        # cheap tests first, one vectorised distance test for the few suspects
        suspects = [k for k, t in enumerate(scored) if t[2] == "fuzzy" or (evidence and not t[5] & PRIMARY)]
        if not suspects:
            return scored
        pids = np.fromiter((scored[k][0] for k in suspects), dtype=np.int64, count=len(suspects))
        small = (ix.kind[pids] == _TOWN) & (ix.population[pids] < FUZZY_SMALL_TOWN)
        if not small.any():
            return scored
        far = small.copy()
        far[small] = ~ev.agrees_many(ix.lat[pids[small]], ix.lon[pids[small]], ix.cc[pids[small]], FUZZY_EVIDENCE_KM)
        drop = {suspects[k] for k in np.flatnonzero(far).tolist()}
        return [t for k, t in enumerate(scored) if k not in drop]

    @cached_property
    def _not_places(self) -> dict[str, tuple[str, str]]:
        """Names conflict reporting gives to what is no place (``not_places.csv``): key → (name, category)."""
        from ._sources import not_place_names

        return not_place_names()

    def _drop_namesakes(self, scored: list, ev: _rank.Evidence) -> list:
        """The places a group, weapon or agency's name may still mean ("Hamas" is not Hamm).

        Kept: areas and facilities by their own name, and towns by their own name that the
        evidence supports (Wagner in Brazil when the text is about Brazil). Dropped: every
        other spelling and misspelling match (GeoNames' old or foreign names of a town).
        """
        ix = self._ix
        keep = []
        for t in scored:
            pid, mtype, fl = t[0], t[2], t[5]
            kind = ix.kind.item(pid)
            if mtype != "exact" or (not fl & PRIMARY and kind != _FACILITY):
                continue
            if kind == _TOWN and not ev.agrees(ix.lat.item(pid), ix.lon.item(pid), ix.cc.item(pid), FUZZY_EVIDENCE_KM):
                continue
            keep.append(t)
        return keep

    def _match(
        self, query: str, pid: int, mtype: str, matched: str, name_factor: float, dominance: float, flags: int = 0
    ) -> Match:
        if mtype == "fuzzy":
            quality = FUZZY_SCORE_SCALE * (float(name_factor) / _rank.NAME_FUZZY) ** (1 / _rank.FUZZY_POWER)
        else:
            quality = 1.0 if mtype == "exact" else _rank.NAME_PHONETIC
        score = quality * (0.5 + 0.5 * dominance)
        lat, lon, pop, kind, source, cc, a1, na, nb, sa, sb, oa, ob, ga, gb = self._ix.place.item(pid)
        names, ids, notes, geoms = self._blobs
        # Match's fields set directly (its generated __init__ costs half the resolve); every
        # field is given here, in declaration order
        m = object.__new__(Match)
        m.__dict__.update(
            query=query,
            name=names[na:nb].decode(),
            matched_name=matched,
            match_type=mtype,
            source=SOURCES[source],
            source_id=ids[sa:sb].decode(),
            country_code=self._countries[cc],
            admin1=self._admin1_names[a1],
            feature_kind=KINDS[kind],
            latitude=lat,
            longitude=lon,
            population=pop,
            score=score if score == 1.0 else round(score, 4),  # round() costs a fifth of the resolve
            note=notes[oa:ob].decode() if ob > oa else "",
            place_id=pid,
            _wkb=bytes(geoms[ga:gb]) if gb > ga else b"",
            name_flags=flags,
        )
        return m

    @cached_property
    def _blobs(self) -> tuple:
        """The name, source id, note and geometry blobs (memory maps), read by :meth:`_match`."""
        return tuple(self._ix.blob(t) for t in ("name", "source_id", "note", "geom"))

    def _dominance(self, ranked) -> float:
        """1 - (best distinct rival / winner): how clearly the winner won."""
        ix = self._ix
        pid0, s0 = ranked[0][0], ranked[0][1]
        lat0, lon0 = ix.lat.item(pid0), ix.lon.item(pid0)
        for pid, s, *_ in ranked[1:]:  # ranked is sorted: the first far one is the rival
            if haversine_km(lat0, lon0, ix.lat.item(pid), ix.lon.item(pid)) > _rank.DISTINCT_KM:
                return max(0.0, 1.0 - s / s0)
        return 1.0

    # ------------------------------------------------------------------ public API
    def resolve(
        self,
        name: str,
        *,
        country: str | None = None,
        near: PointLike | None = None,
        context: Iterable[Any] | None = None,
        kind: str | None = None,
        min_score: float | None = None,
    ) -> Match | None:
        """Resolve a place name to the most likely place.

        Parameters
        ----------
        name : str
            The name as written: any case, diacritics or none, any common
            romanisation, small misspellings ("Orduba", "Naxçıvan", "Gubadly").
        country : str, optional
            Country the text is about (ISO2, ISO3, name or demonym). A strong
            preference, not a filter: a name only known elsewhere still resolves.
        near : (lat, lon) or shapely Point, optional
            Prefer places near this point.
        context : iterable, optional
            Co-mentioned places (``Match`` objects, ``(lat, lon)`` pairs) and
            country names/codes: candidates in the same countries and close to
            these points rank higher.
        kind : {"town", "admin1", "admin2", "sea", "river", "lake", "mountain", "island", "facility"}, optional
            Prefer a feature kind (also inferred from suffixes such as "province" or
            "river"). Airport codes ("KBL", "OAKB") match only with ``kind="facility"``.
        min_score : float, optional
            The lowest score accepted (default :data:`DEFAULT_MIN_SCORE`); a weaker
            best match gives None and :meth:`reason` names it. ``0`` accepts any match.

        Returns
        -------
        Match or None
            None when nothing matches well enough; :meth:`reason` then says why.

        Examples
        --------
        >>> gaz = Gazetteer.default()
        >>> gaz.resolve("Naxçıvan").country_code
        'AZ'
        >>> gaz.resolve("Talin", country="Armenia").name
        'Talin'
        >>> gaz.resolve("Red Sea").feature_kind, gaz.resolve("Kabul airport").feature_kind
        ('sea', 'facility')
        """
        if not isinstance(name, str):
            raise TypeError(f"name must be a string, not {type(name).__name__}")
        ctx = tuple(context) if context is not None else None
        near_key = _as_latlon(near) if near is not None else None
        try:
            m = self._cached_resolve(name, country, near_key, ctx, kind)
        except TypeError:  # unhashable context
            m = self._resolve(name, country, near_key, ctx, kind)
        floor = DEFAULT_MIN_SCORE if min_score is None else min_score
        if m is not None and m.score < floor and m.match_type != "online":
            self._remember(
                name,
                f"the best match for {name!r}, {m.name} ({m.country_code or '—'}, {m.feature_kind}, "
                f"{m.match_type}), scores {m.score:.2f}, below min_score {floor:g}",
            )
            return None
        if m is not None and self._reasons:
            self._reasons.pop(name, None)
        return m

    def _resolve(self, name, country, near, context, kind) -> Match | None:
        if country is None and near is None and not context and kind is None:
            found = self._stored(name)
            if found is not None:
                m, words = found
                if name.isalpha() and not word_may_name(self._ix, name, m, words=words):
                    self._remember(name, _word_reason(name, m))
                    return None
                if self._reasons:
                    self._reasons.pop(name, None)
                return m
        m = self._resolve_ranked(name, country, near, context, kind)
        if m is not None and name.isalpha() and not word_may_name(self._ix, name, m):
            self._remember(name, _word_reason(name, m))
            return None
        return m

    def _resolve_ranked(self, name, country, near, context, kind) -> Match | None:
        """The general path: rank every candidate against the evidence."""
        key, ranked = self._rank(name, country, near, context, kind, limit=8)
        if ranked:
            self._reasons.pop(name, None)
            pid, _s, mtype, matched, factor, flags = ranked[0]
            return self._match(name, pid, mtype, matched, factor, self._dominance(ranked), flags)
        if self.online is not None:
            m = self.online.geocode(name, country=country, country_at=self.country_at)
            if m is not None:
                return m
        self._remember_reason(name, key)
        return None

    def _stored_answer(self, name: str) -> Match | None:
        """The stored answer for a name asked without any evidence (see ``_build``)."""
        found = self._stored(name)
        return None if found is None else found[0]

    def _stored(self, name: str) -> tuple[Match, int | None] | None:
        """The stored answer, and what its key is as an English word (None: ask the word lists)."""
        if "." in name or (name.isupper() and sum(c.isalpha() for c in name) <= 5):
            return None  # abbreviations rank differently
        if not name.isascii() and english_key(name) is not None:
            return None  # an Azerbaijani/Turkish spelling is also looked up as English spells it
        if name.isascii() and name.isalpha():
            key = name.lower()  # what normalisation makes of a plain ASCII word
        else:
            full, key, hint = normalize_variants(name)
            if full == key and hint is not None:
                return None  # a prefix to weigh ("Province of Kandahar")
            key = full  # with a suffix, the answer to the whole is stored ("Texas City", "Syunik province")
        kid = self._ix.exact.get(key)
        if kid is None:
            return None
        pid_of, dom_of, flags_of, words_of = self._answers
        pid = pid_of[kid]
        if pid < 0:
            return None
        m = self._match(name, pid, "exact", key, 1.0, dom_of[kid], flags_of[kid])
        # the bits are the key's; a name that folds to its key otherwise asks the word lists
        return m, (words_of[kid] if key == name.lower() else None)

    @cached_property
    def _answers(self) -> tuple:
        """Memoryviews of the stored answers' columns (pid, dom, flags, words).

        A memoryview hands out Python numbers without making numpy scalars: a fifth of
        the cost of a structured row's ``.item(kid)`` on the commonest query.
        """
        ix = self._ix
        return tuple(memoryview(getattr(ix, f"answer_{f}")) for f in ("pid", "dom", "flags", "words"))

    def candidates(
        self,
        name: str,
        limit: int = 5,
        *,
        country: str | None = None,
        near: PointLike | None = None,
        context: Iterable[Any] | None = None,
        kind: str | None = None,
    ) -> list[Match]:
        """The ``limit`` best places for a name, best first (same evidence as :meth:`resolve`).

        Examples
        --------
        >>> [m.country_code for m in Gazetteer.default().candidates("Armavir", limit=2)]
        ['RU', 'AM']
        """
        key, ranked = self._rank(name, country, near, tuple(context or ()), kind, limit=limit)
        if not ranked:
            self._remember_reason(name, key)
            return []
        top = ranked[0][1]
        return [
            self._match(name, pid, mtype, matched, factor, min(1.0, s / top) if top else 0.0, flags)
            for pid, s, mtype, matched, factor, flags in ranked[:limit]
        ]

    def reason(self, name: str) -> str | None:
        """Why the last :meth:`resolve` of ``name`` returned None (None if it did not)."""
        if name in self._reasons:
            return self._reasons[name]
        key, ranked = self._rank(name, None, None, None, None, limit=1)
        return None if ranked else self._explain(name, key)

    def _remember_reason(self, name: str, key: str) -> None:
        self._remember(name, self._explain(name, key))

    def _remember(self, name: str, why: str) -> None:
        self._reasons[name] = why
        self._reasons.move_to_end(name)
        while len(self._reasons) > MAX_REASONS:
            self._reasons.popitem(last=False)

    def _explain(self, name: str, key: str) -> str:
        if not key:
            return f"{name!r} holds no letters to look up"
        if key in self._not_places:
            what, category = self._not_places[key]
            return (
                f"{name!r} names {'an' if category[0] in 'aeiou' else 'a'} {category} in conflict reporting "
                f"({what}), not a place; "
                "a town of that name needs a country, a point or context"
            )
        if not key.isascii():
            return f"no place named {name!r} (normalised {key!r}); fuzzy matching covers Latin-script names only"
        return f"no place named {name!r} (normalised {key!r}) and no spelling close enough"


def write_default_answers(out: Path, keys: list[str]) -> None:
    """The answer to a name asked without evidence, for every key, computed by the resolver itself.

    A name like "Kapan" with no country, point or context always gets the same
    answer; storing it lets :meth:`Gazetteer.resolve` skip ranking for the commonest
    query. It is the general path's own result (a test checks the two agree).
    """
    gaz = Gazetteer(IndexFiles(out))
    ix = gaz._ix
    nkeys = len(keys)
    pid = np.full(nkeys, -1, dtype=np.int32)
    dom = np.zeros(nkeys, dtype=np.float64)
    flags = np.zeros(nkeys, dtype=np.uint8)
    # A key with one posting that is not an identifier is its own answer, at full
    # dominance: what the general path returns, without ranking (most keys are such).
    ptr = np.asarray(ix.exact_ptr)
    one = np.diff(ptr) == 1
    first = ptr[:-1]
    fl = np.asarray(ix.exact_flag)[np.minimum(first, len(ix.exact_flag) - 1)] if nkeys else np.zeros(0, np.uint8)
    direct = one & ((fl & CODE) == 0)
    trie = ix.exact
    # direct answers in one go; the loop below only ranks the keys with several postings
    kids = np.fromiter((trie[k] for k in keys), dtype=np.int64, count=nkeys)
    how = np.zeros(nkeys, dtype=np.uint8)
    how[kids] = np.fromiter((_stored_as(k) if k not in gaz._not_places else 0 for k in keys), np.uint8, nkeys)
    take = how > 0
    suffixed = how == _WITH_SUFFIX  # "texas city": its stripped key competes, so it is ranked
    now = take & direct & ~suffixed
    pid[now], flags[now], dom[now] = ix.exact_place[first[now]], fl[now], 1.0
    # ranked: several postings, or a suffix (one posting and not direct: an identifier alone)
    for kid in np.flatnonzero(take & ~now & (~one | suffixed)).tolist():
        key = trie.restore_key(kid)
        _key, ranked = gaz._rank(key, None, None, None, None, limit=8)
        if ranked and ranked[0][2] == "exact" and ranked[0][3] == key:  # else its matched name would differ
            pid[kid], flags[kid], dom[kid] = ranked[0][0], ranked[0][5], gaz._dominance(ranked)
    words = np.zeros(nkeys, dtype=np.uint8)
    for bit, wordlist in ((WORD, ix.words), (EVERYDAY, ix.everyday)):
        for word in wordlist:  # the word lists are far shorter than the keys
            kid = trie.get(word)
            if kid is not None:
                words[kid] |= bit
    # one file a column: contiguous arrays, which memoryviews index without numpy scalars
    for column, values in (("pid", pid), ("dom", dom), ("flags", flags), ("words", words)):
        np.save(out / f"answer_{column}.npy", values)


#: How a key's answer is stored (see :func:`_stored_as`).
_AS_ITSELF, _WITH_SUFFIX = 1, 2


def _stored_as(key: str) -> int:
    """How a key asked for as written is looked up: 0 not as itself (a prefix, an English spelling,
    a letter that folds again), :data:`_AS_ITSELF`, or :data:`_WITH_SUFFIX` ("texas city")."""
    if key.isascii() and key.isalpha() and key.islower():
        stem = key  # nothing for normalisation to read otherwise
    else:
        full, stem, hint = normalize_variants(key)
        if full != key or (stem == key and hint is not None):
            return 0
    if english_key(key) is not None:
        return 0
    return _AS_ITSELF if stem == key else _WITH_SUFFIX


def open_index(*, root: Path | None = None, rebuild: bool = False, builder=None) -> IndexFiles:
    """The index under ``root`` (default: the cache), built with this resolver's stored answers when needed."""
    from ._build import open_index as open_or_build

    return open_or_build(root=root, rebuild=rebuild, builder=builder, answers=write_default_answers)
