"""Control characters are dropped centrally from every form field, query parameter, JSON body and URL value:
a NUL never reaches PostgreSQL as a 500. Tab, line feed and carriage return stay; raw bodies stay exact."""

import json

import pytest

from ecosystem.auth.models import Role, User
from ecosystem.core.input import drop_control_characters
from ecosystem.events.models import Answer
from ecosystem.extensions import db
from ecosystem.startups.models import Startup
from tests.factories import make_event, make_startup, make_user
from tests.startups.test_views import form_fields

HOSTILE = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f"


def stored(app, statement):
    with app.app_context():
        return db.session.scalar(statement)


def startup_name(app, client, auth, forms):
    founder = make_user(app, roles=(Role.FOUNDER,))
    auth.login(founder.email, founder.password)
    response = forms.post("/startups/new", form_fields(app, name=f"Nông{HOSTILE} sản\x00 Đại Từ"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return stored(app, db.select(Startup.name).where(Startup.slug == "nong-san-dai-tu")), "Nông sản Đại Từ"


def registration_answer(app, client, auth, forms):
    event = make_event(app, questions=[{"label": "Đơn vị", "kind": "text", "required": True}])
    member = make_user(app)
    auth.login(member.email, member.password)
    response = forms.post(f"/events/{event.slug}/register",
                          {"ticket_type_id": str(event.ticket_type_ids[0]),
                           f"q-{event.question_ids[0]}": f"HTX\x00 Chè{HOSTILE}\tLa Bằng"},
                          form_page=f"/events/{event.slug}")
    assert response.status_code == 302
    return stored(app, db.select(Answer.value)), "HTX Chè\tLa Bằng"


def account_name(app, client, auth, forms):
    member = make_user(app)
    auth.login(member.email, member.password)
    response = forms.post("/auth/settings", {"full_name": f"Lê\x00 Văn{HOSTILE} Nam", "phone": "", "locale": "vi"})
    assert response.status_code == 302
    return stored(app, db.select(User.full_name).where(User.id == member.id)), "Lê Văn Nam"


def event_question_label(app, client, auth, forms):
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    event = make_event(app, coordinator)
    auth.login(coordinator.email, coordinator.password)
    response = forms.post(f"/events/{event.slug}/questions", {"label": "Bạn\x00 làm\x1b ở đâu?", "kind": "text"},
                          form_page=f"/events/{event.slug}/manage")
    assert response.status_code == 302
    from ecosystem.events.models import Question

    return stored(app, db.select(Question.label)), "Bạn làm ở đâu?"


@pytest.mark.parametrize("submit", [startup_name, registration_answer, account_name, event_question_label])
def test_a_nul_in_a_form_field_is_dropped_not_a_500(app, client, auth, forms, submit):
    value, expected = submit(app, client, auth, forms)
    assert value == expected


@pytest.mark.parametrize("url", ["/api/v1/startups", "/api/v1/events", "/api/v1/directory", "/api/v1/mentors",
                                 "/startups/", "/events/", "/directory/", "/clubs/", "/auth/login"])
def test_a_nul_in_a_query_parameter_is_dropped(app, client, url):
    make_startup(app, name="Trà xanh Tân Cương")
    response = client.get(url, query_string={"q": "tra\x00 xanh", "next": "/\x00"})
    assert response.status_code == 200


def test_the_api_search_finds_through_a_nul(app, client):
    make_startup(app, name="Trà xanh Tân Cương")
    with_nul = client.get("/api/v1/startups", query_string={"q": "tra xanh\x00"}).get_json()
    plain = client.get("/api/v1/startups", query_string={"q": "tra xanh"}).get_json()
    assert with_nul == plain and "Trà xanh Tân Cương" in json.dumps(plain, ensure_ascii=False)


def test_a_nul_in_a_url_path_value_is_a_clean_answer(app, client):
    startup = make_startup(app, name="Trà xanh Tân Cương")
    assert client.get(f"/startups/{startup.slug}%00").status_code == 200
    assert client.get("/startups/khong-co%00").status_code == 404
    assert client.get("/api/v1/startups/khong-co%00").status_code == 404


def test_json_bodies_are_cleaned_and_raw_bodies_stay_exact(app):
    body = json.dumps({"code": "ABC\x00DEF", "list": ["x\x1by"], "keep": "a\tb\nc\rd"}).encode()
    with app.test_request_context("/", method="POST", data=body, content_type="application/json"):
        from flask import request

        assert request.get_json() == {"code": "ABCDEF", "list": ["xy"], "keep": "a\tb\nc\rd"}
        assert request.get_data() == body  # what a signature (the Stripe webhook) is checked against
    raw = b"code=A%00B&name=x%07y"
    with app.test_request_context("/", method="POST", data=raw, content_type="application/x-www-form-urlencoded"):
        from flask import request

        assert request.get_data(cache=True) == raw
        assert request.form.to_dict() == {"code": "AB", "name": "xy"}


def test_an_upload_keeps_its_bytes_and_loses_control_characters_in_its_name(app):
    import io

    content = b"%PDF-1.4\x00\x01binary"
    with app.test_request_context("/", method="POST", data={"deck": (io.BytesIO(content), "pitch\x00.pdf")}):
        from flask import request

        upload = request.files["deck"]
        assert upload.filename == "pitch.pdf" and upload.read() == content


def test_tab_line_feed_and_carriage_return_stay():
    assert drop_control_characters("a\tb\r\nc\x00\x1f\x7fd") == "a\tb\r\ncd"
    assert drop_control_characters("Đắk Lắk 🙂") == "Đắk Lắk 🙂"
