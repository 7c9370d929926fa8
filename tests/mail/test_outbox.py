"""The durable outbox: no mail lost while SMTP is down, retries with backoff, failures kept."""

import contextlib
import threading
from datetime import timedelta
from functools import partial
from types import SimpleNamespace

import pytest

from ecosystem.extensions import db
from ecosystem.mail.models import OutboxMessage, OutboxStatus
from ecosystem.mail.services import queue_mail
from ecosystem.timeutil import utcnow
from tests.auth.test_registration import VALID
from tests.concurrency import race
from tests.factories import make_admin
from tests.smtp_server import first_link


def queue_test_mail(app, recipient: str, locale: str = "vi", name: str = "An") -> None:
    with app.test_request_context():
        queue_mail(recipient, "Reset", "auth/mail/reset_password", locale,
                   user=SimpleNamespace(full_name=name), reset_url="http://localhost/r", valid_minutes=60)
        db.session.commit()


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        messages = list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))
        db.session.expunge_all()
        return messages


def test_smtp_down_while_registering_loses_no_mail(app, client, forms, smtp_server, mailbox, deliver_mail):
    smtp_server.stop()
    response = forms.post("/auth/register", VALID)
    assert response.status_code == 302  # the sign-up itself succeeds

    report = deliver_mail()
    assert report.retried and not report.sent
    [message] = outbox(app)
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1 and "Connection" in message.last_error
    assert message.next_attempt_at > utcnow()

    smtp_server.start()
    assert not deliver_mail().handled  # not due yet: backoff
    report = deliver_mail(now=utcnow() + timedelta(hours=1))
    assert len(report.sent) == 1
    [delivered] = mailbox.wait_for("hoa@example.com")
    assert first_link(delivered, "/auth/confirm/")
    assert outbox(app)[0].status == OutboxStatus.SENT
    assert not deliver_mail(now=utcnow() + timedelta(days=1)).handled  # sent once, never again
    assert len(mailbox.to("hoa@example.com")) == 1


def test_backoff_grows_and_a_message_that_keeps_failing_is_marked_failed(app, smtp_server, deliver_mail):
    queue_test_mail(app, "x@example.com")
    smtp_server.stop()
    moment = utcnow()
    delays = []
    for _ in range(app.config["OUTBOX_MAX_ATTEMPTS"]):
        report = deliver_mail(now=moment)
        assert report.handled == 1
        message = outbox(app)[0]
        if message.status == OutboxStatus.PENDING:
            delays.append(message.next_attempt_at - moment)
            moment = message.next_attempt_at
    assert delays == sorted(delays) and delays[0] < delays[-1]
    message = outbox(app)[0]
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == app.config["OUTBOX_MAX_ATTEMPTS"]
    assert not deliver_mail(now=moment + timedelta(days=30)).handled


def test_admin_sees_failed_messages_and_queues_them_again(app, client, auth, forms, smtp_server, deliver_mail, mailbox):
    admin = make_admin(app)
    with app.app_context():
        failed = OutboxMessage(
            recipient="lost@example.com", subject="Chào", body_text="Nội dung", body_html=None,
            template="test", locale="vi", status=OutboxStatus.FAILED, attempts=8, last_error="SMTPDataError",
        )
        db.session.add(failed)
        db.session.commit()
        failed_id = failed.id
    auth.login(admin.email, admin.password)
    page = client.get("/admin/outbox/").get_data(as_text=True)
    assert "lost@example.com" in page and "SMTPDataError" in page

    assert forms.post(f"/admin/outbox/{failed_id}/requeue", {}, form_page="/admin/outbox/").status_code == 302
    assert len(deliver_mail().sent) == 1
    assert mailbox.wait_for("lost@example.com")
    # A message that is not failed cannot be re-queued (no double sending).
    forms.post(f"/admin/outbox/{failed_id}/requeue", {}, form_page="/admin/outbox/")
    assert outbox(app)[0].status == OutboxStatus.SENT


