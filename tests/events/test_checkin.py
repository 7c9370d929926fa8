"""Check-in at the door: staff only, one check-in per ticket, groups, wrong event, live counts."""

from __future__ import annotations

import threading
import time
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale

from ecosystem.auth.models import Role, User
from ecosystem.events.models import Event, Registration, RegistrationStatus
from ecosystem.events.tickets import check_in, extract_code
from ecosystem.extensions import db
from tests.concurrency import at_hook, race, without_row_locks
from tests.conftest import csrf_token_from
from tests.events.ticket_support import english, new_event, register, registration_state
from tests.factories import make_user


def staff_login(auth, forms, user) -> None:
    auth.login(user.email, user.password)
    english(forms)


def post_code(forms, slug, code, **extra):
    return forms.post(f"/events/{slug}/checkin", {"code": code, **extra})


def test_coordinator_checks_in_a_ticket_and_a_second_check_in_is_refused_with_the_first_time(app, forms, auth):
    event_id, slug, _ticket = new_event(app)
    [(registration_id, _status, code)] = register(app, event_id, make_user(app, full_name="Lê Văn Hùng").id)
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    staff_login(auth, forms, coordinator)

    page = forms.client.get(f"/events/{slug}/checkin")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="count-checked-in">0<' in html and 'id="count-registered">1<' in html
    assert 'src="/static/js/checkin.js"' in html and "<script>" not in html

    first = post_code(forms, slug, code)
    assert first.status_code == 200
    assert "Checked in: Lê Văn Hùng." in first.get_data(as_text=True)
    assert 'id="count-checked-in">1<' in first.get_data(as_text=True)
    state = registration_state(app, registration_id)
    assert state.status == RegistrationStatus.CHECKED_IN
    assert state.checked_in_by_id == coordinator.id and state.checked_in_at is not None

    second = post_code(forms, slug, code)
    assert second.status_code == 409
    local_time = state.checked_in_at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%H:%M")
    assert f"Already checked in at {local_time:.0}" in second.get_data(as_text=True)
    assert local_time in second.get_data(as_text=True)
    assert registration_state(app, registration_id).checked_in_at == state.checked_in_at
    # The scanner sends the ticket's URL: accepted as well, and refused in the same way.
    third = forms.client.post(f"/events/{slug}/checkin/scan", json={"code": f"http://localhost/tickets/{code}"},
                              headers={"X-CSRFToken": csrf_token_from(page.get_data(as_text=True))})
    assert third.status_code == 409 and third.json["ok"] is False
    assert third.json["counts"]["checked_in"] == 1
    assert third.json["message"].startswith("Already checked in at") and local_time in third.json["message"]


