"""Geoparsing: find the place mentions in a text and resolve them with the document's context.

Detection needs no model: capitalised word sequences are looked up in the
gazetteer's name index (one pass, longest match first), and rules keep common
words, people's names and titles from becoming places. Resolution runs twice:
first each mention alone, then each again with the evidence of the others —
countries and regions the text names, where its confident places lie, a
possessive country before a name ("Azerbaijan's Nakhchivan region") and an
appositive after it ("Garden City, S.C.").

Examples
--------
>>> gdf = geoparse("A missile hit the area near Orduba, in Azerbaijan's Nakhchivan region.")
>>> for row in gdf[["mention", "name", "country_code", "feature_kind"]].values.tolist():
...     print(row)
['Orduba', 'Ordubad', 'AZ', 'town']
['Azerbaijan', 'Azerbaijan', 'AZ', 'country']
['Nakhchivan region', 'Nakhchivan Autonomous Republic', 'AZ', 'admin1']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._context import _resolve_in_context, _resolve_span
from ._detect import _detect
from ._frame import COLUMNS, mentions_frame
from ._lang import LANGS, detect_language
from ._tokens import MAX_SENTENCE as MAX_SENTENCE_CHARS
from ._tokens import sentence_spans

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

    from ..gazetteer import Gazetteer, Match

__all__ = [
    "COLUMNS",
    "LANGS",
    "MAX_SENTENCE_CHARS",
    "Mention",
    "detect_language",
    "find_mentions",
    "geoparse",
    "geoparse_many",
    "sentence_spans",
]

#: A possessive name right before a given span ("Azerbaijan's |Nakhchivan|").
_POSSESSIVE_BEFORE_RE = re.compile(r"([A-Z][\w-]+(?: [A-Z][\w-]+)?)(?:’s|'s) $")


@dataclass(slots=True)
class Mention:
    """A place mention: its span, the match it resolved to (None when unresolved), and why it was taken.

    ``kind`` is ``"place"`` (a place named), ``"demonym"`` (a people or an adjective,
    "Ukrainian": its country, not a location to map) or ``"in_name"`` (a place inside the
    name of something else, "Arizona State University"). ``reason`` says why detection
    took the span ("name in the gazetteer", "dictionary form 'донецк'" …), or, for an
    unresolved span, why nothing matched. ``lookup`` is the form that was resolved.
    """

    start: int
    end: int
    text: str
    sentence: int
    match: Match | None = None
    reason: str = ""
    via: str = ""  # "part" when resolved through a part of its name ("Arizona State University")
    context_hint: dict[str, Any] = field(default_factory=dict)
    kind: str = "place"
    lookup: str = ""


def find_mentions(
    text: str,
    *,
    gazetteer: Gazetteer | None = None,
    mentions: Sequence[tuple[int, int]] | None = None,
    demonyms: bool = False,
    lang: str | None = None,
    context: Any = None,
) -> list[Mention]:
    """Detect (or take) the place mentions of ``text`` and resolve them in context.

    This is :func:`geoparse` without the GeoDataFrame: a list of :class:`Mention`,
    unresolved ones included (with ``reason``). Demonyms are left out unless asked for
    (:func:`geoparse` returns them, marked).

    Examples
    --------
    >>> [(m.text, m.match.name) for m in find_mentions("Rockets fell on Goris and Sisian overnight.")]
    [('Goris', 'Goris'), ('Sisian', 'Sisian')]
    >>> m = find_mentions("Zzyzzyqx was shelled.", mentions=[(0, 8)])[0]
    >>> m.match is None, bool(m.reason)
    (True, True)
    >>> [(m.text, m.match.name) for m in find_mentions("Обстрел Донецка продолжился.")]
    [('Донецка', 'Donetsk')]
    """
    return _find_mentions(text, sentence_spans(text), gazetteer, mentions, demonyms, lang, context)


def _find_mentions(
    text: str,
    sentences: list[tuple[int, int]],
    gazetteer: Gazetteer | None,
    mentions: Sequence[tuple[int, int]] | None,
    demonyms: bool,
    lang: str | None = None,
    context: Any = None,
) -> list[Mention]:
    from ..gazetteer import Gazetteer

    gaz = gazetteer or Gazetteer.default()
    if mentions is None:
        out = _detect(gaz, text, sentences, lang or detect_language(text), Mention)
    else:
        out = _take(gaz, text, sentences, mentions)
    _resolve_in_context(gaz, text, out, home=_home(context))
    for m in out:
        if m.match is None and not m.reason:
            m.reason = gaz.reason(m.text) or "no place found"
    if not demonyms and mentions is None:
        out = [m for m in out if m.kind != "demonym"]
    return out


def _home(context: Any) -> tuple:
    """The caller's ``context=``: a country (code or name), a (lat, lon) point, or a sequence of them."""
    if context is None:
        return ()
    if isinstance(context, str):
        return (context,)
    if len(context) == 2 and all(isinstance(v, int | float) for v in context):
        return (tuple(float(v) for v in context),)
    return tuple(context)