def test_mail_rolled_back_with_its_transaction_is_never_sent(app, deliver_mail, mailbox):
    with app.test_request_context():
        queue_mail("ghost@example.com", "Reset", "auth/mail/reset_password", "vi",
                   user=SimpleNamespace(full_name="X"), reset_url="http://localhost/r", valid_minutes=60)
        db.session.rollback()
    assert not deliver_mail().handled
    assert mailbox.messages == []


def test_mail_is_rendered_in_the_recipients_language(app, deliver_mail, mailbox):
    queue_test_mail(app, "en@example.com", locale="en", name="Ann")
    queue_test_mail(app, "vi@example.com", locale="vi", name="An")
    deliver_mail()
    english = mailbox.wait_for("en@example.com")[0].get_body(("plain",)).get_content()
    vietnamese = mailbox.wait_for("vi@example.com")[0].get_body(("plain",)).get_content()
    assert "Hello Ann" in english
    assert "Xin chào An" in vietnamese


@pytest.mark.postgresql
@pytest.mark.committing
def test_two_workers_on_postgresql_deliver_each_message_exactly_once(app, deliver_mail, mailbox):
    with app.app_context():
        for number in range(60):
            db.session.add(OutboxMessage(
                recipient=f"r{number}@example.com", subject=f"Thư {number}", body_text="Nội dung",
                body_html=None, template="test", locale="vi",
            ))
        db.session.commit()

    reports = []
    start = threading.Barrier(2)

    def worker():
        start.wait()
        reports.append(deliver_mail(limit=1000))

    race(worker, worker, timeout=60)

    sent_ids = [message_id for report in reports for message_id in report.sent]
    assert len(sent_ids) == 60 and len(set(sent_ids)) == 60
    assert all(report.sent for report in reports), "both workers should have taken a share"
    recipients = [message["To"] for message in mailbox.messages]
    assert sorted(recipients) == sorted(f"r{number}@example.com" for number in range(60))


@pytest.mark.postgresql
@pytest.mark.committing
@pytest.mark.parametrize("locked, expected_deliveries", [(True, 1), (False, 2)])
def test_forced_collision_is_prevented_only_by_the_row_lock(app, deliver_mail, mailbox, monkeypatch,
                                                           locked, expected_deliveries):
    """Both workers are held together right after claiming. With FOR UPDATE SKIP LOCKED the
    second finds nothing to claim; without it (the negative control) both send the same
    message, which proves the exactly-once test above would catch a missing lock."""
    from ecosystem.mail import services

    real_claim = services._claim_next_due
    barrier = threading.Barrier(2)

    def unlocked_claim(now):
        return db.session.scalars(
            db.select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id).limit(1)
        ).first()

    def claim_then_wait(now):
        message = (real_claim if locked else unlocked_claim)(now)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=5)
        return message

    monkeypatch.setattr(services, "_claim_next_due", claim_then_wait)
    with app.app_context():
        db.session.add(OutboxMessage(recipient="once@example.com", subject="Một lần", body_text="x",
                                     body_html=None, template="test", locale="vi"))
        db.session.commit()

    race(*[partial(deliver_mail, limit=1)] * 2, timeout=30)
    mailbox.wait_for("once@example.com", count=expected_deliveries)
    assert len(mailbox.to("once@example.com")) == expected_deliveries


def test_attachments_are_delivered_with_the_message(app, deliver_mail, mailbox):
    with app.test_request_context():
        queue_mail("att@example.com", "Vé", "auth/mail/reset_password", "vi",
                   attachments=[("ve.png", "image/png", b"\x89PNG fake"), ("su-kien.ics", "text/calendar", b"BEGIN")],
                   user=SimpleNamespace(full_name="An"), reset_url="http://localhost/r", valid_minutes=60)
        db.session.commit()
    deliver_mail()
    [message] = mailbox.wait_for("att@example.com")
    files = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    assert files["ve.png"] == b"\x89PNG fake"
    assert "BEGIN" in str(files["su-kien.ics"])
