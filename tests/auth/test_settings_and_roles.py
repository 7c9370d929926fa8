import pytest

from ecosystem.auth.models import Role, User
from ecosystem.extensions import db
from tests.factories import make_admin, make_user


def test_settings_update_name_phone_and_language(app, client, auth, forms):
    user = make_user(app)
    auth.login(user.email, user.password)
    response = forms.post(
        "/auth/settings", {"full_name": "Trần Thị B", "phone": "0912 345 678", "locale": "en"}
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(User, user.id)
        assert (saved.full_name, saved.phone, saved.locale) == ("Trần Thị B", "0912345678", "en")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"full_name": ""}, "full_name"),
        ({"full_name": "N" * 10_000}, "full_name"),
        ({"phone": "12345"}, "phone"),
        ({"phone": "9" * 10_000}, "phone"),
        ({"locale": "fr"}, "locale"),
    ],
)
def test_bad_settings_input_gets_messages_and_changes_nothing(app, auth, forms, change, field):
    user = make_user(app, full_name="Original Name")
    auth.login(user.email, user.password)
    response = forms.post("/auth/settings", {"full_name": "Changed", "phone": "", "locale": "vi", **change})
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user.id).full_name == "Original Name"


def test_change_password_with_wrong_current_password_is_refused(app, auth, forms):
    user = make_user(app)
    auth.login(user.email, user.password)
    response = forms.post(
        "/auth/settings/password",
        {"pw-current_password": "not-my-password", "pw-password": "another-password", "pw-confirm": "another-password"},
        form_page="/auth/settings",
    )
    assert response.status_code == 422
    assert 'id="pw-current_password-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user.id).check_password(user.password)


def test_settings_need_a_login(client):
    response = client.get("/auth/settings")
    assert response.status_code == 302
    assert "/auth/login?next=" in response.headers["Location"]


def test_language_switch_for_visitors(client, forms):
    forms.post("/language", {"lang": "en", "next": "/auth/login"}, form_page="/")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    forms.post("/language", {"lang": "vi"}, form_page="/")
    assert '<html lang="vi">' in client.get("/").get_data(as_text=True)
    response = forms.post("/language", {"lang": "xx"}, form_page="/")
    assert response.status_code == 302
    assert '<html lang="vi">' in client.get("/").get_data(as_text=True)


def test_admin_grants_roles_and_a_member_is_refused(app, client, auth, forms):
    admin = make_admin(app)
    member = make_user(app)
    auth.login(member.email, member.password)
    assert client.get("/auth/admin/users").status_code == 403
    assert client.get(f"/auth/admin/users/{admin.id}").status_code == 403
    auth.logout()

    auth.login(admin.email, admin.password)
    page = client.get(f"/auth/admin/users?q={member.email}").get_data(as_text=True)
    assert member.email in page and admin.email not in page.split("<tbody>")[1]
    response = forms.post(f"/auth/admin/users/{member.id}", {"roles": ["founder", "mentor"]})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, member.id).roles == {Role.MEMBER, Role.FOUNDER, Role.MENTOR}

    assert forms.post(f"/auth/admin/users/{member.id}", {"roles": ["emperor"]}).status_code == 422
    assert client.get("/auth/admin/users/999999").status_code == 404
    assert client.get("/auth/admin/users?page=abc").status_code == 400
    assert client.get("/auth/admin/users?page=-1").status_code == 400


def test_admin_cannot_remove_their_own_admin_role(app, auth, forms):
    admin = make_admin(app)
    auth.login(admin.email, admin.password)
    response = forms.post(f"/auth/admin/users/{admin.id}", {"roles": ["member"]})
    assert response.status_code == 422
    with app.app_context():
        assert Role.ADMIN in db.session.get(User, admin.id).roles


def test_users_list_runs_the_same_number_of_queries_for_5_and_50_users(app, client, auth, count_queries):
    admin = make_admin(app)
    auth.login(admin.email, admin.password)

    def queries_for_list() -> int:
        client.get("/auth/admin/users")  # warm-up: caches, first-request work
        with count_queries() as statements:
            assert client.get("/auth/admin/users").status_code == 200
        return len(statements)

    for _ in range(4):
        make_user(app, roles=(Role.FOUNDER,))
    few = queries_for_list()
    for _ in range(45):
        make_user(app, roles=(Role.MENTOR, Role.FOUNDER))
    many = queries_for_list()
    assert few == many
