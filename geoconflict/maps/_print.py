"""The printed map: :meth:`IncidentMap.to_image` draws the page's content with matplotlib.

The same layers as the page, from the same tables: the offline base map
(:mod:`geoconflict.maps._basemap`), the admin units (counts coloured as in the page),
the zone's near band and outline (every outline of a zone over time, each with its
dates), the incidents styled by :data:`~geoconflict.maps._options.STATUS_STYLE` and the
event types' colours, a legend, a scale bar, the title and a source line. No browser,
no pyplot: a :class:`matplotlib.figure.Figure` is drawn and saved, so a notebook shows
nothing it did not ask for.

The map is in longitude/latitude with the east–west scale of its middle latitude
(what a Web map shows at that latitude). ``size`` (inches) × ``dpi`` is exactly the
image's size in pixels. Large incident sets are rasterised in SVG and PDF (over
:data:`RASTERIZE_ABOVE` points) so the files stay small.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ._options import BASEMAP_STYLE, STATUS_DRAW_RANK, STATUS_STYLE
from .escape import plain_text

__all__ = ["FORMATS", "PrintSpec", "draw_image"]

FORMATS = (".png", ".svg", ".pdf")
RASTERIZE_ABOVE = 5_000
#: printed symbols shrink past this many incidents
SHRINK_ABOVE = 5_000
#: halos are drawn round at most this many symbols of a status
MAX_HALOS = 20_000
#: outside-the-zone incidents are named on the print when there are at most this many
MAX_NAMED = 25
#: how the outlines of a zone over time are told apart (period 1, 2 …)
PERIOD_STYLES = [(0, (6, 3)), (0, (1.5, 1.5)), (0, (8, 2, 2, 2)), "solid"]
#: the share of the image's width the legend panel takes
LEGEND_PANEL = 0.27
ZONE_COLOR = "#b2182b"
#: the page's pixels are CSS pixels (1/96 inch); matplotlib sizes markers in points (1/72 inch)
PT_PER_PX = 72 / 96


@dataclass
class PrintSpec:
    """Everything the printed map draws, kept by :func:`geoconflict.maps.incident_map`."""

    lon: np.ndarray
    lat: np.ndarray
    status: np.ndarray
    type_code: np.ndarray
    type_names: list[str]
    type_colors: list[str]
    status_labels: list[str]
    status_legend: list[int]
    view: Any = None
    units: Any = None
    unit_counts: Any = None
    unit_bins: Any = None
    bounds: list[list[float]] | None = None
    title: str = ""
    attribution: str | None = None
    basemap: bool = True
    density: bool = False
    legend: bool = True
    #: the names of the incidents outside the zone, as text (labelled on the printed map, up to MAX_NAMED)
    outside_names: list = field(default_factory=list)
    drawn: dict = field(default_factory=dict)  # what the last image held: legend labels, labelled towns


def draw_image(
    spec: PrintSpec | None, path: Path, *, dpi: int, size: tuple[float, float], title: str | None = None
) -> Path:
    """Draw ``spec`` into ``path`` (PNG, SVG or PDF by its suffix); the path written."""
    if spec is None:
        raise ValueError("this map was not made by geoconflict.incident_map: nothing to print")
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"to_image writes {', '.join(FORMATS)}, not {path.suffix or 'a file without a suffix'!r}")
    width, height = (float(v) for v in size)
    if width <= 0 or height <= 0 or dpi <= 0:
        raise ValueError("size (inches) and dpi must be positive")
    import matplotlib

    # text stays text in an SVG (searchable, selectable, small), and fonts are embedded in a PDF
    with matplotlib.rc_context({"svg.fonttype": "none", "pdf.fonttype": 42}):
        fig = _figure(width, height, dpi)
        # the legend has a panel of its own, right of the map, so it never hides an incident
        map_width = 1.0 - LEGEND_PANEL if spec.legend else 1.0
        ax = fig.add_axes((0.0, 0.055, map_width, 0.87))
        extent = _extent(spec.bounds, width * map_width / (height * 0.87))
        spec.drawn = {"extent": extent}
        _draw_layers(ax, spec, extent, vector=suffix != ".png")
        if spec.legend:
            _draw_legend(ax, spec)
        _draw_scale_bar(ax, extent)
        _draw_frame_text(fig, spec, title or spec.title)
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=dpi, format=suffix[1:], facecolor="white")
    return path


def _figure(width: float, height: float, dpi: int):
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - the [print] extra is missing
        raise ImportError(
            "to_image needs matplotlib: pip install 'geoconflict[print]' (or pip install matplotlib)"
        ) from None
    return Figure(figsize=(width, height), dpi=dpi)


def _extent(bounds: list[list[float]] | None, aspect: float) -> tuple[float, float, float, float]:
    """(west, south, east, north) around ``bounds`` with a margin, widened to the axes' shape ``aspect`` (w/h)."""
    if bounds is None:
        return (-180.0, -60.0, 180.0, 80.0)
    (south, west), (north, east) = bounds
    dx, dy = max(east - west, 0.05), max(north - south, 0.05)
    cx, cy = (west + east) / 2, (south + north) / 2
    dx, dy = dx * 1.15, dy * 1.15
    k = math.cos(math.radians(cy))
    if dx * k / dy < aspect:
        dx = dy * aspect / k
    else:
        dy = dx * k / aspect
    south, north = max(cy - dy / 2, -85.0), min(cy + dy / 2, 85.0)
    return (cx - dx / 2, south, cx + dx / 2, north)


