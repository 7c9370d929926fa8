"""A session ends for good: at logout (a cookie copied before is refused), and at once when the account is
deactivated or deleted."""

import pytest
from flask_login import current_user

from ecosystem.auth.models import User
from ecosystem.extensions import db
from tests.factories import make_user


def signed_in(client) -> bool:
    return client.get("/auth/settings").status_code == 200


def replay(app, name: str, value: str):
    """A fresh browser that holds only the captured cookie."""
    other = app.test_client()
    other.set_cookie(name, value)
    return other


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_a_cookie_captured_before_logout_is_refused_afterwards(app, client, auth, cookie):
    user = make_user(app)
    auth.login(user.email, user.password, remember="y")
    captured = client.get_cookie(cookie).value
    assert signed_in(replay(app, cookie, captured))  # the copy works while the session lives

    assert auth.logout().status_code == 302
    assert not signed_in(client)
    thief = replay(app, cookie, captured)
    assert not signed_in(thief)


def test_logout_rotates_the_session_token(app, auth):
    user = make_user(app)
    with app.app_context():
        before = db.session.get(User, user.id).session_token
    auth.login(user.email, user.password)
    auth.logout()
    with app.app_context():
        assert db.session.get(User, user.id).session_token != before
    assert auth.login(user.email, user.password).status_code == 302  # signing in again works


def set_active(app, user_id: int, active: bool) -> None:
    with app.app_context():
        db.session.get(User, user_id).is_active_account = active
        db.session.commit()


def test_a_deactivated_account_is_signed_out_at_its_next_request(app, client, auth):
    user = make_user(app)
    auth.login(user.email, user.password, remember="y")
    assert signed_in(client)
    set_active(app, user.id, False)
    response = client.get("/auth/settings")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    with client:
        client.get("/")
        assert current_user.is_anonymous  # not a disabled user object still attached to the request


def test_reactivating_an_account_does_not_revive_its_old_sessions(app, client, auth):
    user = make_user(app)
    auth.login(user.email, user.password, remember="y")
    remember = client.get_cookie("remember_token").value
    set_active(app, user.id, False)
    set_active(app, user.id, True)
    assert not signed_in(client)
    assert not signed_in(replay(app, "remember_token", remember))
    assert auth.login(user.email, user.password).status_code == 302


def test_a_deleted_account_is_signed_out_at_its_next_request(app, client, auth):
    user = make_user(app)
    auth.login(user.email, user.password)
    with app.app_context():
        db.session.delete(db.session.get(User, user.id))
        db.session.commit()
    assert not signed_in(client)
