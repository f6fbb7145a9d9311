"""Geometry for the report's small inline SVG charts, and the 2-D map projection.

Charts are computed here as plain numbers (rectangles, polylines, ticks) so the template
only draws them: no chart library, no script needed to see a chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

Side = Literal["above", "at_or_above", "below"]

HIST_W, HIST_H, HIST_PAD = 320, 120, 12
GROUPS = (0, 1, 2)  # histogram stacks: kept, rejected by the score's stage, rejected by another
CURVE_W, CURVE_H = 640, 200


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (1, 2, 5 x 10^k steps)."""
    if not math.isfinite(lo) or not math.isfinite(hi) or hi <= lo:
        return [lo]
    raw = (hi - lo) / max(n - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.ceil(lo / step) * step
    ticks = []
    value = start
    while value <= hi + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


@dataclass
class Histogram:
    """Stacked bars of one score by row fate, with the threshold and the counts each side."""

    name: str
    n: int
    bars: list[dict[str, Any]]  # x, w, lo, hi, counts per group, parts [(group, y, h)]
    ticks: list[dict[str, Any]]  # x, label
    lo: float
    hi: float
    overflow: int  # values above `hi`, counted in the last bar
    scale: Literal["linear", "sqrt"] = "linear"  # bar heights: count or its square root
    threshold: float | None = None
    threshold_x: float | None = None
    side: Side | None = None
    stage: str | None = None  # the stage whose config sets the threshold
    key: str | None = None
    owner: str | None = None  # the stage(s) that computed the score
    kept_side: int | None = None  # rows on the side the stage keeps
    rejected_side: int | None = None  # rows on the side the stage rejects

    width: int = HIST_W
    height: int = HIST_H


def histogram(
    name: str,
    values: np.ndarray,
    groups: np.ndarray,
    threshold: float | None = None,
    side: Side | None = None,
    bins: int = 30,
) -> Histogram:
    """Bin `values` (NaN-free) between their minimum and 99.5th percentile, stacked by
    `groups` (0 kept, 1 rejected by the score's own stage, 2 rejected by another stage).

    The threshold, when given, is always inside the drawn range. Integer scores with a
    small range get one bar per value.
    """
    lo, hi = float(values.min()), float(np.quantile(values, 0.995))
    if hi <= lo:
        hi = float(values.max())
    if threshold is not None and math.isfinite(threshold):
        lo, hi = min(lo, threshold), max(hi, threshold)
    integer = bool(np.all(values == np.round(values))) and hi - lo <= 60
    if integer:
        edges = np.arange(math.floor(lo), math.floor(hi) + 2, dtype=float) - 0.5
    else:
        if hi <= lo:
            hi = lo + 1.0
        edges = np.linspace(lo, hi, bins + 1)
    overflow = int((values > edges[-1]).sum())
    clipped = np.clip(values, edges[0], edges[-1])
    counts = np.stack([np.histogram(clipped[groups == g], edges)[0] for g in GROUPS])
    totals = counts.sum(axis=0)
    top = max(int(totals.max()), 1)
    # one tall bar (e.g. every row at 0) would flatten the rest: use a square-root scale
    nonzero = totals[totals > 0]
    scale = "sqrt" if top > 20 * float(np.median(nonzero)) else "linear"
    plot_w, plot_h = HIST_W - 2 * HIST_PAD, HIST_H - 18
    scale_x = plot_w / (edges[-1] - edges[0])

    def px(v: float) -> float:
        return round(HIST_PAD + (v - edges[0]) * scale_x, 2)

    bars = []
    for i in range(len(edges) - 1):
        n = int(totals[i])
        height = plot_h * (math.sqrt(n / top) if scale == "sqrt" else n / top)
        parts, y = [], float(plot_h)
        for g in GROUPS:
            h = height * int(counts[g, i]) / n if n else 0.0
            if h > 0:
                y -= h
                parts.append((g, round(y, 2), round(h, 2)))
        x0, x1 = px(edges[i]), px(edges[i + 1])
        bars.append(
            {
                "x": x0, "w": max(round(x1 - x0 - 1, 2), 0.8), "parts": parts,
                "lo": float(edges[i]), "hi": float(edges[i + 1]), "counts": [int(c) for c in counts[:, i]],
                "integer": integer,
            }
        )  # fmt: skip
    ticks = [
        {"x": px(t), "label": format_number(t)}
        for t in nice_ticks(float(edges[0]), float(edges[-1]), 5)
        if edges[0] <= t <= edges[-1]
    ]
    hist = Histogram(
        name, len(values), bars, ticks, float(edges[0]), float(edges[-1]), overflow, scale
    )
    if threshold is not None and side is not None:
        hist.threshold, hist.side = threshold, side
        hist.threshold_x = px(min(max(threshold, edges[0]), edges[-1]))
        if side == "below":
            rejecting = values < threshold
        elif side == "at_or_above":
            rejecting = values >= threshold
        else:
            rejecting = values > threshold
        hist.rejected_side = int(rejecting.sum())
        hist.kept_side = len(values) - hist.rejected_side
    return hist


def curve(
    series: dict[str, list[tuple[float, float]]], width: int = CURVE_W, height: int = CURVE_H
) -> dict[str, Any]:
    """Polylines of (x, y) series sharing axes, with ticks; e.g. train and eval loss by step."""
    points = [p for s in series.values() for p in s]
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    left, bottom, top_pad, right = 44, 22, 8, 10
    plot_w, plot_h = width - left - right, height - bottom - top_pad
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    if x1 == x0:
        x1 = x0 + 1
    if y1 == y0:
        y1 = y0 + 1
    pad = (y1 - y0) * 0.05
    y0, y1 = y0 - pad, y1 + pad

    def px(x: float, y: float) -> tuple[float, float]:
        return (
            round(left + (x - x0) / (x1 - x0) * plot_w, 1),
            round(top_pad + (1 - (y - y0) / (y1 - y0)) * plot_h, 1),
        )

    lines = {
        name: " ".join(f"{a},{b}" for a, b in (px(x, y) for x, y in pts))
        for name, pts in series.items()
        if pts
    }
    dots = {name: [px(x, y) for x, y in pts] for name, pts in series.items() if 0 < len(pts) <= 60}
    return {
        "width": width,
        "height": height,
        "left": left,
        "plot_w": plot_w,
        "plot_h": plot_h,
        "top": top_pad,
        "lines": lines,
        "dots": dots,
        "xticks": [
            {"x": px(t, y0)[0], "label": format_number(t)}
            for t in nice_ticks(x0, x1, 6)
            if x0 <= t <= x1
        ],
        "yticks": [
            {"y": px(x0, t)[1], "label": format_number(t)}
            for t in nice_ticks(y0, y1, 5)
            if y0 <= t <= y1
        ],
    }


def project_2d(vectors: np.ndarray) -> np.ndarray:
    """PCA to two dimensions (eigenvectors of the covariance), scaled into [0, 1].

    Deterministic: each axis is signed so its largest loading is positive.
    """
    x = vectors.astype(np.float64)
    x -= x.mean(axis=0)
    if x.shape[0] < 2:
        return np.full((x.shape[0], 2), 0.5)
    cov = x.T @ x / (x.shape[0] - 1)
    _, eigvecs = np.linalg.eigh(cov)
    axes = eigvecs[:, ::-1][:, :2]
    axes *= np.sign(axes[np.abs(axes).argmax(axis=0), [0, 1]])
    xy = x @ axes
    span = xy.max(axis=0) - xy.min(axis=0)
    span[span == 0] = 1.0
    return (xy - xy.min(axis=0)) / span


def format_number(value: float | int | None) -> str:
    """Short human numbers: 12,345 / 0.731 / 1.2e-05."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int) or (
        isinstance(value, float) and value.is_integer() and abs(value) < 1e15
    ):
        return f"{int(value):,}"
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 1e-3:
        return f"{value:.3g}"
    return f"{value:.2g}"
