"""Login, logout, rate limits, safe redirects, CSRF, sessions."""

import pytest

from ecosystem.auth.models import Role, User
from ecosystem.extensions import db
from tests.conftest import csrf_token_from
from tests.factories import make_user


def test_login_and_logout(app, client, auth, forms):
    user = make_user(app, full_name="Lê Văn Nam")
    response = auth.login(user.email, user.password)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Lê Văn Nam" in client.get("/").get_data(as_text=True)

    assert client.get("/auth/logout").status_code == 405  # logging out is a POST
    response = auth.logout()
    assert response.status_code == 302
    assert "Lê Văn Nam" not in client.get("/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user.id).last_login_at is not None


def test_wrong_password_and_unknown_email_get_the_same_message(app, auth):
    user = make_user(app)
    wrong = auth.login(user.email, "wrong-password-123").get_data(as_text=True)
    unknown = auth.login("nobody@example.com", "wrong-password-123").get_data(as_text=True)
    marker = 'class="flash flash-error"'
    assert wrong.split(marker)[1].split("</p>")[0] == unknown.split(marker)[1].split("</p>")[0]


def test_ten_wrong_passwords_hit_the_rate_limit(app, auth):
    user = make_user(app)
    statuses = [auth.login(user.email, f"wrong-password-{i}").status_code for i in range(10)]
    assert statuses[0] == 422
    assert 429 in statuses
    limited = auth.login(user.email, user.password)
    assert limited.status_code == 429
    assert "Bạn đã thử quá nhiều lần" in limited.get_data(as_text=True)


def test_remember_me_sets_a_persistent_cookie(app, client, auth):
    user = make_user(app)
    auth.login(user.email, user.password, remember="y")
    assert client.get_cookie("remember_token") is not None


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example",
        "\\\\evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "/\r\nLocation: https://evil.example",
        " https://evil.example",
    ],
)
def test_open_redirect_through_next_is_refused(app, client, forms, target):
    user = make_user(app)
    response = forms.post("/auth/login", {"email": user.email, "password": user.password, "next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/", location


def test_next_on_this_site_is_followed(app, forms):
    user = make_user(app)
    response = forms.post("/auth/login", {"email": user.email, "password": user.password, "next": "/auth/settings"})
    assert response.headers["Location"] == "/auth/settings"


def test_form_posted_without_csrf_token_is_refused(app, client):
    user = make_user(app)
    response = client.post("/auth/login", data={"email": user.email, "password": user.password})
    assert response.status_code == 400
    assert "biểu mẫu" in response.get_data(as_text=True).lower()
    assert client.get_cookie("session") is None or "Nguyễn Văn Test" not in client.get("/").get_data(as_text=True)


def test_csrf_token_from_another_session_is_refused(app):
    user = make_user(app)
    first, second = app.test_client(), app.test_client()
    token = csrf_token_from(first.get("/auth/login").get_data(as_text=True))
    second.get("/auth/login")
    response = second.post("/auth/login", data={"csrf_token": token, "email": user.email, "password": user.password})
    assert response.status_code == 400


def test_bad_login_input_gets_messages(app, forms):
    for data in (
        {"email": "", "password": ""},
        {"email": "x" * 10_000, "password": "y"},
        {"email": "a@example.com", "password": "p" * 10_000},
        {"email": "không-phải-email", "password": "mật khẩu"},
    ):
        response = forms.post("/auth/login", data)
        assert response.status_code == 422, data
        assert 'class="error"' in response.get_data(as_text=True) or "flash-error" in response.get_data(as_text=True)


def test_disabled_account_cannot_sign_in(app, auth):
    user = make_user(app)
    with app.app_context():
        db.session.get(User, user.id).is_active_account = False
        db.session.commit()
    assert auth.login(user.email, user.password).status_code == 422


def test_unconfirmed_account_cannot_use_role_features(app, client, auth):
    user = make_user(app, roles=(Role.ADMIN,), confirmed=False)
    auth.login(user.email, user.password)
    response = client.get("/auth/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/unconfirmed")
    assert client.get("/admin/outbox/").status_code == 302


def test_changing_the_password_signs_out_other_devices(app, forms, auth):
    user = make_user(app)
    other_device = app.test_client()
    from tests.conftest import AuthActions, FormPoster

    AuthActions(FormPoster(other_device)).login(user.email, user.password)
    assert other_device.get("/auth/settings").status_code == 200

    auth.login(user.email, user.password)
    response = forms.post(
        "/auth/settings/password",
        {
            "pw-current_password": user.password,
            "pw-password": "a-brand-new-password",
            "pw-confirm": "a-brand-new-password",
        },
        form_page="/auth/settings",
    )
    assert response.status_code == 302
    assert forms.client.get("/auth/settings").status_code == 200  # this device stays signed in
    assert other_device.get("/auth/settings").status_code == 302  # the other one is signed out
