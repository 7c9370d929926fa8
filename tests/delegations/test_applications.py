"""Applications to a delegation call: apply, drafts, submission, the deck, withdrawal, nominations, swaps."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ecosystem.auth.models import Role, User
from ecosystem.delegations import decisions
from ecosystem.delegations.models import Application, ApplicationStatus, DelegationCall, Traveller
from ecosystem.extensions import db
from ecosystem.startups.members import add_member
from ecosystem.startups.models import Startup
from ecosystem.timeutil import utcnow
from tests.factories import add_club_member, make_call, make_club, make_component, make_startup, make_team, make_user

PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] "
       b"/Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def english(forms):
    forms.post("/language", {"lang": "en"}, form_page="/")


def login_as(auth, forms, user):
    auth.login(user.email, user.password)
    english(forms)


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def decks(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_DIR"]) / "decks"
    return list(folder.iterdir()) if folder.exists() else []


def startup_with_member(app):
    startup = make_startup(app)
    member = make_user(app, full_name="Trần Văn Bình")
    with app.app_context():
        add_member(db.session.get(Startup, startup.id), db.session.get(User, member.id))
        db.session.commit()
    return startup, member


def application_form(owner, *, action="submit", deck=PDF, deck_name="deck.pdf", **overrides):
    data = {
        "product_name": "Máy sấy chè thông minh",
        "product_description": "Sấy chè Tân Cương bằng năng lượng mặt trời.",
        "category": "booth",
        "allocation_id": "",
        "travellers-0-user_id": str(owner.id),
        "travellers-0-legal_name": "NGUYỄN VĂN TEST",
        "travellers-0-role": "Trưởng nhóm",
        "travellers-0-phone": "0912 345 678",
        "travellers-0-dietary_needs": "Ăn chay",
        "booth_size": "3x3 m",
        "needs_power": "y",
        "other_needs": "",
        "action": action,
        **overrides,
    }
    if deck is not None:
        data["pitch_deck"] = (io.BytesIO(deck), deck_name)
    return data


def apply(forms, call, data, **kwargs):
    return forms.post(f"/techfest/{call.slug}/apply", data, content_type="multipart/form-data", **kwargs)


def only_application(app) -> Application:
    with app.app_context():
        application = db.session.scalar(select(Application))
        db.session.expunge_all()
        return application


def test_founder_applies_and_submits(app, client, forms, auth, mailbox, deliver_mail):
    call = make_call(app)
    startup, _member = startup_with_member(app)
    login_as(auth, forms, startup.owner)
    before = len(decks(app))
    page = client.get(f"/techfest/{call.slug}")
    assert f"/techfest/{call.slug}/apply" in page.get_data(as_text=True)
    response = apply(forms, call, application_form(startup.owner))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        application = db.session.scalar(select(Application))
        assert application.status == ApplicationStatus.SUBMITTED and application.startup_id == startup.id
        assert application.booth_size == "3x3 m" and application.needs_power
        assert [(t.user_id, t.legal_name, t.dietary_needs) for t in application.travellers] == [
            (startup.owner.id, "NGUYỄN VĂN TEST", "Ăn chay")]
        application_id = application.id
    assert len(decks(app)) == before + 1
    assert "Máy sấy chè thông minh" in client.get("/techfest/mine").get_data(as_text=True)
    download = client.get(f"/techfest/applications/{application_id}/deck.pdf")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.data == PDF


def test_draft_then_submit_then_withdraw(app, client, forms, auth):
    call = make_call(app)
    startup = make_startup(app)
    login_as(auth, forms, startup.owner)
    response = apply(forms, call, application_form(startup.owner, action="draft", deck=None))
    assert response.status_code == 302
    application = only_application(app)
    assert application.status == ApplicationStatus.DRAFT
    url = f"/techfest/applications/{application.id}"
    # no deck yet: submission refused with a message
    response = forms.post(f"{url}/submit", {}, form_page=url, follow_redirects=True)
    assert "Please attach the pitch deck (PDF)." in response.get_data(as_text=True)
    response = forms.post(f"{url}/edit", application_form(startup.owner, action="draft"),
                          content_type="multipart/form-data")
    assert response.status_code == 302
    forms.post(f"{url}/submit", {}, form_page=url)
    assert only_application(app).status == ApplicationStatus.SUBMITTED
    forms.post(f"{url}/withdraw", {}, form_page=url)
    assert only_application(app).status == ApplicationStatus.WITHDRAWN


def test_another_founder_cannot_see_or_change_the_application(app, client, forms, auth):
    call = make_call(app)
    startup = make_startup(app)
    login_as(auth, forms, startup.owner)
    apply(forms, call, application_form(startup.owner))
    application = only_application(app)
    auth.logout()
    other = make_startup(app)
    login_as(auth, forms, other.owner)
    url = f"/techfest/applications/{application.id}"
    for path in ("", "/edit", "/deck.pdf"):
        assert client.get(url + path).status_code == 404
    for path in ("/withdraw", "/submit"):
        assert forms.post(url + path, {}, form_page="/techfest/").status_code == 404
    assert "Máy sấy chè" not in client.get("/techfest/mine").get_data(as_text=True)
    assert only_application(app).status == ApplicationStatus.SUBMITTED


def test_club_leader_applies_for_a_team(app, client, forms, auth):
    call = make_call(app)
    club = make_club(app)
    student = add_club_member(app, club)
    team = make_team(app, club, members=[student])
    login_as(auth, forms, club.leader)
    data = application_form(student, **{"as": f"team-{team.id}"})
    response = apply(forms, call, data, form_page=f"/techfest/{call.slug}/apply?as=team-{team.id}")
    assert response.status_code == 302, response.get_data(as_text=True)
    application = only_application(app)
    assert application.team_id == team.id and application.startup_id is None


@pytest.mark.parametrize("opens, closes", [(2, 10), (-10, -1)])
def test_applying_outside_the_window_is_refused(app, client, forms, auth, opens, closes):
    call = make_call(app, opens_in_days=opens, closes_in_days=closes)
    startup = make_startup(app)
    login_as(auth, forms, startup.owner)
    before = len(decks(app))
    page = client.get(f"/techfest/{call.slug}/apply").get_data(as_text=True)
    assert "are accepted from" in page
    response = apply(forms, call, application_form(startup.owner), form_page=f"/techfest/{call.slug}")
    assert response.status_code == 422
    assert count(app, Application) == 0 and len(decks(app)) == before


@pytest.mark.parametrize("deck, name", [
    (b"GIF89a not a pdf at all", "deck.pdf"),
    (b"%PDF-1.4 but truncated, no objects", "deck.pdf"),
    (b"", "deck.pdf"),
    (b"<html><script>alert(1)</script></html>", "deck.pdf"),
])
def test_a_deck_that_is_not_a_pdf_is_refused(app, client, forms, auth, deck, name):
    call = make_call(app)
    startup = make_startup(app)
    login_as(auth, forms, startup.owner)
    before = len(decks(app))
    response = apply(forms, call, application_form(startup.owner, deck=deck, deck_name=name))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "The pitch deck must be a PDF file." in html or "The file is empty." in html or \
        "Please attach the pitch deck" in html
    assert count(app, Application) == 0 and len(decks(app)) == before


def test_a_deck_over_10_mb_and_a_50_mb_upload_are_refused(app, client, forms, auth):
    call = make_call(app)
    startup = make_startup(app)
    login_as(auth, forms, startup.owner)
    before = len(decks(app))
    eleven_mb = PDF[:-6] + b"%" * (11 * 1024 * 1024) + b"\n%%EOF\n"
    response = apply(forms, call, application_form(startup.owner, deck=eleven_mb))
    assert response.status_code == 422
    assert "larger than 10 MB" in response.get_data(as_text=True)
    response = apply(forms, call, application_form(startup.owner, deck=b"%PDF-" + b"0" * (50 * 1024 * 1024)))
    assert response.status_code == 413
    assert count(app, Application) == 0 and len(decks(app)) == before


def test_a_traveller_who_is_not_a_member_is_refused(app, client, forms, auth):
    call = make_call(app)
    startup = make_startup(app)
    stranger = make_user(app)
    login_as(auth, forms, startup.owner)
    response = apply(forms, call, application_form(startup.owner, **{"travellers-0-user_id": str(stranger.id)}))
    assert response.status_code == 422
    assert count(app, Application) == 0 and count(app, Traveller) == 0


@pytest.mark.parametrize("overrides", [
    {"product_name": ""}, {"product_name": "x" * 10_000}, {"category": "concert"},
    {"allocation_id": "999999"}, {"travellers-0-phone": "gọi tôi"}, {"travellers-0-legal_name": ""},
    {"travellers-0-user_id": "abc"}, {"other_needs": "x" * 10_000}, {"travellers-0-dietary_needs": "x" * 10_000},
])
def test_bad_application_input_gets_a_message(app, client, forms, auth, overrides):
    call = make_call(app)
    startup = make_startup(app)
    login_as(auth, forms, startup.owner)
    before = len(decks(app))
    response = apply(forms, call, application_form(startup.owner, **overrides))
    assert response.status_code == 422
    assert count(app, Application) == 0 and len(decks(app)) == before


def test_someone_without_a_startup_or_club_cannot_apply(app, client, forms, auth):
    call = make_call(app)
    member = make_user(app)
    login_as(auth, forms, member)
    assert client.get(f"/techfest/{call.slug}/apply").status_code == 403


def test_allocation_of_another_unit_cannot_be_chosen(app, client, forms, auth):
    university = make_component(app, kind="university", name="Đại học Nông Lâm")
    call = make_call(app, allocations=[
        {"name": "Đại học Nông Lâm", "booths": 2, "places": 6, "unit_id": university.id},
        {"name": "Gọi mở", "booths": 2, "places": 6, "is_open_pool": True},
    ])
    startup = make_startup(app)
    login_as(auth, forms, startup.owner)
    response = apply(forms, call, application_form(startup.owner, allocation_id=str(call.allocation_ids[0])))
    assert response.status_code == 422
    response = apply(forms, call, application_form(startup.owner, allocation_id=str(call.allocation_ids[1])))
    assert response.status_code == 302
    assert only_application(app).allocation_id == call.allocation_ids[1]


def test_representative_nominates_only_into_their_own_allocation(app, client, forms, auth):
    representative = make_user(app, roles=(Role.CLUB_LEADER,))
    other_representative = make_user(app, roles=(Role.CLUB_LEADER,))
    call = make_call(app, allocations=[
        {"name": "Vườn ươm A", "booths": 2, "places": 6, "representative_email": representative.email},
        {"name": "Vườn ươm B", "booths": 2, "places": 6, "representative_email": other_representative.email},
        {"name": "Gọi mở", "booths": 2, "places": 6, "is_open_pool": True},
    ])
    mine, theirs, _pool = call.allocation_ids
    startup = make_startup(app)
    login_as(auth, forms, startup.owner)
    apply(forms, call, application_form(startup.owner))
    application = only_application(app)
    auth.logout()
    login_as(auth, forms, representative)
    url = f"/techfest/{call.slug}/nominations"
    assert "Máy sấy chè thông minh" in client.get(url).get_data(as_text=True)
    response = forms.post(url, {"application_id": str(application.id), "allocation_id": str(theirs)})
    assert response.status_code == 403
    assert only_application(app).allocation_id is None
    response = forms.post(url, {"application_id": str(application.id), "allocation_id": str(mine)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Application.nominated_by_id)) == representative.id
    assert only_application(app).allocation_id == mine
    auth.logout()
    # a founder represents nothing; the other representative no longer sees it (it chose allocation A)
    login_as(auth, forms, startup.owner)
    assert client.get(url).status_code == 403
    auth.logout()
    login_as(auth, forms, other_representative)
    assert "Máy sấy chè thông minh" not in client.get(url).get_data(as_text=True)
    response = forms.post(url, {"application_id": str(application.id), "allocation_id": str(theirs)})
    assert response.status_code == 302
    assert only_application(app).allocation_id == mine


def accepted_application(app, client, forms, auth, *, roster_locked_at=None):
    call = make_call(app, roster_locked_at=roster_locked_at)
    startup, member = startup_with_member(app)
    login_as(auth, forms, startup.owner)
    apply(forms, call, application_form(startup.owner, allocation_id=str(call.allocation_ids[0])))
    with app.app_context():
        application = db.session.scalar(select(Application))
        decisions.accept_application(application, db.session.get(User, call.coordinator.id))
        traveller_id = application.travellers[0].id
        application_id = application.id
    return application_id, traveller_id, startup, member


def test_member_swap_after_acceptance(app, client, forms, auth):
    application_id, traveller_id, startup, member = accepted_application(app, client, forms, auth)
    url = f"/techfest/applications/{application_id}"
    stranger = make_user(app)
    data = {"traveller_id": str(traveller_id), "user_id": str(stranger.id), "legal_name": "NGƯỜI LẠ",
            "phone": "0987654321"}
    response = forms.post(f"{url}/swap", data, form_page=url, follow_redirects=True)
    assert "is not a member of" in response.get_data(as_text=True)
    data["user_id"], data["legal_name"] = str(member.id), "TRẦN VĂN BÌNH"
    response = forms.post(f"{url}/swap", data, form_page=url)
    assert response.status_code == 302
    with app.app_context():
        assert [(t.user_id, t.legal_name) for t in db.session.scalars(select(Traveller))] == [
            (member.id, "TRẦN VĂN BÌNH")]


def test_no_swap_once_the_roster_is_locked(app, client, forms, auth):
    application_id, traveller_id, startup, member = accepted_application(app, client, forms, auth)
    with app.app_context():
        db.session.scalar(select(DelegationCall)).roster_locked_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    url = f"/techfest/applications/{application_id}"
    data = {"traveller_id": str(traveller_id), "user_id": str(member.id), "legal_name": "TRẦN VĂN BÌNH",
            "phone": "0987654321"}
    response = forms.post(f"{url}/swap", data, form_page=url, follow_redirects=True)
    assert "The roster is locked" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Traveller.user_id)) == startup.owner.id


def test_logistics_and_outcomes_services_check_who_and_what(app, client, forms, auth):
    from ecosystem.delegations import logistics, outcomes, policies

    application_id, _traveller_id, startup, _member = accepted_application(app, client, forms, auth)
    with app.app_context():
        application = db.session.get(Application, application_id)
        coordinator = db.session.get(User, db.session.scalar(select(DelegationCall.created_by_id)))
        owner = db.session.get(User, startup.owner.id)
        with pytest.raises(policies.DelegationError):
            logistics.set_logistics(application, "Xe khách", 500_000, 0, owner)
        with pytest.raises(policies.DelegationError):
            logistics.set_logistics(application, "Xe khách", -1, 0, coordinator)
        logistics.set_logistics(application, "Xe khách Thái Nguyên – Hà Nội", 1_200_000, 800_000, coordinator)
        application.call.event_starts_on = utcnow() - timedelta(hours=1)
        with pytest.raises(policies.DelegationError):
            outcomes.report_outcomes(application, 10**9, None, None, None, owner)
        with pytest.raises(policies.DelegationError):
            outcomes.report_outcomes(application, 1, None, None, None, db.session.get(User, make_user(app).id))
        outcomes.report_outcomes(application, 25, 2, 1, "Giải ba cuộc thi khởi nghiệp", owner)
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert (application.travel_cost_vnd, application.lodging_cost_vnd, application.outcome_mous) == (
            1_200_000, 800_000, 2)


def seed_applications(app, startup, first: int, last: int) -> None:
    now = utcnow()
    with app.app_context():
        for number in range(first, last):
            call = DelegationCall(
                slug=f"techfest-mine-{number}", name=f"Techfest {number}", host_city="Hà Nội",
                event_starts_on=now, event_ends_on=now + timedelta(days=1), applications_open_at=now,
                applications_close_at=now + timedelta(days=1), status="open",
            )
            call_application = Application(startup_id=startup.id, product_name=f"Sản phẩm {number}",
                                           category="booth")
            call_application.call = call
            db.session.add_all([call, call_application])
        db.session.commit()


def test_my_applications_query_count_is_constant(app, client, forms, auth, count_queries):
    startup = make_startup(app)
    login_as(auth, forms, startup.owner)

    def selects() -> int:
        with count_queries() as statements:
            assert client.get("/techfest/mine").status_code == 200
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    seed_applications(app, startup, 0, 5)
    few = selects()
    seed_applications(app, startup, 5, 100)
    assert selects() == few
    assert "Sản phẩm 99" in client.get("/techfest/mine").get_data(as_text=True)
