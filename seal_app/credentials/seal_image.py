"""The seal as a picture, drawn here: a round seal with „Sicherheit macht Schule“ along the rim,
the district below, and in the middle the school and how long its seal is valid.

One layout (circles, characters along the rim, centred lines) is written as SVG and painted
as PNG with Pillow, so both look alike.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

from seal_app.pdf import FONT_DIRS

SIZE = 600
CENTRE = SIZE / 2
BLUE = "#1b3a8a"
GOLD = "#c9a227"
WHITE = "#ffffff"
RED = "#b0201c"  # the „WIDERRUFEN“ stamp: 6.4:1 on white
STAMP_TURN = -24  # degrees, anticlockwise
FONT_FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif"
OPENBADGES_NS = "https://purl.imsglobal.org/ob/v3p0"


@dataclass(frozen=True)
class Ring:
    radius: float
    fill: str | None
    stroke: str | None = None
    width: float = 0


@dataclass(frozen=True)
class Glyph:
    """One character on the rim, turned by ``angle`` degrees (clockwise) about its centre."""

    char: str
    x: float
    y: float
    angle: float
    size: float
    colour: str


@dataclass(frozen=True)
class Line:
    text: str
    y: float  # baseline
    size: float
    bold: bool
    colour: str


@dataclass(frozen=True)
class SealText:
    school: str | None  # None: the seal itself, for the achievement
    valid_until: str | None  # „25.11.2031“
    number: str | None
    district: str
    revoked_on: str | None = None  # „06.12.2026“: stamped „WIDERRUFEN“ across the seal


@cache
def _font_file(bold: bool) -> str:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return str(folder / name)
    raise RuntimeError("no DejaVu font found (install fonts-dejavu-core)")


@cache
def font(size: float, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(_font_file(bold), round(size))


def _arc(text: str, radius: float, size: float, top: bool) -> list[Glyph]:
    """Characters centred on the top (reading clockwise) or the bottom (reading
    anticlockwise, upright) of a circle."""
    face = font(size, bold=True)
    widths = [face.getlength(char) + size * 0.08 for char in text]
    span = sum(widths) / radius  # radians
    glyphs, angle = [], -span / 2
    for char, width in zip(text, widths, strict=True):
        middle = angle + width / 2 / radius
        if top:
            x, y = CENTRE + radius * math.sin(middle), CENTRE - radius * math.cos(middle)
            turn = math.degrees(middle)
        else:
            x, y = CENTRE + radius * math.sin(middle), CENTRE + radius * math.cos(middle)
            turn = -math.degrees(middle)
        glyphs.append(Glyph(char, x, y, turn, size, WHITE))
        angle += width / radius
    return glyphs


def _wrap(text: str, size: float, width: float, bold: bool = True) -> list[str]:
    face, lines, current = font(size, bold), [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and face.getlength(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines


def _school_lines(school: str) -> tuple[list[str], float]:
    for size in (34, 30, 26, 22, 19):
        lines = _wrap(school, size, 340)
        if len(lines) <= 3 and all(font(size, True).getlength(line) <= 360 for line in lines):
            return lines, size
    lines = _wrap(school, 19, 340)[:3]
    return [*lines[:2], lines[2][:28] + "…"] if len(lines) == 3 else lines, 19


def layout(text: SealText) -> tuple[list[Ring], list[Glyph], list[Line]]:
    rings = [
        Ring(296, BLUE),
        Ring(288, None, GOLD, 3),
        Ring(232, WHITE),
        Ring(222, None, BLUE, 2),
    ]
    glyphs = _arc("SICHERHEIT MACHT SCHULE", 252, 31, top=True)
    glyphs += _arc(f"GÜTESIEGEL · {text.district.upper()}", 252, 22, top=False)
    lines: list[Line] = []
    if text.school is None:
        lines += [
            Line("Gütesiegel", 270, 40, True, BLUE),
            Line("Sicherheit", 320, 30, False, BLUE),
            Line("macht Schule", 358, 30, False, BLUE),
        ]
        return rings, glyphs, lines
    school, size = _school_lines(text.school)
    top = 250 - (len(school) - 1) * size * 0.6
    for index, item in enumerate(school):
        lines.append(Line(item, top + index * size * 1.2, size, True, BLUE))
    below = top + (len(school) - 1) * size * 1.2
    if text.valid_until:
        lines.append(Line("gültig bis", below + 52, 22, False, BLUE))
        lines.append(Line(text.valid_until, below + 86, 30, True, BLUE))
    if text.number:
        lines.append(Line(f"Urkunde Nr. {text.number}", below + 120, 18, False, BLUE))
    return rings, glyphs, lines


def svg(text: SealText, title: str, credential: str | None = None) -> bytes:
    """The seal as SVG; with ``credential`` baked in as Open Badges 3.0 says (an
    ``openbadges:credential`` element holding the compact JWT)."""
    rings, glyphs, lines = layout(text)
    namespace = f' xmlns:openbadges="{OPENBADGES_NS}"' if credential else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg"{namespace} width="{SIZE}" height="{SIZE}" '
        f'viewBox="0 0 {SIZE} {SIZE}" role="img" aria-labelledby="seal-title">',
        f'<title id="seal-title">{escape(title)}</title>',
    ]
    if credential:
        parts.append(f"<openbadges:credential>{escape(credential)}</openbadges:credential>")
    for ring in rings:
        stroke = f' stroke="{ring.stroke}" stroke-width="{ring.width}"' if ring.stroke else ""
        parts.append(
            f'<circle cx="{CENTRE}" cy="{CENTRE}" r="{ring.radius}" '
            f'fill="{ring.fill or "none"}"{stroke}/>'
        )
    parts.append(f'<g font-family="{FONT_FAMILY}" text-anchor="middle">')
    for glyph in glyphs:
        parts.append(
            f'<text x="{glyph.x:.1f}" y="{glyph.y:.1f}" font-size="{glyph.size}" '
            f'font-weight="bold" fill="{glyph.colour}" dominant-baseline="central" '
            f'transform="rotate({glyph.angle:.2f} {glyph.x:.1f} {glyph.y:.1f})">'
            f"{escape(glyph.char)}</text>"
        )
    for line in lines:
        weight = ' font-weight="bold"' if line.bold else ""
        parts.append(
            f'<text x="{CENTRE}" y="{line.y:.1f}" font-size="{line.size}"{weight} '
            f'fill="{line.colour}">{escape(line.text)}</text>'
        )
    parts.append("</g>")
    if text.revoked_on:
        parts.append(_svg_stamp(text.revoked_on))
    parts.append("</svg>")
    return ("\n".join(parts) + "\n").encode("utf-8")


def _stamp_lines(revoked_on: str) -> list[Line]:
    return [Line("WIDERRUFEN", 312, 64, True, RED), Line(f"am {revoked_on}", 352, 30, True, RED)]


def _svg_stamp(revoked_on: str) -> str:
    """A red framed band across the seal, turned like a rubber stamp."""
    lines = "".join(
        f'<text x="{CENTRE}" y="{line.y}" font-size="{line.size}" font-weight="bold" '
        f'fill="{line.colour}">{escape(line.text)}</text>'
        for line in _stamp_lines(revoked_on)
    )
    return (
        f'<g transform="rotate({STAMP_TURN} {CENTRE} {CENTRE})" font-family="{FONT_FAMILY}" '
        f'text-anchor="middle"><rect x="45" y="240" width="510" height="130" rx="14" '
        f'fill="{WHITE}" fill-opacity="0.92" stroke="{RED}" stroke-width="10"/>{lines}</g>'
    )


def png(text: SealText, scale: int = 2) -> Image.Image:
    """The seal painted at ``scale`` times the size and reduced, for smooth edges."""
    rings, glyphs, lines = layout(text)
    big = SIZE * scale
    image = Image.new("RGBA", (big, big), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    for ring in rings:
        r = ring.radius * scale
        box = (CENTRE * scale - r, CENTRE * scale - r, CENTRE * scale + r, CENTRE * scale + r)
        draw.ellipse(box, fill=ring.fill, outline=ring.stroke, width=round(ring.width * scale) or 1)
    for glyph in glyphs:
        _paste_glyph(image, glyph, scale)
    _draw_lines(draw, lines, scale)
    if text.revoked_on:
        image.alpha_composite(_png_stamp(text.revoked_on, scale))
    return image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


def _draw_lines(draw: ImageDraw.ImageDraw, lines: list[Line], scale: int) -> None:
    for line in lines:
        face = font(line.size * scale, line.bold)
        draw.text(
            (CENTRE * scale, line.y * scale), line.text, font=face, fill=line.colour, anchor="ms"
        )


def _png_stamp(revoked_on: str, scale: int) -> Image.Image:
    """The stamp of ``_svg_stamp`` on a layer of its own, turned the same way."""
    layer = Image.new("RGBA", (SIZE * scale, SIZE * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    draw.rounded_rectangle(
        (45 * scale, 240 * scale, 555 * scale, 370 * scale),
        radius=14 * scale,
        fill=(255, 255, 255, 235),
        outline=RED,
        width=10 * scale,
    )
    _draw_lines(draw, _stamp_lines(revoked_on), scale)
    return layer.rotate(-STAMP_TURN, resample=Image.Resampling.BICUBIC)


def _paste_glyph(image: Image.Image, glyph: Glyph, scale: int) -> None:
    side = round(glyph.size * scale * 2)
    tile = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    ImageDraw.Draw(tile).text(
        (side / 2, side / 2),
        glyph.char,
        font=font(glyph.size * scale, bold=True),
        fill=glyph.colour,
        anchor="mm",
    )
    turned = tile.rotate(-glyph.angle, resample=Image.Resampling.BICUBIC)
    image.alpha_composite(
        turned, (round(glyph.x * scale - side / 2), round(glyph.y * scale - side / 2))
    )


def png_bytes(text: SealText, info=None) -> bytes:
    output = io.BytesIO()
    png(text).save(output, format="PNG", pnginfo=info)
    return output.getvalue()
