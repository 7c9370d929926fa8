"""Accent folding and slugs: "Nông sản Đại Từ" → "nong san dai tu" / "nong-san-dai-tu"."""

import re

from slugify import slugify
from text_unidecode import unidecode

_SPACES = re.compile(r"\s+")
# PostgreSQL refuses NUL in text; no control character belongs in a search.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_SEARCH_TERMS = 8
MAX_TERM_LENGTH = 50


def fold(text: str | None) -> str:
    """Lower-case ASCII with Vietnamese diacritics removed and spaces collapsed."""
    if not text:
        return ""
    return _SPACES.sub(" ", _CONTROL.sub(" ", unidecode(text)).lower()).strip()


def make_slug(text: str, max_length: int = 80) -> str:
    return slugify(text, max_length=max_length, word_boundary=True) or "muc"


def search_terms(query: str | None) -> list[str]:
    """Folded words of a search query, bounded in number and length."""
    return [term[:MAX_TERM_LENGTH] for term in fold(query).split()[:MAX_SEARCH_TERMS]]


def like_pattern(term: str) -> str:
    """A LIKE pattern matching `term` anywhere, with LIKE's wildcards escaped (escape='\\')."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
