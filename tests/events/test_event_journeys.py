"""Journeys of issue 10: a club leader registers their team, staff find people at the door, organisers decline
with a reason, attendees confirm a cancellation and see what comes back; weekday dates and the map link."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from ecosystem.auth.models import Role, User
from ecosystem.clubs.models import ClubRole
from ecosystem.core.localtime import to_local
from ecosystem.events.models import Event, Registration, RegistrationStatus
from ecosystem.extensions import db
from ecosystem.mail.models import OutboxMessage
from ecosystem.startups.members import add_member
from ecosystem.startups.models import Startup
from ecosystem.timeutil import utcnow
from tests.factories import add_club_member, make_club, make_event, make_startup, make_team, make_user
from tests.payments.conftest import stripe_off  # noqa: F401 - fixture


def _english(forms):
    forms.post("/language", {"lang": "en"}, form_page="/")


def _register(forms, event, data: dict):
    return forms.post(f"/events/{event.slug}/register", data, form_page=f"/events/{event.slug}")


def _statuses(app, event_id: int) -> dict[int, tuple[str, int]]:
    """attendee id → (status, ticket type id) of their active registration."""
    with app.app_context():
        return {attendee: (status, ticket) for attendee, status, ticket in db.session.execute(
            select(Registration.attendee_id, Registration.status, Registration.ticket_type_id)
            .where(Registration.event_id == event_id, Registration.status != RegistrationStatus.CANCELLED)
        )}


def _club_with_two_teams(app):
    """A club leader, two teams sharing one student (Lan), and one more student in each team."""
    leader = make_user(app, roles=(Role.CLUB_LEADER,), full_name="Hoàng Văn Đội Trưởng")
    club = make_club(app, leader=leader, name="CLB Khởi nghiệp Nông Lâm")
    shared = add_club_member(app, club, make_user(app, full_name="Nguyễn Thị Lan"))
    first = add_club_member(app, club, make_user(app, full_name="Trần Minh Anh"))
    second = add_club_member(app, club, make_user(app, full_name="Lê Quốc Bảo"))
    make_team(app, club, members=[shared, first], name="Đội Chè Xanh")
    make_team(app, club, members=[shared, second], name="Đội Nấm Sạch")
    return leader, shared, first, second


# --- 1. A club leader who registered themselves registers their team -----------------------------------


def test_a_registered_leader_still_registers_the_team_each_person_once_with_each_rows_ticket(
        app, client, auth, forms):
    leader, shared, first, second = _club_with_two_teams(app)
    event = make_event(app, tickets=[{"name": "Vé sinh viên", "capacity": 10, "per_person_limit": 5},
                                     {"name": "Vé triển lãm", "capacity": 1, "per_person_limit": 5}])
    student, booth = (str(ticket) for ticket in event.ticket_type_ids)
    auth.login(leader.email, leader.password)
    _english(forms)
    assert _register(forms, event, {"ticket_type_id": student}).status_code == 302
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "You are registered: Confirmed." in page
    assert "Register my startup or team" in page  # the team form is still there
    assert 'name="self"' not in page  # the leader cannot register themselves twice
    assert page.count(f'name="member" type="checkbox" value="{shared.id}"') == 1  # Lan listed once
    assert page.count(f'name="ticket-{shared.id}"') == 1
    assert "Also in: Đội Nấm Sạch · CLB Khởi nghiệp Nông Lâm" in page

    response = _register(forms, event, {
        "group": "1", "member": [str(shared.id), str(first.id), str(second.id)],
        f"ticket-{shared.id}": booth, f"ticket-{first.id}": student, f"ticket-{second.id}": booth,
    })
    assert response.status_code == 302
    statuses = _statuses(app, event.id)
    # Each row's own ticket: Lan took the one booth seat, Bảo asked for a booth too and waits.
    assert statuses[shared.id] == (RegistrationStatus.CONFIRMED, int(booth))
    assert statuses[first.id] == (RegistrationStatus.CONFIRMED, int(student))
    assert statuses[second.id] == (RegistrationStatus.WAITLISTED, int(booth))
    assert statuses[leader.id] == (RegistrationStatus.CONFIRMED, int(student))

    summary_url = response.headers["Location"]
    assert summary_url.startswith(f"/events/{event.slug}/orders/")
    summary = client.get(summary_url).get_data(as_text=True)
    chè, nấm = summary.index("Đội Chè Xanh"), summary.index("Đội Nấm Sạch")
    assert "Nguyễn Thị Lan</strong>:" in summary[chè:nấm] and "Nguyễn Thị Lan" not in summary[nấm:]
    assert "Lê Quốc Bảo</strong>:" in summary[nấm:] and "on the waitlist" in summary[nấm:]
    assert summary[chè:nấm].count("registered (Confirmed)") == 2

    # Someone else cannot read the order; nor does the leader see other events' order ids.
    auth.logout()
    intruder = make_user(app)
    auth.login(intruder.email, intruder.password)
    assert client.get(summary_url).status_code == 404


def test_the_outcome_page_says_why_a_team_member_is_not_registered(app, client, auth, forms):
    leader, shared, first, second = _club_with_two_teams(app)
    event = make_event(app, tickets=[{"name": "Vé", "capacity": 10, "per_person_limit": 5}])
    ticket = str(event.ticket_type_ids[0])
    auth.login(second.email, second.password)  # Bảo registered on his own before
    assert _register(forms, event, {"ticket_type_id": ticket}).status_code == 302
    auth.logout()
    auth.login(leader.email, leader.password)
    _english(forms)
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert f'value="{second.id}"' not in page and "already registered: Confirmed" in page
    response = _register(forms, event, {"group": "1", "self": "1", "ticket_type_id": ticket,
                                        "member": [str(first.id)], f"ticket-{first.id}": ticket})
    summary = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nguyễn Thị Lan</strong>:" in summary and "not registered: not chosen in this registration" in summary
    assert "registered earlier (Confirmed)" in summary  # Bảo
    assert "Hoàng Văn Đội Trưởng</strong>:" in summary  # the leader's own line


def test_a_group_order_of_paid_seats_lists_a_pay_link_for_each(app, client, auth, forms, stripe_off):  # noqa: F811
    founder = make_user(app, roles=(Role.FOUNDER,), full_name="Đỗ Minh Châu")
    startup = make_startup(app, owner=founder, name="Chè Thái Xanh")
    member = make_user(app, full_name="Thành viên Một")
    with app.app_context():
        add_member(db.session.get(Startup, startup.id), db.session.get(User, member.id))
        db.session.commit()
    event = make_event(app, tickets=[{"name": "Học viên", "price_vnd": 300_000, "capacity": 5, "per_person_limit": 2}],
                       bank_bin="970436", bank_account_number="0011001234567", bank_account_name="SO KHCN")
    ticket = str(event.ticket_type_ids[0])
    auth.login(founder.email, founder.password)
    response = _register(forms, event, {"group": "1", "self": "1", "ticket_type_id": ticket,
                                        "member": [str(member.id)], f"ticket-{member.id}": ticket})
    summary = client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        ids = db.session.scalars(select(Registration.id).where(Registration.event_id == event.id)).all()
    assert len(ids) == 2
    for registration_id in ids:
        assert f"/payments/registrations/{registration_id}/pay" in summary


# --- 6. A paid registration goes to its payment page ----------------------------------------------------


def test_a_paid_registration_lands_on_its_payment_page_with_the_banks_name(app, client, auth, forms, stripe_off):  # noqa: F811
    event = make_event(app, tickets=[{"name": "Học viên", "price_vnd": 300_000, "capacity": 5}],
                       bank_bin="970436", bank_account_number="0011001234567", bank_account_name="SO KHCN")
    member = make_user(app)
    auth.login(member.email, member.password)
    response = _register(forms, event, {"ticket_type_id": str(event.ticket_type_ids[0])})
    with app.app_context():
        registration_id = db.session.scalar(select(Registration.id).where(Registration.attendee_id == member.id))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/payments/registrations/{registration_id}/pay"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Vietcombank" in page and "Ngân hàng TMCP Ngoại thương Việt Nam" in page
    assert "trong ngày làm việc" in page and "72 giờ" in page


# --- 3. Check-in: linked, searchable, and a second scan says when and by whom ------------------------------


def _event_with_attendees(app, organiser=None):
    event = make_event(app, organisers=(organiser,) if organiser else (),
                       tickets=[{"name": "Vé thường", "capacity": 50},
                                {"name": "Vé duyệt", "capacity": 5, "requires_approval": True}])
    people = {
        "lan": make_user(app, full_name="Nguyễn Thị Lan", email="lan.nguyen@example.com"),
        "long": make_user(app, full_name="Phạm Văn Long"),
        "hoa": make_user(app, full_name="Đặng Thị Hoa"),
    }
    with app.app_context():
        db.session.get(User, people["long"].id).phone = "0912 345 678"
        db.session.commit()
    with app.test_request_context():
        from ecosystem.events.registration import register
        from ecosystem.events.registration_checks import AttendeeRequest

        model = db.session.get(Event, event.id)
        for key in ("lan", "long"):
            user = db.session.get(User, people[key].id)
            register(model, user, [AttendeeRequest(user, event.ticket_type_ids[0])])
        hoa = db.session.get(User, people["hoa"].id)
        register(model, hoa, [AttendeeRequest(hoa, event.ticket_type_ids[1])])  # awaits approval
    return event, people


def test_check_in_is_linked_from_the_management_and_registrations_pages(app, client, auth):
    event, _people = _event_with_attendees(app)
    auth.login(event.creator.email, event.creator.password)
    for page in (f"/events/{event.slug}/manage", f"/events/{event.slug}/registrations"):
        assert f'href="/events/{event.slug}/checkin"' in client.get(page).get_data(as_text=True), page


def test_staff_find_people_without_accents_by_name_email_or_phone_and_check_them_in(app, client, auth, forms):
    coordinator = make_user(app, roles=(Role.COORDINATOR,), full_name="Vũ Thị Điều Phối")
    event, people = _event_with_attendees(app)
    auth.login(coordinator.email, coordinator.password)
    _english(forms)
    url = f"/events/{event.slug}/checkin"
    page = client.get(url + "?q=nguyen thi lan").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in page and "Phạm Văn Long" not in page and "1 person found." in page
    assert "Phạm Văn Long" in client.get(url + "?q=912345").get_data(as_text=True)
    assert "Phạm Văn Long" in client.get(url + "?q=%2B84 912 345 678").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in client.get(url + "?q=LAN.NGUYEN@").get_data(as_text=True)
    hoa = client.get(url + "?q=dang thi hoa").get_data(as_text=True)
    assert "Awaiting approval: no valid ticket to check in." in hoa
    assert "Nobody registered for this event matches" in client.get(url + "?q=tran").get_data(as_text=True)

    with app.app_context():
        lan = db.session.scalar(select(Registration).where(Registration.attendee_id == people["lan"].id))
        code = lan.ticket_code
    page = client.get(url + "?q=lan").get_data(as_text=True)
    assert f'name="code" value="{code}"' in page
    without_token = client.post(url, data={"code": code, "q": "lan"})
    assert without_token.status_code == 400
    response = forms.post(url, {"code": code, "q": "lan"}, form_page=url + "?q=lan")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Checked in: Nguyễn Thị Lan." in body
    assert "by Vũ Thị Điều Phối." in body  # the search result shows who checked her in
    again = forms.post(url, {"code": code}, form_page=url)
    assert again.status_code == 409
    message = again.get_data(as_text=True)
    with app.app_context():
        lan = db.session.get(Registration, lan.id)
        assert lan.status == RegistrationStatus.CHECKED_IN and lan.checked_in_by_id == coordinator.id
        local = to_local(lan.checked_in_at)
    assert f"Already checked in at {local.strftime('%-d %b %Y, %H:%M')} by Vũ Thị Điều Phối." in message


def test_the_search_is_for_the_events_staff_only(app, client, auth):
    organiser = make_user(app)
    event, _people = _event_with_attendees(app, organiser=organiser)
    other_event = make_event(app)
    auth.login(organiser.email, organiser.password)
    assert "Nguyễn Thị Lan" in client.get(f"/events/{event.slug}/checkin?q=lan").get_data(as_text=True)
    assert client.get(f"/events/{other_event.slug}/checkin?q=lan").status_code == 403
    auth.logout()
    attendee = make_user(app)
    auth.login(attendee.email, attendee.password)
    response = client.get(f"/events/{event.slug}/checkin?q=lan")
    assert response.status_code == 403 and "Nguyễn Thị Lan" not in response.get_data(as_text=True)


def test_the_search_runs_two_queries_whatever_the_number_of_registrations(app, count_queries):
    from ecosystem.events.tickets import find_attendees

    event, _people = _event_with_attendees(app)
    with app.app_context():
        model = db.session.get(Event, event.id)
        with count_queries() as statements:
            found, more = find_attendees(model, "thi")
        assert [registration.attendee.full_name for registration in found] == ["Đặng Thị Hoa", "Nguyễn Thị Lan"]
        assert not more and len(statements) <= 2
        assert find_attendees(model, "l") == ([], False)  # one letter finds nobody


# --- 9. Declining with a reason; Có/Không; phone and organisation in exports -----------------------------


def test_an_organiser_declines_with_a_reason_that_is_stored_and_emailed(app, client, auth, forms):
    organiser = make_user(app, full_name="Ban Tổ Chức")
    event = make_event(app, organisers=(organiser,),
                       tickets=[{"name": "Vé duyệt", "capacity": 1, "requires_approval": True}])
    asking, waiting = make_user(app, full_name="Vũ Thị Mai"), make_user(app, full_name="Lý Văn Chờ")
    for user in (asking, waiting):
        auth.login(user.email, user.password)
        assert _register(forms, event, {"ticket_type_id": str(event.ticket_type_ids[0])}).status_code == 302
        auth.logout()
    with app.app_context():
        registration_id = db.session.scalar(select(Registration.id).where(Registration.attendee_id == asking.id))
    url = f"/events/{event.slug}/registrations/{registration_id}/decline"
    # The person cannot decline (or see) it; a reason is required.
    auth.login(asking.email, asking.password)
    assert forms.post(url, {"reason": "x"}, form_page="/events/mine").status_code == 403
    auth.logout()
    auth.login(organiser.email, organiser.password)
    _english(forms)
    empty = forms.post(url, {"reason": "   "}, form_page=f"/events/{event.slug}/registrations")
    assert empty.status_code == 422 and "Please give the reason for declining." in empty.get_data(as_text=True)
    too_long = forms.post(url, {"reason": "x" * 501}, form_page=f"/events/{event.slug}/registrations")
    assert too_long.status_code == 422 and "x" * 501 in too_long.get_data(as_text=True)  # kept to correct
    assert _statuses(app, event.id)[asking.id][0] == RegistrationStatus.PENDING_APPROVAL

    reason = "Hội thảo dành cho startup đã có sản phẩm; hẹn bạn ở đợt sau."
    response = forms.post(url, {"reason": reason}, form_page=f"/events/{event.slug}/registrations")
    assert response.status_code == 303
    with app.app_context():
        declined = db.session.get(Registration, registration_id)
        assert declined.status == RegistrationStatus.CANCELLED
        assert declined.decline_reason == reason and declined.declined_by_id == organiser.id
        assert declined.declined_at is not None
        mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == asking.email,
                                                             OutboxMessage.template == "events/mail/declined"))
        assert mail is not None and reason in mail.body_text and "không được chấp thuận" in mail.subject
    assert _statuses(app, event.id)[waiting.id][0] == RegistrationStatus.PENDING_APPROVAL  # the freed seat
    page = client.get(f"/events/{event.slug}/registrations").get_data(as_text=True)
    assert "Declined" in page and f"Reason: {reason}" in page
    again = forms.post(url, {"reason": reason}, form_page=f"/events/{event.slug}/registrations")
    assert again.status_code == 422 and "not waiting for approval" in again.get_data(as_text=True)


def test_yes_no_answers_read_co_khong_and_exports_carry_phone_and_organisation(app, client, auth, forms):
    event = make_event(app, questions=[{"label": "Ăn trưa", "kind": "yes-no"}])
    founder = make_user(app, roles=(Role.FOUNDER,), full_name="Đỗ Minh Châu")
    make_startup(app, owner=founder, name="Chè Thái Xanh")
    leader = make_user(app, roles=(Role.CLUB_LEADER,))
    club = make_club(app, leader=leader, name="CLB Khởi nghiệp Nông Lâm")
    student = add_club_member(app, club, make_user(app, full_name="Sinh Viên Một"), role=ClubRole.MEMBER)
    make_team(app, club, members=[student], name="Đội Nấm Sạch")
    with app.app_context():
        db.session.get(User, founder.id).phone = "0912345678"
        db.session.commit()
    for user, answer in ((founder, "yes"), (student, "no")):
        auth.login(user.email, user.password)
        assert _register(forms, event, {"ticket_type_id": str(event.ticket_type_ids[0]),
                                        f"q-{event.question_ids[0]}": answer}).status_code == 302
        auth.logout()
    auth.login(event.creator.email, event.creator.password)
    page = client.get(f"/events/{event.slug}/registrations").get_data(as_text=True)
    assert 'data-label="Ăn trưa">Có</td>' in page and 'data-label="Ăn trưa">Không</td>' in page
    assert ">yes<" not in page and ">no<" not in page
    body = client.get(f"/events/{event.slug}/registrations.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body)))
    header = rows[0]
    assert header[:4] == ["Họ và tên", "Email", "Số điện thoại", "Đơn vị"], header
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_name["Đỗ Minh Châu"]["Số điện thoại"] == "0912345678"
    assert by_name["Đỗ Minh Châu"]["Đơn vị"] == "Chè Thái Xanh"
    assert by_name["Sinh Viên Một"]["Đơn vị"] == "Đội Nấm Sạch · CLB Khởi nghiệp Nông Lâm"
    assert by_name["Đỗ Minh Châu"]["Ăn trưa"] == "Có" and by_name["Sinh Viên Một"]["Ăn trưa"] == "Không"


# --- 7. Cancelling asks first, says what is refunded, and is not offered after the event -------------------


def test_cancelling_asks_first_and_is_refused_once_the_event_is_over(app, client, auth, forms):
    event = make_event(app)
    member = make_user(app)
    auth.login(member.email, member.password)
    _english(forms)
    assert _register(forms, event, {"ticket_type_id": str(event.ticket_type_ids[0])}).status_code == 302
    with app.app_context():
        registration_id = db.session.scalar(select(Registration.id).where(Registration.attendee_id == member.id))
    mine = client.get("/events/mine").get_data(as_text=True)
    assert f'href="/events/registrations/{registration_id}/cancel"' in mine  # a link to the confirmation
    confirm = client.get(f"/events/registrations/{registration_id}/cancel").get_data(as_text=True)
    assert "Cancel this registration?" in confirm and "Nothing was paid for this registration." in confirm
    assert 'name="confirm" value="1"' in confirm

    with app.app_context():  # the event took place
        model = db.session.get(Event, event.id)
        model.starts_at, model.ends_at = utcnow() - timedelta(hours=5), utcnow() - timedelta(hours=1)
        db.session.commit()
    mine = client.get("/events/mine").get_data(as_text=True)
    assert f"/events/registrations/{registration_id}/cancel" not in mine
    assert client.get(f"/events/registrations/{registration_id}/cancel").status_code == 409
    refused = forms.post(f"/events/registrations/{registration_id}/cancel", {"confirm": "1"},
                         form_page="/events/mine")
    assert refused.status_code == 409
    assert "The event is over: its registrations can no longer be cancelled." in refused.get_data(as_text=True)
    assert _statuses(app, event.id)[member.id][0] == RegistrationStatus.CONFIRMED


# --- 16. Weekday dates and the map link -----------------------------------------------------------------


def test_event_dates_name_the_weekday_and_the_page_links_a_map(app, client):
    event = make_event(app, address="Số 513 đường Phan Đình Phùng")
    with app.app_context():
        starts = to_local(db.session.get(Event, event.id).starts_at)
    weekdays = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
    expected = f"{starts:%H:%M}, {weekdays[starts.weekday()]}, {starts:%d/%m/%Y}"
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert expected in page
    assert ('href="https://www.openstreetmap.org/search?query=S%E1%BB%91%20513%20%C4%91%C6%B0%E1%BB%9Dng%20Phan'
            in page)
    assert "Th%C3%A1i%20Nguy%C3%AAn" in page  # the province narrows the search
    assert expected in client.get("/events/").get_data(as_text=True)  # the list's cards too


def test_an_online_event_has_no_map_link(app, client):
    event = make_event(app, venue_name="", address="", online_url="https://meet.example.vn/hoi-thao")
    assert "openstreetmap.org" not in client.get(f"/events/{event.slug}").get_data(as_text=True)


# --- constant queries -----------------------------------------------------------------------------------


def _team_of(app, size: int):
    leader = make_user(app, roles=(Role.CLUB_LEADER,))
    club = make_club(app, leader=leader)
    members = [add_club_member(app, club, make_user(app, full_name=f"Sinh viên {index}")) for index in range(size)]
    make_team(app, club, members=members)
    make_team(app, club, members=members[: max(1, size // 2)])  # half of them in a second team too
    return leader, members


def _registered_team(app, client, auth, forms, size: int):
    leader, members = _team_of(app, size)
    event = make_event(app, tickets=[{"name": "Vé", "capacity": 100, "per_person_limit": 50}],
                       questions=[{"label": "Ăn trưa", "kind": "yes-no"}])
    ticket = str(event.ticket_type_ids[0])
    auth.login(leader.email, leader.password)
    response = _register(forms, event, {
        "group": "1", "self": "1", "ticket_type_id": ticket, f"q-{event.question_ids[0]}": "yes",
        "member": [str(member.id) for member in members], **{f"ticket-{member.id}": ticket for member in members},
    })
    assert response.status_code == 302
    return event, response.headers["Location"]


def test_the_team_pages_run_the_same_number_of_queries_for_a_team_of_2_and_of_20(
        app, client, auth, forms, count_queries):
    counts = []
    for size in (2, 20):
        event, summary_url = _registered_team(app, client, auth, forms, size)
        with count_queries() as detail:
            assert client.get(f"/events/{event.slug}").status_code == 200
        with count_queries() as summary:
            assert client.get(summary_url).status_code == 200
        auth.logout()
        auth.login(event.creator.email, event.creator.password)
        with count_queries() as registrations:
            page = client.get(f"/events/{event.slug}/registrations")
        assert page.get_data(as_text=True).count(">Có</td>") == size + 1
        with count_queries() as export:
            assert client.get(f"/events/{event.slug}/registrations.csv").status_code == 200
        auth.logout()
        counts.append((len(detail), len(summary), len(registrations), len(export)))
    assert counts[0] == counts[1], counts
    print(f"queries (detail, outcome, registrations, export): {counts[1]}")


def test_after_the_event_only_the_attendee_is_refused_an_organiser_may_still_cancel(app):
    from ecosystem.events.registration import cancel_registration
    from ecosystem.events.registration_checks import RegistrationError

    event = make_event(app)
    member = make_user(app)
    with app.test_request_context():
        from ecosystem.events.registration import register
        from ecosystem.events.registration_checks import AttendeeRequest

        user = db.session.get(User, member.id)
        register(db.session.get(Event, event.id), user, [AttendeeRequest(user, event.ticket_type_ids[0])])
        model = db.session.get(Event, event.id)
        model.starts_at, model.ends_at = utcnow() - timedelta(hours=5), utcnow() - timedelta(hours=1)
        db.session.commit()
        registration = db.session.scalar(select(Registration).where(Registration.attendee_id == member.id))
        with pytest.raises(RegistrationError, match="Sự kiện đã kết thúc"):
            cancel_registration(registration)
        cancel_registration(registration, by_organiser=True)
        assert db.session.get(Registration, registration.id).status == RegistrationStatus.CANCELLED
