#!/usr/bin/env python3
"""Draws the summary of benches/corpus.sh as an SVG bar chart (standard library only).

Usage: chart.py SUMMARY.tsv OUT.svg [CAPTION]

SUMMARY.tsv has one row per measurement: work, wharf value, peer name, peer value, unit,
ratio, target (the columns corpus.sh writes). Each row with a wharf value starts a panel with
a bar for wharf and one for the peer; a row without a wharf value adds its peer's bar to the
panel before it when the unit is the same (/bin/true beside the small Dockerfile, dclint beside
hadolint for memory). Each panel has its own linear scale, so that a bar's length against the
others in its panel reads as the ratio. Rates (MB/s) are drawn alone: higher is better there.
"""

import sys
from xml.sax.saxutils import escape

WIDTH = 760
LABEL_W = 250
BAR_H = 16
GAP = 4
PANEL_GAP = 22
TITLE_H = 18
WHARF_COLOUR = "#2a7ab0"
PEER_COLOUR = "#b8b8b8"


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def panels(rows):
    out = []
    for r in rows:
        r = (r + [""] * 7)[:7]
        work, wharf, peer, peer_v, unit, ratio, target = r
        w, p = number(wharf), number(peer_v)
        if w is None and out and out[-1]["unit"] == unit and p is not None:
            out[-1]["bars"].append((peer, p, False))
            continue
        if w is None and p is None:
            continue
        bars = []
        if w is not None:
            bars.append(("wharf", w, True))
        if p is not None and peer:
            bars.append((peer, p, False))
        title = work
        if ratio:
            title += f" ({ratio})"
        out.append({"title": title, "unit": unit, "bars": bars, "target": target})
    return out


def fmt(v, unit):
    if unit == "s":
        return f"{v:.3f} s" if v < 10 else f"{v:.1f} s"
    if unit == "ms":
        return f"{v:.2f} ms"
    if unit == "MB":
        return f"{v:.0f} MB"
    return f"{v:.1f} {unit}"


def svg(ps, caption):
    y = 10
    parts = []
    bar_max = WIDTH - LABEL_W - 110
    for p in ps:
        title = p["title"] + (f"; target {p['target']}" if p["target"] else "")
        parts.append(
            f'<text x="10" y="{y + 12}" font-weight="bold">{escape(title)}</text>'
        )
        y += TITLE_H + 2
        top = max(v for _, v, _ in p["bars"]) or 1
        for name, v, is_wharf in p["bars"]:
            length = max(1.0, bar_max * v / top)
            colour = WHARF_COLOUR if is_wharf else PEER_COLOUR
            parts.append(
                f'<text x="{LABEL_W - 8}" y="{y + BAR_H - 4}" text-anchor="end">'
                f"{escape(name)}</text>"
            )
            parts.append(
                f'<rect x="{LABEL_W}" y="{y}" width="{length:.1f}" height="{BAR_H}" '
                f'fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{LABEL_W + length + 6:.1f}" y="{y + BAR_H - 4}">'
                f"{escape(fmt(v, p['unit']))}</text>"
            )
            y += BAR_H + GAP
        y += PANEL_GAP
    if caption:
        parts.append(
            f'<text x="10" y="{y}" fill="#666" font-size="11">{escape(caption)}</text>'
        )
        y += 10
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{y + 10}" '
        f'viewBox="0 0 {WIDTH} {y + 10}" font-family="sans-serif" font-size="12">'
        f'<rect width="100%" height="100%" fill="white"/>'
    )
    return head + "".join(parts) + "</svg>\n"


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: chart.py SUMMARY.tsv OUT.svg [CAPTION]")
    with open(sys.argv[1], encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    caption = sys.argv[3] if len(sys.argv) > 3 else ""
    ps = panels(rows)
    if not ps:
        sys.exit("chart.py: no measurement to draw")
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        f.write(svg(ps, caption))


if __name__ == "__main__":
    main()
