"""The shared invitation mechanism, with a target registered by the test."""

from datetime import timedelta

import pytest

from ecosystem.auth.models import User
from ecosystem.extensions import db
from ecosystem.invitations import services
from ecosystem.invitations.models import Invitation
from tests.factories import make_user
from tests.smtp_server import first_link

joined_log: list[tuple[int, int, str]] = []


@pytest.fixture(scope="module", autouse=True)
def test_target():
    services.register_target(
        "test_group",
        describe=lambda target_id: "Nhóm thử nghiệm" if target_id == 7 else None,
        accept=lambda target_id, user, role: joined_log.append((target_id, user.id, role)) or "/",
    )
    yield
    services._targets.pop("test_group")


def send_invitation(app, inviter_id: int, email: str, target_id: int = 7) -> None:
    with app.test_request_context():
        services.invite("test_group", target_id, email, "member", db.session.get(User, inviter_id))
        db.session.commit()


def test_invited_person_accepts_from_the_mail(app, client, auth, forms, mailbox, deliver_mail):
    joined_log.clear()
    inviter, invitee = make_user(app, full_name="Lê Thị Mai"), make_user(app)
    send_invitation(app, inviter.id, invitee.email.upper())
    deliver_mail()
    [message] = mailbox.wait_for(invitee.email)
    assert "Lê Thị Mai" in message["Subject"] and "Nhóm thử nghiệm" in message["Subject"]
    path = first_link(message, "/invitations/").split("localhost", 1)[1]

    assert "Nhóm thử nghiệm" in client.get(path).get_data(as_text=True)
    auth.login(invitee.email, invitee.password)
    assert forms.post(path, {}).status_code == 302
    assert joined_log == [(7, invitee.id, "member")]
    # A link works once.
    assert client.get(path).status_code == 404
    assert forms.post(path, {}, form_page="/").status_code == 403


def test_only_the_invited_address_may_accept(app, client, auth, forms, mailbox, deliver_mail):
    joined_log.clear()
    inviter, invitee, stranger = make_user(app), make_user(app), make_user(app)
    send_invitation(app, inviter.id, invitee.email)
    deliver_mail()
    path = first_link(mailbox.wait_for(invitee.email)[0], "/invitations/").split("localhost", 1)[1]
    auth.login(stranger.email, stranger.password)
    response = forms.post(path, {})
    assert response.status_code == 403
    assert invitee.email in response.get_data(as_text=True)
    assert joined_log == []


def test_duplicate_expired_revoked_and_unknown_invitations(app, client, forms, mailbox, deliver_mail):
    forms.post("/language", {"lang": "en"}, form_page="/")
    inviter = make_user(app)
    send_invitation(app, inviter.id, "new@example.com")
    with app.test_request_context(), pytest.raises(services.InvitationError):
        services.invite("test_group", 7, "NEW@example.com", "member", db.session.get(User, inviter.id))
    deliver_mail()
    path = first_link(mailbox.wait_for("new@example.com")[0], "/invitations/").split("localhost", 1)[1]
    with app.app_context():
        invitation = db.session.scalar(db.select(Invitation))
        invitation.expires_at -= timedelta(days=30)
        db.session.commit()
    assert "has expired" in client.get(path).get_data(as_text=True)
    with app.app_context():
        invitation = db.session.scalar(db.select(Invitation))
        invitation.expires_at += timedelta(days=30)
        services.revoke(invitation)
        db.session.commit()
    assert client.get(path).status_code == 404
    assert client.get("/invitations/not-a-real-token").status_code == 404
