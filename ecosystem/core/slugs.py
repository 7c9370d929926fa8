"""Unique slugs for new rows: `base`, `base-2`, `base-3`, ... even under concurrent inserts."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute

from ecosystem.core.text import like_pattern
from ecosystem.extensions import db

SLUG_ATTEMPTS = 25


def free_slug(slug_column: InstrumentedAttribute, base: str, reserved: frozenset[str] = frozenset()) -> str:
    """The first of `base`, `base-2`, ... that no row uses and that is not a reserved route name."""
    pattern = like_pattern(f"{base}-")[1:]  # "base-%" with base's own wildcards escaped
    slugs = db.session.scalars(select(slug_column).where(or_(slug_column == base, slug_column.like(pattern,
                                                                                                   escape="\\"))))
    taken = {1} if base in reserved else set()
    for slug in slugs:
        suffix = slug[len(base) + 1:]
        if slug == base:
            taken.add(1)
        elif suffix.isascii() and suffix.isdigit():
            taken.add(int(suffix))
    number = 1
    while number in taken:
        number += 1
    return base if number == 1 else f"{base}-{number}"


def insert_with_unique_slug(row, slug_column: InstrumentedAttribute, base: str,
                            reserved: frozenset[str] = frozenset()) -> bool:
    """Add `row` under the first free slug and flush it inside a SAVEPOINT.

    A concurrent insert of the same slug makes the unique index refuse ours: the
    savepoint rolls back and the next free slug is tried. False when every attempt lost.
    """
    for _attempt in range(SLUG_ATTEMPTS):
        row.slug = free_slug(slug_column, base, reserved)
        try:
            with db.session.begin_nested():  # flushed at the end of the block: the unique index decides
                db.session.add(row)
        except IntegrityError:
            continue
        return True
    return False
