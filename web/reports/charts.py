"""Server-rendered SVG charts (no JavaScript, no CDN: stations may be offline).

The weekly airtime chart is laid out in percent across and pixels down, with no viewBox: it takes the width of
its card on any screen while its text stays at its real size (a scaled viewBox shrank 11 px labels to 5 px on a
phone). Every bar stands on the axis; its height is proportional to the minutes (0 minutes: height 0). Its
class is `airtime-bar`, not the site-wide `.bar` of the loudspeaker page, whose CSS height overrode the SVG
height attribute and drew empty weeks as filled bars below the axis.
"""

from __future__ import annotations

from html import escape

from flask_babel import gettext as _

from station.accounting.periods import Period
from web.labels import format_number

HEIGHT, PAD_B, PAD_T = 220, 40, 14  # pixels: the plot is PAD_T .. HEIGHT - PAD_B
LEFT, RIGHT = 11.0, 99.0  # percent of the width: the y-axis labels sit left of LEFT
BAR_SHARE = 0.7  # of each week's column


def bar_label(minutes: float) -> str:
    return _("%(n)s phút", n=format_number(minutes))


def weekly_airtime_svg(weeks: list[tuple[Period, int]], target_ms: float | None, title: str) -> str:
    """Bars of minutes aired per week and, when a target exists, the weekly target as a dashed line."""
    minutes = [ms / 60_000 for _w, ms in weeks]
    target = target_ms / 60_000 if target_ms else None
    top = max([*minutes, target or 0, 1.0]) * 1.1
    plot_h = HEIGHT - PAD_B - PAD_T
    axis_y = PAD_T + plot_h
    n = max(len(weeks), 1)
    col = (RIGHT - LEFT) / n
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart airtime-chart" width="100%" height="{HEIGHT}" '
             f'role="img" aria-label="{escape(title)}" data-top="{top:.3f}"><title>{escape(title)}</title>']
    for frac in (0, 0.5, 1):
        y = PAD_T + plot_h * (1 - frac)
        parts.append(f'<line x1="{LEFT}%" y1="{y:.1f}" x2="{RIGHT}%" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{LEFT - 1}%" y="{y + 4:.1f}" text-anchor="end">{top * frac:.0f}</text>')
    parts.append(f'<line x1="{LEFT}%" y1="{axis_y}" x2="{RIGHT}%" y2="{axis_y}" class="axis"/>')
    # At most about 12 week labels (a quarter: every other week; a year: every fifth), and on a phone half of
    # those (CSS hides .minor), so labels never run into each other.
    step = 1 if n <= 8 else -(-n // 12)
    for i, ((week, _ms), value) in enumerate(zip(weeks, minutes, strict=True)):
        h = plot_h * value / top
        x = LEFT + i * col
        met = target is None or value >= target
        parts.append(f'<rect x="{x + col * (1 - BAR_SHARE) / 2:.3f}%" y="{axis_y - h:.2f}" '
                     f'width="{col * BAR_SHARE:.3f}%" height="{h:.2f}" data-minutes="{value:.3f}" '
                     f'class="airtime-bar{"" if met else " under"}">'
                     f'<title>{escape(week.label)}: {escape(bar_label(value))}</title></rect>')
        if i % step == 0:
            minor = " minor" if (i // step) % 2 else ""
            parts.append(f'<text x="{x + col / 2:.3f}%" y="{HEIGHT - PAD_B + 16}" text-anchor="middle" '
                         f'class="week-label{minor}">{escape(_short(week))}</text>')
    if target is not None:
        y = PAD_T + plot_h * (1 - target / top)
        parts.append(f'<line x1="{LEFT}%" y1="{y:.1f}" x2="{RIGHT}%" y2="{y:.1f}" class="target"/>')
        label = _("Chỉ tiêu %(n)s phút/tuần", n=format_number(target))
        parts.append(f'<text x="{RIGHT}%" y="{y - 4:.1f}" text-anchor="end" class="target-label">'
                     f'{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _short(week: Period) -> str:
    """A week as a phone has room for: its Monday, "25/11"."""
    return f"{week.start:%d/%m}"
