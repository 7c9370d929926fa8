import pytest
from sqlalchemy import select

from ecosystem.core.listing import BadListQuery, apply_text_search, paginate, parse_list_query
from ecosystem.extensions import db
from ecosystem.places.models import Locality

SORTS = {"name": None, "newest": None}


def parse(**args):
    return parse_list_query(args, sorts=SORTS, default_sort="name", facets={"kind": {"a", "b"}})


def test_defaults_and_valid_values():
    query = parse(q=" Đại Từ ", page="3", per_page="50", sort="newest", kind="a")
    assert (query.q, query.terms, query.page, query.per_page, query.sort) == ("Đại Từ", ("dai", "tu"), 3, 50, "newest")
    assert query.facets == {"kind": "a"} and query.offset == 100
    assert parse().page == 1 and parse().per_page == 20 and parse().sort == "name"


@pytest.mark.parametrize(
    "args",
    [{"page": "-1"}, {"page": "abc"}, {"page": "0"}, {"page": "1.5"}, {"per_page": "100000"}, {"per_page": "0"},
     {"sort": "password"}, {"kind": "c"}, {"q": "x" * 201}, {"page": "٣"}],
)
def test_bad_values_raise_with_a_message(args):
    with pytest.raises(BadListQuery) as error:
        parse(**args)
    assert str(error.value.message)


def test_accent_free_search_ranks_name_matches_first(app):
    with app.app_context():
        for name in ("Xã Đại Từ", "Phường Tích Lương", "Xã Đại Phúc"):
            db.session.add(Locality(name=name, province="Thái Nguyên", search_name=name.lower()))
        db.session.flush()
        from ecosystem.core.text import fold

        for locality in db.session.scalars(select(Locality)):
            locality.search_name = fold(locality.name)
        query = parse(q="DAI tu")
        statement, rank = apply_text_search(select(Locality), query.terms, Locality.search_name, Locality.search_name)
        page = paginate(db.session, statement.order_by(rank, Locality.name), query)
        assert [locality.name for locality in page.items] == ["Xã Đại Từ"]
        assert page.total == 1 and page.pages == 1 and not page.has_next
