"""The page: :class:`IncidentMap` (a folium.Map that can inline Leaflet and shows large pages
in notebooks) and :class:`IncidentLayer` (the incidents as one canvas layer and its controls).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import os
from pathlib import Path
from typing import Any

import folium

from ._assets import (
    ASSET_MODES,
    JQUERY_SHIM,
    Raw,
    geoconflict_css,
    geoconflict_js,
    leaflet_cdn_tags,
    leaflet_css,
    leaflet_default_icon_js,
    leaflet_js,
)
from ._payload import IncidentPayload
from .escape import escape_html, script_json, script_tag, style_tag

__all__ = ["COMPRESS_ABOVE", "INLINE_LIMIT", "BaseMapLayer", "IncidentLayer", "IncidentMap"]

#: pages larger than this (bytes) are not put inline in a notebook but saved and shown in an IFrame
INLINE_LIMIT = 2_000_000
#: incident data larger than this (bytes of JSON) is gzip-compressed in the page (``compress=None``)
COMPRESS_ABOVE = 1_000_000


class IncidentMap(folium.Map):
    """A :class:`folium.Map` whose page carries its own code, prints, and shows large pages in notebooks.

    ``assets="inline"`` (the default) writes Leaflet (vendored), geoconflict's script
    and style and a few lines standing in for the jQuery folium's popups use into the
    page: it needs no network, from ``file://`` too. ``assets="cdn"`` links Leaflet
    from its CDN instead, with Subresource Integrity. folium's other CDN assets
    (jQuery, Bootstrap, Font Awesome, awesome markers) are not used by geoconflict's
    layers and are left out in both modes.

    Notebook front ends refuse outputs of many megabytes. When the rendered page is
    larger than ``inline_limit`` bytes, the notebook view saves it next to the
    notebook (``notebook_dir``, default ``geoconflict-maps/`` in the working
    directory) and shows it in an IFrame instead of inlining it.

    :meth:`to_image` draws the same map with matplotlib (PNG, SVG, PDF).

    Examples
    --------
    >>> m = IncidentMap(tiles=None)
    >>> "Leaflet 1.9.4" in m.get_root().render()
    True
    >>> 'integrity="sha256-' in IncidentMap(tiles=None, assets="cdn").get_root().render()
    True
    """

    def __init__(
        self,
        *args: Any,
        assets: str = "inline",
        offline: bool | None = None,
        inline_limit: int = INLINE_LIMIT,
        notebook_dir: str | os.PathLike | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        if offline is not None:  # the older switch: offline=True inlines, offline=False links the CDN
            assets = "inline" if offline else "cdn"
        if assets not in ASSET_MODES:
            raise ValueError(f"assets must be one of {', '.join(map(repr, ASSET_MODES))}, not {assets!r}")
        self.assets = assets
        self.offline = assets == "inline"
        self.inline_limit = inline_limit
        self.notebook_dir = notebook_dir
        self.incident_stats: dict[str, Any] = {}
        self.print_spec: Any = None  # set by incident_map: what to_image draws
        self.default_js = []
        self.default_css = []

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        # no favicon request (a 404 in the console when served, a network call when offline)
        figure.header.add_child(Raw('<link rel="icon" href="data:,">'), name="geoconflict_favicon")
        if self.assets == "inline":
            figure.header.add_child(Raw(style_tag(leaflet_css())), name="leaflet_css")
            figure.header.add_child(Raw(script_tag(leaflet_js())), name="leaflet")
        else:
            figure.header.add_child(Raw(leaflet_cdn_tags()), name="leaflet")
        figure.header.add_child(Raw(script_tag(leaflet_default_icon_js() + JQUERY_SHIM)), name="jquery")
        super().render(**kwargs)

    def to_image(
        self,
        path: str | os.PathLike,
        *,
        dpi: int = 200,
        size: tuple[float, float] = (8.0, 6.0),
        title: str | None = None,
    ) -> Path:
        """Draw the map with matplotlib into ``path`` (``.png``, ``.svg`` or ``.pdf``), no browser needed.

        The same content as the page: the offline base map, the zone and its near band,
        the admin units, every incident styled by zone status and event type, a legend,
        a scale bar, the title and a source line. ``size`` is (width, height) in inches:
        a PNG is ``size × dpi`` pixels. Needs matplotlib (``pip install geoconflict[print]``).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from geoconflict.maps import incident_map
        >>> m = incident_map(None, tiles=None)
        >>> out = m.to_image(pathlib.Path(tempfile.mkdtemp()) / "map.png", dpi=50, size=(4, 3))
        >>> out.stat().st_size > 1000
        True
        """
        from ._print import draw_image

        return draw_image(self.print_spec, Path(path), dpi=dpi, size=size, title=title)

    def _repr_html_(self, **kwargs: Any) -> str:
        page = self.get_root().render(**kwargs)
        size = len(page.encode("utf-8"))
        if size <= self.inline_limit:
            return (
                '<div style="width:100%;"><div style="position:relative;width:100%;height:0;padding-bottom:60%;">'
                '<span style="color:#565656">Make this Notebook Trusted to load map: File -> Trust Notebook</span>'
                f'<iframe srcdoc="{escape_html(page)}" style="position:absolute;width:100%;height:100%;left:0;top:0;'
                'border:none !important;" allowfullscreen webkitallowfullscreen mozallowfullscreen></iframe>'
                "</div></div>"
            )
        src = escape_html(self._save_for_notebook(page))
        return (
            f'<iframe src="{src}" width="100%" height="600" style="border:none !important;" '
            "allowfullscreen webkitallowfullscreen mozallowfullscreen></iframe>"
            f'<div style="font:12px sans-serif;color:#555">This map ({size / 1e6:.1f} MB) is too large to embed '
            f'in the notebook: it was saved to <a href="{src}" target="_blank">{src}</a> and is shown from there.</div>'
        )

    def _save_for_notebook(self, page: str) -> str:
        """Save ``page`` under ``notebook_dir`` (named by its content); the address to show it from."""
        folder = Path(self.notebook_dir) if self.notebook_dir is not None else Path("geoconflict-maps")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"map-{hashlib.sha1(page.encode('utf-8')).hexdigest()[:12]}.html"
        path.write_text(page, encoding="utf-8")
        try:
            return Path(os.path.relpath(path, Path.cwd())).as_posix()
        except ValueError:  # another drive on Windows
            return path.resolve().as_uri()


class BaseMapLayer(folium.map.Layer):
    """The offline base map (Natural Earth land, water, borders; town labels) under the tiles.

    The shipped base map goes into the page as it is stored (gzip + base64, the same
    for every map); the towns around the incidents as JSON; the colours and zoom
    thresholds as options.
    """

    _template = folium.template.Template("")

    def __init__(self, blob: str, towns: list, options: dict, *, name: str):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "GeoconflictBaseMap"
        self.blob, self.towns, self.options = blob, towns, options

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        name = self.get_name()
        figure.header.add_child(Raw(style_tag(geoconflict_css())), name="geoconflict_css")
        figure.header.add_child(Raw(script_tag(geoconflict_js())), name="geoconflict_js")
        figure.html.add_child(
            Raw(f'<script type="text/plain" id="{name}_basemap" data-encoding="gzip+base64">{self.blob}</script>'),
            name=f"{name}_data",
        )
        figure.html.add_child(
            Raw(f'<script type="application/json" id="{name}_towns">{script_json(self.towns, compact=True)}</script>'),
            name=f"{name}_towns",
        )
        figure.script.add_child(
            Raw(
                f"var {name} = GeoconflictMap.basemap({self._parent.get_name()}, "
                f'document.getElementById("{name}_basemap"), document.getElementById("{name}_towns"), '
                f"{script_json(self.options)});\n"
            ),
            name=name,
        )
        super().render(**kwargs)


class IncidentLayer(folium.map.Layer):
    """The incidents as one canvas layer, with the legend, time slider, search and full-screen controls.

    The data goes into the page once, as JSON in a ``<script type="application/json">``
    element (gzip + base64 when large, ``compress``); ``options`` (labels, styles,
    the field list, status codes) as the second argument of ``GeoconflictMap.incidents``.
    """

    _template = folium.template.Template("")

    def __init__(
        self,
        payload: IncidentPayload,
        options: dict,
        *,
        name: str,
        compress: bool | None = None,
        zone_periods: list | None = None,
    ):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self.zone_periods = list(zone_periods or [])
        self._name = "GeoconflictIncidents"
        raw = script_json(payload.data, compact=True)
        if compress is None:
            compress = len(raw) > COMPRESS_ABOVE
        if compress:
            # level 4: a third of level 6's time for 100,000 incidents, the page about 8 % larger
            packed = gzip.compress(raw.encode("utf-8"), compresslevel=4, mtime=0)
            self.encoding, self.payload = "gzip+base64", base64.b64encode(packed).decode("ascii")
        else:
            self.encoding, self.payload = "json", raw
        self.options = options

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        name = self.get_name()
        figure.header.add_child(Raw(style_tag(geoconflict_css())), name="geoconflict_css")
        figure.header.add_child(Raw(script_tag(geoconflict_js())), name="geoconflict_js")
        kind = "application/json" if self.encoding == "json" else "text/plain"
        figure.html.add_child(
            Raw(f'<script type="{kind}" id="{name}_data" data-encoding="{self.encoding}">{self.payload}</script>'),
            name=f"{name}_data",
        )
        figure.script.add_child(
            Raw(
                f"var {name} = GeoconflictMap.incidents({self._parent.get_name()}, "
                f'document.getElementById("{name}_data"), {script_json(self.options)});\n'
                + (
                    f"{name}.setZonePeriods([{', '.join(g.get_name() for g in self.zone_periods)}]);\n"
                    if self.zone_periods
                    else ""
                )
            ),
            name=name,
        )
        super().render(**kwargs)