# ---------------------------------------------------------------------------- layers
def _polygon_paths(geoms: list) -> list:
    """matplotlib paths of (multi)polygons, holes included."""
    from matplotlib.path import Path as MplPath

    paths = []
    for geom in geoms:
        for poly in getattr(geom, "geoms", [geom]):
            if poly.geom_type != "Polygon" or poly.is_empty:
                continue
            rings = [np.asarray(poly.exterior.coords)[:, :2]] + [np.asarray(r.coords)[:, :2] for r in poly.interiors]
            paths.append(MplPath.make_compound_path(*(MplPath(r, closed=True) for r in rings)))
    return paths


def _line_arrays(geoms: list) -> list[np.ndarray]:
    out = []
    for geom in geoms:
        for part in getattr(geom, "geoms", [geom]):
            if part.geom_type == "LineString" and not part.is_empty:
                out.append(np.asarray(part.coords)[:, :2])
            elif part.geom_type in ("Polygon", "MultiPolygon"):
                out.extend(_line_arrays([part.boundary]))
    return out


def _fill(ax, geoms: list, *, zorder: float, **style) -> None:
    from matplotlib.collections import PathCollection

    paths = _polygon_paths(geoms)
    if paths:
        ax.add_collection(PathCollection(paths, zorder=zorder, **style))


def _lines(ax, geoms: list, *, zorder: float, **style) -> None:
    from matplotlib.collections import LineCollection

    segments = _line_arrays(geoms)
    if segments:
        ax.add_collection(LineCollection(segments, zorder=zorder, **style))


def _draw_layers(ax, spec: PrintSpec, extent: tuple[float, float, float, float], *, vector: bool) -> None:
    west, south, east, north = extent
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_axis_off()
    if spec.basemap:
        big = spec.status == max(STATUS_DRAW_RANK, key=STATUS_DRAW_RANK.get)  # the symbols a label must clear
        _draw_basemap(ax, extent, (spec.lon[big], spec.lat[big]))
    _draw_units(ax, spec)
    _draw_zone(ax, spec)
    _draw_incidents(ax, spec, rasterized=vector and len(spec.lon) > RASTERIZE_ABOVE)
    _name_outside(ax, spec)


def _draw_basemap(ax, extent: tuple[float, float, float, float], symbols: tuple[np.ndarray, np.ndarray]) -> None:
    from matplotlib.patches import Rectangle

    from ._basemap import base_geometries, towns_near

    st = BASEMAP_STYLE
    west, south, east, north = extent
    ax.add_patch(Rectangle((west, south), east - west, north - south, color=st["water"], zorder=0, linewidth=0))
    g = base_geometries(extent)
    _fill(ax, g["land"], zorder=1, facecolor=st["land"], edgecolor="none")
    _fill(ax, g["lakes"], zorder=1.1, facecolor=st["water"], edgecolor="none")
    _lines(ax, g["rivers"], zorder=1.2, colors=st["river"], linewidths=0.6)
    _lines(ax, g["coast"], zorder=1.3, colors=st["coast"], linewidths=0.6)
    _lines(ax, g["borders"], zorder=1.4, colors=st["border"], linewidths=0.8, linestyles=(0, (4, 3)))
    towns = [[p[0], p[1], p[2], p[4]] for p in g["places"]] + towns_near(extent, margin=0.0)
    _draw_labels(ax, towns, extent, g["seas"], symbols)