def _take(
    gaz: Gazetteer, text: str, sentences: list[tuple[int, int]], mentions: Sequence[tuple[int, int]]
) -> list[Mention]:
    """The caller's spans, resolved alone (and through their parts), unresolved ones kept."""
    import bisect

    starts = [s for s, _ in sentences]
    out: list[Mention] = []
    for a, b in mentions:
        if not (0 <= a < b <= len(text)):
            raise ValueError(f"mention span ({a}, {b}) is outside the text (length {len(text)})")
        name = text[a:b]
        m, via = _resolve_span(gaz, name)
        out.append(Mention(a, b, name, bisect.bisect_right(starts, a) - 1, m, via=via))
        if a > 2:
            before = text[max(0, a - 40) : a]
            pm = _POSSESSIVE_BEFORE_RE.search(before)
            if pm:
                out[-1].context_hint["possessive"] = pm.group(1)
    return out


def geoparse(
    text: str,
    *,
    gazetteer: Gazetteer | None = None,
    date: Any = None,
    source: str | None = None,
    mentions: Sequence[tuple[int, int]] | None = None,
    demonyms: bool = True,
    areas: bool = True,
    lang: str | None = None,
    context: Any = None,
) -> geopandas.GeoDataFrame:
    """Find and place every place mention of a text, offline.

    Parameters
    ----------
    text : str
        The text (a news article, a report).
    gazetteer : Gazetteer, optional
        Defaults to :meth:`Gazetteer.default`.
    date, source : optional
        Copied into the ``date`` and ``source`` columns (the document's date and origin).
    mentions : sequence of (start, end), optional
        Spans found by someone else (your NER, an annotator): they are resolved
        with the same document context instead of being detected. A span nothing
        resolves is listed in ``attrs["unresolved"]`` with the reason.
    demonyms : bool
        Return demonyms ("Armenian forces", "Tunisian") as mentions of their country, with
        ``mention_kind="demonym"`` (a reader counts them as references to the place, an
        incident table does not: filter on the column). ``False`` leaves them out.
    areas : bool
        Use a region's or country's area as its geometry (else its representative point).
    lang : str, optional
        The text's language (ISO 639-1: ``en ru uk az tr hy ar fa fr de es``); detected when
        None. It decides how inflected names are looked up ("в Донецке", "Hatay'da").
    context : optional
        Where the text comes from: a country (code or name), a ``(lat, lon)`` point (a local
        paper's city), or a sequence of them. Names are resolved as if the text named them.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per located mention, in text order, EPSG:4326, with the columns
        ``mention, start, end, sentence, name, country_code, admin1, feature_kind,
        match_score, match_type, latitude, longitude, gazetteer_source, source_id,
        date, source, mention_kind, reason, geometry``. ``mention_kind`` is ``place``,
        ``demonym`` or ``in_name`` (a place inside the name of something else, "Kapan
        Airport"); ``reason`` says why the span was taken. ``attrs["unresolved"]`` lists spans that could not
        be placed, with the reason.

    Examples
    --------
    >>> gdf = geoparse("Volunteers gathered in Talin and Garni before travelling east.")
    >>> gdf["country_code"].tolist()
    ['AM', 'AM']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    sentences = sentence_spans(text)
    found = _find_mentions(text, sentences, gazetteer, mentions, demonyms, lang, context)
    return _frame(text, sentences, found, date, source, areas)


def _frame(
    text: str, sentences: list[tuple[int, int]], found: list[Mention], date: Any, source: Any, areas: bool
) -> geopandas.GeoDataFrame:
    """The located mentions as a GeoDataFrame (:data:`COLUMNS`), the others in ``attrs["unresolved"]``."""
    from shapely import Point

    rows, geoms, unresolved = [], [], []
    said: dict[int, str] = {}
    shapes: dict[int, Any] = {}  # one geometry per place: a country named 1,000 times is one outline
    for m in found:
        mt = m.match
        if mt is None:
            unresolved.append({"mention": m.text, "start": m.start, "end": m.end, "reason": m.reason})
            continue
        sentence = said.get(m.sentence)
        if sentence is None:  # one string per sentence, however many places it names
            a, b = sentences[m.sentence] if 0 <= m.sentence < len(sentences) else (m.start, m.end)
            sentence = said[m.sentence] = text[a:b].strip()
        rows.append(
            (  # in the order of COLUMNS
                m.text,
                m.start,
                m.end,
                sentence,
                mt.name,
                mt.country_code,
                mt.admin1,
                mt.feature_kind,
                mt.score,
                m.via if m.via else mt.match_type,
                mt.latitude,
                mt.longitude,
                mt.source,
                mt.source_id,
                date,
                source,
                m.kind,
                m.reason or "given span",
            )
        )
        shape = shapes.get(mt.place_id)
        if shape is None:
            shape = shapes[mt.place_id] = mt.geometry if (areas and mt.is_area) else Point(mt.longitude, mt.latitude)
        geoms.append(shape)
    gdf = mentions_frame(rows, geoms)
    gdf.attrs["unresolved"] = unresolved
    return gdf


def geoparse_many(texts: Iterable[str], **kwargs) -> geopandas.GeoDataFrame:
    """:func:`geoparse` over many texts, one frame with a ``doc`` column (the text's position)."""
    import geopandas as gpd
    import pandas as pd

    frames, unresolved = [], []
    for k, t in enumerate(texts):
        g = geoparse(t, **kwargs)
        g.insert(0, "doc", k)
        frames.append(g)
        unresolved += [{"doc": k, **u} for u in g.attrs["unresolved"]]
    if not frames:
        return geoparse("", **kwargs)
    out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")
    out.attrs["unresolved"] = unresolved
    return out
