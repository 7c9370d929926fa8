"""Subjects built from user text fit the outbox's column and stay on one line: a long name plus a long
group name does not overflow (a 500 on PostgreSQL), and CR/LF in a name never breaks a mail header."""

import pytest

from ecosystem.auth.models import User
from ecosystem.extensions import db
from ecosystem.invitations import services as invitations
from ecosystem.mail.models import OutboxMessage, OutboxStatus
from ecosystem.mail.services import queue_mail
from tests.factories import make_user

SUBJECT_MAX = 255  # the outbox's subject column

LONG_GROUP = "Câu lạc bộ Khởi nghiệp Đổi mới Sáng tạo Trường Đại học Kỹ thuật Công nghiệp Thái Nguyên " * 2


@pytest.fixture(scope="module", autouse=True)
def long_named_target():
    invitations.register_target(
        "long_group", describe=lambda target_id: LONG_GROUP[:160], accept=lambda target_id, user, role: "/",
    )
    yield
    invitations._targets.pop("long_group")


def invite_from(app, full_name: str, email: str) -> None:
    inviter = make_user(app, full_name=full_name)
    with app.test_request_context():
        invitations.invite("long_group", 1, email, "member", db.session.get(User, inviter.id))
        db.session.commit()


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        messages = list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))
        db.session.expunge_all()
        return messages


def test_a_long_name_and_a_long_group_name_fit_the_subject(app, deliver_mail, mailbox):
    invite_from(app, "Nguyễn Thị Thanh Hương " * 5 + "X" * 5, "moi@example.com")
    [message] = outbox(app)
    assert len(message.subject) == SUBJECT_MAX and message.subject.endswith("…")
    assert message.subject.startswith("Nguyễn Thị Thanh Hương")
    assert deliver_mail().sent == [message.id]
    [received] = mailbox.wait_for("moi@example.com")
    assert received["Subject"].startswith("Nguyễn Thị Thanh Hương")


def test_cr_lf_in_a_name_never_breaks_a_mail_header(app, deliver_mail, mailbox):
    invite_from(app, "Lê Văn Nam\r\nBcc: victim@example.com\r\n\r\nInjected body", "nam@example.com")
    [message] = outbox(app)
    assert "\r" not in message.subject and "\n" not in message.subject
    report = deliver_mail()
    assert report.sent == [message.id], outbox(app)[0].last_error
    [received] = mailbox.wait_for("nam@example.com")
    assert received["Bcc"] is None and not mailbox.to("victim@example.com")
    assert received["Subject"].startswith("Lê Văn Nam Bcc: victim@example.com Injected body")
    assert outbox(app)[0].status == OutboxStatus.SENT


def test_queue_mail_keeps_short_subjects_and_long_attachment_names_fit(app):
    with app.test_request_context():
        message = queue_mail("a@example.com", "Vé của bạn", "auth/mail/reset_password", "vi",
                             attachments=[("v" * 300 + ".ics", "text/calendar", b"BEGIN:VCALENDAR")],
                             user=User(full_name="An"), reset_url="http://localhost/r", valid_minutes=60)
        db.session.commit()
        assert message.subject == "Vé của bạn"
        [attachment] = message.attachments
        assert len(attachment.filename) == 120 and attachment.filename.endswith(".ics")
