"""Command-line tools: create-admin, seed-demo, outbox."""

from ecosystem.auth.demo import DEMO_PASSWORD, DEMO_USERS
from ecosystem.auth.models import Role, User
from ecosystem.extensions import db
from ecosystem.mail.models import OutboxMessage, OutboxStatus
from tests.factories import make_user


def users_by_email(app) -> dict[str, User]:
    with app.app_context():
        users = {user.email: user for user in db.session.scalars(db.select(User))}
        for user in users.values():
            user.roles  # noqa: B018 - load before the session closes
        db.session.expunge_all()
        return users


def test_create_admin_makes_a_confirmed_admin_with_a_printed_password(app):
    result = app.test_cli_runner().invoke(args=["users", "create-admin", "Boss@Example.com"])
    assert result.exit_code == 0, result.output
    password = result.output.split("Password: ")[1].strip()
    admin = users_by_email(app)["boss@example.com"]
    assert Role.ADMIN in admin.roles and admin.confirmed_at is not None
    with app.app_context():
        assert db.session.get(User, admin.id).check_password(password)


def test_create_admin_promotes_an_existing_account(app):
    user = make_user(app)
    result = app.test_cli_runner().invoke(args=["users", "create-admin", user.email])
    assert result.exit_code == 0
    assert Role.ADMIN in users_by_email(app)[user.email].roles


def test_create_admin_refuses_a_short_password(app):
    result = app.test_cli_runner().invoke(args=["users", "create-admin", "a@example.com", "--password", "short"])
    assert result.exit_code != 0
    assert "a@example.com" not in users_by_email(app)


def test_seed_demo_is_idempotent_and_prints_credentials(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    count_after_first = len(users_by_email(app))
    second = runner.invoke(args=["seed-demo"])
    assert first.exit_code == second.exit_code == 0
    assert DEMO_PASSWORD in first.output
    users = users_by_email(app)
    assert {email for email, _name, _roles in DEMO_USERS} <= set(users)
    every_role = set().union(*(users[email].roles for email, _name, _roles in DEMO_USERS))
    assert every_role == set(Role)
    assert len(users) == count_after_first  # the second run added nobody
    with app.app_context():
        assert db.session.get(User, users["admin@demo.example"].id).check_password(DEMO_PASSWORD)


def test_outbox_run_once_delivers_and_reports(app, mailbox):
    with app.app_context():
        db.session.add(OutboxMessage(recipient="cli@example.com", subject="Chào", body_text="Nội dung",
                                     body_html=None, template="test", locale="vi"))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["outbox", "run", "--once"])
    assert result.exit_code == 0
    assert "sent 1" in result.output
    assert mailbox.wait_for("cli@example.com")
    status = app.test_cli_runner().invoke(args=["outbox", "status"])
    assert "sent: 1" in status.output
    with app.app_context():
        assert db.session.scalar(db.select(OutboxMessage.status)) == OutboxStatus.SENT
