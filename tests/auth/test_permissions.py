"""The role decorator and the per-object permission helper every domain uses."""

from dataclasses import dataclass

import pytest
from flask_login import login_user

from ecosystem.auth import permissions
from ecosystem.auth.models import Role, User
from ecosystem.extensions import db
from tests.factories import make_admin, make_user


@dataclass
class Notebook:
    owner_id: int


@pytest.fixture(scope="module", autouse=True)
def notebook_policy():
    @permissions.policy("test_notebook.edit")
    def can_edit(user, notebook):
        return notebook.owner_id == user.id

    yield
    permissions._policies.pop("test_notebook.edit")


def test_owner_may_edit_a_second_user_is_refused(app):
    owner, other = make_user(app), make_user(app)
    with app.app_context():
        owner_user, other_user = db.session.get(User, owner.id), db.session.get(User, other.id)
        notebook = Notebook(owner_id=owner.id)
        assert permissions.can(owner_user, "test_notebook.edit", notebook)
        assert not permissions.can(other_user, "test_notebook.edit", notebook)


def test_admin_may_do_everything_anonymous_and_unconfirmed_nothing(app):
    admin, unconfirmed = make_admin(app), make_user(app, confirmed=False)
    with app.app_context():
        notebook = Notebook(owner_id=unconfirmed.id)
        assert permissions.can(db.session.get(User, admin.id), "test_notebook.edit", notebook)
        assert not permissions.can(db.session.get(User, unconfirmed.id), "test_notebook.edit", notebook)
        assert not permissions.can(None, "test_notebook.edit", notebook)


def test_authorize_aborts_with_403(app):
    owner, other = make_user(app), make_user(app)
    with app.test_request_context():
        login_user(db.session.get(User, other.id))
        with pytest.raises(Exception) as refused:
            permissions.authorize("test_notebook.edit", Notebook(owner_id=owner.id))
        assert refused.value.code == 403


def test_unknown_action_is_a_programming_error(app):
    user = make_user(app)
    with app.app_context(), pytest.raises(LookupError):
        permissions.can(db.session.get(User, user.id), "no.such.action", None)


def test_role_required_refuses_other_roles(app, client, auth):
    mentor = make_user(app, roles=(Role.MENTOR,))
    auth.login(mentor.email, mentor.password)
    assert client.get("/admin/outbox/").status_code == 403
