"""Hostile input to every form: a clear 4xx and nothing written, never a 500."""

import pytest

from ecosystem.auth.models import User, UserRole
from ecosystem.extensions import db
from ecosystem.mail.models import OutboxMessage
from tests.factories import make_admin

HUGE = "Đ" * 10_000
NASTY_VALUES = ["", " ", HUGE, "\x00\x01\x02", "<script>alert(1)</script>", "' OR 1=1 --", "🙂" * 300, "ｔｅｓｔ"]

# (url, fields, needs admin login)
FORMS = [
    ("/auth/register", ["full_name", "email", "password", "confirm", "accept_terms"], False),
    ("/auth/login", ["email", "password", "remember"], False),
    ("/auth/reset", ["email"], False),
    ("/auth/settings", ["full_name", "phone", "locale"], True),
    ("/auth/settings/password", ["pw-current_password", "pw-password", "pw-confirm"], True),
    ("/language", ["lang", "next"], False),
]


def table_counts(app) -> tuple[int, int, int]:
    with app.app_context():
        count = lambda model: db.session.scalar(db.select(db.func.count()).select_from(model))  # noqa: E731
        return count(User), count(UserRole), count(OutboxMessage)


@pytest.mark.parametrize("url, fields, needs_login", FORMS, ids=[form[0] for form in FORMS])
def test_every_form_answers_hostile_input_without_a_500(app, client, auth, forms, url, fields, needs_login):
    admin = make_admin(app)
    if needs_login:
        auth.login(admin.email, admin.password)
    form_page = "/auth/settings" if url.startswith("/auth/settings") else ("/" if url == "/language" else url)
    before = table_counts(app)
    for value in NASTY_VALUES:
        response = forms.post(url, {field: value for field in fields}, form_page=form_page)
        assert response.status_code < 500, (url, value[:20])
        if response.status_code != 302:
            assert 400 <= response.status_code < 500
            body = response.get_data(as_text=True)
            assert any(marker in body for marker in ('class="error"', "flash-error", "error-page")), (url, value[:20])
    assert table_counts(app) == before
    with app.app_context():
        assert db.session.get(User, admin.id).full_name != HUGE


def test_admin_forms_answer_hostile_input_without_a_500(app, client, auth, forms):
    admin = make_admin(app)
    auth.login(admin.email, admin.password)
    for value in NASTY_VALUES:
        response = forms.post(f"/auth/admin/users/{admin.id}", {"roles": [value]})
        assert 400 <= response.status_code < 500
        assert client.get("/auth/admin/users", query_string={"q": value, "page": value}).status_code in (200, 400)
    assert client.get("/auth/admin/users/not-a-number").status_code == 404
    assert forms.post("/admin/outbox/999999/requeue", {}, form_page="/admin/outbox/").status_code == 302


def test_hostile_tokens_in_urls_are_clean_4xx(client):
    for token in ["x", "." * 500, "%00", "a" * 5000, "Đ"]:
        assert client.get(f"/auth/confirm/{token}").status_code == 400
        assert client.get(f"/auth/reset/{token}").status_code == 400
