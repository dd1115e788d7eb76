"""The JavaScript and CSS an incident map needs, as page elements.

geoconflict's own script and style (``maps/static/geoconflict-map.*``) are always inlined:
they are small and belong to the page. Leaflet is loaded from its CDN, as folium
does, unless the map is built ``offline``: then the copy vendored in
``maps/static/leaflet`` (BSD-2-Clause, see its README) is inlined, images as data URIs.

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
"""

from __future__ import annotations

import base64
import re
from functools import cache, lru_cache
from pathlib import Path

from branca.element import Element

__all__ = [
    "JQUERY_SHIM",
    "LEAFLET_CDN",
    "LEAFLET_VERSION",
    "Raw",
    "geoconflict_css",
    "geoconflict_js",
    "leaflet_css",
    "leaflet_js",
]

STATIC = Path(__file__).resolve().parent / "static"
LEAFLET_VERSION = "1.9.4"
LEAFLET_CDN = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist"


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
