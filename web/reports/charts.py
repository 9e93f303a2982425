"""Server-rendered SVG charts (no JavaScript, no CDN: stations may be offline)."""

from __future__ import annotations

from html import escape

from flask_babel import gettext as _

from station.accounting.periods import Period
from web.labels import format_number

WIDTH, HEIGHT, PAD_L, PAD_B, PAD_T = 720, 220, 48, 28, 12


def bar_label(minutes: float) -> str:
    return _("%(n)s phút", n=format_number(minutes))


def weekly_airtime_svg(weeks: list[tuple[Period, int]], target_ms: float | None, title: str) -> str:
    """Bars of minutes aired per week and, when a target exists, the weekly target as a dashed line."""
    minutes = [ms / 60_000 for _w, ms in weeks]
    target = target_ms / 60_000 if target_ms else None
    top = max([*minutes, target or 0, 1.0]) * 1.1
    plot_w, plot_h = WIDTH - PAD_L - 8, HEIGHT - PAD_B - PAD_T
    n = max(len(weeks), 1)
    bar_w = plot_w / n
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for frac in (0, 0.5, 1):
        y = PAD_T + plot_h * (1 - frac)
        parts.append(f'<line x1="{PAD_L}" y1="{y:.1f}" x2="{WIDTH - 8}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{PAD_L - 6}" y="{y + 4:.1f}" text-anchor="end">{top * frac:.0f}</text>')
    for i, ((week, _ms), value) in enumerate(zip(weeks, minutes, strict=True)):
        h = plot_h * value / top
        x = PAD_L + i * bar_w
        met = target is None or value >= target
        parts.append(f'<rect x="{x + bar_w * 0.15:.1f}" y="{PAD_T + plot_h - h:.1f}" width="{bar_w * 0.7:.1f}" '
                     f'height="{h:.1f}" class="{"bar" if met else "bar under"}">'
                     f'<title>{escape(week.label)}: {escape(bar_label(value))}</title></rect>')
        if n <= 16 or i % max(1, n // 12) == 0:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
                         f'{escape(week.label)}</text>')
    if target is not None:
        y = PAD_T + plot_h * (1 - target / top)
        parts.append(f'<line x1="{PAD_L}" y1="{y:.1f}" x2="{WIDTH - 8}" y2="{y:.1f}" class="target"/>')
        target_text = _("Chỉ tiêu %(n)s phút/tuần", n=format_number(round(target)))
        parts.append(f'<text x="{WIDTH - 10}" y="{y - 4:.1f}" text-anchor="end" class="target-label">'
                     f'{escape(target_text)}</text>')
    parts.append("</svg>")
    return "".join(parts)
