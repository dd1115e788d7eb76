"""The JavaScript and CSS an incident map needs, as page elements.

geoconflict's own script and style (``maps/static/geoconflict-map.*``) are always inlined:
they are small and belong to the page. Leaflet is inlined too by default
(``assets="inline"``): the copy vendored in ``maps/static/leaflet`` (BSD-2-Clause, see
its README), images as data URIs, so a page works from ``file://`` with no network.
``assets="cdn"`` links Leaflet from its CDN instead, each link with Subresource
Integrity: the hash is computed from the vendored copy, which is byte for byte the
file the CDN serves (:data:`LEAFLET_SRI` holds the hashes Leaflet publishes, and a
test checks the two agree).

Every element here renders its text verbatim. branca's plain ``Element(text)``
would parse the text as a Jinja template (so ``{{ 7*7 }}`` in a report would
become ``49``, and worse): nothing that holds data or third-party code goes
through it. The ``<script>``/``<style>`` wrappers that refuse text which would
end the element early are in :mod:`geoconflict.maps.escape`.

Examples
--------
>>> f"Leaflet {LEAFLET_VERSION}" in leaflet_js()[:200]
True
>>> "data:image/png;base64," in leaflet_css(inline_images=True)
True
>>> sri("leaflet/leaflet.css") == LEAFLET_SRI["leaflet.css"], 'integrity="sha256-' in leaflet_cdn_tags()
(True, True)
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache, lru_cache
from pathlib import Path

from branca.element import Element

__all__ = [
    "ASSET_MODES",
    "JQUERY_SHIM",
    "LEAFLET_CDN",
    "LEAFLET_VERSION",
    "Raw",
    "geoconflict_css",
    "geoconflict_js",
    "leaflet_cdn_tags",
    "leaflet_css",
    "leaflet_js",
    "sri",
]

STATIC = Path(__file__).resolve().parent / "static"
LEAFLET_VERSION = "1.9.4"
LEAFLET_CDN = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist"
#: the Subresource Integrity hashes Leaflet publishes for its 1.9.4 files (leafletjs.com/download.html)
LEAFLET_SRI = {
    "leaflet.js": "sha256-20nQCchB9co0qIjJZRGuk2/Z9VM+kNiyxNV1lvTlZBo=",
    "leaflet.css": "sha256-p4NxAoJBhIIN+hmNHrzRCf9tD/miZyoHS5obTRR9BMY=",
}
#: how a page gets its scripts and styles
ASSET_MODES = ("inline", "cdn")


class Raw(Element):
    """A page element that renders ``text`` as it is (no template processing)."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "Raw"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


@cache
def _read(name: str) -> str:
    path = STATIC / name
    if not path.exists():  # pragma: no cover - a broken installation
        raise FileNotFoundError(
            f"geoconflict's map asset {path} is missing: reinstall geoconflict (the maps/static/ folder ships with it)"
        )
    return path.read_text(encoding="utf-8")


@cache
def sri(name: str) -> str:
    """The Subresource Integrity value (``sha256-…``) of a vendored static file, e.g. ``leaflet/leaflet.js``."""
    digest = hashlib.sha256((STATIC / name).read_bytes()).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def leaflet_cdn_tags() -> str:
    """The ``<link>`` and ``<script>`` that load Leaflet from its CDN, each with its integrity hash."""
    css, js = sri("leaflet/leaflet.css"), sri("leaflet/leaflet.js")
    return (
        f'<link rel="stylesheet" href="{LEAFLET_CDN}/leaflet.css" integrity="{css}" crossorigin="anonymous">'
        f'<script src="{LEAFLET_CDN}/leaflet.js" integrity="{js}" crossorigin="anonymous"></script>'
    )


def leaflet_js() -> str:
    """The vendored Leaflet script."""
    return _read("leaflet/leaflet.js")


@lru_cache(maxsize=2)
def leaflet_css(*, inline_images: bool = True) -> str:
    """The vendored Leaflet stylesheet; its ``url(images/…)`` become data URIs when ``inline_images``."""
    css = _read("leaflet/leaflet.css")
    if not inline_images:
        return css

    def data_uri(m: re.Match) -> str:
        png = (STATIC / "leaflet" / m.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(png).decode('ascii')})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", data_uri, css)


@lru_cache(maxsize=1)
def leaflet_default_icon_js() -> str:
    """Point Leaflet's default marker icon at data URIs (no image files next to an offline page)."""
    uris = {}
    for key, name in (
        ("iconUrl", "marker-icon.png"),
        ("iconRetinaUrl", "marker-icon-2x.png"),
        ("shadowUrl", "marker-shadow.png"),
    ):
        png = (STATIC / "leaflet" / "images" / name).read_bytes()
        uris[key] = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    opts = ",".join(f'{k}:"{v}"' for k, v in uris.items())
    return f'L.Icon.Default.imagePath="";L.Icon.Default.mergeOptions({{{opts}}});'


#: Offline pages carry no jQuery; folium's own templates use it in two ways only:
#: ``$(`<div …>`)[0]`` (popups) and ``$(document).ready(fn)`` (keep_in_front). This covers both.
JQUERY_SHIM = (
    "if(!window.$){window.$=function(x){"
    "if(typeof x==='function'){if(document.readyState==='loading'){document.addEventListener('DOMContentLoaded',x)}"
    "else{x()}return}"
    "if(typeof x==='string'){var t=document.createElement('template');t.innerHTML=x.trim();"
    "return Array.prototype.slice.call(t.content.childNodes)}"
    "return{0:x,length:1,ready:function(f){window.$(f)}}}}"
)


def geoconflict_js() -> str:
    """geoconflict's map script (the incident canvas layer and its controls)."""
    return _read("geoconflict-map.js")


def geoconflict_css() -> str:
    """geoconflict's map stylesheet."""
    return _read("geoconflict-map.css")
