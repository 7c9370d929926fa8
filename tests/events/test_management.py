"""Event management: creation, editing, tickets, questions, organisers, publication, cancellation, lists."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ecosystem.auth.models import Role, User
from ecosystem.core.localtime import to_local
from ecosystem.events import management
from ecosystem.events.models import Event, EventStatus, Question, Registration, RegistrationStatus, TicketType
from ecosystem.events.registration import register
from ecosystem.events.registration_checks import AttendeeRequest
from ecosystem.extensions import db
from tests.factories import make_event, make_events, make_user
from tests.smtp_server import text_body

GOOD_EVENT = {
    "title": "Hội thảo chuyển đổi số cho nông sản Đại Từ",
    "kind": "workshop",
    "summary": "Buổi chia sẻ thực tế cho các hợp tác xã chè.",
    "description": "## Nội dung\n\n- Truy xuất nguồn gốc\n- Bán hàng trực tuyến",
    "starts_at": "2030-05-20T08:00",
    "ends_at": "2030-05-20T11:30",
    "venue_name": "Sở Khoa học và Công nghệ Thái Nguyên",
    "address": "Số 513 đường Phan Đình Phùng",
    "locality_id": "",
    "online_url": "",
    "registration_opens_at": "",
    "registration_closes_at": "",
    "capacity": "",
    "refund_deadline": "",
    "bank_bin": "",
    "bank_account_number": "",
    "bank_account_name": "",
}


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _english(forms):
    forms.post("/language", {"lang": "en"}, form_page="/")


def test_a_coordinator_creates_and_publishes_an_event_with_tickets_and_questions(app, client, auth, forms):
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    auth.login(coordinator.email, coordinator.password)
    response = forms.post("/events/new", GOOD_EVENT)
    assert response.status_code == 302, response.get_data(as_text=True)
    slug = "hoi-thao-chuyen-doi-so-cho-nong-san-dai-tu"
    assert response.headers["Location"] == f"/events/{slug}/manage"
    manage = f"/events/{slug}/manage"

    assert forms.post(f"/events/{slug}/tickets", {"name": "Vé thường", "price_vnd": "0", "capacity": "40",
                                                  "per_person_limit": "1", "audience": "everyone"},
                      form_page=manage).status_code == 302
    assert forms.post(f"/events/{slug}/tickets", {"name": "Vé VIP", "price_vnd": "300.000", "capacity": "10",
                                                  "per_person_limit": "2", "audience": "startups",
                                                  "requires_approval": "y"}, form_page=manage).status_code == 302
    assert forms.post(f"/events/{slug}/questions", {"label": "Bạn làm ở hợp tác xã nào?", "kind": "text",
                                                    "required": "y"}, form_page=manage).status_code == 302
    assert forms.post(f"/events/{slug}/questions", {"label": "Bữa trưa", "kind": "choice",
                                                    "choices": "Chay\nMặn\nChay"}, form_page=manage).status_code == 302
    assert forms.post(f"/events/{slug}/publish", {}, form_page=manage).status_code == 302

    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        assert event.status == EventStatus.PUBLISHED
        # Entered in Vietnam time (UTC+7), stored in UTC.
        assert (event.starts_at.hour, event.starts_at.tzinfo is not None) == (1, True)
        assert [(t.name, t.price_vnd, t.capacity, t.audience, t.requires_approval) for t in event.ticket_types] == [
            ("Vé thường", 0, 40, "everyone", False), ("Vé VIP", 300_000, 10, "startups", True)]
        assert [(q.label, q.required, q.choice_list) for q in event.questions] == [
            ("Bạn làm ở hợp tác xã nào?", True, []), ("Bữa trưa", False, ["Chay", "Mặn"])]
        assert event.search_text.startswith("hoi thao chuyen doi so")

    auth.logout()
    page = client.get(f"/events/{slug}").get_data(as_text=True)
    assert "Hội thảo chuyển đổi số" in page and "300.000" in page and "<h3>Nội dung</h3>" in page
    listing = client.get("/events/").get_data(as_text=True)
    assert f'href="/events/{slug}"' in listing


def test_the_same_title_gets_a_numbered_slug(app):
    first = make_event(app, title="Đêm gọi vốn")
    second = make_event(app, title="Đêm gọi vốn")
    assert (first.slug, second.slug) == ("dem-goi-von", "dem-goi-von-2")


def test_a_member_cannot_create_or_edit_events(app, client, auth, forms):
    event = make_event(app)
    member = make_user(app)
    auth.login(member.email, member.password)
    assert client.get("/events/new").status_code == 403
    assert client.get(f"/events/{event.slug}/manage").status_code == 403
    assert client.get(f"/events/{event.slug}/registrations").status_code == 403
    assert client.get(f"/events/{event.slug}/registrations.csv").status_code == 403
    token_page = "/events/"
    assert forms.post(f"/events/{event.slug}/cancel", {}, form_page=token_page).status_code in (400, 403)
    with app.app_context():
        assert db.session.get(Event, event.id).status == EventStatus.PUBLISHED


def test_an_organiser_manages_their_event_only(app, client, auth, forms):
    organiser = make_user(app, roles=(Role.CLUB_LEADER,))
    theirs = make_event(app, organisers=(organiser,))
    other = make_event(app)
    auth.login(organiser.email, organiser.password)
    assert client.get(f"/events/{theirs.slug}/manage").status_code == 200
    assert client.get(f"/events/{theirs.slug}/registrations").status_code == 200
    assert client.get(f"/events/{other.slug}/manage").status_code == 403
    assert client.get(f"/events/{other.slug}/registrations").status_code == 403
    refused = forms.post(f"/events/{other.slug}/tickets", {"name": "Chen ngang", "price_vnd": "0", "capacity": "5",
                                                           "per_person_limit": "1", "audience": "everyone"},
                         form_page=f"/events/{theirs.slug}/manage")
    assert refused.status_code == 403
    # Organisers do not name other organisers: the department does.
    named = forms.post(f"/events/{theirs.slug}/organisers", {"email": organiser.email},
                       form_page=f"/events/{theirs.slug}/manage")
    assert named.status_code == 403
    with app.app_context():
        assert len(db.session.get(Event, other.id).ticket_types) == 1


BAD_EVENTS = [
    ({"ends_at": "2030-05-20T07:00"}, "The event ends after it starts."),
    ({"starts_at": "20/05/2030 8h"}, "Enter a date and time"),
    ({"starts_at": "2030-02-30T08:00"}, "Enter a date and time"),
    ({"ends_at": ""}, "Please enter when the event ends."),
    ({"title": "x" * 10_000}, "A title has at most 160 characters."),
    ({"title": "   "}, "Please enter the event"),
    ({"kind": "party"}, "Please choose a kind of event from the list."),
    ({"capacity": "0"}, "The capacity is a whole number from 1 to 100000, or empty."),
    ({"capacity": "mười"}, "The capacity is a whole number from 1 to 100000, or empty."),
    ({"venue_name": "", "address": ""}, "Please give a venue with its address, or an online link."),
    ({"online_url": "javascript:alert(1)"}, "The online link starts with http:// or https://."),
    ({"locality_id": "999999"}, "commune or ward|xã/phường"),
    ({"bank_bin": "12345", "bank_account_number": "0123456789", "bank_account_name": "SO KHCN"},
     "Please choose the bank from the list."),
    ({"bank_bin": "970499", "bank_account_number": "0123456789", "bank_account_name": "SO KHCN"},
     "Please choose the bank from the list."),
    ({"bank_bin": "", "bank_account_number": "0123456789", "bank_account_name": "SO KHCN"},
     "Please choose the bank that holds the account."),
    ({"registration_opens_at": "2030-05-10T08:00", "registration_closes_at": "2030-05-01T08:00"},
     "Registration closes after it opens."),
]


@pytest.mark.parametrize(("changes", "message"), BAD_EVENTS)
def test_bad_event_input_is_refused_with_a_message_and_nothing_written(app, client, auth, forms, changes, message):
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    auth.login(coordinator.email, coordinator.password)
    _english(forms)
    response = forms.post("/events/new", {**GOOD_EVENT, **changes})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert any(part in body for part in message.split("|")), message
    assert _count(app, Event) == 0


BAD_TICKETS = [
    ({"price_vnd": "-1000"}, "The price is a whole number of đồng"),
    ({"capacity": "0"}, "The capacity is a whole number from 1 to 100000."),
    ({"capacity": ""}, "The capacity is a whole number from 1 to 100000."),
    ({"per_person_limit": "0"}, "The limit per person is a whole number from 1 to 50."),
    ({"audience": "vip"}, "Please choose who may buy this ticket from the list."),
    ({"name": "v" * 10_000}, "A ticket name has at most 100 characters."),
]


@pytest.mark.parametrize(("changes", "message"), BAD_TICKETS)
def test_bad_ticket_types_are_refused(app, client, auth, forms, changes, message):
    event = make_event(app, publish=False, tickets=[])
    auth.login(event.creator.email, event.creator.password)
    _english(forms)
    data = {"name": "Vé", "price_vnd": "0", "capacity": "10", "per_person_limit": "1", "audience": "everyone",
            **changes}
    response = forms.post(f"/events/{event.slug}/tickets", data, form_page=f"/events/{event.slug}/manage")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(app, TicketType) == 0


def test_a_choice_question_needs_two_choices(app, client, auth, forms):
    event = make_event(app, publish=False)
    auth.login(event.creator.email, event.creator.password)
    _english(forms)
    response = forms.post(f"/events/{event.slug}/questions", {"label": "Áo", "kind": "choice", "choices": "M"},
                          form_page=f"/events/{event.slug}/manage")
    assert response.status_code == 422
    assert "at least two choices" in response.get_data(as_text=True)
    assert _count(app, Question) == 0


def test_an_event_without_tickets_cannot_be_published_and_drafts_stay_hidden(app, client, auth, forms):
    event = make_event(app, publish=False, tickets=[])
    assert client.get(f"/events/{event.slug}").status_code == 404
    auth.login(event.creator.email, event.creator.password)
    _english(forms)
    assert client.get(f"/events/{event.slug}").status_code == 200
    response = forms.post(f"/events/{event.slug}/publish", {}, form_page=f"/events/{event.slug}/manage")
    assert response.status_code == 409
    assert "Add at least one ticket type before publishing." in response.get_data(as_text=True)


def test_editing_keeps_the_slug_and_converts_local_time(app, client, auth, forms):
    event = make_event(app, title="Ngày hội khởi nghiệp")
    auth.login(event.creator.email, event.creator.password)
    response = forms.post(f"/events/{event.slug}/manage", {**GOOD_EVENT, "title": "Ngày hội khởi nghiệp 2030",
                                                           "capacity": "120"})
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Event, event.id)
        assert (saved.slug, saved.title, saved.capacity) == (event.slug, "Ngày hội khởi nghiệp 2030", 120)
        assert to_local(saved.ends_at).strftime("%H:%M") == "11:30"


def test_a_coordinator_names_an_organiser_by_email(app, client, auth, forms):
    event = make_event(app)
    club_leader = make_user(app, roles=(Role.CLUB_LEADER,), email="truong.clb@example.vn")
    auth.login(event.creator.email, event.creator.password)
    assert forms.post(f"/events/{event.slug}/organisers", {"email": " Truong.CLB@example.vn "},
                      form_page=f"/events/{event.slug}/manage").status_code == 302
    unknown = forms.post(f"/events/{event.slug}/organisers", {"email": "ai.do@example.vn"},
                         form_page=f"/events/{event.slug}/manage")
    assert unknown.status_code == 422
    auth.logout()
    auth.login(club_leader.email, club_leader.password)
    assert client.get(f"/events/{event.slug}/manage").status_code == 200


def test_cancelling_an_event_cancels_every_registration_and_mails_the_attendees(
        app, client, auth, forms, mailbox, deliver_mail):
    event = make_event(app, title="Đêm pitching tháng Năm")
    attendees = [make_user(app, email=f"nguoi.du.{number}@example.vn", locale="en") for number in range(3)]
    with app.test_request_context():
        model = db.session.get(Event, event.id)
        for attendee in attendees:
            user = db.session.get(User, attendee.id)
            register(model, user, [AttendeeRequest(user, event.ticket_type_ids[0])])
    deliver_mail()
    auth.login(event.creator.email, event.creator.password)
    response = forms.post(f"/events/{event.slug}/cancel", {}, form_page=f"/events/{event.slug}/manage")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Event, event.id).status == EventStatus.CANCELLED
        statuses = set(db.session.scalars(select(Registration.status).where(Registration.event_id == event.id)))
        assert statuses == {RegistrationStatus.CANCELLED}
    report = deliver_mail()
    assert len(report.sent) == 3, report
    for attendee in attendees:
        cancelled = [message for message in mailbox.wait_for(attendee.email, count=2)
                     if "cancelled" in message["Subject"]]
        assert len(cancelled) == 1
        assert "Đêm pitching tháng Năm" in text_body(cancelled[0])
    # The event page says so; registration is refused.
    assert client.get(f"/events/{event.slug}").status_code == 200


def test_the_list_page_runs_the_same_number_of_queries_for_5_and_500_events(app, client, count_queries):
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    make_events(app, 5, coordinator)
    client.get("/events/")
    with count_queries() as few:
        assert client.get("/events/").status_code == 200
    make_events(app, 495, coordinator, title="Thêm")
    with app.app_context():
        # Slugs of the second batch must differ from the first.
        assert _count(app, Event) == 500
    with count_queries() as many:
        response = client.get("/events/")
        assert response.status_code == 200
    assert len(few) == len(many), (few, many)
    assert len(few) <= 8, few


@pytest.mark.parametrize("query", ["?page=-1", "?page=abc", "?sort=password", "?kind=party", "?when=tomorrow",
                                   "?locality=abc", "?q=" + "x" * 500])
def test_bad_list_parameters_are_a_400(client, query):
    assert client.get("/events/" + query).status_code == 400


def test_list_facets_and_search(app, client):
    make_event(app, title="Techfest Thái Nguyên 2030", kind="techfest")
    make_event(app, title="Đêm gọi vốn mùa hè", kind="pitching")
    make_event(app, title="Hội thảo đã qua", in_days=-30)
    upcoming = client.get("/events/").get_data(as_text=True)
    assert "Techfest Thái Nguyên 2030" in upcoming and "Hội thảo đã qua" not in upcoming
    past = client.get("/events/?when=past").get_data(as_text=True)
    assert "Hội thảo đã qua" in past and "Techfest Thái Nguyên 2030" not in past
    kind = client.get("/events/?kind=pitching").get_data(as_text=True)
    assert "Đêm gọi vốn mùa hè" in kind and "Techfest Thái Nguyên 2030" not in kind
    found = client.get("/events/?q=techfest+thai+nguyen").get_data(as_text=True)
    assert "Techfest Thái Nguyên 2030" in found and "Đêm gọi vốn mùa hè" not in found


def test_the_registrations_csv_opens_in_excel(app, client, auth):
    event = make_event(app, questions=[{"label": "Đơn vị", "kind": "text"}])
    attendee = make_user(app, full_name="=Trần Thị Hoa")
    with app.test_request_context():
        user = db.session.get(User, attendee.id)
        register(db.session.get(Event, event.id), user,
                 [AttendeeRequest(user, event.ticket_type_ids[0], {event.question_ids[0]: "HTX Chè La Bằng"})])
    auth.login(event.creator.email, event.creator.password)
    response = client.get(f"/events/{event.slug}/registrations.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert "'=Trần Thị Hoa" in text and "HTX Chè La Bằng" in text
    page = client.get(f"/events/{event.slug}/registrations").get_data(as_text=True)
    assert "HTX Chè La Bằng" in page


def test_the_demo_events_are_varied_have_registrations_and_load_once(app):
    from ecosystem.auth.demo import seed_users
    from ecosystem.events import demo
    from ecosystem.places.services import load_reference_localities

    with app.app_context():
        seed_users()
        load_reference_localities()
        db.session.commit()
        [line] = demo.seed()
        assert line.startswith(f"Events: {len(demo.EVENTS)} created")
        events = db.session.scalars(select(Event)).all()
        now = management.utcnow()
        assert any(event.ends_at < now for event in events) and any(event.starts_at > now for event in events)
        assert {"techfest", "training", "pitching", "demo-day", "workshop"} <= {event.kind for event in events}
        paid = [event for event in events if any(t.price_vnd == 300_000 for t in event.ticket_types)]
        assert len(paid) == 1 and paid[0].bank_bin == "970415"
        assert db.session.scalar(select(func.count()).select_from(Registration)) >= 10
        assert demo.seed()[0].startswith("Events: 0 created")
        assert db.session.scalar(select(func.count()).select_from(Event)) == len(events)


def test_an_organiser_edits_a_ticket_type_but_not_the_price_once_sold(app, client, auth, forms):
    event = make_event(app, tickets=[{"name": "Vé", "capacity": 10}])
    ticket_id = event.ticket_type_ids[0]
    auth.login(event.creator.email, event.creator.password)
    manage = f"/events/{event.slug}/manage"
    data = {"name": "Vé sớm", "price_vnd": "0", "capacity": "25", "per_person_limit": "2", "audience": "everyone"}
    assert forms.post(f"/events/{event.slug}/tickets/{ticket_id}", data, form_page=manage).status_code == 302
    with app.test_request_context():
        ticket = db.session.get(TicketType, ticket_id)
        assert (ticket.name, ticket.capacity, ticket.per_person_limit) == ("Vé sớm", 25, 2)
        user = db.session.get(User, make_user(app).id)
        register(db.session.get(Event, event.id), user, [AttendeeRequest(user, ticket_id)])
    response = forms.post(f"/events/{event.slug}/tickets/{ticket_id}", {**data, "price_vnd": "100000"},
                          form_page=manage)
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(TicketType, ticket_id).price_vnd == 0
    assert forms.post(f"/events/{event.slug}/tickets/{ticket_id}/delete", {}, form_page=manage).status_code == 409


def test_an_organiser_edits_a_question_and_reorders_questions_and_tickets(app, client, auth, forms):
    event = make_event(app, tickets=[{"name": "Vé thường", "capacity": 10}, {"name": "Vé sinh viên", "capacity": 5}])
    auth.login(event.creator.email, event.creator.password)
    _english(forms)
    manage = f"/events/{event.slug}/manage"
    for label in ("Bạn biết sự kiện qua đâu?", "Bạn cần hỗ trợ gì?"):
        forms.post(f"/events/{event.slug}/questions", {"label": label, "kind": "text"}, form_page=manage)
    with app.app_context():
        first, second = db.session.scalars(select(Question.id).order_by(Question.position, Question.id)).all()
    data = {"label": "Bạn biết sự kiện qua kênh nào?", "kind": "choice", "choices": "Facebook\nBạn bè",
            "required": "y"}
    assert forms.post(f"/events/{event.slug}/questions/{first}", data, form_page=manage).status_code == 302
    bad = forms.post(f"/events/{event.slug}/questions/{first}", {**data, "choices": "Facebook"}, form_page=manage)
    assert bad.status_code == 422 and "needs at least two choices" in bad.get_data(as_text=True)
    empty = forms.post(f"/events/{event.slug}/questions/{first}", {**data, "label": ""}, form_page=manage)
    assert empty.status_code == 422 and "Question: Please write the question." in empty.get_data(as_text=True)
    with app.app_context():
        question = db.session.get(Question, first)
        assert (question.label, question.kind, question.choice_list, question.required) == (
            "Bạn biết sự kiện qua kênh nào?", "choice", ["Facebook", "Bạn bè"], True)

    assert forms.post(f"/events/{event.slug}/questions/{second}/move", {"direction": "up"},
                      form_page=manage).status_code == 302
    cheap = event.ticket_type_ids[1]
    assert forms.post(f"/events/{event.slug}/tickets/{cheap}/move", {"direction": "up"},
                      form_page=manage).status_code == 302
    assert forms.post(f"/events/{event.slug}/tickets/{cheap}/move", {"direction": "sideways"},
                      form_page=manage).status_code == 409
    with app.app_context():
        stored = db.session.get(Event, event.id)
        assert [question.id for question in stored.questions] == [second, first]
        assert [ticket.name for ticket in stored.ticket_types] == ["Vé sinh viên", "Vé thường"]
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert page.index("Vé sinh viên") < page.index("Vé thường")


def test_another_organiser_cannot_edit_or_move_a_question(app, client, auth, forms):
    event = make_event(app)
    auth.login(event.creator.email, event.creator.password)
    manage = f"/events/{event.slug}/manage"
    forms.post(f"/events/{event.slug}/questions", {"label": "Câu hỏi", "kind": "text"}, form_page=manage)
    with app.app_context():
        question_id = db.session.scalar(select(Question.id))
    auth.logout()
    stranger = make_user(app, roles=(Role.FOUNDER,))
    auth.login(stranger.email, stranger.password)
    assert forms.post(f"/events/{event.slug}/questions/{question_id}", {"label": "Đổi", "kind": "text"},
                      form_page="/").status_code == 403
    assert forms.post(f"/events/{event.slug}/questions/{question_id}/move", {"direction": "up"},
                      form_page="/").status_code == 403
    with app.app_context():
        assert db.session.get(Question, question_id).label == "Câu hỏi"