def test_json_endpoint_checks_in_and_needs_the_csrf_header(app, client, forms, auth):
    event_id, slug, _ticket = new_event(app)
    [(registration_id, _status, code)] = register(app, event_id, make_user(app).id)
    staff_login(auth, forms, make_user(app, roles=(Role.COORDINATOR,)))
    token = csrf_token_from(client.get(f"/events/{slug}/checkin").get_data(as_text=True))
    assert client.post(f"/events/{slug}/checkin/scan", json={"code": code}).status_code == 400
    response = client.post(f"/events/{slug}/checkin/scan", json={"code": code}, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert response.json["ok"] is True and response.json["counts"]["checked_in"] == 1
    assert client.get(f"/events/{slug}/checkin/counts").json["checked_in"] == 1
    for bad in ([], {"code": 5}, {"code": ["x"]}, "text"):
        answer = client.post(f"/events/{slug}/checkin/scan", json=bad, headers={"X-CSRFToken": token})
        assert answer.status_code == 400 and answer.json["ok"] is False


def test_bad_codes_get_clear_4xx_answers(app, forms, auth):
    event_id, slug, _ticket = new_event(app)
    register(app, event_id, make_user(app).id)
    staff_login(auth, forms, make_user(app, roles=(Role.COORDINATOR,)))
    assert post_code(forms, slug, "").status_code == 400
    assert "Type or scan a ticket code." in post_code(forms, slug, "   ").get_data(as_text=True)
    assert post_code(forms, slug, "x" * 10_000).status_code == 400
    assert post_code(forms, slug, "vé của tôi").status_code == 400
    unknown = post_code(forms, slug, "A" * 24)
    assert unknown.status_code == 404 and "No ticket has this code." in unknown.get_data(as_text=True)


def test_organiser_of_the_event_may_check_in_others_are_refused(app, client, forms, auth):
    organiser = make_user(app, roles=(Role.CLUB_LEADER,))
    other_organiser = make_user(app, roles=(Role.CLUB_LEADER,))
    member = make_user(app)
    event_id, slug, _ticket = new_event(app, organisers=[organiser.id])
    new_event(app, organisers=[other_organiser.id])
    [(_id, _status, code)] = register(app, event_id, member.id)

    assert client.get(f"/events/{slug}/checkin").status_code == 302  # anonymous: to the login page
    for outsider in (member, other_organiser):
        auth.login(outsider.email, outsider.password)
        assert client.get(f"/events/{slug}/checkin").status_code == 403
        token = csrf_token_from(client.get("/").get_data(as_text=True))
        assert client.post(f"/events/{slug}/checkin", data={"csrf_token": token, "code": code}).status_code == 403
        assert client.post(f"/events/{slug}/checkin/scan", json={"code": code},
                           headers={"X-CSRFToken": token}).status_code == 403
        assert client.get(f"/events/{slug}/checkin/counts").status_code == 403
        auth.logout()
    assert registration_state(app, _id).status == RegistrationStatus.CONFIRMED

    auth.login(organiser.email, organiser.password)
    assert post_code(forms, slug, code).status_code == 200
    assert registration_state(app, _id).status == RegistrationStatus.CHECKED_IN


def test_a_ticket_of_another_event_is_refused(app, forms, auth):
    event_id, slug, _ticket = new_event(app)
    other_id, _other_slug, _other_ticket = new_event(app)
    [(registration_id, _status, code)] = register(app, other_id, make_user(app).id)
    staff_login(auth, forms, make_user(app, roles=(Role.COORDINATOR,)))
    response = post_code(forms, slug, code)
    assert response.status_code == 409
    assert "This ticket is for another event." in response.get_data(as_text=True)
    assert registration_state(app, registration_id).status == RegistrationStatus.CONFIRMED


def test_waitlisted_and_cancelled_tickets_are_refused_with_the_reason(app):
    event_id, _slug, _ticket = new_event(app, capacity=1)
    [(first_id, _s, code)] = register(app, event_id, make_user(app).id)
    register(app, event_id, make_user(app).id)
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    with app.test_request_context(headers={"Accept-Language": "en"}), force_locale("en"):
        registration = db.session.get(Registration, first_id)
        registration.status = RegistrationStatus.CANCELLED
        db.session.commit()
        result = check_in(db.session.get(Event, event_id), code, db.session.get(User, coordinator.id))
        assert not result.ok and result.status_code == 409
        assert result.message == "This ticket was cancelled."
        registration.status = RegistrationStatus.WAITLISTED
        db.session.commit()
        result = check_in(db.session.get(Event, event_id), code, db.session.get(User, coordinator.id))
        assert "waitlist" in result.message


def test_the_group_leaders_ticket_checks_in_the_whole_group(app, forms, auth):
    leader, first, second = make_user(app), make_user(app), make_user(app)
    event_id, slug, _ticket = new_event(app)
    tickets = register(app, event_id, leader.id, others=[first.id, second.id])
    (leader_id, _s, leader_code), (first_id, _s1, first_code), (second_id, _s2, _c2) = tickets
    staff_login(auth, forms, make_user(app, roles=(Role.COORDINATOR,)))

    # A member's ticket is checked in on its own, and offers no group button.
    member_answer = post_code(forms, slug, first_code).get_data(as_text=True)
    assert "checkin-group-form" not in member_answer
    refused = post_code(forms, slug, first_code, group="1")
    assert refused.status_code == 409 and "Only the group leader" in refused.get_data(as_text=True)

    leader_answer = post_code(forms, slug, leader_code).get_data(as_text=True)
    assert "Check in the whole group (1)" in leader_answer  # the member already in is not counted
    group = post_code(forms, slug, leader_code, group="1")
    assert group.status_code == 200
    assert "Checked in the whole group: 1 person(s)." in group.get_data(as_text=True)
    assert {registration_state(app, rid).status for rid in (leader_id, first_id, second_id)} == {"checked-in"}
    again = post_code(forms, slug, leader_code, group="1")
    assert again.status_code == 409


def test_a_cancelled_leaders_ticket_checks_in_nobody_and_each_member_has_their_own_status(app, forms, auth):
    from ecosystem.events import registration as seats

    leader, first, second = make_user(app), make_user(app), make_user(app)
    event_id, slug, _ticket = new_event(app)
    tickets = register(app, event_id, leader.id, others=[first.id, second.id])
    (leader_id, _s, leader_code), (first_id, _s1, first_code), (second_id, _s2, second_code) = tickets
    with app.test_request_context():  # the leader and the first member cancel; the second keeps their ticket
        seats.cancel_registration(db.session.get(Registration, leader_id))
        seats.cancel_registration(db.session.get(Registration, first_id))
    staff_login(auth, forms, make_user(app, roles=(Role.COORDINATOR,)))

    leader_answer = post_code(forms, slug, leader_code)
    assert leader_answer.status_code == 409
    assert "This ticket was cancelled." in leader_answer.get_data(as_text=True)
    assert "checkin-group-form" not in leader_answer.get_data(as_text=True)  # no "whole group" button
    group = post_code(forms, slug, leader_code, group="1")
    assert group.status_code == 409 and "This ticket was cancelled." in group.get_data(as_text=True)
    assert [registration_state(app, rid).status for rid in (leader_id, first_id, second_id)] == [
        "cancelled", "cancelled", "confirmed"]
    # Each member's own ticket decides.
    assert post_code(forms, slug, first_code).status_code == 409
    assert post_code(forms, slug, second_code).status_code == 200
    assert registration_state(app, second_id).status == RegistrationStatus.CHECKED_IN
    assert registration_state(app, first_id).status == RegistrationStatus.CANCELLED


def test_a_checked_in_leader_still_checks_in_the_rest_of_the_group(app):
    leader, member = make_user(app), make_user(app)
    event_id, _slug, _ticket = new_event(app)
    (leader_id, _s, leader_code), (member_id, _s1, _code) = register(app, event_id, leader.id, others=[member.id])
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    with app.test_request_context():
        event, staff = db.session.get(Event, event_id), db.session.get(User, coordinator.id)
        assert check_in(event, leader_code, staff).group_remaining == 1
        result = check_in(event, leader_code, staff, whole_group=True)
        assert result.ok and [item.id for item in result.checked_in] == [member_id]
    assert registration_state(app, member_id).status == RegistrationStatus.CHECKED_IN


def test_extract_code_accepts_the_ticket_url():
    assert extract_code(" https://startup.thainguyen.gov.vn/tickets/AbC-_12345678?x=1 ") == "AbC-_12345678"
    assert extract_code("AbC-_12345678") == "AbC-_12345678"


def _race_scanners(app, scanners: int = 6) -> tuple[list[bool], int]:
    event_id, _slug, _ticket = new_event(app)
    [(registration_id, _status, code)] = register(app, event_id, make_user(app).id)
    staff = [make_user(app, roles=(Role.COORDINATOR,)) for _ in range(scanners)]
    barrier = threading.Barrier(len(staff))
    results, errors = [], []

    def scan(staff_id):
        try:
            with app.test_request_context():
                event = db.session.get(Event, event_id)
                user = db.session.get(User, staff_id)
                db.session.commit()
                barrier.wait(10)
                results.append(check_in(event, code, user).ok)
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported by the caller's assertion
            errors.append(error)

    race(*[partial(scan, user.id) for user in staff], timeout=30)
    assert errors == []
    assert registration_state(app, registration_id).status == RegistrationStatus.CHECKED_IN
    return results, registration_id


@pytest.mark.postgresql
@pytest.mark.committing
def test_scanners_at_once_only_one_succeeds(app, monkeypatch):
    # Every scanner pauses between reading the ticket and writing: without the row lock they would all pass.
    at_hook(monkeypatch, "events.ticket_read", lambda: time.sleep(0.2))
    results, _id = _race_scanners(app)
    assert sorted(results) == [False] * 5 + [True]


@pytest.mark.postgresql
@pytest.mark.committing
def test_negative_control_without_the_row_lock_several_scanners_succeed(app, monkeypatch):
    """Proves the race test above bites: the same race with the lock switched off double-checks-in."""
    without_row_locks(monkeypatch, "events.tickets")
    at_hook(monkeypatch, "events.ticket_read", lambda: time.sleep(0.2))
    results, _id = _race_scanners(app)
    assert results.count(True) > 1
