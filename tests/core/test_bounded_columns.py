"""Columns built from user text (not typed into a field of their own) are cut to fit: folding a name for
search may lengthen it, and on PostgreSQL a value too long for its column is a 500."""

from ecosystem.auth.models import Role
from ecosystem.extensions import db
from ecosystem.places.models import Locality
from tests.factories import make_user


def test_a_locality_whose_folded_name_is_longer_than_its_column_is_saved(app, auth, forms):
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    auth.login(coordinator.email, coordinator.password)
    name = "Xã " + "北京" * 48  # 99 characters; folded: "xa bei jing bei jing ..." (over 400)
    assert forms.post("/places/", {"name": name}).status_code == 302
    with app.app_context():
        unit = db.session.scalar(db.select(Locality).where(Locality.name == name))
        assert unit.search_name.startswith("xa bei jing") and len(unit.search_name) <= 100
    assert forms.post(f"/places/{unit.id}", {"name": "Phường " + "北" * 90}).status_code == 302
