"""Registration through the event page: oneself, a group, refusals, my registrations, approval."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ecosystem.auth.models import Role, User
from ecosystem.core.localtime import to_local
from ecosystem.events import management
from ecosystem.events.models import Event, Order, Registration, RegistrationStatus
from ecosystem.extensions import db
from ecosystem.startups.members import add_member
from ecosystem.startups.models import Startup
from tests.factories import make_event, make_startup, make_user


def _english(forms):
    forms.post("/language", {"lang": "en"}, form_page="/")


def _registrations(app, event_id: int) -> list[tuple[int, str]]:
    with app.app_context():
        return sorted(db.session.execute(
            select(Registration.attendee_id, Registration.status).where(Registration.event_id == event_id)
        ).tuples())


def _orders(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Order))


def _register(forms, event, data: dict):
    return forms.post(f"/events/{event.slug}/register", data, form_page=f"/events/{event.slug}")


def test_a_member_registers_for_a_free_event_and_sees_the_ticket_link(app, client, auth, forms):
    event = make_event(app, title="Workshop gọi vốn thiên thần",
                       questions=[{"label": "Startup của bạn", "kind": "text", "required": True},
                                  {"label": "Ăn trưa", "kind": "yes-no"}])
    member = make_user(app)
    auth.login(member.email, member.password)
    _english(forms)
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Register myself" in page and "Startup của bạn" in page
    response = _register(forms, event, {"ticket_type_id": str(event.ticket_type_ids[0]),
                                         f"q-{event.question_ids[0]}": "Trà xanh Tân Cương",
                                         f"q-{event.question_ids[1]}": "yes"})
    assert response.status_code == 302 and response.headers["Location"] == "/events/mine"
    assert _registrations(app, event.id) == [(member.id, RegistrationStatus.CONFIRMED)]
    mine = client.get("/events/mine").get_data(as_text=True)
    assert "Workshop gọi vốn thiên thần" in mine and "/tickets/" in mine
    assert "You are registered" in client.get(f"/events/{event.slug}").get_data(as_text=True)


def test_registration_needs_an_account(app, client, forms):
    event = make_event(app)
    assert "/auth/login?next=" in client.get(f"/events/{event.slug}").get_data(as_text=True)
    response = client.post(f"/events/{event.slug}/register", data={"ticket_type_id": "1"})
    assert response.status_code in (302, 400, 401)
    assert _registrations(app, event.id) == []


def _closed_event(app):
    local_now = to_local(management.utcnow())
    return make_event(app, registration_opens_at=local_now - timedelta(days=3),
                      registration_closes_at=local_now - timedelta(hours=1))


@pytest.mark.parametrize("case", ["closed", "cancelled"])
def test_registration_is_refused_when_not_open(app, client, auth, forms, case):
    event = _closed_event(app) if case == "closed" else make_event(app)
    member = make_user(app)
    auth.login(member.email, member.password)
    _english(forms)
    form_page = client.get(f"/events/{event.slug}")
    assert form_page.status_code == 200
    if case == "cancelled":
        with app.test_request_context():
            management.cancel_event(db.session.get(Event, event.id))
    # Post with a token fetched from another page of the site.
    response = forms.post(f"/events/{event.slug}/register", {"ticket_type_id": str(event.ticket_type_ids[0])},
                          form_page="/events/mine")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    expected = "This event is cancelled." if case == "cancelled" else "Registration for this event is not open."
    assert expected in body
    assert _registrations(app, event.id) == []


def test_a_draft_cannot_be_registered_for(app, client, auth, forms):
    event = make_event(app, publish=False)
    member = make_user(app)
    auth.login(member.email, member.password)
    response = forms.post(f"/events/{event.slug}/register", {"ticket_type_id": str(event.ticket_type_ids[0])},
                          form_page="/events/mine")
    assert response.status_code == 404
    assert _registrations(app, event.id) == [] and _orders(app) == 0


def test_a_missing_required_answer_is_refused(app, client, auth, forms):
    event = make_event(app, questions=[{"label": "Số điện thoại liên hệ", "kind": "text", "required": True}])
    member = make_user(app)
    auth.login(member.email, member.password)
    _english(forms)
    response = _register(forms, event, {"ticket_type_id": str(event.ticket_type_ids[0])})
    assert response.status_code == 422
    assert "Please answer “Số điện thoại liên hệ”." in response.get_data(as_text=True)
    assert _registrations(app, event.id) == [] and _orders(app) == 0


def test_an_unknown_ticket_type_or_junk_is_refused(app, client, auth, forms):
    event = make_event(app)
    other = make_event(app)
    member = make_user(app)
    auth.login(member.email, member.password)
    for value in (str(other.ticket_type_ids[0]), "abc", "-1", "9" * 40, ""):
        response = _register(forms, event, {"ticket_type_id": value})
        assert response.status_code == 422, value
    assert _registrations(app, event.id) == []


def _founder_with_members(app, count: int):
    founder = make_user(app, roles=(Role.FOUNDER,), full_name="Đỗ Minh Châu")
    startup = make_startup(app, owner=founder, name="Chè Thái Xanh")
    members = [make_user(app, full_name=f"Thành viên {number}") for number in range(count)]
    with app.app_context():
        model = db.session.get(Startup, startup.id)
        for member in members:
            add_member(model, db.session.get(User, member.id))
        db.session.commit()
    return founder, members


def test_a_founder_registers_the_members_of_their_startup(app, client, auth, forms, mailbox, deliver_mail):
    founder, members = _founder_with_members(app, 2)
    event = make_event(app, tickets=[{"name": "Vé nhóm", "capacity": 20, "per_person_limit": 3}])
    auth.login(founder.email, founder.password)
    _english(forms)
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Register my startup or team" in page and "Thành viên 0" in page
    ticket = str(event.ticket_type_ids[0])
    response = _register(forms, event, {
        "group": "1", "self": "1", "ticket_type_id": ticket,
        "member": [str(member.id) for member in members],
        **{f"ticket-{member.id}": ticket for member in members},
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _registrations(app, event.id) == sorted(
        (user.id, RegistrationStatus.CONFIRMED) for user in (founder, *members))
    assert _orders(app) == 1
    report = deliver_mail()
    assert len(report.sent) == 3, report


def test_the_per_person_limit_is_enforced_for_groups(app, client, auth, forms):
    founder, members = _founder_with_members(app, 2)
    event = make_event(app, tickets=[{"name": "Vé", "capacity": 20, "per_person_limit": 2}])
    auth.login(founder.email, founder.password)
    _english(forms)
    ticket = str(event.ticket_type_ids[0])
    response = _register(forms, event, {
        "group": "1", "self": "1", "ticket_type_id": ticket, "member": [str(member.id) for member in members],
        **{f"ticket-{member.id}": ticket for member in members},
    })
    assert response.status_code == 422
    assert "at most 2 ticket(s)" in response.get_data(as_text=True)
    assert _registrations(app, event.id) == [] and _orders(app) == 0


def test_a_stranger_cannot_be_registered_by_someone_else(app, client, auth, forms):
    founder, _members = _founder_with_members(app, 1)
    stranger = make_user(app, full_name="Người lạ")
    event = make_event(app, tickets=[{"name": "Vé", "capacity": 20, "per_person_limit": 5}])
    auth.login(founder.email, founder.password)
    _english(forms)
    ticket = str(event.ticket_type_ids[0])
    response = _register(forms, event, {"group": "1", "member": [str(stranger.id)], f"ticket-{stranger.id}": ticket})
    assert response.status_code == 422
    assert "You may register only yourself and members of your startup or team." in response.get_data(as_text=True)
    assert "Người lạ" not in response.get_data(as_text=True)  # a guessed id never reveals its owner's name
    # A member without any startup or team cannot register others either.
    auth.logout()
    member = make_user(app)
    auth.login(member.email, member.password)
    response = _register(forms, event, {"group": "1", "member": [str(stranger.id)], f"ticket-{stranger.id}": ticket})
    assert response.status_code == 422
    assert _registrations(app, event.id) == []


def test_cancel_from_my_registrations_and_nobody_else_can(app, client, auth, forms):
    event = make_event(app)
    member = make_user(app)
    auth.login(member.email, member.password)
    assert _register(forms, event, {"ticket_type_id": str(event.ticket_type_ids[0])}).status_code == 302
    with app.app_context():
        registration_id = db.session.scalar(select(Registration.id).where(Registration.attendee_id == member.id))
    auth.logout()
    intruder = make_user(app)
    auth.login(intruder.email, intruder.password)
    assert client.get(f"/events/registrations/{registration_id}/cancel").status_code == 404
    assert forms.post(f"/events/registrations/{registration_id}/cancel", {"confirm": "1"},
                      form_page="/events/mine").status_code == 404
    assert _registrations(app, event.id) == [(member.id, RegistrationStatus.CONFIRMED)]
    auth.logout()
    auth.login(member.email, member.password)
    # Without the confirmation step's field, a cancel button leads to the confirmation page: nothing changes.
    unconfirmed = forms.post(f"/events/registrations/{registration_id}/cancel", {}, form_page="/events/mine")
    assert unconfirmed.status_code == 303
    assert unconfirmed.headers["Location"] == f"/events/registrations/{registration_id}/cancel"
    assert _registrations(app, event.id) == [(member.id, RegistrationStatus.CONFIRMED)]
    assert forms.post(f"/events/registrations/{registration_id}/cancel", {"confirm": "1"},
                      form_page="/events/mine").status_code == 303
    assert _registrations(app, event.id) == [(member.id, RegistrationStatus.CANCELLED)]


def test_an_organiser_approves_a_pending_registration(app, client, auth, forms):
    organiser = make_user(app)
    event = make_event(app, organisers=(organiser,),
                       tickets=[{"name": "Vé duyệt", "capacity": 5, "requires_approval": True}])
    member = make_user(app, full_name="Vũ Thị Mai")
    auth.login(member.email, member.password)
    assert _register(forms, event, {"ticket_type_id": str(event.ticket_type_ids[0])}).status_code == 302
    assert _registrations(app, event.id) == [(member.id, RegistrationStatus.PENDING_APPROVAL)]
    with app.app_context():
        registration_id = db.session.scalar(select(Registration.id))
    # The attendee cannot approve themselves.
    assert forms.post(f"/events/{event.slug}/registrations/{registration_id}/approve", {},
                      form_page="/events/mine").status_code == 403
    auth.logout()
    auth.login(organiser.email, organiser.password)
    page = client.get(f"/events/{event.slug}/registrations").get_data(as_text=True)
    assert "Vũ Thị Mai" in page
    assert forms.post(f"/events/{event.slug}/registrations/{registration_id}/approve", {},
                      form_page=f"/events/{event.slug}/registrations").status_code == 302
    assert _registrations(app, event.id) == [(member.id, RegistrationStatus.CONFIRMED)]


def test_a_full_ticket_type_puts_people_on_the_waitlist(app, client, auth, forms):
    event = make_event(app, tickets=[{"name": "Vé", "capacity": 1}])
    first, second = make_user(app), make_user(app)
    for user in (first, second):
        auth.login(user.email, user.password)
        assert _register(forms, event, {"ticket_type_id": str(event.ticket_type_ids[0])}).status_code == 302
        auth.logout()
    assert _registrations(app, event.id) == [(first.id, RegistrationStatus.CONFIRMED),
                                             (second.id, RegistrationStatus.WAITLISTED)]
    _english(forms)
    assert "Full: waitlist" in client.get(f"/events/{event.slug}").get_data(as_text=True)


def test_a_guessed_user_id_never_reveals_that_users_name(app, client, auth, forms):
    """Whatever a buyer posts as attendee ids, the answer names only people they may register."""
    founder, members = _founder_with_members(app, 1)
    stranger = make_user(app, full_name="Phạm Thị Bí Mật")
    event = make_event(app, tickets=[{"name": "Vé", "capacity": 20, "per_person_limit": 5}])
    auth.login(founder.email, founder.password)
    _english(forms)
    ticket = str(event.ticket_type_ids[0])
    for member_ids in ([stranger.id, stranger.id], [members[0].id, stranger.id, stranger.id],
                       [stranger.id, members[0].id]):
        response = _register(forms, event, {
            "group": "1", "self": "1", "ticket_type_id": ticket, "member": [str(user_id) for user_id in member_ids],
            **{f"ticket-{user_id}": ticket for user_id in member_ids},
        })
        body = response.get_data(as_text=True)
        assert response.status_code == 422, member_ids
        assert "Phạm Thị Bí Mật" not in body and "You may register only yourself" in body, member_ids
    # Someone the buyer may register is named when listed twice: the buyer chose them from the list.
    response = _register(forms, event, {
        "group": "1", "self": "1", "ticket_type_id": ticket, "member": [str(members[0].id)] * 2,
        f"ticket-{members[0].id}": ticket,
    })
    assert response.status_code == 422 and "Thành viên 0 is listed twice." in response.get_data(as_text=True)
    assert _registrations(app, event.id) == [] and _orders(app) == 0