def _draw_labels(ax, towns: list, extent: tuple, seas: list, symbols: tuple[np.ndarray, np.ndarray]) -> None:
    """The most populous towns that fit without overlapping (about 30) or hiding an outside symbol; the seas."""
    west, south, east, north = extent
    fig_w, fig_h = ax.figure.get_size_inches() * 72  # points
    fig_w *= ax.get_position().width
    fig_h *= ax.get_position().height
    sx, sy = fig_w / (east - west), fig_h / (north - south)
    # what is taken, on a grid of 3-point cells: the scale bar's corner and the large symbols
    taken = np.zeros((int(fig_h // 3) + 2, int(fig_w // 3) + 2), dtype=bool)
    taken[: int(fig_h * 0.09 // 3) + 1, : int(fig_w * 0.3 // 3) + 1] = True
    cx = np.clip(((symbols[0] - west) * sx // 3).astype(int), 0, taken.shape[1] - 1)
    cy = np.clip(((symbols[1] - south) * sy // 3).astype(int), 0, taken.shape[0] - 1)
    for dy in range(-2, 3):
        for dx in range(-2, 3):
            taken[np.clip(cy + dy, 0, taken.shape[0] - 1), np.clip(cx + dx, 0, taken.shape[1] - 1)] = True
    shown = 0
    for name, lon, lat, _pop in sorted(towns, key=lambda t: -t[3]):
        x, y = (lon - west) * sx, (lat - south) * sy
        x0, x1, y0, y1 = (
            int((x - 2) // 3),
            int((x + 4 + 4.2 * len(name)) // 3) + 1,
            int((y - 4) // 3),
            int((y + 4) // 3) + 1,
        )
        if x0 < 0 or y0 < 0 or x1 >= taken.shape[1] or y1 >= taken.shape[0] or taken[y0:y1, x0:x1].any():
            continue
        taken[y0:y1, x0:x1] = True
        ax.plot([lon], [lat], marker="o", markersize=2, color=BASEMAP_STYLE["label"], zorder=1.5)
        ax.annotate(
            plain_text(name), (lon, lat), xytext=(3, 0), textcoords="offset points", fontsize=6.5, va="center",
            color=BASEMAP_STYLE["label"], zorder=1.5, annotation_clip=True,
        )  # fmt: skip
        shown += 1
        if shown >= 30:
            break
    for name, lon, lat, _rank in seas:
        ax.text(lon, lat, plain_text(name), fontsize=7, style="italic", color=BASEMAP_STYLE["sea"], ha="center",
                zorder=1.5, clip_on=True)  # fmt: skip


def _draw_units(ax, spec: PrintSpec) -> None:
    if spec.units is None or not len(spec.units):
        return
    geoms = [g for g in spec.units.geometry.values if g is not None and not g.is_empty]
    if spec.unit_counts is None:
        _fill(ax, geoms, zorder=2, facecolor="none", edgecolor="#555555", linewidth=0.5)
        return
    colours = []
    for c in np.asarray(spec.unit_counts):
        colours.append(next((col for lo, hi, col in spec.unit_bins if lo <= c <= hi), "none"))
    keep = [i for i, g in enumerate(spec.units.geometry.values) if g is not None and not g.is_empty]
    _fill(ax, geoms, zorder=2, facecolor=[colours[i] for i in keep], edgecolor="#555555", linewidth=0.5, alpha=0.6)


def _draw_zone(ax, spec: PrintSpec) -> None:
    from ._layers import near_band

    view = spec.view
    if view is None:
        return
    outlines = [(p.zone, p.label) for p in view.periods] or [(view.zone, None)]
    styles = PERIOD_STYLES
    for k, (zone, label) in enumerate(outlines):
        band = near_band(view, zone.geometry)
        if band is not None:
            _lines(ax, [band], zorder=3, colors=ZONE_COLOR, linewidths=0.7, linestyles=(0, (1, 2)), alpha=0.8)
        dash = styles[k % len(styles)] if label else (0, (6, 3))
        _fill(ax, [zone.geometry], zorder=3.1, facecolor=(0.7, 0.09, 0.17, 0.06), edgecolor="none")
        _lines(ax, [zone.geometry], zorder=3.2, colors=ZONE_COLOR, linewidths=1.6, linestyles=dash)


def _draw_incidents(ax, spec: PrintSpec, *, rasterized: bool) -> None:
    """Every incident as in the page: the status in the ring and the shape, the type in the fill.

    Solid rings are drawn as line markers, one call per status and type (matplotlib stamps
    a marker once and copies it: fast for 100,000); dashed rings (near) need a scatter.
    """
    if not len(spec.lon):
        return
    from matplotlib.colors import to_rgba_array

    colours = to_rgba_array(spec.type_colors or ["#7f7f7f"])
    # on paper many symbols merge into a blot: past a few thousand they shrink (the page zooms instead)
    shrink = max(0.45, min(1.0, (SHRINK_ABOVE / len(spec.lon)) ** 0.25))
    codes = sorted(set(spec.status.tolist()), key=lambda c: STATUS_DRAW_RANK.get(c, 0))
    if spec.density:
        ax.hexbin(spec.lon, spec.lat, gridsize=60, mincnt=1, cmap="YlOrRd", bins="log", zorder=4, alpha=0.85,
                  linewidths=0, rasterized=rasterized)  # fmt: skip
        return  # as in the page: the hexagons count every incident
    for code in codes:
        rows = np.flatnonzero(spec.status == code)
        style = STATUS_STYLE[code]
        marker = "D" if style.get("shape") == "diamond" else "o"
        width = 2 * style["r"] * PT_PER_PX * (0.85 if marker == "D" else 1.0) * shrink
        z = 5 + code / 10
        if style.get("halo") and len(rows) <= MAX_HALOS:  # past that, the halos only merge into a white blot
            halo = (style["weight"] + 2) * PT_PER_PX
            ax.plot(spec.lon[rows], spec.lat[rows], linestyle="none", marker=marker, markersize=width,
                    markerfacecolor="none", markeredgecolor=style["halo"], markeredgewidth=halo,
                    zorder=z, rasterized=rasterized)  # fmt: skip
        if style.get("dash"):
            ax.scatter(spec.lon[rows], spec.lat[rows], s=width**2, marker=marker, c=colours[spec.type_code[rows]],
                       alpha=style["fillOpacity"], edgecolors=style["stroke"] or "none", linestyle="--",
                       linewidths=style["weight"] * PT_PER_PX, zorder=z + 0.01, rasterized=rasterized)  # fmt: skip
            continue
        for t in np.unique(spec.type_code[rows]):
            sub = rows[spec.type_code[rows] == t]
            ax.plot(spec.lon[sub], spec.lat[sub], linestyle="none", marker=marker, markersize=width,
                    markerfacecolor=colours[t], alpha=style["fillOpacity"], markeredgecolor=style["stroke"] or "none",
                    markeredgewidth=style["weight"] * PT_PER_PX, zorder=z + 0.01, rasterized=rasterized)  # fmt: skip


def _name_outside(ax, spec: PrintSpec) -> None:
    """Label the incidents outside the zone with their place (a few: the print has no popups)."""
    top = max(STATUS_DRAW_RANK, key=STATUS_DRAW_RANK.get)
    rows = np.flatnonzero(spec.status == top)
    if spec.view is None or not len(rows) or len(rows) > MAX_NAMED or len(spec.outside_names) != len(rows):
        return
    seen = set()
    for i, name in zip(rows, spec.outside_names, strict=True):
        key = (name, round(float(spec.lon[i]), 2), round(float(spec.lat[i]), 2))
        if not name or key in seen:
            continue
        seen.add(key)
        ax.annotate(
            plain_text(name), (spec.lon[i], spec.lat[i]), xytext=(8, 4), textcoords="offset points", fontsize=7.5,
            fontweight="bold", color=ZONE_COLOR, zorder=8, annotation_clip=True,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 0.8},
        )  # fmt: skip


# ---------------------------------------------------------------------------- legend, scale, text
def _draw_legend(ax, spec: PrintSpec) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = []
    if spec.view is not None or len(spec.status_legend) > 1:
        for code in spec.status_legend:
            if code == spec.status_legend[-1] and not (spec.status == code).any() and len(spec.status_legend) > 1:
                continue
            st = STATUS_STYLE[code]
            marker = "D" if st.get("shape") == "diamond" else "o"
            handles.append(
                Line2D([], [], linestyle="none", marker=marker,
                       markersize=2 * st["r"] * PT_PER_PX * (0.75 if marker == "D" else 1.0),
                       markerfacecolor="#777777", markeredgecolor=st["stroke"] or "none",
                       markeredgewidth=st["weight"] * PT_PER_PX, label=plain_text(spec.status_labels[code]))
            )  # fmt: skip
    for name, colour in list(zip(spec.type_names, spec.type_colors, strict=False))[:8]:
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=6, markerfacecolor=colour,
                              markeredgecolor="none", label=plain_text(name)))  # fmt: skip
    if spec.view is not None:
        periods = [p.label for p in spec.view.periods]
        if periods:
            for k, label in enumerate(periods):
                handles.append(Line2D([], [], color=ZONE_COLOR, linewidth=1.6, linestyle=PERIOD_STYLES[k % 4],
                                      label=plain_text(f"Zone {spec.view.name}, {label}")))  # fmt: skip
        else:
            handles.append(Patch(facecolor=(0.7, 0.09, 0.17, 0.08), edgecolor=ZONE_COLOR, linestyle="--",
                                 label=plain_text(f"Zone: {spec.view.name}")))  # fmt: skip
        if spec.view.near_km:
            handles.append(Line2D([], [], color=ZONE_COLOR, linestyle=(0, (1, 2)),
                                  label=plain_text(f"Edge of the near band ({spec.view.near_km:g} km)")))  # fmt: skip
    if spec.unit_bins:
        for lo, hi, colour in spec.unit_bins:
            label = f"{lo:,}" if lo == hi else f"{lo:,}–{hi:,}"
            handles.append(Patch(facecolor=colour, edgecolor="#555555", alpha=0.6,
                                 label=f"{label} incidents per unit"))  # fmt: skip
    for h in handles:
        h.set_label(textwrap.fill(h.get_label(), 30))
    if handles:
        ax.figure.legend(
            handles=handles, loc="upper left", bbox_to_anchor=(1.0 - LEGEND_PANEL + 0.008, 0.925), fontsize=6.5,
            frameon=False, borderaxespad=0.0, handlelength=1.8, labelspacing=0.7,
        )  # fmt: skip
    spec.drawn["legend"] = [h.get_label().replace("\n", " ") for h in handles]


def _nice_km(km: float) -> float:
    """The largest 1, 2 or 5 × 10^k not above ``km``."""
    if km <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(km))
    return max(m * exp for m in (1, 2, 5) if m * exp <= km)


def _draw_scale_bar(ax, extent: tuple[float, float, float, float]) -> None:
    """A bar of a round number of km, a fifth of the map's width, bottom left."""
    from matplotlib.patches import Rectangle

    west, south, east, north = extent
    lat = (south + north) / 2
    km_per_deg = 111.32 * math.cos(math.radians(lat))
    km = _nice_km((east - west) * km_per_deg / 5)
    length = km / km_per_deg
    x0, y0 = west + (east - west) * 0.03, south + (north - south) * 0.04
    h = (north - south) * 0.008
    ax.add_patch(Rectangle((x0, y0), length, h, facecolor="#222222", edgecolor="#222222", zorder=9))
    ax.text(x0 + length / 2, y0 + 2.2 * h, f"{km:g} km", ha="center", va="bottom", fontsize=7, zorder=9,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 1})  # fmt: skip


def _draw_frame_text(fig, spec: PrintSpec, title: str) -> None:
    from ._basemap import ATTRIBUTION

    fig.text(0.012, 0.975, plain_text(title), fontsize=11, fontweight="bold", va="top", ha="left")
    parts = []
    if spec.view is not None:
        parts.append(f"Zone outline: {spec.view.label or spec.view.name}")
    if spec.attribution:
        parts.append(f"Data: {spec.attribution}")
    if spec.basemap:
        parts.append(ATTRIBUTION)
    parts.append(f"{len(spec.lon):,} incidents · made with geoconflict")
    fig.text(0.012, 0.018, plain_text(" · ".join(parts)), fontsize=6, color="#444444", va="bottom", ha="left",
             wrap=True)  # fmt: skip
