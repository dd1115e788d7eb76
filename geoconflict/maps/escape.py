"""Every way text from a report becomes part of a map page, in one module.

Text in an incident table, a zone's metadata or a boundary file is data: it may
hold ``<script>``, an ``<img onerror=…>``, quotes, a backtick, a backslash,
``${…}`` or ``{{ … }}``. The map writes it into four kinds of place, and each
has its function here:

* HTML text and attribute values (popups, the legend, tooltips, titles):
  :func:`escape_html`. The page script only ever inserts strings escaped here,
  and its own ``GeoconflictMap.escapeHtml`` (used to match search text against
  the data) must give the same answer; ``tests/maps/test_maps_browser.py``
  checks the two agree in Chromium.
* JSON inside a ``<script>`` element (the options and the incident data):
  :func:`script_json`, which cannot close the element.
* Whole scripts and stylesheets inlined in the page (Leaflet, geoconflict's
  own): :func:`script_tag` and :func:`style_tag` refuse text that would end the
  element early.
* Links: :func:`http_url` keeps only absolute ``http``/``https`` URLs.
* Text drawn by matplotlib in the printed map: :func:`plain_text`, so that a ``$``
  in a report starts no mathtext (which would fail or change the words).

:func:`as_text` turns a table cell into display text first (missing and blank
cells become None, lists are joined, whole floats lose their ``.0``).

Examples
--------
>>> escape_html('<img src=x onerror="alert(1)">')
'&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
>>> escape_html("{{ 7*7 }} `$x` C:\\\\path")
'&#123;&#123; 7*7 &#125;&#125; &#96;&#36;x&#96; C:&#92;path'
>>> http_url(" https://example.org/a?b=1 "), http_url("javascript:alert(1)")
('https://example.org/a?b=1', None)
>>> script_json({"note": "</script>\\u2028"})
'{"note": "\\\\u003c/script\\\\u003e\\\\u2028"}'
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from typing import Any
from urllib.parse import urlsplit

import numpy as np

__all__ = ["as_text", "escape_html", "http_url", "plain_text", "script_json", "script_tag", "style_tag"]

#: character -> entity, applied in this order ("&" first, so no entity is escaped twice).
#: The page script's ``escapeHtml`` applies the same table.
HTML_ESCAPES = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("'", "&#x27;"),
    ("`", "&#96;"),
    ("\\", "&#92;"),
    ("$", "&#36;"),
    ("{", "&#123;"),
    ("}", "&#125;"),
)

# JSON may hold these raw; inside <script> "<" could start "</script>", and U+2028/9
# end a line for JavaScript parsers older than ES2019
_SCRIPT_JSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def escape_html(text: Any) -> str:
    """``text`` as HTML text that is also inert in attributes, JS template literals and Jinja.

    Parameters
    ----------
    text : object
        Anything; it is turned into a string with :class:`str` first.

    Returns
    -------
    str
        Besides ``& < > " '`` the backtick, backslash and ``$`` are escaped (a
        JavaScript template literal, as folium writes tooltips, ends at a backtick
        and runs ``${…}``) and so are the braces (branca re-reads rendered text as a
        Jinja template). The browser shows every one of them as the plain character.

    Examples
    --------
    >>> escape_html("</script><script>window.__pwned=1</script>")
    '&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;'
    >>> escape_html("Armenia's MoD")
    'Armenia&#x27;s MoD'
    """
    s = str(text)
    for char, entity in HTML_ESCAPES:
        if char in s:  # most values hold none of these: skip the copy
            s = s.replace(char, entity)
    return s


def http_url(value: Any) -> str | None:
    """``value`` stripped if it is an absolute http(s) URL with a host, else None.

    Parameters
    ----------
    value : object
        A table cell.

    Returns
    -------
    str or None
        The URL to link to (still to be escaped with :func:`escape_html`), or None
        for anything else: other schemes (``javascript:``, ``data:``), protocol-relative
        ``//host`` links, spaces or control characters.

    Examples
    --------
    >>> http_url("HTTPS://news.am/eng/news/1.html")
    'HTTPS://news.am/eng/news/1.html'
    >>> [http_url(v) for v in ("data:text/html,x", "//evil.example", "ftp://x.org", None)]
    [None, None, None, None]
    """
    text = as_text(value)
    if text is None or any(c.isspace() or ord(c) < 32 for c in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return text


def as_text(value: Any) -> str | None:
    """A cell as display text.

    Parameters
    ----------
    value : object
        A table cell: text, a number, a boolean, a date, bytes, a list of those, or missing.

    Returns
    -------
    str or None
        None for missing or blank; lists joined with ``"; "``; whole floats without
        ``.0``; booleans as yes/no; dates as YYYY-MM-DD.

    Examples
    --------
    >>> [as_text(v) for v in (None, float("nan"), " ", 3.0, 2.5, ["Azerbaijan", "Turkey"], True)]
    [None, None, None, '3', '2.5', 'Azerbaijan; Turkey', 'yes']
    """
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    for kinds, convert in _CONVERTERS:
        if isinstance(value, kinds):
            return convert(value)
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):  # pd.isna of an odd object: it is not missing
        pass
    return as_text(str(value))


def _number_text(value: float) -> str | None:
    if math.isnan(value):
        return None
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def _list_text(values: Any) -> str | None:
    return "; ".join(t for t in (as_text(v) for v in values) if t) or None


def _date_text(value: _dt.date) -> str | None:
    try:
        return value.strftime("%Y-%m-%d")
    except ValueError:  # NaT
        return None


# (types, converter) in the order they are tried; bool before int, since a bool is an int
_CONVERTERS: tuple[tuple[Any, Any], ...] = (
    (bool | np.bool_, lambda v: "yes" if v else "no"),
    (float | np.floating, _number_text),
    (int | np.integer, lambda v: str(int(v))),
    (list | tuple | set | frozenset | np.ndarray, _list_text),
    (_dt.datetime | _dt.date, _date_text),
    (bytes, lambda v: as_text(v.decode("utf-8", errors="replace"))),
)


def script_json(value: Any, *, compact: bool = False) -> str:
    """``value`` as JSON text that can sit inside a ``<script>`` element.

    Parameters
    ----------
    value : object
        Anything :func:`json.dumps` takes (NaN is refused: it is not JSON).
    compact : bool
        No spaces after separators (for the incident data, where they add up).

    Returns
    -------
    str
        The JSON with ``<``, ``>``, U+2028 and U+2029 written as ``\\uXXXX``, so that
        ``</script>`` or ``<!--`` in a value cannot end the element, and old
        JavaScript parsers see no line break in a string. It parses to the same value.

    Examples
    --------
    >>> script_json(["<b>", "a\\u2029b"], compact=True)
    '["\\\\u003cb\\\\u003e","a\\\\u2029b"]'
    >>> json.loads(script_json({"x": "</script>"})) == {"x": "</script>"}
    True
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":") if compact else None, allow_nan=False)
    for char, escaped in _SCRIPT_JSON_ESCAPES:
        if char in text:
            text = text.replace(char, escaped)
    return text


def script_tag(js: str) -> str:
    """``<script>`` holding ``js``; refuses code that would close the element early.

    Examples
    --------
    >>> script_tag("var a = 1;")
    '<script>var a = 1;</script>'
    >>> script_tag("x = '</script>'")
    Traceback (most recent call last):
    ...
    ValueError: script text contains '</script' or '<!--' and cannot be inlined safely
    """
    if re.search(r"</script|<!--", js, flags=re.IGNORECASE):
        raise ValueError("script text contains '</script' or '<!--' and cannot be inlined safely")
    return f"<script>{js}</script>"


def style_tag(css: str) -> str:
    """``<style>`` holding ``css``; refuses text that would close the element early.

    Examples
    --------
    >>> style_tag("b { color: red }")
    '<style>b { color: red }</style>'
    """
    if re.search(r"</style", css, flags=re.IGNORECASE):
        raise ValueError("style text contains '</style' and cannot be inlined safely")
    return f"<style>{css}</style>"


def plain_text(text: Any) -> str:
    r"""``text`` for matplotlib: shown as written, never read as mathtext.

    Examples
    --------
    >>> print(plain_text("costs $5 and $x$"))
    costs \$5 and \$x\$
    """
    return str(text).replace("$", "\\$")
