"""List parameters shared by the list pages and the API: q, facets, sort, page, per_page.

Every parameter is checked against an allowlist; anything else is a `BadListQuery`
carrying a message for the user, which views turn into a 400.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, case, func, select

from ecosystem.core.text import fold, like_pattern, search_terms

MAX_QUERY_LENGTH = 200
MAX_PAGE = 10_000


class BadListQuery(ValueError):
    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class ListQuery:
    q: str = ""
    terms: tuple[str, ...] = ()
    facets: dict[str, str] = field(default_factory=dict)
    sort: str = ""
    page: int = 1
    per_page: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def _positive_int(raw: str, name: str, maximum: int):
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= maximum:
        raise BadListQuery(
            _l("“%(name)s” must be a whole number from 1 to %(maximum)d.", name=name, maximum=maximum)
        )
    return int(raw)


def parse_list_query(
    args: Mapping[str, str],
    *,
    sorts: Mapping[str, object],
    default_sort: str,
    facets: Mapping[str, Callable[[str], bool] | set[str] | frozenset[str]] = {},  # noqa: B006 - read only
    default_per_page: int = 20,
    max_per_page: int = 100,
) -> ListQuery:
    """Validate list parameters. `facets` maps a parameter to its allowed values (or a check)."""
    q = (args.get("q") or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise BadListQuery(_l("The search text has at most %(max)d characters.", max=MAX_QUERY_LENGTH))
    sort = args.get("sort") or default_sort
    if sort not in sorts:
        raise BadListQuery(
            _l("Unknown sort order “%(sort)s”. Use one of: %(allowed)s.", sort=sort[:40], allowed=", ".join(sorts))
        )
    chosen: dict[str, str] = {}
    for name, allowed in facets.items():
        value = (args.get(name) or "").strip()
        if not value:
            continue
        valid = allowed(value) if callable(allowed) else value in allowed
        if not valid:
            raise BadListQuery(_l("Unknown value for “%(name)s”: “%(value)s”.", name=name, value=value[:40]))
        chosen[name] = value
    page = _positive_int(args.get("page") or "1", "page", MAX_PAGE)
    per_page = _positive_int(args.get("per_page") or str(default_per_page), "per_page", max_per_page)
    return ListQuery(q=q, terms=tuple(search_terms(q)), facets=chosen, sort=sort, page=page, per_page=per_page)


def list_query_or_400(args: Mapping[str, str], **options) -> ListQuery:
    try:
        return parse_list_query(args, **options)
    except BadListQuery as error:
        abort(400, description=str(error.message))


def apply_text_search(
    statement: Select, terms: tuple[str, ...] | list[str], name_column: ColumnElement, text_column: ColumnElement
) -> tuple[Select, ColumnElement | None]:
    """Keep rows whose folded text holds every term; rank name matches first.

    Returns the filtered statement and a rank expression (0: the whole query is in the
    name, 1: every term is in the name, 2: found elsewhere) to order by.
    """
    if not terms:
        return statement, None
    for term in terms:
        statement = statement.where(text_column.like(like_pattern(term), escape="\\"))
    phrase = like_pattern(" ".join(terms))
    every_term_in_name = and_(*(name_column.like(like_pattern(term), escape="\\") for term in terms))
    rank = case((name_column.like(phrase, escape="\\"), 0), (every_term_in_name, 1), else_=2)
    return statement, rank


def ordered(statement: Select, query: ListQuery, orders: Mapping[str, tuple], rank: ColumnElement | None) -> Select:
    """Order by the chosen sort's columns; a search sorted by relevance puts the rank first."""
    order = tuple(orders[query.sort])
    if query.sort == "relevance" and rank is not None:
        order = (rank, *order)
    return statement.order_by(*order)


def folded_text(*parts: str | None) -> str:
    """The value of a search column: every part folded, joined by spaces."""
    return " ".join(filter(None, (fold(part) for part in parts)))


@dataclass
class Page:
    """One page of results; `total` counts every matching row."""

    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def paginate(session, statement: Select, query: ListQuery) -> Page:
    """Run `statement` for one page plus one COUNT: two queries whatever the number of rows."""
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    items = list(session.scalars(statement.limit(query.per_page).offset(query.offset)).unique())
    return Page(items=items, total=total or 0, page=query.page, per_page=query.per_page)
