"""Sign-up with e-mail confirmation, read from a real SMTP server."""

from ecosystem.auth.models import User
from ecosystem.extensions import db
from tests.factories import make_user
from tests.smtp_server import first_link, html_body, text_body

VALID = {
    "full_name": "Nguyễn Thị Hoa",
    "email": "hoa@example.com",
    "password": "mat-khau-rat-dai",
    "confirm": "mat-khau-rat-dai",
    "accept_terms": "y",
}


def count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(User))


def test_sign_up_confirm_from_delivered_mail_and_sign_in(app, client, forms, auth, mailbox, deliver_mail):
    response = forms.post("/auth/register", VALID)
    assert response.status_code == 302
    assert deliver_mail().sent

    [message] = mailbox.wait_for("hoa@example.com")
    assert "Xác nhận" in message["Subject"] or "xác nhận" in message["Subject"]
    assert "Nguyễn Thị Hoa" in text_body(message)
    assert "<a href=" in html_body(message)
    link = first_link(message, "/auth/confirm/")

    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "hoa@example.com"))
        assert user.confirmed_at is None
        assert user.password_hash.startswith("scrypt:") and "mat-khau" not in user.password_hash
        assert {str(role) for role in user.roles} == {"member"}

    confirmed = client.get(link.split("localhost", 1)[1])
    assert confirmed.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(User).where(User.email == "hoa@example.com")).confirmed_at is not None

    response = auth.login("HOA@example.com ", "mat-khau-rat-dai")
    assert response.status_code == 302
    assert "Hoa" in client.get("/").get_data(as_text=True)


def test_registering_a_taken_address_answers_the_same_and_warns_its_owner(app, forms, mailbox, deliver_mail):
    owner = make_user(app, email="taken@example.com")
    fresh = forms.post("/auth/register", {**VALID, "email": "new@example.com"}, follow_redirects=True)
    taken = forms.post("/auth/register", {**VALID, "email": "taken@example.com"}, follow_redirects=True)
    assert fresh.status_code == taken.status_code == 200
    strip = lambda html, email: html.get_data(as_text=True).replace(email, "EMAIL")  # noqa: E731
    flash_fresh = strip(fresh, "new@example.com").split('class="flash')[1].split("</p>")[0]
    flash_taken = strip(taken, "taken@example.com").split('class="flash')[1].split("</p>")[0]
    assert flash_fresh == flash_taken

    deliver_mail()
    [notice] = mailbox.wait_for(owner.email)
    assert "/auth/reset" in text_body(notice)
    assert count_users(app) == 2


def test_bad_sign_up_input_gets_messages_and_writes_nothing(app, forms):
    cases = [
        ({"full_name": ""}, "name"),
        ({"email": ""}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "a" * 10_000 + "@example.com"}, "email"),
        ({"full_name": "Ă" * 10_000}, "full_name"),
        ({"password": "short", "confirm": "short"}, "password"),
        ({"password": "p" * 10_000, "confirm": "p" * 10_000}, "password"),
        ({"confirm": "something-else-entirely"}, "confirm"),
        ({"accept_terms": ""}, "accept_terms"),
    ]
    for change, field in cases:
        response = forms.post("/auth/register", {**VALID, **change})
        html = response.get_data(as_text=True)
        assert response.status_code == 422, change
        assert f'id="{field if field != "name" else "full_name"}-error"' in html, change
    assert count_users(app) == 0


def test_unicode_names_and_addresses_are_accepted(app, forms):
    response = forms.post(
        "/auth/register", {**VALID, "full_name": "Đặng Thị Ánh Tuyết 🌱", "email": "tuyết@ví-dụ.vn"}
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert user.full_name == "Đặng Thị Ánh Tuyết 🌱"
        assert user.email == "tuyết@ví-dụ.vn"


def test_tampered_and_expired_confirmation_links_are_refused(app, client, forms, mailbox, deliver_mail):
    forms.post("/auth/register", VALID)
    deliver_mail()
    link = first_link(mailbox.wait_for("hoa@example.com")[0], "/auth/confirm/")
    path = link.split("localhost", 1)[1]

    tampered = client.get(path[:-3] + ("abc" if not path.endswith("abc") else "xyz"))
    assert tampered.status_code == 400
    assert "không hợp lệ" in tampered.get_data(as_text=True)

    app.config["EMAIL_CONFIRM_MAX_AGE"] = -1
    try:
        expired = client.get(path)
    finally:
        app.config["EMAIL_CONFIRM_MAX_AGE"] = 3 * 24 * 3600
    assert expired.status_code == 400
    assert "hết hạn" in expired.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(User)).confirmed_at is None


def test_resend_confirmation_queues_a_new_link(app, client, auth, forms, mailbox, deliver_mail):
    user = make_user(app, confirmed=False)
    auth.login(user.email, user.password)
    response = forms.post("/auth/confirm/resend", {}, form_page="/auth/unconfirmed")
    assert response.status_code == 302
    deliver_mail()
    link = first_link(mailbox.wait_for(user.email)[0], "/auth/confirm/")
    assert client.get(link.split("localhost", 1)[1]).status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).confirmed_at is not None
