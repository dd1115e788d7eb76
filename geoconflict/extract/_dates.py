"""When: the event's date and how precise it is, from the sentence and the article's date."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from . import _lexicon as lx


def doc_date(value: Any) -> date | None:
    """The article's date (anything pandas reads), None when not given; a ValueError when not a date."""
    if value is None:
        return None
    import pandas as pd

    ts = pd.to_datetime(value, errors="coerce")
    if pd.isna(ts):
        raise ValueError(f"document date {value!r} is not a date (use YYYY-MM-DD)")
    return ts.date()


def _explicit(sentence: str, doc: date | None) -> tuple[date, str] | None:
    """A written date ("14 October", "October 14, 2020"); the year is the document's when not given."""
    for rx in (lx.DATE_DMY, lx.DATE_MDY):
        m = rx.search(sentence)
        if not m:
            continue
        year = int(m.group("y")) if m.group("y") else (doc.year if doc else None)
        if year is None:
            continue
        try:
            d = date(year, lx.MONTHS[m.group("m").lower().rstrip(".")], int(m.group("d")))
        except ValueError:
            continue
        if not m.group("y") and doc and d > doc:
            d = d.replace(year=d.year - 1)
        return d, f"explicit: {m.group(0)}"
    return None


def _weekday(sentence: str, doc: date) -> tuple[date, str] | None:
    """ "on Sunday", "в воскресенье": the last such day up to the document date."""
    m = lx.WEEKDAY.search(sentence)
    if not m:
        return None
    if m.group("en"):
        k = lx.WEEKDAYS.index(m.group("en"))
    else:
        k = next(i for i, stem in enumerate(lx.RU_WEEKDAYS) if m.group("ru").lower().startswith(stem))
    back = (doc.weekday() - k) % 7
    return doc - timedelta(days=back), f"relative: {m.group(0)} before {doc.isoformat()}"


def _relative(sentence: str, doc: date) -> tuple[date, str, str] | None:
    """ "yesterday", "overnight", "over the weekend", "last week" and their Russian forms."""
    for rx, back, precision in lx.RELATIVE_DATES:
        m = rx.search(sentence)
        if not m:
            continue
        if back == "weekend":
            # the last Saturday before the article (the Saturday of an article written on a Sunday)
            d = doc - timedelta(days=(doc.weekday() - 5) % 7 or 7) if doc.weekday() != 6 else doc - timedelta(days=1)
        elif back == "week":
            d = doc - timedelta(days=doc.weekday())
        else:
            d = doc - timedelta(days=back)
            if precision == "week":
                d -= timedelta(days=d.weekday())
        return d, f"relative: {m.group(0)}", precision
    return None


def event_date(sentence: str, doc: date | None, previous: date | None = None) -> tuple[date | None, str, str | None]:
    """``(date, basis, date_precision)`` of the event a sentence reports.

    ``previous`` is the date of the event reported before, for "a day later".

    Examples
    --------
    >>> from datetime import date
    >>> event_date("Rockets fell over the weekend.", date(2020, 10, 12))[::2]
    (datetime.date(2020, 10, 10), 'weekend')
    >>> event_date("Drones attacked the port overnight.", date(2023, 8, 14))[::2]
    (datetime.date(2023, 8, 13), 'overnight')
    >>> event_date("Shells hit Tartar late on Monday.", date(2020, 10, 7))[::2]
    (datetime.date(2020, 10, 5), 'day')
    """
    sentence = lx.low(sentence)  # the patterns are lower case (see _lexicon)
    if not lx.ANY_DATE.search(sentence):
        return (doc, "document date", "document") if doc else (None, "unknown", None)
    found = _explicit(sentence, doc)
    if found:
        return found[0], found[1], "day"
    if doc is None:
        return None, "unknown", None
    if previous is not None and lx.DAY_LATER.search(sentence):
        return previous + timedelta(days=1), "relative: a day after the previous event", "day"
    found = _weekday(sentence, doc)
    if found:
        night = any(rx.search(sentence) for rx, _, p in lx.RELATIVE_DATES if p == "overnight")
        return found[0], found[1], "overnight" if night else "day"
    rel = _relative(sentence, doc)
    if rel:
        return rel
    return doc, "document date", "document"
