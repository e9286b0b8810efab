"""Inline SVG drawn on the server: the dyad chart, the network and the world map.

Every text that reaches a drawing is HTML-escaped here; colours are presentation
attributes (the pages' Content-Security-Policy allows no inline style).
"""
from __future__ import annotations

import html
import json
import math
from functools import lru_cache
from typing import Any, Iterable

from aliansi.web.app import STATIC

COOP, CONF, NEUTRAL, INK, GRID = "#1a7f37", "#c62828", "#8c959f", "#1b1f24", "#d0d7de"


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


# --- the dyad chart -------------------------------------------------------------------

def dyad_chart(rows: list[dict], *, title: str, by: str, months: int = 36) -> str:
    """Cooperation (up, green) and conflict (down, red) per period of one direction:
    the periods of the table's granularity, the latest `months`-many at most."""
    dated = [r for r in rows if r["precision"] == by][-months:]
    if not dated:
        return f'<p class="empty">{_e(title)}: no dated events.</p>'
    width, height, left, top = 760, 220, 44, 16
    mid = top + (height - top - 30) / 2
    half = (height - top - 30) / 2
    peak = max(max(r["cooperation"], r["conflict"]) for r in dated) or 1.0
    step = (width - left - 10) / len(dated)
    bar = min(18.0, max(2.0, step * 0.38))
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" xmlns="http://www.w3.org/2000/svg" aria-label="{_e(title)}">',
             f"<title>{_e(title)}</title>",
             f'<line x1="{left}" y1="{_num(mid)}" x2="{width - 10}" y2="{_num(mid)}" '
             f'stroke="{INK}" stroke-width="1"/>',
             f'<text x="4" y="{top + 10}" font-size="10" fill="{COOP}">+{_num(peak)}</text>',
             f'<text x="4" y="{_num(mid + half)}" font-size="10" fill="{CONF}">−{_num(peak)}</text>']
    label_every = max(1, len(dated) // 12)
    for i, r in enumerate(dated):
        x = left + i * step + step / 2
        up, down = r["cooperation"] / peak * half, r["conflict"] / peak * half
        tip = (f'{r["period"]}: cooperation {_num(r["cooperation"])}, conflict '
               f'{_num(r["conflict"])}, {r["events"]} events')
        parts.append(f'<g class="period" data-period="{_e(r["period"])}"><title>{_e(tip)}</title>')
        if up:
            parts.append(f'<rect class="coop" x="{_num(x - bar)}" y="{_num(mid - up)}" '
                         f'width="{_num(bar)}" height="{_num(up)}" fill="{COOP}"/>')
        if down:
            parts.append(f'<rect class="conf" x="{_num(x)}" y="{_num(mid)}" width="{_num(bar)}" '
                         f'height="{_num(down)}" fill="{CONF}"/>')
        parts.append("</g>")
        if i % label_every == 0:
            parts.append(f'<text x="{_num(x)}" y="{height - 8}" font-size="10" '
                         f'text-anchor="middle" fill="{INK}">{_e(r["period"])}</text>')
    parts.append("</svg>")
    return "".join(parts)


# --- the network ----------------------------------------------------------------------

def network_svg(graph, *, link: str = "/actors/", limit: int = 80) -> str:
    """The actors (the `limit` busiest) laid out by a force-directed layout (networkx's
    spring layout, fixed seed: the same window draws the same picture) and their links:
    green cooperation, red conflict, grey neutral, dashed membership."""
    import networkx as nx

    if graph.number_of_nodes() == 0:
        return '<p class="empty">No events in this window.</p>'
    activity: dict[str, int] = {}
    for u, v, d in graph.edges(data=True):
        for n in (u, v):
            activity[n] = activity.get(n, 0) + int(d.get("count", 0)) + 1
    shown = sorted(graph.nodes, key=lambda n: (-activity.get(n, 0), n))[:limit]
    simple = nx.Graph()
    simple.add_nodes_from(shown)
    for u, v, d in graph.edges(data=True):
        if u in simple and v in simple and u != v:
            w = simple[u][v]["weight"] + 1 if simple.has_edge(u, v) else 1
            simple.add_edge(u, v, weight=w)
    pos = nx.spring_layout(simple, seed=7, k=1.6 / math.sqrt(max(1, len(shown))), iterations=80)
    width, height, pad = 900, 600, 40
    xs = [p[0] for p in pos.values()] or [0]
    ys = [p[1] for p in pos.values()] or [0]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)

    def at(n: str) -> tuple[float, float]:
        x, y = pos[n]
        return (pad + (x - x0) / ((x1 - x0) or 1) * (width - 2 * pad),
                pad + (y - y0) / ((y1 - y0) or 1) * (height - 2 * pad))
    parts = [f'<svg class="network" role="img" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" xmlns="http://www.w3.org/2000/svg" '
             f'aria-label="Actor network">']
    colours = {"cooperation": COOP, "conflict": CONF, "neutral": NEUTRAL, "member": NEUTRAL}
    for u, v, d in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("kind", ""))):
        if u not in pos or v not in pos or u == v:
            continue
        (ax, ay), (bx, by) = at(u), at(v)
        kind = d.get("kind", "neutral")
        dash = ' stroke-dasharray="4 3"' if kind == "member" else ""
        w = 1 + 1.5 * math.log2(1 + int(d.get("count", 0)))
        tip = f"{u} → {v}: {kind}" + (f", {d.get('count')} occurrences ({d.get('types')})"
                                      if kind != "member" else " (member)")
        parts.append(f'<line class="edge {_e(kind)}" x1="{_num(ax)}" y1="{_num(ay)}" '
                     f'x2="{_num(bx)}" y2="{_num(by)}" stroke="{colours.get(kind, NEUTRAL)}" '
                     f'stroke-opacity="0.75" stroke-width="{_num(w)}"{dash}>'
                     f"<title>{_e(tip)}</title></line>")
    for n in shown:
        x, y = at(n)
        data = graph.nodes[n]
        r = 9 + 3 * math.log2(1 + activity.get(n, 0))
        fill = "#ffffff" if data.get("kind") == "org" else "#dbe9f6"
        parts.append(f'<a href="{_e(link + str(n))}" class="node" data-code="{_e(n)}">'
                     f'<title>{_e(data.get("name") or n)} ({_e(n)})</title>'
                     f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" fill="{fill}" '
                     f'stroke="#0b4f8a" stroke-width="2"/>'
                     f'<text x="{_num(x)}" y="{_num(y + 4)}" font-size="11" font-weight="600" '
                     f'text-anchor="middle" fill="{INK}">{_e(n)}</text></a>')
    parts.append("</svg>")
    return "".join(parts)


