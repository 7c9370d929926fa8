"""The department's verification: a queue, a checklist, a note and a confirmation step."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ecosystem.auth.models import Role, User
from ecosystem.extensions import db
from ecosystem.startups import verification as startup_verification
from ecosystem.startups.models import Startup
from ecosystem.startups.services import StartupError
from tests.factories import make_user
from tests.factories.startups import make_startup, make_startups

READY = {"tax_code": "4601234567-001", "contact_email": "lienhe@chexanh.vn"}


def checks_by_key(app, startup_id: int) -> dict[str, bool]:
    with app.app_context():
        startup = db.session.get(Startup, startup_id)
        return {check.key: check.passed for check in startup_verification.verification_checklist(startup)}


def test_the_checklist_wants_a_well_formed_tax_code_a_contact_and_the_commune_or_ward(app):
    bare = make_startup(app)
    assert checks_by_key(app, bare.id) == {"tax_code": False, "contact": False, "place": True}
    phone_only = make_startup(app, tax_code="4601234567", contact_phone="0912345678")
    assert checks_by_key(app, phone_only.id) == {"tax_code": True, "contact": True, "place": True}
    with app.app_context():  # data older than the form's rules: the checklist reads what is stored
        startup = db.session.get(Startup, bare.id)
        startup.tax_code, startup.locality_id = "46012345", None
        db.session.commit()
    assert checks_by_key(app, bare.id) == {"tax_code": False, "contact": False, "place": False}


def test_verifying_records_who_when_and_the_note_and_refuses_an_incomplete_profile(app):
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    incomplete = make_startup(app, tax_code="4601234567")
    ready = make_startup(app, **READY)
    with app.app_context():
        boss = db.session.get(User, coordinator.id)
        with pytest.raises(StartupError) as refused:
            startup_verification.verify_startup(db.session.get(Startup, incomplete.id), boss, "Đã gọi điện")
        assert "Contact" in str(refused.value.message) or "Liên hệ" in str(refused.value.message)
        assert db.session.get(Startup, incomplete.id).verified_at is None
        with pytest.raises(StartupError) as too_long:
            startup_verification.verify_startup(db.session.get(Startup, ready.id), boss, "x" * 1001)
        assert too_long.value.field == "note"
        startup_verification.verify_startup(
            db.session.get(Startup, ready.id), boss, "  Đối chiếu GCN ĐKDN số 4601234567\r\n "
        )
        startup = db.session.get(Startup, ready.id)
        assert startup.verified_by_id == coordinator.id and startup.verified_at is not None
        assert startup.verification_note == "Đối chiếu GCN ĐKDN số 4601234567"
        coordinator_2 = db.session.get(User, make_user(app, roles=(Role.COORDINATOR,)).id)
        with pytest.raises(StartupError):  # twice: the first verification stands
            startup_verification.verify_startup(startup, coordinator_2)
        assert db.session.get(Startup, ready.id).verified_by_id == coordinator.id
        startup_verification.unverify_startup(startup, boss)
        assert (startup.verified_at, startup.verified_by_id, startup.verification_note) == (None, None, None)


def test_the_queue_lists_unverified_startups_hidden_ones_too_oldest_first_for_coordinators_only(
    app, client, auth, count_queries
):
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    first = make_startup(app, name="Chè Trước", **READY)
    hidden = make_startup(app, name="Dự Án Ẩn", is_public=False)
    make_startup(app, name="Đã Xác Thực", verified_by=coordinator)
    founder = first.owner
    auth.login(founder.email, founder.password)
    assert client.get("/startups/verification").status_code == 403
    auth.logout()
    auth.login(coordinator.email, coordinator.password)
    html = client.get("/startups/verification").get_data(as_text=True)
    assert "Chè Trước" in html and "Dự Án Ẩn" in html and "Đã Xác Thực" not in html
    assert html.index("Chè Trước") < html.index("Dự Án Ẩn")
    assert f'href="/startups/{hidden.slug}/verify"' in html
    with count_queries() as few:
        client.get("/startups/verification")
    make_startups(app, 25, founder)
    with count_queries() as many:
        assert client.get("/startups/verification").status_code == 200
    assert len(many) == len(few)


def test_a_coordinator_verifies_through_the_checklist_with_a_note_shown_to_coordinators_only(
    app, client, auth, forms
):
    coordinator = make_user(app, roles=(Role.COORDINATOR,), full_name="Nguyễn Thị Lan")
    ref = make_startup(app, name="Chè Xanh", **READY)
    auth.login(coordinator.email, coordinator.password)
    page = client.get(f"/startups/{ref.slug}/verify").get_data(as_text=True)
    assert "4601234567-001" in page and "lienhe@chexanh.vn" in page and 'name="confirm"' in page
    unconfirmed = forms.post(f"/startups/{ref.slug}/verify", {"note": "Đã xem giấy phép"})
    assert unconfirmed.status_code == 422
    assert "Đã xem giấy phép" in unconfirmed.get_data(as_text=True)  # the note is kept
    with app.app_context():
        assert db.session.get(Startup, ref.id).verified_at is None
    done = forms.post(f"/startups/{ref.slug}/verify", {"note": "Đã xem giấy phép", "confirm": "y"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/startups/verification")
    profile = client.get(f"/startups/{ref.slug}").get_data(as_text=True)
    assert "Đã xem giấy phép" in profile and "Nguyễn Thị Lan" in profile
    auth.logout()
    public = client.get(f"/startups/{ref.slug}").get_data(as_text=True)
    assert "badge-verified" in public
    assert "Đã xem giấy phép" not in public and "Nguyễn Thị Lan" not in public
    auth.login(ref.owner.email, ref.owner.password)
    assert "Đã xem giấy phép" not in client.get(f"/startups/{ref.slug}").get_data(as_text=True)


def test_an_incomplete_profile_offers_no_confirmation_and_a_forced_post_is_refused(app, client, auth, forms):
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    ref = make_startup(app, tax_code="4601234567")
    auth.login(coordinator.email, coordinator.password)
    page = client.get(f"/startups/{ref.slug}/verify").get_data(as_text=True)
    assert 'name="confirm"' not in page and "check-failed" in page
    response = forms.post(f"/startups/{ref.slug}/verify", {"confirm": "y"}, form_page=f"/startups/{ref.slug}")
    assert response.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(Startup.verified_at).where(Startup.id == ref.id)) is None
