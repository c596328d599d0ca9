"""Builds, at `make setup`, the one stylesheet every page loads and the fonts it names.

`seal_app/static/vendor/site.css` holds, in this order:
1. the Fira Sans faces of KERN UX, subset to the Latin characters German pages use
   (`vendor/fonts/*.woff2`, their URLs carrying the content hash, so they are cached for a year);
2. „Fira Sans Fallback“: Arial (or the metrically equal Liberation Sans) scaled to Fira Sans'
   width and line metrics, shown while the web font loads, so the swap moves almost nothing;
3. KERN UX' CSS with only the rules the templates, scripts and Python code can use (PurgeCSS,
   `assets/purgecss.config.cjs`);
4. the app's own `seal_app/static/css/app.css`.

    .venv/bin/python assets/build.py
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from seal_app.static_files import content_hash  # noqa: E402

KERN = PROJECT / "node_modules" / "@kern-ux" / "native"
OUT = PROJECT / "seal_app" / "static" / "vendor"
APP_CSS = PROJECT / "seal_app" / "static" / "css" / "app.css"
PURGECSS = os.environ.get("PURGECSS") or str(PROJECT / "node_modules" / ".bin" / "purgecss")

# Basic Latin, Latin-1 (umlauts, ß, §, ·, «», non-breaking space), Latin Extended-A (names such
# as Łukasz or Gökçe), and the punctuation of German texts: dashes, „“‚‘’”, …, •, €, ‹›, →,
# the thin and narrow no-break spaces Babel puts into numbers, the minus sign.
UNICODES = (
    "U+0020-007E,U+00A0-00FF,U+0100-017F,U+2009-200B,U+2010-2014,U+2018-201E,U+2022,"
    "U+2026,U+202F,U+2039-203A,U+20AC,U+2190-2193,U+2212"
)
# Features the text may use: the defaults plus numerals KERN or the browser may ask for.
EXTRA_FEATURES = ("tnum", "lnum", "pnum", "onum", "case", "zero", "ss01")
FACE = re.compile(
    r'url\("\./fira-sans/(?P<file>[^"]+)"\).*?font-weight:\s*(?P<weight>\d+);'
    r"\s*font-style:\s*(?P<style>\w+)",
    re.S,
)
# Average advance width (in em) of Arial / Liberation Sans over SAMPLE, regular and bold.
ARIAL_WIDTH = {"regular": 0.46354, "bold": 0.49936}
SAMPLE = (
    "Das Gütesiegel „Sicherheit macht Schule“: Schulen bewerben sich mit einer "
    "Selbsteinschätzung, eine Jury prüft, das Siegel gilt fünf Jahre. Grundschule am Wall "
    "Kriterienkatalog Anmeldung Bewerbung Schulnummer 12345 Güstrow"
)
FONT_FAMILY = '"Fira Sans", "Fira Sans Fallback", sans-serif'


def faces() -> list[dict[str, str]]:
    """The Fira Sans faces KERN UX declares: file, weight, style."""
    css = (KERN / "dist" / "fonts" / "fira-sans.css").read_text()
    return [match.groupdict() for match in FACE.finditer(css)]


def subset_font(source: Path, target: Path) -> None:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = [*options.layout_features, *EXTRA_FEATURES]
    options.name_IDs = ["*"]  # keeps the copyright and licence notes
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def average_width(font: TTFont) -> float:
    cmap, metrics = font.getBestCmap(), font["hmtx"]
    units = font["head"].unitsPerEm
    return sum(metrics[cmap[ord(c)]][0] for c in SAMPLE) / len(SAMPLE) / units


def fallback_face(font: TTFont, weights: str, locals_: tuple[str, ...], width: float) -> str:
    """An @font-face of a local font scaled so that its text runs as long and its lines are
    as high as with Fira Sans."""
    units = font["head"].unitsPerEm
    hhea = font["hhea"]
    size = average_width(font) / width
    sources = ", ".join(f'local("{name}")' for name in locals_)
    return (
        "@font-face {\n"
        '  font-family: "Fira Sans Fallback";\n'
        f"  src: {sources};\n"
        f"  font-weight: {weights};\n"
        f"  size-adjust: {size * 100:.2f}%;\n"
        f"  ascent-override: {hhea.ascent / units / size * 100:.2f}%;\n"
        f"  descent-override: {-hhea.descent / units / size * 100:.2f}%;\n"
        f"  line-gap-override: {hhea.lineGap / units / size * 100:.2f}%;\n"
        "}\n"
    )


def fonts_css(fonts: Path) -> str:
    parts = []
    for face in faces():
        target = fonts / face["file"]
        subset_font(KERN / "dist" / "fonts" / "fira-sans" / face["file"], target)
        parts.append(
            "@font-face {\n"
            '  font-family: "Fira Sans";\n'
            f'  src: url("fonts/{face["file"]}?v={content_hash(target)}") format("woff2");\n'
            f"  font-weight: {face['weight']};\n"
            f"  font-style: {face['style']};\n"
            "  font-display: swap;\n"
            f"  unicode-range: {UNICODES};\n"
            "}\n"
        )
    regular = TTFont(fonts / "FiraSans-Regular.woff2")
    semibold = TTFont(fonts / "FiraSans-SemiBold.woff2")
    parts.append(
        fallback_face(regular, "100 500", ("Arial", "Liberation Sans"), ARIAL_WIDTH["regular"])
    )
    parts.append(
        fallback_face(
            semibold,
            "600 900",
            ("Arial Bold", "Arial-BoldMT", "Liberation Sans Bold"),
            ARIAL_WIDTH["bold"],
        )
    )
    return "".join(parts)


def purged_kern() -> str:
    with tempfile.TemporaryDirectory() as folder:
        config = PROJECT / "assets" / "purgecss.config.cjs"
        subprocess.run([PURGECSS, "--config", str(config), "--output", folder], check=True)
        purged = (Path(folder) / "kern.min.css").read_text()
    return purged + "".join(rule for rule in misjudged_rules() if rule not in purged)


def misjudged_rules() -> list[str]:
    """Top-level rules PurgeCSS 8 drops although they apply: it drops every `:is(…):not(…)`,
    such as KERN's `:is(body, …):not([class*=kern-level-])` that sets the page's colours."""
    css = (KERN / "dist" / "kern.min.css").read_text()
    rules, depth = [], 0
    for match in re.finditer(r"[{}]|:is\([^{}]*\{[^{}]*\}", css):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0 and (match.start() == 0 or css[match.start() - 1] == "}"):
            rules.append(token + "\n")
    return rules


def main() -> None:
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    shutil.rmtree(OUT, ignore_errors=True)
    (OUT / "fonts").mkdir(parents=True)
    css = [
        "/* KERN UX (EUPL-1.2, see LICENSE-kern.md), Fira Sans (SIL OFL 1.1) */\n",
        fonts_css(OUT / "fonts"),
        purged_kern(),
        # after KERN's own :root, which names only "Fira Sans", sans-serif
        f"\n:root {{ --kern-typography-font-family-fira-sans: {FONT_FAMILY}; }}\n",
        APP_CSS.read_text(),
    ]
    shutil.copy(KERN / "LICENSE.md", OUT / "LICENSE-kern.md")
    (OUT / "site.css").write_text("".join(css))
    print(f"{OUT / 'site.css'}: {(OUT / 'site.css').stat().st_size} bytes")


if __name__ == "__main__":
    main()
