"""WCAG contrast ratios of CSS colours, for the chart unit tests and the browser tests' focus checks."""
from __future__ import annotations

import re


def rgb(colour: str) -> tuple[float, float, float]:
    """A CSS colour as computed styles give it (rgb() or rgba(), the alpha ignored), or as #rrggbb."""
    if colour.startswith("#"):
        return tuple(float(int(colour[index:index + 2], 16)) for index in (1, 3, 5))
    match = re.match(r"rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)", colour)
    if not match:
        raise ValueError(f"cannot read the colour {colour!r}")
    return tuple(float(part) for part in match.groups())


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance, 0 (black) to 1 (white)."""
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
    red, green, blue = (channel(value) for value in rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two opaque colours, 1 to 21."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
