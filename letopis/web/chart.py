"""The timeline chart of an entity: mentions (articles), quotes and events per period,
drawn server-side as inline SVG (no script, no inline style: colours come from the
stylesheet by class)."""

from __future__ import annotations

from datetime import date, timedelta

from markupsafe import Markup, escape

SERIES = ("articles", "quotes", "events")
MAX_BARS = 120
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 760, 200, 34, 26, 10


def period_of(day: str, by: str) -> str:
    if by == "week":
        year, week, _ = date.fromisoformat(day).isocalendar()
        return f"{year}-W{week:02d}"
    return day[:{"day": 10, "month": 7, "year": 4}[by]]


def regroup(day_counts: list[dict], by: str) -> list[dict]:
    """Day counts (``query.timeline(by="day")``) summed per week, month or year, with
    the empty periods between the first and the last filled in."""
    counts: dict[str, dict] = {}
    for row in day_counts:
        key = period_of(row["period"], by)
        into = counts.setdefault(key, {"period": key, **{name: 0 for name in SERIES}})
        for name in SERIES:
            into[name] += row[name]
    if not counts:
        return []
    days = sorted(row["period"] for row in day_counts)
    periods = all_periods(days[0], days[-1], by)
    return [counts.get(key, {"period": key, **{name: 0 for name in SERIES}}) for key in periods]


def all_periods(first: str, last: str, by: str) -> list[str]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    periods, day = [], start
    while day <= end:
        key = period_of(day.isoformat(), by)
        if not periods or periods[-1] != key:
            periods.append(key)
        day += timedelta(days=1 if by in ("day", "week") else 27 if by == "month" else 300)
    last_key = period_of(last, by)
    if periods[-1] != last_key:
        periods.append(last_key)
    return periods


def auto_period(day_counts: list[dict]) -> str:
    """The finest period that keeps the chart under MAX_BARS bars."""
    if not day_counts:
        return "day"
    days = sorted(row["period"] for row in day_counts)
    span = (date.fromisoformat(days[-1]) - date.fromisoformat(days[0])).days + 1
    for by, length in (("day", 1), ("week", 7), ("month", 30)):
        if span / length <= MAX_BARS:
            return by
    return "year"


def timeline_svg(periods: list[dict], labels: dict[str, str], title: str) -> Markup:
    """Grouped bars, one group per period; ``labels`` names the series."""
    if not periods:
        return Markup("")
    top = max(1, *(row[name] for row in periods for name in SERIES))
    plot_w, plot_h = WIDTH - LEFT - 6, HEIGHT - BOTTOM - TOP
    group_w = min(plot_w / len(periods), 48.0)  # a few periods: narrow bars, not the full width
    bar_w = max(1.0, group_w * 0.8 / len(SERIES))
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
             f'preserveAspectRatio="xMinYMin meet"><title>{escape(title)}</title>',
             f'<line class="axis" x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - 6}" y2="{TOP + plot_h}"/>',
             f'<text class="tick" x="{LEFT - 4}" y="{TOP + 8}" text-anchor="end">{top}</text>',
             f'<text class="tick" x="{LEFT - 4}" y="{TOP + plot_h}" text-anchor="end">0</text>']
    for index, row in enumerate(periods):
        x0 = LEFT + index * group_w + group_w * 0.1
        tip = f"{row['period']}: " + ", ".join(f"{labels[name]} {row[name]}" for name in SERIES)
        parts.append(f'<g class="period" data-period="{escape(row["period"])}"><title>{escape(tip)}</title>')
        parts.append(f'<rect class="hit" x="{LEFT + index * group_w:.1f}" y="{TOP}" width="{group_w:.1f}" '
                     f'height="{plot_h}"/>')
        for number, name in enumerate(SERIES):
            height = plot_h * row[name] / top
            if row[name]:
                parts.append(f'<rect class="bar bar-{name}" data-count="{row[name]}" x="{x0 + number * bar_w:.1f}" '
                             f'y="{TOP + plot_h - height:.1f}" width="{bar_w:.1f}" height="{height:.1f}"/>')
        parts.append("</g>")
    parts += tick_labels(periods, group_w, TOP + plot_h + 16)
    parts.append("</svg>")
    return Markup("".join(parts))


def tick_labels(periods: list[dict], group_w: float, y: float) -> list[str]:
    step = max(1, round(len(periods) / 6))
    chosen = list(range(0, len(periods), step))
    if len(periods) - 1 not in chosen and len(periods) - 1 - chosen[-1] > step / 2:
        chosen.append(len(periods) - 1)
    return [f'<text class="tick" x="{LEFT + (i + 0.5) * group_w:.1f}" y="{y}" text-anchor="middle">'
            f'{escape(periods[i]["period"])}</text>' for i in chosen]