# --- the map ----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _countries() -> list[tuple[str | None, str, str]]:
    """(alpha-3 code, name, SVG path) of each Natural Earth 110m country
    (static/countries-110m.json, from the npm package world-atlas), equirectangular
    on a 960 x 480 plane."""
    import pycountry

    topo = json.loads((STATIC / "countries-110m.json").read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indices: Iterable[int]) -> str:
        points: list[tuple[float, float]] = []
        for i in indices:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            points.extend(arc if not points else arc[1:])
        # a ring across the antimeridian (Russia, Fiji) is unwrapped into one piece
        # that runs off the edge, instead of a streak across the whole map
        shift, lon0, unwrapped = 0.0, None, []
        for lon, lat in points:
            if lon0 is not None and abs(lon + shift - lon0) > 180:
                shift += 360 if lon + shift < lon0 else -360
            lon0 = lon + shift
            unwrapped.append((lon0, lat))
        return "M" + "L".join(f"{(lon + 180) / 360 * 960:.1f},{(90 - lat) / 180 * 480:.1f}"
                              for lon, lat in unwrapped) + "Z"

    found = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs") or []
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        elif geometry["type"] != "MultiPolygon":
            continue
        path = "".join(ring(r) for polygon in polygons for r in polygon)
        country = pycountry.countries.get(numeric=str(geometry.get("id", "")).zfill(3)) \
            if geometry.get("id") else None
        found.append((country.alpha_3 if country else None,
                      geometry.get("properties", {}).get("name", ""), path))
    return found


def world_map(counts: dict[str, int], *, link: str = "/?country=") -> str:
    """Countries shaded by how many located events took place in them; each located
    country links to its events."""
    peak = max(counts.values(), default=0)
    parts = ['<svg class="map" role="img" viewBox="0 0 960 480" width="960" height="480" '
             'xmlns="http://www.w3.org/2000/svg" aria-label="Located events by country">',
             '<rect x="0" y="0" width="960" height="480" fill="#eef4fa"/>']
    for code, name, path in _countries():
        n = counts.get(code, 0) if code else 0
        if n:
            share = math.log1p(n) / math.log1p(peak)
            shade = int(220 - 160 * share)
            fill = f"#{shade:02x}{int(shade * 0.55):02x}{int(shade * 0.3):02x}"
            parts.append(f'<a href="{_e(link + code)}" class="located" data-code="{_e(code)}">'
                         f'<path d="{path}" fill="{fill}" stroke="#ffffff" stroke-width="0.5">'
                         f'<title>{_e(name)} ({_e(code)}): {n} events</title></path></a>')
        else:
            parts.append(f'<path d="{path}" fill="#d8dee4" stroke="#ffffff" stroke-width="0.5">'
                         f"<title>{_e(name)}</title></path>")
    parts.append("</svg>")
    return "".join(parts)
