from ecosystem.auth.models import Role
from ecosystem.extensions import db
from ecosystem.places import services
from ecosystem.places.models import Locality
from tests.factories import make_user


def load(app) -> None:
    with app.app_context():
        services.load_reference_localities()
        db.session.commit()


def test_the_reference_list_has_the_92_communes_and_wards_and_loads_once(app):
    names = services.read_reference_file()
    assert len(names) == 92 and len(set(names)) == 92
    assert all(name.startswith(("Xã ", "Phường ")) for name in names)
    load(app)
    load(app)
    with app.app_context():
        assert len(services.active_localities()) == 92
        assert db.session.scalar(db.select(Locality).where(Locality.search_name == "xa dai tu")).name == "Xã Đại Từ"


def test_a_coordinator_adds_renames_and_retires_a_unit(app, client, auth, forms):
    load(app)
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    auth.login(coordinator.email, coordinator.password)
    assert forms.post("/places/", {"name": "Phường Thử Nghiệm"}).status_code == 302
    with app.app_context():
        unit = db.session.scalar(db.select(Locality).where(Locality.name == "Phường Thử Nghiệm"))
        unit_id = unit.id
        assert unit.search_name == "phuong thu nghiem" and unit.kind == "ward"
    assert forms.post(f"/places/{unit_id}", {"name": "Phường Thử Nghiệm Mới"}).status_code == 302
    assert forms.post(f"/places/{unit_id}/active", {}, form_page="/places/").status_code == 302
    with app.app_context():
        unit = db.session.get(Locality, unit_id)
        assert unit.name == "Phường Thử Nghiệm Mới" and not unit.is_active
        assert services.get_active_locality(unit_id) is None
        assert unit not in services.active_localities()


def test_bad_names_and_duplicates_are_refused(app, auth, forms):
    load(app)
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    auth.login(coordinator.email, coordinator.password)
    for name in ["", "Huyện Đại Từ", "Xã Đại Từ", "Xã " + "Đ" * 10_000, "Quận 1"]:
        response = forms.post("/places/", {"name": name})
        assert response.status_code == 422, name
        assert 'id="name-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert len(services.all_localities()) == 92


def test_members_cannot_edit_the_list(app, client, auth, forms):
    load(app)
    member = make_user(app, roles=(Role.FOUNDER,))
    auth.login(member.email, member.password)
    assert client.get("/places/").status_code == 403
    assert client.get("/places/1").status_code == 403
    assert client.get("/places/999999").status_code == 403
