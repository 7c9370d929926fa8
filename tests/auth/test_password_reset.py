from ecosystem.auth.models import User
from ecosystem.extensions import db
from tests.factories import make_user
from tests.smtp_server import first_link, text_body


def reset_link(app, forms, mailbox, deliver_mail, email) -> str:
    forms.post("/auth/reset", {"email": email})
    deliver_mail()
    return first_link(mailbox.wait_for(email)[-1], "/auth/reset/").split("localhost", 1)[1]


def test_reset_by_mail_changes_the_password_once(app, client, forms, auth, mailbox, deliver_mail):
    user = make_user(app)
    path = reset_link(app, forms, mailbox, deliver_mail, user.email)

    response = forms.post(path, {"password": "new-password-2026", "confirm": "new-password-2026"})
    assert response.status_code == 302
    assert auth.login(user.email, user.password).status_code == 422
    assert auth.login(user.email, "new-password-2026").status_code == 302

    # The same link cannot be used twice.
    reused = client.get(path)
    assert reused.status_code == 400
    assert "đã được sử dụng" in reused.get_data(as_text=True)

    deliver_mail()
    subjects = [message["Subject"] for message in mailbox.to(user.email)]
    assert len(subjects) == 2  # the link, then the notice that the password changed


def test_reset_for_unknown_address_answers_the_same_and_sends_nothing(app, forms, mailbox, deliver_mail):
    user = make_user(app)
    known = forms.post("/auth/reset", {"email": user.email}, follow_redirects=True).get_data(as_text=True)
    unknown = forms.post("/auth/reset", {"email": "ghost@example.com"}, follow_redirects=True).get_data(as_text=True)
    marker = 'class="flash flash-success"'
    assert known.split(marker)[1].split("</p>")[0] == unknown.split(marker)[1].split("</p>")[0]
    deliver_mail()
    assert mailbox.to("ghost@example.com") == []
    assert "/auth/reset/" in text_body(mailbox.wait_for(user.email)[0])


def test_expired_and_tampered_reset_links_are_refused(app, client, forms, mailbox, deliver_mail):
    user = make_user(app)
    path = reset_link(app, forms, mailbox, deliver_mail, user.email)
    tampered = client.get(path + "x")
    assert tampered.status_code == 400
    assert "không hợp lệ" in tampered.get_data(as_text=True)

    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        expired = client.post(path, data={"password": "new-password-2026", "confirm": "new-password-2026"})
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600
    assert expired.status_code == 400
    assert "hết hạn" in expired.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user.id).check_password(user.password)


def test_bad_reset_input_gets_messages(app, forms, mailbox, deliver_mail):
    for data in ({"email": ""}, {"email": "@@"}, {"email": "x" * 10_000}):
        assert forms.post("/auth/reset", data).status_code == 422
    user = make_user(app)
    path = reset_link(app, forms, mailbox, deliver_mail, user.email)
    for data in (
        {"password": "", "confirm": ""},
        {"password": "short", "confirm": "short"},
        {"password": "long-enough-password", "confirm": "different-password"},
        {"password": "ư" * 10_000, "confirm": "ư" * 10_000},
    ):
        response = forms.post(path, data)
        assert response.status_code == 422, data
        assert 'class="error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user.id).check_password(user.password)


def test_reset_links_ignore_a_forged_host_header(app, client, forms, mailbox, deliver_mail):
    user = make_user(app)
    app.config["PUBLIC_BASE_URL"] = "https://khoinghiep.example.vn"
    try:
        page = client.get("/auth/reset", headers={"Host": "evil.example"})
        from tests.conftest import csrf_token_from

        client.post(
            "/auth/reset",
            data={"csrf_token": csrf_token_from(page.get_data(as_text=True)), "email": user.email},
            headers={"Host": "evil.example"},
        )
    finally:
        app.config["PUBLIC_BASE_URL"] = ""
    deliver_mail()
    body = text_body(mailbox.wait_for(user.email)[0])
    assert "https://khoinghiep.example.vn/auth/reset/" in body
    assert "evil.example" not in body
