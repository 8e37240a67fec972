"""Interface text in Thai (the default) and English, from two catalogs with the same keys."""

from __future__ import annotations

import functools
import json
from pathlib import Path

LANGUAGES = ("th", "en")
DEFAULT = "th"
_DIR = Path(__file__).resolve().parent / "locales"


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    return json.loads((_DIR / f"{lang}.json").read_text(encoding="utf-8"))


def t(key: str, lang: str = DEFAULT, **values) -> str:
    """The text for key in lang, with {placeholders} filled; a missing key is a bug, so it raises."""
    text = catalog(lang if lang in LANGUAGES else DEFAULT)[key]
    return text.format(**values) if values else text


def year_label(year: int, lang: str = DEFAULT) -> str:
    """B.E. for Thai readers; B.E. with C.E. beside it for English ones (2565 (2022))."""
    return t("year.label", lang, be=int(year), ce=int(year) - 543)


def category_name(category: int, lang: str = DEFAULT) -> str:
    return t(f"category.{int(category)}", lang)
